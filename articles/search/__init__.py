"""Full-text search over headlines and article text: one interface, one backend per database.

On SQLite the index is an FTS5 table over the article table's `title` and `text` columns (`fts5.py`); nothing
keeps it in step by itself, so services call `index_article` / `unindex_article` inside the transaction that
writes the article, and an article and its index entry are committed or rolled back together. On PostgreSQL
the index is a stored tsvector column of the article table (`postgres.py`): the row keeps its own index entry,
and those calls do nothing. Both read the user's words the same way (`query.py`), fold case and accents on
Latin letters, keep every word (no stopwords) and stem English words; the rest of the app never asks which.

Results are data (`results.Hit`: text and the matches' offsets, `marked.Marked`); their HTML is made in
`articles/rendering/snippets.py`.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet

from .backends import backend
from .marked import Marked, terms_marked
from .query import MAX_QUERY_CHARS, MAX_TERMS, Terms, match_expression, query_terms, words
from .results import Hit, SearchResults

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "Hit",
    "Marked",
    "SearchResults",
    "Terms",
    "annotations_matching",
    "index_article",
    "index_clear",
    "index_rebuild",
    "match_expression",
    "matches_in",
    "query_terms",
    "statistics_refresh",
    "unindex_article",
    "words",
]


def index_article(article) -> None:
    backend().index(article)


def unindex_article(article_id: int, title: str, text: str) -> None:
    """Remove an article from the index (given the values it was indexed with: FTS5 needs them)."""
    backend().unindex(article_id, title, text)


def index_clear(using: str = DEFAULT_DB_ALIAS) -> None:
    """Empty the index, for a database whose article rows were removed behind the services' back (a flush)."""
    backend(using).clear(using)


def index_rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Index every article again from the article table, after rows were copied in behind the services."""
    backend(using).rebuild(using)


def statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> None:
    """Let the database's planner see the library as it now is: after a bulk import, so search and the
    library pages use their indexes at once."""
    backend(using).analyse(using)


def annotations_matching(annotations: QuerySet, query: str) -> QuerySet:
    """The annotations whose note or passage holds every term of `query`, read as article search reads it
    (`query_terms`: words, "quoted phrases", the same limits), ignoring case. A reader's notebook is small
    enough for portable lookups, the same on every database; an annotation index would live here too."""
    terms = query_terms(query)
    if not terms.phrases:
        return annotations.none()
    for phrase in terms.phrases:
        annotations = annotations.filter(Q(note__icontains=phrase) | Q(exact__icontains=phrase))
    return annotations


def matches_in(text: str, query: str) -> Marked:
    """`text` with every term of `query` found in it (ignoring case) marked, as search hits are: the
    notebook's notes and passages."""
    return terms_marked(text, query_terms(query).phrases)
