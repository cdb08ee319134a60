"""Every write to the library goes through here: parse, check, analyse, store in one transaction."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Article, Block, Entity, Mention, Quote
from .nlp.document import analysed_blocks
from .nlp.engine import analyze
from .nlp.model import load_model
from .nlp.parse import parse_article
from .nlp.types import Analysis, ParsedArticle


class ArticleRejected(ValueError):
    """Input that cannot become an article; the message is written for the person who sent it."""


def text_from_bytes(data: bytes) -> str:
    """Decode an uploaded file, refusing binaries and anything that is not UTF-8 text."""
    if not data.strip():
        raise ArticleRejected("The file is empty.")
    if b"\x00" in data[:8192]:
        raise ArticleRejected("That looks like a binary file, not text. Upload a plain-text (.txt) article.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleRejected(
            f"The file is not UTF-8 text (undecodable byte at position {error.start}). Save it as UTF-8 and try again."
        ) from None
    return text


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def check_text(text: str) -> None:
    limit = settings.NEWSREADER_MAX_ARTICLE_CHARS
    if not text.strip():
        raise ArticleRejected("The article is empty.")
    if len(text) > limit:
        raise ArticleRejected(
            f"The article is too long: {len(text):,} characters, and the limit is {limit:,}."
        )
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise ArticleRejected("That looks like binary data, not article text.")


def content_hash(text: str) -> str:
    """The same article pasted twice, give or take white space, hashes the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def standfirst_of(text: str, parsed: ParsedArticle, limit: int = 160) -> str:
    """One line for the library: the lead's first sentence without its dateline, cut at a word."""
    for block in parsed.of_kind("paragraph"):
        line = text[block.start : block.end]
        if parsed.dateline and line.startswith(parsed.dateline):
            line = line[len(parsed.dateline) :].lstrip(" —–-")
        sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line, maxsplit=1)[0]
        if len(sentence) <= limit:
            return sentence
        cut = sentence.rfind(" ", 0, limit)
        return sentence[: cut if cut > 0 else limit].rstrip(",;:") + "…"
    return ""


def _store_analysis(article: Article, parsed: ParsedArticle, analysis: Analysis) -> None:
    Block.objects.bulk_create(
        [
            Block(article=article, position=i, kind=b.kind, start=b.start, end=b.end)
            for i, b in enumerate(parsed.blocks)
        ]
    )
    entities = Entity.objects.bulk_create(
        [Entity(article=article, name=e.name[:300], label=e.label) for e in analysis.entities]
    )
    Mention.objects.bulk_create(
        [
            Mention(article=article, entity=entities[m.entity], start=m.start, end=m.end, text=m.text[:300])
            for m in analysis.mentions
        ]
    )
    Quote.objects.bulk_create(
        [
            Quote(
                article=article,
                start=q.start,
                end=q.end,
                text=q.text,
                kind=q.kind,
                speaker=entities[q.speaker_entity] if q.speaker_entity is not None else None,
                speaker_name=(q.speaker or "")[:300],
                speaker_start=q.speaker_start,
                speaker_end=q.speaker_end,
                cue=(q.cue or "")[:100],
                description=(q.description or "")[:300],
            )
            for q in analysis.quotes
        ]
    )


def _refuse_duplicate(digest: str) -> None:
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        raise ArticleRejected(f"This article is already in the library: “{existing.title}”.")


def article_import(*, text: str, title: str = "", source: str = "") -> Article:
    """Parse, analyse and store one article; raise ArticleRejected (writing nothing) on bad input."""
    text = normalise_text(text)
    if title.strip():
        # A headline typed into the form becomes the article's first line, as in the plain-text form.
        title = " ".join(title.split())
        if text.lstrip().split("\n", 1)[0].strip() != title:
            text = f"{title}\n\n{text.lstrip()}"
    check_text(text)
    digest = content_hash(text)
    _refuse_duplicate(digest)
    parsed = parse_article(text)
    if not parsed.of_kind("paragraph"):
        raise ArticleRejected("The article has a headline but no text: add at least one paragraph under it.")
    analysis = analyze(text, analysed_blocks(parsed), load_model(settings.NEWSREADER_SPACY_MODEL))
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=parsed.title[:500],
                source=(source.strip() or parsed.source)[:200],
                dateline=parsed.dateline[:200],
                standfirst=standfirst_of(text, parsed),
                text=text,
                content_hash=digest,
            )
            _store_analysis(article, parsed, analysis)
    except IntegrityError:
        # Another request stored the same article between the check above and this write.
        _refuse_duplicate(digest)
        raise
    return article


def article_reanalyse(*, article: Article) -> Article:
    """Run the current analysis again over the stored text; rows of the old analysis are replaced.

    The article row, its text and everything readers attached to it (annotations) stay as they are.
    """
    parsed = parse_article(article.text)
    analysis = analyze(article.text, analysed_blocks(parsed), load_model(settings.NEWSREADER_SPACY_MODEL))
    with transaction.atomic():
        article.quotes.all().delete()
        article.mentions.all().delete()
        article.entities.all().delete()
        article.blocks.all().delete()
        article.title = parsed.title[:500] or article.title
        article.dateline = parsed.dateline[:200]
        article.standfirst = standfirst_of(article.text, parsed)
        article.save(update_fields=["title", "dateline", "standfirst"])
        _store_analysis(article, parsed, analysis)
    return article
