"""The feed reader's pages: unread articles across the reader's feeds, counts per feed, "Mark all read",
publication dates, and a feed page that keeps asking for itself while a check is on its way."""

import pytest
from django.urls import reverse

from articles.models import FeedEntry
from articles.services.feed_checks import feed_poll
from articles.services.feeds import feed_subscribe
from tests.helpers import logged_in
from tests.local_server import Reply
from tests.services.test_feed_subscriptions import _dated_feed, _story

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_feeds(local_web, alice):
    sport = _dated_feed(
        local_web,
        "/sport.xml",
        [
            _story("Cup final tonight", "Fri, 13 Jun 2025 18:00:00 +0000", "s1"),
            _story("Season opens", "Sun, 01 Jun 2025 09:00:00 +0000", "s2"),
        ],
        title="Sport Daily",
    )
    city = _dated_feed(
        local_web,
        "/city.xml",
        [_story("Budget vote", "Tue, 10 Jun 2025 08:00:00 +0000", "c1")],
        title="City Hall",
    )
    feeds = feed_subscribe(url=sport, user=alice, folder="Sport"), feed_subscribe(url=city, user=alice)
    for feed in feeds:
        feed_poll(feed=feed)
    return feeds


def test_the_unread_list_is_newest_first_by_publication_date_with_each_feed_named(client, alice, two_feeds):
    FeedEntry.objects.update(seen="2026-11-20T05:32:00Z")  # fetched all at once, long after publication
    page = logged_in(client, alice).get(reverse("articles:feeds_unread")).content.decode()
    titles = [page.index(title) for title in ("Cup final tonight", "Budget vote", "Season opens")]
    assert titles == sorted(titles) and "3 unread" in page
    assert '<time datetime="2025-06-13">13 Jun 2025</time>' in page and "20 Nov 2026" not in page
    assert "Sport Daily" in page and "City Hall" in page
    folder = client.get(reverse("articles:feeds_unread"), {"folder": "Sport"}).content.decode()
    assert "Cup final tonight" in folder and "Budget vote" not in folder and "2 unread" in folder
    feed_page = client.get(two_feeds[0].get_absolute_url()).content.decode()
    assert '<time datetime="2025-06-01">1 Jun 2025</time>' in feed_page and "20 Nov 2026" not in feed_page
    assert feed_page.index("Cup final tonight") < feed_page.index("Season opens")


def test_the_feed_list_counts_unread_per_feed_and_mark_all_read_clears_them(client, alice, two_feeds):
    sport, _city = two_feeds
    logged_in(client, alice)
    listing = client.get(reverse("articles:feeds")).content.decode()
    assert "Unread from your feeds: 3" in listing
    assert (
        f'data-feed-id="{sport.pk}"' in listing
        and '<td data-label="Unread" class="feed-unread">2</td>' in listing
    )
    upto = FeedEntry.objects.order_by("-pk").first().pk

    response = client.post(reverse("articles:feed_mark_read", args=[sport.pk]), {"upto": upto}, follow=True)

    assert "Marked 2 articles of “Sport Daily” read." in response.content.decode()
    assert "Unread from your feeds: 1" in client.get(reverse("articles:feeds")).content.decode()
    response = client.post(reverse("articles:feeds_mark_read"), {"upto": upto}, follow=True)
    assert "Marked 1 article read." in response.content.decode()
    assert "Nothing unread" in client.get(reverse("articles:feeds_unread")).content.decode()


def test_the_unread_list_needs_an_account_and_shows_only_ones_own_feeds(client, bob, two_feeds):
    response = client.get(reverse("articles:feeds_unread"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = logged_in(client, bob).get(reverse("articles:feeds_unread")).content.decode()
    assert "Nothing unread" in page and "Cup final" not in page
    for upto in (10**6, 10**30, "x\x00"):
        response = client.post(reverse("articles:feeds_mark_read"), {"upto": upto}, follow=True)
        assert "Marked 0 articles read." in response.content.decode()


def test_the_feed_page_asks_for_its_entries_again_only_while_a_check_is_on_its_way(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    feed = feed_subscribe(url=_dated_feed(local_web, "/x.xml", []), user=alice)
    logged_in(client, alice)
    live = {"HTTP_HX_REQUEST": "true"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("articles:feed_check", args=[feed.pk]))
    page = client.get(feed.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Checking now" in page
    partial = client.get(feed.get_absolute_url(), {"live": "1"}, **live).content.decode()
    assert partial.lstrip().startswith('<div id="feed-live"') and "<html" not in partial
    assert 'hx-trigger="every 2s"' in partial

    local_web.route("/x.xml", Reply(b"", status=500, content_type="text/plain"))
    from tests.helpers import run_tasks

    run_tasks()  # the check runs (and fails) and so ends

    partial = client.get(feed.get_absolute_url(), {"live": "1"}, **live).content.decode()
    assert "hx-trigger" not in partial and "Last problem" in partial and "500" in partial


def test_a_feeds_name_and_folder_are_the_readers_own_and_bad_ones_change_nothing(
    client, alice, bob, two_feeds
):
    from articles.models import Subscription

    sport, _city = two_feeds
    feed_subscribe(url=sport.url, user=bob)
    settings_url = reverse("articles:feed_settings", args=[sport.pk])
    logged_in(client, alice)
    response = client.post(settings_url, {"title": "  My   sport ", "folder": "Weekend"}, follow=True)
    assert "Saved: “My sport”, Weekend." in response.content.decode()
    assert (Subscription.objects.get(reader=bob, feed=sport).name, sport.title) == (
        "Sport Daily",
        "Sport Daily",
    )
    for bad in ({"folder": "x" * 201}, {"folder": "a\x00b"}, {"title": "t" * 301}):
        response = client.post(settings_url, {"title": "", "folder": "", **bad}, follow=True)
        page = response.content.decode()
        assert response.status_code == 200 and ("at most" in page or "Null characters" in page)
    mine = Subscription.objects.get(reader=alice, feed=sport)
    assert (mine.title, mine.folder) == ("My sport", "Weekend")
