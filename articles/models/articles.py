"""Articles, their blocks, and how the library narrows and counts them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone


def fit(model: type[models.Model], field: str, value: str) -> str:
    """`value` cut to the column's max_length, so a longer name is stored shortened rather than refused."""
    return value[: model._meta.get_field(field).max_length]


def _count_per_article(rows: QuerySet) -> Coalesce:
    """A correlated COUNT per article: cheap on one page of articles, unlike joining every child table."""
    rows = rows.filter(article=OuterRef("pk")).order_by().values("article")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


def library_shared() -> bool:
    """NEWSREADER_LIBRARY=shared: one library for every account, as before libraries were personal."""
    return settings.NEWSREADER_LIBRARY == "shared"


def sees_everything(user) -> bool:
    """Staff see every article (they publish, unpublish and delete them); so does everyone in shared mode."""
    return library_shared() or bool(user is not None and user.is_authenticated and user.is_staff)


LARGEST_ID = 2**63  # ids are 64-bit integers

# The home page's views of the library, for a reader with an account ("all" leaves out what they archived).
STATES = {
    "all": "All",
    "unread": "Unread",
    "read": "Read",
    "favourites": "Favourites",
    "archived": "Archived",
}
# How a list can be sorted; the first is the default (newest added first, as the library always was).
SORTS = {
    "added": "Recently added",
    "newest": "Newest",
    "oldest": "Oldest",
    "longest": "Longest",
    "quoted": "Most quoted",
}
_ORDER = {
    "added": ("-created", "-id"),
    # An article of unknown date comes after the dated ones either way, on every database (SQLite puts
    # NULL first in ascending order, PostgreSQL last).
    "newest": (F("dated").desc(nulls_last=True), "-id"),
    "oldest": (F("dated").asc(nulls_last=True), "id"),
    "longest": ("-text_length", "-id"),
    "quoted": ("-quote_count", "-id"),
}
# Which library the home page lists: everything the reader may read (the public library and their own; for
# staff every article), their own library alone, or the public one (the only one an anonymous reader has).
# One library for all in shared mode.
LIBRARIES = {"all": "Everything you can read", "mine": "Your library", "public": "Public library"}


def libraries_for(user) -> list[str]:
    """The libraries `user` may list, their default first."""
    if library_shared():
        return ["all"]
    if user is None or not user.is_authenticated:
        return ["public"]
    return ["all", "mine", "public"]


def _states(user) -> QuerySet:
    from .readers import ReadingState

    return ReadingState.objects.filter(user=user, article=OuterRef("pk"))


def visible_q(user, article: str = "pk") -> Q:
    """The condition on rows whose article (`article`: the article's own pk, or the column holding its id)
    `user` may see: the public library, and for a reader also their own library. Only for viewers who do not
    see everything (`sees_everything`): the caller skips the condition then. The reader's library is a
    subquery read once (their entries, by the reader's index), not a probe per row."""
    from .library import LibraryEntry

    prefix = "" if article == "pk" else article.removesuffix("_id") + "__"
    public = Q(**{f"{prefix}public": True})
    if user is None or not user.is_authenticated:
        return public
    own = LibraryEntry.objects.filter(reader=user).values("article_id")
    return public | Q(**{f"{article}__in": own})


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

    def of_columns(self) -> Filters:
        """The filters the article row itself answers: its source and date."""
        return Filters(source=self.source, date_from=self.date_from, date_to=self.date_to)

    def of_statements(self) -> Filters:
        """The filters its names and statements answer: who is named, who said what and how."""
        return Filters(person_id=self.person_id, org_id=self.org_id, said=self.said)


class ArticleQuerySet(models.QuerySet):
    # Entities and quotes belong to articles, so their modules import this one: here they are imported when a
    # query is built.
    def visible_to(self, user) -> ArticleQuerySet:
        """What `user` may read: the public library and their own library (staff, and everyone in shared
        mode: every article). Any other article is "not found" for them, never "forbidden"."""
        return self if sees_everything(user) else self.filter(visible_q(user))

    def in_library_of(self, user) -> ArticleQuerySet:
        """The reader's own library (what they saved, uploaded, imported or a feed brought them), each with
        when it joined (`saved`)."""
        return self.filter(library_entries__reader=user).annotate(saved=F("library_entries__added"))

    def public(self) -> ArticleQuerySet:
        return self.filter(public=True)

    def library_of(self, user, library: str) -> ArticleQuerySet:
        """The articles of one of the libraries `user` may list (`libraries_for`; anything else: their
        default)."""
        shown = libraries_for(user)
        library = library if library in shown else shown[0]
        if library == "mine":
            return self.in_library_of(user)
        if library == "public":
            return self.public()
        return self.visible_to(user)

    def reader_library(
        self, user, state: str = "all", sort: str = "added", library: str = ""
    ) -> ArticleQuerySet:
        """The library as this reader sees it: in the chosen state, sorted, with counts and their flags."""
        articles = self.library_of(user, library).with_counts().with_reader_state(user)
        return articles.in_state(user, state).sorted_by(sort)

    def with_reader_state(self, user) -> ArticleQuerySet:
        """Each article with the reader's flags and progress (all false and 0 for an anonymous reader)."""
        articles = self.annotate(text_length=Length("text"))
        if user is None or not user.is_authenticated:
            return articles
        return articles.annotate(
            is_read=Exists(_states(user).filter(read=True)),
            is_archived=Exists(_states(user).filter(archived=True)),
            is_favourite=Exists(_states(user).filter(favourite=True)),
            reading_progress=Subquery(_states(user).values("progress")[:1]),
        )

    def in_state(self, user, state: str) -> ArticleQuerySet:
        """The articles in one of the reader's views (`STATES`; anything else: all of them)."""
        if user is None or not user.is_authenticated or state not in STATES:
            return self
        archived = Exists(_states(user).filter(archived=True))
        read = Exists(_states(user).filter(read=True))
        if state == "archived":
            return self.filter(archived)
        if state == "favourites":
            return self.filter(Exists(_states(user).filter(favourite=True)))
        articles = self.exclude(archived)
        if state == "read":
            return articles.filter(read)
        if state == "unread":
            return articles.exclude(read)
        return articles

    def sorted_by(self, sort: str) -> ArticleQuerySet:
        """In one of the `SORTS` (anything else: the default)."""
        articles = self
        order = _ORDER.get(sort, _ORDER["added"])
        if order == _ORDER["added"] and "saved" in articles.query.annotations:
            order = ("-saved", "-id")  # a reader's own library: when they saved it
        if sort == "longest" and "text_length" not in articles.query.annotations:
            articles = articles.annotate(text_length=Length("text"))
        return articles.order_by(*order)

    def page_state(self, user, pk: int) -> tuple | None:
        """What an article page shows for `user`, in one small query (the page cache's key, views/pages.py):
        the article's analysis (revision, state, and when it was added: a deleted article's id may be given
        to the next), the annotations the reader may see (how many, the latest change), running background
        jobs, and who may read it (public, who shared it, whether it is in the reader's library). None when
        there is no article this reader may read: then nothing is served from the cache, and the view answers
        404. Plain SQL: it runs on every page view, and building it through the ORM cost more than running
        it."""
        from .annotations import Annotation, AnnotationJob
        from .library import LibraryEntry

        if not 0 < pk < LARGEST_ID:
            return None  # no such article (and too large a number for the database to compare)
        article, annotation = self.model._meta.db_table, Annotation._meta.db_table
        visible = f"FROM {annotation} n WHERE n.article_id = a.id AND (n.visibility = %s OR n.user_id = %s)"
        jobs = f"FROM {AnnotationJob._meta.db_table} j WHERE j.article_id = a.id AND j.state IN (%s, %s)"
        entry = f"FROM {LibraryEntry._meta.db_table} l WHERE l.article_id = a.id AND l.reader_id = %s"
        reader = user.pk
        may_read, may_read_params = "", []
        if not sees_everything(user):
            may_read, may_read_params = (
                " AND (a.public = %s OR EXISTS (SELECT 1 " + entry + "))",
                [True, reader],
            )
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT a.revision, a.analysis_state, (SELECT COUNT(*) {visible}), "
                f"(SELECT MAX(n.updated) {visible}), a.created, (SELECT COUNT(*) {jobs}), a.public, "
                f"a.shared_by_id, (SELECT COUNT(*) {entry}) FROM {article} a WHERE a.id = %s{may_read}",
                [
                    Annotation.Visibility.PUBLIC,
                    reader,
                    Annotation.Visibility.PUBLIC,
                    reader,
                    AnnotationJob.State.QUEUED,
                    AnnotationJob.State.RUNNING,
                    reader,
                    pk,
                    *may_read_params,
                ],
            )
            return cursor.fetchone()

    def with_counts(self) -> ArticleQuerySet:
        from .entities import Entity
        from .quotes import Quote

        return self.annotate(
            quote_count=_count_per_article(Quote.objects.filter(form=Quote.Form.QUOTED)),
            people_count=_count_per_article(Entity.objects.filter(label="PERSON")),
        )

    def filtered(self, filters: Filters) -> ArticleQuerySet:
        from .entities import Entity
        from .quotes import SAID_FORMS, Quote

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

    def sources(self, viewer=None, *, everything: bool = False) -> list[str]:
        """Every source named in what `viewer` may see (on this queryset's database; its filters do not
        apply), for the filter menus, in code-point order (the column collates so on both databases).
        `everything`: every article's source, whoever asks (`move_library` compares two databases). The
        source index is stepped through from one source to the next: a few reads for a few sources, where
        PostgreSQL would otherwise read every article row to find them; a reader's own library is small and
        read as it is."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        public_only = not (everything or sees_everything(viewer))
        where = "public = %s AND " if public_only else ""

        def after(previous: str) -> str:
            return f"(SELECT source FROM {table} WHERE {where}source > {previous} ORDER BY source LIMIT 1)"

        step = [True] if public_only else []
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE named(source) AS (SELECT {after('%s')} UNION ALL "
                f"SELECT {after('named.source')} FROM named WHERE named.source IS NOT NULL) "
                "SELECT source FROM named WHERE source IS NOT NULL ORDER BY source",
                [*step, "", *step],
            )
            found = {row[0] for row in cursor.fetchall()}
        if public_only and viewer is not None and viewer.is_authenticated:
            found |= set(
                self.model.objects.using(self.db)
                .filter(library_entries__reader=viewer)
                .exclude(source="")
                .order_by()  # else the default ordering's columns join the DISTINCT: a row per article
                .values_list("source", flat=True)
                .distinct()
            )
        return sorted(found)


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

    # In the public library, which anonymous visitors and every reader see: published by staff (the seeds,
    # `import_articles --public`, the admin) or shared by a reader. Otherwise only the readers whose library
    # holds it (a LibraryEntry each) and staff see it.
    public = models.BooleanField(default=False)
    # The reader who shared it with everyone (they, or staff, may take it back); none when staff published it.
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_shared",
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
            # Who may read it (public) too, for the visibility rules on a join.
            models.Index(fields=["id", "dated", "public"], name="article_id_dated_public"),
            models.Index(fields=["url"], name="article_url"),
            # The public library's sources, stepped through for the filter menus.
            models.Index(fields=["public", "source"], name="article_public_source"),
            # The public library newest first, as anonymous readers' home page lists it.
            models.Index(fields=["public", "-created", "-id"], name="article_public_newest"),
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
        """The reader who added it, or staff; an article nobody added (imports, feeds) only staff. (A reader
        whose library holds it may take it out of their library: `may_remove`.)"""
        return self.may_retry_analysis(user)

    def may_remove(self, user) -> bool:
        """Delete it, or take it out of one's own library (services/library.articles_remove_many decides
        which): whoever added it, staff, or a reader whose library holds it."""
        return self.may_delete(user) or bool(
            user.is_authenticated and self.library_entries.filter(reader=user).exists()
        )

    def kept_for_others(self, user) -> bool:
        """Whether removing it as `user` (not staff) only takes it out of their library: another reader's
        library holds it (they keep it, and are not revealed), or it is public and not theirs to delete. A
        private article nobody else keeps goes for good with the last reader who had it."""
        if user.is_staff or library_shared():  # one library for all: deleting is for everyone, as before
            return False
        return self.library_entries.exclude(reader=user).exists() or (
            self.public and not self.may_delete(user)
        )

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
    # The block's sentences as [start, end] offsets into the article's text, as the analysis found them;
    # empty until the article is analysed.
    sentences = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["article", "position"], name="block_position_unique")]

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}-{self.end} of article {self.article_id}"
