"""Checking feeds: each on a schedule (claimed by one poller at a time), a conditional GET (ETag,
Last-Modified), and new entries turned into articles in every subscriber's library.

One that fails waits longer before the next check, doubling up to a day, and says what went wrong in plain
words on the feed's page. Each entry is claimed once by its guid (a unique row), so two pollers never store it
twice; an entry whose poller died half-way is taken up again after a while. An entry that carries its whole
story is stored from the feed; otherwise its page is fetched. Articles are stored at once and analysed in the
background, as when added on the web.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..feeds.parsing import FeedEntry as ParsedEntry
from ..feeds.parsing import FeedError, entry_has_full_text, parse_feed
from ..fetching import FetchError, fetch
from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected
from ..interchange.web_pages import entry_input, page_input
from ..models import (
    Article,
    Feed,
    FeedEntry,
    LibraryEntry,
    fit,
)
from ..queues import enqueue, time_limit
from .articles import article_submit
from .reader_library import library_add

# A failing feed waits interval × 2^failures before its next check, never more than this.
LONGEST_WAIT = datetime.timedelta(days=1)
# A feed handed to a poller is not handed out again for this long (a poller that died lets it go then).
POLL_LEASE = datetime.timedelta(minutes=15)
# An entry claimed this long ago with neither an article nor an error belongs to a poller that died.
STALE_CLAIM = datetime.timedelta(minutes=15)
# Feeds are claimed for checks this many at a time, each batch in its own short transaction.
CLAIM_BATCH = 100

Store = Callable[..., Article]


def check_interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NEWSREADER_FEED_INTERVAL_MINUTES)


def wait_after(failures: int) -> datetime.timedelta:
    return min(LONGEST_WAIT, check_interval() * 2 ** min(failures, 16))


def readers_of(feed: Feed):
    return get_user_model().objects.filter(subscriptions__feed=feed)


def into_libraries(feed: Feed, article: Article, readers=None) -> None:
    """An entry's article joins the library of every reader who follows its feed (or of `readers`)."""
    for reader in readers_of(feed) if readers is None else readers:
        library_add(reader=reader, article=article, via=LibraryEntry.Via.FEED)


def _check_pending() -> Exists:
    """The feed's last queued check is still waiting or running (a running one past the time limit of a
    check, and a little more, lost its worker and no longer counts)."""
    started_long_ago = timezone.now() - datetime.timedelta(seconds=time_limit("poll_feed")) - POLL_LEASE
    pending = DBTaskResult.objects.filter(id=OuterRef("check_task")).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gt=started_long_ago)
    )
    return Exists(pending)


def feeds_claim_due(*, now: datetime.datetime | None = None, batch: int = CLAIM_BATCH) -> list[int]:
    """Hand out the feeds due for a check, each to one caller only (their next check moves past a lease).
    A feed whose previous check has not ended is left alone, however long that check waits in the queue.
    Due feeds are listed a batch at a time and each is claimed by a compare-and-set of its own, a short write
    that no other caller's claim can also win, so no transaction holds the write lock across a batch."""
    now = now or timezone.now()
    claimed: list[int] = []
    while True:
        due = list(
            Feed.objects.filter(next_check__lte=now)
            .exclude(_check_pending())
            .order_by("next_check", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not due:
            return claimed
        for pk in due:
            if Feed.objects.filter(pk=pk, next_check__lte=now).update(next_check=now + POLL_LEASE):
                claimed.append(pk)
                queue_check(pk)


def queue_check(feed_id: int) -> None:
    """Queue a check of one feed (on the task worker's queue for feeds) and remember its task."""
    result = enqueue("poll_feed", feed_id)
    Feed.objects.filter(pk=feed_id).update(check_task=result.id)


def feeds_queue_due() -> list[int]:
    """Queue a check of every feed that is due and has no check waiting or running, for the task worker."""
    return feeds_claim_due()


def check_pending(feed: Feed) -> bool:
    """Whether a check of the feed waits in the queue or runs now (its page then updates itself)."""
    return Feed.objects.filter(pk=feed.pk).filter(_check_pending()).exists()


def feeds_queue_now(*, feed: Feed) -> bool:
    """Queue a check of one feed now (the "Check now" button), whatever its schedule; False when a check
    of it is already waiting or running, which is then left to do the work."""
    with transaction.atomic():
        if Feed.objects.filter(pk=feed.pk).filter(_check_pending()).exists():
            return False
        Feed.objects.filter(pk=feed.pk).update(next_check=timezone.now() + POLL_LEASE)
        transaction.on_commit(lambda: queue_check(feed.pk))
    return True


@dataclass
class PollReport:
    new: list[Article] = field(default_factory=list)
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""


def _claim(feed: Feed, entry: ParsedEntry, guid: str) -> FeedEntry | None:
    """This poller's own row for the entry, or None when another poller has it (or had it, and finished)."""
    try:
        with transaction.atomic():
            return FeedEntry.objects.create(
                feed=feed,
                guid=guid,
                url=fit(FeedEntry, "url", entry.url),
                title=fit(FeedEntry, "title", entry.title),
                published=entry.published,
            )
    except IntegrityError:
        now = timezone.now()
        stale = FeedEntry.objects.filter(
            feed=feed, guid=guid, article=None, error="", seen__lt=now - STALE_CLAIM
        )
        if stale.update(seen=now):  # one poller wins the update, so one takes the abandoned entry up
            return FeedEntry.objects.get(feed=feed, guid=guid)
        return None


def _entry_article(feed: Feed, entry: ParsedEntry) -> ArticleInput:
    if entry_has_full_text(entry):
        incoming = entry_input(entry, source=feed.title)
    elif entry.url:
        incoming = page_input(entry.url)
    else:
        raise ArticleRejected("The entry has only a summary and no address to fetch the article from.")
    return replace(
        incoming, source=feed.title or incoming.source, published=incoming.published or entry.published
    )


def _store_entry(feed: Feed, entry: ParsedEntry, store: Store, report: PollReport) -> None:
    guid = fit(FeedEntry, "guid", entry.guid or entry.url)
    if not guid:
        return
    claim = _claim(feed, entry, guid)
    if claim is None:
        return
    try:
        article = store(incoming=_entry_article(feed, entry))
    except ArticleDuplicate as duplicate:
        claim.article = duplicate.existing if isinstance(duplicate.existing, Article) else None
        claim.error = "" if claim.article else str(duplicate)
        report.duplicates += 1
    except ArticleRejected as error:
        claim.error = str(error)
        report.failed.append(f"{entry.url or guid}: {error}")
    else:
        claim.article = article
        report.new.append(article)
    with transaction.atomic():
        claim.save(update_fields=["article", "error"])
        if claim.article is not None:
            into_libraries(feed, claim.article)


def _store_from_feed(*, incoming: ArticleInput) -> Article:
    return article_submit(incoming=incoming, from_feed=True)


def feed_check_stopped(*, feed_id: int, reason: str) -> None:
    """A check stopped from outside (past its time limit) counts as a failed check, with the reason."""
    now = timezone.now()
    feed = Feed.objects.filter(pk=feed_id).only("failures").first()
    if feed is None:
        return
    failures = feed.failures + 1
    Feed.objects.filter(pk=feed_id).update(
        last_checked=now, failures=failures, last_error=reason, next_check=now + wait_after(failures)
    )


def feed_poll(*, feed: Feed, store: Store = _store_from_feed) -> PollReport:
    """Check one feed now and store its new entries (at most NEWSREADER_FEED_ENTRIES_PER_POLL, newest first as
    the feed lists them) with `store`: queued for analysis by default, analysed at once by the command."""
    now = timezone.now()
    report = PollReport()
    try:
        fetched = fetch(feed.url, kinds=("feed",), etag=feed.etag, last_modified=feed.last_modified)
        parsed = None if fetched.not_modified else parse_feed(fetched.body, fetched.url)
    except (FetchError, FeedError) as error:
        report.error = str(error)
        failures = feed.failures + 1
        Feed.objects.filter(pk=feed.pk).update(
            last_checked=now,
            failures=failures,
            last_error=report.error,
            next_check=now + wait_after(failures),
        )
        return report
    report.not_modified = parsed is None
    for entry in parsed.entries[: settings.NEWSREADER_FEED_ENTRIES_PER_POLL] if parsed else ():
        _store_entry(feed, entry, store, report)
    changes = {"last_checked": now, "failures": 0, "last_error": "", "next_check": now + check_interval()}
    if parsed is not None:
        changes.update(
            etag=fit(Feed, "etag", fetched.etag),
            last_modified=fit(Feed, "last_modified", fetched.last_modified),
        )
        if not feed.title and parsed.title:
            changes["title"] = fit(Feed, "title", parsed.title)
    Feed.objects.filter(pk=feed.pk).update(**changes)
    return report
