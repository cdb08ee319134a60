import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


def test_reader_opens_article_clicks_quote_sees_panel_and_escape_closes_it(page, live_server, seeded):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=seeded.title).click()
    expect(page.locator("h1.headline")).to_contain_text("Trump’s Talks")

    quote = page.locator('.quote[data-speaker="Kim Eui-kyeom"]').first
    quote.click(position={"x": 5, "y": 5})
    panel = page.locator("#panel")
    expect(panel.locator(".speaker-name")).to_have_text("Kim Eui-kyeom")
    expect(panel).to_contain_text("a spokesman for Mr. Moon")
    assert "/quotes/" in page.url  # the panel's address is pushed
    expect(panel).to_be_focused()  # keyboard users land in the panel

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.url.rstrip("/").endswith(f"/articles/{seeded.pk}")


def test_back_button_closes_a_panel_opened_by_click(page, live_server, seeded):
    page.goto(live_server.url + seeded.get_absolute_url())
    page.locator(".ent[data-label='PERSON']").first.click()
    expect(page.locator("#panel .panel-entity-name")).to_be_visible()
    page.go_back()
    expect(page.locator("#panel .panel-entity-name")).to_have_count(0)


def test_panel_url_opened_directly_renders_the_page_with_the_panel(page, live_server, seeded):
    quote = next(q for q in seeded.quotes.all() if "He lied a lot." in q.text)
    page.goto(live_server.url + quote.get_absolute_url())
    expect(page.locator("#panel .speaker-name")).to_have_text(quote.speaker_name)
    expect(page.locator("#panel blockquote")).to_contain_text("He lied a lot.")
    expect(page.locator("article .para").first).to_be_visible()


def test_quote_panel_works_without_javascript(browser, live_server, seeded):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    page.locator('.quote[data-speaker="Kim Eui-kyeom"] .quote-tag').first.click()
    expect(page.locator("#panel .speaker-name")).to_have_text("Kim Eui-kyeom")
    context.close()


def test_legend_toggles_a_highlight_type(page, live_server, seeded):
    page.goto(live_server.url + seeded.get_absolute_url())
    first_person = page.locator(".ent[data-label='PERSON']").first
    assert "ent--off" not in first_person.get_attribute("class")
    page.get_by_label("Person").uncheck()
    expect(first_person).to_have_class(re.compile(r"\bent--off\b"))
    page.get_by_label("Person").check()
    expect(first_person).not_to_have_class(re.compile(r"\bent--off\b"))


def test_the_link_to_the_original_is_reached_by_keyboard_and_sends_no_referrer(page, live_server):
    from tests.helpers import TEXT, import_article

    original = live_server.url + "/search/?q=original"
    saved = import_article(text=TEXT, url=original)
    page.goto(live_server.url + saved.get_absolute_url())
    link = page.get_by_role("link", name=re.compile(r"^Original at "))
    for _ in range(40):  # the header's links and forms come first
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(original)
    assert page.evaluate("document.referrer") == ""
