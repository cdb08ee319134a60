"""The background processes `make run` starts beside gunicorn: the task worker (analysis, feed checks) and
`manage.py schedule` (due feed checks, stranded analyses). Either one that exits (a crash, a database locked past its timeout) is started again after a
short wait that grows while it keeps failing; Ctrl-C or SIGTERM stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand

PROCESSES = {
    "task worker": ["db_worker", "--no-reload", "--verbosity", "0"],
    "schedule": ["schedule"],
}
FIRST_WAIT = 1.0  # seconds before the first restart; doubled after each quick exit
LONGEST_WAIT = 60.0
HEALTHY_AFTER = 60.0  # a process that ran this long was fine: its next restart waits FIRST_WAIT again
CHECK_EVERY = 0.5


@dataclass
class Supervised:
    name: str
    arguments: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    wait: float = FIRST_WAIT
    restart_at: float = field(default=0.0)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *self.arguments]
        )
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
        try:
            while not stopping:
                time.sleep(CHECK_EVERY)
                for child in children:
                    self._tend(child)
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
