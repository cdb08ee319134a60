import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def subscribe_who_added_each_feed(apps, schema_editor):
    """Whoever added a feed follows it, from the day they added it, and the articles it brought are in their
    library. A feed added by nobody (the command line) is followed by nobody and still checked."""
    database = schema_editor.connection.alias
    Feed = apps.get_model("articles", "Feed")
    FeedEntry = apps.get_model("articles", "FeedEntry")
    Subscription = apps.get_model("articles", "Subscription")
    LibraryEntry = apps.get_model("articles", "LibraryEntry")
    followed = Feed.objects.using(database).filter(added_by__isnull=False)
    Subscription.objects.using(database).bulk_create(
        [
            Subscription(reader_id=reader_id, feed_id=feed_id, created=created)
            for feed_id, reader_id, created in followed.values_list("id", "added_by_id", "created")
        ],
        batch_size=500,
    )
    brought = (
        FeedEntry.objects.using(database)
        .filter(feed__added_by__isnull=False, article__isnull=False)
        .values_list("article_id", "feed__added_by_id", "seen")
    )
    LibraryEntry.objects.using(database).bulk_create(
        [
            LibraryEntry(reader_id=reader_id, article_id=article_id, via="feed", added=seen)
            for article_id, reader_id, seen in brought
        ],
        batch_size=500,
        ignore_conflicts=True,  # an article its reader also saved by hand is in their library already
    )


def added_by_from_subscriptions(apps, schema_editor):
    """Going back: a feed's first subscriber becomes whoever added it."""
    database = schema_editor.connection.alias
    Feed = apps.get_model("articles", "Feed")
    Subscription = apps.get_model("articles", "Subscription")
    for subscription in Subscription.objects.using(database).order_by("-created", "-pk"):
        Feed.objects.using(database).filter(pk=subscription.feed_id).update(
            added_by_id=subscription.reader_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_article_images"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Subscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("folder", models.CharField(blank=True, max_length=200)),
                ("title", models.CharField(blank=True, max_length=300)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "feed",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subscriptions",
                        to="articles.feed",
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subscriptions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["folder", "title", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("reader", "feed"), name="subscription_unique")
                ],
            },
        ),
        migrations.RunPython(subscribe_who_added_each_feed, added_by_from_subscriptions),
        migrations.RemoveField(model_name="feed", name="added_by"),
    ]
