"""Every write to annotations goes through here: check the input, anchor the passage, store in one transaction.

The limits below are stated in the README and shown by the forms.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from .. import anchoring
from ..interchange.web_annotation import ImportRejected, parse_web_annotations
from ..models import Annotation, AnnotationJob, Article
from ..tasks import run_annotation_job

PASSAGE_MAX_CHARS = 10_000
NOTE_MAX_CHARS = 10_000
TAGS_MAX = 10
TAG_MAX_CHARS = 40
IMPORT_MAX_BYTES = 1_000_000
IMPORT_MAX_ITEMS = 500
# Imports of more annotations than this, or of a larger file, and edits that leave more annotations than this
# to find again, run in the background (an AnnotationJob) with their progress shown; smaller ones at once.
IMPORT_NOW_MAX_ITEMS = 25
IMPORT_NOW_MAX_BYTES = 50_000
REANCHOR_NOW_MAX = 25
# A background run holds only the task worker (queued behind short articles' analyses), so it may search
# longer than a request, two and a half budgets (about five seconds), and place passages a request would leave
# orphaned; it reports its progress every JOB_STEP annotations.
BACKGROUND_BUDGET_STEPS = 5_000_000
JOB_STEP = 20
# A running job whose progress has not moved for this long lost its worker and is queued again, at most
# JOB_ATTEMPTS times in all.
JOB_STALE = datetime.timedelta(minutes=2)
JOB_ATTEMPTS = 3
# Problems listed on a job's page (the counts are always whole).
PROBLEMS_LISTED = 200

# Script has no business in a Markdown note; it would render inert, but refusing it says so at once.
_SCRIPT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style)\b|\b(javascript|vbscript)\s*:|<[^>]*[\s/]on\w+\s*=",
    re.IGNORECASE,
)
_TAG_CHARS = re.compile(r"^[\w][\w .'&+#/-]*$")


class AnnotationRejected(ValueError):
    """Input that cannot become an annotation; the message is written for the person who sent it."""


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to annotate.")


def _require_owner(annotation: Annotation, user) -> None:
    _require_user(user)
    if annotation.user_id != user.pk:
        raise PermissionDenied("Only the person who wrote an annotation can change it.")


def plain_line_breaks(text: str) -> str:
    """A form sends line breaks as CRLF; stored text (articles, notes) only ever holds \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Code in a note (`<script>` in backquotes, a fenced block) is shown as text, escaped: it is not script.
_FENCED_CODE = re.compile(
    r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _outside_code(note: str) -> str:
    return _CODE_SPAN.sub("", _FENCED_CODE.sub("", note))


def clean_note(note: str) -> str:
    # A NUL is stored as the replacement character a browser shows for it anyway: PostgreSQL holds no NUL.
    note = plain_line_breaks(note or "").replace("\x00", "\ufffd").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise AnnotationRejected(
            f"The note is too long: {len(note):,} characters, and the limit is {NOTE_MAX_CHARS:,}."
        )
    if _SCRIPT.search(_outside_code(note)):
        raise AnnotationRejected(
            "The note contains script (a <script> tag, a javascript: link or an event handler). "
            "Notes are Markdown: write the text and links (http, https or mailto) without code."
        )
    return note


def clean_tags(tags: str | list[str] | tuple[str, ...] = ()) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, single-spaced, without repeats."""
    raw = tags.split(",") if isinstance(tags, str) else list(tags)
    cleaned: list[str] = []
    for tag in raw:
        tag = " ".join(str(tag).split()).lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_MAX_CHARS:
            raise AnnotationRejected(
                f"The tag “{tag[:50]}” is too long: the limit is {TAG_MAX_CHARS} characters."
            )
        if not _TAG_CHARS.match(tag):
            raise AnnotationRejected(
                f"The tag “{tag}” has characters tags cannot hold: use letters, digits, spaces and . ' & + # / -"
            )
        if tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise AnnotationRejected(f"Too many tags: {len(cleaned)}, and the limit is {TAGS_MAX}.")
    return cleaned


def clean_colour(colour: str) -> str:
    colour = (colour or Annotation.Colour.YELLOW).strip().lower()
    if colour not in Annotation.Colour.values:
        raise AnnotationRejected(
            f"Unknown colour “{colour}”: choose one of {', '.join(Annotation.Colour.values)}."
        )
    return colour


def clean_visibility(visibility: str) -> str:
    visibility = (visibility or Annotation.Visibility.PRIVATE).strip().lower()
    if visibility not in Annotation.Visibility.values:
        raise AnnotationRejected("Visibility must be private (only me) or public (anyone with the link).")
    return visibility


def locate_passage(*, article: Article, exact: str) -> tuple[int, int]:
    """Offsets of a passage typed or pasted without a selection (the form that works without JavaScript)."""
    if not exact.strip():
        raise AnnotationRejected("The selection is empty: select (or paste) some words of the article.")
    found = anchoring.find_all(article.text, exact)
    if not found:
        raise AnnotationRejected(
            "That passage is not in the article: paste it exactly as it appears (one paragraph at most)."
        )
    if len(found) > 1:
        raise AnnotationRejected(
            f"That passage appears {len(found)} times in the article: add a few words around it."
        )
    return found[0], found[0] + len(exact)


def check_passage(*, article: Article, start: int, end: int, exact: str) -> None:
    text = article.text
    if not exact or not exact.strip():
        raise AnnotationRejected("The selection is empty: select some words of the article first.")
    if not (0 <= start < end <= len(text)):
        raise AnnotationRejected(
            f"The selection ({start}–{end}) is outside the article, which has {len(text):,} characters."
        )
    if end - start > PASSAGE_MAX_CHARS:
        raise AnnotationRejected(
            f"The passage is too long: {end - start:,} characters, and the limit is {PASSAGE_MAX_CHARS:,}."
        )
    if text[start:end] != exact:
        raise AnnotationRejected(
            "The selected text does not match the article at those offsets (has the article changed?). "
            "Reload the page and select the passage again."
        )


def annotation_create(
    *,
    user,
    article: Article,
    start: int | None,
    end: int | None,
    exact: str,
    note: str = "",
    colour: str = Annotation.Colour.YELLOW,
    tags: str | list[str] | tuple[str, ...] = (),
    visibility: str = Annotation.Visibility.PRIVATE,
) -> Annotation:
    """Store a highlight (with an optional note); raise AnnotationRejected, storing nothing, on bad input."""
    _require_user(user)
    if start is None or end is None:
        start, end = locate_passage(article=article, exact=exact)
    check_passage(article=article, start=start, end=end, exact=exact)
    fields = {
        "note": clean_note(note),
        "colour": clean_colour(colour),
        "tags": clean_tags(tags),
        "visibility": clean_visibility(visibility),
    }
    with transaction.atomic():
        # The text read again inside the write transaction (IMMEDIATE on SQLite, so no edit commits between
        # this read and the insert): an edit since the reader's page was loaded moves or removes the passage.
        text = Article.objects.select_for_update().values_list("text", flat=True).get(pk=article.pk)
        if text != article.text:
            start, end = _passage_after_edit(
                text,
                anchoring.quote_selector(article.text, start, end),
                anchoring.TextPositionSelector(start, end),
            )
            article.refresh_from_db()
        quote = anchoring.quote_selector(text, start, end)
        return Annotation.objects.create(
            article=article,
            user=user,
            start=start,
            end=end,
            exact=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            **fields,
        )


def _passage_after_edit(
    text: str, selected: anchoring.TextQuoteSelector, position: anchoring.TextPositionSelector
) -> tuple[int, int]:
    """Where a passage selected in the text before an edit is in the edited `text`, as re-anchoring
    would place an annotation made a moment earlier; refused when it is gone."""
    found = anchoring.anchor(text, selected, position)
    if found is None:
        raise AnnotationRejected(
            "The article was edited while you were reading it, and the passage you selected is no longer "
            "in it. Reload the page and select it again."
        )
    return found.start, found.end


def annotation_update(
    *,
    annotation: Annotation,
    user,
    note: str,
    colour: str,
    tags: str | list[str] | tuple[str, ...],
    visibility: str,
) -> Annotation:
    _require_owner(annotation, user)
    annotation.note = clean_note(note)
    annotation.colour = clean_colour(colour)
    annotation.tags = clean_tags(tags)
    annotation.visibility = clean_visibility(visibility)
    with transaction.atomic():
        annotation.save(update_fields=["note", "colour", "tags", "visibility", "updated"])
    return annotation


def annotation_delete(*, annotation: Annotation, user) -> None:
    _require_owner(annotation, user)
    with transaction.atomic():
        annotation.delete()


@dataclass
class ReanchorReport:
    methods: dict[str, int] = field(default_factory=dict)
    orphaned: int = 0

    @property
    def total(self) -> int:
        return sum(self.methods.values()) + self.orphaned


def annotations_reanchor(*, article: Article, old_text: str | None = None) -> ReanchorReport:
    """Find every annotation of `article` again in its current text; those that cannot be placed are orphaned.

    Nothing is deleted: an orphan keeps its quote (and its last offsets) and is tried again on the next change.
    The run shares one anchoring budget: once it is spent, an annotation not at its old place is orphaned.
    """
    report, budget = ReanchorReport(), anchoring.Budget()
    if old_text is not None and old_text == article.text:
        return report
    text = article.text
    changed = []
    with transaction.atomic():
        for annotation in Annotation.objects.select_for_update().filter(article=article):
            quote = anchoring.TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
            position = anchoring.TextPositionSelector(annotation.start, annotation.end)
            found = anchoring.anchor(text, quote, position, budget)
            if found is None:
                report.orphaned += 1
                if not annotation.orphaned:
                    annotation.orphaned = True
                    changed.append(annotation)
                continue
            report.methods[found.method] = report.methods.get(found.method, 0) + 1
            fresh = anchoring.quote_selector(text, found.start, found.end)
            annotation.start, annotation.end = found.start, found.end
            annotation.exact, annotation.prefix, annotation.suffix = fresh.exact, fresh.prefix, fresh.suffix
            annotation.orphaned = False
            changed.append(annotation)
        _touch(changed)
        Annotation.objects.bulk_update(changed, PLACE_FIELDS, batch_size=100)
    return report


# What placing an annotation again changes; `updated` too, so cached pages that show it are not served.
PLACE_FIELDS = ["start", "end", "exact", "prefix", "suffix", "orphaned", "updated"]


def _touch(annotations: list[Annotation]) -> None:
    now = timezone.now()
    for annotation in annotations:
        annotation.updated = now


def _place(annotation: Annotation, text: str, budget: anchoring.Budget) -> bool:
    """Find `annotation` in `text` and move it there (unsaved); False, and unchanged, when it cannot be placed."""
    quote = anchoring.TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
    position = anchoring.TextPositionSelector(annotation.start, annotation.end)
    found = anchoring.anchor(text, quote, position, budget)
    if found is None:
        return False
    fresh = anchoring.quote_selector(text, found.start, found.end)
    annotation.start, annotation.end = found.start, found.end
    annotation.exact, annotation.prefix, annotation.suffix = fresh.exact, fresh.prefix, fresh.suffix
    annotation.orphaned = False
    return True


def annotations_reanchor_after_edit(
    *, article: Article, old_text: str, by=None
) -> ReanchorReport | AnnotationJob | None:
    """After `article`'s text changed (inside the edit's transaction): a few annotations are re-anchored now;
    with more, those still at their old offsets stay, the rest wait as orphans (kept, listed as such) for a
    background job that places them and shows its progress to `by` and to staff. None when nothing moved."""
    if Annotation.objects.filter(article=article).count() <= REANCHOR_NOW_MAX:
        return annotations_reanchor(article=article, old_text=old_text)
    text, placed, orphaned, waiting = article.text, [], [], 0
    rows = Annotation.objects.select_for_update().filter(article=article)
    for annotation in rows.only("pk", "start", "end", "exact", "prefix", "suffix", "orphaned"):
        if text.startswith(annotation.exact, annotation.start):  # unmoved: costs nothing to check
            fresh = anchoring.quote_selector(text, annotation.start, annotation.start + len(annotation.exact))
            before = (annotation.end, annotation.prefix, annotation.suffix, annotation.orphaned)
            annotation.end = annotation.start + len(annotation.exact)
            annotation.prefix, annotation.suffix, annotation.orphaned = fresh.prefix, fresh.suffix, False
            if before != (annotation.end, annotation.prefix, annotation.suffix, False):
                placed.append(annotation)
            continue
        waiting += 1
        if not annotation.orphaned:
            orphaned.append(annotation.pk)
    _touch(placed)
    Annotation.objects.bulk_update(placed, PLACE_FIELDS, batch_size=100)
    for at in range(0, len(orphaned), 500):  # one UPDATE per few hundred, however many there are
        Annotation.objects.filter(pk__in=orphaned[at : at + 500]).update(
            orphaned=True, updated=timezone.now()
        )
    if not waiting:
        return None
    job = AnnotationJob.objects.create(
        kind=AnnotationJob.Kind.REANCHOR,
        article=article,
        owner=by if by is not None and by.is_authenticated else None,
        total=waiting,
        text_hash=article.content_hash,
    )
    _queue_job(job)
    return job


def _queue_job(job: AnnotationJob) -> None:
    # After commit, so the worker never looks for a job that is not stored yet.
    transaction.on_commit(lambda: run_annotation_job.enqueue(job.pk))


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


def _import_row(*, article: Article, user, text: str, item: dict, budget: anchoring.Budget) -> Annotation:
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


class _TextChanged(Exception):
    """The article's text was edited while an import was being placed in it."""


def _passage(text: str) -> str:
    return text if len(text) <= 120 else text[:119] + "…"


def _store_import(
    *, user, article: Article, text: str, items: list[dict], rows: list[Annotation]
) -> ImportReport:
    """Store anchored rows in one transaction, skipping what the importer has already; refused (nothing
    stored) when no passage fits this article. Raises _TextChanged when the text is no longer `text`."""
    if all(row.orphaned for row in rows):
        raise AnnotationRejected(
            f"None of the {len(rows)} annotations match this article's text: is it the right article?"
        )
    report = ImportReport()
    with transaction.atomic():
        # The text read again under the write lock: an edit since the rows were anchored moves them.
        if Article.objects.select_for_update().values_list("text", flat=True).get(pk=article.pk) != text:
            raise _TextChanged
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
        rows = [
            _import_row(article=article, user=user, text=text, item=item, budget=budget) for item in items
        ]
        try:
            return _store_import(user=user, article=article, text=text, items=items, rows=rows)
        except _TextChanged:
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
    _require_user(user)
    return _import_now(user=user, article=article, items=_checked_import(raw), budget=budget)


def annotations_import_submit(*, user, article: Article, raw: bytes | str) -> ImportReport | AnnotationJob:
    """An import from the web: a small file is imported at once (its report); a larger one is checked now
    (a bad file is refused with its message and nothing stored) and placed by the task worker (its job)."""
    _require_user(user)
    items = _checked_import(raw)
    if len(items) <= IMPORT_NOW_MAX_ITEMS and len(raw) <= IMPORT_NOW_MAX_BYTES:
        return _import_now(user=user, article=article, items=items)
    with transaction.atomic():
        job = AnnotationJob.objects.create(
            kind=AnnotationJob.Kind.IMPORT, article=article, owner=user, total=len(items), payload=items
        )
        _queue_job(job)
    return job


def _chunks(items: list, size: int = JOB_STEP) -> Iterator[list]:
    for at in range(0, len(items), size):
        yield items[at : at + size]


def _job_progress(job: AnnotationJob, **counts: int) -> None:
    """Record how far `job` has got; its `updated` moving on says its worker is alive."""
    with transaction.atomic():
        AnnotationJob.objects.filter(pk=job.pk).update(updated=timezone.now(), **counts)


def _job_finish(job: AnnotationJob, *, state: str, message: str, **fields) -> None:
    with transaction.atomic():
        AnnotationJob.objects.filter(pk=job.pk).update(
            state=state,
            message=message,
            payload=[],
            finished=timezone.now(),
            updated=timezone.now(),
            **fields,
        )


def _job_begin(job_id: int) -> AnnotationJob | None:
    """Take a queued job (None if another worker has it, it has ended or is gone); one started too often
    (its workers died) is marked failed."""
    with transaction.atomic():
        taken = AnnotationJob.objects.filter(pk=job_id, state=AnnotationJob.State.QUEUED).update(
            state=AnnotationJob.State.RUNNING, updated=timezone.now(), attempts=F("attempts") + 1
        )
        job = AnnotationJob.objects.select_related("article", "owner").filter(pk=job_id).first()
    if not taken or job is None:
        return None
    if job.attempts > JOB_ATTEMPTS:
        _job_finish(
            job,
            state=AnnotationJob.State.FAILED,
            message=f"The worker stopped {JOB_ATTEMPTS} times before this finished; nothing more was done.",
        )
        return None
    return job


def annotation_job_stopped(*, job_id: int, reason: str) -> None:
    """A job stopped from outside (past its time limit) fails with the reason; nothing of it was stored."""
    job = AnnotationJob.objects.filter(
        pk=job_id, state__in=[AnnotationJob.State.QUEUED, AnnotationJob.State.RUNNING]
    ).first()
    if job is not None:
        what = (
            "nothing was imported"
            if job.kind == AnnotationJob.Kind.IMPORT
            else "annotations not yet placed stay orphaned"
        )
        _job_finish(job, state=AnnotationJob.State.FAILED, message=f"{reason} {what.capitalize()}.")


def annotation_job_run(*, job_id: int) -> str:
    """Run a background import or re-anchoring (the task worker calls this)."""
    job = _job_begin(job_id)
    if job is None:
        return "nothing to do"
    try:
        if job.kind == AnnotationJob.Kind.IMPORT:
            return _run_import(job)
        return _run_reanchor(job)
    except OperationalError:
        raise  # a database locked past its timeout: the job is queued again once its beat is stale
    except Exception as error:
        what = (
            "nothing was imported"
            if job.kind == AnnotationJob.Kind.IMPORT
            else "annotations not yet placed stay orphaned"
        )
        _job_finish(
            job, state=AnnotationJob.State.FAILED, message=f"This failed ({type(error).__name__}): {what}."
        )
        raise


def _run_import(job: AnnotationJob) -> str:
    items, article = job.payload, job.article
    if job.owner is None:
        _job_finish(job, state=AnnotationJob.State.FAILED, message="The account that imported this is gone.")
        return "no owner"
    for _ in range(3):
        text = Article.objects.values_list("text", flat=True).get(pk=article.pk)
        budget = anchoring.Budget(BACKGROUND_BUDGET_STEPS)
        rows: list[Annotation] = []
        for chunk in _chunks(items):
            rows += [
                _import_row(article=article, user=job.owner, text=text, item=item, budget=budget)
                for item in chunk
            ]
            orphans = sum(row.orphaned for row in rows)
            _job_progress(job, done=len(rows), placed=len(rows) - orphans, orphaned=orphans)
        try:
            report = _store_import(user=job.owner, article=article, text=text, items=items, rows=rows)
        except _TextChanged:
            continue
        except AnnotationRejected as rejected:
            _job_finish(job, state=AnnotationJob.State.FAILED, message=f"{rejected} Nothing was imported.")
            return "refused"
        _job_finish(
            job,
            state=AnnotationJob.State.DONE,
            message=_import_summary(report),
            placed=report.created - report.orphaned,
            orphaned=report.orphaned,
            failed=report.duplicates,
            problems=[
                {"number": number, "passage": passage, "reason": reason}
                for number, passage, reason in report.problems[:PROBLEMS_LISTED]
            ],
        )
        return "imported"
    _job_finish(
        job,
        state=AnnotationJob.State.FAILED,
        message="The article's text kept changing while the annotations were placed; nothing was imported.",
    )
    return "text kept changing"


def _import_summary(report: ImportReport) -> str:
    message = f"Imported {report.created} annotation{'s' if report.created != 1 else ''}."
    if report.orphaned:
        message += f" {report.orphaned} could not be placed in the text and are listed as orphaned."
    if report.duplicates:
        message += f" {report.duplicates} were already here."
    return message


def _run_reanchor(job: AnnotationJob) -> str:
    """Place the article's orphans in its current text, a few at a time; a newer edit's job takes over."""
    article = job.article
    superseded = "The text was edited again; the re-anchoring for the newer text places these annotations."
    text, digest = Article.objects.values_list("text", "content_hash").get(pk=article.pk)
    if digest != job.text_hash:
        _job_finish(job, state=AnnotationJob.State.DONE, message=superseded)
        return "superseded"
    ids = list(
        Annotation.objects.filter(article=article, orphaned=True).order_by("pk").values_list("pk", flat=True)
    )
    budget = anchoring.Budget(BACKGROUND_BUDGET_STEPS)
    done = placed = 0
    _job_progress(job, total=len(ids), done=0, placed=0, orphaned=0)
    for chunk in _chunks(ids):
        annotations = list(Annotation.objects.filter(pk__in=chunk, orphaned=True))
        moved = [annotation for annotation in annotations if _place(annotation, text, budget)]
        with transaction.atomic():
            current = (
                Article.objects.select_for_update().values_list("content_hash", flat=True).get(pk=article.pk)
            )
            if current != digest:
                _job_finish(job, state=AnnotationJob.State.DONE, message=superseded)
                return "superseded"
            _touch(moved)
            Annotation.objects.bulk_update(moved, PLACE_FIELDS, batch_size=100)
            done, placed = done + len(chunk), placed + len(moved)
            _job_progress(job, done=done, placed=placed, orphaned=done - placed)
    message = f"Placed {placed} of {len(ids)} annotation{'s' if len(ids) != 1 else ''} in the edited text."
    if done - placed:
        message += f" {done - placed} could not be placed and are kept, listed as orphaned."
    _job_finish(job, state=AnnotationJob.State.DONE, message=message)
    return "re-anchored"


def annotation_jobs_recover(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again every running job whose progress stopped (its worker died); it is refused after
    JOB_ATTEMPTS starts."""
    now = now or timezone.now()
    recovered = []
    with transaction.atomic():
        stale = AnnotationJob.objects.filter(state=AnnotationJob.State.RUNNING, updated__lt=now - JOB_STALE)
        for job in stale.only("pk"):
            if AnnotationJob.objects.filter(
                pk=job.pk, state=AnnotationJob.State.RUNNING, updated__lt=now - JOB_STALE
            ).update(state=AnnotationJob.State.QUEUED, updated=now):
                _queue_job(job)
                recovered.append(job.pk)
    return recovered
