"""Feeds: subscribing, checking each on a schedule, and turning new entries into articles.

A check is a conditional GET (ETag, Last-Modified); one that fails waits longer before the next, doubling up
to a day, and says what went wrong in plain words on the feed's page. Each entry is claimed once by its
guid (a unique row), so two pollers never store it twice; an entry whose poller died half-way is taken up
again after a while. An entry that carries its whole story is stored from the feed; otherwise its page is
fetched. Articles are stored at once and analysed in the background, as when added on the web.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from lxml import html as lxml_html

from ..feeds.opml import parse_opml
from ..feeds.parsing import FeedEntry as ParsedEntry
from ..feeds.parsing import FeedError, ParsedFeed, entry_has_full_text, parse_feed
from ..fetching import FetchError, fetch
from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected
from ..interchange.web_pages import entry_input, is_web_address, page_input
from ..models import Article, Feed, FeedEntry, LibraryEntry, fit
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
FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")

Store = Callable[..., Article]


class FeedRejected(ValueError):
    """A feed that cannot be subscribed to; the message is written for the person who asked."""


def _interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.NEWSREADER_FEED_INTERVAL_MINUTES)


def _wait_after(failures: int) -> datetime.timedelta:
    return min(LONGEST_WAIT, _interval() * 2 ** min(failures, 16))


def _subscriptions_left(user) -> int:
    """How many more feeds this reader may subscribe to (NEWSREADER_FEEDS_PER_READER each)."""
    return max(0, settings.NEWSREADER_FEEDS_PER_READER - Feed.objects.filter(added_by=user).count())


def _refuse_over_limit(user, wanted: int = 1) -> None:
    if user is None:
        return  # the command line (`manage.py feeds`) is the server's operator, not a reader
    left = _subscriptions_left(user)
    if wanted > left:
        limit = settings.NEWSREADER_FEEDS_PER_READER
        raise FeedRejected(
            f"You can subscribe to at most {limit:,} feeds, and you have {limit - left:,}"
            + (f"; this file adds {wanted:,} new ones. Nothing was subscribed." if wanted > 1 else ".")
        )


def _refuse_subscribed(url: str) -> None:
    existing = Feed.objects.filter(url=url).first()
    if existing is not None:
        raise FeedRejected(f"You are already subscribed to that feed: “{existing.name}”.")


def _feed_link(page: bytes, base_url: str) -> str:
    """The feed a web page names in its head (<link rel="alternate" type="application/rss+xml" href>)."""
    try:
        root = lxml_html.fromstring(page)
    except Exception:  # lxml raises assorted parser errors on broken markup
        return ""
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in FEED_LINK_TYPES and link.get("href"):
            return urljoin(base_url, link.get("href").strip())
    return ""


def _fetch_feed(url: str) -> tuple[str, ParsedFeed]:
    """The feed at `url`, or the one a web page at `url` links to: its final address and its contents."""
    try:
        fetched = fetch(url, kinds=("feed", "page"))
        if fetched.kind == "page":
            linked = _feed_link(fetched.body, fetched.url)
            if not linked:
                raise FeedRejected(
                    "That address is a web page that names no feed. Paste the feed's own address."
                )
            fetched = fetch(linked, kinds=("feed",))
        return fetched.url, parse_feed(fetched.body, fetched.url)
    except (FetchError, FeedError) as error:
        raise FeedRejected(str(error)) from None


def feed_subscribe(*, url: str, user) -> Feed:
    """Subscribe to a feed (or the feed a page links to) after reading it once; its entries come in with the
    first check, queued at once. Raise FeedRejected, storing nothing, when it cannot be read."""
    url = url.strip()
    if not is_web_address(url):
        raise FeedRejected("A feed's address starts with http:// or https://.")
    _refuse_subscribed(url)
    _refuse_over_limit(user)
    final_url, parsed = _fetch_feed(url)
    _refuse_subscribed(final_url)
    try:
        with transaction.atomic():
            feed = Feed.objects.create(
                url=fit(Feed, "url", final_url),
                title=fit(Feed, "title", parsed.title),
                site_url=fit(Feed, "site_url", parsed.site_url),
                added_by=user,
                next_check=timezone.now() + POLL_LEASE,  # the check queued below has it until then
            )
            transaction.on_commit(lambda: _queue_check(feed.pk))
    except IntegrityError:
        _refuse_subscribed(final_url)  # subscribed by someone else a moment ago
        raise
    return feed


@dataclass
class OpmlReport:
    added: list[Feed] = field(default_factory=list)
    already: int = 0
    refused: list[str] = field(default_factory=list)


def feeds_import_opml(*, data: bytes, user) -> OpmlReport:
    """Subscribe to every feed an OPML file lists (without reading them now: each is read on its first check,
    and a feed that fails says so on its page). Raise FeedRejected, storing nothing, for a file that is not
    OPML or one that would take the reader past their number of feeds."""
    try:
        listed = parse_opml(data)
    except FeedError as error:
        raise FeedRejected(str(error)) from None
    if not listed:
        raise FeedRejected("The OPML file lists no feeds.")
    report = OpmlReport()
    with transaction.atomic():
        known = set(
            Feed.objects.filter(url__in=[item.xml_url for item in listed]).values_list("url", flat=True)
        )
        new_items = []
        for item in listed:
            if not is_web_address(item.xml_url) or len(item.xml_url) > Feed._meta.get_field("url").max_length:
                report.refused.append(item.xml_url)
            elif item.xml_url in known:
                report.already += 1
            else:
                known.add(item.xml_url)
                new_items.append(item)
        _refuse_over_limit(user, len(new_items))  # before a row is made: a refused file costs little
        report.added = [
            Feed(
                url=item.xml_url,
                title=fit(Feed, "title", item.title),
                site_url=fit(Feed, "site_url", item.html_url if is_web_address(item.html_url) else ""),
                added_by=user,
            )
            for item in new_items
        ]
        Feed.objects.bulk_create(report.added)
    return report


def feed_delete(*, feed: Feed) -> None:
    """Unsubscribe; the articles the feed brought in stay in the library."""
    with transaction.atomic():
        feed.delete()


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
                _queue_check(pk)


def _queue_check(feed_id: int) -> None:
    """Queue a check of one feed (on the task worker's queue for feeds) and remember its task."""
    result = enqueue("poll_feed", feed_id)
    Feed.objects.filter(pk=feed_id).update(check_task=result.id)


def feeds_queue_due() -> list[int]:
    """Queue a check of every feed that is due and has no check waiting or running, for the task worker."""
    return feeds_claim_due()


def feeds_queue_now(*, feed: Feed) -> bool:
    """Queue a check of one feed now (the "Check now" button), whatever its schedule; False when a check
    of it is already waiting or running, which is then left to do the work."""
    with transaction.atomic():
        if Feed.objects.filter(pk=feed.pk).filter(_check_pending()).exists():
            return False
        Feed.objects.filter(pk=feed.pk).update(next_check=timezone.now() + POLL_LEASE)
        transaction.on_commit(lambda: _queue_check(feed.pk))
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
    if claim.article is not None:
        # Until feeds are subscriptions per reader: the entry joins the library of whoever subscribed.
        library_add(reader=feed.added_by, article=claim.article, via=LibraryEntry.Via.FEED)
    claim.save(update_fields=["article", "error"])


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
        last_checked=now, failures=failures, last_error=reason, next_check=now + _wait_after(failures)
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
            next_check=now + _wait_after(failures),
        )
        return report
    report.not_modified = parsed is None
    for entry in parsed.entries[: settings.NEWSREADER_FEED_ENTRIES_PER_POLL] if parsed else ():
        _store_entry(feed, entry, store, report)
    changes = {"last_checked": now, "failures": 0, "last_error": "", "next_check": now + _interval()}
    if parsed is not None:
        changes.update(
            etag=fit(Feed, "etag", fetched.etag),
            last_modified=fit(Feed, "last_modified", fetched.last_modified),
        )
        if not feed.title and parsed.title:
            changes["title"] = fit(Feed, "title", parsed.title)
    Feed.objects.filter(pk=feed.pk).update(**changes)
    return report
