"""An article's text as HTML: blocks with quote, entity and reader highlights, sentences around mentions,
paragraphs around quotes. Reads rows, never writes; every string it returns is safe HTML (text escaped by
markup.render_text, our span tags the only markup)."""

from __future__ import annotations

import hashlib
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import Article, ArticleImage, Block, Entity, Mention, Quote
from . import markup
from .markup import Span, render_text, spans_within

# A panel shows text around a mention or a quote: its sentence or paragraph, but never more than this many
# characters either side (a text without full stops is one long "sentence"), cut at a word.
CONTEXT_CHARS = 300
# Mentions an entity panel lists in their sentences; the rest are counted.
MENTIONS_LISTED = 50

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Figure:
    """A photo kept with the article (our copy's address, its alt text and size), or the note left where
    one was not kept."""

    url: str = ""
    alt: str = ""
    width: int | None = None
    height: int | None = None
    note: str = ""


@dataclass(frozen=True)
class RenderedBlock:
    """One block of the article page: its kind and offsets, its HTML, a caption's photo credit, and the photos
    shown with it (inside a caption's figure, or before any other block)."""

    kind: str
    start: int
    end: int
    html: SafeString
    credit: str = ""
    text: str = ""  # a credit line shown on its own
    images: tuple[Figure, ...] = ()

    @property
    def is_headline(self) -> bool:
        return self.kind == Block.Kind.HEADLINE

    @property
    def is_caption(self) -> bool:
        return self.kind == Block.Kind.CAPTION

    @property
    def is_credit(self) -> bool:
        return self.kind == Block.Kind.CREDIT


@dataclass(frozen=True)
class ArticleBody:
    """The article page's text as the analysis made it: rendered once per analysis and kept in the cache.

    `spans` holds each block's quote and entity spans, so a reader's highlights are laid over only the
    blocks they touch, without reading the analysis rows again."""

    blocks: tuple[RenderedBlock, ...]
    spans: tuple[tuple[Span, ...], ...]
    labels: tuple[tuple[str, str], ...]  # (label, name) of every entity type in the article, for the legend
    said: bool = False  # reported or partly quoted statements in the article: the legend offers their switch
    trailing_images: tuple[Figure, ...] = ()  # photos after the last block


SAID_LABELS = {Quote.Form.REPORTED: "Reported speech", Quote.Form.PARTLY: "Partly quoted"}


def quote_spans(quote: Quote, corrected: bool = False) -> list[Span]:
    """A quote, or a reported or partly quoted statement (one span per piece of its content, the speaker's
    tag at the end of the last; "corrected" in it when a reader corrected it)."""
    url = reverse("articles:quote", args=[quote.article_id, quote.pk])
    speaker = quote.speaker_name if quote.kind == Quote.Kind.SPEECH else ""
    unsure = quote.unsure and not corrected  # a reader's correction is the check asked for
    label = (speaker or "unattributed") + (" · corrected" if corrected else " · unsure" if unsure else "")
    if quote.is_quoted:
        described = f"Quote by {speaker}" if speaker else "Unattributed quote"
        classes = "quote quote--speech" if speaker else "quote quote--unattributed"
        tag_class = "quote-tag"
        pieces = [(quote.start, quote.end)]
    else:
        said = SAID_LABELS[quote.form]
        described = f"{said} by {speaker}" if speaker else f"{said}, unattributed"
        classes = f"quote quote--said quote--{quote.form}"
        tag_class = "quote-tag quote-tag--said"
        pieces = quote.content_spans
    if corrected:
        described += ", corrected by a reader"
    elif unsure:
        described += ", unsure: check the speaker"
        classes += " quote--unsure"
    tag = format_html(
        # data-nr-skip: the tag is not article text; selection offsets (annotate.js) do not count it.
        # The #anchor brings a page opened without JavaScript back to the quote; htmx asks without it.
        '<a class="{}" id="quote-{}" href="{}#quote-{}" hx-get="{}" aria-label="{}" data-nr-skip>{}</a>',
        tag_class,
        quote.pk,
        url,
        quote.pk,
        url,
        described,
        label,
    )
    attrs = (
        ("class", classes),
        ("data-quote-id", str(quote.pk)),
        ("data-speaker", speaker),
        ("data-href", url),
    )
    spans = [Span(start, end, "span", attrs, layer=0) for start, end in pieces[:-1]]
    start, end = pieces[-1]
    return [*spans, Span(start, end, "span", attrs, layer=0, suffix_html=str(tag))]


def mention_span(
    mention_id: int, start: int, end: int, entity: Entity, url: str, corrected: bool = False
) -> Span:
    """A mention as a link to its entity's panel at `url` (reversed once per entity, not per mention); the
    link names the mention, so that without JavaScript the panel's Close goes back to it."""
    return Span(
        start,
        end,
        "a",
        (
            ("class", f"ent ent--{entity.reader_type}" + (" ent--corrected" if corrected else "")),
            ("id", f"mention-{mention_id}"),
            ("href", f"{url}?mention={mention_id}#mention-{mention_id}"),
            ("hx-get", url),
            ("data-entity-id", str(entity.pk)),
            ("data-label", entity.reader_type),
            ("data-analysis-label", entity.label),
            (
                "title",
                f"{entity.label_name}: {entity.name}" + (", corrected by a reader" if corrected else ""),
            ),
        ),
        layer=1,
    )


def annotation_span(annotation) -> Span:
    """The highlight in the article text: a <mark> nested inside quotes and entity links."""
    url = reverse("articles:annotation", args=[annotation.pk])
    classes = f"hl hl--{annotation.colour}" + (" hl--noted" if annotation.note.strip() else "")
    label = f"{annotation.colour_name} highlight by {annotation.user.get_username()}"
    if annotation.note.strip():
        label += " with a note"
    return Span(
        annotation.start,
        annotation.end,
        "mark",
        (
            ("class", classes),
            ("data-annotation-id", str(annotation.pk)),
            ("data-href", url),
            ("title", label),
            ("id", f"annotation-{annotation.pk}"),
        ),
        layer=2,
    )


def _html(text: str, start: int, end: int, spans: list[Span]) -> SafeString:
    return mark_safe(render_text(text, start, end, spans))  # render_text escapes all but our own spans


# Changes with the code that makes the body's HTML, so a new release never serves HTML an older one cached.
RENDERING_VERSION = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (sys.modules[__name__], markup))
).hexdigest()[:12]
BODY_CACHE_SECONDS = 7 * 24 * 3600


def body_cache_key(article: Article) -> str:
    """Names one analysis of one text: a re-analysis or a text edit moves `revision` on; `created` tells
    apart two articles that had the same id (SQLite may give a deleted article's id to the next one)."""
    return f"article-body:{article.pk}:{article.created.timestamp()}:{article.revision}:{RENDERING_VERSION}"


def _build_body(article: Article) -> ArticleBody:
    statements = list(article.quotes.all())
    corrected = article.corrections.in_force().values_list("quote_id", "entity_id")
    corrected_quotes = {quote_id for quote_id, _ in corrected if quote_id}
    corrected_entities = {entity_id for quote_id, entity_id in corrected if entity_id and not quote_id}
    spans = [span for q in statements for span in quote_spans(q, q.pk in corrected_quotes)]
    # An article may mention one name thousands of times: its mentions are read as plain rows.
    entities = {entity.pk: entity for entity in article.entities.all()}
    urls = {pk: reverse("articles:entity", args=[article.pk, pk]) for pk in entities}
    spans += [
        mention_span(pk, start, end, entities[entity_id], urls[entity_id], entity_id in corrected_entities)
        for pk, start, end, entity_id in article.mentions.values_list("pk", "start", "end", "entity_id")
    ]
    blocks = list(article.blocks.all())
    rendered: list[RenderedBlock] = []
    kept_spans: list[tuple[Span, ...]] = []
    for block, block_spans in zip(blocks, spans_within([(b.start, b.end) for b in blocks], spans)):
        if block.kind == Block.Kind.BOILERPLATE:
            continue
        text = article.text[block.start : block.end]
        if (
            block.kind == Block.Kind.CREDIT
            and rendered
            and rendered[-1].is_caption
            and not rendered[-1].credit
        ):
            rendered[-1] = replace(rendered[-1], credit=text)
            continue
        html = _html(article.text, block.start, block.end, block_spans)
        rendered.append(
            RenderedBlock(
                block.kind, block.start, block.end, html, text=text if block.kind == Block.Kind.CREDIT else ""
            )
        )
        kept_spans.append(tuple(block_spans))
    labels = sorted(
        {(e.reader_type, e.label_name) for e in article.entities.only("label")}, key=lambda pair: pair[1]
    )
    said = any(not q.is_quoted for q in statements)
    rendered, trailing = _with_figures(article, rendered)
    return ArticleBody(tuple(rendered), tuple(kept_spans), tuple(labels), said, trailing)


def _with_figures(article: Article, rendered: list[RenderedBlock]) -> tuple[list[RenderedBlock], tuple]:
    """Each photo on the first shown block (not the headline) at or after its place; the rest after the end."""
    placed: dict[int, list[Figure]] = {}
    trailing: list[Figure] = []
    starts = [block.start if not block.is_headline else -1 for block in rendered]
    for image in article.images.exclude(state=ArticleImage.State.PENDING):
        figure = (
            Figure(image.get_absolute_url(), image.alt, image.width, image.height)
            if image.state == ArticleImage.State.KEPT
            else Figure(note=image.note)
        )
        index = next((i for i, start in enumerate(starts) if start >= image.offset), None)
        if index is None:
            trailing.append(figure)
        else:
            placed.setdefault(index, []).append(figure)
    blocks = [
        replace(block, images=tuple(placed.get(i, ()))) if i in placed else block
        for i, block in enumerate(rendered)
    ]
    return blocks, tuple(trailing)


def article_body(article: Article) -> ArticleBody:
    """The body of the current analysis, from the cache, else rendered now and kept."""
    key = body_cache_key(article)
    body = cache.get(key)
    if body is None:
        body = _build_body(article)
        cache.set(key, body, BODY_CACHE_SECONDS)
    return body


def rendered_blocks(
    article: Article, extra_spans: list[Span] | None = None
) -> tuple[list[RenderedBlock], tuple]:
    """The article's blocks with a reader's highlights laid over the cached body: only the blocks a highlight
    touches are rendered again. Returns the blocks and the legend's labels (see `article_body` for the
    rest of what the legend needs)."""
    body = article_body(article)
    blocks = list(body.blocks)
    if extra_spans:
        ranges = [(b.start, b.end) for b in blocks]
        for index, touching in enumerate(spans_within(ranges, extra_spans)):
            if touching:
                block = blocks[index]
                html = _html(article.text, block.start, block.end, [*body.spans[index], *touching])
                blocks[index] = replace(block, html=html)
    return blocks, body.labels


def sentence_around(start: int, end: int, block: Block) -> tuple[int, int]:
    """Offsets of the sentences holding [start, end) within its block, as the analysis found them (the whole
    block for an article not analysed since sentences were kept: `reanalyze --all` fills them in)."""
    inside = [(s, e) for s, e in block.sentences if s < end and e > start]
    if not inside:
        return block.start, block.end
    return inside[0][0], inside[-1][1]


def block_at(blocks: list[Block], offset: int) -> Block | None:
    at = bisect_right([b.start for b in blocks], offset) - 1
    if at >= 0 and blocks[at].start <= offset < blocks[at].end:
        return blocks[at]
    return None


def in_context(
    text: str,
    left: int,
    right: int,
    mark_start: int,
    mark_end: int,
    marks: list[tuple[int, int]] | None = None,
    cues: list[tuple[int, int]] = (),
) -> SafeString:
    """text[left:right] (a sentence, a paragraph) as HTML with text[mark_start:mark_end] (or each of `marks`,
    all inside it) in a <mark>, cut at a word when it reaches further than CONTEXT_CHARS either side of the
    mark; "…" shows the cut."""
    cut_left, cut_right = left < mark_start - CONTEXT_CHARS, right > mark_end + CONTEXT_CHARS
    if cut_left:
        space = _SPACE.search(text, mark_start - CONTEXT_CHARS, min(mark_start, right))
        left = space.end() if space else min(mark_start, right)
    if cut_right:
        spaces = list(_SPACE.finditer(text, max(mark_end, left), mark_end + CONTEXT_CHARS))
        right = spaces[-1].start() if spaces else max(mark_end, left)
    if left >= right:
        return mark_safe("")
    marked = [Span(start, end, "mark") for start, end in marks or [(mark_start, mark_end)]]
    # The words that report a statement ("said", "according to"), marked apart from what was said.
    marked += [Span(start, end, "mark", (("class", "cue-mark"),)) for start, end in cues]
    html = _html(text, left, right, marked)
    return format_html("{}{}{}", "…" if cut_left else "", html, "…" if cut_right else "")


@dataclass(frozen=True)
class MentionInContext:
    mention: Mention
    sentence: SafeString


def mention_sentences(
    article: Article, mentions: list[Mention], blocks: list[Block], limit: int = MENTIONS_LISTED
) -> list[MentionInContext]:
    """The first `limit` mentions in their sentences (see `in_context`), each sentence once with every mention
    in it marked (a sentence naming the person twice is listed once), linked by its first mention."""
    groups: list[tuple[tuple[int, int], list[Mention]]] = []
    for mention in mentions[:limit]:
        block = block_at(blocks, mention.start)
        if block is None:
            continue
        left, right = sentence_around(mention.start, mention.end, block)
        # Together only while the sentence is shown whole around them all (a text without full stops is one
        # endless "sentence": its mentions each keep their own cut).
        if (
            groups
            and groups[-1][0] == (left, right)
            and left >= groups[-1][1][0].start - CONTEXT_CHARS
            and right <= mention.end + CONTEXT_CHARS
        ):
            groups[-1][1].append(mention)
        else:
            groups.append(((left, right), [mention]))
    return [
        MentionInContext(
            named[0],
            in_context(
                article.text, left, right, named[0].start, named[-1].end, [(m.start, m.end) for m in named]
            ),
        )
        for (left, right), named in groups
    ]


def quote_context(article: Article, quote: Quote, blocks: list[Block], around: int = 1) -> list[SafeString]:
    """The quote's paragraphs and one on either side, escaped, with the quote marked (see `in_context`); a
    reported statement has each piece of what was said marked, and the words that report it apart."""
    paragraphs = [b for b in blocks if b.kind == Block.Kind.PARAGRAPH]
    inside = [i for i, b in enumerate(paragraphs) if b.start < quote.end and b.end > quote.start]
    if not inside:
        return []
    first, last = max(0, inside[0] - around), min(len(paragraphs), inside[-1] + around + 1)
    marks = None if quote.is_quoted else quote.content_spans
    cues = [] if quote.is_quoted else [(start, end) for start, end in quote.cue_spans]
    shown = (
        in_context(
            article.text,
            b.start,
            b.end,
            quote.start,
            quote.end,
            marks,
            [(s, e) for s, e in cues if s < b.end and e > b.start],
        )
        for b in paragraphs[first:last]
    )
    return [paragraph for paragraph in shown if paragraph]
