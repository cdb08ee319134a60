"""Every write of an article: parse, check, store in one transaction; analysis queued after commit (it runs in
`services/analysis.py`, the only module that loads spaCy)."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .. import search
from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected
from ..models import Article, Block, LibraryEntry, fit
from ..nlp.parse import analysed_blocks, parse_article
from ..nlp.types import Analysis, ParsedArticle
from ..nlp.types import Block as ParsedBlock
from ..queues import LONG_QUEUE, enqueue_on_commit
from . import actors, images
from .analysis_rows import clear_analysis, store_analysis
from .annotations import annotations_reanchor_after_edit, plain_line_breaks
from .corrections import corrections_reanchor

STANDFIRST_CHARS = 160
# Control characters are binary noise; a few stray ones in a long text are tolerated, more mean binary.
CONTROLS_TOLERATED = 8
CONTROLS_PER_CHAR = 1 / 100
ERROR_CHARS = Article._meta.get_field("analysis_error").max_length or 2000
# Queue priority by length of text (higher runs first): up to 20,000 characters, up to 80,000, longer.
ANALYSIS_PRIORITIES = ((20_000, 10), (80_000, 0))
LONG_ARTICLE_PRIORITY = -10
# Articles a feed brings in are analysed after every reader's own that is waiting.
FEED_PRIORITY_DROP = 50
# A background analysis is tried this many times (a worker killed mid-way, a database locked too long).
ANALYSIS_ATTEMPTS = 3
# A pending analysis whose heartbeat is older than this lost its worker and is queued again.
HEARTBEAT_STALE = datetime.timedelta(seconds=60)


def normalise_text(text: str) -> str:
    """Line endings made \\n, a byte-order mark dropped, and private-use code points removed: the app uses
    some of them as its own markers (search matches), so article text must never hold them."""
    text = plain_line_breaks(text).lstrip("\ufeff")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Co")


def check_text(text: str) -> None:
    limit = settings.NEWSREADER_MAX_ARTICLE_CHARS
    if not text.strip():
        raise ArticleRejected("The article is empty.")
    if len(text) > limit:
        raise ArticleRejected(
            f"The article is too long: {len(text):,} characters, and the limit is {limit:,}."
        )
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if "\x00" in text or controls > max(CONTROLS_TOLERATED, len(text) * CONTROLS_PER_CHAR):
        raise ArticleRejected("That looks like binary data, not article text.")


def content_hash(text: str) -> str:
    """The same article pasted twice, give or take white space, hashes the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def standfirst_of(
    text: str, parsed: ParsedArticle, sentences: Sequence[tuple[int, int]] = (), limit: int = STANDFIRST_CHARS
) -> str:
    """One line for the library: the lead's first sentence (as the analysis found it; the whole paragraph until
    the article is analysed) without its dateline, cut at a word."""
    for block in parsed.of_kind(Block.Kind.PARAGRAPH):
        ends = [end for start, end in sentences if block.start <= start < block.end] or [block.end]
        for end in ends:
            line = text[block.start : min(end, block.end)].strip()
            if parsed.dateline and line.startswith(parsed.dateline):
                line = line[len(parsed.dateline) :].lstrip(" —–-")
            if line:
                break
        if len(line) <= limit:
            return line
        cut = line.rfind(" ", 0, limit)
        return line[: cut if cut > 0 else limit].rstrip(",;:") + "…"
    return ""


def _parsed_with_text(text: str) -> ParsedArticle:
    parsed = parse_article(text)
    if not parsed.of_kind(Block.Kind.PARAGRAPH):
        raise ArticleRejected("The article has a headline but no text: add at least one paragraph under it.")
    return parsed


def block_rows(
    article: Article, parsed: ParsedArticle, sentences: Sequence[tuple[int, int]] = ()
) -> list[Block]:
    """The article's blocks, each with the sentences of the analysis that start in it (none while pending)."""
    starts = [start for start, _ in sentences]
    rows = []
    for i, b in enumerate(parsed.blocks):
        inside = sentences[bisect_left(starts, b.start) : bisect_left(starts, b.end)]
        rows.append(
            Block(
                article=article,
                position=i,
                kind=b.kind,
                start=b.start,
                end=b.end,
                sentences=[[start, min(end, b.end)] for start, end in inside],
            )
        )
    return rows


def _store_blocks(article: Article, parsed: ParsedArticle, sentences: Sequence[tuple[int, int]] = ()) -> None:
    Block.objects.bulk_create(block_rows(article, parsed, sentences))


def _refuse_duplicate(digest: str, *, besides: int | None = None) -> None:
    existing = Article.objects.filter(content_hash=digest).exclude(pk=besides).first()
    if existing is not None:
        raise ArticleDuplicate(f"This article is already in the library: “{existing.title}”.", existing)


def refuse_saved_address(url: str) -> None:
    """An address saved before is the same article, even if its page changed a little since."""
    existing = Article.objects.filter(url=url).first() if url else None
    if existing is not None:
        raise ArticleDuplicate(f"This address is already in the library: “{existing.title}”.", existing)


@dataclass(frozen=True)
class PreparedArticle:
    """An article checked and parsed, ready for analysis; nothing is written yet."""

    incoming: ArticleInput
    digest: str
    parsed: ParsedArticle

    @property
    def analysis_input(self) -> tuple[str, tuple[ParsedBlock, ...]]:
        return self.incoming.text, analysed_blocks(self.parsed)


def article_prepare(*, incoming: ArticleInput) -> PreparedArticle:
    """Check and parse one article; raise ArticleRejected on bad input or a duplicate. Writes nothing."""
    text = normalise_text(incoming.text)
    title = " ".join(incoming.title.split())
    if title and text.lstrip().split("\n", 1)[0].strip() != title:
        # A headline typed into the form becomes the article's first line, as in the plain-text form.
        text = f"{title}\n\n{text.lstrip()}"
    check_text(text)
    digest = content_hash(text)
    _refuse_duplicate(digest)
    refuse_saved_address(incoming.url.strip())
    parsed = _parsed_with_text(text)
    clean = replace(
        incoming,
        text=text,
        title=title,
        source=incoming.source.strip(),
        url=incoming.url.strip(),
        byline=" ".join(incoming.byline.split()),
    )
    return PreparedArticle(clean, digest, parsed)


def article_row(
    *, prepared: PreparedArticle, analysis: Analysis | None, added_by=None, public: bool = False
) -> Article:
    """The article row a prepared article is stored as (not saved yet)."""
    parsed, incoming = prepared.parsed, prepared.incoming
    return Article(
        title=fit(Article, "title", parsed.title),
        source=fit(Article, "source", incoming.source or parsed.source),
        dateline=fit(Article, "dateline", parsed.dateline),
        standfirst=standfirst_of(incoming.text, parsed, analysis.sentences if analysis else ()),
        text=incoming.text,
        content_hash=prepared.digest,
        # The file's metadata first, else a "Published:" line in the text; unknown stays None.
        published=incoming.published or parsed.published,
        url=fit(Article, "url", incoming.url),
        byline=fit(Article, "byline", incoming.byline),
        dated=incoming.published or parsed.published,
        analysis_state=Article.Analysis.PENDING if analysis is None else Article.Analysis.DONE,
        added_by=added_by,
        public=public,
    )


def article_store(
    *,
    prepared: PreparedArticle,
    analysis: Analysis | None,
    added_by=None,
    from_feed: bool = False,
    public: bool = False,
    reader=None,
    via: str = LibraryEntry.Via.SAVED,
) -> Article:
    """Store a prepared article, its analysis (None: pending) and its search entry in one transaction: in
    `reader`'s library (when there is one), and in the public library when `public`; its photos are fetched by
    the worker once it commits."""
    parsed, incoming = prepared.parsed, prepared.incoming
    try:
        with transaction.atomic():
            article = article_row(prepared=prepared, analysis=analysis, added_by=added_by, public=public)
            article.save(force_insert=True)
            if reader is not None and reader.is_authenticated:
                # Before the analysis is stored, so its tallies count the article in the reader's library.
                LibraryEntry.objects.create(reader=reader, article=article, via=via)
            _store_blocks(article, parsed, analysis.sentences if analysis else ())
            images.images_plan(
                article=article, blocks=parsed.blocks, refs=incoming.images, from_feed=from_feed
            )
            if analysis is not None:
                store_analysis(article, analysis)
            search.index_article(article)
    except IntegrityError:
        # Another writer stored the same article between the check and this write.
        _refuse_duplicate(prepared.digest)
        raise
    return article


def _analysis_priority(article: Article) -> int:
    """Short articles first: one very long article must not hold up the many short ones queued behind it."""
    for chars, priority in ANALYSIS_PRIORITIES:
        if len(article.text) <= chars:
            return priority
    return LONG_ARTICLE_PRIORITY


def _queue_analysis(article: Article, *, from_feed: bool = False) -> None:
    # After commit, so the worker never looks for an article that is not stored yet, whatever the backend.
    # A very long text goes to a worker of its own; a feed's articles wait behind a reader's own.
    priority = _analysis_priority(article) - (FEED_PRIORITY_DROP if from_feed else 0)
    queue = LONG_QUEUE if _analysis_priority(article) == LONG_ARTICLE_PRIORITY else "default"
    enqueue_on_commit("analyze_article", article.pk, priority=priority, queue_name=queue)


def article_submit(
    *,
    incoming: ArticleInput,
    added_by=None,
    from_feed: bool = False,
    public: bool = False,
    via: str = LibraryEntry.Via.SAVED,
) -> Article:
    """Store an article now and analyse it in the background (the web: no spaCy in a request); it joins the
    library of whoever added it."""
    prepared = article_prepare(incoming=incoming)
    with transaction.atomic():
        article = article_store(
            prepared=prepared,
            analysis=None,
            added_by=added_by,
            from_feed=from_feed,
            public=public,
            reader=added_by,
            via=via,
        )
        _queue_analysis(article, from_feed=from_feed)
    return article


def _replace_analysis(article: Article, parsed: ParsedArticle, analysis: Analysis | None) -> Article:
    """The article's blocks and analysis rows made anew from its current text (None: analysis pending)."""
    with transaction.atomic():
        # The article's row first, as a reader's correction takes it: the two never wait on each other's rows.
        Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").first()
        clear_analysis(article)
        article.blocks.all().delete()
        old_title = article.title
        article.title = fit(Article, "title", parsed.title) or article.title
        article.dateline = fit(Article, "dateline", parsed.dateline)
        article.standfirst = standfirst_of(article.text, parsed, analysis.sentences if analysis else ())
        article.analysis_state = Article.Analysis.PENDING if analysis is None else Article.Analysis.DONE
        article.analysis_error, article.analysis_heartbeat = "", None
        if analysis is None:
            article.analysis_attempts = 0  # a new text is a new analysis
        fields = ["title", "dateline", "standfirst", "analysis_state", "analysis_error", "analysis_heartbeat"]
        article.save(update_fields=[*fields, "analysis_attempts"])
        # Counted in the database, so the cached page body of an older analysis is never served again.
        Article.objects.filter(pk=article.pk).update(revision=F("revision") + 1)
        article.refresh_from_db(fields=["revision"])
        _store_blocks(article, parsed, analysis.sentences if analysis else ())
        if analysis is not None:
            store_analysis(article, analysis)
        if article.title != old_title:
            search.unindex_article(article.pk, old_title, article.text)
            search.index_article(article)
    return article


def article_mark_failed(*, article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(
        analysis_state=Article.Analysis.FAILED, analysis_error=reason[:ERROR_CHARS], analysis_heartbeat=None
    )


def analysis_begin(*, article_id: int) -> bool:
    """A worker takes up a pending analysis: one more attempt, and its first heartbeat. False when the
    article is gone, already analysed, or has used up its attempts (it is then marked failed)."""
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None or article.analysis_state != Article.Analysis.PENDING:
            return False
        if article.analysis_attempts >= ANALYSIS_ATTEMPTS:
            article_mark_failed(
                article_id=article_id,
                reason=f"The analysis was started {article.analysis_attempts} times and never finished "
                "(its worker stopped each time: killed, out of memory, or the database stayed locked).",
            )
            return False
        Article.objects.filter(pk=article_id).update(
            analysis_attempts=article.analysis_attempts + 1, analysis_heartbeat=timezone.now()
        )
    return True


def analysis_beat(*, article_id: int) -> None:
    Article.objects.filter(pk=article_id, analysis_state=Article.Analysis.PENDING).update(
        analysis_heartbeat=timezone.now()
    )


def analyses_recover(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again every pending analysis whose worker stopped beating (killed mid-way); the task gives up
    after ANALYSIS_ATTEMPTS and marks the article failed with the reason."""
    now = now or timezone.now()
    recovered = []
    with transaction.atomic():
        stale = Article.objects.filter(
            analysis_state=Article.Analysis.PENDING, analysis_heartbeat__lt=now - HEARTBEAT_STALE
        )
        for article in stale.only("pk", "text"):
            # Cleared, so the article is queued once however often this runs before a worker takes it.
            if Article.objects.filter(pk=article.pk, analysis_heartbeat__lt=now - HEARTBEAT_STALE).update(
                analysis_heartbeat=None
            ):
                _queue_analysis(article)
                recovered.append(article.pk)
    return recovered


def article_retry_analysis(*, article: Article) -> None:
    """Analyse a failed article again from the start (its attempts counted anew)."""
    with transaction.atomic():
        updated = Article.objects.filter(pk=article.pk, analysis_state=Article.Analysis.FAILED).update(
            analysis_state=Article.Analysis.PENDING,
            analysis_error="",
            analysis_attempts=0,
            analysis_heartbeat=None,
        )
        if updated:
            _queue_analysis(article)


def article_delete(*, article: Article) -> None:
    with transaction.atomic():
        actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
        search.unindex_article(article.pk, article.title, article.text)
        images.images_forget(article=article)
        article.delete()


def _text_prepare(*, article: Article, text: str) -> tuple[str, str, ParsedArticle] | None:
    """A corrected text normalised, checked and parsed before any write (refused: ArticleRejected); None when
    it is the text `article` has."""
    text = normalise_text(text)
    check_text(text)
    if text == article.text:
        return None
    digest = content_hash(text)
    _refuse_duplicate(digest, besides=article.pk)
    return text, digest, _parsed_with_text(text)


def _text_store(*, article: Article, text: str, digest: str, parsed: ParsedArticle, by=None) -> None:
    """Inside the caller's transaction: the new text stored, indexed and re-anchored, its analysis queued."""
    # Read again under the write lock: another edit may have landed since `article` was loaded. The search
    # index forgets the old text before the row changes (FTS5 deletes by the indexed values).
    old_title, old_text = Article.objects.select_for_update().values_list("title", "text").get(pk=article.pk)
    search.unindex_article(article.pk, old_title, old_text)
    article.text, article.content_hash = text, digest
    article.title = fit(Article, "title", parsed.title) or article.title
    article.save(update_fields=["text", "content_hash", "title"])
    _replace_analysis(article, parsed, None)
    corrections_reanchor(article=article)  # they follow their words; applied when the analysis is done
    search.index_article(article)
    annotations_reanchor_after_edit(article=article, old_text=old_text, by=by)
    _queue_analysis(article)


def article_update_text(*, article: Article, text: str, by=None) -> Article:
    """Replace an article's text (a correction, an edit): store and index it, re-anchor every annotation on
    the new text (many of them in the background, its progress shown to `by` and staff), and queue the
    analysis, as for a new article. Annotations that cannot be placed are kept as orphans, never deleted; the
    old analysis goes at once, since its offsets point into the old text."""
    prepared = _text_prepare(article=article, text=text)
    if prepared is None:
        return article
    text, digest, parsed = prepared
    with transaction.atomic():
        _text_store(article=article, text=text, digest=digest, parsed=parsed, by=by)
    return article


def article_edit(*, article: Article, text: str, published: datetime.date | None, by=None) -> Article:
    """A staff edit: the text corrected (as article_update_text) and the publication date set, in one
    transaction, so a refusal or a failure leaves both as they were."""
    prepared = _text_prepare(article=article, text=text)
    with transaction.atomic():
        if prepared is not None:
            text, digest, parsed = prepared
            _text_store(article=article, text=text, digest=digest, parsed=parsed, by=by)
        return article_date_set(article=article, published=published)


def article_date_set(*, article: Article, published: datetime.date | None) -> Article:
    """Set (or clear, with None) an article's publication date: date filters and the month its quotes count
    in follow it; an unknown date stays unknown, never the day the article was added."""
    with transaction.atomic():
        stored = Article.objects.select_for_update().only("dated", "source").get(pk=article.pk)
        if stored.dated == published:
            return article
        actors.tally_add(article_id=article.pk, source=stored.source, dated=stored.dated, sign=-1)
        # The revision moves on: the article's cached page shows the date.
        Article.objects.filter(pk=article.pk).update(
            published=published, dated=published, revision=F("revision") + 1
        )
        actors.tally_add(article_id=article.pk, source=stored.source, dated=published)
    article.refresh_from_db()
    return article
