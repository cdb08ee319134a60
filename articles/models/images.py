"""An article's photos, kept when a page is saved by its address: fetched, re-encoded and stored by
`services/images.py`, served by the app itself (`views/images.py`), never loaded from the page's site."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from .articles import Article


class ArticleImage(models.Model):
    """One photo of an article and where it goes: beside the block that starts at `offset` (inside a caption's
    figure, or before a paragraph; the text's length: after the last block). The article's text is never
    changed for it."""

    class State(models.TextChoices):
        PENDING = "pending"
        KEPT = "kept"
        SKIPPED = "skipped"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveIntegerField()
    offset = models.PositiveIntegerField()
    source_url = models.URLField(max_length=2000)  # where it was found; readers' browsers never load it
    alt = models.CharField(max_length=500, blank=True)
    lead = models.BooleanField(default=False)  # the page's own lead image (og:image), shown before the text
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    note = models.CharField(max_length=300, blank=True)  # why it was not kept
    file = models.CharField(max_length=200, blank=True)  # its name in the default storage
    content_type = models.CharField(max_length=40, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="article_image_position_unique")
        ]

    def __str__(self) -> str:
        return f"image {self.position} of article {self.article_id} ({self.state})"

    @property
    def file_name(self) -> str:
        return self.file.rsplit("/", 1)[-1]

    def get_absolute_url(self) -> str:
        return reverse("articles:image", args=[self.article_id, self.file_name])
