"""Tasks that run past their time limit: found for one worker, stopped, and marked failed with the reason.

`manage.py background` asks for its workers' overdue tasks, kills a worker that has one (a regular expression
or a parser stuck in C code cannot be interrupted from inside), calls `task_stop` and starts a new worker.
What the task was doing is marked failed too: the article's analysis, the feed's check, the annotation job.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..queues import time_limit

TIME_LIMIT_EXCEPTION = "articles.tasks.TimeLimitExceeded"


def task_overdue(*, worker_id: str, now: datetime.datetime | None = None) -> DBTaskResult | None:
    """The task `worker_id` is running past its time limit, if it is."""
    now = now or timezone.now()
    for result in (
        DBTaskResult.objects.running()
        .filter(started_at__isnull=False)
        .only("id", "task_path", "worker_ids", "started_at", "args_kwargs")
    ):
        if result.worker_ids and result.worker_ids[-1] == worker_id:
            limit = time_limit(result.task_path.rsplit(".", 1)[-1])
            if now - result.started_at > datetime.timedelta(seconds=limit):
                return result
    return None


def task_stop(*, result: DBTaskResult) -> str:
    """Mark a task whose worker was stopped for running too long as failed, with its reason, and fail what
    it was doing. Returns the reason."""
    from .annotation_jobs import annotation_job_stopped
    from .articles import article_mark_failed
    from .feed_checks import feed_check_stopped
    from .images import images_stopped

    name = result.task_path.rsplit(".", 1)[-1]
    limit = time_limit(name)
    minutes = f"{limit // 60} minutes" if limit % 60 == 0 and limit >= 120 else f"{limit} seconds"
    reason = f"Stopped after {minutes}, the time limit of this kind of work."
    now = timezone.now()
    with transaction.atomic():
        stopped = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=TIME_LIMIT_EXCEPTION,
            traceback=reason,
        )
        (subject,) = result.args_kwargs["args"][:1] or [None]
        if stopped and subject is not None:
            if name == "analyze_article":
                article_mark_failed(article_id=subject, reason=reason)
            elif name == "poll_feed":
                feed_check_stopped(feed_id=subject, reason=reason)
            elif name == "run_annotation_job":
                annotation_job_stopped(job_id=subject, reason=reason)
            elif name == "keep_article_images":
                images_stopped(article_id=subject, reason=reason)
    return reason
