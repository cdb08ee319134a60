"""Whose library an article is in: each reader's own, and the public one everybody reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .articles import Article


class LibraryEntry(models.Model):
    """An article in one reader's library: they saved, uploaded or imported it, or one of their feeds brought
    it. The same article in two libraries is stored and analysed once, with an entry for each reader."""

    class Via(models.TextChoices):
        SAVED = "saved", "saved"
        UPLOADED = "uploaded", "uploaded"
        IMPORTED = "imported", "imported"
        FEED = "feed", "from a feed"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_entries"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="library_entries")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.SAVED)
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added", "-id"]
        constraints = [models.UniqueConstraint(fields=["reader", "article"], name="library_entry_unique")]
        indexes = [models.Index(fields=["reader", "-added"], name="library_entry_newest")]

    def __str__(self) -> str:
        return f"article {self.article_id} in the library of reader {self.reader_id}"
