"""Data migrations change the database being migrated (`migrate --database`), never the site's default one."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from articles.management.commands.move_library import _connect
from articles.models import Actor, Quote, QuoteTally
from tests.helpers import scratch_database

pytestmark = pytest.mark.django_db(transaction=True)
ELSEWHERE = "migrated_elsewhere"
BEFORE_UNKNOWN_DATES = ("articles", "0013_reading_state_and_collections")


def test_migrating_another_database_changes_its_rows_and_leaves_the_default_database_alone():
    actor = Actor.objects.create(name="Ana Ruiz", label="PERSON", key="ana ruiz")
    kept = QuoteTally.objects.create(actor=actor, source="Gazette", month=datetime.date(2019, 1, 1), quotes=7)
    with scratch_database("sqlite") as url:
        _connect(ELSEWHERE, url)
        try:
            call_command("migrate", "articles", BEFORE_UNKNOWN_DATES[1], database=ELSEWHERE, verbosity=0)
            # An article added without a publication date, dated the day it was added as it then was.
            old = MigrationExecutor(connections[ELSEWHERE]).loader.project_state(BEFORE_UNKNOWN_DATES).apps
            OldArticle = old.get_model("articles", "Article")
            undated = OldArticle.objects.using(ELSEWHERE).create(
                title="Undated",
                text="Undated\n\nA note.",
                content_hash="x" * 64,
                dated=datetime.date(2026, 11, 1),
            )
            call_command("migrate", database=ELSEWHERE, verbosity=0)
            with connections[ELSEWHERE].cursor() as cursor:
                cursor.execute("SELECT dated FROM articles_article WHERE id = %s", [undated.pk])
                assert cursor.fetchone() == (None,)
        finally:
            connections[ELSEWHERE].close()
            del connections[ELSEWHERE]
    # The default database's tallies were neither emptied nor counted again from its quotes.
    assert list(QuoteTally.objects.values_list("pk", "quotes")) == [(kept.pk, 7)]


def test_quotes_and_tallies_stored_before_statements_read_as_quoted_statements():
    """Migration 0018 on the test run's own kind of database (SQLite, or PostgreSQL under postgres_cluster.sh):
    a quote stored before is a quoted statement of its own, and its tally counts it among all statements."""
    before = ("articles", "0017_feed_check_task")
    with scratch_database() as url:
        _connect(ELSEWHERE, url)
        try:
            call_command("migrate", "articles", before[1], database=ELSEWHERE, verbosity=0)
            old = MigrationExecutor(connections[ELSEWHERE]).loader.project_state(before).apps
            article = (
                old.get_model("articles", "Article")
                .objects.using(ELSEWHERE)
                .create(title="Bridge", text="Bridge\n\n“Soon,” said Ana Ruiz.", content_hash="y" * 64)
            )
            old.get_model("articles", "Quote").objects.using(ELSEWHERE).create(
                article=article, start=8, end=15, text="“Soon,”", speaker_name="Ana Ruiz"
            )
            actor = (
                old.get_model("articles", "Actor")
                .objects.using(ELSEWHERE)
                .create(name="Ana Ruiz", label="PERSON", key="ana ruiz")
            )
            old.get_model("articles", "QuoteTally").objects.using(ELSEWHERE).create(
                actor=actor, source="", month=datetime.date(2019, 1, 1), quotes=1
            )
            call_command("migrate", database=ELSEWHERE, verbosity=0)
            quote = Quote.objects.using(ELSEWHERE).get()
            assert (quote.form, quote.fragment, quote.content_spans, quote.cue_spans) == (
                "quoted",
                False,
                [(8, 15)],
                [],
            )
            # Counted for every article, and (every article being public after the upgrade) for the public
            # library.
            tallies = QuoteTally.objects.using(ELSEWHERE).order_by("library")
            assert [(t.library, t.quotes, t.reported, t.said) for t in tallies] == [
                (-1, 1, 0, 1),
                (0, 1, 0, 1),
            ]
        finally:
            connections[ELSEWHERE].close()
            del connections[ELSEWHERE]
