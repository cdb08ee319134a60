"""Full-text search over headlines and article text: one interface, one backend per database.

On SQLite the index is an FTS5 table over the article table's `title` and `text` columns (external content, so
the text is stored once); nothing keeps it in step by itself, so services call `index_article` /
`unindex_article` inside the transaction that writes the article, and an article and its index entry are
committed or rolled back together. On PostgreSQL the index is a stored tsvector column of the article table
(title weighted above text) with a GIN index, both made by migration 0012: the row keeps its own index entry,
and those calls do nothing. Both read the user's words the same way (`query_terms`), fold case and accents on
Latin letters, keep every word (no stopwords) and stem English words; the rest of the app never asks which.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from html import escape
from operator import and_

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Block, Filters
from .rendering.snippets import blocks_apart

# Made by migration 0003 on SQLite (an FTS5 table with external content: the article table's title and text).
TABLE = "articles_search"
# Made by migration 0012 on PostgreSQL: the article table's tsvector column and its text-search configuration
# (the english stemmer with no stopwords, after unaccent).
VECTOR_COLUMN = "search_vector"
CONFIG = "newsreader"

# Marks put around matches by the index, turned into <mark> only after the text around them is escaped.
_OPEN, _CLOSE = "\ue000", "\ue001"
# PostgreSQL's parser reads "<...>" as a markup tag and leaves it out of a snippet: "<" is hidden from it.
_LT = "\ue002"
TITLE_WEIGHT, TEXT_WEIGHT = 8.0, 1.0
SNIPPET_TOKENS = 28
SHORT_TEXT_CHARS = SNIPPET_TOKENS * 5  # surely no more words than a snippet holds
# PostgreSQL looks for a snippet in this much text around the first match, or else in the article's start.
WINDOW_BEFORE, WINDOW_AFTER = 100, 300
HEADLINE_CHARS = 2000
# Matches ranked by relevance; beyond them (a word found in most articles) the rest follow newest first.
RANKED_MATCHES = 1000
# A query's cost grows with its terms (the index walks every term's matches, repeated or not): only so many
# count, and a repeated term counts once. Both limits are far beyond what anyone types.
MAX_QUERY_CHARS = 300
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")
_LEXEME = re.compile(r"'((?:[^']|'')*)'")
_SPACE = re.compile(r"\s+")
# What the English stemmer takes off a word's end, once or twice, maybe after a doubled consonant
# ("elect|ion|s", "run|n|ing"), in short.
_ENDING = re.compile(
    r"(?:[bdfglmnprt]?(?:s|es|e|i|y|ed|d|ing|ly|er|ies|ied|ion|ation|al|ment|ness|ity|ive|ic|ous|"
    r"ful|ance|ence|ant|ent|able|ible|ism|ist|ize|ise|ate|or)){0,2}"
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
    """The user's words as an FTS5 query, and whether some were left out for the limits; `phrases` holds the
    same terms as plain words (one string per word or phrase), for a backend that builds its own query."""

    expression: str
    shortened: bool = False
    phrases: tuple[str, ...] = field(default=(), compare=False)


def query_terms(query: str) -> Terms:
    """Every word must appear, "quoted phrases" as phrases; the same term twice is searched once, and
    beyond MAX_QUERY_CHARS characters or MAX_TERMS terms the rest is left out.

    Each term is quoted (a phrase of plain words), so operators and punctuation in the input are plain text,
    never syntax, on either backend.
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
        terms[key] = " ".join(words)
    return Terms(" ".join(f'"{t}"' for t in terms.values()), shortened, tuple(terms.values()))


def match_expression(query: str) -> str:
    return query_terms(query).expression


def marked_html(fragment: str) -> SafeString:
    """Escape text from the index, then turn only our own match marks into <mark>.

    Article text never holds the marks' private-use characters (services.articles.normalise_text drops them),
    so every <mark> is a match."""
    return mark_safe(escape(fragment, quote=False).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


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


def marked_terms(text: str, query: str) -> SafeString:
    """`text` escaped, with every term of `query` found in it (ignoring case) marked, as search hits are."""
    spans: list[tuple[int, int]] = []
    folded = text.lower()
    if len(folded) != len(text):  # a letter whose lower case is longer ("İ"): offsets would not line up
        return marked_html(text)
    for phrase in query_terms(query).phrases:
        needle, at = phrase.lower(), 0
        while needle and (at := folded.find(needle, at)) != -1:
            spans.append((at, at + len(needle)))
            at += len(needle)
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [text[last:start], _OPEN, text[start:end], _CLOSE]
        last = end
    out.append(text[last:])
    return marked_html("".join(out))


class _Fts5:
    """SQLite: an FTS5 table with external content, kept in step by the services."""

    @staticmethod
    def index(article: Article) -> None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE}(rowid, title, text) VALUES (%s, %s, %s)",
                [article.pk, article.title, article.text],
            )

    @staticmethod
    def unindex(article_id: int, title: str, text: str) -> None:
        # FTS5 needs the values it indexed to find its entries.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE}({TABLE}, rowid, title, text) VALUES ('delete', %s, %s, %s)",
                [article_id, title, text],
            )

    @staticmethod
    def clear(using: str) -> None:
        with connections[using].cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")

    @staticmethod
    def rebuild(using: str) -> None:
        with connections[using].cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")

    @staticmethod
    def analyse(using: str) -> None:
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")

    @staticmethod
    def ranked_ids(terms: Terms, filters: Filters, using: str) -> list[int]:
        where, params = "", ()
        if filters:
            # The same filters as the library's (one QuerySet method); ranking reads the index alone.
            subquery, params = (
                Article.objects.using(using).filtered(filters).order_by().values("pk").query.sql_with_params()
            )
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

    @staticmethod
    def marks(terms: Terms, articles: dict[int, Article], using: str) -> dict[int, tuple[str, str]]:
        ids = list(articles)
        with connections[using].cursor() as cursor:
            # snippet() re-reads and re-tokenises an article, so it runs on the shown page only.
            cursor.execute(
                f"SELECT rowid, highlight({TABLE}, 0, %s, %s), "
                f"snippet({TABLE}, 1, %s, %s, '…', {SNIPPET_TOKENS}) "
                f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [_OPEN, _CLOSE, _OPEN, _CLOSE, terms.expression, *ids],
            )
            return {row[0]: (row[1] or "", row[2] or "") for row in cursor.fetchall()}


class _Postgres:
    """PostgreSQL: the article row's own stored tsvector (migration 0012), queried through
    django.contrib.postgres.search; it follows every write of the row by itself."""

    @staticmethod
    def index(article: Article) -> None:
        pass

    @staticmethod
    def unindex(article_id: int, title: str, text: str) -> None:
        pass

    @staticmethod
    def clear(using: str) -> None:
        pass

    rebuild = clear

    @staticmethod
    def analyse(using: str) -> None:
        # Fresh planner statistics, so a search right after a bulk load uses the GIN index.
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")

    @staticmethod
    def _query(terms: Terms):
        from django.contrib.postgres.search import SearchQuery

        # Every term a phrase of plain words (phraseto_tsquery): nothing the reader types is tsquery syntax.
        return reduce(and_, (SearchQuery(t, search_type="phrase", config=CONFIG) for t in terms.phrases))

    @staticmethod
    def _vector():
        from django.contrib.postgres.search import SearchVectorField

        return RawSQL(f"{Article._meta.db_table}.{VECTOR_COLUMN}", [], output_field=SearchVectorField())

    @staticmethod
    def _tsquery(terms: Terms) -> tuple[str, list[str]]:
        """The same query as `_query`, as SQL and its parameters, for the statements written out here."""
        sql = " && ".join(["phraseto_tsquery(%s::regconfig, %s)"] * len(terms.phrases))
        return f"({sql})", [value for phrase in terms.phrases for value in (CONFIG, phrase)]

    @classmethod
    def ranked_ids(cls, terms: Terms, filters: Filters, using: str) -> list[int]:
        query = cls._query(terms)
        matches = (
            Article.objects.using(using)
            .filtered(filters)
            .alias(vector=cls._vector())
            .filter(vector=query)
            .order_by()
            .values("pk")
        )
        # Thousands of ids come back as one array: as rows, the driver's and the ORM's work per row would cost
        # more than the query.
        sql, params = matches.query.sql_with_params()
        connection = connections[using]
        with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
            # Which articles match is read from the GIN index alone (a bitmap scan reads no stored vector).
            # The planner does not count the cost of unpacking a row's vector and, for a word in most of the
            # library, would check every row's instead: ten times slower ("Trump" in 6,800 of 10,000
            # articles: 50 ms against 5 ms). The settings last for this query only (an error rolls them back
            # with the transaction).
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            cursor.execute(f"SELECT array_agg(pk ORDER BY pk DESC) FROM ({sql}) AS matches", params)
            ids = cursor.fetchone()[0] or []
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT")
        if not ids:
            return []
        tsquery, query_params = cls._tsquery(terms)
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

    @classmethod
    def marks(cls, terms: Terms, articles: dict[int, Article], using: str) -> dict[int, tuple[str, str]]:
        """Each article's headline with every match marked and one snippet around matches in its text.

        ts_headline parses all the text it is given (about 7 ms for a 33,000-character article, and a page
        shows twenty), so it is given a window of the text around where the query's words first appear, as
        the index's lexemes read as the start of a word ("elect" for "elections"). An article where that
        finds no match (a word met only with an accent, or in the headline alone) is read as before: its
        first HEADLINE_CHARS characters, then, when neither they nor its headline hold a match, all of it
        (its snippet is then the text's start, as FTS5 gives it)."""
        patterns = cls._term_patterns(cls._lexemes(terms, using))
        windows = {}
        for pk, article in articles.items():
            if len(article.text) <= SHORT_TEXT_CHARS:
                windows[pk] = article.text
            elif window := cls._window(article.text, patterns):
                windows[pk] = article.text[window[0] : window[1]]
        rows = {
            pk: (title, snippet)
            for pk, (title, snippet) in cls._headlines(terms, articles, windows, using).items()
            if _OPEN in snippet or len(articles[pk].text) <= SHORT_TEXT_CHARS
        }
        starts = {pk: article.text[:HEADLINE_CHARS] for pk, article in articles.items() if pk not in rows}
        rows.update(
            (pk, (title, snippet))
            for pk, (title, snippet) in cls._headlines(terms, articles, starts, using).items()
            if _OPEN in snippet or _OPEN in title or len(articles[pk].text) <= HEADLINE_CHARS
        )
        wholes = {pk: article.text for pk, article in articles.items() if pk not in rows}
        rows.update(cls._headlines(terms, articles, wholes, using))
        return {
            pk: (title.replace(_LT, "<"), cls._with_ellipses(snippet.replace(_LT, "<"), articles[pk].text))
            for pk, (title, snippet) in rows.items()
        }

    @classmethod
    def _lexemes(cls, terms: Terms, using: str) -> list[list[str]]:
        """Each term's lexemes in order, as the text-search configuration makes them."""
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT phraseto_tsquery(%s::regconfig, phrase)::text FROM unnest(%s::text[]) "
                "WITH ORDINALITY AS terms(phrase, n) ORDER BY n",
                [CONFIG, list(terms.phrases)],
            )
            rows = cursor.fetchall()
        return [[lexeme.replace("''", "'") for lexeme in _LEXEME.findall(row[0])] for row in rows]

    @staticmethod
    def _term_patterns(lexemes: list[list[str]]) -> list[re.Pattern[str]]:
        """For each term, its lexemes as the starts of words one after another (a phrase's words may have a
        word or two the parser dropped between them), each word's rest in a group. A lexeme's final "e" or
        "i" may be the stemmer's ("hope" for "hoping", "polici" for "policy"), so an "e" is not required and
        an "i" may be a "y"."""

        # Letters and digits make words; anything else (the underscore too, as for the server's parser)
        # separates them. The two never overlap, so a long run of either is read once, never backtracked over.
        letters, between = r"[^\W_]", r"[\W_]"

        def word(lexeme: str) -> str:
            if len(lexeme) > 3 and lexeme[-1] == "e":
                return rf"{re.escape(lexeme[:-1])}({letters}*)"
            if len(lexeme) > 3 and lexeme[-1] == "i":
                return rf"{re.escape(lexeme[:-1])}([iy]{letters}*)"
            return rf"{re.escape(lexeme)}({letters}*)"

        gap = rf"{between}+(?:{letters}+{between}+){{0,2}}?"
        return [
            re.compile(rf"(?<!{letters})" + gap.join(map(word, term)), re.IGNORECASE) for term in lexemes if term
        ]

    @staticmethod
    def _window(text: str, patterns: list[re.Pattern[str]]) -> tuple[int, int] | None:
        """The stretch of `text` from WINDOW_BEFORE characters before the first term found to WINDOW_AFTER
        after the last term's first place (cut at spaces), or None when a term is nowhere in it. A word is
        taken for the term's when the rest of it is an ending the stemmer drops ("syrian" is not "syria");
        failing such a word, the first one that starts like it."""
        places = []
        for pattern in patterns:
            first = None
            for seen, found in enumerate(pattern.finditer(text)):
                if first is None:
                    first = found.start()
                if all(_ENDING.fullmatch(rest.lower()) for rest in found.groups()):
                    first = found.start()
                    break
                if seen == 50:  # a word that only starts like the term all over a long text: enough
                    break
            if first is None:
                return None
            places.append(first)
        if not places:
            return None
        at, last = min(places), max(places)
        start, end = max(0, at - WINDOW_BEFORE), min(len(text), last + WINDOW_AFTER)
        if start and (space := _SPACE.search(text, start, at)):
            start = space.end()
        if end < len(text) and (space := _SPACE.search(text, end, end + WINDOW_BEFORE)):
            end = space.start()
        return start, end

    @classmethod
    def _headlines(
        cls, terms: Terms, articles: dict[int, Article], stretches: dict[int, str], using: str
    ) -> dict[int, tuple[str, str]]:
        """Each article's headline with every match marked, and one snippet around matches in its stretch of
        text (`stretches`: part or all of its text, by id), in one statement."""
        if not stretches:
            return {}
        ids = list(stretches)
        marks = f"StartSel='{_OPEN}', StopSel='{_CLOSE}'"
        fragment = f"{marks}, MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}"
        tsquery, params = cls._tsquery(terms)
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

    @staticmethod
    def _with_ellipses(snippet: str, text: str) -> str:
        """An ellipsis where the snippet leaves text out before or after it, as FTS5's snippet() writes."""
        plain = snippet.replace(_OPEN, "").replace(_CLOSE, "")
        if not plain:
            return snippet
        return ("" if text.startswith(plain) else "…") + snippet + ("" if text.endswith(plain) else "…")


def _backend(using: str = DEFAULT_DB_ALIAS):
    return _Postgres if connections[using].vendor == "postgresql" else _Fts5


def index_article(article: Article) -> None:
    _backend().index(article)


def unindex_article(article_id: int, title: str, text: str) -> None:
    """Remove an article from the index (given the values it was indexed with: FTS5 needs them)."""
    _backend().unindex(article_id, title, text)


def index_clear(using: str = DEFAULT_DB_ALIAS) -> None:
    """Empty the index, for a database whose article rows were removed behind the services' back (a flush)."""
    _backend(using).clear(using)


def index_rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Index every article again from the article table, after rows were copied in behind the services."""
    _backend(using).rebuild(using)


def statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> None:
    """Let the database's planner see the library as it now is: after a bulk import, so search and the
    library pages use their indexes at once."""
    _backend(using).analyse(using)


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
    using: str = DEFAULT_DB_ALIAS  # another database than the site's: `manage.py move_library` compares two
    _ids: list[int] | None = None

    @property
    def terms(self) -> Terms:
        return query_terms(self.query)

    @property
    def expression(self) -> str:
        return self.terms.expression

    @property
    def shortened(self) -> bool:
        return self.terms.shortened

    def ranked_ids(self) -> list[int]:
        if self._ids is None:
            terms = self.terms
            backend = _backend(self.using)
            self._ids = backend.ranked_ids(terms, self.filters, self.using) if terms.phrases else []
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
        articles = Article.objects.using(self.using).with_counts().in_bulk(ids)
        marks = _backend(self.using).marks(self.terms, articles, self.using)
        # A snippet keeps the article's blocks apart (a caption, its credit, the next paragraph).
        blocks: dict[int, list[tuple[str, int, int]]] = {i: [] for i in ids}
        for article_id, *block in (
            Block.objects.using(self.using)
            .filter(article_id__in=ids)
            .values_list("article_id", "kind", "start", "end")
        ):
            blocks[article_id].append(tuple(block))
        return [
            Hit(
                articles[i],
                marked_html(marks[i][0]),
                marked_html(blocks_apart(marks[i][1], articles[i].text, blocks[i], _OPEN + _CLOSE)),
            )
            for i in ids
            if i in articles and i in marks
        ]
