"""Several processes and threads on one database, as on several hosts: task workers sharing one queue, and
many readers writing annotations at once. Both run on SQLite (`make test`) and PostgreSQL (`make test-postgres`)."""

import os
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from articles.interchange.article_files import ArticleInput
from articles.models import Annotation, Article
from articles.services.articles import article_submit
from tests.conftest import ROOT
from tests.helpers import PASSAGE, database_url, import_article, post_new_annotation, story

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = 8
WRITERS = 20
ANNOTATIONS_EACH = 3


def _worker(worker_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--worker-id", worker_id],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_workers_drain_one_queue_and_analyse_each_article_exactly_once():
    articles = [
        article_submit(
            incoming=ArticleInput(
                text=story(
                    f"Harbour report {i}",
                    f"“The cranes are back on day {i},” said Ana Ruiz, the engineer.",
                )
            )
        )
        for i in range(ARTICLES)
    ]
    assert DBTaskResult.objects.count() == ARTICLES
    workers = [_worker("worker-one"), _worker("worker-two")]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors

    for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
        assert article.analysis_state == Article.Analysis.DONE
        assert article.analysis_attempts == 1  # begun once: no other worker took it up as well
        assert article.quotes.get().speaker_name == "Ana Ruiz"
    results = list(DBTaskResult.objects.all())
    assert len(results) == ARTICLES and all(r.status == "SUCCESSFUL" for r in results)
    assert all(len(r.worker_ids) == 1 for r in results)  # each task claimed by one worker, once
    assert not DBTaskResult.objects.ready().exists()


def test_twenty_readers_writing_annotations_at_once_lose_nothing():
    article = import_article(text=story("Budget", f"“{PASSAGE},” said Ana Ruiz, the treasurer."))
    readers = [User.objects.create_user(f"reader{i}", password="a-long-password-1") for i in range(WRITERS)]
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(reader: User) -> None:
        try:
            client = Client()
            client.force_login(reader)
            start.wait(timeout=60)
            for number in range(ANNOTATIONS_EACH):
                response = post_new_annotation(client, article, note=f"{reader.username} note {number}")
                answers.append((response.status_code, response.headers.get("Location", "")))
        except Exception as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=write, args=(reader,)) for reader in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    assert len(answers) == WRITERS * ANNOTATIONS_EACH
    assert {status for status, _ in answers} == {302}
    stored = Annotation.objects.filter(article=article)
    assert stored.count() == WRITERS * ANNOTATIONS_EACH
    assert sorted(stored.values_list("note", flat=True)) == sorted(
        f"reader{i} note {n}" for i in range(WRITERS) for n in range(ANNOTATIONS_EACH)
    )
