"""The security audit's annotation flood (2026-12, N7): how far one account gets, what the list then costs.

usage (from the project root):
  .venv/bin/python bench/annotation_flood.py
  tests/postgres_cluster.sh sh -c '.venv/bin/python bench/annotation_flood.py --database-url "$DATABASE_URL"'
Builds a temporary library with one analysed article (tests.helpers TEXT). One account then posts new public
annotations with 9,990-character notes through the annotation form (Django's test client: the view, the rate
limit's rows, the template), as the audit did, until the limit refuses one; the answers are counted. Then the
audit's 8,000 such annotations are stored directly (as if made by many accounts over many hours) and the list
panel (htmx and whole page, first and last page), the article page and the two exports are timed, with their
sizes. Everything is temporary.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = ("A long public note about this passage. " * 260)[:9_990]
FLOOD = 8_000


def timed(label: str, request) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = request()
    seconds = time.perf_counter() - started
    size = len(response.content) / 1000
    print(f"  {label:<44} {seconds * 1000:8.0f} ms  {size:9.1f} KB  {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use (default: a temporary SQLite file)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-flood-") as tmp:
        os.environ.update(
            {"DATABASE_URL": args.database_url or f"sqlite:///{tmp}/flood.sqlite3", "DEBUG": "false"}
        )
        os.environ.setdefault("SECRET_KEY", "bench-flood-key")  # DEBUG off with a database server needs one
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from articles.models import Annotation
        from articles.views.annotations import ANNOTATIONS_PER_PAGE
        from tests.helpers import PASSAGE, TEXT, import_article

        setup_test_environment()  # the test client's host name is allowed
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        article = import_article(text=TEXT)
        flooder = User.objects.create_user("flooder", password="a-long-password-1")
        client = Client()
        client.force_login(flooder)
        url = reverse("articles:annotations", args=[article.pk])
        start = article.text.index(PASSAGE)
        form = {"start": start, "end": start + len(PASSAGE), "exact": PASSAGE, "note": NOTE}
        form.update(visibility="public", colour="yellow", tags="")

        limit = settings.NEWSREADER_RATE_LIMITS["annotate"]
        answers: Counter[int] = Counter()
        started = time.perf_counter()
        while not answers[429]:
            answers[client.post(url, form).status_code] += 1
        seconds = time.perf_counter() - started
        stored = Annotation.objects.filter(user=flooder).count()
        print(f"one account posting public annotations with {len(NOTE):,}-character notes (limit {limit}):")
        counts = dict(sorted(answers.items()))
        print(f"  {sum(answers.values())} posts in {seconds:.1f} s: {counts}; {stored} stored")

        template = Annotation.objects.filter(user=flooder).first()
        Annotation.objects.bulk_create(
            Annotation(
                article=article,
                user=flooder,
                start=template.start,
                end=template.end,
                exact=template.exact,
                prefix=template.prefix,
                suffix=template.suffix,
                note=NOTE,
                visibility="public",
            )
            for _ in range(FLOOD - stored)
        )
        total = Annotation.objects.filter(article=article).count()
        last_page = -(-total // ANNOTATIONS_PER_PAGE)
        anonymous, htmx = Client(), {"HTTP_HX_REQUEST": "true"}
        print(f"{total:,} public annotations on the article, read anonymously (the audit: 86 MB in 9.3 s):")
        timed("annotation list, htmx panel", lambda: anonymous.get(url, **htmx))
        timed("annotation list, whole page", lambda: anonymous.get(url))
        last = {"page": last_page}
        timed(f"annotation list, page {last_page}, htmx", lambda: anonymous.get(url, last, **htmx))
        timed("article page", lambda: anonymous.get(article.get_absolute_url()))
        for fmt in ("md", "jsonld"):
            export = reverse("articles:annotations_export", args=[article.pk, fmt])
            timed(f"export .{fmt}", lambda export=export: anonymous.get(export))


if __name__ == "__main__":
    main()
