"""Every screen: phones as narrow as 320 px, a desktop, light and dark schemes, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The elements that stick out past the right edge of the window (empty when the page fits).
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => e.tagName.toLowerCase() + '.' + e.className)"""


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


def _context(browser, viewport, *, scheme="light", javascript=True):
    # Without JavaScript every panel is a page that lands on a #fragment and scrolls to it (in one step: the
    # reader asks for reduced motion, see conftest.new_context); a mouse click during that scroll hits whatever
    # has moved under the pointer. The tests that follow links from such a page activate them with the
    # keyboard, which has no pointer.
    context = new_context(browser, viewport=viewport, color_scheme=scheme, java_script_enabled=javascript)
    context.set_default_timeout(15000)
    return context


def _pages(article):
    quote = article.quotes.exclude(speaker=None).first()
    entity = article.entities.filter(label="PERSON").first()
    return [
        "/",
        article.get_absolute_url(),
        quote.get_absolute_url(),
        entity.get_absolute_url(),
        f"/articles/{article.pk}/annotations/",
        "/search/?q=Trump",
        "/who-is-quoted/",
        "/feeds/",
        "/articles/new/",
        "/accounts/login/",
        "/accounts/signup/",
        "/no-such-page/",
    ]


@pytest.mark.parametrize("width", [320, 390, 430])
def test_no_page_is_wider_than_a_phone(browser, live_server, seeded, width):
    context = _context(browser, {"width": width, "height": 844})
    page = context.new_page()
    for url in _pages(seeded):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        assert page.evaluate(OVERFLOWING) == [], url
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_tapped_quote_opens_a_sheet_on_the_phone_screen_with_its_close_in_reach(
    browser, live_server, seeded, scheme
):
    context = new_context(browser, viewport=PHONE, color_scheme=scheme, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    quote = page.locator('.quote[data-speaker="Kim Eui-kyeom"]').first
    quote.scroll_into_view_if_needed()
    quote.tap(position={"x": 4, "y": 4})
    close = page.locator("#panel .panel-close")
    expect(close).to_be_visible()
    box = close.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    expect(close).to_be_in_viewport()
    settled(page)  # the quote scrolled above the sheet
    close.tap()
    expect(page.locator("#panel .panel-close")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("line_width", ["normal", "narrow", "wide"])
def test_the_reading_column_stays_still_when_a_panel_opens_and_closes(
    browser, live_server, seeded, line_width
):
    context = _context(browser, DESKTOP)
    cookie = {"name": "newsreader_preferences", "value": f"line_width%3D{line_width}", "url": live_server.url}
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    assert page.locator("html").get_attribute("data-line-width") == line_width
    column = page.locator("#article")
    before = column.bounding_box()
    page.locator('.quote[data-speaker="Kim Eui-kyeom"] .quote-tag').first.click()
    expect(page.locator("#panel .speaker-name")).to_have_text("Kim Eui-kyeom")
    opened = column.bounding_box()
    page.keyboard.press("Escape")
    expect(page.locator("#panel .speaker-name")).to_have_count(0)
    closed = column.bounding_box()
    assert (opened["x"], opened["width"]) == (before["x"], before["width"])
    assert (closed["x"], closed["width"]) == (before["x"], before["width"])
    context.close()


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_legend_switches_work_without_javascript(browser, live_server, seeded, screen):
    context = _context(browser, screen, javascript=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    if screen == PHONE:  # the legend is folded with the reading buttons into one control
        page.get_by_text("Highlights and reading").click()
    person = page.locator('#article .para a.ent[data-label="PERSON"]').first
    tag = page.locator("#article .para a.quote-tag:not(.quote-tag--said)").first
    decoration = "(element) => getComputedStyle(element).textDecorationLine"
    assert person.evaluate(decoration) == "underline"
    page.get_by_label("Person").uncheck()
    assert person.evaluate(decoration) == "none"
    page.get_by_label("“Quotes”").uncheck()
    expect(tag).to_be_hidden()
    page.get_by_label("Person").check()
    assert person.evaluate(decoration) == "underline"
    context.close()


@pytest.fixture
def subscribed(transactional_db, seeded, django_user_model):
    """A logged-in reader's session cookie, with a feed whose address, name and last error are long, and a
    long source name to pick on "Who is quoted"."""
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article, Feed, QuoteTally, Subscription

    long_source = "The Springfield Herald and Valley Gazette"
    Article.objects.filter(pk=seeded.pk).update(source=long_source)
    QuoteTally.objects.update(source=long_source)

    user = django_user_model.objects.create_user("reader", password="a-long-password-1")
    feed = Feed.objects.create(
        url="http://127.0.0.1:8142/news/sections/politics-and-government/feed.xml",
        title="The Springfield Herald: Politics and Government",
        last_checked=timezone.now(),
        last_error="The feed's address answered 404 Not Found.",
    )
    Subscription.objects.create(reader=user, feed=feed, folder="Local politics and government in the valley")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("width", [320, 390, 430])
def test_feeds_and_who_is_quoted_fit_a_phone_for_a_logged_in_reader(browser, live_server, subscribed, width):
    context = _context(browser, {"width": width, "height": 844})
    context.add_cookies([{"name": "sessionid", "value": subscribed, "url": live_server.url}])
    page = context.new_page()
    for url in [
        "/feeds/",
        "/feeds/unread/",
        "/who-is-quoted/",
        "/who-is-quoted/?said=reported",
        "/who-is-quoted/?said=quoted",
    ]:
        page.goto(live_server.url + url)
        assert page.evaluate(OVERFLOWING) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    # Every column of the feeds table is on the screen, Status included, for the logged-in reader.
    page.goto(live_server.url + "/feeds/")
    expect(page.get_by_role("heading", name="Subscribe")).to_be_visible()
    status = page.get_by_text("Problem: The feed's address answered 404")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    context.close()


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_without_javascript_closing_a_panel_goes_back_to_the_quote_or_the_name(
    browser, live_server, seeded, screen
):
    context = _context(browser, screen, javascript=False)
    page = context.new_page()
    page.goto(live_server.url + seeded.get_absolute_url())
    tag = page.locator('#article .quote[data-speaker="Kim Eui-kyeom"] a.quote-tag').last
    quote_id = tag.get_attribute("id")
    tag.click()
    expect(page.locator("#panel .speaker-name")).to_have_text("Kim Eui-kyeom")
    page.locator("#panel .panel-close").press("Enter")
    page.wait_for_url(f"{live_server.url}{seeded.get_absolute_url()}#{quote_id}")  # a whole page: may be slow
    expect(page.locator("#panel .speaker-name")).to_have_count(0)
    expect(page.locator(f"#{quote_id}")).to_be_in_viewport()
    # A name's panel closes back to the mention that opened it.
    name = page.locator('#article .para a.ent[data-label="PERSON"]').nth(12)
    mention_id = name.get_attribute("id")
    name.press("Enter")
    expect(page.locator("#panel .panel-entity-name")).to_be_visible()
    page.locator("#panel .panel-close").press("Enter")
    page.wait_for_url(f"{live_server.url}{seeded.get_absolute_url()}#{mention_id}")
    expect(page.locator("#panel .panel-entity-name")).to_have_count(0)
    expect(page.locator(f"#{mention_id}")).to_be_in_viewport()
    context.close()


def test_without_javascript_closing_an_annotation_s_panel_goes_back_to_its_highlight(
    browser, live_server, seeded, django_user_model
):
    from tests.helpers import create_annotation

    alice = django_user_model.objects.create_user("alice", password="a-long-password-1")
    last = seeded.blocks.filter(kind="paragraph").last()
    passage = seeded.text[last.start : last.end].split(".")[0]
    note = create_annotation(alice, seeded, passage, note="Far down the page", visibility="public")
    context = _context(browser, DESKTOP, javascript=False)
    page = context.new_page()
    page.goto(live_server.url + note.get_absolute_url())
    expect(page.locator("#panel")).to_contain_text("Far down the page")
    page.locator("#panel .panel-close").press("Enter")
    page.wait_for_url(f"{live_server.url}{seeded.get_absolute_url()}#annotation-{note.pk}")
    expect(page.locator(f"#annotation-{note.pk}")).to_be_in_viewport()
    context.close()
