"""Feeds per reader: one feed row per address checked once for all its subscribers, each new entry in every
subscriber's library, unsubscribing that touches nobody else, and the feed reader's unread counts and marks."""

import pytest

from articles.models import Article, Feed, FeedEntry, LibraryEntry, ReadingState, Subscription
from articles.models.feeds import unread_counts, unread_from_feeds
from articles.services.feed_checks import feed_poll
from articles.services.feeds import FeedRejected, feed_entries_mark_read, feed_subscribe, subscription_delete
from articles.services.reading import reading_mark
from tests.local_server import Reply
from tests.web import COUNCIL, HARBOUR, RSS, full_text, news_site, rss

pytestmark = pytest.mark.django_db


def _library(reader) -> set[str]:
    return set(LibraryEntry.objects.filter(reader=reader).values_list("article__title", flat=True))


def _story(title: str, published: str, guid: str) -> dict:
    paragraphs = tuple(
        f"Paragraph {n} of “{title}”, long enough to stand as the whole of its text on a line of its own."
        for n in range(6)
    )
    return {
        "title": title,
        "link": f"https://planet.example/{guid}",
        "guid": guid,
        "content": full_text(("", *paragraphs)),
        "published": published,
    }


def _dated_feed(local_web, path: str, stories: list[dict], title: str = "Planet") -> str:
    return local_web.route(path, Reply(rss(title, stories), content_type=RSS))


def test_two_readers_of_one_address_share_one_feed_checked_once_and_both_get_its_articles(
    local_web, alice, bob
):
    urls = news_site(local_web)
    feed = feed_subscribe(url=urls["feed"], user=alice)
    fetched = len(local_web.requests)

    assert feed_subscribe(url=urls["feed"], user=bob) == feed
    assert len(local_web.requests) == fetched  # joining reads nothing: the feed is checked already
    assert Feed.objects.count() == 1 and feed.subscriptions.count() == 2

    feed_poll(feed=feed)

    assert local_web.paths_requested.count("/feed.xml") == 2  # subscribing once, then one check for both
    assert _library(alice) == _library(bob) == {COUNCIL[0], HARBOUR[0]}
    assert set(LibraryEntry.objects.values_list("via", flat=True)) == {LibraryEntry.Via.FEED}
    with pytest.raises(FeedRejected, match="already subscribed"):
        feed_subscribe(url=urls["feed"], user=bob)


def test_a_reader_who_joins_later_gets_the_feeds_newest_entries_at_once(local_web, alice, bob, settings):
    urls = news_site(local_web)
    feed = feed_subscribe(url=urls["feed"], user=alice)
    feed_poll(feed=feed)
    settings.NEWSREADER_FEED_ENTRIES_PER_POLL = 1

    feed_subscribe(url=urls["feed"], user=bob, folder="Local")

    assert len(_library(bob)) == 1 and _library(bob) < _library(alice)
    assert Subscription.objects.get(reader=bob).folder == "Local"


def test_unsubscribing_takes_the_feeds_articles_out_of_ones_own_library_but_keeps_the_starred(
    local_web, alice, bob
):
    urls = news_site(local_web)
    feed = feed_subscribe(url=urls["feed"], user=alice)
    feed_subscribe(url=urls["feed"], user=bob)
    feed_poll(feed=feed)
    starred = Article.objects.get(title=HARBOUR[0])
    reading_mark(user=alice, article=starred, favourite=True)

    report = subscription_delete(subscription=Subscription.objects.get(reader=alice))

    assert (report.left, report.kept) == (1, 1)
    assert _library(alice) == {HARBOUR[0]}
    assert _library(bob) == {COUNCIL[0], HARBOUR[0]}  # nobody else's library changes
    assert Feed.objects.filter(pk=feed.pk).exists()  # bob still follows it, so it is still checked

    subscription_delete(subscription=Subscription.objects.get(reader=bob))

    assert not Feed.objects.exists()  # followed by nobody: no longer checked
    assert Article.objects.count() == 2  # its articles stay


def test_unread_counts_and_mark_all_read_up_to_what_the_page_showed(local_web, alice):
    first = _dated_feed(
        local_web,
        "/a.xml",
        [
            _story("Old news", "Mon, 02 Jun 2025 08:00:00 +0000", "a1"),
            _story("Fresh news", "Fri, 13 Jun 2025 08:00:00 +0000", "a2"),
        ],
    )
    second = _dated_feed(
        local_web, "/b.xml", [_story("Middle news", "Tue, 10 Jun 2025 08:00:00 +0000", "b1")]
    )
    feed_a, feed_b = feed_subscribe(url=first, user=alice), feed_subscribe(url=second, user=alice)
    feed_poll(feed=feed_a)
    feed_poll(feed=feed_b)

    assert unread_counts(alice) == {feed_a.pk: 2, feed_b.pk: 1}
    # One list across the feeds, newest first by publication date (not by when they were fetched).
    assert [a.title for a in unread_from_feeds(alice)] == ["Fresh news", "Middle news", "Old news"]

    reading_mark(user=alice, article=Article.objects.get(title="Old news"), read=True)
    assert unread_counts(alice) == {feed_a.pk: 1, feed_b.pk: 1}

    upto = FeedEntry.objects.order_by("-pk").first().pk
    local_web.route(
        "/a.xml",
        Reply(
            rss("Planet", [_story("Later news", "Sat, 14 Jun 2025 08:00:00 +0000", "a3")]), content_type=RSS
        ),
    )
    feed_a.refresh_from_db()
    feed_poll(feed=feed_a)  # arrives after the page was shown: "Mark all read" leaves it unread

    assert feed_entries_mark_read(user=alice, upto=upto, feed=feed_a) == 1
    assert unread_counts(alice) == {feed_a.pk: 1, feed_b.pk: 1}
    assert feed_entries_mark_read(user=alice, upto=upto) == 1
    assert [a.title for a in unread_from_feeds(alice)] == ["Later news"]
    assert ReadingState.objects.filter(user=alice, read=True).count() == 3


def test_an_article_two_of_ones_feeds_bring_is_listed_and_counted_once(local_web, alice, bob):
    story = _story("Shared story", "Tue, 10 Jun 2025 08:00:00 +0000", "s1")
    feeds = [
        feed_subscribe(url=_dated_feed(local_web, path, [story]), user=alice, folder=folder)
        for path, folder in (("/top.xml", "News"), ("/politics.xml", "Politics"))
    ]
    for feed in feeds:
        feed_poll(feed=feed)

    assert [a.title for a in unread_from_feeds(alice)] == ["Shared story"]
    assert [a.title for a in unread_from_feeds(alice, folder="Politics")] == ["Shared story"]
    assert list(unread_from_feeds(alice, folder="Sport")) == []
    assert list(unread_from_feeds(bob)) == [] and unread_counts(bob) == {}


def test_unsubscribing_keeps_what_one_annotated_or_collected(local_web, alice):
    from articles.services.collections import collection_add_articles, collection_create
    from tests.helpers import create_annotation

    urls = news_site(local_web)
    feed = feed_subscribe(url=urls["feed"], user=alice)
    feed_poll(feed=feed)
    council, harbour = Article.objects.get(title=COUNCIL[0]), Article.objects.get(title=HARBOUR[0])
    collection_add_articles(
        collection=collection_create(user=alice, name="Budget"), user=alice, articles=[council]
    )
    create_annotation(alice, harbour, passage="The harbour reopened on Tuesday", note="Check the date.")

    report = subscription_delete(subscription=Subscription.objects.get(reader=alice))

    assert (report.left, report.kept) == (0, 2) and _library(alice) == {COUNCIL[0], HARBOUR[0]}
    assert harbour.annotations.get().note == "Check the date."
