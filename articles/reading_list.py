"""Reads for a reader's own library: their state of each article (read, archived, favourite, progress), the
library filtered and sorted by it, and the counts the home page shows. Writes are in services/reading.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length

from .models import Article, Collection, ReadingState
from .models.articles import library_shared

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


def _states(user) -> QuerySet:
    return ReadingState.objects.filter(user=user, article=OuterRef("pk"))


def with_reader_state(articles: QuerySet, user) -> QuerySet:
    """Each article with the reader's flags and progress (all false and 0 for an anonymous reader)."""
    articles = articles.annotate(text_length=Length("text"))
    if user is None or not user.is_authenticated:
        return articles
    return articles.annotate(
        is_read=Exists(_states(user).filter(read=True)),
        is_archived=Exists(_states(user).filter(archived=True)),
        is_favourite=Exists(_states(user).filter(favourite=True)),
        reading_progress=Subquery(_states(user).values("progress")[:1]),
    )


def in_state(articles: QuerySet, user, state: str) -> QuerySet:
    if user is None or not user.is_authenticated or state not in STATES:
        return articles
    archived = Exists(_states(user).filter(archived=True))
    read = Exists(_states(user).filter(read=True))
    if state == "archived":
        return articles.filter(archived)
    if state == "favourites":
        return articles.filter(Exists(_states(user).filter(favourite=True)))
    articles = articles.exclude(archived)
    if state == "read":
        return articles.filter(read)
    if state == "unread":
        return articles.exclude(read)
    return articles


def sorted_by(articles: QuerySet, sort: str) -> QuerySet:
    order = _ORDER.get(sort, _ORDER["added"])
    if order == _ORDER["added"] and "saved" in articles.query.annotations:
        order = ("-saved", "-id")  # a reader's own library: when they saved it
    if sort == "longest" and "text_length" not in articles.query.annotations:
        articles = articles.annotate(text_length=Length("text"))
    return articles.order_by(*order)


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


def library_articles(user, library: str) -> QuerySet:
    """The articles of one of the libraries `user` may list (`libraries_for`; anything else: their default)."""
    shown = libraries_for(user)
    library = library if library in shown else shown[0]
    if library == "mine":
        return Article.objects.in_library_of(user)
    if library == "public":
        return Article.objects.public()
    return Article.objects.visible_to(user)


def reader_library(user, state: str = "all", sort: str = "added", library: str = "") -> QuerySet:
    """The library as this reader sees it: in the chosen state, sorted, with counts and their flags."""
    articles = with_reader_state(library_articles(user, library).with_counts(), user)
    return sorted_by(in_state(articles, user, state), sort)


@dataclass(frozen=True)
class StateCounts:
    all: int
    unread: int
    read: int
    favourites: int
    archived: int

    def __getitem__(self, name: str) -> int:
        return getattr(self, name)


def state_counts(user, library: str = "") -> StateCounts:
    """How many articles are in each of the reader's views of a library, in a few small counts."""
    articles = library_articles(user, library)
    total = articles.count()
    mine = ReadingState.objects.filter(user=user, article__in=articles.values("pk"))
    archived = mine.filter(archived=True).count()
    read = mine.filter(read=True, archived=False).count()
    return StateCounts(
        all=total - archived,
        unread=total - archived - read,
        read=read,
        favourites=mine.filter(favourite=True).count(),
        archived=archived,
    )


def reading_state_of(user, article_id: int) -> ReadingState | None:
    if user is None or not user.is_authenticated:
        return None
    return ReadingState.objects.filter(user=user, article_id=article_id).first()


def reading_state_key(user, article_id: int) -> tuple | None:
    """What the article page shows of the reader's state, for its cache key (one small indexed read)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        ReadingState.objects.filter(user=user, article_id=article_id)
        .values_list("read", "archived", "favourite", "position")
        .first()
    )


@dataclass(frozen=True)
class ArticleCollection:
    pk: int
    name: str
    holds: bool  # this article is in it


def article_collections_of(user, article_id: int) -> tuple[ArticleCollection, ...]:
    """The reader's collections, each saying whether it holds the article: the article page's tags and its
    "Add to collection" choices, and part of that page's cache key (views/pages.py)."""
    if user is None or not user.is_authenticated:
        return ()
    held = Collection.articles.through.objects.filter(collection=OuterRef("pk"), article_id=article_id)
    rows = (
        Collection.objects.filter(user=user).annotate(holds=Exists(held)).values_list("pk", "name", "holds")
    )
    return tuple(ArticleCollection(*row) for row in rows)
