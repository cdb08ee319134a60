"""Migration 0022: each feed's `added_by` becomes a subscription, and the articles the feed brought join that
reader's library; a feed added by nobody stays, followed by nobody."""

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from articles.management.commands.move_library import _connect
from articles.models import LibraryEntry, Subscription
from tests.helpers import scratch_database

pytestmark = pytest.mark.django_db(transaction=True)
ELSEWHERE = "migrated_elsewhere"
BEFORE = ("articles", "0021_article_images")


def test_whoever_added_a_feed_follows_it_and_has_its_articles():
    with scratch_database() as url:
        _connect(ELSEWHERE, url)
        try:
            call_command("migrate", "articles", BEFORE[1], database=ELSEWHERE, verbosity=0)
            old = MigrationExecutor(connections[ELSEWHERE]).loader.project_state(BEFORE).apps
            reader = old.get_model("auth", "User").objects.using(ELSEWHERE).create(username="alice")
            Feed = old.get_model("articles", "Feed")
            followed = Feed.objects.using(ELSEWHERE).create(
                url="https://planet.example/feed.xml", added_by=reader
            )
            Feed.objects.using(ELSEWHERE).create(url="https://nobody.example/feed.xml")
            article = (
                old.get_model("articles", "Article")
                .objects.using(ELSEWHERE)
                .create(title="Harbour", text="Harbour\n\nIt reopened.", content_hash="z" * 64)
            )
            old.get_model("articles", "FeedEntry").objects.using(ELSEWHERE).create(
                feed=followed, guid="h1", article=article
            )

            call_command("migrate", database=ELSEWHERE, verbosity=0)

            subscriptions = Subscription.objects.using(ELSEWHERE)
            assert list(subscriptions.values_list("reader_id", "feed__url")) == [
                (reader.pk, "https://planet.example/feed.xml")
            ]
            assert list(
                LibraryEntry.objects.using(ELSEWHERE).values_list("reader_id", "article_id", "via")
            ) == [(reader.pk, article.pk, "feed")]
            with connections[ELSEWHERE].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM articles_feed")
                assert cursor.fetchone() == (2,)
        finally:
            connections[ELSEWHERE].close()
            del connections[ELSEWHERE]
