"""Articles and what the analysis found in them, stored as rows so that views never run spaCy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection, connections, models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone


def fit(model: type[models.Model], field: str, value: str) -> str:
    """`value` cut to the column's max_length, so a longer name is stored shortened rather than refused."""
    return value[: model._meta.get_field(field).max_length]


def _count_per_article(rows: QuerySet) -> Coalesce:
    """A correlated COUNT per article: cheap on one page of articles, unlike joining every child table."""
    rows = rows.filter(article=OuterRef("pk")).order_by().values("article")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


@dataclass(frozen=True)
class Filters:
    """What search and the filtered library narrow articles by."""

    person_id: int | None = None
    org_id: int | None = None
    source: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # "quoted" or "reported": only articles where someone (the person, when one is chosen) is quoted, or
    # reported (partly quoted included); "" for either.
    said: str = ""

    def __bool__(self) -> bool:
        return any((self.person_id, self.org_id, self.source, self.date_from, self.date_to, self.said))


class ArticleQuerySet(models.QuerySet):
    def with_counts(self) -> ArticleQuerySet:
        return self.annotate(
            quote_count=_count_per_article(Quote.objects.filter(form=Quote.Form.QUOTED)),
            people_count=_count_per_article(Entity.objects.filter(label="PERSON")),
        )

    def filtered(self, filters: Filters) -> ArticleQuerySet:
        articles = self
        for actor_id in (filters.person_id, filters.org_id):
            if actor_id is not None:
                articles = articles.filter(
                    Exists(Entity.objects.filter(actor_id=actor_id, article=OuterRef("pk")))
                )
        if filters.said in SAID_FORMS:
            statements = Quote.objects.filter(
                article=OuterRef("pk"), kind=Quote.Kind.SPEECH, form__in=SAID_FORMS[filters.said]
            )
            if filters.person_id is not None:
                statements = statements.filter(speaker__actor_id=filters.person_id)
            articles = articles.filter(Exists(statements))
        if filters.source:
            articles = articles.filter(source=filters.source)
        if filters.date_from:
            articles = articles.filter(dated__gte=filters.date_from)
        if filters.date_to:
            articles = articles.filter(dated__lte=filters.date_to)
        return articles

    def sources(self) -> list[str]:
        """Every source named in the library (on this queryset's database; its filters do not apply), for the
        filter menus, in code-point order (the column collates so on both databases). The source index is
        stepped through from one source to the next: a few reads for a few sources, where PostgreSQL would
        otherwise read every article row to find them."""
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)

        def after(previous: str) -> str:
            return f"(SELECT source FROM {table} WHERE source > {previous} ORDER BY source LIMIT 1)"

        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE named(source) AS (SELECT {after('%s')} UNION ALL "
                f"SELECT {after('named.source')} FROM named WHERE named.source IS NOT NULL) "
                "SELECT source FROM named WHERE source IS NOT NULL ORDER BY source",
                [""],
            )
            return [row[0] for row in cursor.fetchall()]


READING_WORDS_PER_MINUTE = 230

# How long the article page keeps asking whether a pending analysis is done.
ANALYSIS_PATIENCE = datetime.timedelta(minutes=10)


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
    # The page's canonical address when it came from the web: the same address saved twice is a duplicate.
    url = models.URLField(max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    # The date filters and "by month" use: the publication date when known. None for an unknown date, which
    # no date filter matches and no month counts (never the day it was added).
    dated = models.DateField(null=True, blank=True)

    class Analysis(models.TextChoices):
        PENDING = "pending", "analysing"
        DONE = "done", "analysed"
        FAILED = "failed", "failed"

    analysis_state = models.CharField(max_length=10, choices=Analysis.choices, default=Analysis.DONE)
    analysis_error = models.TextField(blank=True)
    # A background analysis beats this every few seconds; a pending article whose beat stopped lost its worker.
    analysis_heartbeat = models.DateTimeField(null=True, blank=True)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    # Moves on with every new analysis or text: what the rendered page body is cached under.
    revision = models.PositiveIntegerField(default=0)
    # Who added it on the web (they may retry a failed analysis); none for imports and feeds.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_added",
    )

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
            models.Index(fields=["url"], name="article_url"),
        ]

    @property
    def analysis_pending(self) -> bool:
        return self.analysis_state == self.Analysis.PENDING

    @property
    def analysis_failed(self) -> bool:
        return self.analysis_state == self.Analysis.FAILED

    @property
    def analysis_overdue(self) -> bool:
        """Pending for longer than any analysis should take: the page stops asking and says so."""
        return self.analysis_pending and timezone.now() - self.created > ANALYSIS_PATIENCE

    def may_retry_analysis(self, user) -> bool:
        return user.is_authenticated and (
            user.is_staff or (self.added_by_id is not None and self.added_by_id == user.pk)
        )

    def may_delete(self, user) -> bool:
        """The reader who added it, or staff; an article nobody added (imports, feeds) only staff."""
        return self.may_retry_analysis(user)

    @property
    def reading_minutes(self) -> int:
        """About how long it takes to read: a word is about six characters, read at 230 words a minute."""
        chars = getattr(self, "text_length", None)
        if chars is None:
            chars = len(self.text)
        return max(1, round(chars / (6 * READING_WORDS_PER_MINUTE)))

    @property
    def original_url(self) -> str:
        """The page it came from, when that is a web address (an imported file may name anything)."""
        return self.url if urlsplit(self.url).scheme.lower() in ("http", "https") else ""

    @property
    def original_site(self) -> str:
        return urlsplit(self.original_url).hostname or ""

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])


class Block(models.Model):
    """A headline, paragraph, caption, credit or boilerplate line, in reading order."""

    class Kind(models.TextChoices):
        HEADLINE = "headline"
        PARAGRAPH = "paragraph"
        CAPTION = "caption"
        CREDIT = "credit"
        BOILERPLATE = "boilerplate"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["article", "position"], name="block_position_unique")]

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}-{self.end} of article {self.article_id}"


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


# What "who is quoted" and a person's page count and list: quotes (in quotation marks, as the page marks them),
# what is reported of them (in their own words or not: reported and partly quoted), or everything they said.
TALLY_COLUMNS = {"quoted": "quotes", "reported": "reported", "all": "said"}


class QuoteTallyQuerySet(models.QuerySet):
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
    """Quotes per speaker, source and month, kept in step with the quotes so "who is quoted" reads a few rows."""

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
            models.UniqueConstraint(fields=["actor", "source", "month"], name="quote_tally_unique")
        ]
        # Covering indexes: "who is quoted" sums quotes by speaker or by month, for the library or one source.
        indexes = [
            models.Index(
                fields=["source", "actor", "quotes", "reported", "said"], name="quote_tally_source_said"
            ),
            models.Index(fields=["actor", "quotes", "reported", "said"], name="quote_tally_actor_said"),
            models.Index(fields=["month", "quotes", "reported", "said"], name="quote_tally_month_said"),
            models.Index(
                fields=["source", "month", "quotes", "reported", "said"], name="quote_tally_source_month_said"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.month:%Y-%m} {self.source or 'every source'}"


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


class QuoteQuerySet(models.QuerySet):
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

    def __init__(self, actor_id: int, total: int, said: str = "quoted"):
        self.actor_id, self.total, self.said = actor_id, total, said

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
    def speaker_mention_text(self) -> str:
        if self.speaker_start is None or self.speaker_end is None:
            return ""
        return self.article.text[self.speaker_start : self.speaker_end]

    def __str__(self) -> str:
        return self.text


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """Public annotations, plus the viewer's own private ones; anonymous viewers see public ones only."""
        if user is not None and user.is_authenticated:
            return self.filter(models.Q(visibility=Annotation.Visibility.PUBLIC) | models.Q(user=user))
        return self.filter(visibility=Annotation.Visibility.PUBLIC)

    def in_text_order(self) -> AnnotationQuerySet:
        return self.order_by("orphaned", "start", "end", "pk")

    def count_per_article(self, viewer) -> Coalesce:
        """A correlated count of what `viewer` may see, for `Article.objects.annotate(annotation_count=...)`."""
        return _count_per_article(self.visible_to(viewer))

    def placed(self) -> AnnotationQuerySet:
        """Those with a place in the current text (orphans have none)."""
        return self.filter(orphaned=False)


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


class AnnotationJobQuerySet(models.QuerySet):
    def active(self) -> AnnotationJobQuerySet:
        return self.filter(state__in=[AnnotationJob.State.QUEUED, AnnotationJob.State.RUNNING])

    def visible_to(self, user) -> AnnotationJobQuerySet:
        """An import is its owner's alone; a re-anchoring is also shown to staff."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.filter(models.Q(owner=user) | models.Q(kind=AnnotationJob.Kind.REANCHOR))
        return self.filter(owner=user)


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


class RateCount(models.Model):
    """Requests counted against one rate limit for one account or address in one window (articles/throttling.py).
    Kept in the database so that every gunicorn worker and every host shares the same counts."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    # When the window ends; rows past it are deleted as new windows begin.
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="reading_state_unique")]
        indexes = [models.Index(fields=["user", "read", "archived", "favourite"], name="reading_state_flags")]

    def __str__(self) -> str:
        return f"{self.user} reading {self.article_id}"


class Collection(models.Model):
    """A reader's own label on articles; its page is theirs alone unless they make it public."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=100)
    public = models.BooleanField(default=False)
    articles = models.ManyToManyField(Article, related_name="collections", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="collection_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:collection", args=[self.pk])
