"""What runs on a schedule beside the task worker (`manage.py background` keeps it running): queue a check
of every feed that is due, and queue again every analysis and annotation job whose worker died mid-way."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import OperationalError

from articles.services.annotation_jobs import annotation_jobs_recover
from articles.services.articles import analyses_recover
from articles.services.feed_checks import feeds_queue_due

EVERY_SECONDS = 30.0


class Command(BaseCommand):
    help = "Queue due feed checks and recover stranded analyses, every --every seconds (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--every", type=float, default=EVERY_SECONDS, metavar="SECONDS")

    def handle(self, *args, once, every, **options):
        while True:
            try:
                feeds = feeds_queue_due()
                analyses = analyses_recover()
                jobs = annotation_jobs_recover()
            except OperationalError as error:  # a database locked past its timeout: try again next round
                self.stderr.write(f"The database was busy ({error}); trying again in {every:.0f} s.")
            else:
                if feeds:
                    self.stdout.write(f"Queued a check of {len(feeds)} feed(s).")
                if analyses:
                    self.stdout.write(f"Queued again {len(analyses)} analysis(es) whose worker stopped.")
                if jobs:
                    self.stdout.write(f"Queued again {len(jobs)} annotation job(s) whose worker stopped.")
            if once:
                return
            time.sleep(every)
