"""`manage.py background` as `make run` starts it: real worker processes on the test's database. A task that
runs past its time limit is stopped, marked failed with its reason (and so is what it was doing), and its
worker is replaced, so the next task of that queue runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Feed
from articles.services.feed_checks import feeds_queue_now
from tests.helpers import database_url
from tests.local_server import RSS_FEED, LocalServer, Reply

ROOT = Path(__file__).resolve().parents[2]
REASON = "Stopped after 3 seconds, the time limit of this kind of work."


def _never_ending_feed(handler: BaseHTTPRequestHandler) -> None:
    """A feed whose bytes come one every half second, for ever: the check only ends if it is stopped."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    try:
        while True:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        return  # the worker was killed and the connection closed


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_check_past_its_time_limit_is_stopped_marked_failed_and_its_worker_replaced(
    local_server: LocalServer,
) -> None:
    stuck = Feed.objects.create(url=local_server.route("/stuck.xml", _never_ending_feed), title="Stuck")
    fine = Feed.objects.create(
        url=local_server.route("/fine.xml", Reply(RSS_FEED, content_type="application/rss+xml")), title="Fine"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "NEWSREADER_FETCH_ALLOW_PRIVATE": "true",
        "NEWSREADER_FETCH_TIMEOUT": "600",  # the fetch's own deadline must not end the check first
        "NEWSREADER_TASK_TIME_LIMITS": "poll_feed=3",
    }
    background = subprocess.Popen(
        [sys.executable, "manage.py", "background", "--only", "feed worker"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert feeds_queue_now(feed=stuck)
        stuck_check = DBTaskResult.objects.get()
        _wait_for(
            lambda: DBTaskResult.objects.filter(pk=stuck_check.pk, status=TaskResultStatus.FAILED).exists(),
            "the stuck check to be stopped",
        )
        stuck_check.refresh_from_db()
        assert stuck_check.traceback == REASON
        assert stuck_check.exception_class_path == "articles.tasks.TimeLimitExceeded"
        stuck.refresh_from_db()
        assert (stuck.failures, stuck.last_error) == (1, REASON)

        # A new worker took the killed one's place: the next check runs, on a worker of another id.
        assert feeds_queue_now(feed=fine)
        fine_check = DBTaskResult.objects.exclude(pk=stuck_check.pk).get()
        _wait_for(
            lambda: DBTaskResult.objects.filter(
                pk=fine_check.pk, status=TaskResultStatus.SUCCESSFUL
            ).exists(),
            "the next check to run",
        )
        fine_check.refresh_from_db()
        assert fine_check.worker_ids[-1] != stuck_check.worker_ids[-1]
        assert fine.entries.count() > 0
    finally:
        background.send_signal(signal.SIGTERM)
        try:
            _, errors = background.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            background.kill()
            _, errors = background.communicate()
    assert "ran past its time limit" in errors


@pytest.mark.django_db
def test_an_analysis_stopped_at_its_limit_marks_the_article_failed_with_the_reason(
    django_capture_on_commit_callbacks,
):
    import datetime

    from django.utils import timezone

    from articles.interchange.article_files import ArticleInput
    from articles.models import Article
    from articles.services.articles import article_submit
    from articles.services.background import task_overdue, task_stop
    from tests.helpers import story

    with django_capture_on_commit_callbacks(execute=True):
        article = article_submit(incoming=ArticleInput(text=story("Bridge", "The bridge is closed.")))
    started = timezone.now() - datetime.timedelta(seconds=901)  # the analysis limit is 900 s
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["w-1"])

    assert task_overdue(worker_id="w-2") is None  # another worker's task is not this one's
    overdue = task_overdue(worker_id="w-1")
    assert overdue is not None
    assert task_stop(result=overdue) == "Stopped after 15 minutes, the time limit of this kind of work."
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.FAILED
    assert article.analysis_error == "Stopped after 15 minutes, the time limit of this kind of work."
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert task_overdue(worker_id="w-1") is None


def test_photos_stopped_at_their_limit_are_skipped_with_the_reason_not_left_pending(
    alice, local_web, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from articles.models import ArticleImage
    from articles.services.background import task_overdue, task_stop
    from articles.services.submissions import Submission, article_add
    from tests.local_server import Reply
    from tests.services.test_images import CAPTIONED
    from tests.web import photo_page

    url = local_web.route("/2025/harbour", Reply(photo_page(figures=CAPTIONED)))
    with django_capture_on_commit_callbacks(execute=True):
        article = article_add(submission=Submission(url=url), reader=alice).article
    assert [i.state for i in article.images.all()] == [ArticleImage.State.PENDING]
    revision = article.revision
    images = DBTaskResult.objects.filter(task_path__endswith="keep_article_images")
    started = timezone.now() - datetime.timedelta(seconds=301)  # the photos' limit is 300 s
    images.update(status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["w-1"])

    overdue = task_overdue(worker_id="w-1")
    assert overdue is not None and overdue.task_path.endswith("keep_article_images")
    reason = task_stop(result=overdue)
    [image] = article.images.all()
    assert image.state == ArticleImage.State.SKIPPED and reason.rstrip(".").lower() in image.note.lower()
    article.refresh_from_db()
    assert article.revision == revision + 1
