"""The speaker of every quote: chosen among the candidates by the learned ranker, or the rules' first
proposal without weights; a quote over several paragraphs is shown paragraph by paragraph."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..context import ArticleContext, Attribution, Piece, QuoteSite, Range, SpeakerCandidate
from ..quotes import MARKS_ONLY, QuoteSpan, looks_like_title
from ..types import Quote
from .candidates import proposals, speaker_candidates
from .confidence import load_calibration
from .cues import ADJACENT_CHARS, cue_attribution
from .features import candidate_features, nobody_features, quote_features
from .ranker import Ranker, load_ranker
from .sites import quote_site

# Decides a quote's speaker: (site, candidates, the features of "nobody", each candidate's features) ->
# the index of the chosen candidate, or None.
Chooser = Callable[[QuoteSite, Sequence[SpeakerCandidate], list[str], list[list[str]]], int | None]


def rules_choice(
    site: QuoteSite, candidates: Sequence[SpeakerCandidate], nobody: list[str], features: list[list[str]]
) -> int | None:
    """The rules alone: the first strategy's proposal."""
    return next((index for index, c in enumerate(candidates) if c.rule_rank == 0), None)


def ranked_choice(ranker: Ranker) -> Chooser:
    def choose(
        site: QuoteSite, candidates: Sequence[SpeakerCandidate], nobody: list[str], features: list[list[str]]
    ) -> int | None:
        return ranker.choose(nobody, features)

    return choose


def _own_cue(context: ArticleContext, piece: Piece) -> Attribution | None:
    """ "“I have been thinking about it,” added Ben Cole.": a part of a quote running on from the paragraph
    before that a cue right after it reports, its own attribution (the mark closing the earlier paragraph's
    quote may have gone missing)."""
    if piece.first < 0:
        return None
    doc = context.docs[piece.block]
    if doc.text[piece.span[1] - 2 : piece.span[1] - 1] not in (",", "?", "!"):
        return None
    tokens = (piece.sentences[piece.first][0], piece.sentences[piece.last][1])
    found = cue_attribution(context, piece.block, tokens, piece.span)
    offset = context.blocks[piece.block].start
    if found is None or found.cue_start is None:
        return None
    # the cue or its speaker right after the quote: '“...,” added Ben Cole', '“...,” he added'
    if not 0 <= min(found.cue_start, found.speaker_start) - offset - piece.span[1] <= ADJACENT_CHARS:
        return None
    return found


def _paragraph_pieces(span: QuoteSpan) -> list[Range]:
    """The parts of a quote one per paragraph, as a reader sees it and PolNeAR counts it; a paragraph holding
    nothing but the opening mark adds no part of its own."""
    pieces = [(a, b) for a, b in span.pieces if b - a > MARKS_ONLY]
    return pieces or [(span.start, span.end)]


def _unattributed(text: str, span: QuoteSpan) -> list[Quote]:
    return [Quote(start=a, end=b, text=text[a:b], kind="unattributed") for a, b in _paragraph_pieces(span)]


# How likely the chosen candidate is right: (the features of "nobody", each candidate's, the chosen index).
Confidence = Callable[[list[str], list[list[str]], int], float]


def quotes_choosing(
    context: ArticleContext, choose: Chooser, confidence: Confidence | None = None
) -> list[Quote]:
    """Every quote of the article's paragraphs, its speaker chosen by `choose` among the candidates (with
    `confidence` in that choice, when given)."""
    text = context.text
    sentences_of: dict[int, list[Range]] = {}  # per block, computed once for all its quotes
    quotes: list[Quote] = []
    previous: tuple[Attribution, int] | None = None
    for span in context.quote_spans:
        if looks_like_title(text, span.start, span.end):
            quotes.extend(_unattributed(text, span))
            continue
        site = quote_site(context, span, sentences_of, previous)
        candidates = speaker_candidates(context, site, proposals(context, site))
        quote = quote_features(context, site, candidates)
        last = previous[0] if previous is not None else None
        features = [candidate_features(context, site, c, last, quote) for c in candidates]
        nobody = nobody_features(quote)
        chosen = choose(site, candidates, nobody, features)
        if chosen is None:
            quotes.extend(_unattributed(text, span))
            continue
        attribution = candidates[chosen].attribution
        # a quote running over paragraphs is shown, and counted, paragraph by paragraph, one speaker for all
        # but a paragraph whose part a verb of saying right after it gives to someone else
        owners = {piece.span: attribution for piece in site.pieces}
        for piece in site.pieces[1:]:
            own = _own_cue(context, piece)
            if own is not None:
                attribution = own
            owners[piece.span] = attribution
        offsets = {
            (a, b): (a - context.blocks[piece.block].start, b - context.blocks[piece.block].start)
            for piece, (a, b) in zip(site.pieces, span.pieces)
        }
        for a, b in _paragraph_pieces(span):
            owner = owners.get(offsets.get((a, b), (-1, -1)), candidates[chosen].attribution)
            quote = owner.quote(a, b, text[a:b])
            if confidence is not None and owner is candidates[chosen].attribution:
                quote = replace(quote, confidence=confidence(nobody, features, chosen))
            quotes.append(quote)
        previous = (attribution, span.paragraphs[-1])
    return quotes


def quotes_with_speakers(context: ArticleContext) -> list[Quote]:
    """Every quote of the article's paragraphs with its speaker: the learned ranker's choice among the
    strategies' proposals and the people near the quote, or the first strategy's when there are no weights;
    the ranker's choices carry its calibrated confidence."""
    ranker = load_ranker()
    if ranker is None:
        return quotes_choosing(context, rules_choice)
    calibration = load_calibration()
    confidence = (
        None
        if calibration is None
        else lambda nobody, features, chosen: round(
            calibration.apply(ranker.probability(nobody, features, chosen)), 3
        )
    )
    return quotes_choosing(context, ranked_choice(ranker), confidence)
