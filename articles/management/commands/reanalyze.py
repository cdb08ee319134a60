"""Run the current analysis again over stored articles, e.g. after the engine improves."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from articles.services.analysis import articles_reanalyze_many

CHUNK = 100  # articles read from the database at a time


class Command(BaseCommand):
    help = "Re-analyse every article (--all) or some (--article ID ...), keeping articles and annotations."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", dest="every", help="every article in the library")
        which.add_argument(
            "--article", type=int, action="append", metavar="ID", help="one article (repeatable)"
        )
        parser.add_argument("--batch-size", type=int, default=64, help="paragraphs per spaCy batch")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, every, article, batch_size, no_progress, **options):
        articles = Article.objects.order_by("pk")
        if not every:
            articles = articles.filter(pk__in=article)
            missing = set(article) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no article with id {', '.join(map(str, sorted(missing)))}")
        total = articles.count()
        bar = tqdm(
            total=total, unit=" articles", desc="Re-analysing", disable=no_progress or None, file=sys.stderr
        )
        done = 0
        orphans: list[str] = []
        unplaced: list[str] = []
        for stored in articles_reanalyze_many(
            articles=_in_chunks(list(articles.values_list("pk", flat=True))), batch_size=batch_size
        ):
            done += 1
            bar.update(1)
            orphans.extend(_orphans_of(stored))
            unplaced.extend(_unplaced_corrections_of(stored))
        bar.close()
        for line in orphans + unplaced:
            self.stderr.write(line)
        self.stdout.write(f"Re-analysed {done} article(s); {len(orphans)} orphaned annotation(s).")
        if unplaced:
            self.stdout.write(
                f"{len(unplaced)} correction(s) could not be placed (kept, listed on their article)."
            )


def _in_chunks(pks: list[int], size: int = CHUNK):
    """Articles a chunk at a time: a library of thousands is never held in memory at once, and no cursor
    stays open on the table being rewritten (SQLite gives no isolation between queries on one connection)."""
    for first in range(0, len(pks), size):
        chunk = Article.objects.in_bulk(pks[first : first + size])
        yield from (chunk[pk] for pk in pks[first : first + size] if pk in chunk)


def _orphans_of(article: Article) -> list[str]:
    """Annotations whose passage could not be found again (kept, and listed here)."""
    return [
        f"article {article.pk}: annotation {a.pk} is orphaned: “{a.exact[:60]}”"
        for a in article.annotations.filter(orphaned=True)
    ]


def _unplaced_corrections_of(article: Article) -> list[str]:
    """Readers' corrections the new analysis gave no place (kept, and listed here and on the article)."""
    return [
        f"article {article.pk}: correction {c.pk} ({c.get_kind_display()}) is not placed: {c.problem}"
        for c in article.corrections.active().filter(placed=False)
    ]
