"""Choosing among the speakers the rules propose for a quote, with weights learned on PolNeAR train.

Every strategy in speakers.py proposes its speaker, and the people, bodies and pronouns standing near the
quote are candidates too. Each candidate is described by a few dozen yes/no features (which rules propose
it, where it stands, what it is, which verb it is the subject of), and so is the quote ("nobody" is a
candidate whose features are the quote's). A conditional logit model scores them: the best candidate
speaks, unless "nobody" scores higher. The weights come from `bench/train_speaker_ranker.py`, which writes
`speaker_ranker.json` beside this module; without that file the rules' own order decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Token

from .attribution import is_cue, is_speech_cue
from .lexicon import LIGHT_VERB_LEMMAS, SCARE_QUOTE_LEAD_WORDS, SPEAKING_NOUNS

if TYPE_CHECKING:  # speakers imports this module; here they are only types
    from .pipeline import ArticleContext
    from .speakers import Attribution, QuoteSite

WEIGHTS_FILE = Path(__file__).with_name("speaker_ranker.json")
NOBODY = "nobody"
# Heads climbed from a quote's first word looking for the clause whose subject it is.
ANCESTOR_HOPS = 6
# A dependency path between a candidate and the quote is kept up to this many labels on either side.
PATH_HOPS = 3
# Upper bounds of the buckets a count or distance falls in: "words:3" holds quotes of 2 or 3 words.
QUOTE_WORD_BUCKETS = (1, 3, 6, 15)
TOKEN_DISTANCE_BUCKETS = (2, 5, 10, 20, 40)
MENTION_COUNT_BUCKETS = (1, 3, 8)
CUE_GAP_BUCKETS = (3, 10, 30, 80)
PRONOUN_KINDS = {
    "he": "he-she",
    "she": "he-she",
    "they": "they",
    "it": "it",
    "i": "i-we",
    "we": "i-we",
    "you": "you",
    "who": "relative",
    "that": "relative",
    "which": "relative",
}
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Quotes this short are terms, not sentences: only a rule may give them a speaker.
SHORT_QUOTE_FEATURES = frozenset({"nobody|words:1", "nobody|words:3"})
# Strategies whose choice is never set aside for nobody: the verb, colon, introduction or signature right by
# the quote says who spoke.
NEVER_SET_ASIDE = frozenset({"manner-verb", "colon", "introduced", "signed"})
# A name signing a quote after a dash says outright whose words they are: no other candidate is weighed.
FINAL_STRATEGIES = frozenset({"signed"})
KEPT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "pobj", "dobj", "appos", "conj", "attr", "ROOT"})


@dataclass(frozen=True)
class Candidate:
    """Someone who may have said a quote: the attribution it would give and the token it hangs on."""

    attribution: Attribution
    block: int
    token: Token
    proposed_by: tuple[str, ...]  # the strategies proposing it, in the rules' order
    rule_rank: int  # 0 for the rules' own choice, 1 for the next strategy's, ...; -1 when none proposes it


def _bucket(value: int, bounds: Sequence[int]) -> str:
    for bound in bounds:
        if value <= bound:
            return str(bound)
    return f">{bounds[-1]}"


def _verb_kind(verb: Token) -> str:
    if is_cue(verb):
        return "speech" if is_speech_cue(verb) else "view"
    return "light" if verb.lemma_ in LIGHT_VERB_LEMMAS else "other"


def quote_features(context: ArticleContext, site: QuoteSite, candidates: Sequence[Candidate]) -> list[str]:
    """What the quote itself tells about whether anybody said it: its length, place and punctuation."""
    text = context.text
    span = site.span
    inner = text[span.start + 1 : span.end].strip("”\"' ")
    words = inner.split()
    before = text[max(0, span.start - 30) : span.start].rstrip()
    last_word = before.split()[-1].lower().strip(",;(") if before.split() else ""
    closing = inner[-1:] if inner else ""
    features = [
        f"words:{_bucket(len(words), QUOTE_WORD_BUCKETS)}",
        f"ends:{closing if closing in ',.?!' else 'other'}",
        f"after:{before[-1:] if before[-1:] in ':,(—' else 'other'}",
        f"starts-paragraph:{site.starts_paragraph}",
        f"starts-sentence:{site.starts_sentence}",
        f"paragraphs:{min(len(site.pieces), 2)}",
        f"candidates:{_bucket(len(candidates), (0, 1, 3, 8))}",
        f"rule:{next((c.proposed_by[0] for c in candidates if c.rule_rank == 0), 'none')}",
    ]
    if words and all(w[:1].isupper() for w in words):
        features.append("title-case")
    if last_word in SCARE_QUOTE_LEAD_WORDS:
        features.append(f"lead:{last_word}")
    if last_word in ("the", "a", "an", "his", "her", "their", "its", "our"):
        features.append("lead:determiner")
    return features


def _location(context: ArticleContext, site: QuoteSite, candidate: Candidate) -> tuple[str, int | None]:
    """Where the candidate stands relative to the quote, and its distance in tokens within a paragraph."""
    block = candidate.block
    for index, piece in enumerate(site.pieces):
        if piece.block != block:
            continue
        token = candidate.token
        sentence = next(
            (k for k, (a, b) in enumerate(piece.sentences) if a <= token.i < b), len(piece.sentences)
        )
        doc = context.docs[block]
        inside = doc.char_span(piece.span[0], piece.span[1], alignment_mode="expand")
        first, last = (inside.start, inside.end) if inside is not None else (token.i, token.i)
        distance = first - token.i if token.i < first else token.i - last
        prefix = "first-piece" if index == 0 else "later-piece"
        if piece.first <= sentence <= piece.last:
            where = "same-before" if token.i < first else "same-after"
        elif sentence == piece.first - 1:
            where = "previous-sentence"
        elif sentence == piece.last + 1:
            where = "next-sentence"
        elif sentence < piece.first:
            where = "earlier-sentence"
        else:
            where = "later-sentence"
        return (f"{prefix}:{where}" if index else where), distance
    paragraph = context.paragraph_blocks.index(block) if block in context.paragraph_blocks else -1
    if paragraph == site.paragraph - 1:
        return "previous-paragraph", None
    if 0 <= paragraph < site.paragraph:
        return "earlier-paragraph", None
    return "later-paragraph", None


def _kind(context: ArticleContext, candidate: Candidate) -> str:
    token = candidate.token
    if token.pos_ == "PRON":
        return PRONOUN_KINDS.get(token.lower_, "pronoun")
    label = context.label_at(candidate.block, token.idx)
    if label is not None:
        return label if label in NAME_LABELS else "other-name"
    if token.pos_ == "PROPN":
        return "proper"
    if token.lemma_.lower() in SPEAKING_NOUNS:
        return "speaking-noun"
    return "noun"


def _path(token: Token, target: Token) -> str | None:
    """The dependency path between two tokens of one sentence: labels up from the token to their lowest
    common head, then down to the target ("nsubj^ccomp"); None when it is longer than PATH_HOPS a side."""
    up = [token]
    while up[-1].head.i != up[-1].i and len(up) <= PATH_HOPS:
        up.append(up[-1].head)
    down = [target]
    while down[-1].head.i != down[-1].i and len(down) <= PATH_HOPS:
        down.append(down[-1].head)
    common = {t.i for t in down}
    for k, node in enumerate(up):
        if node.i in common:
            m = next(j for j, t in enumerate(down) if t.i == node.i)
            return "/".join(t.dep_ for t in up[:k]) + "^" + "/".join(t.dep_ for t in reversed(down[:m]))
    return None


def _clause_role(context: ArticleContext, site: QuoteSite, candidate: Candidate) -> list[str]:
    """Whether the candidate is the subject of a verb the quote hangs under, and of what kind of verb."""
    token = candidate.token
    features: list[str] = []
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX"):
        features.append(f"subject-of:{_verb_kind(token.head)}")
        features.append(f"subject-of:{token.head.lemma_.lower()}")
        if any(is_cue(a) and is_speech_cue(a) for a in token.head.ancestors):
            features.append(
                "subject-under-a-verb-of-saying"
            )  # "X said that Y called it “...”": Y is reported
    piece = site.pieces[0]
    if candidate.block != piece.block:
        return features
    doc = context.docs[piece.block]
    inside = doc.char_span(piece.span[0], piece.span[1], alignment_mode="expand")
    if inside is None or len(inside) == 0:
        return features
    path = _path(token, inside.root) if token.sent.start == inside.root.sent.start else None
    features.append(f"path:{path}")
    node = inside.root
    for hop in range(1, ANCESTOR_HOPS + 1):
        if node.head.i == node.i:
            break
        node = node.head
        if token.head.i == node.i and token.dep_ in ("nsubj", "nsubjpass"):
            features.append(f"subject-above:{min(hop, 3)}:{_verb_kind(node)}")
            break
    return features


def _cue_features(context: ArticleContext, site: QuoteSite, attribution: Attribution) -> list[str]:
    """The verb a proposal hangs on: which verb, on which side of the quote, how far, whether it governs it."""
    if attribution.cue_start is None:
        return []
    block = next(
        (b for b, blk in enumerate(context.blocks) if blk.start <= attribution.cue_start < blk.end), None
    )
    if block is None:
        return []
    offset = context.blocks[block].start
    span = context.docs[block].char_span(
        attribution.cue_start - offset,
        (attribution.cue_end or attribution.cue_start) - offset,
        alignment_mode="expand",
    )
    if span is None or len(span) == 0:
        return []
    cue = span.root
    lemma = cue.lemma_.lower()
    before = attribution.cue_start < site.span.start
    gap = site.span.start - attribution.cue_start if before else attribution.cue_start - site.span.end
    features = [
        f"cue:{lemma}",
        f"cue-side:{'before' if before else 'after'}",
        f"cue-gap:{_bucket(max(gap, 0), CUE_GAP_BUCKETS)}",
        f"cue-side:{'before' if before else 'after'}|cue-gap:{_bucket(max(gap, 0), CUE_GAP_BUCKETS)}",
    ]
    piece = site.pieces[0]
    if block == piece.block:
        inside = context.docs[block].char_span(piece.span[0], piece.span[1], alignment_mode="expand")
        if inside is not None and len(inside) and cue.is_ancestor(inside.root):
            features.append("cue-governs-quote")
    return features


def candidate_features(
    context: ArticleContext,
    site: QuoteSite,
    candidate: Candidate,
    previous: Attribution | None,
    quote: Sequence[str] = (),
) -> list[str]:
    """What makes this candidate the speaker of this quote, or not; `quote` are the quote's features."""
    location, distance = _location(context, site, candidate)
    kind = _kind(context, candidate)
    words = next((f for f in quote if f.startswith("words:")), "words:?")
    dep = candidate.token.dep_ if candidate.token.dep_ in KEPT_DEPS else "other"
    features = [
        f"at:{location}",
        f"kind:{kind}",
        f"dep:{dep}",
        f"at:{location}|kind:{kind}",
        f"at:{location}|dep:{dep}",
        f"dep:{dep}|kind:{kind}",
    ]
    if distance is not None:
        features.append(f"distance:{_bucket(distance, TOKEN_DISTANCE_BUCKETS)}")
    for strategy in candidate.proposed_by:
        features.append(f"by:{strategy}")
        features.append(f"by:{strategy}|kind:{kind}")
    features.append(f"{words}|kind:{kind}")
    features.append(f"{words}|at:{location}")
    if candidate.rule_rank >= 0:
        features.append(f"rule-rank:{min(candidate.rule_rank, 2)}")
        features.append(f"rule-rank:{min(candidate.rule_rank, 2)}|first:{candidate.proposed_by[0]}")
        features.append(f"{words}|first:{candidate.proposed_by[0]}")
        features.extend(_cue_features(context, site, candidate.attribution))
    else:
        features.append("unproposed")
    if kind in ("he-she", "they", "relative"):
        features.append(f"resolved:{candidate.attribution.speaker_index is not None}")
    entity = candidate.attribution.speaker_index
    if entity is not None:
        mentions = sum(1 for e in context.entity_of if e == entity)
        features.append(f"mentions:{_bucket(mentions, MENTION_COUNT_BUCKETS)}")
        if previous is not None and previous.speaker_index == entity:
            features.append("previous-speaker")
    features.extend(_clause_role(context, site, candidate))
    return features


@dataclass(frozen=True)
class Ranker:
    """Feature weights of the conditional logit model; the quote's features score "nobody"."""

    weights: dict[str, float]
    set_aside_margin: float = 0.0
    unproposed_margin: float = 0.0

    def score(self, features: Iterable[str]) -> float:
        return sum(self.weights.get(f, 0.0) for f in features)

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


def nobody_features(quote: Sequence[str]) -> list[str]:
    """The features "nobody" is scored by: a bias and the quote's own features."""
    return [NOBODY, *(f"{NOBODY}|{f}" for f in quote)]


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
