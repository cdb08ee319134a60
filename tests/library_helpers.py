"""Small articles and a task worker for the library tests."""

from __future__ import annotations

import datetime


def story(headline: str, *paragraphs: str) -> str:
    return "\n\n".join([headline, *paragraphs])


def run_tasks() -> None:
    """Run every queued background task now, in this thread (what `manage.py db_worker --batch` does)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
