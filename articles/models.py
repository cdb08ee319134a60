"""Articles and what the analysis found in them, stored as rows so that views never run spaCy."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone


def _count_of(model: type[models.Model], **filters) -> Coalesce:
    """A correlated COUNT per article: cheap on one page of articles, unlike joining every child table."""
    rows = model.objects.filter(article=OuterRef("pk"), **filters).order_by().values("article")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


class ArticleQuerySet(models.QuerySet):
    def with_counts(self) -> "ArticleQuerySet":
        return self.annotate(
            quote_count=_count_of(Quote),
            people_count=_count_of(Entity, label="PERSON"),
        )


ANALYSIS_PENDING, ANALYSIS_DONE, ANALYSIS_FAILED = "pending", "done", "failed"
ANALYSIS_STATES = [(ANALYSIS_PENDING, "analysing"), (ANALYSIS_DONE, "analysed"), (ANALYSIS_FAILED, "failed")]


def today() -> datetime.date:
    return timezone.localdate()


class Article(models.Model):
    title = models.CharField(max_length=500)
    source = models.CharField(max_length=200, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    standfirst = models.CharField(max_length=400, blank=True)
    # The article exactly as imported (line endings normalised); every offset below points into it.
    text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # From the file's metadata (HTML, JSON lines) when it has one.
    published = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    # The date filters and "by month" use: published when known, else the day the article was added.
    dated = models.DateField(default=today)
    analysis_state = models.CharField(max_length=10, choices=ANALYSIS_STATES, default=ANALYSIS_DONE)
    analysis_error = models.TextField(blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["-created", "-id"], name="article_newest"),
            models.Index(fields=["dated"], name="article_dated"),
            models.Index(fields=["source", "dated"], name="article_source_dated"),
            # Covers the date and source of an article reached through a join (a person's articles and
            # quotes newest first, search filters) without reading the row, whose text comes first.
            models.Index(fields=["id", "dated"], name="article_id_dated"),
        ]

    @property
    def analysis_pending(self) -> bool:
        return self.analysis_state == ANALYSIS_PENDING

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])


class Block(models.Model):
    """A headline, paragraph, caption, credit or boilerplate line, in reading order."""

    KINDS = ["headline", "paragraph", "caption", "credit", "boilerplate"]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["article", "position"], name="block_position_unique")]

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


class Entity(models.Model):
    """One person, organisation, place... within one article, under its canonical name."""

    LABEL_NAMES = {
        "PERSON": "Person",
        "ORG": "Organisation",
        "GPE": "Place",
        "LOC": "Location",
        "FAC": "Facility",
        "NORP": "Group",
        "DATE": "Date",
        "TIME": "Time",
        "MONEY": "Money",
        "PERCENT": "Percent",
        "QUANTITY": "Quantity",
        "CARDINAL": "Number",
        "ORDINAL": "Ordinal",
        "EVENT": "Event",
        "WORK_OF_ART": "Work",
        "LAW": "Law",
        "LANGUAGE": "Language",
        "PRODUCT": "Product",
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(max_length=300)
    label = models.CharField(max_length=20)
    # How the article describes them where it introduces them: "a spokesman for Mr. Moon", "President".
    description = models.CharField(max_length=300, blank=True)
    # The same person or organisation across the library (articles/library.py says when names match).
    actor = models.ForeignKey("Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="entities")
    mention_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["article", "label"]),
            # Covers an actor's articles and mention total without reading entity rows.
            models.Index(fields=["actor", "article", "mention_count"], name="entity_actor_article"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label_name(self) -> str:
        return self.LABEL_NAMES.get(self.label, self.label.title())

    def get_absolute_url(self) -> str:
        return reverse("articles:entity", args=[self.article_id, self.pk])


class Actor(models.Model):
    """A person or organisation across articles; each article's Entity rows that name them link here."""

    LABELS = ("PERSON", "ORG")

    name = models.CharField(max_length=300)
    label = models.CharField(max_length=20)
    # The name reduced by articles.library.actor_key: what two names must share to be one actor.
    key = models.CharField(max_length=300)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["label", "key"], name="actor_label_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def label_name(self) -> str:
        return Entity.LABEL_NAMES.get(self.label, self.label.title())

    def get_absolute_url(self) -> str:
        return reverse("articles:actor", args=[self.pk])


class QuoteTally(models.Model):
    """Quotes per speaker, source and month, kept in step with the quotes so "who is quoted" reads a few rows."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="tallies")
    source = models.CharField(max_length=200, blank=True)
    month = models.DateField()
    quotes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "source", "month"], name="quote_tally_unique")
        ]
        # Covering indexes: "who is quoted" sums quotes by speaker or by month, for the library or one source.
        indexes = [
            models.Index(fields=["source", "actor", "quotes"], name="quote_tally_source"),
            models.Index(fields=["actor", "quotes"], name="quote_tally_actor"),
            models.Index(fields=["month", "quotes"], name="quote_tally_month"),
            models.Index(fields=["source", "month", "quotes"], name="quote_tally_source_month"),
        ]


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["start"]


class Quote(models.Model):
    SPEECH = "speech"
    UNATTRIBUTED = "unattributed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, default=SPEECH)
    speaker = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    # The resolved name, kept even when the speaker is a description rather than an entity ("officials").
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["start"]
        # Covers a speaker's quotes, counted and sorted newest first, without reading the quote rows.
        indexes = [models.Index(fields=["speaker", "kind", "article", "start"], name="quote_speaker_kind")]

    def get_absolute_url(self) -> str:
        return reverse("articles:quote", args=[self.article_id, self.pk])

    @property
    def speaker_mention_text(self) -> str:
        if self.speaker_start is None or self.speaker_end is None:
            return ""
        return self.article.text[self.speaker_start : self.speaker_end]

    @property
    def inner_text(self) -> str:
        """The quotation without its marks."""
        return self.text.strip("“”\"‘’' \n")


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnnotationQuerySet":
        """Public annotations, plus the viewer's own private ones; anonymous viewers see public ones only."""
        if user is not None and user.is_authenticated:
            return self.filter(models.Q(visibility=Annotation.PUBLIC) | models.Q(user=user))
        return self.filter(visibility=Annotation.PUBLIC)

    def in_text_order(self) -> "AnnotationQuerySet":
        return self.order_by("orphaned", "start", "end", "pk")

    def count_per_article(self, viewer):
        """A correlated count of what `viewer` may see, for `Article.objects.annotate(annotation_count=...)`."""
        from django.db.models.functions import Coalesce

        rows = self.visible_to(viewer).filter(article=models.OuterRef("pk")).order_by().values("article")
        return Coalesce(models.Subquery(rows.annotate(n=models.Count("*")).values("n")), 0)


class Annotation(models.Model):
    """A reader's highlight of a passage, with an optional note; anchored by quote and by position."""

    PRIVATE, PUBLIC = "private", "public"
    VISIBILITIES = [(PRIVATE, "Private (only me)"), (PUBLIC, "Public (anyone with the link)")]
    # Named colours only: the name is printed next to the swatch, so meaning never rests on colour.
    COLOURS = [("yellow", "Yellow"), ("green", "Green"), ("blue", "Blue"), ("pink", "Pink"), ("purple", "Purple")]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    # TextPositionSelector: offsets into article.text (the last place it was found, for an orphan).
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # TextQuoteSelector: the passage and about 32 characters either side.
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # The text changed and the passage could not be found again; kept and listed with its quote.
    orphaned = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    colour = models.CharField(max_length=10, choices=COLOURS, default="yellow")
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=10, choices=VISIBILITIES, default=PRIVATE)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["orphaned", "start", "end", "pk"]
        indexes = [models.Index(fields=["article", "visibility"]), models.Index(fields=["article", "user"])]

    def __str__(self) -> str:
        return f"{self.user} on “{self.exact[:40]}”"

    def get_absolute_url(self) -> str:
        return reverse("articles:annotation", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.PUBLIC

    @property
    def colour_name(self) -> str:
        return dict(self.COLOURS).get(self.colour, self.colour)
