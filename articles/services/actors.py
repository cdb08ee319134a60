"""Writes for the library as a whole: actors shared across articles, and the quote tallies kept in step."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from ..models import UNKNOWN_MONTH, Actor, Article, LibraryEntry, Quote, QuoteTally, fit
from ..names import actor_key, actor_name


def actors_for(names: Iterable[tuple[str, str]]) -> list[Actor | None]:
    """The actor of each (name, label), creating missing ones; None where the rule says no match."""
    names = list(names)
    keys = [(label, actor_key(name, label)) for name, label in names]
    wanted = {key for key in keys if key[1]}
    if not wanted:
        return [None] * len(names)
    found = {
        (a.label, a.key): a
        for a in Actor.objects.filter(key__in={k for _, k in wanted}, label__in={lbl for lbl, _ in wanted})
    }
    missing = {}
    for (name, label), key in zip(names, keys):
        if key[1] and key not in found and key not in missing:
            missing[key] = Actor(name=fit(Actor, "name", actor_name(name, label)), label=label, key=key[1])
    if missing:
        # ignore_conflicts: another writer may have created the same actor a moment ago.
        # In key order, so concurrent writers creating the same actors take their locks in the same order.
        Actor.objects.bulk_create([missing[key] for key in sorted(missing)], ignore_conflicts=True)
        found.update(
            {
                (a.label, a.key): a
                for a in Actor.objects.filter(
                    key__in={k for _, k in missing}, label__in={lbl for lbl, _ in missing}
                )
            }
        )
    return [found.get(key) if key[1] else None for key in keys]


def month_of(day: datetime.date | None) -> datetime.date:
    return day.replace(day=1) if day else UNKNOWN_MONTH


@dataclass(frozen=True)
class TallyKey:
    actor_id: int
    source: str
    month: datetime.date


def _article_tallies(
    article_id: int, source: str, dated: datetime.date | None
) -> dict[TallyKey, tuple[int, int, int]]:
    """(quotes, reported, said) per speaker: quotes in quotation marks, reported and partly quoted
    statements, and every statement once (a quote inside a partly quoted one is part of it)."""
    rows = Quote.objects.filter(
        article_id=article_id, kind=Quote.Kind.SPEECH, speaker__actor__isnull=False
    ).values_list("speaker__actor_id", "form", "fragment")
    return statement_counts(rows, source, dated)


def statement_counts(
    rows: Iterable[tuple[int, str, bool]], source: str, dated: datetime.date | None
) -> dict[TallyKey, tuple[int, int, int]]:
    """(quotes, reported, said) per speaker from an article's attributed statements: (actor id, form,
    fragment) of each of its speeches whose speaker has an actor."""
    counts: dict[TallyKey, tuple[int, int, int]] = {}
    for actor_id, form, fragment in rows:
        key = TallyKey(actor_id, source, month_of(dated))
        quotes, reported, said = counts.get(key, (0, 0, 0))
        quoted = form == Quote.Form.QUOTED
        counts[key] = (quotes + quoted, reported + (not quoted), said + (not fragment))
    return counts


def tally_libraries(article_id: int) -> list[int]:
    """The libraries whose tallies count the article: every article's, and the public library's or, while it
    is private, the library of each reader who has it (QuoteTally.library)."""
    public = Article.objects.filter(pk=article_id).values_list("public", flat=True).first()
    if public is None:
        return [QuoteTally.EVERY_ARTICLE]
    readers = (
        ()
        if public
        else LibraryEntry.objects.filter(article_id=article_id).values_list("reader_id", flat=True)
    )
    return libraries_showing(public=public, readers=readers)


def libraries_showing(*, public: bool, readers: Iterable[int]) -> list[int]:
    """The tallies' libraries that show an article: every article's, and the public library's or, while it
    is private, those of the `readers` (ids) who have it."""
    return [QuoteTally.EVERY_ARTICLE, *([QuoteTally.PUBLIC] if public else sorted(set(readers)))]


def tally_add(
    *,
    article_id: int,
    source: str,
    dated: datetime.date | None,
    sign: int = 1,
    libraries: list[int] | None = None,
) -> None:
    """Count (sign=1) or uncount (sign=-1) an article's attributed statements, in its write transaction, in
    the tallies of `libraries` (by default every library that shows it now)."""
    counts = _article_tallies(article_id, source, dated)
    if not counts:
        return
    libraries = tally_libraries(article_id) if libraries is None else libraries
    if not libraries:
        return
    _upsert(
        (library, k.actor_id, k.source, k.month.isoformat(), *(sign * n for n in numbers))
        for library in libraries
        for k, numbers in counts.items()
    )
    if sign < 0:
        # A row counting nothing would still name its source in a library's menu.
        QuoteTally.objects.filter(
            library__in=libraries,
            actor_id__in={k.actor_id for k in counts},
            quotes=0,
            reported=0,
            said=0,
        ).delete()


def tally_add_many(*, counted: Iterable[tuple[dict[TallyKey, tuple[int, int, int]], list[int]]]) -> None:
    """Count many new articles at once, in their write transaction: each one's `statement_counts` in the tallies
    of its libraries, summed per tally row first, so the rows are written once each."""
    sums: dict[tuple[int, int, str, str], tuple[int, int, int]] = {}
    for counts, libraries in counted:
        for library in libraries:
            for k, (quotes, reported, said) in counts.items():
                row = (library, k.actor_id, k.source, k.month.isoformat())
                q, r, s = sums.get(row, (0, 0, 0))
                sums[row] = (q + quotes, r + reported, s + said)
    _upsert((*row, *numbers) for row, numbers in sums.items())


def _upsert(rows: Iterable[tuple]) -> None:
    """Add (library, actor, source, month, quotes, reported, said) rows to the tallies."""
    rows = sorted(rows)
    if not rows:
        return
    table = QuoteTally._meta.db_table
    with connection.cursor() as cursor:
        # Add to the month's row, creating it at zero first. Portable SQL (SQLite and PostgreSQL); rows in key
        # order, so two writers touching the same rows lock them in the same order.
        cursor.executemany(
            f"INSERT INTO {table} (library, actor_id, source, month, quotes, reported, said) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (library, actor_id, source, month) DO UPDATE SET "
            f"quotes = {table}.quotes + excluded.quotes, "
            f"reported = {table}.reported + excluded.reported, said = {table}.said + excluded.said",
            rows,
        )


def tally_move(*, article: Article, before: list[int], after: list[int]) -> None:
    """The article's statements counted in the libraries that show it `after` a change of who may see it,
    instead of those that showed it `before`."""
    gone = [library for library in before if library not in after]
    new = [library for library in after if library not in before]
    if gone:
        tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1, libraries=gone)
    if new:
        tally_add(article_id=article.pk, source=article.source, dated=article.dated, libraries=new)
