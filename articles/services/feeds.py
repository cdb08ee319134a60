"""Feeds a reader follows: subscribing (one feed per address, checked once for all who follow it), OPML in
and out, folders and names, unsubscribing, and marking what they brought read. Checking them is
`feed_checks`."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from lxml import html as lxml_html

from ..feeds.opml import parse_opml
from ..feeds.parsing import FeedError, ParsedFeed, parse_feed
from ..fetching import FetchError, fetch
from ..interchange.web_pages import is_web_address
from ..models import (
    Annotation,
    Collection,
    Feed,
    FeedEntry,
    LibraryEntry,
    ReadingState,
    Subscription,
    fit,
)
from .feed_checks import POLL_LEASE, into_libraries, queue_check
from .reading import readings_mark_read

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")


class FeedRejected(ValueError):
    """A feed that cannot be subscribed to; the message is written for the person who asked."""


def _subscriptions_left(user) -> int:
    """How many more feeds this reader may subscribe to (NEWSREADER_FEEDS_PER_READER each)."""
    return max(0, settings.NEWSREADER_FEEDS_PER_READER - Subscription.objects.filter(reader=user).count())


def _refuse_over_limit(user, wanted: int = 1, *, limited: bool = True) -> None:
    if user is None or not limited:
        return  # the command line (`manage.py feeds`) is the server's operator, not a reader
    left = _subscriptions_left(user)
    if wanted > left:
        limit = settings.NEWSREADER_FEEDS_PER_READER
        raise FeedRejected(
            f"You can subscribe to at most {limit:,} feeds, and you have {limit - left:,}"
            + (f"; this file adds {wanted:,} new ones. Nothing was subscribed." if wanted > 1 else ".")
        )


def _known_feed(url: str, user) -> Feed | None:
    """The feed already checked at `url`, if any; refused when this reader follows it already (the command
    line, with no reader, follows every feed there is). Who else follows it is never said."""
    feed = Feed.objects.filter(url=url).first()
    if feed is not None and (user is None or feed.subscriptions.filter(reader=user).exists()):
        raise FeedRejected(f"You are already subscribed to that feed: “{feed.name}”.")
    return feed


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


def _join(feed: Feed, user, *, folder: str = "", title: str = "") -> Subscription:
    """`user` follows a feed that is checked already: its newest entries (as many as a first check would
    bring) join their library now, and the feed keeps its schedule (it is not fetched again for them)."""
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(
            reader=user,
            feed=feed,
            defaults={
                "folder": fit(Subscription, "folder", folder),
                "title": fit(Subscription, "title", title),
            },
        )
        newest = feed.entries.exclude(article=None).order_by("-seen", "-id")
        for entry in newest.select_related("article")[: settings.NEWSREADER_FEED_ENTRIES_PER_POLL]:
            into_libraries(feed, entry.article, readers=[user])
    return subscription


def feed_subscribe(*, url: str, user, folder: str = "", limited: bool = True) -> Feed:
    """Subscribe to a feed (or the feed a page links to). A feed someone already follows is joined as it is;
    a new one is read once and its entries come in with the first check, queued at once. Raise FeedRejected,
    storing nothing, when it cannot be read or the reader follows it already."""
    url = url.strip()
    if not is_web_address(url):
        raise FeedRejected("A feed's address starts with http:// or https://.")
    known = _known_feed(url, user)
    _refuse_over_limit(user, limited=limited)
    if known is not None:
        _join(known, user, folder=folder)
        return known
    final_url, parsed = _fetch_feed(url)
    known = _known_feed(final_url, user)
    if known is not None:
        _join(known, user, folder=folder)
        return known
    try:
        with transaction.atomic():
            feed = Feed.objects.create(
                url=fit(Feed, "url", final_url),
                title=fit(Feed, "title", parsed.title),
                site_url=fit(Feed, "site_url", parsed.site_url),
                next_check=timezone.now() + POLL_LEASE,  # the check queued below has it until then
            )
            if user is not None:
                Subscription.objects.create(
                    reader=user, feed=feed, folder=fit(Subscription, "folder", folder)
                )
            transaction.on_commit(lambda: queue_check(feed.pk))
    except IntegrityError:
        known = _known_feed(final_url, user)  # subscribed by someone else a moment ago: join theirs
        if known is None:
            raise
        _join(known, user, folder=folder)
        return known
    return feed


@dataclass
class OpmlReport:
    added: list[Feed] = field(default_factory=list)
    already: int = 0
    refused: list[str] = field(default_factory=list)


def feeds_import_opml(*, data: bytes, user, limited: bool = True) -> OpmlReport:
    """Subscribe to every feed an OPML file lists, each in its folder and under the file's name for it. A new
    feed is not read now (it is read on its first check, and says on its page if that fails); one that is
    checked already is joined. Raise FeedRejected, storing nothing, for a file that is not OPML or one that
    would take the reader past their number of feeds."""
    try:
        listed = parse_opml(data)
    except FeedError as error:
        raise FeedRejected(str(error)) from None
    if not listed:
        raise FeedRejected("The OPML file lists no feeds.")
    report = OpmlReport()
    with transaction.atomic():
        known = {feed.url: feed for feed in Feed.objects.filter(url__in=[item.xml_url for item in listed])}
        followed = set()
        if user is not None:
            followed = set(Subscription.objects.filter(reader=user).values_list("feed__url", flat=True))
        to_join, to_create = [], []
        for item in listed:
            if not is_web_address(item.xml_url) or len(item.xml_url) > Feed._meta.get_field("url").max_length:
                report.refused.append(item.xml_url)
            elif item.xml_url in followed or (user is None and item.xml_url in known):
                report.already += 1
            elif item.xml_url in known:
                to_join.append(item)
            else:
                to_create.append(item)
        # Before a row is made: a refused file costs little.
        _refuse_over_limit(user, len(to_join) + len(to_create), limited=limited)
        # A new feed's own title comes from the feed on its first check; the file's name for it is the reader's.
        created = Feed.objects.bulk_create(
            Feed(
                url=item.xml_url,
                title=fit(Feed, "title", item.title) if user is None else "",
                site_url=fit(Feed, "site_url", item.html_url if is_web_address(item.html_url) else ""),
            )
            for item in to_create
        )
        if user is not None:
            created = list(Feed.objects.filter(url__in=[item.xml_url for item in to_create]))
            by_url = {feed.url: feed for feed in created}
            Subscription.objects.bulk_create(
                Subscription(
                    reader=user,
                    feed=by_url[item.xml_url],
                    folder=fit(Subscription, "folder", item.folder),
                    title=fit(Subscription, "title", item.title if item.title != item.xml_url else ""),
                )
                for item in to_create
            )
            for item in to_join:
                _join(
                    known[item.xml_url],
                    user,
                    folder=item.folder,
                    title=item.title if item.title != item.xml_url else "",
                )
        report.added = [*created, *(known[item.xml_url] for item in to_join)]
    return report


@dataclass
class UnsubscribeReport:
    left: int = 0  # articles the feed brought that left the reader's library
    kept: int = (
        0  # ... and those that stay, because the reader annotated, starred, archived or collected them
    )


def _kept_by(user) -> Q:
    """Articles a reader has made their own: annotated, starred, archived or put in a collection of theirs."""
    return (
        Q(Exists(Annotation.objects.filter(user=user, article=OuterRef("article"))))
        | Q(
            Exists(
                ReadingState.objects.filter(user=user, article=OuterRef("article")).filter(
                    Q(favourite=True) | Q(archived=True)
                )
            )
        )
        | Q(
            Exists(
                Collection.articles.through.objects.filter(collection__user=user, article=OuterRef("article"))
            )
        )
    )


def subscription_delete(*, subscription: Subscription) -> UnsubscribeReport:
    """A reader stops following a feed. The articles it brought into their library leave it, except those they
    made their own (annotated, starred, archived, collected) and those another feed of theirs brought too;
    other readers' libraries are untouched. A feed nobody follows any more is no longer checked (deleted, its
    articles stay)."""
    user, feed = subscription.reader, subscription.feed
    with transaction.atomic():
        subscription.delete()
        brought = LibraryEntry.objects.filter(
            reader=user, via=LibraryEntry.Via.FEED, article__feed_entries__feed=feed
        ).exclude(article__feed_entries__feed__subscriptions__reader=user)
        kept = brought.filter(_kept_by(user))
        report = UnsubscribeReport(kept=kept.count())
        report.left, _ = LibraryEntry.objects.filter(
            pk__in=list(brought.exclude(pk__in=kept.values("pk")).values_list("pk", flat=True))
        ).delete()
        if not feed.subscriptions.exists():
            feed.delete()
    return report


def subscription_update(*, subscription: Subscription, title: str, folder: str) -> Subscription:
    """The reader's own name for a feed ("" for the feed's title) and their folder for it ("" for none)."""
    subscription.title = fit(Subscription, "title", " ".join(title.split()))
    subscription.folder = fit(Subscription, "folder", " ".join(folder.split()))
    with transaction.atomic():
        subscription.save(update_fields=["title", "folder"])
    return subscription


def feed_entries_mark_read(*, user, upto: int, feed: Feed | None = None, folder: str | None = None) -> int:
    """ "Mark all read": every unread article of the reader's feeds (of one feed, or one folder) that came in an
    entry up to `upto` (the newest entry the page showed), so what arrives meanwhile stays unread."""
    entries = FeedEntry.objects.unread_by(user, folder=folder).filter(pk__lte=upto)
    if feed is not None:
        entries = entries.filter(feed=feed)
    return readings_mark_read(user=user, article_ids=entries.values_list("article", flat=True))


def feed_delete(*, feed: Feed) -> None:
    """Stop checking a feed for everyone (the admin, staff); the articles it brought stay where they are."""
    with transaction.atomic():
        feed.delete()
