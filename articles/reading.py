"""Read-side helpers: the article's blocks as HTML, sentences around mentions, paragraphs around quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html

from .markup import Span, render_text
from .models import Article, Block, Mention, Quote

_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[“\"A-Z0-9])")
# A full stop after these (or after a single initial) does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st",
    "jr", "sr", "rev", "hon", "pres", "no", "vs", "u.s", "u.n", "u.k", "e.g", "i.e", "jan", "feb",
    "aug", "sept", "oct", "nov", "dec", "corp", "inc", "co", "ltd", "mt", "ft",
}


def _ends_sentence(text: str, stop: int) -> bool:
    """Whether the punctuation just before `stop` closes a sentence (not "Mr." or "Michael D.")."""
    word = re.search(r"([\w.]+)[.!?][”\"’]?$", text[max(0, stop - 12) : stop])
    if word is None or text[stop - 1] in "!?":
        return True
    stem = word.group(1).lower()
    return not (stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()))


@dataclass(frozen=True)
class RenderedBlock:
    block: Block
    html: str
    credit: str = ""  # a caption's photo credit, shown with it


def quote_span(quote: Quote) -> Span:
    url = reverse("articles:quote", args=[quote.article_id, quote.pk])
    speaker = quote.speaker_name if quote.kind == Quote.SPEECH else ""
    label = speaker or "unattributed"
    tag = format_html(
        # data-nr-skip: the tag is not article text; selection offsets (annotate.js) do not count it.
        '<a class="quote-tag" href="{}" hx-get="{}" aria-label="{}" data-nr-skip>{}</a>',
        url,
        url,
        f"Quote by {speaker}" if speaker else "Unattributed quote",
        label,
    )
    kind_class = "quote--speech" if speaker else "quote--unattributed"
    return Span(
        quote.start,
        quote.end,
        "span",
        (
            ("class", f"quote {kind_class}"),
            ("data-quote-id", str(quote.pk)),
            ("data-speaker", speaker),
            ("data-href", url),
        ),
        layer=0,
        suffix_html=str(tag),
    )


def mention_span(mention: Mention) -> Span:
    entity = mention.entity
    url = reverse("articles:entity", args=[mention.article_id, entity.pk])
    return Span(
        mention.start,
        mention.end,
        "a",
        (
            ("class", f"ent ent--{entity.label}"),
            ("href", url),
            ("hx-get", url),
            ("data-entity-id", str(entity.pk)),
            ("data-label", entity.label),
            ("title", f"{entity.label_name}: {entity.name}"),
        ),
        layer=1,
    )


def rendered_blocks(article: Article, extra_spans: list[Span] | None = None) -> list[RenderedBlock]:
    spans = [quote_span(q) for q in article.quotes.all()]
    spans += [mention_span(m) for m in article.mentions.select_related("entity")]
    spans += extra_spans or []
    rendered: list[RenderedBlock] = []
    for block in article.blocks.all():
        if block.kind == "boilerplate":
            continue
        if block.kind == "credit" and rendered and rendered[-1].block.kind == "caption" and not rendered[-1].credit:
            rendered[-1] = RenderedBlock(rendered[-1].block, rendered[-1].html, article.text[block.start : block.end])
            continue
        rendered.append(RenderedBlock(block, render_text(article.text, block.start, block.end, spans)))
    return rendered


def sentence_around(text: str, start: int, end: int, block: Block) -> tuple[int, int]:
    """Offsets of the sentence holding text[start:end], found within its block."""
    left, right = block.start, block.end
    for match in _SENTENCE_END.finditer(text, block.start, block.end):
        if not _ends_sentence(text, match.start()):
            continue
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


def block_at(blocks: list[Block], offset: int) -> Block | None:
    for block in blocks:
        if block.start <= offset < block.end:
            return block
    return None


def highlighted(text: str, start: int, end: int, mark_start: int, mark_end: int) -> str:
    return render_text(text, start, end, [Span(mark_start, mark_end, "mark")])


def quote_context(article: Article, quote: Quote, blocks: list[Block], around: int = 1) -> list[str]:
    """The quote's paragraphs and one on either side, escaped, with the quote marked."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    inside = [i for i, b in enumerate(paragraphs) if b.start < quote.end and b.end > quote.start]
    if not inside:
        return []
    first, last = max(0, inside[0] - around), min(len(paragraphs), inside[-1] + around + 1)
    return [highlighted(article.text, b.start, b.end, quote.start, quote.end) for b in paragraphs[first:last]]
