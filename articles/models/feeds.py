"""Feeds a reader follows and the entries polled from them."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .articles import Article


class Feed(models.Model):
    """A subscription: an RSS, Atom or JSON feed checked on a schedule; its new entries become articles."""

    url = models.URLField(max_length=500, unique=True)
    title = models.CharField(max_length=300, blank=True)
    site_url = models.URLField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
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
        """The address as everyone but its subscriber (and staff) sees it: without a user name, password or
        query string, where feeds carry private tokens ("?…" marks a query left out)."""
        parts = urlsplit(self.url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", "")) + ("?…" if parts.query else "")

    def shows_details_to(self, user) -> bool:
        """Whether `user` sees the whole address (its subscriber, or staff)."""
        return bool(user and user.is_authenticated and (user.is_staff or self.added_by_id == user.pk))

    def get_absolute_url(self) -> str:
        return reverse("articles:feed", args=[self.pk])


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

    class Meta:
        ordering = ["-seen", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feed_entry_guid_unique")]

    def __str__(self) -> str:
        return self.title or self.url or self.guid
