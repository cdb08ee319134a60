"""Which candidate attributions to keep: a logistic model over sparse yes/no features of the cue, its
content and its source, learned on PolNeAR train by `bench/train_statement_scorer.py` (the weights ship in
`statement_scorer.json`). Without the file, a cue from the hand-written lexicons with a source that can
speak is kept."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..attribution import can_speak, is_cue, is_speech_cue
from .lexicon import WEIGHTS_FILE

if TYPE_CHECKING:
    from ..context import ArticleContext
    from ..context import StatementCandidate as Candidate

LENGTH_BUCKETS = (2, 5, 10, 20, 40, 80)
DISTANCE_BUCKETS = (0, 1, 3, 8)
MODALS = frozenset({"would", "will", "could", "can", "may", "might", "should", "must"})
MARK_WORDS = frozenset({"that", "if", "whether", "to", "how", "what", "why", "when"})


def _bucket(value: float, bounds: Sequence[float]) -> str:
    for bound in bounds:
        if value <= bound:
            return str(bound)
    return f">{bounds[-1]}"


def _source_kind(label_at: Callable[[int, int], str | None], block: int, source: Token) -> str:
    if source.pos_ == "PRON":
        return f"pron:{source.lower_}"
    label = label_at(block, source.idx)
    if label is not None:
        return f"ent:{label}"
    return f"pos:{source.pos_}"


def _lexicon_kind(cue: Token) -> str:
    if cue.lower_ == "according":
        return "according"
    if not is_cue(cue):
        return "none"
    return "speech" if is_speech_cue(cue) else "view"


class Labels:
    """The entity label at a char of a block, found by bisection (a block may hold thousands of mentions)."""

    def __init__(self, context: ArticleContext) -> None:
        self.context = context
        self.starts = [
            [context.mentions[m].start for m in mentions] for mentions in context.mentions_by_block
        ]

    def __call__(self, block: int, pos: int) -> str | None:
        context = self.context
        absolute = context.blocks[block].start + pos
        index = bisect_right(self.starts[block], absolute) - 1
        if index < 0:
            return None
        mention = context.mentions[context.mentions_by_block[block][index]]
        return mention.label if mention.start <= absolute < mention.end else None


class Nesting:
    """Where a block's candidate cues stand and which tokens their contents cover, to tell in constant time a
    content holding another cue ("X said that Y believes Z") from one held by another's content."""

    def __init__(self, candidates: Sequence[Candidate], length: int) -> None:
        cues_at = [0] * (length + 1)
        starts = [0] * (length + 1)
        self.own_cover: dict[int, int] = {}  # per cue token, how many of its own readings cover it
        for candidate in candidates:
            cue = candidate.cue.i
            cues_at[cue] += 1
            for a, b in candidate.content.ranges:
                starts[a] += 1
                starts[b] -= 1
                if a <= cue < b:
                    self.own_cover[cue] = self.own_cover.get(cue, 0) + 1
        self.cues_at = cues_at
        self.cues_before = list(accumulate(cues_at, initial=0))
        self.covered = list(accumulate(starts))

    def holds(self, candidate: Candidate) -> int:
        """How many other cues' candidates stand inside this candidate's content."""
        cue = candidate.cue.i
        inside = sum(self.cues_before[b] - self.cues_before[a] for a, b in candidate.content.ranges)
        if any(a <= cue < b for a, b in candidate.content.ranges):
            inside -= self.cues_at[cue]
        return inside

    def held(self, candidate: Candidate) -> bool:
        """Whether another cue's content covers this candidate's cue."""
        cue = candidate.cue.i
        return self.covered[cue] - self.own_cover.get(cue, 0) > 0


def candidate_features(
    context: ArticleContext,
    candidate: Candidate,
    nesting: Nesting | None = None,
    label_at: Callable[[int, int], str | None] | None = None,
) -> list[str]:
    """The yes/no features the model reads for one candidate; `nesting` tells about the other candidates of
    its block, `label_at` reads entity labels (the context's own, slower lookup without it)."""
    if nesting is None:
        nesting = Nesting([candidate], len(candidate.cue.doc))
    label_at = label_at or context.label_at
    cue, source, content = candidate.cue, candidate.source, candidate.content
    block = candidate.block
    doc = cue.doc
    lemma = cue.lemma_.lower()
    frame = content.frame
    first, last = content.ranges[0][0], content.ranges[-1][1]
    length = sum(b - a for a, b in content.ranges)
    if last <= cue.i:
        side = "before"
    elif first > cue.i:
        side = "after"
    else:
        side = "around"
    source_kind = _source_kind(label_at, block, source)
    lexicon = _lexicon_kind(cue)
    quoted = candidate.quoted_share
    quoted_bucket = "0" if quoted == 0 else "low" if quoted < 0.5 else "high" if quoted < 0.8 else "all"
    mark = doc[first].lower_
    features = [
        "bias",
        f"lemma:{lemma}",
        f"frame:{frame}",
        f"lemma|frame:{lemma}|{frame}",
        f"how:{candidate.source_how}",
        f"source:{source_kind}",
        f"source|frame:{source_kind}|{frame}",
        f"lemma|source:{lemma}|{source_kind}",
        f"lexicon:{lexicon}",
        f"lexicon|frame:{lexicon}|{frame}",
        f"tag:{cue.tag_}",
        f"cue-pos|frame:{cue.pos_}|{frame}",
        f"dep:{cue.dep_}",
        f"lemma|dep:{lemma}|{cue.dep_}",
        f"side:{side}",
        f"frame|side:{frame}|{side}",
        f"length:{_bucket(length, LENGTH_BUCKETS)}",
        f"frame|length:{frame}|{_bucket(length, LENGTH_BUCKETS)}",
        f"quoted:{quoted_bucket}",
        f"frame|quoted:{frame}|{quoted_bucket}",
        f"pieces:{len(content.ranges)}",
        f"resolved:{candidate.speaker_index is not None}",
        f"block:{context.blocks[block].kind}",
        f"can-speak:{can_speak(source, cue, label_at(block, source.idx))}",
        f"cue-quoted:{context.quoted(block, cue.idx)}",
    ]
    if mark in MARK_WORDS:
        features.append(f"mark:{mark}")
        features.append(f"lemma|mark:{lemma}|{mark}")
    if source.pos_ == "NOUN":
        features.append(f"source-noun:{source.lemma_.lower()}")
    if content.anchor is not None:
        anchor = content.anchor
        anchor_label = label_at(block, anchor.idx) or "none"
        features.append(f"anchor:{anchor.tag_}")
        features.append(f"frame|anchor:{frame}|{anchor.tag_}")
        features.append(f"lemma|anchor:{lemma}|{anchor.pos_}")
        features.append(f"frame|anchor-label:{frame}|{anchor_label}")
        features.append(f"lemma|anchor-label:{lemma}|{anchor_label}")
        if anchor.dep_ == "pobj":
            features.append(f"lemma|preposition:{lemma}|{anchor.head.lower_}")
        if frame == "object":
            features.append(f"object-lemma:{anchor.lemma_.lower()}")
    features.append(f"lemma|how:{lemma}|{candidate.source_how}")
    features.append(f"lemma|side:{lemma}|{side}")
    features.append(f"lemma|length:{lemma}|{_bucket(length, LENGTH_BUCKETS)}")
    for child in cue.children:
        if child.dep_ == "neg":
            features.append("negated")
        elif child.dep_ == "aux" and child.lower_ in MODALS:
            features.append(f"modal:{child.lower_}")
            features.append(f"lemma|modal:{lemma}|{child.lower_}")
        elif child.dep_ == "auxpass":
            features.append("passive")
        elif child.dep_ == "dobj" and frame != "object":
            features.append("has-object")
            features.append(f"lemma|has-object:{lemma}")
    if cue.head.i != cue.i:
        features.append(f"head-lemma:{cue.head.lemma_.lower()}|{cue.dep_}")
    holds = nesting.holds(candidate)
    held = nesting.held(candidate)
    features.append(f"holds-cues:{min(holds, 2)}")
    features.append(f"frame|held:{frame}|{held}")
    features.append(f"lemma|held:{lemma}|{held}")
    gap = cue.i - source.i
    features.append(f"source-gap:{_bucket(abs(gap), DISTANCE_BUCKETS)}{'+' if gap > 0 else '-'}")
    return features


@dataclass(frozen=True)
class StatementScorer:
    weights: dict[str, float]
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        total = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


@cache
def load_scorer(path: Path = WEIGHTS_FILE) -> StatementScorer | None:
    """The learned weights, read once per process; None when they were never built."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return StatementScorer(
        weights={str(k): float(v) for k, v in data["weights"].items()}, threshold=float(data["threshold"])
    )


def rules_keep(context: ArticleContext, candidate: Candidate) -> bool:
    """Without weights: a cue of the hand-written lexicons with a source that can speak, read in its
    complement clause, after its colon, around "according to" or in the rest of its sentence."""
    cue = candidate.cue
    if not (is_cue(cue) or cue.lower_ == "according"):
        return False
    if candidate.content.frame not in ("complement", "colon", "according", "rest"):
        return False
    return can_speak(candidate.source, cue, context.label_at(candidate.block, candidate.source.idx))
