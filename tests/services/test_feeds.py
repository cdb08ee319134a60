"""Feeds: subscribing, checks on a schedule, entries into articles, failures in plain words, no duplicates."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from articles.interchange.web_pages import page_input
from articles.models import Article, Feed, FeedEntry, Subscription
from articles.services.analysis import article_import
from articles.services.feed_checks import feed_poll, feeds_claim_due
from articles.services.feeds import FeedRejected, feed_subscribe, feeds_import_opml
from tests.local_server import Reply, with_etag
from tests.web import COUNCIL, HARBOUR, RSS, full_text, news_site, rss

pytestmark = pytest.mark.django_db


def _feed(url: str) -> Feed:
    return Feed.objects.create(url=url, title="The Daily Planet")


def test_subscribing_reads_the_feed_once_and_queues_its_first_check(
    local_web, alice, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    urls = news_site(local_web)
    with django_capture_on_commit_callbacks(execute=True):
        feed = feed_subscribe(url=urls["feed"], user=alice)
    assert feed.title == "The Daily Planet" and feed.url == urls["feed"]
    assert list(feed.subscriptions.values_list("reader", flat=True)) == [alice.pk]
    assert DBTaskResult.objects.get().args_kwargs["args"] == [feed.pk]
    with pytest.raises(FeedRejected, match="already subscribed"):
        feed_subscribe(url=urls["feed"], user=alice)


def test_a_page_that_links_to_its_feed_subscribes_to_the_feed(local_web, alice):
    urls = news_site(local_web)
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Hi</body></html>'
    page = local_web.route("/", Reply(home.encode()))
    assert feed_subscribe(url=page, user=alice).url == urls["feed"]


@pytest.mark.parametrize(
    "reply, message",
    [
        (Reply(b'<?xml version="1.0"?><rss version="2.0"><channel><titl', content_type=RSS), "not"),
        (Reply(b"<html><body><p>No feed here.</p></body></html>"), "names no feed"),
        (Reply(b"gone", status=404, content_type="text/plain"), "404"),
        (Reply(b"%PDF-1.4", content_type="application/pdf"), "PDF"),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_reason_and_nothing_stored(local_web, alice, reply, message):
    with pytest.raises(FeedRejected, match=message):
        feed_subscribe(url=local_web.route("/x", reply), user=alice)
    assert not Feed.objects.exists()


def test_an_internal_address_is_refused_by_default(local_server, alice):
    with pytest.raises(FeedRejected, match="inside this server's own network"):
        feed_subscribe(url=local_server.url("/feed.xml"), user=alice)
    assert local_server.requests == [] and not Feed.objects.exists()


def test_a_check_stores_full_text_entries_from_the_feed_and_fetches_the_others(local_web):
    urls = news_site(local_web)
    feed = _feed(urls["feed"])
    report = feed_poll(feed=feed, store=article_import)
    assert not report.error and len(report.new) == 2
    council = Article.objects.get(title=COUNCIL[0])
    harbour = Article.objects.get(title=HARBOUR[0])
    assert "/2025/council" not in local_web.paths_requested  # its text came with the feed
    assert "/2025/harbour" in local_web.paths_requested
    assert council.source == harbour.source == "The Daily Planet"
    assert "alert" not in council.text and COUNCIL[-1] in council.text
    assert council.quotes.get().speaker_name == "Jane Doe"
    assert harbour.url == urls["harbour"] and HARBOUR[2] in harbour.text
    feed.refresh_from_db()
    assert feed.last_checked and not feed.last_error and feed.next_check > timezone.now()
    assert {e.article for e in feed.entries.all()} == {council, harbour}


def test_a_second_check_of_an_unchanged_feed_is_a_304_and_stores_nothing(local_web):
    urls = news_site(local_web)
    body = rss(
        "The Daily Planet",
        [{"title": COUNCIL[0], "link": urls["council"], "guid": "c", "content": full_text(COUNCIL)}],
    )
    local_web.route("/etag.xml", with_etag('"v1"', Reply(body, content_type=RSS)))
    feed = _feed(local_web.url("/etag.xml"))
    assert len(feed_poll(feed=feed, store=article_import).new) == 1
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    report = feed_poll(feed=feed, store=article_import)
    assert report.not_modified and not report.new
    assert local_web.requests[-1].headers.get("if-none-match") == '"v1"'
    assert Article.objects.count() == 1


def test_an_entry_whose_page_is_gone_is_listed_with_the_reason_and_the_rest_come_in(local_web):
    urls = news_site(local_web)
    items = [
        {"title": "Gone story", "link": local_web.url("/missing"), "guid": "gone"},
        {"title": COUNCIL[0], "link": urls["council"], "guid": "council", "content": full_text(COUNCIL)},
    ]
    feed = _feed(local_web.route("/mixed.xml", Reply(rss("Planet", items), content_type=RSS)))
    report = feed_poll(feed=feed, store=article_import)
    assert len(report.new) == 1 and len(report.failed) == 1
    gone = FeedEntry.objects.get(guid="gone")
    assert gone.article is None and "404" in gone.error
    assert feed_poll(feed=feed, store=article_import).new == []  # a seen entry is not tried again


def test_a_failing_feed_says_why_and_waits_longer_each_time(local_web, settings):
    feed = _feed(local_web.route("/broken.xml", Reply(b"<rss><chan", content_type=RSS)))
    waits = []
    for _ in range(3):
        before = timezone.now()
        assert feed_poll(feed=feed).error
        feed.refresh_from_db()
        waits.append(feed.next_check - before)
    assert feed.failures == 3 and feed.last_error and not Article.objects.exists()
    interval = datetime.timedelta(minutes=settings.NEWSREADER_FEED_INTERVAL_MINUTES)
    assert (
        waits[0] >= 2 * interval - datetime.timedelta(seconds=5)
        and waits[1] > waits[0]
        and waits[2] > waits[1]
    )
    local_web.route("/broken.xml", Reply(rss("Planet", []), content_type=RSS))
    assert not feed_poll(feed=feed).error
    feed.refresh_from_db()
    assert feed.failures == 0 and feed.last_error == ""


def test_a_check_takes_at_most_the_set_number_of_entries(local_web, settings):
    settings.NEWSREADER_FEED_ENTRIES_PER_POLL = 2
    items = [
        {
            "title": f"Story {n}",
            "link": local_web.url(f"/s{n}"),
            "guid": f"s{n}",
            "content": full_text(
                (
                    "",
                    *(
                        f"Paragraph {i} of story {n}, long enough to stand as the whole of its text on its own line."
                        for i in range(6)
                    ),
                )
            ),
        }
        for n in range(5)
    ]
    feed = _feed(local_web.route("/many.xml", Reply(rss("Planet", items), content_type=RSS)))
    assert len(feed_poll(feed=feed, store=article_import).new) == 2
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Story 0", "Story 1"]


def test_the_same_address_saved_from_a_feed_and_by_hand_is_one_article(local_web):
    urls = news_site(local_web)
    first = article_import(incoming=page_input(urls["harbour"]))
    feed = _feed(urls["feed"])
    report = feed_poll(feed=feed, store=article_import)
    assert report.duplicates == 1 and Article.objects.filter(title=HARBOUR[0]).count() == 1
    assert FeedEntry.objects.get(guid="harbour-1").article == first


@pytest.mark.django_db(transaction=True)
def test_a_feed_is_handed_to_one_poller_at_a_time():
    """Two pollers, each on its own connection, both list the due feed before either claims it: the race the
    claim's compare-and-set is there for. Each poller's first UPDATE waits until both have listed."""
    feed = Feed.objects.create(url="https://planet.example/feed.xml", next_check=timezone.now())
    both_listed = threading.Barrier(2, timeout=30)
    claims, errors = [], []

    def poll():
        waited = False

        def after_both_listed(execute, sql, params, many, context):
            nonlocal waited
            if not waited and sql.lstrip().upper().startswith("UPDATE"):
                waited = True
                both_listed.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(after_both_listed):
                claims.append(feeds_claim_due())
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    assert errors == []
    assert sorted(claims) == [[], [feed.pk]]


def test_an_entry_abandoned_by_a_poller_that_died_is_taken_up_again(local_web):
    urls = news_site(local_web)
    feed = _feed(urls["feed"])
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    FeedEntry.objects.create(feed=feed, guid="council-1")
    FeedEntry.objects.filter(guid="council-1").update(seen=long_ago)
    report = feed_poll(feed=feed, store=article_import)
    assert {a.title for a in report.new} == {COUNCIL[0], HARBOUR[0]}


def test_opml_import_subscribes_to_each_new_feed_once(alice):
    Subscription.objects.create(reader=alice, feed=Feed.objects.create(url="https://planet.example/feed.xml"))
    opml = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="News"><outline text="Planet" xmlUrl="https://planet.example/feed.xml"/>
      <outline text="Gazette" xmlUrl="https://gazette.example/atom.xml" htmlUrl="https://gazette.example/"/></outline>
      <outline text="Bad" xmlUrl="ftp://files.example/feed"/></body></opml>"""
    report = feeds_import_opml(data=opml, user=alice)
    assert [f.url for f in report.added] == ["https://gazette.example/atom.xml"]
    assert report.already == 1 and report.refused == ["ftp://files.example/feed"]
    assert Feed.objects.get(url="https://gazette.example/atom.xml").site_url == "https://gazette.example/"
    gazette = Subscription.objects.get(reader=alice, feed__url="https://gazette.example/atom.xml")
    assert (gazette.folder, gazette.title) == ("News", "Gazette")
    with pytest.raises(FeedRejected):
        feeds_import_opml(data=b"<html>not opml</html>", user=alice)
    assert Feed.objects.count() == 2 and Subscription.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_store_each_entry_once(local_web):
    urls = news_site(local_web)
    feed = Feed.objects.create(url=urls["feed"], title="The Daily Planet")
    start = threading.Barrier(2)
    errors = []

    def poll():
        try:
            start.wait()
            feed_poll(feed=Feed.objects.get(pk=feed.pk), store=article_import)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=poll) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Article.objects.count() == 2 and FeedEntry.objects.count() == 2
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted([COUNCIL[0], HARBOUR[0]])
    # Each entry went to one poller: the page of the entry without its full text was fetched once, not by the
    # second poller as well (whose copy the duplicate check would then have thrown away).
    assert local_web.paths_requested.count("/feed.xml") == 2
    assert local_web.paths_requested.count("/2025/harbour") == 1


def test_a_feed_whose_server_name_is_no_valid_idna_name_records_its_failure_and_waits(alice):
    feed = Feed.objects.create(url="http://xn--a.example.com/feed.xml")
    Subscription.objects.create(reader=alice, feed=feed)
    report = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert "not a valid international (IDNA) name" in report.error == feed.last_error
    assert feed.failures == 1 and feed.next_check > timezone.now()
    with pytest.raises(FeedRejected, match="IDNA"):
        feed_subscribe(url="https://xn--zz.news.example.org/feed", user=alice)
    assert Feed.objects.count() == 1
