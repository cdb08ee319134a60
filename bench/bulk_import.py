"""Bulk import throughput: the PolNeAR train articles into a fresh SQLite library, against bare spaCy.

usage (from the project root):
  .venv/bin/python bench/bulk_import.py             # all 840 PolNeAR train articles
  .venv/bin/python bench/bulk_import.py --limit 100 # a quick run
Prints articles per second for the whole import (read, parse, analyse, store, index) and for bare
`nlp.pipe` over the same paragraphs in the same run, and their ratio (target: at most 1.2). The two take
turns chunk by chunk (each import chunk is one `import_articles`-style stream), so both meet the same load.
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
    parser.add_argument("--chunk", type=int, default=105, help="articles per turn of bare spaCy and import")
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

        from articles.interchange.article_files import read_inputs
        from articles.models import Article, Entity, Quote
        from articles.nlp.model import load_model
        from articles.nlp.parse import parse_article
        from articles.nlp.pipeline import analysed_blocks
        from articles.services.articles import articles_import_many

        call_command("migrate", verbosity=0)
        nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
        nlp("Warm up the pipeline once.")

        # Bare spaCy and the import take turns over the same chunks of articles, so both meet the same
        # machine load (other processes on a shared machine would otherwise favour whichever ran later).
        chunks = [paths[i : i + args.chunk] for i in range(0, len(paths), args.chunk)]
        bare = full = 0.0
        blocks = words = 0
        statuses: dict[str, int] = {}
        for number, chunk in enumerate(chunks):
            texts = [p.read_text(encoding="utf-8") for p in chunk]
            paragraphs = [
                text[b.start : b.end] for text in texts for b in analysed_blocks(parse_article(text))
            ]
            blocks += len(paragraphs)
            words += sum(len(p.split()) for p in paragraphs)

            def run_bare() -> float:
                started = time.perf_counter()
                for _ in nlp.pipe(paragraphs, batch_size=args.batch_size):
                    pass
                return time.perf_counter() - started

            def run_import() -> float:
                started = time.perf_counter()
                inputs = read_inputs(str(p) for p in chunk)
                for outcome in articles_import_many(inputs=inputs, batch_size=args.batch_size):
                    statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
                return time.perf_counter() - started

            if number % 2:
                full += run_import()
                bare += run_bare()
            else:
                bare += run_bare()
                full += run_import()
            print(f"  {sum(len(c) for c in chunks[: number + 1])} articles", end="\r", flush=True)

        n = len(paths)
        print(f"articles: {n} ({blocks:,} analysed blocks, {words:,} words), in chunks of {args.chunk}")
        print(f"outcomes: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}")
        print(
            f"stored: {Article.objects.count():,} articles, {Entity.objects.count():,} entities, "
            f"{Quote.objects.count():,} quotes"
        )
        print(f"bare nlp.pipe:  {bare:7.1f} s  {n / bare:6.1f} articles/s")
        print(f"import_articles:{full:7.1f} s  {n / full:6.1f} articles/s  (parse, analyse, store, index)")
        print(f"ratio import / bare spaCy: {full / bare:.2f}x (target <= 1.2x)")
        size = sum(f.stat().st_size for f in Path(tmp).glob("library.sqlite3*"))
        print(f"database: {size / 1e6:.1f} MB (with its write-ahead log)")


if __name__ == "__main__":
    main()
