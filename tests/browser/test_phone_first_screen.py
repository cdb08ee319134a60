"""On a phone the reading starts on the first screen: the header folds into a menu, the legend and the reading
buttons into one control, and the library's bulk actions show only once an article is ticked."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.test_screens import OVERFLOWING

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = [{"width": 390, "height": 844}, {"width": 320, "height": 640}]
# What sticks out, with its box, for the failure message.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => e.outerHTML.slice(0, 80) + JSON.stringify(e.getBoundingClientRect()))"""
FIRST_SCREEN = 0.6  # the share of the screen's height above which the text must start


@pytest.fixture
def reader(transactional_db, seed_text, django_user_model):
    """The seed and a second article in a logged-in reader's library, and that reader's session cookie."""
    from django.test import Client

    from tests.helpers import TEXT, import_article

    article = import_article(text=seed_text)
    import_article(text=TEXT)
    user = django_user_model.objects.create_user("reader", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    return article, client.cookies["sessionid"].value


def _phone(browser, live_server, viewport, scheme, session, *, javascript=True):
    context = new_context(browser, viewport=viewport, color_scheme=scheme, java_script_enabled=javascript)
    context.set_default_timeout(15000)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context, context.new_page()


def _serious(page):
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:4]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _fits(page, width, what):
    assert page.evaluate(OVERFLOWING) == [], (what, page.evaluate(STICKING_OUT))
    assert page.evaluate("document.documentElement.scrollWidth") <= width, what


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", PHONES, ids=["390x844", "320x640"])
def test_the_text_and_the_first_card_start_on_the_first_screen_of_a_phone(
    browser, live_server, reader, viewport, scheme
):
    article, session = reader
    context, page = _phone(browser, live_server, viewport, scheme, session)
    limit = viewport["height"] * FIRST_SCREEN

    page.goto(live_server.url + article.get_absolute_url())
    first_paragraph = page.locator("#article p.para").first
    top = first_paragraph.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top < limit, f"the first paragraph starts at y={top}, below {limit}"
    _fits(page, viewport["width"], "article")
    assert _serious(page) == []

    # The menu opens from its one button and holds the site's links, the search and the account.
    menu = page.locator(".site-menu > summary")
    expect(page.get_by_role("link", name="Feeds")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Feeds")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the library")).to_be_visible()
    expect(page.get_by_role("link", name="Notebook")).to_be_visible()
    _fits(page, viewport["width"], "article with the menu open")
    assert _serious(page) == []
    menu.click()
    expect(page.get_by_role("link", name="Feeds")).to_be_hidden()

    # The legend and the reading buttons are behind one control, and work once it is open.
    tools = page.locator(".reading-tools > summary")
    expect(page.get_by_role("button", name="Mark read")).to_be_hidden()
    expect(page.locator(".legend")).to_be_hidden()
    tools.click()
    expect(page.get_by_role("button", name="Mark read")).to_be_visible()
    person = page.locator('#article .para a.ent[data-label="PERSON"]').first
    page.get_by_label("Person").uncheck()
    assert person.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    page.get_by_label("Person").check()
    _fits(page, viewport["width"], "article with the reading tools open")
    assert _serious(page) == []

    page.goto(live_server.url + "/")
    first_card = page.locator(".article-card").first
    top = first_card.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top < limit, f"the first card starts at y={top}, below {limit}"
    _fits(page, viewport["width"], "library")
    assert _serious(page) == []
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_bulk_actions_show_once_an_article_is_ticked(browser, live_server, reader, javascript):
    from articles.models import ReadingState

    _, session = reader
    viewport = PHONES[1]
    context, page = _phone(browser, live_server, viewport, "light", session, javascript=javascript)
    page.goto(live_server.url + "/")
    actions = page.get_by_role("group", name="With the selected articles")
    expect(actions).to_be_hidden()
    ticks = page.locator(".bulk-select")
    ticks.first.check()
    expect(actions).to_be_visible()
    expect(actions).to_be_in_viewport()
    _fits(page, viewport["width"], "library with the bulk actions")
    # The bar leaves the ticked card in reach: the last card can still be scrolled clear of it.
    ticks.last.check()
    ticks.last.scroll_into_view_if_needed()
    bar = actions.bounding_box()
    last = ticks.last.bounding_box()
    assert last["y"] + last["height"] <= bar["y"], (last, bar)
    ticks.last.uncheck()
    actions.get_by_role("button", name="Mark read").click()
    expect(page.locator(".library-view[data-state='read'] .count")).to_have_text("1")
    assert ReadingState.objects.filter(read=True).count() == 1
    expect(actions).to_be_hidden()
    context.close()


def test_the_phone_menu_opens_and_closes_from_the_keyboard(browser, live_server, reader):
    article, session = reader
    context, page = _phone(browser, live_server, PHONES[1], "dark", session)
    page.goto(live_server.url + article.get_absolute_url())
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.site-menu > summary')"):
            break
    expect(page.locator(".site-menu > summary")).to_be_focused()
    expect(page.locator(".site-menu > summary")).to_have_accessible_name("Menu")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Library")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Library")).to_be_hidden()
    context.close()
