"""Choosing among the speakers the rules propose for a quote, with weights learned on PolNeAR train.

Every strategy in speakers/ proposes its speaker, and the people, bodies and pronouns standing near the
quote are candidates too (candidates.py). Each candidate is described by a few dozen yes/no features
(features.py: which rules propose it, where it stands, what it is, which verb it is the subject of), and so
is the quote ("nobody" is a candidate whose features are the quote's). A conditional logit model scores
them: the best candidate speaks, unless "nobody" scores higher. The weights come from
`bench/train_speaker_ranker.py`, which writes `speaker_ranker.json` beside this module; without that file
the rules' own order decides.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("speaker_ranker.json")
# Quotes this short are terms, not sentences: only a rule may give them a speaker.
SHORT_QUOTE_FEATURES = frozenset({"nobody|words:1", "nobody|words:3"})
# Strategies whose choice is never set aside for nobody: the verb, colon, introduction or signature right by
# the quote says who spoke.
NEVER_SET_ASIDE = frozenset({"manner-verb", "colon", "introduced", "signed"})
# A name signing a quote after a dash says outright whose words they are: no other candidate is weighed.
FINAL_STRATEGIES = frozenset({"signed"})


@dataclass(frozen=True)
class Ranker:
    """Feature weights of the conditional logit model; the quote's features score "nobody"."""

    weights: dict[str, float]
    set_aside_margin: float = 0.0
    unproposed_margin: float = 0.0

    def score(self, features: Iterable[str]) -> float:
        return sum(self.weights.get(f, 0.0) for f in features)

    def probability(self, nobody: Sequence[str], candidates: Sequence[Sequence[str]], chosen: int) -> float:
        """The chosen candidate's share of the softmax over "nobody" and every candidate (the model's own
        probability, before calibration)."""
        scores = [self.score(nobody), *(self.score(c) for c in candidates)]
        top = max(scores)
        return math.exp(scores[chosen + 1] - top) / sum(math.exp(s - top) for s in scores)

    def choose(self, nobody: Sequence[str], candidates: Sequence[Sequence[str]]) -> int | None:
        """Index of the best candidate by score, or None for nobody. A candidate no rule proposes may speak
        only a quote of a few words or more (a quoted term gets a speaker from a rule or not at all); the
        rules' choice is set aside for nobody only by a margin, and never when a verb of manner or a colon
        placed it; a signature's choice stands against every other candidate; an unproposed candidate needs a
        margin over nobody."""
        short = any(f in nobody for f in SHORT_QUOTE_FEATURES)
        best, best_score = None, float("-inf")
        for index, features in enumerate(candidates):
            if short and "unproposed" in features:
                continue
            score = self.score(features)
            if score > best_score:
                best, best_score = index, score
        if best is None:
            return None
        nobody_score = self.score(nobody)
        rules_choice = next((f for c in candidates for f in c if f.startswith("rule-rank:0|first:")), None)
        if rules_choice is not None:
            strategy = rules_choice.rsplit(":", 1)[1]
            if strategy in FINAL_STRATEGIES:
                return next(i for i, c in enumerate(candidates) if rules_choice in c)
            if strategy in NEVER_SET_ASIDE or (
                strategy == "continuation" and "nobody|starts-paragraph:True" in nobody
            ):
                return best
            return None if nobody_score > best_score + self.set_aside_margin else best
        return best if best_score > nobody_score + self.unproposed_margin else None


@cache
def load_ranker(path: Path = WEIGHTS_FILE) -> Ranker | None:
    """The learned weights, read once per process; None when they were never built."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Ranker(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        set_aside_margin=float(data.get("set_aside_margin", 0.0)),
        unproposed_margin=float(data.get("unproposed_margin", 0.0)),
    )
