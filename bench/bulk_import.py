"""Bulk import throughput: the PolNeAR train articles into a fresh SQLite library, against bare spaCy.

usage (from the project root):
  .venv/bin/python bench/bulk_import.py             # all 840 PolNeAR train articles
  .venv/bin/python bench/bulk_import.py --limit 100 # a quick run
Prints articles per second for the whole import (read, parse, analyse, store, index) and for bare
`nlp.pipe` over the same paragraphs in the same run, and their ratio (target: at most 1.2).
The database is a temporary file, deleted at the end; the shared corpus is only read.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument("--batch-size", type=int, default=64, help="paragraphs per spaCy batch")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    paths = sorted(args.corpus.glob("*.txt"))[: args.limit or None]
    if not paths:
        sys.exit(f"no .txt files in {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="newsreader-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/library.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from articles.importers import read_inputs
        from articles.models import Article, Entity, Quote
        from articles.nlp.document import analysed_blocks
        from articles.nlp.model import load_model
        from articles.nlp.parse import parse_article
        from articles.services import articles_import_many

        call_command("migrate", verbosity=0)
        nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
        nlp("Warm up the pipeline once.")

        texts = [p.read_text(encoding="utf-8") for p in paths]
        paragraphs = [text[b.start : b.end] for text in texts for b in analysed_blocks(parse_article(text))]
        words = sum(len(p.split()) for p in paragraphs)

        started = time.perf_counter()
        for _ in nlp.pipe(paragraphs, batch_size=args.batch_size):
            pass
        bare = time.perf_counter() - started

        started = time.perf_counter()
        statuses: dict[str, int] = {}
        for outcome in articles_import_many(read_inputs(str(p) for p in paths), batch_size=args.batch_size):
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        full = time.perf_counter() - started

        n = len(paths)
        print(f"articles: {n} ({len(paragraphs):,} analysed blocks, {words:,} words)")
        print(f"outcomes: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}")
        print(
            f"stored: {Article.objects.count():,} articles, {Entity.objects.count():,} entities, "
            f"{Quote.objects.count():,} quotes"
        )
        print(f"bare nlp.pipe:  {bare:7.1f} s  {n / bare:6.1f} articles/s")
        print(f"import_articles:{full:7.1f} s  {n / full:6.1f} articles/s  (parse, analyse, store, index)")
        print(f"ratio import / bare spaCy: {full / bare:.2f}x (target <= 1.2x)")
        print(f"database: {Path(tmp, 'library.sqlite3').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
