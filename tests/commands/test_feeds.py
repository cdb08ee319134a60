"""`feeds` and `import_articles` with web addresses, from the command line."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Feed, LibraryEntry, Subscription
from tests.web import COUNCIL, HARBOUR, news_site

pytestmark = pytest.mark.django_db


def test_feeds_add_poll_list_and_export(local_web, capsys, tmp_path):
    urls = news_site(local_web)
    call_command("feeds", "add", urls["feed"])
    call_command("feeds", "poll")
    out = capsys.readouterr().out
    assert (
        "Subscribed to “The Daily Planet”" in out
        and "The Daily Planet: 2 new, 0 already here, 0 failed." in out
    )
    assert {a.title for a in Article.objects.all()} == {COUNCIL[0], HARBOUR[0]}
    assert all(a.analysis_state == Article.Analysis.DONE for a in Article.objects.all())  # analysed at once
    call_command("feeds", "list")
    assert urls["feed"] in capsys.readouterr().out
    exported = tmp_path / "feeds.opml"
    call_command("feeds", "export", str(exported))
    Feed.objects.all().delete()
    call_command("feeds", "import", str(exported))
    assert "Subscribed to 1, 0 already subscribed." in capsys.readouterr().out
    assert Feed.objects.get().url == urls["feed"]


def test_a_feed_that_fails_exits_non_zero_with_the_reason(local_web, capsys):
    Feed.objects.create(url=local_web.url("/nothing.xml"), title="Nothing")
    with pytest.raises(CommandError, match="1 feed"):
        call_command("feeds", "poll")
    assert "Nothing: The server answered 404" in capsys.readouterr().err


def test_adding_what_is_not_a_feed_exits_non_zero(local_web):
    with pytest.raises(CommandError, match="404"):
        call_command("feeds", "add", local_web.url("/missing"))
    assert not Feed.objects.exists()


def test_schedule_once_queues_due_feeds(capsys, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    Feed.objects.create(url="https://planet.example/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("schedule", "--once")
    assert "Queued a check of 1 feed(s)." in capsys.readouterr().out and DBTaskResult.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("schedule", "--once")
    assert DBTaskResult.objects.count() == 1  # not due again until its check is over or its lease runs out


def test_import_articles_takes_web_addresses_and_reports_the_ones_that_fail(local_web, capsys):
    urls = news_site(local_web)
    with pytest.raises(CommandError, match="1 input"):
        call_command(
            "import_articles", urls["harbour"], local_web.url("/missing"), "--no-progress", "--public"
        )
    captured = capsys.readouterr()
    assert "Imported 1, skipped 0 (already in the library), failed 1." in captured.out
    assert "/missing: failed: The server answered 404" in captured.err
    assert Article.objects.get().url == urls["harbour"]


def test_feeds_add_import_and_export_for_a_named_reader_keep_their_folder(local_web, alice, tmp_path):
    urls = news_site(local_web)
    call_command("feeds", "add", urls["feed"], "--reader", "alice", "--folder", "News")
    call_command("feeds", "poll")
    assert Subscription.objects.get(reader=alice).folder == "News"
    assert LibraryEntry.objects.filter(reader=alice, via="feed").count() == 2
    exported = tmp_path / "alice.opml"
    call_command("feeds", "export", str(exported), "--reader", "alice")
    assert b'<outline text="News" title="News">' in exported.read_bytes()
    Subscription.objects.all().delete()
    call_command("feeds", "import", str(exported), "--reader", "alice")
    assert list(Subscription.objects.values_list("reader__username", "folder")) == [("alice", "News")]
    with pytest.raises(CommandError, match="no reader called “nobody”"):
        call_command("feeds", "add", urls["feed"], "--reader", "nobody")
