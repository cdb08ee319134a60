"""Readers' annotations and the background jobs that import them."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse

from .articles import Article, _count_per_article, sees_everything, visible_q


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """Public annotations, plus the viewer's own private ones; anonymous viewers see public ones only. Only
        on articles the viewer may read: an article taken out of the public library takes its public
        annotations with it (and a reader's own, were it gone from their library)."""
        if user is not None and user.is_authenticated:
            rows = self.filter(models.Q(visibility=Annotation.Visibility.PUBLIC) | models.Q(user=user))
        else:
            rows = self.filter(visibility=Annotation.Visibility.PUBLIC)
        return rows if sees_everything(user) else rows.filter(visible_q(user, "article_id"))

    def notebook_of(self, user) -> AnnotationQuerySet:
        """A reader's own annotations on the articles they may still read (their notebook and its exports)."""
        rows = self.filter(user=user)
        return rows if sees_everything(user) else rows.filter(visible_q(user, "article_id"))

    def in_text_order(self) -> AnnotationQuerySet:
        return self.order_by("orphaned", "start", "end", "pk")

    def count_per_article(self, viewer) -> Coalesce:
        """A correlated count of what `viewer` may see, for `Article.objects.annotate(annotation_count=...)`."""
        return _count_per_article(self.visible_to(viewer))

    def placed(self) -> AnnotationQuerySet:
        """Those with a place in the current text (orphans have none)."""
        return self.filter(orphaned=False)

    def narrowed(
        self, *, colour: str = "", visibility: str = "", article_id: int | None = None
    ) -> AnnotationQuerySet:
        """The notebook's filters: those of one colour, one visibility, on one article (each when given)."""
        rows = self
        if colour:
            rows = rows.filter(colour=colour)
        if visibility:
            rows = rows.filter(visibility=visibility)
        if article_id is not None:
            rows = rows.filter(article_id=article_id)
        return rows

    def with_tag(self, tag: str) -> AnnotationQuerySet:
        """Those carrying `tag` (any case, with or without its "#"). Tags are a JSON list: matched here, the
        same on every database."""
        wanted = tag.lower().lstrip("#")
        ids = [
            pk for pk, tags in self.values_list("pk", "tags") if any(t.lower() == wanted for t in tags or [])
        ]
        return self.filter(pk__in=ids)

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag used in these, most used first (counted here, the same on every database)."""
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for tags in self.values_list("tags", flat=True):
            for tag in tags or []:
                counts[tag.lower()] += 1
                shown.setdefault(tag.lower(), tag)
        return [(shown[key], n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def articles_for(self, viewer):
        """The articles these are on that `viewer` may read, by title (the notebook's article filter)."""
        return (
            Article.objects.visible_to(viewer)
            .filter(pk__in=self.values_list("article_id", flat=True).distinct())
            .only("pk", "title")
            .order_by("title")
        )


class Annotation(models.Model):
    """A reader's highlight of a passage, with an optional note; anchored by quote and by position."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private (only me)"
        PUBLIC = "public", "Public (anyone with the link)"

    # Named colours only: the name is printed next to the swatch, so meaning never rests on colour.
    class Colour(models.TextChoices):
        YELLOW = "yellow"
        GREEN = "green"
        BLUE = "blue"
        PINK = "pink"
        PURPLE = "purple"

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
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    tags = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
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
        return self.visibility == self.Visibility.PUBLIC

    @property
    def colour_name(self) -> str:
        return self.get_colour_display()


class AnnotationJobQuerySet(models.QuerySet):
    def active(self) -> AnnotationJobQuerySet:
        return self.filter(state__in=[AnnotationJob.State.QUEUED, AnnotationJob.State.RUNNING])

    def visible_to(self, user) -> AnnotationJobQuerySet:
        """An import is its owner's alone; a re-anchoring is also shown to staff. Only on articles the viewer
        may read."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(models.Q(owner=user) | models.Q(kind=AnnotationJob.Kind.REANCHOR))
        rows = self.filter(owner=user)
        return rows if sees_everything(user) else rows.filter(visible_q(user, "article_id"))


class AnnotationJob(models.Model):
    """A large annotation import, or the re-anchoring of many annotations after a text edit, run by the task
    worker; its progress and result are shown to its owner (and a re-anchoring to staff)."""

    class Kind(models.TextChoices):
        IMPORT = "import", "import"
        REANCHOR = "reanchor", "re-anchoring"

    class State(models.TextChoices):
        QUEUED = "queued", "waiting for the worker"
        RUNNING = "running", "running"
        DONE = "done", "finished"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotation_jobs")
    # Who imported, or who edited the text; none for an edit made outside the web (a command), or once their
    # account is gone (a re-anchoring still runs; an import without its owner fails, storing nothing).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annotation_jobs",
    )
    # Annotations to place, placed so far, placed in the text, kept as orphans, refused (with reasons below).
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    orphaned = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # [{"number": n, "passage": "...", "reason": "..."}]: lines not imported, and passages left orphaned.
    problems = models.JSONField(default=list, blank=True)
    # The result, or why the job failed, in plain words.
    message = models.TextField(blank=True)
    # An import's checked annotations, waiting for the worker; emptied when the job ends.
    payload = models.JSONField(default=list, blank=True)
    # The article's content_hash when the job was queued: a re-anchoring for an older text gives way.
    text_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    # Moves on with each step of progress: a running job whose beat stopped lost its worker.
    updated = models.DateTimeField(auto_now=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = AnnotationJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["article", "state"], name="annotation_job_article_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.total} annotations on article {self.article_id}"

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (0 if self.active else 100)

    def get_absolute_url(self) -> str:
        return reverse("articles:annotation_job", args=[self.article_id, self.pk])
