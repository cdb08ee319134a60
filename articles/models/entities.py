"""Names found in articles (entities, their mentions) and the people and bodies they name across articles."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.urls import reverse

from .articles import Article, sees_everything, visible_q

# How each entity label is named for readers.
LABEL_NAMES = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
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


# Readers see one type where the analysis tells countries and cities (GPE), other places (LOC) and buildings
# (FAC) apart: the legend, its switches and the badges use the reader's type, the rows keep the analysis's.
READER_TYPES = {"LOC": "GPE", "FAC": "GPE"}


def label_name(label: str) -> str:
    return LABEL_NAMES.get(label, label.title())


def reader_type(label: str) -> str:
    return READER_TYPES.get(label, label)


class EntityQuerySet(models.QuerySet):
    def visible_to(self, user) -> EntityQuerySet:
        """Names in the articles `user` may read (ArticleQuerySet.visible_to)."""
        return self if sees_everything(user) else self.filter(visible_q(user, "article_id"))


class ActorQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActorQuerySet:
        """People and organisations named in an article `user` may read: one named only in someone's private
        articles does not exist for anyone else (their page, suggestions and filters alike)."""
        if sees_everything(user):
            return self
        return self.filter(models.Exists(Entity.objects.visible_to(user).filter(actor=models.OuterRef("pk"))))

    def named_like(self, value: str, label: str, viewer) -> ActorQuerySet:
        """Actors named in what `viewer` may read whose name holds `value` (any case), a name starting with
        it, or a word of it, first; then the shorter names (the name suggestions and search's name filters).
        Portable lookups: a few thousand names are read through the (label, key) index."""
        value = " ".join(value.replace("\x00", "").split())[:100]
        if not value:
            return self.none()
        starts = models.Q(name__istartswith=value) | models.Q(name__icontains=" " + value)
        return (
            self.visible_to(viewer)
            .filter(label=label, name__icontains=value)
            .annotate(
                word_start=models.Case(models.When(starts, then=0), default=1), name_length=Length("name")
            )
            .order_by("word_start", "name_length", "name")
        )


class Entity(models.Model):
    """One person, organisation, place... within one article, under its canonical name."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entities")
    name = models.CharField(max_length=300)
    label = models.CharField(max_length=20)
    # How the article describes them where it introduces them: "a spokesman for Mr. Moon", "President".
    description = models.CharField(max_length=300, blank=True)
    # The same person or organisation across the library (articles/library.py says when names match).
    actor = models.ForeignKey(
        "Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="entities"
    )
    mention_count = models.PositiveIntegerField(default=0)

    objects = EntityQuerySet.as_manager()

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
        return label_name(self.label)

    @property
    def reader_type(self) -> str:
        return reader_type(self.label)

    def get_absolute_url(self) -> str:
        return reverse("articles:entity", args=[self.article_id, self.pk])


class Actor(models.Model):
    """A person or organisation across articles; each article's Entity rows that name them link here."""

    name = models.CharField(max_length=300)
    label = models.CharField(max_length=20)
    # The name reduced by articles.names.actor_key: what two names must share to be one actor.
    key = models.CharField(max_length=300)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["label", "key"], name="actor_label_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def label_name(self) -> str:
        return label_name(self.label)

    @property
    def reader_type(self) -> str:
        return reader_type(self.label)

    def get_absolute_url(self) -> str:
        return reverse("articles:actor", args=[self.pk])


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.text
