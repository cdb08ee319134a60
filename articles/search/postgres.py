"""PostgreSQL: the article row's own stored tsvector (title weighted above text) with a GIN index, and the
text-search configuration `newsreader` (unaccent, then the English stemmer, no stopwords), all made by
migration 0012; queried through django.contrib.postgres.search. The row follows every write by itself, so
indexing does nothing here."""

from __future__ import annotations

import re
from functools import reduce
from operator import and_

from django.db import connections, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from ..models import Article, Filters
from .marked import CLOSE, OPEN, Marked, from_database, with_ellipses
from .query import RANKED_MATCHES, SNIPPET_TOKENS, TEXT_WEIGHT, TITLE_WEIGHT, Terms
from .windows import window

VECTOR_COLUMN = "search_vector"
CONFIG = "newsreader"
# PostgreSQL's parser reads "<...>" as a markup tag and leaves it out of a snippet: "<" is hidden from it.
_LT = "\ue002"
SHORT_TEXT_CHARS = SNIPPET_TOKENS * 5  # surely no more words than a snippet holds
# Without a window, a snippet is looked for in the article's start first.
HEADLINE_CHARS = 2000
_LEXEME = re.compile(r"'((?:[^']|'')*)'")


def index(article: Article) -> None:
    pass


def unindex(article_id: int, title: str, text: str) -> None:
    pass


def clear(using: str) -> None:
    pass


rebuild = clear


def analyse(using: str) -> None:
    # Fresh planner statistics, so a search right after a bulk load uses the GIN index.
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def _query(terms: Terms):
    from django.contrib.postgres.search import SearchQuery

    # Every term a phrase of plain words (phraseto_tsquery): nothing the reader types is tsquery syntax.
    return reduce(and_, (SearchQuery(t, search_type="phrase", config=CONFIG) for t in terms.phrases))


def _vector():
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL(f"{Article._meta.db_table}.{VECTOR_COLUMN}", [], output_field=SearchVectorField())


def _tsquery(terms: Terms) -> tuple[str, list[str]]:
    """The same query as `_query`, as SQL and its parameters, for the statements written out here."""
    sql = " && ".join(["phraseto_tsquery(%s::regconfig, %s)"] * len(terms.phrases))
    return f"({sql})", [value for phrase in terms.phrases for value in (CONFIG, phrase)]


def ranked_ids(terms: Terms, filters: Filters, visible: QuerySet | None, using: str) -> list[int]:
    """Ids of the matching articles that pass the reader's `filters` and that the reader may read (`visible`;
    None: all), best first."""
    query = _query(terms)
    articles = Article.objects.using(using)
    # The text index finds the matches together with the filters on the article's own columns (source,
    # dates: a bitmap of their index and the text index's, combined).
    matches = articles.filtered(filters.of_columns()).alias(vector=_vector()).filter(vector=query)
    sql, params = matches.order_by().values("pk").query.sql_with_params()
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        # Which articles match is read from the GIN index alone (a bitmap scan reads no stored vector).
        # The planner does not count the cost of unpacking a row's vector and, for a word in most of the
        # library, would check every row's instead: ten times slower ("Trump" in 6,800 of 10,000
        # articles: 50 ms against 5 ms). The settings last for this query only (an error rolls them back
        # with the transaction).
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        # Thousands of ids come back as one array: as rows, the driver's and the ORM's work per row would
        # cost more than the query.
        cursor.execute(f"SELECT array_agg(pk ORDER BY pk DESC) FROM ({sql}) AS matches", params)
        ids = cursor.fetchone()[0] or []
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT")
    statements = filters.of_statements()
    if ids and (visible is not None or statements):
        # What the reader may read, and the filters on names and statements, are checked on the matches,
        # each found by its id (the primary key), rather than listing every article the reader may read.
        # Not in the query above: its settings would make each match's statements a bitmap scan of their
        # own ("Trump" said=reported: 51 ms there, against a few ms of index lookups here), and asked
        # together, the planner would find the matches through the public flag's index instead of the text
        # index.
        checked = (visible if visible is not None else articles).filtered(statements)
        matched = RawSQL(
            f"{Article._meta.db_table}.id = ANY(%s::bigint[])",
            ["{" + ",".join(map(str, ids)) + "}"],
            output_field=BooleanField(),
        )
        allowed, allowed_params = (
            checked.filter(matched).order_by().values("pk").query.get_compiler(using).as_sql()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT array_agg(pk ORDER BY pk DESC) FROM ({allowed}) AS allowed", allowed_params
            )
            ids = cursor.fetchone()[0] or []
    if not ids:
        return []
    tsquery, query_params = _tsquery(terms)
    with connection.cursor() as cursor:
        # Weights are {D, C, B, A}: the title (A) counts TITLE_WEIGHT times the text (D); normalisation 1
        # divides by the log of the length, as bm25 favours short documents. The ids go as one array
        # literal: a thousand placeholders, or a list the driver quotes item by item, cost more than the
        # ranking.
        weights = f"'{{{TEXT_WEIGHT / 10}, 0, 0, {TITLE_WEIGHT / 10}}}'::float4[]"
        cursor.execute(
            f"SELECT array_agg(id ORDER BY ts_rank({weights}, {VECTOR_COLUMN}, {tsquery}, 1) DESC, id DESC) "
            f"FROM {Article._meta.db_table} WHERE id = ANY(%s::bigint[])",
            [*query_params, "{" + ",".join(map(str, ids[:RANKED_MATCHES])) + "}"],
        )
        return cursor.fetchone()[0] + ids[RANKED_MATCHES:]


def marks(terms: Terms, articles: dict[int, Article], using: str) -> dict[int, tuple[Marked, Marked]]:
    """Each article's headline with every match marked and one snippet around matches in its text.

    ts_headline parses all the text it is given (about 7 ms for a 33,000-character article, and a page
    shows twenty), so it is given a window of the text around where the query's words first appear, found by
    stemming the text's words as the index does (`windows.py`). An article where that finds no match (a word
    met only with an accent, or in the headline alone) is read as before: its first HEADLINE_CHARS
    characters, then, when neither they nor its headline hold a match, all of it (its snippet is then the
    text's start, as FTS5 gives it)."""
    lexemes = _lexemes(terms, using)
    windows = {}
    for pk, article in articles.items():
        if len(article.text) <= SHORT_TEXT_CHARS:
            windows[pk] = article.text
        elif found := window(article.text, lexemes):
            windows[pk] = article.text[found[0] : found[1]]
    rows = {
        pk: (title, snippet)
        for pk, (title, snippet) in _headlines(terms, articles, windows, using).items()
        if OPEN in snippet or len(articles[pk].text) <= SHORT_TEXT_CHARS
    }
    starts = {pk: article.text[:HEADLINE_CHARS] for pk, article in articles.items() if pk not in rows}
    rows.update(
        (pk, (title, snippet))
        for pk, (title, snippet) in _headlines(terms, articles, starts, using).items()
        if OPEN in snippet or OPEN in title or len(articles[pk].text) <= HEADLINE_CHARS
    )
    wholes = {pk: article.text for pk, article in articles.items() if pk not in rows}
    rows.update(_headlines(terms, articles, wholes, using))
    return {
        pk: (
            from_database(title.replace(_LT, "<")),
            with_ellipses(from_database(snippet.replace(_LT, "<")), articles[pk].text),
        )
        for pk, (title, snippet) in rows.items()
    }


def _lexemes(terms: Terms, using: str) -> list[list[str]]:
    """Each term's lexemes in order, as the text-search configuration makes them."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT phraseto_tsquery(%s::regconfig, phrase)::text FROM unnest(%s::text[]) "
            "WITH ORDINALITY AS terms(phrase, n) ORDER BY n",
            [CONFIG, list(terms.phrases)],
        )
        rows = cursor.fetchall()
    return [[lexeme.replace("''", "'") for lexeme in _LEXEME.findall(row[0])] for row in rows]


def _headlines(
    terms: Terms, articles: dict[int, Article], stretches: dict[int, str], using: str
) -> dict[int, tuple[str, str]]:
    """Each article's headline with every match marked, and one snippet around matches in its stretch of
    text (`stretches`: part or all of its text, by id), in one statement."""
    if not stretches:
        return {}
    ids = list(stretches)
    marks = f"StartSel='{OPEN}', StopSel='{CLOSE}'"
    fragment = f"{marks}, MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}"
    tsquery, params = _tsquery(terms)
    with connections[using].cursor() as cursor:
        # A text shorter than a snippet is given whole (a fragment would drop its first word and last
        # stop).
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, title, query, %s), "
            "ts_headline(%s::regconfig, stretch, query, CASE WHEN whole THEN %s ELSE %s END) "
            "FROM unnest(%s::text[], %s::text[], %s::boolean[]) "
            "WITH ORDINALITY AS s(title, stretch, whole, n), "
            f"(SELECT {tsquery} AS query) AS q ORDER BY n",
            [
                CONFIG,
                f"{marks}, HighlightAll=true",
                CONFIG,
                fragment,
                f"{fragment}, MaxFragments=1",
                [articles[pk].title.replace("<", _LT) for pk in ids],
                [stretches[pk].replace("<", _LT) for pk in ids],
                [len(articles[pk].text) <= SHORT_TEXT_CHARS for pk in ids],
                *params,
            ],
        )
        return {pk: (title or "", snippet or "") for pk, (title, snippet) in zip(ids, cursor.fetchall())}
