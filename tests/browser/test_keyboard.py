"""The article from the keyboard alone: quotes as tab stops, j/k/Enter/?, names by the arrow keys, focus back
where it was when a panel closes, and a passage selected sentence by sentence and highlighted."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.test_annotations import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Links in the article text that Tab reaches.
TAB_STOPS = """() => [...document.querySelectorAll('#article [data-start] a[href]')]
  .filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0).length"""


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


@pytest.fixture(params=[("desktop", "light"), ("phone", "dark")], ids=["desktop-light", "phone-dark"])
def screen(request, browser):
    viewport, scheme = request.param
    context = new_context(browser, viewport=SCREENS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _focused(page, attribute="id"):
    return page.evaluate(f"document.activeElement.getAttribute('{attribute}')")


def test_quotes_are_the_tab_stops_and_names_are_reached_with_the_arrows(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    quotes = screen.locator("#article a.quote-tag").count()
    names = screen.locator("#article a.ent").count()
    assert names > 100
    expect(screen.locator("#article a.ent").first).to_have_attribute("tabindex", "-1")
    assert screen.evaluate(TAB_STOPS) == quotes

    # From the top of the page, Tab reaches the first quote through the header, the article's tools and the
    # legend, and no name.
    presses = 0
    while not (_focused(screen, "class") or "").startswith("quote-tag"):
        screen.keyboard.press("Tab")
        presses += 1
        assert "ent" not in (_focused(screen, "class") or "").split()
        assert presses < 40

    first_quote = _focused(screen)
    screen.keyboard.press("ArrowRight")
    assert "ent" in _focused(screen, "class").split()
    screen.keyboard.press("ArrowLeft")
    assert _focused(screen) == first_quote

    # A type switched off in the legend is skipped by the arrows.
    if screen.viewport_size["width"] == SCREENS["phone"]["width"]:
        screen.get_by_text("Highlights and reading").click()  # the legend is folded on a phone
    screen.get_by_label("Person").uncheck()
    screen.locator(f"#{first_quote}").focus()
    for _ in range(8):
        screen.keyboard.press("ArrowRight")
        assert screen.evaluate("document.activeElement.dataset.label") != "PERSON"


def test_j_k_enter_escape_and_focus_back_on_the_quote(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    tags = screen.locator("#article a.quote-tag")
    screen.keyboard.press("j")
    expect(tags.nth(0)).to_be_focused()
    screen.keyboard.press("j")
    screen.keyboard.press("j")
    expect(tags.nth(2)).to_be_focused()
    screen.keyboard.press("k")
    expect(tags.nth(1)).to_be_focused()
    opened = tags.nth(1).get_attribute("id")

    screen.keyboard.press("Enter")
    expect(screen.locator("#panel .panel-quote")).to_be_visible()
    expect(screen.locator("#panel")).to_be_focused()
    screen.keyboard.press("Escape")
    expect(screen.locator("#panel .panel-quote")).to_have_count(0)
    expect(screen.locator(f"#{opened}")).to_be_focused()  # not <body>

    # A name opened with Enter, closed with the panel's own Close link: focus back on the name.
    screen.keyboard.press("ArrowRight")
    while "ent" not in _focused(screen, "class").split():
        screen.keyboard.press("ArrowRight")
    name = screen.evaluate("document.activeElement.id")
    screen.keyboard.press("Enter")
    expect(screen.locator("#panel .panel-entity-name")).to_be_visible()
    screen.locator("#panel .panel-close").focus()
    screen.keyboard.press("Enter")
    expect(screen.locator("#panel .panel-entity-name")).to_have_count(0)
    expect(screen.locator(f"#{name}")).to_be_focused()


def test_question_mark_lists_the_keys(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    screen.keyboard.press("?")
    dialog = screen.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next quote")
    screen.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_sentence_is_selected_extended_and_highlighted_from_the_keyboard(
    screen, live_server, seeded, alice
):
    from articles.models import Annotation

    _log_in(screen, live_server, seeded.get_absolute_url())
    tag = screen.locator('#article .quote[data-speaker="Kim Eui-kyeom"] a.quote-tag').first
    # The toolbar follows the selection after a short pause: each step waits until the passage it holds
    # is the one just selected, so h never highlights the one before.
    toolbar = screen.locator("#annotate-toolbar")
    passage = toolbar.locator('input[name="exact"]')
    tag.focus()
    screen.keyboard.press("s")
    expect(toolbar).to_be_visible()
    first = screen.evaluate("window.getSelection().toString()")
    first_passage = passage.input_value()
    screen.keyboard.press("s")
    expect(passage).not_to_have_value(first_passage)
    both = screen.evaluate("window.getSelection().toString()")
    both_passage = passage.input_value()
    assert both.startswith(first) and len(both) > len(first) + 10
    screen.keyboard.press("Shift+S")
    assert screen.evaluate("window.getSelection().toString()") == first
    expect(passage).to_have_value(first_passage)
    screen.keyboard.press("s")
    expect(passage).to_have_value(both_passage)
    screen.keyboard.press("h")
    expect(screen.locator("#annotation-count")).to_have_text("1")
    stored = Annotation.objects.get()
    # The two sentences as the article holds them (the speaker tag the page shows in between is not text).
    assert stored.exact.startswith(first[:30]) and stored.exact.endswith(both[-30:])
    assert stored.exact in seeded.text and "Kim Eui-kyeom Kim" not in stored.exact


def _tab_to_first_quote(page) -> int:
    presses = 0
    while not (_focused(page, "class") or "").startswith("quote-tag"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 60
    return presses


def test_skip_to_article_shows_on_focus_and_lands_before_the_first_quote(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    skip = screen.get_by_role("link", name="Skip to article")
    screen.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    viewport = screen.viewport_size
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
    assert 0 <= box["y"] < viewport["height"]
    screen.keyboard.press("Enter")
    expect(screen.locator("#text-start")).to_be_focused()
    assert screen.locator("#text-start").evaluate("e => e.getBoundingClientRect().top") < viewport["height"]
    # One Tab from the text to its first quote: the article's tools and legend are behind.
    assert _tab_to_first_quote(screen) == 1
    assert "Skip to article" not in (_focused(screen, "class") or "")

    # Without the skip link, the legend is one stop whatever the number of types it lists.
    screen.goto(live_server.url + seeded.get_absolute_url())
    presses = _tab_to_first_quote(screen)
    switches = screen.locator(".legend input[data-toggle]").count()
    assert switches >= 6
    assert presses <= 20, presses


def test_the_arrow_keys_move_between_the_legend_switches_and_space_switches(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    boxes = screen.locator(".legend input[data-toggle]")
    for _ in range(40):
        screen.keyboard.press("Tab")
        if screen.evaluate("document.activeElement.textContent") == "Highlights and reading":
            screen.keyboard.press("Enter")  # on a phone the legend is folded into this control
        if screen.evaluate("document.activeElement.dataset.toggle"):
            break
    expect(boxes.first).to_be_focused()
    screen.keyboard.press("ArrowRight")
    expect(boxes.nth(1)).to_be_focused()
    kind = boxes.nth(1).get_attribute("data-toggle")
    screen.keyboard.press("Space")
    expect(boxes.nth(1)).not_to_be_checked()
    if kind == "said":  # reported speech, the switch after the quotes'
        switched_off = screen.locator("#article .quote--said").first
        assert switched_off.evaluate("e => getComputedStyle(e).borderBottomStyle") == "none"
    else:
        switched_off = screen.locator(f"#article .ent[data-label='{kind}']").first
        assert switched_off.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    screen.keyboard.press("End")
    expect(boxes.last).to_be_focused()
    screen.keyboard.press("Home")
    expect(boxes.first).to_be_focused()
    # Tab leaves the legend at once.
    screen.keyboard.press("Tab")
    assert screen.evaluate("document.activeElement.dataset.toggle") is None


def test_without_javascript_skip_to_article_lands_on_the_text(browser, live_server, seeded):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to article")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#text-start")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#article [data-start]') !== null")
    context.close()


# The focused element's middle, as a share of the viewport's height.
FOCUS_HEIGHT = """() => {
  const box = document.activeElement.getBoundingClientRect();
  return (box.top + box.height / 2) / window.innerHeight;
}"""
IN_THE_MIDDLE_THIRD = f"() => {{ const at = ({FOCUS_HEIGHT})(); return at >= 1 / 3 && at <= 2 / 3; }}"


def test_after_skip_to_article_escape_brings_focus_back_to_the_quote(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    screen.keyboard.press("Tab")
    screen.keyboard.press("Enter")  # Skip to article: the address now ends in #text-start
    expect(screen.locator("#text-start")).to_be_focused()
    screen.keyboard.press("Tab")
    first = _focused(screen)
    for _ in range(5):
        screen.keyboard.press("j")
    opened = _focused(screen)
    assert opened != first and "quote-tag" in _focused(screen, "class").split()
    screen.keyboard.press("Enter")
    expect(screen.locator("#panel .panel-quote")).to_be_visible()
    screen.keyboard.press("Escape")
    expect(screen.locator("#panel .panel-quote")).to_have_count(0)
    expect(screen.locator(f"#{opened}")).to_be_focused()
    expect(screen.locator(f"#{opened}")).to_be_in_viewport()
    # The next Tab goes on from the quote (to the next one), not from the top of the article.
    screen.keyboard.press("Tab")
    assert "quote-tag" in _focused(screen, "class").split()
    assert screen.evaluate(
        "(id) => !!(document.getElementById(id).compareDocumentPosition(document.activeElement) & 4)", opened
    )


def test_j_and_k_keep_the_focused_quote_in_the_middle_third_of_the_screen(screen, live_server, seeded):
    screen.goto(live_server.url + seeded.get_absolute_url())
    tags = screen.locator("#article a.quote-tag")
    assert tags.count() >= 12
    for index in range(12):
        screen.keyboard.press("j")
        expect(tags.nth(index)).to_be_focused()
        if index >= 3:  # the first quotes are near the top of the page, which cannot scroll above them
            screen.wait_for_function(IN_THE_MIDDLE_THIRD)
    for index in range(10, 4, -1):
        screen.keyboard.press("k")
        expect(tags.nth(index)).to_be_focused()
        screen.wait_for_function(IN_THE_MIDDLE_THIRD)


# The focused element's middle, as a share of the part of the window above the panel's sheet.
ABOVE_THE_SHEET = """() => {
  const sheet = document.getElementById('panel').getBoundingClientRect().top;
  const box = document.activeElement.getBoundingClientRect();
  const at = (box.top + box.height / 2) / sheet;
  return sheet < window.innerHeight * 0.7 && at >= 1 / 3 && at <= 2 / 3;
}"""


def test_on_a_phone_j_and_k_keep_the_quote_in_the_middle_of_what_the_open_sheet_leaves(
    browser, live_server, seeded
):
    context = new_context(browser, viewport=SCREENS["phone"])
    phone = context.new_page()
    phone.set_default_timeout(15000)
    phone.goto(live_server.url + seeded.get_absolute_url())
    tags = phone.locator("#article a.quote-tag")
    phone.keyboard.press("j")
    expect(tags.nth(0)).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.locator("#panel .panel-quote")).to_be_visible()
    assert phone.evaluate("getComputedStyle(document.getElementById('panel')).position") == "fixed"
    tags.nth(2).focus()
    for index in range(3, 10):
        phone.keyboard.press("j")
        expect(tags.nth(index)).to_be_focused()
        phone.wait_for_function(ABOVE_THE_SHEET)
    for index in range(8, 4, -1):
        phone.keyboard.press("k")
        expect(tags.nth(index)).to_be_focused()
        phone.wait_for_function(ABOVE_THE_SHEET)
    expect(phone.locator("#panel .panel-quote")).to_be_visible()  # the sheet stayed open all along
    context.close()
