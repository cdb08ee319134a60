"""Import many articles (.txt, .html, .jsonl files, folders of them, or web addresses) through one spaCy
stream."""

from __future__ import annotations

import sys
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import search
from articles.interchange.article_files import ArticleInput, read_inputs
from articles.interchange.web_pages import is_web_address, page_or_failure
from articles.models.articles import library_shared
from articles.services.analysis import articles_import_many


class Command(BaseCommand):
    help = (
        "Import articles from .txt files (the seed form), .html pages and .jsonl files "
        '({"title", "text", "source", "published", "url"} per line), or folders of them. '
        "Duplicates are skipped, so an interrupted import finishes when run again. Say whose they are: "
        "--public (the public library) and/or --reader NAME (that reader's library)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--source", default="", help="source for articles that do not name one")
        parser.add_argument("--batch-size", type=int, default=64, help="paragraphs per spaCy batch")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--public", action="store_true", help="publish them: in the public library, which everyone reads"
        )
        parser.add_argument(
            "--reader", metavar="NAME", help="the user name of the reader whose library they join"
        )

    def handle(self, *args, paths, source, batch_size, no_progress, public, reader, **options):
        reader = _reader(reader)
        if not (public or reader or library_shared()):
            raise CommandError(
                "Say whose articles these are: --public puts them in the public library, which everyone "
                "reads; --reader NAME in that reader's own library (or both)."
            )
        counts = {"imported": 0, "skipped": 0, "failed": 0}
        inputs = _inputs(paths)
        if source:
            inputs = (
                replace(item, source=item.source or source) if isinstance(item, ArticleInput) else item
                for item in inputs
            )
        bar = tqdm(
            unit=" articles",
            desc="Importing",
            disable=no_progress or None,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        try:
            for outcome in articles_import_many(
                inputs=inputs, batch_size=batch_size, public=public, reader=reader
            ):
                counts[outcome.status] += 1
                if outcome.status == "imported":
                    bar.update(1)
                else:
                    bar.write(f"{outcome.origin}: {outcome.status}: {outcome.reason}", file=sys.stderr)
                bar.set_postfix(skipped=counts["skipped"], failed=counts["failed"], refresh=False)
        except KeyboardInterrupt:
            bar.close()
            self.stdout.write(self._summary(counts) + " (interrupted: run the same command again to finish)")
            raise CommandError("interrupted") from None
        bar.close()
        if counts["imported"]:
            search.statistics_refresh()  # so searches and library pages use their indexes at once
        self.stdout.write(self._summary(counts))
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} input(s) could not be imported; see the reasons above")

    @staticmethod
    def _summary(counts: dict[str, int]) -> str:
        return (
            f"Imported {counts['imported']}, skipped {counts['skipped']} (already in the library), "
            f"failed {counts['failed']}."
        )


def _reader(name: str | None):
    if not name:
        return None
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: name}).first()
    if user is None:
        raise CommandError(f"No reader called “{name}”: create the account first.")
    return user


def _inputs(paths: list[str]):
    for name in paths:
        if is_web_address(name):
            yield page_or_failure(name)
        else:
            yield from read_inputs([name])
