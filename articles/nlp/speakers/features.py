"""What describes a candidate speaker of a quote, and the quote itself, for the ranker: a few dozen yes/no
features (which rules propose the candidate, where it stands, what it is, which verb it is the subject
of); "nobody" is a candidate whose features are the quote's."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from ..attribution import is_cue, is_speech_cue
from ..context import ArticleContext, Attribution, QuoteSite, SpeakerCandidate
from ..lexicon import LIGHT_VERB_LEMMAS, SCARE_QUOTE_LEAD_WORDS, SPEAKING_NOUNS

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
KEPT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "pobj", "dobj", "appos", "conj", "attr", "ROOT"})


def _bucket(value: int, bounds: Sequence[int]) -> str:
    for bound in bounds:
        if value <= bound:
            return str(bound)
    return f">{bounds[-1]}"


def _verb_kind(verb: Token) -> str:
    if is_cue(verb):
        return "speech" if is_speech_cue(verb) else "view"
    return "light" if verb.lemma_ in LIGHT_VERB_LEMMAS else "other"


def quote_features(
    context: ArticleContext, site: QuoteSite, candidates: Sequence[SpeakerCandidate]
) -> list[str]:
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


def _location(
    context: ArticleContext, site: QuoteSite, candidate: SpeakerCandidate
) -> tuple[str, int | None]:
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


def _kind(context: ArticleContext, candidate: SpeakerCandidate) -> str:
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


def _clause_role(context: ArticleContext, site: QuoteSite, candidate: SpeakerCandidate) -> list[str]:
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
    candidate: SpeakerCandidate,
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


def nobody_features(quote: Sequence[str]) -> list[str]:
    """The features "nobody" is scored by: a bias and the quote's own features."""
    return [NOBODY, *(f"{NOBODY}|{f}" for f in quote)]
