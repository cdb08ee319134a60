"""Background work, run by the django-tasks database worker (`manage.py db_worker`, kept running beside
gunicorn by `manage.py background`, which `make run` starts). Each task calls a service; the services queue
tasks through `queues.py`, by name, so this module is the only one of the two that imports the other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection
from django_tasks import task

from .models import Article, Feed
from .queues import FEEDS_QUEUE
from .services.annotation_jobs import annotation_job_run
from .services.articles import analysis_beat, analysis_begin, article_mark_failed
from .services.feed_checks import feed_poll
from .services.images import images_keep

HEARTBEAT_SECONDS = 10  # well inside services.articles.HEARTBEAT_STALE


@contextmanager
def _beating(article_id: int) -> Iterator[None]:
    """While the analysis runs, a thread says so every few seconds; if the worker dies, the beat stops and
    `manage.py schedule` queues the analysis again."""
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
    # Imported here, so that only a worker that analyses loads spaCy (tests/test_spacy_boundary.py).
    from .services.analysis import article_reanalyze

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
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return "unsubscribed"
    report = feed_poll(feed=feed)
    return report.error or f"{len(report.new)} new"


@task()
def run_annotation_job(job_id: int) -> str:
    """A large annotation import, or the re-anchoring of many annotations after an edit (an AnnotationJob)."""
    return annotation_job_run(job_id=job_id)


@task()
def keep_article_images(article_id: int) -> str:
    """Fetch and keep the photos of an article saved by its address (each skipped with a note if it fails)."""
    return images_keep(article_id=article_id)
