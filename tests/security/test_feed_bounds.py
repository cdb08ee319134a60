"""Feeds cannot swamp the library or the background work: a reader's number of subscriptions is bounded (an
OPML file past it subscribes to nothing), /feeds/ comes in pages, a feed is queued again only after its last
check ended, and feed checks and the articles they bring wait on queues of their own behind a reader's work."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.feeds.opml import export_opml
from articles.interchange.article_files import ArticleInput
from articles.models import Article, Feed, Subscription
from articles.queues import FEEDS_QUEUE, LONG_QUEUE
from articles.services import feed_checks as feed_services
from articles.services.articles import article_submit
from tests.helpers import logged_in, run_tasks, story
from tests.local_server import Reply

pytestmark = pytest.mark.django_db


def _opml(count: int, start: int = 0) -> SimpleUploadedFile:
    feeds = ((f"Feed {n}", f"https://feeds.example/{n}.xml", "") for n in range(start, start + count))
    return SimpleUploadedFile("subscriptions.opml", export_opml(feeds))


def test_an_opml_file_past_the_readers_number_of_feeds_subscribes_to_nothing(client, alice, settings):
    settings.NEWSREADER_FEEDS_PER_READER = 30
    logged_in(client, alice)

    response = client.post(reverse("articles:feeds_import"), {"file": _opml(31)})

    assert response.status_code == 400
    assert "You can subscribe to at most 30 feeds, and you have 0; this file adds 31 new ones." in (
        response.content.decode()
    )
    assert not Feed.objects.exists() and not DBTaskResult.objects.exists()
    response = client.post(reverse("articles:feeds_import"), {"file": _opml(30)})
    assert response.status_code == 302 and Subscription.objects.filter(reader=alice).count() == 30


def test_subscribing_past_the_readers_number_of_feeds_is_refused_before_fetching(
    client, alice, bob, settings, local_web
):
    settings.NEWSREADER_FEEDS_PER_READER = 2
    for n in range(2):
        Subscription.objects.create(
            reader=alice, feed=Feed.objects.create(url=f"https://feeds.example/{n}.xml")
        )
    url = local_web.route("/feed.xml", Reply(b"<rss/>", content_type="application/rss+xml"))

    response = logged_in(client, alice).post(reverse("articles:feeds"), {"url": url})

    assert response.status_code == 400
    assert "You can subscribe to at most 2 feeds, and you have 2." in response.content.decode()
    assert Feed.objects.count() == 2 and local_web.requests == []  # refused before anything was fetched
    # The limit is per reader: bob's own subscriptions are not held back by alice's.
    response = logged_in(client, bob).post(reverse("articles:feeds_import"), {"file": _opml(2, start=10)})
    assert response.status_code == 302 and Subscription.objects.filter(reader=bob).count() == 2


def test_the_command_line_is_not_held_to_a_readers_number_of_feeds(settings, tmp_path, alice):
    from django.core.management import call_command

    settings.NEWSREADER_FEEDS_PER_READER = 3
    opml = tmp_path / "all.opml"
    opml.write_bytes(export_opml((f"Feed {n}", f"https://feeds.example/{n}.xml", "") for n in range(5)))

    call_command("feeds", "import", str(opml))

    assert Feed.objects.count() == 5 and not Subscription.objects.exists()
    # For a named reader too: the operator subscribes them to all five, past their limit of three.
    call_command("feeds", "import", str(opml), "--reader", "alice")
    assert Subscription.objects.filter(reader=alice).count() == 5 and Feed.objects.count() == 5


def test_the_feed_list_comes_in_pages(client, alice):
    feeds = Feed.objects.bulk_create(
        Feed(url=f"https://feeds.example/{n:03}.xml", title=f"Feed {n:03}") for n in range(120)
    )
    Subscription.objects.bulk_create(Subscription(reader=alice, feed=feed) for feed in feeds)
    logged_in(client, alice)

    first = client.get(reverse("articles:feeds")).content.decode()
    last = client.get(reverse("articles:feeds"), {"page": 3}).content.decode()

    assert first.count("data-feed-id=") == 50 and "Feed 000" in first and "Feed 050" not in first
    assert "Page 1 of 3" in first and 'rel="next" href="?page=2"' in first
    assert last.count("data-feed-id=") == 20 and "Feed 119" in last and "Feed 099" not in last


def test_a_feed_is_queued_again_only_after_its_last_check_ended(local_web):
    url = local_web.route("/feed.xml", Reply(b"not a feed", content_type="application/rss+xml"))
    feed = Feed.objects.create(url=url, next_check=timezone.now() - datetime.timedelta(minutes=1))

    assert feed_services.feeds_queue_due() == [feed.pk]
    # The lease runs out while the check still waits in the queue (a worker busy elsewhere): not queued again.
    later = timezone.now() + feed_services.POLL_LEASE + datetime.timedelta(minutes=1)
    assert feed_services.feeds_claim_due(now=later) == []
    assert feed_services.feeds_queue_now(feed=feed) is False
    assert DBTaskResult.objects.filter(task_path__endswith="poll_feed").count() == 1

    run_tasks()  # the check runs (and fails: not a feed) and so ends
    feed.refresh_from_db()
    assert feed.failures == 1 and DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    much_later = timezone.now() + datetime.timedelta(days=2)
    assert feed_services.feeds_claim_due(now=much_later) == [feed.pk]


def test_a_check_whose_worker_died_long_ago_no_longer_holds_its_feed_back():
    feed = Feed.objects.create(url="https://feeds.example/a.xml")
    feed_services.feeds_queue_due()
    started = timezone.now() - datetime.timedelta(hours=1)  # past the time limit of a check and its lease
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["gone"])

    later = timezone.now() + feed_services.POLL_LEASE + datetime.timedelta(minutes=1)
    assert feed_services.feeds_claim_due(now=later) == [feed.pk]


def test_due_feeds_are_claimed_in_batches_each_queued_once():
    Feed.objects.bulk_create(Feed(url=f"https://feeds.example/{n}.xml") for n in range(25))

    claimed = feed_services.feeds_claim_due(batch=10)

    assert sorted(claimed) == sorted(Feed.objects.values_list("pk", flat=True))
    tasks = DBTaskResult.objects.all()
    assert tasks.count() == 25 and {task.queue_name for task in tasks} == {FEEDS_QUEUE}
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(claimed)
    assert feed_services.feeds_claim_due(batch=10) == []


def test_a_readers_own_article_is_analysed_before_one_a_feed_brought_in(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        from_feed = article_submit(
            incoming=ArticleInput(text=story("Harbour", "The harbour reopened.")), from_feed=True
        )
        own = article_submit(incoming=ArticleInput(text=story("Bridge", "The bridge is closed for repairs.")))

    waiting = DBTaskResult.objects.ready().order_by(*DBTaskResult._meta.ordering)
    assert [task.args_kwargs["args"][0] for task in waiting] == [own.pk, from_feed.pk]
    assert Article.objects.count() == 2


def test_a_very_long_article_waits_for_the_worker_of_its_own_queue(django_capture_on_commit_callbacks):
    long_text = story("Budget", *["The council met again on Tuesday and argued about the harbour." * 20] * 80)
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(incoming=ArticleInput(text=long_text))
        article_submit(incoming=ArticleInput(text=story("Bridge", "The bridge is closed for repairs.")))

    assert len(long_text) > 80_000
    assert sorted(DBTaskResult.objects.values_list("queue_name", flat=True)) == ["default", LONG_QUEUE]
