"""Calibrate the confidence of reported and partly quoted statements on PolNeAR train, held out: never on dev.

usage (from the project root):
  .venv/bin/python bench/calibrate_statement_confidence.py            # figures, then write the calibration
  .venv/bin/python bench/calibrate_statement_confidence.py --dry-run  # figures only
  .venv/bin/python bench/calibrate_statement_confidence.py --dry-run --reuse  # from the pairs kept last time

The statement scorer (articles/nlp/statements/scorer.py) gives every candidate attribution a probability; the
reported and mixed statements of an article are the candidates it keeps. That probability is not how often a
kept statement is right: the weights were fitted on the same documents, and it was learned for candidates
(right when their content overlaps any gold content by half), not for the kept ones the shared scorer matches
one to one. So, as bench/train_statement_scorer.py cross-validates, train is split into 5 folds by document;
the cue lemmas and the weights are learned on four, the fifth's statements are found with them (the shipped
threshold, the full assembly), and each of its reported or mixed statements that names a speaker gives a pair
(the scorer's probability of its reading, right by the shared scorer: its content matched one to one, as
score_attributions.py matches, and its speaker right). A logistic curve over the probability's log-odds (Platt
scaling, bench/calibrate_speaker_confidence.py's code) is fitted on those pairs, one for sources the text names
and one for pronouns (the probability rates "he said ..." about five points too high), and written to
articles/nlp/statements/statement_confidence.json. Its own figures are held out a second time: the curves are
fitted on four folds' pairs and judged on the fifth's. The pairs are kept in bench/out for --reuse.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from calibrate_speaker_confidence import BINS, FOLDS, THRESHOLDS, UNSURE_BELOW, figures, platt  # noqa: E402
from eval_quotes import MODEL, SHARED  # noqa: E402
from train_statement_scorer import (  # noqa: E402
    documents,
    fit,
    gold_cues,
    learned_cue_lemmas,
    load_attribution_scorer,
    probabilities,
    propose,
)

from articles.nlp.statements.assembly import assemble, kept  # noqa: E402
from articles.nlp.statements.confidence import CALIBRATION_FILE, NAMED, PRONOUN, source_kind  # noqa: E402
from articles.nlp.statements.lexicon import WEIGHTS_FILE  # noqa: E402
from articles.nlp.types import Statement  # noqa: E402

PAIRS_FILE = ROOT / "bench" / "out" / "statement_confidence_pairs.json"


def outcomes(scorer: ModuleType, units: list[dict[str, Any]], statements: list[Statement]) -> list[bool]:
    """Per statement, whether the shared scorer counts it right: matched to a gold attribution one to one
    (greedy by overlap, as score_attributions.score does) and its speaker right. Every statement naming a
    speaker takes part, direct ones too, since they compete for the same gold attributions."""
    pairs = []
    for gi, unit in enumerate(units):
        for pi, statement in enumerate(statements):
            shared = scorer.spans_overlap(unit["content"], list(statement.content))
            shorter = min(scorer.chars(unit["content"]), scorer.chars(list(statement.content)))
            if statement.speaker and shorter > 0 and shared * 2 >= shorter:
                pairs.append((shared, gi, pi))
    right = [False] * len(statements)
    used_gold, used_statements = set(), set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi in used_gold or pi in used_statements:
            continue
        used_gold.add(gi)
        used_statements.add(pi)
        unit, statement = units[gi], statements[pi]
        where = (statement.speaker_start, statement.speaker_end)
        ok = statement.speaker_start is not None and any(scorer.overlap(s, where) for s in unit["source"])
        if not ok and unit["source_text"]:
            ok = scorer.last_word(statement.speaker) == scorer.last_word(unit["source_text"])
        right[pi] = ok
    return right


def held_out_pairs(paths: list[Path], folds: int, threshold: float) -> list[dict[str, Any]]:
    """One row per reported or mixed statement naming a speaker, found by weights (and cue lemmas) learned
    without its document: fold, kind, the scorer's probability, the source as the text names it, right."""
    corpus = paths[0].parent.parent
    cache = ROOT / "bench" / "out" / "docs"
    scorer = load_attribution_scorer()
    gold = scorer.load_gold(str(corpus))
    for name, cue_spans in gold_cues(corpus, scorer).items():
        if name in gold:
            gold[name]["cues"] = cue_spans
    rows = []
    for fold in range(folds):
        inside = [p for i, p in enumerate(paths) if i % folds != fold]
        outside = [p for i, p in enumerate(paths) if i % folds == fold]
        propose(learned_cue_lemmas(inside, gold, cache))
        train = documents(inside, gold, scorer, cache)
        weights = fit([f for d in train for f in d.features], [r for d in train for r in d.right])
        del train
        for doc in documents(outside, gold, scorer, cache):
            probs = probabilities(weights, doc.features)
            score_of = {id(c): p for c, p in zip(doc.candidates, probs)}
            chosen = kept(doc.context, doc.candidates, probs, threshold)
            statements = list(assemble(doc.context, doc.quotes, chosen, lambda c, of=score_of: of[id(c)]))
            units = gold.get(doc.name, {"units": []})["units"]
            for statement, right in zip(statements, outcomes(scorer, units, statements)):
                if statement.kind == "direct" or statement.confidence is None:
                    continue
                source = doc.context.text[statement.speaker_start : statement.speaker_end]
                rows.append(
                    {
                        "document": doc.name,
                        "fold": fold,
                        "kind": statement.kind,
                        "score": statement.confidence,
                        "source": source.lower()[:60],
                        "right": right,
                    }
                )
        print(f"fold {fold}: {len(rows)} statements so far", file=sys.stderr)
    return rows


def reliability(predicted: np.ndarray, right: np.ndarray) -> list[str]:
    """Per tenth of the predicted scale: how many, the mean prediction and how often right."""
    lines = []
    bins = np.minimum((predicted * BINS).astype(int), BINS - 1)
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            lines.append(
                f"  {b / BINS:.1f}-{(b + 1) / BINS:.1f}: n={int(inside.sum()):5d} "
                f"predicted={float(predicted[inside].mean()):.3f} observed={float(right[inside].mean()):.3f}"
            )
    return lines


def held_out_twice(fold: np.ndarray, kinds: np.ndarray, scores: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Each pair's calibrated confidence from its kind of source's curve fitted on the other folds' pairs."""
    calibrated = np.zeros_like(scores)
    for k in range(FOLDS):
        for kind in (NAMED, PRONOUN):
            fitted, judged = (fold != k) & (kinds == kind), (fold == k) & (kinds == kind)
            curve = platt(scores[fitted], right[fitted])
            calibrated[judged] = [curve.apply(s) for s in scores[judged]]
    return calibrated


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(SHARED / "eval" / "polnear" / "train"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write no calibration")
    parser.add_argument(
        "--reuse", action="store_true", help=f"read the held-out pairs kept last time in {PAIRS_FILE.name}"
    )
    args = parser.parse_args()
    if args.reuse:
        rows = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    else:
        paths = sorted((Path(args.corpus) / "text").glob("*.txt"))
        if args.limit:
            paths = paths[: args.limit]
        threshold = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["threshold"]
        rows = held_out_pairs(paths, FOLDS, threshold)
        PAIRS_FILE.parent.mkdir(parents=True, exist_ok=True)
        PAIRS_FILE.write_text(json.dumps(rows), encoding="utf-8")
    fold = np.array([r["fold"] for r in rows])
    kinds = np.array([source_kind(r["source"]) for r in rows])
    scores = np.array([r["score"] for r in rows])
    right = np.array([r["right"] for r in rows], dtype=float)
    calibrated = held_out_twice(fold, kinds, scores, right)
    print(
        f"{len({r['document'] for r in rows})} documents, {len(rows)} reported or mixed statements naming a "
        f"speaker, right {float(right.mean()):.3f}"
    )
    print(figures("scorer's probability (held out)", scores, right))
    print(figures("calibrated (held out twice)", calibrated, right))
    groups = [
        ("reported", np.array([r["kind"] == "reported" for r in rows])),
        ("mixed", np.array([r["kind"] == "mixed" for r in rows])),
        ("source named", kinds == NAMED),
        ("source a pronoun", kinds == PRONOUN),
    ]
    for name, inside in groups:
        print(
            f"  {name}: n={int(inside.sum())} right={float(right[inside].mean()):.3f} "
            f"probability={float(scores[inside].mean()):.3f} calibrated={float(calibrated[inside].mean()):.3f} "
            f"unsure={float(np.mean(calibrated[inside] < UNSURE_BELOW)):.1%}"
        )
    for kind in (NAMED, PRONOUN):  # what the second curve is for
        inside = kinds == kind
        print(figures(f"  {kind} sources, probability", scores[inside], right[inside]))
        print(figures(f"  {kind} sources, calibrated", calibrated[inside], right[inside]))
    print("reliability of the calibrated confidence (held out twice):")
    print("\n".join(reliability(calibrated, right)))
    for below in THRESHOLDS:  # what other thresholds for "unsure" would mark, and how often those are right
        marked = calibrated < below
        share = float(np.mean(right[marked])) if marked.any() else math.nan
        rest = float(np.mean(right[~marked])) if (~marked).any() else math.nan
        print(
            f"  below {below}: {int(marked.sum())} marked unsure ({float(marked.mean()):.1%}), "
            f"right {share:.3f} of those, {rest:.3f} of the rest"
        )
    curves = {kind: platt(scores[kinds == kind], right[kinds == kind]) for kind in (NAMED, PRONOUN)}
    print(
        "curves on every held-out pair: "
        + ", ".join(f"{kind} slope={c.slope} intercept={c.intercept}" for kind, c in curves.items())
    )
    print(f"(the page marks a statement unsure below {UNSURE_BELOW})")
    if args.dry_run:
        return
    with open(CALIBRATION_FILE, "w", encoding="utf-8") as f:
        json.dump(
            {
                "model": MODEL,
                "corpus": f"PolNeAR train, {FOLDS}-fold held out (never dev)",
                "method": "Platt scaling of the statement scorer's probability, per kind of source",
                **{kind: {"slope": c.slope, "intercept": c.intercept} for kind, c in curves.items()},
            },
            f,
            indent=1,
            sort_keys=True,
        )
        f.write("\n")
    print(f"written to {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
