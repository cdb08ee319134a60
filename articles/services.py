"""Every write to the library goes through here: parse, check, analyse, store in one transaction."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import library, search
from .models import ANALYSIS_DONE, ANALYSIS_FAILED, ANALYSIS_PENDING, Article, Block, Entity, Mention, Quote
from .nlp.document import analysed_blocks
from .nlp.engine import analyze, analyze_many
from .nlp.model import load_model
from .nlp.parse import parse_article
from .nlp.types import Analysis, ParsedArticle
from .nlp.types import Block as ParsedBlock


class ArticleRejected(ValueError):
    """Input that cannot become an article; the message is written for the person who sent it."""


class ArticleDuplicate(ArticleRejected):
    """The article is already in the library (or twice in one import)."""


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


def _store_blocks(article: Article, parsed: ParsedArticle) -> None:
    Block.objects.bulk_create(
        [
            Block(article=article, position=i, kind=b.kind, start=b.start, end=b.end)
            for i, b in enumerate(parsed.blocks)
        ]
    )


def _store_analysis(article: Article, parsed: ParsedArticle, analysis: Analysis) -> None:
    """Entity, mention and quote rows; entities linked to the library's actors; quotes counted."""
    mention_counts = Counter(m.entity for m in analysis.mentions)
    actors = library.actors_for((e.name, e.label) for e in analysis.entities)
    entities = Entity.objects.bulk_create(
        [
            Entity(
                article=article,
                name=e.name[:300],
                label=e.label,
                description=(e.description or "")[:300],
                actor=actor,
                mention_count=mention_counts[i],
            )
            for i, (e, actor) in enumerate(zip(analysis.entities, actors))
        ]
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
    library.tally_add(article_id=article.pk, source=article.source, dated=article.dated)


def _clear_analysis(article: Article) -> None:
    library.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
    article.quotes.all().delete()
    article.mentions.all().delete()
    article.entities.all().delete()


def _refuse_duplicate(digest: str) -> None:
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        raise ArticleDuplicate(f"This article is already in the library: “{existing.title}”.")


@dataclass(frozen=True)
class PreparedArticle:
    """An article checked and parsed, ready for analysis; nothing is written yet."""

    text: str
    digest: str
    parsed: ParsedArticle
    source: str = ""
    published: datetime.date | None = None
    url: str = ""
    byline: str = ""

    @property
    def analysis_input(self) -> tuple[str, tuple[ParsedBlock, ...]]:
        return self.text, analysed_blocks(self.parsed)


def article_prepare(
    *,
    text: str,
    title: str = "",
    source: str = "",
    published: datetime.date | None = None,
    url: str = "",
    byline: str = "",
) -> PreparedArticle:
    """Check and parse one article; raise ArticleRejected on bad input or a duplicate. Writes nothing."""
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
    byline = " ".join(byline.split())
    return PreparedArticle(text, digest, parsed, source.strip(), published, url.strip(), byline)


def article_store(*, prepared: PreparedArticle, analysis: Analysis | None) -> Article:
    """Store a prepared article, its analysis (None: pending) and its search entry in one transaction."""
    parsed = prepared.parsed
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=parsed.title[:500],
                source=(prepared.source or parsed.source)[:200],
                dateline=parsed.dateline[:200],
                standfirst=standfirst_of(prepared.text, parsed),
                text=prepared.text,
                content_hash=prepared.digest,
                published=prepared.published,
                url=prepared.url[:500],
                byline=prepared.byline[:200],
                dated=prepared.published or timezone.localdate(),
                analysis_state=ANALYSIS_PENDING if analysis is None else ANALYSIS_DONE,
            )
            _store_blocks(article, parsed)
            if analysis is not None:
                _store_analysis(article, parsed, analysis)
            search.index_article(article)
    except IntegrityError:
        # Another writer stored the same article between the check and this write.
        _refuse_duplicate(prepared.digest)
        raise
    return article


def article_import(
    *,
    text: str,
    title: str = "",
    source: str = "",
    published: datetime.date | None = None,
    url: str = "",
    byline: str = "",
) -> Article:
    """Parse, analyse and store one article; raise ArticleRejected (writing nothing) on bad input."""
    prepared = article_prepare(
        text=text, title=title, source=source, published=published, url=url, byline=byline
    )
    analysis = analyze(*prepared.analysis_input, load_model(settings.NEWSREADER_SPACY_MODEL))
    return article_store(prepared=prepared, analysis=analysis)


def article_submit(
    *,
    text: str,
    title: str = "",
    source: str = "",
    published: datetime.date | None = None,
    url: str = "",
    byline: str = "",
) -> Article:
    """Store an article now and analyse it in the background (the web form: no spaCy in the request)."""
    from .tasks import analyse_article

    prepared = article_prepare(
        text=text, title=title, source=source, published=published, url=url, byline=byline
    )
    with transaction.atomic():
        article = article_store(prepared=prepared, analysis=None)
        # Enqueued in the same transaction: the worker sees the task only once the article is committed.
        analyse_article.enqueue(article.pk)
    return article


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one input: imported (with its article), skipped (a duplicate) or failed (why)."""

    origin: str
    status: str
    article: Article | None = None
    reason: str = ""


@dataclass(frozen=True)
class ImportCandidate:
    origin: str
    text: str
    title: str = ""
    source: str = ""
    published: datetime.date | None = None
    url: str = ""
    byline: str = ""


@dataclass(frozen=True)
class ImportFailure:
    origin: str
    reason: str


def articles_import_many(
    candidates: Iterable[ImportCandidate | ImportFailure], *, batch_size: int = 64
) -> Iterator[ImportOutcome]:
    """Import many articles through one spaCy stream; each article is stored in its own transaction.

    So an interruption leaves every stored article whole, and running the same import again skips them.
    """
    early: deque[ImportOutcome] = deque()
    prepared_queue: deque[tuple[str, PreparedArticle]] = deque()
    seen: set[str] = set()

    def analysis_inputs() -> Iterator[tuple[str, tuple[ParsedBlock, ...]]]:
        for candidate in candidates:
            if isinstance(candidate, ImportFailure):
                early.append(ImportOutcome(candidate.origin, "failed", reason=candidate.reason))
                continue
            try:
                prepared = article_prepare(
                    text=candidate.text,
                    title=candidate.title,
                    source=candidate.source,
                    published=candidate.published,
                    url=candidate.url,
                    byline=candidate.byline,
                )
                if prepared.digest in seen:
                    raise ArticleDuplicate("This article appears twice in this import.")
            except ArticleRejected as error:
                status = "skipped" if isinstance(error, ArticleDuplicate) else "failed"
                early.append(ImportOutcome(candidate.origin, status, reason=str(error)))
                continue
            seen.add(prepared.digest)
            prepared_queue.append((candidate.origin, prepared))
            yield prepared.analysis_input

    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    for analysis in analyze_many(analysis_inputs(), nlp, batch_size=batch_size):
        while early:
            yield early.popleft()
        origin, prepared = prepared_queue.popleft()
        try:
            article = article_store(prepared=prepared, analysis=analysis)
        except ArticleRejected as error:
            yield ImportOutcome(origin, "skipped", reason=str(error))
        else:
            yield ImportOutcome(origin, "imported", article=article)
    while early:
        yield early.popleft()


def _replace_analysis(article: Article, parsed: ParsedArticle, analysis: Analysis) -> Article:
    with transaction.atomic():
        _clear_analysis(article)
        article.blocks.all().delete()
        old_title = article.title
        article.title = parsed.title[:500] or article.title
        article.dateline = parsed.dateline[:200]
        article.standfirst = standfirst_of(article.text, parsed)
        article.analysis_state, article.analysis_error = ANALYSIS_DONE, ""
        article.save(update_fields=["title", "dateline", "standfirst", "analysis_state", "analysis_error"])
        _store_blocks(article, parsed)
        _store_analysis(article, parsed, analysis)
        if article.title != old_title:
            search.unindex_article(article.pk, old_title, article.text)
            search.index_article(article)
    return article


def article_reanalyse(*, article: Article) -> Article:
    """Run the current analysis again over the stored text; rows of the old analysis are replaced.

    The article row, its text and everything readers attached to it (annotations) stay as they are.
    """
    parsed = parse_article(article.text)
    analysis = analyze(article.text, analysed_blocks(parsed), load_model(settings.NEWSREADER_SPACY_MODEL))
    return _replace_analysis(article, parsed, analysis)


def articles_reanalyse_many(articles: Iterable[Article], *, batch_size: int = 64) -> Iterator[Article]:
    """Re-analyse many articles through one spaCy stream, each replaced in its own transaction."""
    queue: deque[tuple[Article, ParsedArticle]] = deque()

    def analysis_inputs() -> Iterator[tuple[str, tuple[ParsedBlock, ...]]]:
        for article in articles:
            parsed = parse_article(article.text)
            queue.append((article, parsed))
            yield article.text, analysed_blocks(parsed)

    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    for analysis in analyze_many(analysis_inputs(), nlp, batch_size=batch_size):
        article, parsed = queue.popleft()
        yield _replace_analysis(article, parsed, analysis)


def article_mark_failed(*, article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(analysis_state=ANALYSIS_FAILED, analysis_error=reason[:2000])


def article_delete(*, article: Article) -> None:
    with transaction.atomic():
        library.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
        search.unindex_article(article.pk, article.title, article.text)
        article.delete()


def article_update_text(*, article: Article, text: str) -> Article:
    """Replace an article's text (a correction, an edit): analyse and index it again, and re-anchor every
    annotation on the new text. Annotations that cannot be placed are kept as orphans, never deleted."""
    from .annotations import annotations_reanchor

    text = normalise_text(text)
    check_text(text)
    if text == article.text:
        return article
    digest = content_hash(text)
    if Article.objects.filter(content_hash=digest).exclude(pk=article.pk).exists():
        _refuse_duplicate(digest)
    parsed = parse_article(text)
    if not parsed.of_kind("paragraph"):
        raise ArticleRejected("The article has a headline but no text: add at least one paragraph under it.")
    analysis = analyze(text, analysed_blocks(parsed), load_model(settings.NEWSREADER_SPACY_MODEL))
    old_text = article.text
    with transaction.atomic():
        # The search index forgets the old text before the row changes (FTS5 deletes by the indexed values).
        search.unindex_article(article.pk, article.title, article.text)
        article.text, article.content_hash = text, digest
        article.title = parsed.title[:500] or article.title
        article.save(update_fields=["text", "content_hash", "title"])
        _replace_analysis(article, parsed, analysis)
        search.index_article(article)
        annotations_reanchor(article=article, old_text=old_text)
    return article
