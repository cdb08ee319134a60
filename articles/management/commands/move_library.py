"""Move a whole library to another database: `manage.py move_library --from sqlite:///db.sqlite3 --to
postgres://user@host/newsreader`."""

from __future__ import annotations

import os
import subprocess
import sys

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import load_backend

from articles.services.library_move import LibraryMoveMismatch, LibraryMoveRefused, library_move

ALIASES = {"source": "library_source", "target": "library_target"}


def _connect(alias: str, url: str) -> None:
    """A connection under `alias` to the database at `url`, beside (not in) the site's own DATABASES."""
    try:
        database = dj_database_url.parse(url)
    except ValueError as error:
        raise CommandError(f"{url!r} is not a database address ({error}).") from None
    database = connections.configure_settings({"default": database})["default"]
    connections[alias] = load_backend(database["ENGINE"]).DatabaseWrapper(database, alias)


def _migrate(url: str) -> None:
    """Migrate the target as the site itself would, in a process whose only database it is (a migration's
    data step writes to the default database)."""
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsreader.settings",
            "DATABASE_URL": url,
            "SECRET_KEY": settings.SECRET_KEY,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CommandError(f"Nothing was copied: the target could not be migrated:\n{done.stderr.strip()}")


class Command(BaseCommand):
    help = (
        "Copy everything in one database (articles and their analysis, annotations, users, feeds, tasks) "
        "into "
        "another, ids kept; then rebuild the target's search index and check that row counts and searches "
        "agree on both sides. The target is migrated first and must hold no library unless --force is given; "
        "the source must be migrated already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            required=True,
            metavar="DATABASE_URL",
            help="the library now, e.g. sqlite:////srv/newsreader/db.sqlite3",
        )
        parser.add_argument(
            "--to",
            dest="target",
            required=True,
            metavar="DATABASE_URL",
            help="where it goes, e.g. postgres://newsreader@db.example.org/newsreader",
        )
        parser.add_argument("--force", action="store_true", help="replace whatever the target database holds")

    def handle(self, *args, source, target, force, **options):
        if source == target:
            raise CommandError("--from and --to name the same database.")
        _connect(ALIASES["source"], source)
        _connect(ALIASES["target"], target)
        _migrate(target)
        try:
            report = library_move(
                source=ALIASES["source"],
                target=ALIASES["target"],
                force=force,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except LibraryMoveRefused as error:
            raise CommandError(f"Nothing was copied: {error}") from None
        except LibraryMoveMismatch as error:
            raise CommandError(f"The copy was made but does not match: {error}") from None
        finally:
            for alias in ALIASES.values():
                connections[alias].close()
        rows = sum(report.counts.values())
        self.stdout.write(
            f"Moved {rows} rows in {len(report.counts)} tables; row counts agree. "
            f"{len(report.searches)} searches find the same articles on both sides."
        )
        if report.cleaned:
            self.stdout.write(
                f"{report.cleaned} values were made storable (NUL characters removed, invalid IP addresses "
                "emptied)."
            )
