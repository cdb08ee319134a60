"""Where a quote stands: its parts per paragraph, the sentences around each, and how it opens."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from ..context import ArticleContext, Attribution, Piece, QuoteSite, Range
from ..quotes import QuoteSpan

# Characters before a sentence start searched for the ',”' or ':' that glues it to the sentence before.
GLUE_LOOKBACK = 12


def merged_sentences(doc: Doc, ranges: Sequence[Range]) -> list[Range]:
    """Sentences as token ranges, merged where spaCy cut inside a quote, after "...,”" or after a colon."""
    sentences: list[Range] = []
    for sent in doc.sents:
        boundary = sent.start_char
        if sentences:
            inside = any(a < boundary < b for a, b in ranges)
            before = doc.text[max(0, boundary - GLUE_LOOKBACK) : boundary].rstrip()
            glued = before.endswith((",”", ',"', ":")) or (
                before.endswith(("”", '"')) and before[-2:-1] == ","
            )
            # "“... alright?” he urged them": a sentence going on in lower case after a quote
            glued = glued or (before.endswith(("”", '"')) and sent.text[:1].islower())
            if inside or glued:
                sentences[-1] = (sentences[-1][0], sent.end)
                continue
        sentences.append((sent.start, sent.end))
    return sentences


def quote_tokens(context: ArticleContext, block: int, span: Range) -> Span | None:
    """The tokens of the quote at block-local chars `span`, None when it covers none."""
    inside = context.docs[block].char_span(span[0], span[1], alignment_mode="expand")
    return inside if inside is not None and len(inside) > 0 else None


def _piece(doc: Doc, block: int, span: Range, sentences: Sequence[Range]) -> Piece:
    first = last = -1
    for index, (t_start, t_end) in enumerate(sentences):
        r_start = doc[t_start].idx
        r_end = doc[t_end - 1].idx + len(doc[t_end - 1].text)
        if r_start < span[1] and span[0] < r_end:
            first = index if first < 0 else first
            last = index
    return Piece(block, span, sentences, first, last)


def quote_site(
    context: ArticleContext,
    span: QuoteSpan,
    sentences_of: dict[int, list[Range]],
    previous: tuple[Attribution, int] | None,
) -> QuoteSite:
    """The quote's parts with their sentences (computed once per block into `sentences_of`) and how it opens."""
    pieces: list[Piece] = []
    for (start, end), paragraph in zip(span.pieces, span.paragraphs):
        block = context.paragraph_blocks[paragraph]
        doc = context.docs[block]
        if block not in sentences_of:
            sentences_of[block] = merged_sentences(doc, context.quote_ranges[block])
        offset = context.blocks[block].start
        pieces.append(_piece(doc, block, (start - offset, end - offset), sentences_of[block]))
    first = pieces[0]
    block_start = context.blocks[first.block].start
    starts_paragraph = not context.text[block_start : span.start].strip()
    starts_sentence = starts_paragraph
    if not starts_sentence and first.first >= 0:
        sentence_start = block_start + context.docs[first.block][first.sentences[first.first][0]].idx
        starts_sentence = not context.text[sentence_start : span.start].strip(" —–-(")
    return QuoteSite(
        span=span,
        pieces=tuple(pieces),
        block=first.block,
        paragraph=span.paragraphs[0],
        starts_paragraph=starts_paragraph,
        starts_sentence=starts_sentence,
        previous=previous,
    )


def block_at(context: ArticleContext, pos: int) -> int:
    """Index of the block holding document char `pos` (blocks are in text order)."""
    index = bisect_right([b.start for b in context.blocks], pos) - 1
    return max(index, 0)
