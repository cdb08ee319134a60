"""Background annotation jobs (a large import, re-anchoring after an edit): the task worker runs them a few
annotations at a time, recording progress; a job whose worker died is queued again."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from .. import anchoring
from ..models import Annotation, AnnotationJob, Article
from .annotation_imports import ImportReport, TextChanged, import_row, import_store
from .annotations import PLACE_FIELDS, AnnotationRejected, annotation_job_queue, place_again, touch

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
                import_row(article=article, user=job.owner, text=text, item=item, budget=budget)
                for item in chunk
            ]
            orphans = sum(row.orphaned for row in rows)
            _job_progress(job, done=len(rows), placed=len(rows) - orphans, orphaned=orphans)
        try:
            report = import_store(user=job.owner, article=article, text=text, items=items, rows=rows)
        except TextChanged:
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
        moved = [annotation for annotation in annotations if place_again(annotation, text, budget)]
        with transaction.atomic():
            current = (
                Article.objects.select_for_update().values_list("content_hash", flat=True).get(pk=article.pk)
            )
            if current != digest:
                _job_finish(job, state=AnnotationJob.State.DONE, message=superseded)
                return "superseded"
            touch(moved)
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
                annotation_job_queue(job)
                recovered.append(job.pk)
    return recovered
