"""Web Annotation files imported into an article: checked whole, anchored in its text, stored in one
transaction; a large file is checked at once and placed by the task worker (`annotation_jobs.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .. import anchoring
from ..interchange.web_annotation import ImportRejected, parse_web_annotations
from ..models import Annotation, AnnotationJob, Article
from .annotations import (
    PASSAGE_MAX_CHARS,
    AnnotationRejected,
    annotation_job_queue,
    clean_colour,
    clean_note,
    clean_tags,
    require_user,
)

IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_ITEMS = 500
# Imports of more annotations than this, or of a larger file, run in the background (an AnnotationJob) with
# their progress shown; smaller ones at once.
IMPORT_NOW_MAX_ITEMS = 25
IMPORT_NOW_MAX_BYTES = 50_000


@dataclass
class ImportReport:
    created: int = 0
    orphaned: int = 0
    duplicates: int = 0
    # (number in the file, passage, reason) for each annotation left orphaned or not imported.
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def _checked_import(raw: bytes | str) -> list[dict]:
    """Every annotation of an import file, checked and cleaned (as JSON-ready dicts numbered from 1); a file
    with anything invalid is refused whole, with a message naming the first problem."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise AnnotationRejected(f"The file is too large: the limit is {IMPORT_MAX_BYTES:,} bytes.")
    try:
        items = parse_web_annotations(raw)
    except ImportRejected as error:
        raise AnnotationRejected(str(error)) from None
    if len(items) > IMPORT_MAX_ITEMS:
        raise AnnotationRejected(f"Too many annotations: {len(items)}, and the limit is {IMPORT_MAX_ITEMS}.")
    checked = []
    for number, item in enumerate(items, 1):
        try:
            fields = {
                "note": clean_note(item.note),
                # Another tool's colour names ("highlight-red") are no reason to refuse the passage.
                "colour": clean_colour(item.colour)
                if item.colour.strip().lower() in Annotation.Colour.values
                else Annotation.Colour.YELLOW,
                "tags": clean_tags(list(item.tags)),
            }
        except AnnotationRejected as error:
            raise AnnotationRejected(f"Annotation {number}: {error}") from None
        if len(item.exact) > PASSAGE_MAX_CHARS:
            raise AnnotationRejected(
                f"Annotation {number}: the passage is over {PASSAGE_MAX_CHARS:,} characters."
            )
        checked.append(
            {
                "number": number,
                "exact": item.exact,
                "prefix": item.prefix[-64:],
                "suffix": item.suffix[:64],
                "start": item.start,
                "end": item.end,
                **fields,
            }
        )
    return checked


def import_row(*, article: Article, user, text: str, item: dict, budget: anchoring.Budget) -> Annotation:
    """One checked import item anchored in `text` (an orphan when it cannot be placed), unsaved."""
    quote = anchoring.TextQuoteSelector(item["exact"], item["prefix"], item["suffix"])
    has_position = item["start"] is not None and item["end"] is not None
    position = anchoring.TextPositionSelector(item["start"], item["end"]) if has_position else None
    found = anchoring.anchor(text, quote, position, budget)
    if found is None:
        start, end = (position.start, position.end) if position else (0, 0)
        selector, orphaned = quote, True
    else:
        start, end = found.start, found.end
        selector, orphaned = anchoring.quote_selector(text, start, end), False
    return Annotation(
        article=article,
        user=user,
        start=max(0, start or 0),
        end=max(0, end or 0),
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        orphaned=orphaned,
        note=item["note"],
        colour=item["colour"],
        tags=item["tags"],
        visibility=Annotation.Visibility.PRIVATE,
    )


class TextChanged(Exception):
    """The article's text was edited while an import was being placed in it."""


def _passage(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"


def import_store(
    *, user, article: Article, text: str, items: list[dict], rows: list[Annotation]
) -> ImportReport:
    """Store anchored rows in one transaction, skipping what the importer has already; refused (nothing
    stored) when no passage fits this article. Raises TextChanged when the text is no longer `text`."""
    if all(row.orphaned for row in rows):
        raise AnnotationRejected(
            f"None of the {len(rows)} annotations match this article's text: is it the right article?"
        )
    report = ImportReport()
    with transaction.atomic():
        # The text read again under the write lock: an edit since the rows were anchored moves them.
        if Article.objects.select_for_update().values_list("text", flat=True).get(pk=article.pk) != text:
            raise TextChanged
        existing = {
            (a.exact, a.start, a.end, a.note) for a in Annotation.objects.filter(article=article, user=user)
        }
        fresh = []
        for item, row in zip(items, rows):
            key = (row.exact, row.start, row.end, row.note)
            if key in existing:
                report.duplicates += 1
                report.problems.append(
                    (item["number"], _passage(item["exact"]), "already among your annotations here")
                )
                continue
            existing.add(key)
            fresh.append(row)
            if row.orphaned:
                report.orphaned += 1
                report.problems.append(
                    (item["number"], _passage(item["exact"]), "not found in the text: kept as an orphan")
                )
        Annotation.objects.bulk_create(fresh)
        report.created = len(fresh)
    report.problems.sort()
    return report


def _import_now(
    *, user, article: Article, items: list[dict], budget: anchoring.Budget | None = None
) -> ImportReport:
    shared = budget
    for _ in range(3):
        text = Article.objects.values_list("text", flat=True).get(pk=article.pk)
        budget = shared or anchoring.Budget()
        rows = [import_row(article=article, user=user, text=text, item=item, budget=budget) for item in items]
        try:
            return import_store(user=user, article=article, text=text, items=items, rows=rows)
        except TextChanged:
            continue
    raise AnnotationRejected("The article's text is being edited: try the import again in a moment.")


def annotations_import(
    *, user, article: Article, raw: bytes | str, budget: anchoring.Budget | None = None
) -> ImportReport:
    """Web Annotation JSON-LD back into the article, now, as the importer's private annotations.

    Each passage is anchored in the current text (quote and position, as when the text changes, sharing one
    anchoring budget, or `budget` when one request imports into several articles); those that cannot be
    placed come in as orphans. A file with anything invalid, or with no passage that fits this article at
    all, stores nothing.
    """
    require_user(user)
    return _import_now(user=user, article=article, items=_checked_import(raw), budget=budget)


def annotations_import_submit(*, user, article: Article, raw: bytes | str) -> ImportReport | AnnotationJob:
    """An import from the web: a small file is imported at once (its report); a larger one is checked now
    (a bad file is refused with its message and nothing stored) and placed by the task worker (its job)."""
    require_user(user)
    items = _checked_import(raw)
    if len(items) <= IMPORT_NOW_MAX_ITEMS and len(raw) <= IMPORT_NOW_MAX_BYTES:
        return _import_now(user=user, article=article, items=items)
    with transaction.atomic():
        job = AnnotationJob.objects.create(
            kind=AnnotationJob.Kind.IMPORT, article=article, owner=user, total=len(items), payload=items
        )
        annotation_job_queue(job)
    return job
