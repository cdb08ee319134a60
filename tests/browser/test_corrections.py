"""Correcting a speaker in Chromium: from the keyboard alone (htmx in place), and as plain forms without
JavaScript. The article is analysed by the real model and added by the reader who corrects it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled
from tests.services.test_corrections import BRIDGE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bridge(transactional_db, alice):
    from tests.helpers import import_article

    article = import_article(text=BRIDGE, source="Gazette")
    article.added_by = alice  # whoever added an article may correct it
    article.save(update_fields=["added_by"])
    return article


def _log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1.headline")).to_be_visible()


def _tab_to(page, locator, most=40):
    """Press Tab until `locator` has the focus (at most `most` times)."""
    for _ in range(most):
        if locator.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def test_a_speaker_is_corrected_from_the_keyboard(page, live_server, bridge):
    _log_in(page, live_server, bridge.get_absolute_url())
    first = page.locator("#article a.quote-tag").first
    expect(first).to_have_text("Tom Berg")
    page.keyboard.press("j")  # the first quote: "The bridge will reopen in May," given to Tom Berg
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator("#panel")
    expect(panel.locator(".speaker-name")).to_have_text("Tom Berg")
    summary = panel.locator("details.correct summary")
    _tab_to(page, summary)
    page.keyboard.press("Enter")  # opens the corrections
    choose = panel.get_by_label("One of the article's people or bodies")
    _tab_to(page, choose)
    page.keyboard.press("ArrowDown")  # the first name in the list: Ruiz
    expect(choose).to_have_value(str(bridge.entities.get(name="Ruiz").pk))
    button = panel.get_by_role("button", name="Correct the speaker")
    _tab_to(page, button)
    page.keyboard.press("Enter")
    expect(panel.locator(".speaker-name")).to_have_text("Ruiz")
    expect(panel.locator(".correction-what")).to_contain_text("Speaker is Ruiz (the analysis said: Tom Berg)")
    expect(first).to_have_text("Ruiz · corrected")  # the text's tag changed in place, no reload
    expect(page).to_have_url(re.compile(r"/quotes/\d+/$"))
    # Undo, from the keyboard too: the analysis's answer comes back.
    undo = panel.get_by_role("button", name="Undo this correction")
    _tab_to(page, undo)
    page.keyboard.press("Enter")
    expect(panel.locator(".correction--undone")).to_have_count(1)
    expect(first).to_have_text("Tom Berg")


def test_a_speaker_is_corrected_without_javascript(browser, live_server, bridge):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    _log_in(page, live_server, bridge.get_absolute_url())
    page.locator("#article a.quote-tag").first.click()
    expect(page).to_have_url(re.compile(r"/quotes/\d+/#quote-\d+$"))
    # A whole page that lands on the quote's #fragment: the panel beside it moves until the page is there.
    expect(page.locator(page.url[page.url.index("#") :])).to_be_in_viewport()
    panel = page.locator("#panel")
    panel.locator("details.correct summary").click()
    panel.get_by_label("or a name").fill("Ana Ruiz")
    panel.get_by_role("button", name="Correct the speaker").click()
    expect(page).to_have_url(re.compile(r"/quotes/\d+/$"))
    expect(panel.locator(".speaker-name")).to_have_text("Ana Ruiz")
    expect(page.locator("#article a.quote-tag").first).to_have_text("Ana Ruiz · corrected")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_correction_forms_and_history_have_no_serious_accessibility_violation(
    browser, live_server, bridge, scheme
):
    from axe_playwright_python.sync_playwright import Axe

    context = new_context(browser, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    _log_in(page, live_server, bridge.get_absolute_url())
    page.locator("#article a.quote-tag").first.click()
    panel = page.locator("#panel")
    settled(page)
    panel.locator("details.correct summary").click()
    panel.get_by_label("or a name").fill("Ana Ruiz")
    panel.get_by_role("button", name="Correct the speaker").click()
    expect(panel.locator(".correction-what")).to_be_visible()
    settled(page)
    panel.locator("details.correct summary").click()  # the forms open, beside the history
    expect(panel.get_by_role("button", name="Not a quote")).to_be_visible()
    # A person of the library: the panel offers "Same as …" and "Not the same as …".
    berg = bridge.entities.get(name="Tom Berg")
    serious = {"serious", "critical"}
    found = {}
    for url in (None, berg.get_absolute_url(), f"/articles/{bridge.pk}/corrections/"):
        if url is not None:
            page.goto(live_server.url + url)
            if "entities" in url:
                settled(page)
                page.locator("#panel details.correct summary").click()
        violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in serious]
        if violations:
            found[url or "quote panel"] = violations
    assert found == {}
    context.close()
