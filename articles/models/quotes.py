"""Quotes and reported statements, and the tallies "who is quoted" and person pages read."""

from __future__ import annotations

import datetime

from django.db import connection, models
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse

from .articles import Article, sees_everything, visible_q
from .entities import Actor, Entity
from .library import LibraryEntry

# What "who is quoted" and a person's page count and list: quotes (in quotation marks, as the page marks them),
# what is reported of them (in their own words or not: reported and partly quoted), or everything they said.
TALLY_COLUMNS = {"quoted": "quotes", "reported": "reported", "all": "said"}


class QuoteTallyQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuoteTallyQuerySet:
        """The counts over what `user` may read: every article (staff; everyone in shared mode), the public
        library (anonymous readers), or the public library and the reader's own private articles (each
        article is counted in one of those two, never both)."""
        if sees_everything(user):
            return self.filter(library=QuoteTally.EVERY_ARTICLE)
        if user is None or not user.is_authenticated:
            return self.filter(library=QuoteTally.PUBLIC)
        return self.filter(library__in=(QuoteTally.PUBLIC, user.pk))

    def of_source(self, source: str | None) -> QuoteTallyQuerySet:
        return self if source is None else self.filter(source=source)

    def speaker_totals(self, said: str = "quoted") -> QuerySet:
        """Each quoted actor's id and total, most quoted first (a Paginator counts and pages it)."""
        column = TALLY_COLUMNS[said]
        return (
            self.values("actor_id")
            .annotate(total=Sum(column))
            .filter(total__gt=0)
            .order_by("-total", "actor_id")
        )

    def speakers_ranked(self, limit: int, offset: int = 0, said: str = "quoted") -> list[dict]:
        """The most quoted actors with their totals, most quoted first, from the `offset`-th."""
        rows = list(self.speaker_totals(said)[offset : offset + limit])
        actors = Actor.objects.in_bulk([row["actor_id"] for row in rows])
        return [
            {"actor": actors[row["actor_id"]], "quotes": row["total"]}
            for row in rows
            if row["actor_id"] in actors
        ]

    def by_month(self, said: str = "quoted") -> list[dict]:
        return [
            {"month": row["month"], "quotes": row["total"]}
            for row in self.exclude(month=UNKNOWN_MONTH)
            .values("month")
            .annotate(total=Sum(TALLY_COLUMNS[said]))
            .filter(total__gt=0)
            .order_by("month")
        ]

    def totals(self, said: str = "quoted") -> tuple[int, int]:
        """Every speaker's statements of the kind, dated or not (what the ranking adds up to), and how many of
        them come from articles without a known date, which no month shows."""
        column = TALLY_COLUMNS[said]
        sums = self.aggregate(total=Sum(column), undated=Sum(column, filter=Q(month=UNKNOWN_MONTH)))
        return sums["total"] or 0, sums["undated"] or 0

    def total_for(self, actor: Actor, said: str = "quoted") -> int:
        return self.filter(actor=actor).aggregate(n=Sum(TALLY_COLUMNS[said]))["n"] or 0


# The tally month of quotes from articles whose publication date is unknown: counted for each speaker, never
# shown as a month (a real NULL would make every upsert of it a new row: NULLs are never equal in a key).
UNKNOWN_MONTH = datetime.date.min


class QuoteTally(models.Model):
    """Quotes per speaker, source and month, kept in step with the quotes so "who is quoted" reads a few rows.

    Each article is counted in the tallies of every library that shows it: all articles (what staff see),
    and either the public library or, while private, the library of each reader who has it."""

    EVERY_ARTICLE = -1
    PUBLIC = 0
    # EVERY_ARTICLE, PUBLIC, or a reader's id (their private articles): not a key, so a reader's rows go with
    # their last entry, never with a foreign key's cascade.
    library = models.IntegerField(default=EVERY_ARTICLE)
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="tallies")
    source = models.CharField(max_length=200, blank=True)
    month = models.DateField()
    quotes = models.IntegerField(default=0)  # in quotation marks (Quote.Form.QUOTED)
    reported = models.IntegerField(default=0)  # reported and partly quoted statements
    # Every statement once: a quote inside a partly quoted statement is part of it, not another statement.
    said = models.IntegerField(default=0)

    objects = QuoteTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["library", "actor", "source", "month"], name="quote_tally_library_unique"
            )
        ]
        # Covering indexes: "who is quoted" sums quotes by speaker or by month, for the library or one source.
        indexes = [
            models.Index(
                fields=["library", "source", "actor", "quotes", "reported", "said"],
                name="quote_tally_l_source_said",
            ),
            models.Index(
                fields=["library", "actor", "quotes", "reported", "said"], name="quote_tally_l_actor_said"
            ),
            models.Index(
                fields=["library", "month", "quotes", "reported", "said"], name="quote_tally_l_month_said"
            ),
            models.Index(
                fields=["library", "source", "month", "quotes", "reported", "said"],
                name="quote_tally_l_src_month_said",
            ),
            # A person's page sums their tallies in every library it may show.
            models.Index(
                fields=["actor", "library", "quotes", "reported", "said"], name="quote_tally_actor_l_said"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.month:%Y-%m} {self.source or 'every source'}"


class QuoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuoteQuerySet:
        """Statements in the articles `user` may read (ArticleQuerySet.visible_to)."""
        return self if sees_everything(user) else self.filter(visible_q(user, "article_id"))

    def also_said(self, quote: Quote) -> QuoteQuerySet:
        """The same speaker's other statements in the same article, quoted or reported (a quote inside a
        partly quoted statement is listed with it, not again on its own)."""
        if not quote.speaker_id:
            return self.none()
        return self.filter(article_id=quote.article_id, speaker_id=quote.speaker_id, fragment=False).exclude(
            pk=quote.pk
        )

    def said(self, said: str) -> QuoteQuerySet:
        """Attributed statements of one kind for the reader's switch: "quoted", "reported" or "all"."""
        rows = self.filter(kind=Quote.Kind.SPEECH)
        if said == "all":
            return rows.filter(fragment=False)
        return rows.filter(form__in=SAID_FORMS[said])


# A speaker the analysis gives a lower chance than this of being right is marked "unsure: check the speaker".
# Chosen on PolNeAR train held out (bench/calibrate_speaker_confidence.py): it marks 4% of attributed quotes,
# right 54% of the time against 95% for the rest; 0.5 would mark 0.5%. Reported and partly quoted statements
# share it, so a percentage means the same on both (bench/calibrate_statement_confidence.py: it marks 34% of
# them, right 53% of the time against 88%).
UNSURE_BELOW = 0.7

# The forms each choice of the reader's switch lists ("all" is every statement once: see Quote.fragment).
SAID_FORMS = {"quoted": ("quoted",), "reported": ("reported", "partly")}
SAID_CHOICES = ("all", "quoted", "reported")


class ActorQuoteIds:
    """Ids of an actor's attributed quotes, newest article first, sliceable for a Paginator.

    The articles are walked newest first along the date index and each is probed for the actor's quotes
    (CROSS JOIN keeps SQLite to that order; PostgreSQL plans the same join itself), so a page of a much-quoted
    person costs a few probes instead of sorting all their quotes; a rarely quoted one costs one pass over the
    date index. Articles of unknown date come last on either database (PostgreSQL would put NULL first).
    """

    PAGE = 20  # rows when a slice has no end

    def __init__(self, actor_id: int, total: int, said: str = "quoted", viewer=None):
        self.actor_id, self.total, self.said, self.viewer = actor_id, total, said, viewer

    def count(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        offset = window.start or 0
        limit = (window.stop if window.stop is not None else offset + self.PAGE) - offset
        if self.said == "all":
            which, values = "q.fragment = %s", [False]
        else:
            forms = SAID_FORMS[self.said]
            which, values = f"q.form IN ({', '.join(['%s'] * len(forms))})", list(forms)
        # Only articles the viewer may read (see ArticleQuerySet.visible_to).
        if not sees_everything(self.viewer):
            if self.viewer is not None and self.viewer.is_authenticated:
                which += (
                    f" AND (a.public = %s OR EXISTS (SELECT 1 FROM {LibraryEntry._meta.db_table} l "
                    "WHERE l.article_id = a.id AND l.reader_id = %s))"
                )
                values += [True, self.viewer.pk]
            else:
                which += " AND a.public = %s"
                values += [True]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT q.id FROM {Article._meta.db_table} a "
                f"CROSS JOIN {Entity._meta.db_table} e CROSS JOIN {Quote._meta.db_table} q "
                "WHERE e.article_id = a.id AND e.actor_id = %s AND q.speaker_id = e.id AND q.kind = %s "
                f"AND {which} "
                "ORDER BY a.dated DESC NULLS LAST, a.id DESC, q.start LIMIT %s OFFSET %s",
                [self.actor_id, Quote.Kind.SPEECH, *values, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


class Quote(models.Model):
    """A statement in the article: a quotation (what the page marks as a quote), or what someone is reported
    to have said, believed or found, partly quoted or not quoted at all. One table for all of them, so panels,
    their addresses, a person's page and the tallies read every kind the same way."""

    class Kind(models.TextChoices):
        SPEECH = "speech"
        UNATTRIBUTED = "unattributed"

    class Form(models.TextChoices):
        QUOTED = "quoted", "quoted"
        PARTLY = "partly", "partly quoted"
        REPORTED = "reported", "reported"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPEECH)
    speaker = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    # The resolved name, kept even when the speaker is a description rather than an entity ("officials").
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    # How the article describes the speaker where they speak: "a spokesman for Mr. Moon".
    speaker_description = models.CharField(max_length=300, blank=True)
    form = models.CharField(max_length=10, choices=Form.choices, default=Form.QUOTED)
    # [[start, end], ...] of what was said ("The talks, he said, will resume" is two); [] means [[start, end]]
    # (rows stored before statements had spans). start and end are the first span's start and the last's end.
    content = models.JSONField(default=list, blank=True)
    # [[start, end], ...] of the words that report it: "said", "told reporters", "according to", ":".
    cue_spans = models.JSONField(default=list, blank=True)
    # A quote inside a partly quoted statement: marked as a quote on the page, counted and listed with the
    # statement it belongs to.
    fragment = models.BooleanField(default=False)
    # How likely the analysis's speaker is right (0..1, calibrated; see nlp/speakers/confidence.py, and
    # nlp/statements/confidence.py for reported and partly quoted ones); None when the analysis gave none
    # (older analyses, no speaker, a reader's corrected speaker).
    confidence = models.FloatField(null=True, blank=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        # Covers a speaker's statements, counted and sorted newest first, without reading the rows.
        indexes = [
            models.Index(
                fields=["speaker", "kind", "article", "start", "form", "fragment"], name="quote_speaker_form"
            ),
            # Counts an article's quotes (the library's cards, "most quoted") without reading statement rows.
            models.Index(fields=["article", "form"], name="quote_article_form"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("articles:quote", args=[self.article_id, self.pk])

    @property
    def content_spans(self) -> list[tuple[int, int]]:
        return [(start, end) for start, end in self.content] or [(self.start, self.end)]

    @property
    def cue_text(self) -> str:
        """The reporting words as the text has them ("told reporters", "according to"), else the stored cue."""
        if self.cue_spans:
            return " … ".join(self.article.text[start:end] for start, end in self.cue_spans)
        return self.cue

    @property
    def is_quoted(self) -> bool:
        return self.form == self.Form.QUOTED

    @property
    def statement_kind(self) -> str:
        """The kind in the attribution scorer's words: direct, mixed or reported."""
        return {self.Form.QUOTED: "direct", self.Form.PARTLY: "mixed"}.get(self.form, "reported")

    @property
    def unsure(self) -> bool:
        """The analysis named a speaker it is unsure of: readers are asked to check it."""
        return (
            self.kind == self.Kind.SPEECH and self.confidence is not None and self.confidence < UNSURE_BELOW
        )

    @property
    def speaker_mention_text(self) -> str:
        if self.speaker_start is None or self.speaker_end is None:
            return ""
        return self.article.text[self.speaker_start : self.speaker_end]

    def __str__(self) -> str:
        return self.text
