"""Background work, run by the django-tasks database worker (`manage.py db_worker`, kept running beside
gunicorn by `manage.py background`, which `make run` starts)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection
from django_tasks import task

from .models import Article, Feed

HEARTBEAT_SECONDS = 10  # well inside services.articles.HEARTBEAT_STALE
# The longest each task may run (seconds) before `manage.py background` stops it and marks it failed;
# NEWSREADER_TASK_TIME_LIMITS overrides any of them. A check fetches at most 21 times with a 10 s deadline.
TIME_LIMITS = {"analyze_article": 900, "poll_feed": 300, "run_annotation_job": 300}
FEEDS_QUEUE = "feeds"  # feed checks, on workers of their own, so they never hold up a reader's own work
LONG_QUEUE = "long"  # analyses of very long articles, on a worker of their own


def time_limit(task_name: str) -> int:
    """Seconds `task_name` may run, from NEWSREADER_TASK_TIME_LIMITS ("poll_feed=300,...") or the default."""
    limits = dict(TIME_LIMITS)
    for part in getattr(settings, "NEWSREADER_TASK_TIME_LIMITS", "").split(","):
        name, _, seconds = part.partition("=")
        if name.strip() and seconds.strip():
            limits[name.strip()] = int(seconds)
    return limits.get(task_name, max(TIME_LIMITS.values()))


@contextmanager
def _beating(article_id: int) -> Iterator[None]:
    """While the analysis runs, a thread says so every few seconds; if the worker dies, the beat stops and
    `manage.py schedule` queues the analysis again."""
    from .services.articles import analysis_beat

    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(HEARTBEAT_SECONDS):
                try:
                    analysis_beat(article_id=article_id)
                except OperationalError:
                    continue  # the database is busy: the next beat will do (the stale limit allows several)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{article_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@task()
def analyze_article(article_id: int) -> str:
    """Analyse an article stored by the web form; its page polls until the state is no longer pending."""
    # Imported here because the services import this module to queue the task (the one cycle in the app).
    from .services.analysis import article_reanalyze
    from .services.articles import analysis_begin, article_mark_failed

    if not analysis_begin(article_id=article_id):
        return "nothing to do"
    article = Article.objects.get(pk=article_id)
    try:
        with _beating(article_id):
            article_reanalyze(article=article)
    except OperationalError:
        raise  # a database locked past its timeout: left pending, the next sweep queues it again
    except Exception as error:
        article_mark_failed(article_id=article_id, reason=f"{type(error).__name__}: {error}")
        raise
    return "analysed"


@task(queue_name=FEEDS_QUEUE)
def poll_feed(feed_id: int) -> str:
    """Check one feed and store its new entries; queued by `manage.py schedule` and on subscribing."""
    from .services.feeds import feed_poll

    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return "unsubscribed"
    report = feed_poll(feed=feed)
    return report.error or f"{len(report.new)} new"


@task()
def run_annotation_job(job_id: int) -> str:
    """A large annotation import, or the re-anchoring of many annotations after an edit (an AnnotationJob)."""
    from .services.annotation_jobs import annotation_job_run

    return annotation_job_run(job_id=job_id)
