"""A reader saves a page by its address and subscribes to a feed, in Chromium against a local news site."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from articles.models import Article
from tests.helpers import run_tasks
from tests.local_server import Reply
from tests.web import COUNCIL, HARBOUR, news_site, photo, photo_page, story_page

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()


def test_reader_saves_a_page_by_its_address_and_sees_it_highlighted(page, live_server, local_web, alice):
    url = local_web.route("/2025/harbour", Reply(story_page(*HARBOUR)))
    _log_in(page, live_server, "/articles/new/")
    page.get_by_label("Address of the article").fill(url)
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator("h1.headline")).to_have_text(HARBOUR[0])
    expect(page.locator(".analysis-status")).to_contain_text("Analysing")

    run_tasks()  # the worker `make run` starts beside gunicorn

    quote = page.locator('.quote[data-speaker="Perry White"]')
    expect(quote).to_be_visible(timeout=10000)
    expect(page.locator(".meta .source")).to_have_text("The Daily Planet")


def test_the_bookmarklet_opens_the_form_filled_in(page, live_server, alice):
    _log_in(page, live_server, "/articles/new/?url=https%3A%2F%2Fplanet.example%2Fstory&title=A%20story")
    expect(page.get_by_label("Address of the article")).to_have_value("https://planet.example/story")
    href = page.get_by_role("link", name="Save to newsreader").get_attribute("href")
    assert href.startswith("javascript:location.href=") and live_server.url + "/articles/new/?url=" in href


# The walk's page (D1): its <title> carries the site's name, its headline is the <h1>, its text a dateline.
STORM = (
    "Winter storm closes schools",
    "SPRINGFIELD — A winter storm closed every school in the county on Monday, and the roads department said "
    "the main routes would not be clear before Wednesday.",
    "“Stay home if you can,” said Mayor Dana Whitfield, who asked drivers to keep off the hill roads.",
)


def test_the_bookmarklet_saves_the_page_with_its_own_headline(page, live_server, local_web, alice):
    url = local_web.route("/news/storm", Reply(story_page(*STORM, site="The Springfield Herald")))
    _log_in(page, live_server, "/articles/new/")
    bookmarklet = page.get_by_role("link", name="Save to newsreader").get_attribute("href")
    page.goto(url)
    assert page.title() == "Winter storm closes schools | The Springfield Herald"
    page.evaluate(bookmarklet.removeprefix("javascript:"))  # what clicking the bookmark runs on the page
    page.wait_for_url(re.compile(r"/articles/new/\?url="))
    expect(page.get_by_label("Address of the article")).to_have_value(url)
    expect(page.get_by_label("Headline")).to_have_value("")
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator("h1.headline")).to_have_text(STORM[0])
    expect(page.locator(".meta .dateline")).to_have_text("SPRINGFIELD")
    expect(page.locator(".para").first).to_contain_text("A winter storm closed every school")
    # The site's name is the source, never part of the headline.
    expect(page.locator(".meta .source")).to_have_text("The Springfield Herald")


def test_reader_subscribes_to_a_feed_and_sees_its_entries(page, live_server, local_web, alice):
    urls = news_site(local_web)
    _log_in(page, live_server, "/feeds/")
    page.get_by_label("Feed address").fill(urls["feed"])
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("h1")).to_have_text("The Daily Planet")
    expect(page.locator(".messages")).to_contain_text("Subscribed to “The Daily Planet”")

    run_tasks()  # the first check, queued on subscribing, then the analyses it queued

    page.reload()
    entries = page.locator(".feed-entry a")
    expect(entries).to_have_count(2)
    expect(page.locator(".feed-entries")).to_contain_text(COUNCIL[0])
    page.get_by_role("link", name=HARBOUR[0]).click()
    expect(page.locator('.quote[data-speaker="Perry White"]')).to_be_visible()
    page.goto(live_server.url + "/feeds/")
    expect(page.locator("table.feeds")).to_contain_text(re.compile(r"The Daily Planet"))


def test_save_now_saves_the_page_in_one_click_and_lands_on_the_article(page, live_server, local_web, alice):
    url = local_web.route("/news/storm", Reply(story_page(*STORM, site="The Springfield Herald")))
    _log_in(page, live_server, "/articles/new/")
    bookmarklet = page.get_by_role("link", name="Save now").get_attribute("href")
    page.goto(url)
    page.evaluate(bookmarklet.removeprefix("javascript:"))  # what clicking the bookmark runs on the page
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    expect(page.locator("h1.headline")).to_have_text(STORM[0])
    expect(page.locator(".meta .source")).to_have_text("The Springfield Herald")
    assert Article.objects.get().added_by == alice
    # The same page again lands on the same article, saying so.
    page.goto(url)
    page.evaluate(bookmarklet.removeprefix("javascript:"))
    expect(page.locator(".messages")).to_contain_text(
        "already in the library" if settings.NEWSREADER_LIBRARY == "shared" else "already in your library"
    )
    assert Article.objects.count() == 1


def test_a_planted_save_link_only_asks_and_a_page_that_fails_lands_on_the_form(
    page, live_server, local_web, alice
):
    broken = local_web.route("/gone", Reply(b"", status=404))
    planted = f"<a href='{live_server.url}/articles/save/?url={broken}'>win a prize</a>"
    lure = local_web.route("/lure", Reply(f"<!doctype html><title>Lure</title>{planted}".encode()))
    _log_in(page, live_server, "/articles/new/")
    page.goto(lure)
    page.get_by_role("link", name="win a prize").click()
    expect(page.get_by_role("button", name="Save now")).to_be_visible()
    assert (
        "/gone" not in local_web.paths_requested
    )  # nothing fetched, nothing saved, until the reader says so
    page.get_by_role("button", name="Save now").click()  # the reader's own choice
    expect(page.get_by_role("alert")).to_contain_text("404")
    expect(page.get_by_label("Address of the article")).to_have_value(broken)
    assert not Article.objects.exists()


def test_a_page_shared_from_a_phone_is_saved_at_once(page, live_server, local_web, alice):
    url = local_web.route("/2025/harbour", Reply(story_page(*HARBOUR)))
    _log_in(page, live_server, "/articles/new/")
    # The share sheet opens the manifest's share target itself (the browser, not a page, asks for it).
    page.goto(f"{live_server.url}/articles/save/?title=Harbour%20%7C%20Planet&text={url}")
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    expect(page.locator("h1.headline")).to_have_text(HARBOUR[0])


def test_a_saved_pages_photo_is_shown_from_newsreader_and_fits_a_phone(
    page, live_server, local_web, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    local_web.route("/img/harbour.jpg", Reply(photo(1200, 800), content_type="image/jpeg"))
    figure = "<figure><img src='/img/harbour.jpg' alt='Boats in the harbour'><figcaption>Boats return.</figcaption></figure>"
    url = local_web.route("/2025/harbour", Reply(photo_page(figures=figure)))
    _log_in(page, live_server, "/articles/new/")
    page.get_by_label("Address of the article").fill(url)
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator("h1.headline")).to_have_text(HARBOUR[0])
    run_tasks()  # the worker fetches and keeps the photo
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    image = page.get_by_role("img", name="Boats in the harbour")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1200
    assert image.evaluate("img => img.getBoundingClientRect().right") <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert image.get_attribute("loading") == "lazy"
    assert all(address.startswith(live_server.url) for address in requested)  # nothing from the page's site
