"""Shared links land on their passage: a text fragment with the words around a passage that occurs more than
once, and the page's own scroll to the open annotation or quote, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHRASE = "Mr. Trump said"
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


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
        user=alice, article=seeded, start=start, end=start + len(PHRASE), exact=PHRASE, note="This one.",
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
    context = browser.new_context(viewport=SCREENS[screen], java_script_enabled=javascript)
    page = context.new_page()
    url = _share_url(page, live_server, fourth_said.get_absolute_url())
    assert ",-%2C" in url and "-,Mr.%20Trump%20said" in url  # prefix and suffix both there
    fresh = context.new_page()
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
    context = browser.new_context(viewport=SCREENS[screen], java_script_enabled=javascript)
    page = context.new_page()
    url = _share_url(page, live_server, quote.get_absolute_url())
    fresh = context.new_page()
    fresh.goto(url)
    expect(fresh.locator(f'#article .quote[data-quote-id="{quote.pk}"]').first).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_quote_address_opened_as_is_scrolls_to_the_quote(browser, live_server, seeded, screen):
    quote = [q for q in seeded.quotes.order_by("start")][-2]
    context = browser.new_context(viewport=SCREENS[screen])
    page = context.new_page()
    page.goto(live_server.url + quote.get_absolute_url())
    expect(page.locator("#panel .panel-quote")).to_be_visible()
    expect(page.locator(f'#article .quote[data-quote-id="{quote.pk}"]').first).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("kind", ["quote", "mention"])
def test_without_javascript_a_panel_opens_where_the_reader_was(browser, live_server, seeded, screen, kind):
    context = browser.new_context(viewport=SCREENS[screen], java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    link = page.locator("#article a.quote-tag" if kind == "quote" else "#article a.ent").nth(-3)
    link.scroll_into_view_if_needed()
    link.click()
    expect(page.locator("#panel .panel-head")).to_be_visible()
    expect(link).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_copy_link_falls_back_to_the_selected_field_when_the_clipboard_refuses(browser, live_server, seeded, screen):
    quote = seeded.quotes.first()
    context = browser.new_context(viewport=SCREENS[screen])
    # The clipboard API refusing, as it does over plain http or in a page without focus.
    context.add_init_script(
        "if (navigator.clipboard) navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
    )
    page = context.new_page()
    page.goto(live_server.url + quote.get_absolute_url())
    page.locator("#panel").get_by_role("button", name="Copy link").click()
    expect(page.locator("#panel .copy-link")).to_have_text(re.compile(r"^(Copied|Press (Ctrl\+C|⌘C) to copy)$"))
    field = page.locator("#panel .share-url")
    expect(field).to_be_focused()
    selected = field.evaluate("(input) => input.value.slice(input.selectionStart, input.selectionEnd)")
    assert selected == field.input_value() and "#:~:text=" in selected
    context.close()
