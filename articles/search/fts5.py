"""SQLite: an FTS5 table with external content (the article table's title and text, so the text is stored
once), made by migration 0003 and kept in step by the services."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from ..models import Article, Filters
from .marked import CLOSE, OPEN, Marked, from_database
from .query import RANKED_MATCHES, SNIPPET_TOKENS, TEXT_WEIGHT, TITLE_WEIGHT, Terms

TABLE = "articles_search"


def index(article: Article) -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE}(rowid, title, text) VALUES (%s, %s, %s)",
            [article.pk, article.title, article.text],
        )


def unindex(article_id: int, title: str, text: str) -> None:
    # FTS5 needs the values it indexed to find its entries.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE}({TABLE}, rowid, title, text) VALUES ('delete', %s, %s, %s)",
            [article_id, title, text],
        )


def clear(using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")


def rebuild(using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def analyse(using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def ranked_ids(terms: Terms, filters: Filters, visible: QuerySet | None, using: str) -> list[int]:
    """Ids of the matching articles that pass the reader's `filters` and that the reader may read (`visible`;
    None: all), best first."""
    where, params = "", ()
    filtered = Article.objects.using(using).filtered(filters)
    articles = filtered if visible is None else filtered.filter(pk__in=visible.values("pk"))
    if visible is not None or filtered.query.where:
        # The same filters as the library's (one QuerySet method); ranking reads the index alone.
        subquery, params = articles.order_by().values("pk").query.get_compiler(using).as_sql()
        # "+" keeps the filter from becoming the FTS5 table's rowid constraint: the index would then be
        # searched once per filtered article (a second for "Trump" in one source of 10,000 articles),
        # where one pass over the matches checked against the filtered ids takes milliseconds.
        where = f" AND +s.rowid IN ({subquery})"
    matches = f"FROM {TABLE} s WHERE {TABLE} MATCH %s{where}"
    with connections[using].cursor() as cursor:
        # bm25 costs most per match; a word in most of the library ranks only its newest matches.
        cursor.execute(
            "SELECT rowid FROM (SELECT s.rowid AS rowid, "
            f"bm25({TABLE}, {TITLE_WEIGHT}, {TEXT_WEIGHT}) "
            f"AS score {matches} ORDER BY s.rowid DESC LIMIT %s) ORDER BY score, rowid DESC",
            [terms.expression, *params, RANKED_MATCHES],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) == RANKED_MATCHES:
            cursor.execute(
                f"SELECT s.rowid {matches} ORDER BY s.rowid DESC LIMIT -1 OFFSET %s",
                [terms.expression, *params, RANKED_MATCHES],
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def marks(terms: Terms, articles: dict[int, Article], using: str) -> dict[int, tuple[Marked, Marked]]:
    """Each article's headline with every match marked, and one snippet around matches in its text."""
    ids = list(articles)
    with connections[using].cursor() as cursor:
        # snippet() re-reads and re-tokenises an article, so it runs on the shown page only.
        cursor.execute(
            f"SELECT rowid, highlight({TABLE}, 0, %s, %s), "
            f"snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
            [OPEN, CLOSE, OPEN, CLOSE, terms.expression, *ids],
        )
        return {
            row[0]: (from_database(row[1] or ""), from_database(row[2] or "")) for row in cursor.fetchall()
        }
