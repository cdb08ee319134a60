"""Shared links land on their passage: a text fragment with the words around a passage that occurs more than
once, and the page's own scroll to the open annotation or quote, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "Mr. Trump said"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# The landings are tested as most readers get them, scrolled smoothly (other tests ask for reduced motion, see
# tests/browser/conftest.py): these click nothing on the way and wait only for where the page comes to rest.
SMOOTH = "no-preference"


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


@pytest.fixture
def fourth_said(seeded, alice):
    """A public annotation on the fourth "Mr. Trump said" of the seed."""
    from articles.services.annotations import annotation_create

    starts = [m.start() for m in re.finditer(re.escape(PHRASE), seeded.text)]
    assert len(starts) >= 5
    start = starts[3]
    return annotation_create(
        user=alice,
        article=seeded,
        start=start,
        end=start + len(PHRASE),
        exact=PHRASE,
        note="This one.",
        visibility="public",
    )


def _share_url(page, live_server, path):
    page.goto(live_server.url + path)
    return page.locator("#panel .share-url").input_value()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_annotation_link_on_a_repeated_passage_lands_on_that_passage(
    browser, live_server, fourth_said, screen, javascript
):
    context = new_context(
        browser, reduced_motion=SMOOTH, viewport=SCREENS[screen], java_script_enabled=javascript
    )
    page = context.new_page()
    url = _share_url(page, live_server, fourth_said.get_absolute_url())
    assert ",-%2C" in url and "-,Mr.%20Trump%20said" in url  # prefix and suffix both there
    page.close()  # a shared link opens in a tab of its own: the only page, shown and in front
    fresh = context.new_page()
    fresh.bring_to_front()
    fresh.goto(url)
    mark = fresh.locator(f'#article mark[data-annotation-id="{fourth_said.pk}"]').first
    expect(mark).to_be_in_viewport()
    first = fresh.locator(".para", has_text=PHRASE).first
    expect(first).not_to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_quote_link_opened_directly_shows_the_quote(browser, live_server, seeded, screen, javascript):
    quote = next(q for q in seeded.quotes.all() if "He lied a lot." in q.text)
    context = new_context(
        browser, reduced_motion=SMOOTH, viewport=SCREENS[screen], java_script_enabled=javascript
    )
    page = context.new_page()
    url = _share_url(page, live_server, quote.get_absolute_url())
    page.close()  # a shared link opens in a tab of its own: the only page, shown and in front
    fresh = context.new_page()
    fresh.bring_to_front()
    fresh.goto(url)
    expect(fresh.locator(f'#article .quote[data-quote-id="{quote.pk}"]').first).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_quote_address_opened_as_is_scrolls_to_the_quote(browser, live_server, seeded, screen):
    quote = [q for q in seeded.quotes.order_by("start")][-2]
    context = new_context(browser, reduced_motion=SMOOTH, viewport=SCREENS[screen])
    page = context.new_page()
    page.goto(live_server.url + quote.get_absolute_url())
    expect(page.locator("#panel .panel-quote")).to_be_visible()
    expect(page.locator(f'#article .quote[data-quote-id="{quote.pk}"]').first).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("kind", ["quote", "mention"])
def test_without_javascript_a_panel_opens_where_the_reader_was(browser, live_server, seeded, screen, kind):
    context = new_context(browser, viewport=SCREENS[screen], java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    link = page.locator("#article a.quote-tag" if kind == "quote" else "#article a.ent").nth(-3)
    link.scroll_into_view_if_needed()
    link.click()
    expect(page.locator("#panel .panel-head")).to_be_visible()
    expect(link).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_copy_link_puts_the_shared_address_on_the_clipboard(browser, live_server, seeded, screen):
    quote = seeded.quotes.first()
    context = new_context(browser, viewport=SCREENS[screen])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + quote.get_absolute_url())
    settled(page)  # scrolled to the quote, the panel with it
    page.locator("#panel").get_by_role("button", name="Copy link").click()
    expect(page.locator("#panel .copy-link")).to_have_text("Copied")
    shared = page.locator("#panel .share-url").input_value()
    assert f"#quote-{quote.pk}:~:text=" in shared
    assert page.evaluate("navigator.clipboard.readText()") == shared

    # The article's own Copy link, beside its title.
    page.get_by_role("button", name="Copy link to this article").click()
    expect(page.get_by_role("button", name="Copy link to this article")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + seeded.get_absolute_url()
    context.close()


@pytest.fixture
def plain_http_browser(browser, settings, live_server):
    """Chromium reaching the test server by a name of its own: an address over plain http that is not this
    machine's is not a secure context, so the page has no clipboard API, as on a home server."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "newsreader.test"]
    other = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP newsreader.test 127.0.0.1"],
        headless=True,
    )
    yield other, live_server.url.replace("localhost", "newsreader.test")
    other.close()


def test_over_plain_http_copy_link_copies_from_the_selected_field(plain_http_browser, live_server, seeded):
    browser, site = plain_http_browser
    quote = seeded.quotes.first()
    context = new_context(browser)
    context.grant_permissions(["clipboard-read"], origin=live_server.url)
    page = context.new_page()
    page.goto(site + quote.get_absolute_url())
    assert page.evaluate("window.isSecureContext") is False
    assert page.evaluate("navigator.clipboard === undefined")
    settled(page)
    page.locator("#panel").get_by_role("button", name="Copy link").click()
    expect(page.locator("#panel .copy-link")).to_have_text("Copied")
    field = page.locator("#panel .share-url")
    expect(field).to_be_focused()
    selected = field.evaluate("(input) => input.value.slice(input.selectionStart, input.selectionEnd)")
    assert selected == field.input_value() and f"#quote-{quote.pk}:~:text=" in selected

    # The browser's real clipboard holds it, read from a page allowed to read it.
    reader = context.new_page()
    reader.goto(live_server.url + "/")
    reader.bring_to_front()
    assert reader.evaluate("navigator.clipboard.readText()") == selected
    context.close()
