"""Calibrate the speaker ranker's confidence on PolNeAR train, held out: never on dev.

usage (from the project root):
  .venv/bin/python bench/calibrate_speaker_confidence.py           # figures, then write the calibration
  .venv/bin/python bench/calibrate_speaker_confidence.py --dry-run # figures only

The ranker (articles/nlp/speakers/ranker.py) gives each quote's chosen speaker a share of the softmax over
"nobody" and the candidates. That share is not a probability of being right: the weights were fitted on the
same quotes, and a softmax over a handful of candidates is over-sure. So, as bench/train_speaker_ranker.py
does for its figures, train is split into 5 folds by document; the ranker is fitted on four and chooses the
speakers of the fifth, and each held-out choice gives a pair (softmax share, right by the shared scorer's
rule). A logistic curve over the share's log-odds (Platt scaling) is fitted on those pairs and written to
articles/nlp/speakers/speaker_confidence.json. Its own figures are held out a second time: the curve is
fitted on four folds' pairs and judged on the fifth's.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_quotes import MODEL, SHARED  # noqa: E402
from train_speaker_ranker import MARGINS, _examples, fit  # noqa: E402

from articles.nlp.speakers.confidence import CALIBRATION_FILE, Calibration  # noqa: E402
from articles.nlp.speakers.ranker import Ranker  # noqa: E402

FOLDS = 5
BINS = 10
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
UNSURE_BELOW = 0.7  # the page marks a speaker "unsure" below this (articles/models/quotes.py, UNSURE_BELOW)


def held_out_pairs(examples, folds: int) -> list[tuple[int, float, bool]]:
    """(fold, softmax share of the chosen speaker, right) for every quote the held-out ranker attributes."""
    documents = sorted({e.document for e in examples})
    fold_of = {d: i % folds for i, d in enumerate(documents)}
    pairs = []
    for fold in range(folds):
        ranker = Ranker(fit([e for e in examples if fold_of[e.document] != fold]), *MARGINS)
        for e in examples:
            if fold_of[e.document] != fold:
                continue
            chosen = ranker.choose(e.nobody, e.candidates)
            if chosen is not None:
                pairs.append((fold, ranker.probability(e.nobody, e.candidates, chosen), e.right[chosen]))
    return pairs


def platt(shares: np.ndarray, right: np.ndarray, steps: int = 50) -> Calibration:
    """Logistic regression of right on the share's log-odds (Newton's method, a tiny ridge for stability)."""
    x = np.log(np.clip(shares, 1e-6, 1 - 1e-6) / np.clip(1 - shares, 1e-6, 1))
    design = np.stack([x, np.ones_like(x)], axis=1)
    w = np.array([1.0, 0.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - right) + 1e-3 * w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + 1e-3 * np.eye(2)
        w -= np.linalg.solve(hessian, gradient)
    return Calibration(slope=round(float(w[0]), 4), intercept=round(float(w[1]), 4))


def figures(name: str, predicted: np.ndarray, right: np.ndarray) -> str:
    """Brier score, expected calibration error over BINS equal-width bins, and the unsure ones' accuracy."""
    brier = float(np.mean((predicted - right) ** 2))
    bins = np.minimum((predicted * BINS).astype(int), BINS - 1)
    ece = sum(
        abs(float(np.mean(predicted[bins == b])) - float(np.mean(right[bins == b]))) * np.sum(bins == b)
        for b in range(BINS)
        if np.any(bins == b)
    ) / len(predicted)
    unsure = predicted < UNSURE_BELOW
    return (
        f"{name}: brier={brier:.4f} ece={ece:.4f} unsure={int(unsure.sum())}/{len(predicted)} "
        f"right when unsure={float(np.mean(right[unsure])) if unsure.any() else math.nan:.3f} "
        f"right otherwise={float(np.mean(right[~unsure])) if (~unsure).any() else math.nan:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(SHARED / "eval" / "polnear" / "train"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    paths = sorted((Path(args.corpus) / "text").glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    examples = _examples(paths, ROOT / "bench" / "out" / "docs")
    pairs = held_out_pairs(examples, FOLDS)
    fold = np.array([f for f, _, _ in pairs])
    shares = np.array([s for _, s, _ in pairs])
    right = np.array([r for _, _, r in pairs], dtype=float)
    print(f"{len(paths)} documents, {len(examples)} quotes, {len(pairs)} attributed by the held-out ranker")
    print(figures("softmax share (held out)", shares, right))
    calibrated = np.zeros_like(shares)
    for k in range(FOLDS):  # the curve itself held out: fitted on four folds' pairs, applied to the fifth's
        curve = platt(shares[fold != k], right[fold != k])
        calibrated[fold == k] = [curve.apply(s) for s in shares[fold == k]]
    print(figures("calibrated (held out twice)", calibrated, right))
    for below in THRESHOLDS:  # what other thresholds for "unsure" would mark, and how often those are right
        marked = calibrated < below
        share = float(np.mean(right[marked])) if marked.any() else math.nan
        print(f"  below {below}: {int(marked.sum())} marked unsure, right {share:.3f} of those")
    curve = platt(shares, right)
    print(f"curve on every held-out pair: slope={curve.slope} intercept={curve.intercept}")
    if args.dry_run:
        return
    with open(CALIBRATION_FILE, "w", encoding="utf-8") as f:
        json.dump(
            {
                "model": MODEL,
                "corpus": f"PolNeAR train, {FOLDS}-fold held out (never dev)",
                "method": "Platt scaling of the ranker's softmax share",
                "slope": curve.slope,
                "intercept": curve.intercept,
            },
            f,
            indent=1,
            sort_keys=True,
        )
        f.write("\n")
    print(f"written to {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
