"""Readers' corrections of the analysis: a wrong speaker, a quote that is none, a name that is none, one person
split in two. Each is anchored to its passage the way annotations are, so it is applied again after every
analysis and follows its words through a text edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from .articles import Article

# The permission staff give readers who may correct any article's analysis ("correctors").
CORRECTOR_PERMISSION = "articles.correct_analysis"


def may_correct(user, article: Article) -> bool:
    """Whoever may change the article's text (whoever added it, or staff), and correctors."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or (article.added_by_id is not None and article.added_by_id == user.pk):
        return True
    return user.has_perm(CORRECTOR_PERMISSION)


class CorrectionQuerySet(models.QuerySet):
    def active(self) -> CorrectionQuerySet:
        """Neither undone nor replaced by a later correction of the same thing."""
        return self.filter(undone__isnull=True)

    def in_force(self) -> CorrectionQuerySet:
        """Active and placed: what the stored analysis shows."""
        return self.active().filter(placed=True)


class Correction(models.Model):
    """A reader's fix of one thing the analysis said about a passage of an article."""

    class Kind(models.TextChoices):
        SPEAKER = "speaker", "wrong speaker"
        NOT_QUOTE = "not_quote", "not a quote"
        SPAN = "span", "quoted words adjusted"
        ENTITY_TYPE = "entity_type", "wrong type"
        NOT_NAME = "not_name", "not a name"
        SAME_AS = "same_as", "same as"
        NOT_SAME_AS = "not_same_as", "not the same as"

    QUOTE_KINDS = (Kind.SPEAKER, Kind.NOT_QUOTE, Kind.SPAN)
    ENTITY_KINDS = (Kind.ENTITY_TYPE, Kind.NOT_NAME, Kind.SAME_AS, Kind.NOT_SAME_AS)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    created = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The passage it applies to (a quote's words, or the mention of a name), anchored as annotations are:
    # offsets into the current text, and the words with about 32 characters either side.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # What the reader chose: {"name", "label"} of a speaker, {"label"} of a type, {"actor_id", "name"} of the
    # person joined or parted from, the new quoted words anchored as the passage is ({"start", "end", "exact",
    # "prefix", "suffix"}); nothing for "not a quote" and "not a name".
    choice = models.JSONField(default=dict, blank=True)
    # The analysis's answer it replaced when last applied: what undo puts back.
    machine = models.JSONField(default=dict, blank=True)
    # False when its passage is gone from the text, or the analysis no longer finds what it corrects there:
    # kept and listed on the article, applied again when it fits.
    placed = models.BooleanField(default=True)
    problem = models.CharField(max_length=200, blank=True)
    # The quote or name it changed in the current analysis (ids of rows replaced by every analysis, so no key).
    quote_id = models.PositiveBigIntegerField(null=True, blank=True)
    entity_id = models.PositiveBigIntegerField(null=True, blank=True)
    undone = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A later correction of the same thing took its place (it counts as undone, and is listed as replaced).
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["article", "undone"], name="correction_article_active")]
        permissions = [("correct_analysis", "Can correct the analysis of any article (corrector)")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on “{self.exact[:40]}”"

    @property
    def is_active(self) -> bool:
        return self.undone is None

    @property
    def on_quote(self) -> bool:
        return self.kind in self.QUOTE_KINDS

    def get_absolute_url(self) -> str:
        return reverse("articles:corrections", args=[self.article_id]) + f"#correction-{self.pk}"

    def may_undo(self, user) -> bool:
        return bool(
            self.is_active
            and user is not None
            and user.is_authenticated
            and (user.is_staff or (self.author_id is not None and self.author_id == user.pk))
        )

    @property
    def summary(self) -> str:
        """What the reader said, in words: "Speaker: Ana Ruiz (the analysis said: officials)"."""
        choice, machine = self.choice or {}, self.machine or {}
        if self.kind == self.Kind.SPEAKER:
            was = machine.get("speaker_name") or "nobody"
            return f"Speaker is {choice.get('name', '')} (the analysis said: {was})"
        if self.kind == self.Kind.SPAN:
            return f"The quoted words are “{choice.get('exact', '')}”"
        if self.kind == self.Kind.ENTITY_TYPE:
            from .entities import label_name

            was = label_name(machine["label"]) if machine.get("label") else "another type"
            return f"“{self.exact}” is a {label_name(choice.get('label', '')).lower()} (the analysis said: {was})"
        if self.kind == self.Kind.NOT_NAME:
            return f"“{self.exact}” is not a name"
        if self.kind == self.Kind.SAME_AS:
            return f"“{self.exact}” is the same as {choice.get('name', '')} elsewhere in the library"
        if self.kind == self.Kind.NOT_SAME_AS:
            return f"“{self.exact}” is not the same as {choice.get('name', '')} elsewhere in the library"
        return "Not a quote"
