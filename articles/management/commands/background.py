"""The background processes `make run` starts beside gunicorn: the task workers and `manage.py schedule` (due
feed checks, stranded analyses). One that exits (a crash, a database locked past its timeout) is started again
after a short wait that grows while it keeps failing; Ctrl-C or SIGTERM stops them all.

The workers have queues of their own, so no kind of work waits behind another: a reader's own analyses and
annotation imports ("default"), analyses of very long articles (a worker for "long" that helps with "default"
when it has none), and feed checks ("feeds"). A worker whose task runs past its time limit is stopped, the
task is marked failed with the reason, and a new worker takes its place at once.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections

from articles.queues import FEEDS_QUEUE, LONG_QUEUE
from articles.services.background import task_overdue, task_stop

WORKER = ["db_worker", "--no-reload", "--verbosity", "0", "--queue-name"]
PROCESSES = {
    "task worker": [*WORKER, "default"],
    "long-article worker": [*WORKER, f"{LONG_QUEUE},default"],
    "feed worker": [*WORKER, FEEDS_QUEUE],
    "schedule": ["schedule"],
}
FIRST_WAIT = 1.0  # seconds before the first restart; doubled after each quick exit
LONGEST_WAIT = 60.0
HEALTHY_AFTER = 60.0  # a process that ran this long was fine: its next restart waits FIRST_WAIT again
CHECK_EVERY = 0.5
OVERDUE_EVERY = 2.0  # seconds between looks for a task past its time limit
_worker_numbers = itertools.count(1)


@dataclass
class Supervised:
    name: str
    arguments: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    wait: float = FIRST_WAIT
    restart_at: float = field(default=0.0)
    worker_id: str = ""  # a task worker's id, as its tasks record it

    @property
    def is_worker(self) -> bool:
        return self.arguments[0] == "db_worker"

    def start(self) -> None:
        arguments = list(self.arguments)
        if self.is_worker:
            self.worker_id = f"{self.name.replace(' ', '-')}-{os.getpid()}-{next(_worker_numbers)}"
            arguments += ["--worker-id", self.worker_id]
        self.process = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments])
        self.started = time.monotonic()


class Command(BaseCommand):
    help = "Run the task worker and the schedule, restarting either when it exits."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(PROCESSES), help="supervise one of them only")

    def handle(self, *args, only, **options):
        children = [
            Supervised(name, arguments) for name, arguments in PROCESSES.items() if only in (None, name)
        ]
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        for child in children:
            child.start()
        next_overdue_look = time.monotonic() + OVERDUE_EVERY
        try:
            while not stopping:
                time.sleep(CHECK_EVERY)
                for child in children:
                    self._tend(child)
                if time.monotonic() >= next_overdue_look:
                    next_overdue_look = time.monotonic() + OVERDUE_EVERY
                    for child in children:
                        self._stop_if_overdue(child)
        finally:
            for child in children:
                if child.process and child.process.poll() is None:
                    child.process.terminate()
            for child in children:
                if child.process:
                    try:
                        child.process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        child.process.kill()

    def _tend(self, child: Supervised) -> None:
        now = time.monotonic()
        if child.process is not None:
            code = child.process.poll()
            if code is None:
                return
            ran = now - child.started
            child.wait = FIRST_WAIT if ran >= HEALTHY_AFTER else min(LONGEST_WAIT, child.wait * 2)
            child.restart_at = now + child.wait
            child.process = None
            self.stderr.write(
                f"The {child.name} stopped (exit code {code}); starting it again in {child.wait:.0f} s."
            )
        elif now >= child.restart_at:
            child.start()

    def _stop_if_overdue(self, child: Supervised) -> None:
        """A worker whose task ran past its time limit is killed, the task marked failed, a new one started."""
        if not child.is_worker or child.process is None or child.process.poll() is not None:
            return
        try:
            close_old_connections()
            overdue = task_overdue(worker_id=child.worker_id)
            if overdue is None:
                return
            child.process.kill()
            child.process.wait()
            reason = task_stop(result=overdue)
        except OperationalError as error:  # the database is busy: look again next time
            self.stderr.write(f"Could not look for overdue tasks ({error}).")
            return
        self.stderr.write(
            f"The {child.name} was stopped: {overdue.task_path.rsplit('.', 1)[-1]}"
            f" {overdue.args_kwargs['args']} ran past its time limit. {reason} A new {child.name} is starting."
        )
        child.start()
