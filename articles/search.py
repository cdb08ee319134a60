"""Full-text search over headlines and article text; the one module that knows the index is SQLite FTS5.

The index is an FTS5 table over the article table's `title` and `text` columns (external content, so the text
is stored once). Nothing keeps it in step by itself: services call `index_article` / `unindex_article` inside
the transaction that writes the article, so an article and its index entry are committed or rolled back
together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Filters

# Made by migration 0003 (an FTS5 table with external content: the article table's title and text).
TABLE = "articles_search"

# Marks put around matches by FTS5, turned into <mark> only after the text around them is escaped.
_OPEN, _CLOSE = "\ue000", "\ue001"
TITLE_WEIGHT, TEXT_WEIGHT = 8.0, 1.0
SNIPPET_TOKENS = 28
# Matches ranked by relevance; beyond them (a word found in most articles) the rest follow newest first.
RANKED_MATCHES = 1000
# A query's cost grows with its terms (FTS5 walks every term's matches, repeated or not): only so many count,
# and a repeated term counts once. Both limits are far beyond what anyone types.
MAX_QUERY_CHARS = 300
MAX_TERMS = 12
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


def _folded(word: str) -> str:
    """A word as the index's tokenizer sees it (unicode61, remove_diacritics 2): lower case, and accents off
    Latin letters only ("Müller" is "muller"; Hebrew points and Greek accents stay)."""
    folded: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and folded and unicodedata.name(folded[-1], "").startswith("LATIN"):
            continue
        folded.append(ch)
    return "".join(folded)


@dataclass(frozen=True)
class Terms:
    """The user's words as an FTS5 query, and whether some were left out for the limits."""

    expression: str
    shortened: bool = False


def query_terms(query: str) -> Terms:
    """Every word must appear, "quoted phrases" as phrases; the same term twice is searched once, and
    beyond MAX_QUERY_CHARS characters or MAX_TERMS terms the rest is left out.

    Each term is quoted, so FTS5 operators and punctuation in the input are plain text, never syntax.
    """
    shortened = len(query) > MAX_QUERY_CHARS
    if shortened:
        cut = query.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        query = query[: cut if cut > 0 else MAX_QUERY_CHARS]
    terms: dict[tuple[str, ...], str] = {}
    for phrase, word in _TERM.findall(query):
        words = _WORD.findall(phrase if phrase else word)
        key = tuple(_folded(w) for w in words)
        if not words or key in terms:
            continue
        if len(terms) == MAX_TERMS:
            shortened = True
            break
        terms[key] = '"' + " ".join(words) + '"'
    return Terms(" ".join(terms.values()), shortened)


def match_expression(query: str) -> str:
    return query_terms(query).expression


def marked_html(fragment: str) -> SafeString:
    """Escape text from the index, then turn only our own match marks into <mark>.

    Article text never holds the marks' private-use characters (services.articles.normalise_text drops them),
    so every <mark> is a match."""
    return mark_safe(escape(fragment, quote=False).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


@dataclass
class Hit:
    article: Article
    title_html: SafeString
    snippet_html: SafeString


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
        return query_terms(self.query).expression

    @property
    def shortened(self) -> bool:
        return query_terms(self.query).shortened

    def ranked_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = []
            if self.expression:
                where, params = "", ()
                if self.filters:
                    # The same filters as the library's (one QuerySet method); ranking reads the index alone.
                    subquery, params = (
                        Article.objects.filtered(self.filters).order_by().values("pk").query.sql_with_params()
                    )
                    where = f" AND s.rowid IN ({subquery})"
                matches = f"FROM {TABLE} s WHERE {TABLE} MATCH %s{where}"
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
