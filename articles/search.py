"""Full-text search over headlines and article text; the one module that knows the index is SQLite FTS5.

The index is an FTS5 table over the article table's `title` and `text` columns (external content, so the text
is stored once). Nothing keeps it in step by itself: services call `index_article` / `unindex_article` inside
the transaction that writes the article, so an article and its index entry are committed or rolled back
together.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html import escape

from django.db import connection

from .models import Article

TABLE = "articles_search"
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "title, text, content='articles_article', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
REBUILD_SQL = f"INSERT INTO {TABLE}({TABLE}) VALUES('rebuild')"

# Marks put around matches by FTS5, turned into <mark> only after the text around them is escaped.
_OPEN, _CLOSE = "\ue000", "\ue001"
TITLE_WEIGHT, TEXT_WEIGHT = 8.0, 1.0
SNIPPET_TOKENS = 28
# Matches ranked by relevance; beyond them (a word found in most articles) the rest follow newest first.
RANKED_MATCHES = 1000
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def index_article(article: Article) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE}(rowid, title, text) VALUES (%s, %s, %s)",
            [article.pk, article.title, article.text],
        )


def unindex_article(article_id: int, title: str, text: str) -> None:
    """Remove an article from the index; FTS5 needs the values it indexed to find its entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE}({TABLE}, rowid, title, text) VALUES ('delete', %s, %s, %s)",
            [article_id, title, text],
        )


def rebuild_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL)


def match_expression(query: str) -> str:
    """The user's words as an FTS5 query: every word must appear, "quoted phrases" as phrases.

    Each term is quoted, so FTS5 operators and punctuation in the input are plain text, never syntax.
    """
    terms = []
    for phrase, word in _TERM.findall(query):
        words = _WORD.findall(phrase if phrase else word)
        if words:
            terms.append('"' + " ".join(words) + '"')
    return " ".join(terms)


def marked_html(fragment: str) -> str:
    """Escape text from the index, then turn only our own match marks into <mark>."""
    return escape(fragment, quote=False).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


@dataclass(frozen=True)
class Filters:
    person_id: int | None = None
    org_id: int | None = None
    source: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def where(self, alias: str = "a") -> tuple[list[str], list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        for actor_id in (self.person_id, self.org_id):
            if actor_id is not None:
                clauses.append(
                    "EXISTS (SELECT 1 FROM articles_entity e "
                    f"WHERE e.actor_id = %s AND e.article_id = {alias}.id)"
                )
                params.append(actor_id)
        if self.source:
            clauses.append(f"{alias}.source = %s")
            params.append(self.source)
        if self.date_from:
            clauses.append(f"{alias}.dated >= %s")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append(f"{alias}.dated <= %s")
            params.append(self.date_to.isoformat())
        return clauses, params


@dataclass
class Hit:
    article: Article
    title_html: str
    snippet_html: str


@dataclass
class SearchResults:
    """Matching articles best first, sliceable and countable, so Django's Paginator can page through them.

    One ranked pass over the index gives every matching id (a few bytes each, even for thousands of matches);
    the count and each page come from that list, and only the shown page is snippeted and loaded.
    """

    query: str
    filters: Filters = field(default_factory=Filters)
    _ids: list[int] | None = None

    @property
    def expression(self) -> str:
        return match_expression(self.query)

    def ranked_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = []
            if self.expression:
                clauses, params = self.filters.where("a")
                # The article table is joined only to filter; ranking reads the index alone.
                join = " JOIN articles_article a ON a.id = s.rowid" if clauses else ""
                where = "".join(f" AND {c}" for c in clauses)
                matches = f"FROM {TABLE} s{join} WHERE {TABLE} MATCH %s{where}"
                with connection.cursor() as cursor:
                    # bm25 costs most per match; a word in most of the library ranks only its newest matches.
                    cursor.execute(
                        "SELECT rowid FROM (SELECT s.rowid AS rowid, "
                        f"bm25({TABLE}, {TITLE_WEIGHT}, {TEXT_WEIGHT}) "
                        f"AS score {matches} ORDER BY s.rowid DESC LIMIT %s) ORDER BY score, rowid DESC",
                        [self.expression, *params, RANKED_MATCHES],
                    )
                    self._ids = [row[0] for row in cursor.fetchall()]
                    if len(self._ids) == RANKED_MATCHES:
                        cursor.execute(
                            f"SELECT s.rowid {matches} ORDER BY s.rowid DESC LIMIT -1 OFFSET %s",
                            [self.expression, *params, RANKED_MATCHES],
                        )
                        self._ids += [row[0] for row in cursor.fetchall()]
        return self._ids

    def count(self) -> int:
        return len(self.ranked_ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not isinstance(window, slice):
            raise TypeError("SearchResults takes slices only")
        ids = self.ranked_ids()[window]
        if not ids:
            return []
        with connection.cursor() as cursor:
            # snippet() re-reads and re-tokenises an article, so it runs on the shown page only.
            cursor.execute(
                f"SELECT rowid, highlight({TABLE}, 0, %s, %s), "
                f"snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}) "
                f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [_OPEN, _CLOSE, _OPEN, _CLOSE, self.expression, *ids],
            )
            marks = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        articles = Article.objects.with_counts().in_bulk(ids)
        return [
            Hit(articles[i], marked_html(marks[i][0] or ""), marked_html(marks[i][1] or ""))
            for i in ids
            if i in articles and i in marks
        ]
