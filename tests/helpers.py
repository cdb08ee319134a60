"""What many tests share: small articles, importing one, the htmx header, and running the task worker."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

HTMX = {"HTTP_HX_REQUEST": "true"}

# A small article with one quote, for annotations; PASSAGE is inside its quote.
TEXT = (
    "Council budget talks collapse\n\n"
    "The council met on Tuesday to settle the budget for the coming year.\n\n"
    "“We cannot keep the libraries open on these numbers,” said Ana Ruiz, the treasurer.\n\n"
    "Residents queued outside the hall. Some carried signs about the libraries."
)
PASSAGE = "We cannot keep the libraries open on these numbers"

# A saved news page: headline, byline, date, site name, a captioned photo, a quote, and navigation around it.
PAGE = """<!doctype html><html><head><title>Senate passes the bill | Example Times</title>
<meta property="og:site_name" content="Example Times"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Senate passes the bill</h1>
<p>WASHINGTON — The Senate passed the infrastructure bill on Tuesday, a long-awaited step that lawmakers of
both parties had sought for months.</p>
<figure><img src="/senate.jpg" alt=""><figcaption>Senators leave the chamber after the vote on Tuesday.</figcaption></figure>
<p>“This is a good day for the country,” said Senator Mary Smith, a Democrat from Ohio, after the vote.</p>
<p>Opponents said the measure would cost too much and promised to fight it in the House next week.</p>
</article><footer>© Example Times</footer></body></html>"""


def story(headline: str, *paragraphs: str) -> str:
    return "\n\n".join([headline, *paragraphs])


def run_tasks() -> None:
    """Run every queued background task now, in this thread (what `manage.py db_worker --batch` does)."""
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    # A long-running worker drops stale connections between tasks; here the connection is the test's own,
    # inside its transaction, and must stay open.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(
            queue_names=["*"],  # every queue: analyses, long analyses, feed checks
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()


def database_url(name: str | None = None) -> str:
    """The test database as a DATABASE_URL, for a process a test starts (a task worker, a second client);
    with `name`, another database on the same server."""
    from urllib.parse import quote

    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{name or database['NAME']}"
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    host = quote(database["HOST"] or "", safe="")
    return f"postgres://{user}{password}@{host}{port}/{name or database['NAME']}"


@contextmanager
def scratch_database(vendor: str = "") -> Iterator[str]:
    """A new, empty database as a DATABASE_URL, removed afterwards: a SQLite file when `vendor` is "sqlite",
    else one beside the test database on its own server (a transaction=True test: PostgreSQL creates
    databases outside transactions)."""
    import shutil
    import tempfile
    from pathlib import Path

    from django.db import connection, connections

    if vendor == "sqlite" or connection.vendor == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="newsreader-scratch-"))
        try:
            yield f"sqlite:///{folder / 'library.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"{connection.settings_dict['NAME']}_scratch"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def import_article(public=True, reader=None, **fields):
    """Analyse and store one article now, as `import_articles` does; fields are ArticleInput's. Public unless
    told otherwise (`public=False`, and `reader` for whose library it is in)."""
    from articles.interchange.article_files import ArticleInput
    from articles.services.analysis import article_import

    return article_import(incoming=ArticleInput(**fields), public=public, reader=reader)


def disk_full(*args, **kwargs):
    """Stands in for a write that fails half-way through storing an article."""
    raise RuntimeError("disk full")


def nothing_written() -> bool:
    from articles.models import Article, Block, Entity, Mention, Quote

    return not any(m.objects.exists() for m in (Article, Block, Entity, Mention, Quote))


def nothing_half_written() -> bool:
    """Every stored article has its blocks; no analysis row belongs to a missing article."""
    from articles.models import Article, Block, Entity, Mention, Quote

    ids = set(Article.objects.values_list("pk", flat=True))
    return all(
        set(model.objects.values_list("article_id", flat=True)) <= ids
        for model in (Block, Entity, Mention, Quote)
    ) and all(Block.objects.filter(article_id=i).exists() for i in ids)


def create_annotation(user, article, passage=PASSAGE, **fields):
    from articles.services.annotations import annotation_create

    start = article.text.index(passage)
    return annotation_create(
        user=user, article=article, start=start, end=start + len(passage), exact=passage, **fields
    )


def logged_in(client, user):
    client.force_login(user)
    return client


def post_new_annotation(client, article, passage=PASSAGE, headers=None, **fields):
    from django.urls import reverse

    start = article.text.index(passage)
    data = {"start": start, "end": start + len(passage), "exact": passage, **fields}
    return client.post(reverse("articles:annotations", args=[article.pk]), data, **(headers or {}))
