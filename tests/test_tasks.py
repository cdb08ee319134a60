"""Background analysis: an article added on the web is stored at once and analysed by the task worker."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import analysis as analysis_services
from articles.services import articles as article_services
from tests.conftest import ROOT
from tests.helpers import database_url, logged_in, run_tasks, story

pytestmark = pytest.mark.django_db


def test_web_form_stores_the_article_and_the_worker_analyses_it(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the article is committed
        response = client.post(
            reverse("articles:create"),
            {"title": "Bridge to reopen", "text": "“We are nearly there,” said Ana Ruiz, the city engineer."},
        )
    article = Article.objects.get()
    assert response.status_code == 302 and article.analysis_state == "pending" and not article.quotes.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" in page and 'hx-trigger="every 2s"' in page
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == "done" and article.quotes.get().speaker_name == "Ana Ruiz"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" not in page and 'data-speaker="Ana Ruiz"' in page


def test_a_failed_background_analysis_is_shown(client, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("articles:create"), {"text": story("Bridge", "“Nearly there,” said Ana Ruiz.")})

    def broken(*args, **kwargs):
        raise RuntimeError("model missing")

    monkeypatch.setattr(analysis_services, "analyze", broken)
    run_tasks()
    article = Article.objects.get()
    assert article.analysis_state == "failed" and "model missing" in article.analysis_error
    assert "analysis of this article failed" in client.get(article.get_absolute_url()).content.decode()


BRIDGE = story("Bridge", "“Nearly there,” said Ana Ruiz.")


def _submitted(django_capture_on_commit_callbacks, text=BRIDGE, user=None):
    """Added (by `user`) and shared with everyone, so every reader in these tests may open it."""
    from articles.interchange.article_files import ArticleInput

    with django_capture_on_commit_callbacks(execute=True):
        return article_services.article_submit(incoming=ArticleInput(text=text), added_by=user, public=True)


def test_a_failed_analysis_can_be_tried_again_by_whoever_added_it_or_staff(
    client, alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    article = _submitted(django_capture_on_commit_callbacks, user=alice)
    monkeypatch.setattr(analysis_services, "analyze", lambda *a, **k: 1 / 0)
    run_tasks()
    monkeypatch.undo()
    retry = reverse("articles:analysis_retry", args=[article.pk])
    page = logged_in(client, bob).get(article.get_absolute_url()).content.decode()
    assert "ZeroDivisionError" in page and "Try again" not in page
    assert client.post(retry).status_code == 403
    page = logged_in(client, alice).get(article.get_absolute_url()).content.decode()
    assert "Try again" in page
    assert "Analysis failed" in client.get(reverse("articles:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.DONE and article.quotes.get().speaker_name == "Ana Ruiz"


def test_a_page_left_pending_too_long_stops_asking_and_says_so(client, django_capture_on_commit_callbacks):
    article = _submitted(django_capture_on_commit_callbacks)
    Article.objects.filter(pk=article.pk).update(created=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page and "taking much longer than it should" in page


def test_an_analysis_whose_worker_stopped_beating_is_queued_again_once(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    article = _submitted(django_capture_on_commit_callbacks)
    assert article_services.analysis_begin(article_id=article.pk)
    later = timezone.now() + article_services.HEARTBEAT_STALE + datetime.timedelta(seconds=5)
    assert article_services.analyses_recover(now=timezone.now()) == []  # still beating
    with django_capture_on_commit_callbacks(execute=True):
        assert article_services.analyses_recover(now=later) == [article.pk]
        assert article_services.analyses_recover(now=later) == []
    assert DBTaskResult.objects.count() == 2


def test_an_analysis_started_too_often_is_marked_failed_with_the_reason(django_capture_on_commit_callbacks):
    article = _submitted(django_capture_on_commit_callbacks)
    for _ in range(article_services.ANALYSIS_ATTEMPTS):
        assert article_services.analysis_begin(article_id=article.pk)
    assert not article_services.analysis_begin(article_id=article.pk)
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.FAILED and "never finished" in article.analysis_error


def test_short_articles_are_analysed_before_a_very_long_one(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    long_text = story(
        "Long read",
        *[f"Paragraph {n} of a very long story about the harbour budget." * 20 for n in range(100)],
    )
    long_one = _submitted(django_capture_on_commit_callbacks, text=long_text)
    short_one = _submitted(django_capture_on_commit_callbacks)
    first = DBTaskResult.objects.ready().order_by(*DBTaskResult._meta.ordering).first()
    assert first.args_kwargs["args"] == [short_one.pk] and long_one.pk != short_one.pk


def _worker_process(*arguments: str) -> subprocess.Popen:
    """A real `manage.py db_worker` on the test's database."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0", *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.django_db(transaction=True)
def test_an_analysis_whose_worker_is_killed_mid_way_is_finished_by_the_next_worker():
    from articles.interchange.article_files import ArticleInput

    article = article_services.article_submit(
        incoming=ArticleInput(text=story("Bridge", "“Nearly there,” said Ana Ruiz, the city engineer."))
    )
    worker = _worker_process()
    try:
        deadline = time.monotonic() + 60
        while not Article.objects.filter(pk=article.pk, analysis_heartbeat__isnull=False).exists():
            assert time.monotonic() < deadline, "the worker never started the analysis"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # mid-task: the analysis has begun and not finished
        worker.wait(timeout=10)
    finally:
        worker.kill()
    assert Article.objects.get(pk=article.pk).analysis_state == Article.Analysis.PENDING

    # The schedule's sweep, once the heartbeat is stale, queues it again; a new worker finishes it.
    later = timezone.now() + article_services.HEARTBEAT_STALE + datetime.timedelta(seconds=1)
    assert article_services.analyses_recover(now=later) == [article.pk]
    second = _worker_process("--batch")  # within two minutes, or wait() raises
    try:
        second.wait(timeout=120)
    finally:
        second.kill()
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.DONE and article.quotes.get().speaker_name == "Ana Ruiz"
    assert article.analysis_attempts == 2


def test_the_queue_knows_every_task_by_name_and_refuses_another_name():
    from django_tasks.base import Task

    from articles import queues, tasks

    defined = {name for name, value in vars(tasks).items() if isinstance(value, Task)}
    assert defined == set(queues.TIME_LIMITS)
    for name in defined:
        assert queues.task_named(name) is getattr(tasks, name)
    with pytest.raises(ValueError, match="No task is called 'analyse_article'"):
        queues.enqueue("analyse_article", 1)
