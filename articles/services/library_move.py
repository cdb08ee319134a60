"""Moving a whole library from one database to another (SQLite to PostgreSQL, or back): every row of every
table, with its id, then the search index rebuilt and both sides compared."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from .. import search
from ..models import Actor, Article, Filters

CHUNK = 2000
# Tables that a freshly migrated database already fills by itself: not the library's own rows.
SETUP_TABLES = {"django_content_type", "auth_permission"}


class LibraryMoveRefused(Exception):
    """The move cannot start (the target holds a library, or the two databases are not at the same schema);
    nothing was written."""


class LibraryMoveMismatch(Exception):
    """The copy is made, and the two sides disagree on row counts or on what a search finds."""


@dataclass(frozen=True)
class MoveReport:
    counts: dict[str, int]  # rows per table, the same on both sides
    searches: dict[str, int]  # matches per search, the same on both sides
    cleaned: int  # values PostgreSQL cannot hold (NUL characters, invalid IP addresses) made storable


def _models() -> list[type[models.Model]]:
    """Every concrete table in an order where each row's foreign keys point to rows already copied."""
    pending = {
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    }
    ordered: list[type[models.Model]] = []
    while pending:
        ready = sorted(
            (
                m
                for m in pending
                if all(
                    f.related_model in ordered or f.related_model is m or f.related_model not in pending
                    for f in m._meta.concrete_fields
                    if f.is_relation
                )
            ),
            key=lambda m: m._meta.db_table,
        )
        if not ready:
            raise LibraryMoveRefused(
                f"Tables refer to each other in a cycle: {sorted(m._meta.db_table for m in pending)}"
            )
        ordered += ready
        pending -= set(ready)
    return ordered


# Values the database drivers take as they are; every other field's value is prepared as the field would
# prepare it for the target (dates and times, JSON, IP addresses).
PLAIN_FIELDS = (
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.FloatField,
)


def _cleaner(model: type[models.Model]) -> Callable[[list], int]:
    """Makes a row (its values in `model`'s concrete field order) storable on PostgreSQL, which holds no NUL
    character in text and only valid addresses in an IP address column (SQLite holds anything); returns how
    many values changed."""
    fields = model._meta.concrete_fields
    texts = [i for i, f in enumerate(fields) if isinstance(f, (models.CharField, models.TextField))]
    addresses = [i for i, f in enumerate(fields) if isinstance(f, models.GenericIPAddressField)]

    def clean(row: list) -> int:
        changed = 0
        for i in texts:
            value = row[i]
            if isinstance(value, str) and "\x00" in value:
                row[i] = value.replace("\x00", "")
                changed += 1
        for i in addresses:
            value = row[i]
            if value:
                try:
                    ipaddress.ip_address(value)
                except ValueError:
                    row[i] = None
                    changed += 1
        return changed

    return clean


def _rows(model: type[models.Model], using: str) -> Iterator[list[list]]:
    """Every row's values, in chunks: plain values, not model instances (a million rows each made an instance
    and compiled again cost most of a move)."""
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.using(using).order_by("pk").values_list(*names).iterator(chunk_size=CHUNK)
    chunk: list[list] = []
    for row in rows:
        chunk.append(list(row))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _inserter(model: type[models.Model], using: str) -> Callable[[list[list]], None]:
    """Writes rows (values in concrete field order, ids included) to `model`'s table on `using`, each value
    prepared as the field prepares it there, and stored as it was: no auto_now stamp."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    prepared = [
        i
        for i, f in enumerate(fields)
        if not isinstance(f, PLAIN_FIELDS)
        and not (isinstance(f, models.ForeignKey) and isinstance(f.target_field, PLAIN_FIELDS))
    ]
    quote = connection.ops.quote_name
    # One statement for every row: the drivers parse it once (psycopg sends the rows in a pipeline). A
    # statement of many rows' placeholders costs more to take apart on the client than to run.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )

    def insert(rows: list[list]) -> None:
        for row in rows:
            for i in prepared:
                row[i] = fields[i].get_db_prep_save(row[i], connection)
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    return insert


def library_counts(*, using: str) -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.using(using).count() for m in _models()}


def library_searches(*, using: str) -> list[str]:
    """Searches that the two sides must answer alike: people's names, words of headlines, a headline's
    opening words as a phrase, and words that are stopwords elsewhere."""
    people = (
        Actor.objects.using(using).filter(label="PERSON").order_by("-id")[:5].values_list("name", flat=True)
    )
    titles = list(Article.objects.using(using).order_by("id").values_list("title", flat=True)[:200:40])
    words = [word for title in titles for word in search.words(title)[:2]]
    phrases = ['"' + " ".join(search.words(title)[:3]) + '"' for title in titles[:2]]
    return [q for q in dict.fromkeys([*people, *words, *phrases, "the who"]) if search.query_terms(q).phrases]


def library_search_matches(*, using: str, queries: list[str]) -> dict[str, list[int]]:
    return {
        q: sorted(search.SearchResults(q, Filters(), using=using, everything=True).ranked_ids())
        for q in queries
    }


def _applied(using: str) -> set[tuple[str, str]]:
    return set(MigrationRecorder(connections[using]).applied_migrations())


def library_move(
    *, source: str, target: str, force: bool = False, progress=lambda message: None
) -> MoveReport:
    """Copy every row from the `source` database alias to `target`, ids kept; then rebuild the target's search
    index and check that row counts and a set of searches agree on both sides. Both must be migrated to the
    same state; a target that already holds rows (beyond what migrating makes) is refused unless `force`,
    which empties it."""
    if _applied(source) != _applied(target):
        missing = sorted(f"{app}.{name}" for app, name in _applied(target) - _applied(source))
        raise LibraryMoveRefused(
            "The two databases are at different migrations: run `manage.py migrate` on the source first"
            + (f" (it lacks {', '.join(missing[:5])})." if missing else ".")
        )
    tables = _models()
    occupied = [
        m._meta.db_table
        for m in tables
        if m._meta.db_table not in SETUP_TABLES and m._base_manager.using(target).exists()
    ]
    if occupied and not force:
        raise LibraryMoveRefused(
            f"The target database is not empty ({', '.join(occupied[:5])}"
            f"{', …' if len(occupied) > 5 else ''} "
            "hold rows): give --force to replace everything in it."
        )
    cleaned = 0
    with transaction.atomic(using=target):
        # Everything out, the rows a migration made too: the source's content types and permissions come
        # with their ids, which the copied permissions and admin log entries refer to.
        call_command("flush", database=target, interactive=False, inhibit_post_migrate=True, verbosity=0)
        search.index_clear(using=target)
        for model in tables:
            clean, insert, copied = _cleaner(model), _inserter(model, target), 0
            for chunk in _rows(model, source):
                cleaned += sum(clean(row) for row in chunk)
                insert(chunk)
                copied += len(chunk)
            if copied:
                progress(f"{model._meta.db_table}: {copied} rows")
        with connections[target].cursor() as cursor:
            for statement in connections[target].ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
        search.index_rebuild(using=target)
    search.statistics_refresh(using=target)

    counts, target_counts = library_counts(using=source), library_counts(using=target)
    differing = {t: (counts[t], target_counts[t]) for t in counts if counts[t] != target_counts[t]}
    if differing:
        raise LibraryMoveMismatch(f"Row counts differ after the copy (source, target): {differing}")
    queries = library_searches(using=source)
    found, target_found = (
        library_search_matches(using=source, queries=queries),
        library_search_matches(using=target, queries=queries),
    )
    differing = {q: (len(found[q]), len(target_found[q])) for q in queries if found[q] != target_found[q]}
    if differing:
        raise LibraryMoveMismatch(
            f"Searches find different articles after the copy (source, target): {differing}"
        )
    return MoveReport(counts=counts, searches={q: len(ids) for q, ids in found.items()}, cleaned=cleaned)
