"""Load every article in seeds/ that the library does not have yet (safe to run on every start)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.interchange.article_files import (
    ArticleDuplicate,
    ArticleInput,
    ArticleRejected,
    text_from_bytes,
)
from articles.services.analysis import article_import


class Command(BaseCommand):
    help = "Import the seed articles once; already-loaded seeds are left alone."

    def handle(self, *args, **options):
        seeds = sorted((settings.BASE_DIR / "seeds").glob("*.txt"))
        loaded = 0
        for path in seeds:
            try:
                # The seeds are the public library a fresh install starts with.
                article_import(
                    incoming=ArticleInput(text=text_from_bytes(path.read_bytes()), origin=path.name),
                    public=True,
                )
            except ArticleDuplicate:
                continue
            except ArticleRejected as error:
                self.stderr.write(f"{path.name}: {error}")
                continue
            loaded += 1
        self.stdout.write(f"Seeds: {loaded} loaded, {len(seeds) - loaded} already present or skipped.")
