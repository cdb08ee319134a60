"""What belongs to one reader: preferences, reading state, collections, rate counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse

from .articles import Article


class ReaderPreferences(models.Model):
    """How one reader likes articles set: theme, type size, measure, typeface, and the highlights they hide."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "As the system"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    class FontSize(models.TextChoices):
        SMALL = "small", "Small"
        MEDIUM = "medium", "Medium"
        LARGE = "large", "Large"
        LARGER = "larger", "Larger"

    class LineWidth(models.TextChoices):
        NARROW = "narrow", "Narrow"
        NORMAL = "normal", "Normal"
        WIDE = "wide", "Wide"

    class Typeface(models.TextChoices):
        SERIF = "serif", "Serif"
        SANS = "sans", "Sans-serif"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_preferences"
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    font_size = models.CharField(max_length=10, choices=FontSize.choices, default=FontSize.MEDIUM)
    line_width = models.CharField(max_length=10, choices=LineWidth.choices, default=LineWidth.NORMAL)
    typeface = models.CharField(max_length=10, choices=Typeface.choices, default=Typeface.SERIF)
    # Highlight types switched off in the legend ("quote", "PERSON", "ORG", ...), remembered across articles.
    hidden_types = models.JSONField(default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reader preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class RateCount(models.Model):
    """Requests counted against one rate limit for one account or address in one window (articles/throttling.py).
    Kept in the database so that every gunicorn worker and every host shares the same counts."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    # When the window ends; rows past it are deleted as new windows begin.
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


@dataclass(frozen=True)
class StateCounts:
    all: int
    unread: int
    read: int
    favourites: int
    archived: int

    def __getitem__(self, name: str) -> int:
        return getattr(self, name)


class ReadingStateQuerySet(models.QuerySet):
    """Reads of a reader's own state of articles. Writes are in services/reading.py."""

    def of(self, user, article_id: int) -> ReadingState | None:
        if user is None or not user.is_authenticated:
            return None
        return self.filter(user=user, article_id=article_id).first()

    def cache_key(self, user, article_id: int) -> tuple | None:
        """What the article page shows of the reader's state, for its cache key (one small indexed read)."""
        if user is None or not user.is_authenticated:
            return None
        return (
            self.filter(user=user, article_id=article_id)
            .values_list("read", "archived", "favourite", "position")
            .first()
        )

    def counts(self, user, library: str = "") -> StateCounts:
        """How many articles are in each of the reader's views of a library, in a few small counts."""
        articles = Article.objects.library_of(user, library)
        total = articles.count()
        mine = self.filter(user=user, article__in=articles.values("pk"))
        archived = mine.filter(archived=True).count()
        read = mine.filter(read=True, archived=False).count()
        return StateCounts(
            all=total - archived,
            unread=total - archived - read,
            read=read,
            favourites=mine.filter(favourite=True).count(),
            archived=archived,
        )


class ReadingState(models.Model):
    """One reader's state of one article: read, archived, favourite, and where they left off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_states"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reading_states")
    read = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    favourite = models.BooleanField(default=False)
    # Where they left off: the offset into article.text of the first paragraph in view (layout-independent,
    # so a different font size or screen still returns to the same words), and how far down they were.
    position = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent of the article scrolled through
    updated = models.DateTimeField(auto_now=True)

    objects = ReadingStateQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="reading_state_unique")]
        indexes = [models.Index(fields=["user", "read", "archived", "favourite"], name="reading_state_flags")]

    def __str__(self) -> str:
        return f"{self.user} reading {self.article_id}"


@dataclass(frozen=True)
class ArticleCollection:
    pk: int
    name: str
    holds: bool  # this article is in it


class CollectionQuerySet(models.QuerySet):
    def holding(self, user, article_id: int) -> tuple[ArticleCollection, ...]:
        """The reader's collections, each saying whether it holds the article: the article page's tags and
        its "Add to collection" choices, and part of that page's cache key (views/pages.py)."""
        if user is None or not user.is_authenticated:
            return ()
        held = Collection.articles.through.objects.filter(collection=OuterRef("pk"), article_id=article_id)
        rows = self.filter(user=user).annotate(holds=Exists(held)).values_list("pk", "name", "holds")
        return tuple(ArticleCollection(*row) for row in rows)


class Collection(models.Model):
    """A reader's own label on articles; its page is theirs alone unless they make it public."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=100)
    public = models.BooleanField(default=False)
    articles = models.ManyToManyField(Article, related_name="collections", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="collection_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:collection", args=[self.pk])
