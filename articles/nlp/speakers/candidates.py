"""Who may have said a quote: what every strategy proposes, in the rules' order, then the people, bodies
and pronouns standing near the quote, one candidate per speaker span."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from ..context import ArticleContext, Attribution, QuoteSite, Range, SpeakerCandidate
from ..lexicon import SPEAKING_NOUNS, STATEMENT_NOUNS
from .names import NP_DEPS, speaker_attribution
from .piece_strategies import PIECE_STRATEGIES
from .quote_strategies import QUOTE_STRATEGIES
from .sites import block_at

# Sentences at the end of the paragraph before a quote searched for candidates.
PREVIOUS_PARAGRAPH_SENTENCES = 2
# Who may be a candidate speaker: named people and bodies, and the pronouns that stand for them.
CANDIDATE_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
CANDIDATE_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "who"})


def proposals(context: ArticleContext, site: QuoteSite) -> list[Attribution]:
    """What every strategy proposes for the quote, in the rules' order: the first is the rules' choice."""
    found: list[Attribution] = []
    for piece in site.pieces:
        if piece.first < 0:
            continue
        for piece_strategy in PIECE_STRATEGIES:
            attribution = piece_strategy(context, piece)
            if attribution is not None:
                found.append(attribution)
    for quote_strategy in QUOTE_STRATEGIES[1:]:
        attribution = quote_strategy(context, site)
        if attribution is not None:
            found.append(attribution)
    return found


def _window(context: ArticleContext, site: QuoteSite) -> list[tuple[int, Range]]:
    """(block, token range) pairs where a speaker may stand: the sentences of the quote and one either
    side, and the end of the paragraph before when the quote opens its paragraph's first sentence."""
    ranges: list[tuple[int, Range]] = []
    for index, piece in enumerate(site.pieces):
        if piece.first < 0:
            continue
        low = max(0, piece.first - 1) if index == 0 else piece.first
        high = min(len(piece.sentences) - 1, piece.last + 1) if index == 0 else piece.last
        ranges.append((piece.block, (piece.sentences[low][0], piece.sentences[high][1])))
    first = site.pieces[0]
    if site.paragraph > 0 and first.first <= 0:
        block = context.paragraph_blocks[site.paragraph - 1]
        doc = context.docs[block]
        sentences = list(doc.sents)[-PREVIOUS_PARAGRAPH_SENTENCES:]
        if sentences:
            ranges.append((block, (sentences[0].start, sentences[-1].end)))
    return ranges


def _may_speak(context: ArticleContext, block: int, token: Token) -> bool:
    """Whether a token outside quotes heads a phrase that can stand for a speaker."""
    if token.dep_ in NP_DEPS or token.dep_ in ("flat", "compound") or context.quoted(block, token.idx):
        return False
    if token.pos_ == "PRON":
        return token.lower_ in CANDIDATE_PRONOUNS
    if token.pos_ not in ("PROPN", "NOUN"):
        return False
    label = context.label_at(block, token.idx)
    if label is not None:
        return label in CANDIDATE_LABELS
    return token.pos_ == "PROPN" or token.lemma_.lower() in SPEAKING_NOUNS or token.lower_ in STATEMENT_NOUNS


def speaker_candidates(
    context: ArticleContext, site: QuoteSite, proposals: Sequence[Attribution]
) -> list[SpeakerCandidate]:
    """The proposals, then the people, bodies and pronouns near the quote, one candidate per speaker span."""
    by_span: dict[Range, int] = {}
    found: list[SpeakerCandidate] = []
    for rank, attribution in enumerate(proposals):
        key = (attribution.speaker_start, attribution.speaker_end)
        if key in by_span:
            known = found[by_span[key]]
            found[by_span[key]] = replace(known, proposed_by=(*known.proposed_by, attribution.via))
            continue
        block = block_at(context, attribution.speaker_start)
        offset = context.blocks[block].start
        span = context.docs[block].char_span(
            attribution.speaker_start - offset, attribution.speaker_end - offset, alignment_mode="expand"
        )
        if span is None or len(span) == 0:
            continue
        by_span[key] = len(found)
        found.append(SpeakerCandidate(attribution, block, span.root, (attribution.via,), rank))
    for block, (start, end) in _window(context, site):
        for token in context.docs[block][start:end]:
            if not _may_speak(context, block, token):
                continue
            attribution = replace(speaker_attribution(context, block, token, None), via="ranked")
            key = (attribution.speaker_start, attribution.speaker_end)
            if key in by_span:
                continue
            by_span[key] = len(found)
            found.append(SpeakerCandidate(attribution, block, token, (), -1))
    return found


# Decides a quote's speaker: (site, candidates, the features of "nobody", each candidate's features) ->
