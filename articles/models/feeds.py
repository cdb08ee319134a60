"""Feeds readers follow and the entries polled from them: a feed is one row per address, checked once however
many readers subscribe to it; each reader's subscription carries their folder and their own name for it."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .articles import Article
from .library import LibraryEntry
from .readers import ReadingState


def shared_library() -> bool:
    """NEWSREADER_LIBRARY=shared: one library for every account, so every feed is everybody's to read."""
    return getattr(settings, "NEWSREADER_LIBRARY", "personal") == "shared"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _in_library(user, article: str = "article") -> Exists:
    return Exists(LibraryEntry.objects.filter(reader=user, article=OuterRef(article)))


def _done_with(user, article: str = "article") -> Exists:
    """The reader has read the article, or archived it (as the library's Unread counts it)."""
    states = ReadingState.objects.filter(user=user, article=OuterRef(article))
    return Exists(states.filter(Q(read=True) | Q(archived=True)))


class FeedQuerySet(models.QuerySet):
    def listed_for(self, user) -> FeedQuerySet:
        """The feeds /feeds/ lists: the reader's own subscriptions (every feed in a shared library, none for
        an anonymous visitor otherwise), each with the reader's folder and name for it and whether they follow
        it, by folder and then by name."""
        if shared_library():
            feeds = self.all()
        elif _signed_in(user):
            feeds = self.filter(subscriptions__reader=user)
        else:
            return self.none()
        if _signed_in(user):
            mine = Subscription.objects.filter(reader=user, feed=OuterRef("pk"))
            feeds = feeds.annotate(
                folder=Coalesce(Subquery(mine.values("folder")[:1]), Value("")),
                own_title=Coalesce(Subquery(mine.values("title")[:1]), Value("")),
                followed=Exists(mine),
            )
        else:
            feeds = feeds.annotate(folder=Value(""), own_title=Value(""), followed=Value(False))
        return feeds.order_by("folder", "own_title", "title", "url", "pk")

    def visible_to(self, user) -> FeedQuerySet:
        """The feeds whose pages `user` may open: the ones they follow (staff: all). In a shared library every
        feed is everybody's, as it always was."""
        if shared_library() or (user is not None and user.is_authenticated and user.is_staff):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(subscriptions__reader=user)


class Feed(models.Model):
    """An RSS, Atom or JSON feed checked on a schedule, once for all its subscribers; its new entries become
    articles in each subscriber's library."""

    url = models.URLField(max_length=500, unique=True)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Conditional GET: what the server said last time, sent back so an unchanged feed answers 304.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_checked = models.DateTimeField(null=True, blank=True)
    next_check = models.DateTimeField(default=timezone.now)
    # Checks that failed in a row (each one waits longer before the next) and what went wrong, in plain words.
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The task of the check last queued: while it waits or runs, the feed is not queued again.
    check_task = models.UUIDField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "url"]
        indexes = [models.Index(fields=["next_check"], name="feed_next_check")]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def name(self) -> str:
        return self.title or self.public_url

    @property
    def public_url(self) -> str:
        """The address as everyone but its subscribers (and staff) see it: without a user name, password or
        query string, where feeds carry private tokens ("?…" marks a query left out)."""
        parts = urlsplit(self.url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", "")) + ("?…" if parts.query else "")

    def shows_details_to(self, user) -> bool:
        """Whether `user` sees the whole address: staff, or a reader who subscribed to it (and so knew it)."""
        if not (user and user.is_authenticated):
            return False
        return user.is_staff or self.subscriptions.filter(reader=user).exists()

    def get_absolute_url(self) -> str:
        return reverse("articles:feed", args=[self.pk])


class Subscription(models.Model):
    """One reader following one feed, in a folder of theirs ("" for none), under their own name for it if they
    gave one (an OPML file's title, say)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="subscriptions")
    folder = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["folder", "title", "pk"]
        constraints = [models.UniqueConstraint(fields=["reader", "feed"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"reader {self.reader_id} follows feed {self.feed_id}"

    @property
    def name(self) -> str:
        return self.title or self.feed.name


class FeedEntryQuerySet(models.QuerySet):
    def newest_first(self) -> FeedEntryQuerySet:
        """By publication date (the article's, else the feed's), newest first; undated after the dated, and
        entries of one day in the order they came."""
        return self.annotate(published_on=Coalesce("article__dated", "published")).order_by(
            F("published_on").desc(nulls_last=True), "-seen", "-id"
        )

    def shown_to(self, user, feed: Feed) -> FeedEntryQuerySet:
        """One feed's entries on its page for `user`: staff, and everyone in a shared library, see them all; a
        subscriber sees those whose article is in their library and, of the rest (not saved: why), those that
        came since they subscribed. Each knows whether the reader has read its article."""
        entries = self.filter(feed=feed)
        if _signed_in(user):
            entries = entries.annotate(is_read=_done_with(user))
        if shared_library() or (_signed_in(user) and user.is_staff):
            return entries
        since = Subscription.objects.filter(reader=user, feed=feed).values("created")[:1]
        return entries.filter(_in_library(user) | Q(article=None, seen__gte=Subquery(since)))

    def unread_by(self, user, folder: str | None = None) -> FeedEntryQuerySet:
        """Entries of the feeds `user` follows (in `folder`, when given) whose article is in their library,
        unread (nor archived)."""
        return (
            self.filter(feed__in=_followed_feeds(user, folder), article__isnull=False)
            .filter(_in_library(user))
            .exclude(_done_with(user))
        )


def _followed_feeds(user, folder: str | None = None) -> QuerySet:
    """The ids of the feeds `user` follows (in `folder`, when given), for an IN (…) the database reads once."""
    subscriptions = Subscription.objects.filter(reader=user)
    if folder is not None:
        subscriptions = subscriptions.filter(folder=folder)
    return subscriptions.values("feed")


def unread_counts(user, feeds: list[int] | None = None) -> dict[int, int]:
    """How many unread articles each feed the reader follows (of `feeds`, when given) has, by feed id (feeds
    with none left out)."""
    if not _signed_in(user):
        return {}
    entries = FeedEntry.objects.unread_by(user)
    if feeds is not None:
        entries = entries.filter(feed__in=feeds)
    rows = entries.values("feed").annotate(unread=Count("article", distinct=True))
    return {row["feed"]: row["unread"] for row in rows}


def article_counts(feeds: list[int]) -> dict[int, int]:
    """How many articles each of `feeds` brought, by feed id (feeds with none left out)."""
    rows = (
        FeedEntry.objects.filter(feed__in=feeds, article__isnull=False)
        .values("feed")
        .annotate(articles=Count("article"))
    )
    return {row["feed"]: row["articles"] for row in rows}


def newest_entry() -> int:
    """The id of the newest entry of any feed: "Mark all read" marks what came up to it, not what comes later."""
    return FeedEntry.objects.aggregate(newest=models.Max("pk"))["newest"] or 0


def unread_from_feeds(user, folder: str | None = None):
    """The feed reader's list: every unread article the reader's feeds (in `folder`, when given) brought, each
    once however many of their feeds list it, newest first by publication date."""
    if not _signed_in(user):
        return Article.objects.none()
    # From the entries of the reader's own feeds (an index on the feed), never a scan of every article.
    unread = FeedEntry.objects.unread_by(user, folder).values("article")
    return (
        Article.objects.filter(pk__in=unread)
        .defer("text")
        .order_by(F("dated").desc(nulls_last=True), "-created", "-id")
    )


def feeds_that_brought(user, articles: list[int]) -> dict[int, int]:
    """For each of `articles`, the feed of the reader's that brought it last, by article id."""
    entries = (
        FeedEntry.objects.filter(article__in=articles, feed__in=_followed_feeds(user))
        .order_by("seen", "id")
        .values_list("article", "feed")
    )
    return dict(entries)  # the newest entry of each article comes last and wins


class FeedEntry(models.Model):
    """One entry of a feed, claimed once (the unique guid) so two pollers never store it twice."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=500)
    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published = models.DateField(null=True, blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    # Why the entry did not become an article (its page could not be fetched, no text), in plain words.
    error = models.TextField(blank=True)
    seen = models.DateTimeField(auto_now_add=True)

    objects = FeedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seen", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feed_entry_guid_unique")]

    def __str__(self) -> str:
        return self.title or self.url or self.guid
