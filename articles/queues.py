"""How the rest of the app hands work to the task worker: the queues, each task's time limit, and enqueuing a
task of `articles/tasks.py` by its name.

The tasks call the services; the services queue tasks through here. This module imports neither, and finds a
task by name only when one is queued, so the two never import each other."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

TASKS_MODULE = "articles.tasks"
# The longest each task may run (seconds) before `manage.py background` stops it and marks it failed;
# NEWSREADER_TASK_TIME_LIMITS overrides any of them. A check fetches at most 21 times with a 10 s deadline.
# Its keys are the tasks this module queues (tests/test_tasks.py checks each is a task of articles/tasks.py).
TIME_LIMITS = {
    "analyze_article": 900,
    "poll_feed": 300,
    "run_annotation_job": 300,
    "keep_article_images": 300,  # at most 12 images, each fetch within its own deadline
}
FEEDS_QUEUE = "feeds"  # feed checks, on workers of their own, so they never hold up a reader's own work
LONG_QUEUE = "long"  # analyses of very long articles, on a worker of their own


def time_limit(task_name: str) -> int:
    """Seconds `task_name` may run, from NEWSREADER_TASK_TIME_LIMITS ("poll_feed=300,...") or the default."""
    limits = dict(TIME_LIMITS)
    for part in getattr(settings, "NEWSREADER_TASK_TIME_LIMITS", "").split(","):
        name, _, seconds = part.partition("=")
        if name.strip() and seconds.strip():
            limits[name.strip()] = int(seconds)
    return limits.get(task_name, max(TIME_LIMITS.values()))


def task_named(name: str):
    """The task `name` of articles/tasks.py; a name that is not one of them is a ValueError."""
    if name not in TIME_LIMITS:
        raise ValueError(f"No task is called {name!r}: the tasks are {', '.join(TIME_LIMITS)}.")
    return import_string(f"{TASKS_MODULE}.{name}")


def enqueue(name: str, *args: Any, priority: int | None = None, queue_name: str | None = None):
    """Queue the task `name` with `args` now; its TaskResult."""
    return task_named(name).using(priority=priority, queue_name=queue_name).enqueue(*args)


def enqueue_on_commit(
    name: str, *args: Any, priority: int | None = None, queue_name: str | None = None
) -> None:
    """Queue the task `name` once the current transaction commits, so the worker never looks for a row that
    is not stored yet, whatever the backend."""
    task = task_named(name).using(priority=priority, queue_name=queue_name)
    transaction.on_commit(lambda: task.enqueue(*args))
