"""Copying and selecting article text in Chromium: the clipboard holds the article's words (no speaker tags of
quotes or reported speech), and a mouse drag may start on a highlighted name. The article goes through the real
storing service with built statements."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bridge(transactional_db):
    from tests.services.test_statements import stored

    return stored(published=datetime.date(2019, 2, 1))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_copying_a_passage_leaves_the_speaker_tags_out_of_the_clipboard(browser, live_server, bridge):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + bridge.get_absolute_url())
    said_tag = page.locator("#article a.quote-tag--said").first
    quote_tag = page.locator("#article a.quote-tag:not(.quote-tag--said)").last
    expect(said_tag).to_have_text("Ana Ruiz")
    expect(quote_tag).to_have_text("Ana Ruiz")
    # From the reported statement's paragraph to the end of the direct quote's, as a reader would select it.
    page.evaluate(
        """() => {
          const paras = [...document.querySelectorAll('#article p.para')];
          const first = paras.find((p) => p.textContent.includes('reopen in May'));
          const last = paras.find((p) => p.textContent.includes('We will be ready'));
          const range = document.createRange();
          range.setStartBefore(first.firstChild);
          range.setEndAfter(last.lastChild);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("Control+c")
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = bridge.text[bridge.text.index("Ana Ruiz said") :]
    assert _words(copied) == _words(expected)
    assert "\n" in copied  # paragraphs stay apart
    # The tags are still on the page after copying.
    expect(said_tag).to_be_visible()
    expect(quote_tag).to_be_visible()
    context.close()
