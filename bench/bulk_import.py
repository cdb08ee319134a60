"""Bulk import throughput: the PolNeAR train articles into a fresh SQLite library, against bare spaCy.

usage (from the project root):
  .venv/bin/python bench/bulk_import.py             # all 840 PolNeAR train articles
  .venv/bin/python bench/bulk_import.py --limit 100 # a quick run
  .venv/bin/python bench/bulk_import.py --database-url postgres://… --workers 1,2   # PostgreSQL, 1 and 2 importers
  tests/postgres_cluster.sh sh -c '.venv/bin/python bench/bulk_import.py --database-url "$DATABASE_URL"'
Prints articles per second for the whole import (read, parse, analyse, store, index) and for bare
`nlp.pipe` over the same paragraphs in the same run, and their ratio (target: at most 1.2). The two take
turns chunk by chunk (each import chunk is one `import_articles`-style stream), so both meet the same load.
The database is a temporary file, deleted at the end; the shared corpus is only read.

With --database-url the articles go to that database instead (emptied before each import: its contents are
replaced), by `manage.py import_articles` processes, 1 and 2 of them at once (--workers), each taking every
n-th file. Each import is timed from the processes' start (Django and the spaCy model load included) to the
last one's end, right after bare `nlp.pipe` over the same paragraphs in as many processes, timed the same way
(model load included), so each ratio compares two runs that met the same machine load.
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


def paragraphs_of(paths: list[Path]) -> list[str]:
    from articles.nlp.parse import parse_article
    from articles.nlp.pipeline import analysed_blocks

    texts = [p.read_text(encoding="utf-8") for p in paths]
    return [text[b.start : b.end] for text in texts for b in analysed_blocks(parse_article(text))]


def on_server(args: argparse.Namespace, paths: list[Path]) -> None:
    """Import into the database at --database-url with 1, 2, … import_articles processes, against bare spaCy."""
    import subprocess

    import dj_database_url

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench-bulk-import-key")  # DEBUG off with a database server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Entity, Quote

    call_command("migrate", verbosity=0)
    os.environ["NEWSREADER_SPACY_MODEL"] = settings.NEWSREADER_SPACY_MODEL  # for the bare processes
    n = len(paths)
    vendor = dj_database_url.parse(args.database_url)["ENGINE"].rsplit(".", 1)[1]
    print(f"articles: {n} ({len(paragraphs_of(paths)):,} analysed blocks), into {vendor}")

    def timed(commands: list[list[str]]) -> tuple[float, list[int]]:
        started = time.perf_counter()
        processes = [
            subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL)
            for command in commands
        ]
        codes = [p.wait() for p in processes]
        return time.perf_counter() - started, codes

    ratios = {}
    for workers in args.workers:
        shares = [[str(p) for p in paths[i::workers]] for i in range(workers)]
        plural = "es" if workers > 1 else ""
        # Bare spaCy in as many processes, each over its share's paragraphs (model loading included, as the
        # import processes load Django and the model), just before the import: both meet the same load.
        bare, codes = timed(
            [
                [sys.executable, __file__, "--bare", "--batch-size", str(args.batch_size), *share]
                for share in shares
            ]
        )
        print(
            f"bare nlp.pipe, {workers} process{plural}:   {bare:7.1f} s  {n / bare:6.1f} articles/s  {codes}"
        )
        call_command("flush", interactive=False, verbosity=0)
        connection.close()
        full, codes = timed(
            [[sys.executable, "manage.py", "import_articles", "--no-progress", *share] for share in shares]
        )
        print(
            f"import_articles, {workers} process{plural}: {full:7.1f} s  {n / full:6.1f} articles/s  "
            f"(exit codes {codes}; {Article.objects.count():,} articles, {Entity.objects.count():,} entities, "
            f"{Quote.objects.count():,} quotes stored)"
        )
        connection.close()
        ratios[workers] = full / bare
    for workers, ratio in ratios.items():
        print(f"ratio import / bare spaCy, {workers} process{'es' if workers > 1 else ''}: {ratio:.2f}x")


def bare_pipe(paths: list[Path], batch_size: int) -> None:
    """One bare spaCy process over these articles' paragraphs (the --database-url comparison's)."""
    sys.path.insert(0, str(ROOT))
    from articles.nlp.model import load_model

    nlp = load_model(os.environ["NEWSREADER_SPACY_MODEL"])
    for _ in nlp.pipe(paragraphs_of(paths), batch_size=batch_size):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument("--batch-size", type=int, default=64, help="paragraphs per spaCy batch")
    parser.add_argument("--chunk", type=int, default=105, help="articles per turn of bare spaCy and import")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--database-url", help="import into this database instead (its contents are replaced)"
    )
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2],
        help="with --database-url: import_articles processes at once, one run per number (default 1,2)",
    )
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)  # one bare spaCy process
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)  # its articles
    args = parser.parse_args()
    if args.bare:
        bare_pipe(args.files, args.batch_size)
        return

    paths = sorted(args.corpus.glob("*.txt"))[: args.limit or None]
    if not paths:
        sys.exit(f"no .txt files in {args.corpus}")
    if args.database_url:
        on_server(args, paths)
        return
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
        from articles.services.analysis import articles_import_many

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

            def run_bare(paragraphs: list[str] = paragraphs) -> float:
                started = time.perf_counter()
                for _ in nlp.pipe(paragraphs, batch_size=args.batch_size):
                    pass
                return time.perf_counter() - started

            def run_import(chunk: list = chunk) -> float:
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
