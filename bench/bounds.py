"""The worst request within each limit, timed: search, panels, the article page, annotation import, re-anchoring.

usage (from the project root):
  .venv/bin/python bench/bounds.py                 # 840 PolNeAR train articles for search
  .venv/bin/python bench/bounds.py --articles 200  # a quicker run
  tests/postgres_cluster.sh sh -c '.venv/bin/python bench/bounds.py --database-url "$DATABASE_URL"'  # PostgreSQL
Builds a temporary library: the PolNeAR train articles stored and indexed without their analysis (search
reads the index alone), and the security audit's worst article (the longest text allowed, one paragraph of
"lorem ipsum dolor" without a full stop, the name "lorem" mentioned 11,110 times) stored with a made-up
analysis, so spaCy never runs. Then sends each worst case through Django's test client (the view, its
queries and its template, no HTTP server) and prints its time and response size. Each should take under a
second or two. The worst import and the re-anchoring after an edit are queued by their request and then run
as the task worker runs them (annotation_job_run, in this process), timed separately. Everything is
temporary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
COMMON_WORDS = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as"]
COMMON_PHRASES = ["of the", "in the", "to the", "on the", "and the", "for the", "that the", "with the",
                  "at the", "by the", "from the", "is a"]  # fmt: skip


def build_library(paths: list[Path]) -> None:
    from articles.interchange.article_files import ArticleInput, ArticleRejected
    from articles.services.articles import article_prepare, article_store

    for path in paths:
        try:
            prepared = article_prepare(incoming=ArticleInput(text=path.read_text(encoding="utf-8")))
        except ArticleRejected:
            continue
        article_store(prepared=prepared, analysis=None)


def longest_unbroken_article():
    """The audit's F2 article, its analysis made up: one PERSON at every "lorem", one short quote."""
    from django.conf import settings

    from articles.interchange.article_files import ArticleInput
    from articles.nlp.types import Analysis, Entity, Mention, Quote
    from articles.services.articles import article_prepare, article_store

    headline = "Headline two hundred k\n\n"
    limit = settings.NEWSREADER_MAX_ARTICLE_CHARS
    text = headline + ("lorem ipsum dolor " * (limit // 18 + 1))[: limit - len(headline)].rstrip()
    mentions = tuple(Mention(m.start(), m.end(), "lorem", "PERSON", 0) for m in re.finditer("lorem", text))
    quote_at = text.index("lorem ipsum", 100_000)
    analysis = Analysis(
        entities=(Entity("lorem", "PERSON"),),
        mentions=mentions,
        quotes=(Quote(quote_at, quote_at + len("lorem ipsum"), "lorem ipsum"),),
    )
    return article_store(prepared=article_prepare(incoming=ArticleInput(text=text)), analysis=analysis)


def unmatchable_import(article) -> str:
    """The audit's F3 import, at the limits: as many annotations as allowed, each a passage of random
    letters as long as the byte limit leaves room for (one passage matches, or the import is refused)."""
    from articles.services.annotation_imports import IMPORT_MAX_BYTES, IMPORT_MAX_ITEMS

    def item(exact: str, start: int) -> dict:
        selectors = [
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
        ]
        return {"type": "Annotation", "target": {"selector": selectors}}

    rng = random.Random(5)
    chars = (IMPORT_MAX_BYTES - 2_000) // IMPORT_MAX_ITEMS - len(json.dumps(item("", 100_000)))
    items = [item(article.text[100:140], 100)]
    while len(items) < IMPORT_MAX_ITEMS:
        items.append(item("".join(rng.choice("qzxjkvwy ") for _ in range(chars)), 100_000))
    return json.dumps(items)


def timed(label: str, request) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = request()
    seconds = time.perf_counter() - started
    size = len(response.content) if hasattr(response, "content") else 0
    status = getattr(response, "status_code", "-")
    print(f"  {label:<58} {seconds * 1000:8.0f} ms  {size / 1000:9.1f} KB  {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=840, help="PolNeAR articles in the search library")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use (default: a temporary SQLite file)"
    )
    args = parser.parse_args()
    paths = sorted(args.corpus.glob("*.txt"))[: args.articles]
    if not paths:
        sys.exit(f"no .txt files in {args.corpus}")

    with tempfile.TemporaryDirectory(prefix="newsreader-bounds-") as tmp:
        database = args.database_url or f"sqlite:///{tmp}/bounds.sqlite3"
        os.environ.update({"DATABASE_URL": database, "DEBUG": "false"})
        os.environ.setdefault("SECRET_KEY", "bench-bounds-key")  # DEBUG off with a database server needs one
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import transaction
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from articles import anchoring
        from articles.models import Annotation, AnnotationJob, Article
        from articles.services.annotation_jobs import BACKGROUND_BUDGET_STEPS
        from articles.services.annotations import annotations_reanchor_after_edit
        from articles.services.articles import content_hash

        setup_test_environment()  # the test client's host name is allowed
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # pages name the hashed static files
        started = time.perf_counter()
        build_library(paths)
        worst = longest_unbroken_article()
        print(f"library: {Article.objects.count():,} articles in {time.perf_counter() - started:.0f} s")
        client = Client()
        htmx = {"HTTP_HX_REQUEST": "true"}
        search = reverse("articles:search")

        print("search (anonymous)")
        timed(
            '"the" × 900 (3,600 characters; the audit\'s F1)', lambda: client.get(search, {"q": "the " * 900})
        )
        timed(
            f"the {len(COMMON_WORDS)} commonest words, repeated to 300 characters",
            lambda: client.get(search, {"q": " ".join(COMMON_WORDS * 10)[:300]}),
        )
        timed(
            f"{len(COMMON_PHRASES)} common two-word phrases",
            lambda: client.get(search, {"q": " ".join(f'"{p}"' for p in COMMON_PHRASES)}),
        )
        timed("a rare word × 200", lambda: client.get(search, {"q": "summit " * 200}))

        entity = worst.entities.get()
        quote = worst.quotes.get()
        print(
            f"the longest unbroken article ({len(worst.text):,} characters, {entity.mention_count:,} mentions)"
        )
        timed(
            "entity panel, htmx (the audit's F2: 2.2 GB in 86.7 s)",
            lambda: client.get(entity.get_absolute_url(), **htmx),
        )
        timed("entity panel, whole page", lambda: client.get(entity.get_absolute_url()))
        timed("quote panel, htmx", lambda: client.get(quote.get_absolute_url(), **htmx))
        timed("article page", lambda: client.get(worst.get_absolute_url()))

        user = User.objects.create_user("bounds", password="a-long-password-1")
        client.force_login(user)
        raw = unmatchable_import(worst)
        print(f"annotations on that article ({len(raw):,} bytes of JSON-LD)")
        import_url = reverse("articles:annotations_import", args=[worst.pk])
        timed(
            "import of 500 passages that match nothing (the audit's F3): queued",
            lambda: client.post(import_url, {"json": raw}),
        )
        job = AnnotationJob.objects.get(kind=AnnotationJob.Kind.IMPORT)
        timed_job("the import, placed by the task worker", job)
        print(f"    {job.message}")

        # A staff edit of the text: the annotations not at their old offsets wait for the worker as orphans.
        Annotation.objects.filter(article=worst).update(orphaned=False)
        old_text = worst.text
        worst.text += "\n\nA correction."
        Article.objects.filter(pk=worst.pk).update(text=worst.text, content_hash=content_hash(worst.text))
        worst.refresh_from_db()

        def edit():  # type: ignore[no-untyped-def]
            with transaction.atomic():
                annotations_reanchor_after_edit(article=worst, old_text=old_text, by=user)

        timed("re-anchoring those 500 after an edit: queued", edit)
        job = AnnotationJob.objects.get(kind=AnnotationJob.Kind.REANCHOR)
        timed_job("the re-anchoring, run by the task worker", job)
        print(f"    {job.message}")
        print(
            f"    budget {anchoring.BUDGET_STEPS:,} steps in a request, "
            f"{BACKGROUND_BUDGET_STEPS:,} in the background"
        )


def timed_job(label: str, job) -> None:  # type: ignore[no-untyped-def]
    """Run a queued annotation job as the task worker does, and print its time and outcome."""
    from articles.services.annotation_jobs import annotation_job_run

    started = time.perf_counter()
    annotation_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    print(
        f"  {label:<58} {seconds * 1000:8.0f} ms  {job.state}: {job.placed} placed, {job.orphaned} orphaned"
    )


if __name__ == "__main__":
    main()
