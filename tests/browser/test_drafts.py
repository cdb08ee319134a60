"""A note being written is never lost: Escape in a field, a click elsewhere in the article, Back."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.test_annotations import _log_in, _select
from tests.helpers import TEXT

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=[("desktop", "light"), ("phone", "dark")], ids=["desktop-light", "phone-dark"])
def screen(request, browser):
    viewport, scheme = request.param
    context = new_context(browser, viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _start_a_note(page, live_server, article):
    _log_in(page, live_server, article.get_absolute_url())
    _select(page, TEXT, "settle the budget")
    page.locator("#annotate-toolbar").get_by_role("button", name="Annotate").click()
    note = page.locator("#panel").get_by_label("Note")
    expect(note).to_be_focused()
    note.fill("Half a thought about the budget")
    return note


def test_escape_in_the_note_keeps_the_panel_and_the_draft(screen, live_server, article, alice):
    note = _start_a_note(screen, live_server, article)
    screen.keyboard.press("Escape")
    expect(note).to_be_visible()
    expect(note).to_have_value("Half a thought about the budget")


def test_a_click_on_a_name_while_writing_asks_and_keeps_the_draft_unless_told_to_discard(
    screen, live_server, article, alice
):
    from articles.models import Annotation

    note = _start_a_note(screen, live_server, article)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    screen.once("dialog", dismiss)
    name = screen.locator("#article a.ent").first
    name.evaluate("(element) => element.scrollIntoView({block: 'start'})")  # above a phone's sheet
    with screen.expect_event("dialog"):
        name.click()
    expect(note).to_have_value("Half a thought about the budget")
    assert asked == ["Discard the note you are writing?"]
    expect(screen.locator("#panel .panel-entity-name")).to_have_count(0)

    # Told to go: the name's panel opens; Back brings the form again, with the draft in it.
    screen.once("dialog", lambda dialog: dialog.accept())
    quote = screen.locator("#article a.quote-tag").first
    quote.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    quote.click()
    expect(screen.locator("#panel .speaker-name")).to_be_visible()
    assert not Annotation.objects.exists()


def test_back_after_leaving_brings_the_draft_back_and_saving_clears_it(screen, live_server, article, alice):
    from articles.models import Annotation

    _start_a_note(screen, live_server, article)
    if screen.viewport_size["width"] < 640:
        screen.locator(".site-menu > summary").click()  # on a phone the search is in the header's menu
    screen.get_by_role("searchbox", name="Search the library").fill("budget")
    screen.keyboard.press("Enter")  # leaving the page keeps the draft in the tab
    expect(screen).to_have_url(f"{live_server.url}/search/?q=budget")
    screen.go_back()
    _select(screen, TEXT, "settle the budget")
    screen.locator("#annotate-toolbar").get_by_role("button", name="Annotate").click()
    note = screen.locator("#panel").get_by_label("Note")
    expect(note).to_have_value("Half a thought about the budget")
    expect(screen.locator("#panel .draft-restored")).to_be_visible()
    screen.locator("#panel").get_by_role("button", name="Save annotation").click()
    expect(screen.locator("#panel .note")).to_contain_text("Half a thought about the budget")
    assert Annotation.objects.get().note == "Half a thought about the budget"
    assert (
        screen.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('newsreader-draft'))") == []
    )


def test_a_quick_highlight_stays_quick_and_leaves_the_open_panel_and_address_be(
    screen, live_server, article, alice
):
    from articles.models import Annotation

    _log_in(screen, live_server, article.get_absolute_url())
    screen.locator("#article a.quote-tag").first.click()
    expect(screen.locator("#panel .panel-quote")).to_be_visible()
    address = screen.url
    _select(screen, TEXT, "settle the budget")
    expect(screen.locator("#annotate-toolbar")).to_be_visible()
    screen.keyboard.press("h")
    expect(screen.locator("#annotation-count")).to_have_text("1")
    highlight = Annotation.objects.get()
    expect(screen.locator(f'#article mark[data-annotation-id="{highlight.pk}"]').first).to_be_visible()
    expect(screen.locator("#panel .panel-quote")).to_be_visible()  # the quote's panel is still open
    assert screen.url == address
    expect(screen.locator("#annotate-status")).to_have_text("Highlighted.")
