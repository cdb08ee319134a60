"""The feed pages of a reader who follows 200 feeds (the limit), through gunicorn and a real HTTP client.

usage (from the project root):
  .venv/bin/python bench/feeds.py                             # 200 feeds x 50 entries, 50 readers, SQLite
  .venv/bin/python bench/feeds.py --entries 10 --requests 30  # a quick run
  tests/postgres_cluster.sh sh -c '.venv/bin/python bench/feeds.py --database-url "$DATABASE_URL"'
Builds a library where one reader follows --feeds feeds in 10 folders, each with --entries entries whose
articles are in their library (half of them read), and 49 other readers follow 20 of the same feeds each (so
every article is in about five libraries). Articles are stored as rows without analysis (the feed pages read
none of it). Then starts gunicorn on 127.0.0.1 (a free port) and times, logged in as that reader: /feeds/,
the unread list (all feeds, and one folder), one feed's page and its live part (htmx), and the library's
home page beside them for reference (timed under the same load); median and 95th percentile over --requests
requests each, interleaved. Everything is temporary and stops by itself (a
PostgreSQL database given by --database-url is emptied by the migration-and-build step and left as built).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import Client, session_cookie
from served import ROOT, free_port, start_gunicorn

READERS = 50
FOLDERS = 10
PASSWORD = "a-long-password-for-bench"


def build(feeds: int, entries: int) -> dict[str, str]:
    """The library; returns the paths to time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Feed, FeedEntry, LibraryEntry, ReadingState, Subscription

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)  # a database given by --database-url
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' CSS, as gunicorn serves it
    reader = User.objects.create_user("reader", password=PASSWORD)
    others = User.objects.bulk_create(User(username=f"other{n}") for n in range(READERS - 1))
    made = Feed.objects.bulk_create(
        Feed(url=f"https://feeds{n}.example/rss.xml", title=f"Feed {n:03}", last_checked=None)
        for n in range(feeds)
    )
    Subscription.objects.bulk_create(
        Subscription(reader=reader, feed=feed, folder=f"Folder {n % FOLDERS}") for n, feed in enumerate(made)
    )
    Subscription.objects.bulk_create(
        Subscription(reader=other, feed=made[(i * 7 + k) % feeds])
        for i, other in enumerate(others)
        for k in range(20)
    )
    followers = {feed.pk: [reader.pk] for feed in made}
    for subscription in Subscription.objects.exclude(reader=reader):
        followers[subscription.feed_id].append(subscription.reader_id)
    day = datetime.date(2025, 1, 1)
    for n, feed in enumerate(made):
        texts = [
            f"Story {e} of feed {n}\n\nThe council met on day {e} to talk about feed {n}."
            for e in range(entries)
        ]
        articles = Article.objects.bulk_create(
            Article(
                title=text.split("\n", 1)[0],
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source=feed.title,
                dated=day + datetime.timedelta(days=(n * 13 + e * 5) % 365),
            )
            for e, text in enumerate(texts)
        )
        FeedEntry.objects.bulk_create(
            FeedEntry(feed=feed, guid=f"e{e}", title=article.title, article=article, published=article.dated)
            for e, article in enumerate(articles)
        )
        LibraryEntry.objects.bulk_create(
            LibraryEntry(reader_id=who, article=article, via="feed")
            for article in articles
            for who in followers[feed.pk]
        )
        ReadingState.objects.bulk_create(
            ReadingState(user=reader, article=article, read=True) for article in articles[::2]
        )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute(
                "ANALYZE"
            )  # as autovacuum soon would after a bulk load: plans from real statistics
    connection.close()
    one = made[feeds // 2].get_absolute_url()
    return {
        "library home page (reference)": "/",
        "/feeds/": "/feeds/",
        "unread, all feeds": "/feeds/unread/",
        "unread, one folder": "/feeds/unread/?folder=Folder%203",
        "a feed's page": one,
        "a feed's live part (htmx)": one + "?live=1",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=200, help="feeds the reader follows")
    parser.add_argument("--entries", type=int, default=50, help="entries (articles) per feed")
    parser.add_argument("--requests", type=int, default=100, help="requests per page, interleaved")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to build in (emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-feeds-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'library.sqlite3'}"
        os.environ.update(
            {"DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": os.environ.get("SECRET_KEY", "bench")}
        )
        started = time.perf_counter()
        paths = build(args.feeds, args.entries)
        print(
            f"built {args.feeds} feeds x {args.entries} entries, {READERS} readers "
            f"in {time.perf_counter() - started:.0f} s ({url.split(':', 1)[0]})"
        )
        port = free_port()
        server = start_gunicorn({**os.environ}, port, workers=1)
        try:
            cookie = session_cookie(port)
            client = Client(port)
            times: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(args.requests):
                for name, path in paths.items():
                    headers = {"Cookie": cookie}
                    if "htmx" in name:
                        headers["HX-Request"] = "true"
                    started = time.perf_counter()
                    status, body = client.get(path, headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    if status != 200 or not body:
                        raise RuntimeError(f"{path} answered {status}")
                    times[name].append(elapsed)
            print(f"{'page':<30} {'median ms':>10} {'p95 ms':>8}")
            for name, values in times.items():
                p95 = statistics.quantiles(values, n=20)[-1]
                print(f"{name:<30} {statistics.median(values):>10.1f} {p95:>8.1f}")
            print(f"load average after the run: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
