"""The feed reader in Chromium: a feed page that shows what "Check now" brought without a reload, the unread
list and "Mark all read" with the keyboard alone and without JavaScript, and no serious axe violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.helpers import run_tasks
from tests.web import COUNCIL, HARBOUR, news_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def followed(local_web, alice):
    """Alice follows the local news site's feed, which has not been checked yet."""
    from articles.models import Feed, Subscription

    urls = news_site(local_web)
    feed = Feed.objects.create(url=urls["feed"], title="The Daily Planet")
    Subscription.objects.create(reader=alice, feed=feed, folder="Local")
    return feed


def _log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_check_now_brings_the_entries_onto_the_open_page_without_a_reload(page, live_server, followed):
    _log_in(page, live_server, followed.get_absolute_url())
    expect(page.locator(".feed-entry")).to_have_count(0)
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".feed-checking")).to_have_text("Checking now…")
    page.evaluate("window.stillTheSamePage = true")

    run_tasks()  # the worker `make run` starts: the check, then the analyses it queued

    expect(page.locator(".feed-entry a")).to_have_count(2, timeout=20000)
    expect(page.locator(".feed-entries")).to_contain_text(COUNCIL[0])
    expect(page.locator(".feed-checking")).to_have_count(0)
    expect(page.locator(".feed-entry .badge--unread")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True  # the page was never loaded again
    # The asking stops once the check and the analyses are over.
    expect(page.locator("#feed-live")).not_to_have_attribute("hx-trigger", re.compile("."))


def test_the_unread_list_and_mark_all_read_work_from_the_keyboard(page, live_server, followed):
    from articles.services.feed_checks import feed_poll

    feed_poll(feed=followed)
    _log_in(page, live_server, "/feeds/")
    for _ in range(40):  # Tab from the top of the page to the link, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Unread from your feeds: 2"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/feeds/unread/$"))
    expect(page.locator(".feed-unread-list .feed-entry")).to_have_count(2)
    expect(page.locator(".feed-unread-list")).to_contain_text(HARBOUR[0])
    page.get_by_role("button", name="Mark all read").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Marked 2 articles read.")
    expect(page.locator(".empty")).to_contain_text("Nothing unread")


def test_the_feed_pages_work_without_javascript(browser, live_server, followed):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    _log_in(page, live_server, followed.get_absolute_url())
    page.get_by_role("button", name="Check now").click()
    expect(page.locator(".messages")).to_contain_text("A check of this feed is queued")

    run_tasks()

    page.reload()  # without JavaScript the page does not ask again by itself: a reload shows the entries
    expect(page.locator(".feed-entry a")).to_have_count(2)
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".messages")).to_contain_text("Marked 2 articles of “The Daily Planet” read.")
    expect(page.locator(".badge--unread")).to_have_count(0)
    page.locator("summary", has_text="Name and folder").click()
    page.get_by_label("Folder").fill("Harbour news")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".kicker")).to_contain_text("Harbour news")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_feed_pages_have_no_serious_accessibility_violation(browser, live_server, followed, scheme):
    from articles.services.feed_checks import feed_poll

    feed_poll(feed=followed)
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    _log_in(page, live_server, "/feeds/")
    found = {}
    for url in [
        "/feeds/",
        "/feeds/unread/",
        followed.get_absolute_url(),
        f"{followed.get_absolute_url()}unsubscribe/",
    ]:
        page.goto(live_server.url + url)
        violations = [
            f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:4]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if violations:
            found[url] = violations
    assert found == {}
    context.close()
