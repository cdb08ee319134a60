"""Copying and selecting article text in Chromium: the clipboard holds the article's words (no speaker tags of
quotes or reported speech), and a mouse drag may start on a highlighted name. The article goes through the real
storing service with built statements."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bridge(transactional_db):
    from tests.services.test_statements import stored

    return stored(published=datetime.date(2019, 2, 1))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_copying_a_passage_leaves_the_speaker_tags_out_of_the_clipboard(browser, live_server, bridge):
    context = new_context(browser)
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


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


# The box of the first occurrence of `word` in the article's text after the element `after`.
WORD_BOX = """([selector, word]) => {
  const after = document.querySelector(selector);
  const walker = document.createTreeWalker(document.getElementById('article'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!(after.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) || after.contains(node)) continue;
    const at = node.data.indexOf(word);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
  }
  return null;
}"""


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_a_drag_that_starts_on_a_highlighted_name_selects_text_from_the_name(
    browser, live_server, seeded, alice, who
):
    from tests.browser.test_annotations import _log_in

    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    if who == "alice":
        _log_in(page, live_server, seeded.get_absolute_url())
    else:
        page.goto(live_server.url + seeded.get_absolute_url())
    name = page.locator("#article .para a.ent", has_text="Yongbyon").first
    expect(name).to_have_text("Yongbyon")
    name.scroll_into_view_if_needed()
    start = name.bounding_box()
    end = page.evaluate(WORD_BOX, [f"#{name.get_attribute('id')}", "facility"])
    page.mouse.move(start["x"] + start["width"] * 0.3, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.move(end["x"] + end["width"] - 1, end["y"] + end["height"] / 2, steps=2)
    page.mouse.up()
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.endswith("enrichment facility"), selected
    assert "Yongbyon".endswith(selected[: -len(" enrichment facility")]), selected  # from inside the name
    assert name.evaluate("e => e.contains(window.getSelection().anchorNode)")
    # The page stays where it was: no link was followed, and a logged-in reader gets the toolbar.
    assert page.url.endswith(seeded.get_absolute_url())
    if who == "alice":
        expect(page.locator("#annotate-toolbar")).to_be_visible()
        expect(page.locator("#annotate-toolbar input[name=exact]")).to_have_value(selected)
    # A drag inside the name selects part of it and opens nothing; a click on it still opens its panel.
    page.evaluate("window.getSelection().removeAllRanges()")
    start = name.bounding_box()
    page.mouse.move(start["x"] + start["width"] * 0.15, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] * 0.8, start["y"] + start["height"] / 2, steps=5)
    page.mouse.up()
    part = page.evaluate("window.getSelection().toString()")
    assert part and part in "Yongbyon", part
    expect(name).to_have_attribute(
        "href", re.compile(r"/entities/\d+/\?mention=\d+#mention-\d+$")
    )  # a link again
    name.click()
    expect(page.locator("#panel .panel-entity-name")).to_contain_text("Yongbyon")
    context.close()
