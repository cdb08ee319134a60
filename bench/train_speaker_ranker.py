"""Learn the speaker ranker's weights (articles/nlp/speakers/speaker_ranker.json) from PolNeAR train only.

usage (from the project root):
  .venv/bin/python bench/train_speaker_ranker.py              # 5-fold figures on train, then write the weights
  .venv/bin/python bench/train_speaker_ranker.py --folds 0    # only write the weights

For every quote the rules' candidates (articles/nlp/speakers/candidates.py) are described by their features
(articles/nlp/speakers/features.py); a candidate is right when the shared scorer would count it right against the
gold source of the quote. A conditional logit model (softmax over "nobody" and the candidates, L2 penalty)
is fitted with numpy; "nobody" is the answer when no candidate is right or no gold quote matches.
Deterministic: the same corpus, model and code give the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_quotes import MODEL, SHARED, load_scorer, parsed_documents  # noqa: E402

from articles.nlp.context import QuoteSite, SpeakerCandidate  # noqa: E402
from articles.nlp.model import load_model  # noqa: E402
from articles.nlp.pipeline import article_context  # noqa: E402
from articles.nlp.speakers.choice import quotes_choosing, rules_choice  # noqa: E402
from articles.nlp.speakers.ranker import WEIGHTS_FILE, Ranker  # noqa: E402

# A feature seen in fewer training quotes than this gets no weight: too rare to learn from.
MIN_FEATURE_COUNT = 5
L2 = 2.0  # penalty per weight squared, against the summed log-likelihood
STEPS = 400
# How much better "nobody" must score to set the rules' choice aside, and an unproposed candidate must score
# to beat "nobody" (chosen by 5-fold cross-validation on train: the same e2e F1, fewer wrong speakers).
MARGINS = (0.0, 0.5)
LEARNING_RATE = 0.05


@dataclass
class QuoteExample:
    document: str
    span: tuple[int, int]
    nobody: list[str]
    candidates: list[list[str]]
    right: list[bool]  # per candidate
    has_gold: bool  # a gold quote matches it: attributed, it counts for speaker accuracy
    predictions: list[dict[str, Any]]  # per candidate, the speaker fields it would write


def _examples(paths: list[Path], cache: Path) -> list[QuoteExample]:
    """Every quote of the documents with its candidates' features and which are right; the quote before
    each keeps the speaker the rules chose."""
    scorer = load_scorer()
    gold = scorer.load_gold(str(paths[0].parent.parent))
    nlp = load_model(MODEL)
    examples: list[QuoteExample] = []
    for path, text, blocks, docs in parsed_documents(paths, nlp, cache):
        if not blocks:
            continue
        units = gold.get(path.stem, {"units": []})["units"]
        context = article_context(text, blocks, docs)

        def record(
            site: QuoteSite,
            candidates: Sequence[SpeakerCandidate],
            nobody: list[str],
            features: list[list[str]],
            units: list[dict[str, Any]] = units,
            document: str = path.stem,
        ) -> int | None:
            span = (site.span.start, site.span.end)
            unit, best = None, 0
            for u in units:
                overlap = scorer.overlap(u["span"], span)
                shorter = min(u["span"][1] - u["span"][0], span[1] - span[0])
                if overlap * 2 >= shorter and overlap > best:
                    unit, best = u, overlap
            right = []
            for c in candidates:
                a = c.attribution
                ok = (
                    unit is not None
                    and bool(unit["source"])
                    and (
                        any(
                            scorer.overlap((x, y), (a.speaker_start, a.speaker_end))
                            for x, y in unit["source"]
                        )
                        or scorer.last_word(a.speaker) == scorer.last_word(unit["source_text"])
                    )
                )
                right.append(ok)
            predictions = [
                {
                    "speaker": c.attribution.speaker,
                    "speaker_start": c.attribution.speaker_start,
                    "speaker_end": c.attribution.speaker_end,
                }
                for c in candidates
            ]
            examples.append(
                QuoteExample(document, span, nobody, features, right, unit is not None, predictions)
            )
            return rules_choice(site, candidates, nobody, features)

        quotes_choosing(context, record)
    return examples


class Design:
    """Examples as index arrays: every row is "nobody" or a candidate, every row a list of features."""

    def __init__(self, examples: Sequence[QuoteExample], vocabulary: dict[str, int]) -> None:
        rows: list[list[int]] = []
        self.group_of_row: list[int] = []
        self.positive: list[bool] = []
        for g, ex in enumerate(examples):
            any_right = any(ex.right)
            for features, right in [(ex.nobody, not any_right), *zip(ex.candidates, ex.right)]:
                rows.append([vocabulary[f] for f in features if f in vocabulary])
                self.group_of_row.append(g)
                self.positive.append(right)
        self.groups = len(examples)
        self.row_of_entry = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
        self.feature_of_entry = np.array([f for r in rows for f in r], dtype=np.int64)
        self.group = np.array(self.group_of_row, dtype=np.int64)
        self.mask = np.array(self.positive, dtype=bool)
        self.rows = len(rows)

    def scores(self, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_of_entry, weights=weights[self.feature_of_entry], minlength=self.rows)

    def gradient(self, weights: np.ndarray) -> tuple[float, np.ndarray]:
        """Negative log-likelihood of the right rows and its gradient."""
        s = self.scores(weights)
        top = np.full(self.groups, -np.inf)
        np.maximum.at(top, self.group, s)
        e = np.exp(s - top[self.group])
        total = np.bincount(self.group, weights=e, minlength=self.groups)
        right_total = np.bincount(self.group, weights=e * self.mask, minlength=self.groups)
        loss = -np.sum(np.log(right_total / total))
        p_all = e / total[self.group]
        p_right = np.where(self.mask, e / right_total[self.group], 0.0)
        row_grad = p_all - p_right
        grad = np.bincount(self.feature_of_entry, weights=row_grad[self.row_of_entry], minlength=len(weights))
        return float(loss), grad


def fit(examples: Sequence[QuoteExample], l2: float = L2) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for ex in examples:
        seen = set(ex.nobody)
        for features in ex.candidates:
            seen.update(features)
        counts.update(seen)
    names = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    vocabulary = {f: i for i, f in enumerate(names)}
    design = Design(examples, vocabulary)
    weights = np.zeros(len(names))
    m = np.zeros_like(weights)
    v = np.zeros_like(weights)
    for step in range(1, STEPS + 1):  # Adam, full batch
        _, grad = design.gradient(weights)
        grad = grad + 2 * l2 * weights
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        weights -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {f: round(float(w), 4) for f, w in zip(names, weights) if abs(w) >= 1e-4}


def choose(
    weights: dict[str, float], ex: QuoteExample, margins: tuple[float, float] = (0.0, 0.0)
) -> int | None:
    return Ranker(weights, *margins).choose(ex.nobody, ex.candidates)


def rules(ex: QuoteExample) -> int | None:
    return next((i for i, f in enumerate(ex.candidates) if "rule-rank:0" in f), None)


def tally(examples: Sequence[QuoteExample], choices: Sequence[int | None], gold_units: int) -> str:
    """Quote-level figures in the scorer's terms: attributed, right; e2e F1 against all gold units."""
    attributed = sum(c is not None for c in choices)
    matched = sum(c is not None and ex.has_gold for ex, c in zip(examples, choices))
    right = sum(c is not None and ex.right[c] for ex, c in zip(examples, choices))
    precision = right / max(attributed, 1)
    recall = right / max(gold_units, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return f"attributed={attributed} right={right} e2e_f1~{f1:.4f} speaker_acc~{right / max(matched, 1):.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", default=str(SHARED / "eval" / "polnear" / "train"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds on train (0: none)")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--out", default=str(WEIGHTS_FILE))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    paths = sorted((corpus / "text").glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    examples = _examples(paths, ROOT / "bench" / "out" / "docs")
    gold = load_scorer().load_gold(str(corpus))
    gold_units = sum(len(gold[p.stem]["units"]) for p in paths if p.stem in gold)
    print(
        f"{len(paths)} documents, {len(examples)} quotes, {sum(len(e.candidates) for e in examples)} candidates"
    )
    print("rules:  ", tally(examples, [rules(e) for e in examples], gold_units))
    best = [next((i for i, r in enumerate(e.right) if r), None) for e in examples]
    print("best candidate (upper bound):", tally(examples, best, gold_units))
    if args.folds:
        documents = sorted({e.document for e in examples})
        fold_of = {d: i % args.folds for i, d in enumerate(documents)}
        choices: list[int | None] = [None] * len(examples)
        for fold in range(args.folds):
            train = [e for e in examples if fold_of[e.document] != fold]
            weights = fit(train, args.l2)
            for i, e in enumerate(examples):
                if fold_of[e.document] == fold:
                    choices[i] = choose(weights, e, MARGINS)
        print("ranker: ", tally(examples, choices, gold_units), f"({args.folds}-fold, held out)")
    weights = fit(examples, args.l2)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(
            {
                "model": MODEL,
                "corpus": "PolNeAR train",
                "set_aside_margin": MARGINS[0],
                "unproposed_margin": MARGINS[1],
                "weights": weights,
            },
            f,
            indent=0,
            sort_keys=True,
        )
        f.write("\n")
    print(f"{len(weights)} weights written to {args.out}")


if __name__ == "__main__":
    main()
