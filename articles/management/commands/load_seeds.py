"""Load every article in seeds/ that the library does not have yet (safe to run on every start)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import ArticleRejected, article_import, content_hash, normalise_text, text_from_bytes


class Command(BaseCommand):
    help = "Import the seed articles once; already-loaded seeds are left alone."

    def handle(self, *args, **options):
        seeds = sorted((settings.BASE_DIR / "seeds").glob("*.txt"))
        loaded = 0
        for path in seeds:
            text = text_from_bytes(path.read_bytes())
            if Article.objects.filter(content_hash=content_hash(normalise_text(text))).exists():
                continue
            try:
                article_import(text=text)
            except ArticleRejected as error:
                self.stderr.write(f"{path.name}: {error}")
                continue
            loaded += 1
        self.stdout.write(f"Seeds: {loaded} loaded, {len(seeds) - loaded} already present or skipped.")
