"""A reader logs in, selects a passage, annotates, and shares; a stranger opens the link."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled
from tests.helpers import TEXT

pytestmark = pytest.mark.django_db(transaction=True)


# Selects article text [start, end) with a Range, counting only article text (not the speaker tag) and in
# code points, as the server counts: the same selection a reader makes with the mouse or keyboard, without
# depending on pixels.
SELECT_TEXT = """([start, end]) => {
  const point = (offset, after) => {
    for (const block of document.querySelectorAll('#article [data-start]')) {
      const blockStart = Number(block.dataset.start), blockEnd = Number(block.dataset.end);
      if (offset < blockStart || offset >= blockEnd) continue;
      let left = offset - blockStart;
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
        n.parentElement.closest('[data-nr-skip]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
      while (walker.nextNode()) {
        const characters = Array.from(walker.currentNode.data);
        if (left < characters.length) {
          return [walker.currentNode, characters.slice(0, left + (after ? 1 : 0)).join('').length];
        }
        left -= characters.length;
      }
    }
    throw new Error('offset ' + offset + ' is not in the article');
  };
  const [startNode, startOffset] = point(start, false);
  const [endNode, endOffset] = point(end - 1, true);
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def _log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1.headline")).to_be_visible()


def _select(page, text, passage):
    start = text.index(passage)
    page.evaluate(SELECT_TEXT, [start, start + len(passage)])


def test_reader_annotates_a_selection_and_a_stranger_opens_the_public_link(
    browser, page, live_server, article, alice
):
    from articles.models import Annotation

    _log_in(page, live_server, article.get_absolute_url())

    # Across the end of a quote, its speaker tag and an entity link.
    passage = "keep the libraries open on these numbers,” said Ana Ruiz"
    _select(page, TEXT, passage)
    toolbar = page.locator("#annotate-toolbar")
    expect(toolbar).to_be_visible()
    expect(page.locator("#annotate-status")).to_have_text(re.compile("press h to highlight"))
    toolbar.get_by_role("button", name="Annotate").click()

    panel = page.locator("#panel")
    expect(panel.locator("blockquote")).to_have_text(passage)
    expect(panel.get_by_label("Note")).to_be_focused()
    panel.get_by_label("Note").fill("The **treasurer** draws the line.")
    panel.get_by_label("Green").check()
    panel.get_by_label("Tags").fill("budget, libraries")
    panel.get_by_label("Public (anyone with the link)").check()
    panel.get_by_role("button", name="Save annotation").click()

    expect(panel.locator(".note strong")).to_have_text("treasurer")
    public = Annotation.objects.get()
    assert public.exact == passage and public.visibility == "public" and public.colour == "green"
    assert re.search(rf"/annotations/{public.pk}/$", page.url)
    mark = page.locator(f'#article mark[data-annotation-id="{public.pk}"]')
    expect(mark.first).to_be_visible()
    expect(page.locator("#annotation-count")).to_have_text("1")

    # A private highlight from the keyboard shortcut, across two paragraphs.
    page.goto(live_server.url + article.get_absolute_url())
    _select(page, TEXT, "the coming year.\n\n“We cannot")
    expect(toolbar).to_be_visible()
    page.keyboard.press("h")
    expect(page.locator("#annotation-count")).to_have_text("2")
    private = Annotation.objects.exclude(pk=public.pk).get()
    assert private.exact == "the coming year.\n\n“We cannot" and private.visibility == "private"

    # Reload: both highlights are still there, in the text and in the panel's list, in text order.
    page.reload()
    expect(page.locator(f'mark[data-annotation-id="{public.pk}"]').first).to_be_visible()
    expect(page.locator(f'mark[data-annotation-id="{private.pk}"]').first).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Annotations \(2\)")).click()
    items = page.locator("#panel .annotation-item")
    expect(items).to_have_count(2)
    assert items.nth(0).get_attribute("data-annotation-id") == str(private.pk)
    settled(page)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    items.nth(0).locator(".annotation-quote").click()
    expect(page.locator(f'mark[data-annotation-id="{private.pk}"]').first).to_be_in_viewport()
    settled(page)  # the page has scrolled to the highlight, and the panel with it
    page.get_by_role("link", name="All annotations on this article").click()
    expect(items).to_have_count(2)

    # Clicking the highlight opens its annotation; its share link is copied from the panel.
    settled(page)
    page.locator(f'mark[data-annotation-id="{public.pk}"]').first.click()
    expect(panel.locator(f'[data-panel="annotation"][data-annotation-id="{public.pk}"]')).to_be_visible()
    expect(page.locator(f'mark[data-annotation-id="{public.pk}"]').first).to_have_class(
        re.compile(r"\bis-active\b")
    )
    expect(panel.locator(".note")).to_contain_text("The treasurer draws the line.")
    share_url = panel.locator(".share-url").input_value()
    assert share_url.startswith(f"{live_server.url}/annotations/{public.pk}/#:~:text=")
    settled(page)
    panel.get_by_role("button", name="Copy link").click()
    expect(panel.get_by_role("button", name="Copied")).to_be_visible()

    # A stranger, no account: the public annotation open in its place; the private one nowhere.
    stranger = new_context(browser)
    other = stranger.new_page()
    other.goto(share_url)
    expect(other.locator("#panel .note")).to_contain_text("The treasurer draws the line.")
    expect(other.locator("#panel blockquote")).to_have_text(passage)
    active = other.locator(f'mark[data-annotation-id="{public.pk}"]').first
    expect(active).to_have_class(re.compile(r"\bis-active\b"))
    expect(active).to_be_in_viewport()
    expect(other.locator(f'[data-annotation-id="{private.pk}"]')).to_have_count(0)
    expect(other.locator("#annotate-toolbar button")).to_have_count(0)
    other.goto(f"{live_server.url}/annotations/{private.pk}/")
    expect(other.locator("body")).to_contain_text("Not found")
    stranger.close()


def test_annotation_panel_and_delete_work_without_javascript(browser, live_server, article, alice):
    from articles.models import Annotation
    from articles.services.annotations import annotation_create

    start = TEXT.index("signs about the libraries")
    annotation = annotation_create(
        user=alice, article=article, start=start, end=start + 25, exact="signs about the libraries", note="n"
    )
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server, annotation.get_absolute_url())
    expect(page.locator("#panel .note")).to_have_text("n")
    page.locator("#panel").get_by_role("button", name="Delete").click()
    expect(page.locator("#panel")).to_contain_text("No annotations yet.")
    assert not Annotation.objects.exists()
    context.close()


# Random selections over the seed article (quotes with speaker tags, entities, a captioned photo with its
# credit): the offsets the page computes must always name exactly the selected article text.
RANDOM_SELECTIONS = """(seed) => {
  let state = seed;
  const random = (n) => { state = (state * 1103515245 + 12345) % 2147483648; return state % n; };
  const nodes = [];
  for (const node of document.querySelectorAll('#article [data-start]')) {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) nodes.push(walker.currentNode);  // skipped text included on purpose
  }
  const pick = () => { const node = nodes[random(nodes.length)]; return [node, random(node.length + 1)]; };
  const picks = [];
  for (let i = 0; i < 40; i++) {
    let [a, ao] = pick(), [b, bo] = pick();
    const order = a.compareDocumentPosition(b);
    if (a === b ? bo < ao : order & Node.DOCUMENT_POSITION_PRECEDING) { [a, ao, b, bo] = [b, bo, a, ao]; }
    picks.push([nodes.indexOf(a), ao, nodes.indexOf(b), bo]);
  }
  window.__nodes = nodes;
  return picks;
}"""

# Replaces the selection and settles once the page has seen it change: the page's own `selectionchange`
# listener, added first, has then scheduled the toolbar's check.
SELECT = """([a, ao, b, bo]) => new Promise((seen) => {
  document.addEventListener("selectionchange", () => seen(), {once: true});
  const range = document.createRange();
  range.setStart(window.__nodes[a], ao);
  range.setEnd(window.__nodes[b], bo);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
})"""


def _checked_random_selections(page, text: str, seed: int) -> int:
    """Makes the random selections and checks that the offsets the toolbar would send name exactly the
    selected article text; returns how many it checked (white space or a speaker tag alone gets no toolbar)."""
    toolbar = page.locator("#annotate-toolbar")
    checked = 0
    # The page's clock stands still from here: the toolbar follows a selection after a pause (a timer), and
    # moving the clock past it runs that check at once, so its outcome is read neither early nor late.
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    for pick in page.evaluate(RANDOM_SELECTIONS, seed):
        page.evaluate(SELECT, pick)
        page.clock.run_for(1000)
        if toolbar.is_hidden():
            continue
        start = int(toolbar.locator('input[name="start"]').input_value())
        end = int(toolbar.locator('input[name="end"]').input_value())
        exact = toolbar.locator('input[name="exact"]').input_value()
        assert text[start:end] == exact and exact.strip() == exact and exact
        checked += 1
    return checked


def test_selection_offsets_always_name_the_selected_article_text(page, live_server, alice, seed_text):
    from tests.helpers import import_article

    article = import_article(text=seed_text)
    page.clock.install()
    _log_in(page, live_server, article.get_absolute_url())
    assert _checked_random_selections(page, article.text, 7) >= 25


# Emoji beyond the Basic Multilingual Plane (one code point, two UTF-16 units), a flag (two code points), a
# family joined by zero-width joiners, a combining accent, and right-to-left words: the server counts code
# points, the browser UTF-16 units, and every offset sent must be the server's.
UNICODE_TEXT = (
    "Fans cheer in every script\n\n"
    "Fans cheered 😀 as the team from 🇫🇷 won; the cafe\u0301 crowd sang שלום and مرحبا before the final "
    "whistle, and 👨\u200d👩\u200d👧\u200d👦 families stayed late.\n\n"
    "Later 😀😀 the square emptied, said Marie Dupont, the café owner 👍🏽."
)


def test_selections_around_emoji_combining_marks_and_right_to_left_words_name_the_article_text(
    page, live_server, alice
):
    from tests.helpers import import_article

    article = import_article(text=UNICODE_TEXT)
    page.clock.install()
    _log_in(page, live_server, article.get_absolute_url())
    # Random ends fall inside surrogate pairs too: the selections' offsets count UTF-16 units.
    assert _checked_random_selections(page, article.text, 1) >= 25


def test_a_passage_after_emoji_and_a_flag_is_highlighted(page, live_server, alice):
    from articles.models import Annotation
    from tests.helpers import import_article

    article = import_article(text=UNICODE_TEXT)
    _log_in(page, live_server, article.get_absolute_url())
    for passage in [
        "won; the cafe\u0301 crowd sang שלום and مرحبا",
        "families stayed late",
        "the café owner 👍🏽",
    ]:
        start = article.text.index(passage)
        _select(page, article.text, passage)
        expect(page.locator("#annotate-toolbar")).to_be_visible()
        page.keyboard.press("h")
        expect(page.locator("#annotate-toolbar")).to_be_hidden()
        annotation = Annotation.objects.get(exact=passage)
        assert (annotation.start, annotation.end) == (start, start + len(passage))
        mark = page.locator(f'#article mark[data-annotation-id="{annotation.pk}"]')
        expect(mark.first).to_be_visible()
        assert "".join(mark.all_text_contents()) == passage


def test_the_annotation_list_pages_in_the_panel_without_a_reload(page, live_server, article, alice):
    from articles.views.annotations import ANNOTATIONS_PER_PAGE
    from tests.helpers import PASSAGE, create_annotation

    for number in range(ANNOTATIONS_PER_PAGE + 2):
        create_annotation(alice, article, note=f"Public note {number}", visibility="public")
    total = ANNOTATIONS_PER_PAGE + 2
    page.goto(f"{live_server.url}/articles/{article.pk}/annotations/")
    panel = page.locator("#panel")
    expect(panel.locator(".annotation-item")).to_have_count(ANNOTATIONS_PER_PAGE)
    page.evaluate("window.notReloaded = true")
    panel.get_by_role("link", name="Later in the text →").click()
    expect(panel.locator(".annotation-item")).to_have_count(2)
    expect(panel.locator(".pagination-here")).to_have_text(f"51–{total} of {total} (page 2 of 2)")
    assert page.url.endswith(f"/articles/{article.pk}/annotations/?page=2")
    assert page.evaluate("window.notReloaded") is True  # swapped in by htmx, not a new page
    assert PASSAGE[:20] in panel.inner_text()
    page.go_back()
    expect(panel.locator(".annotation-item")).to_have_count(ANNOTATIONS_PER_PAGE)
