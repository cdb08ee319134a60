"""Feeds from the command line: subscribe, list, check now, import and export OPML. The checks on a schedule
are queued by `manage.py schedule`. `--reader NAME` subscribes (or exports) for that reader, with no limit on
their number of feeds; without it a feed is checked with nobody following it, and its articles are in no
reader's library (staff see them, and everyone does in a shared library)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.feeds.opml import export_opml
from articles.models import Feed, Subscription
from articles.services.analysis import article_import
from articles.services.feed_checks import feed_poll
from articles.services.feeds import FeedRejected, feed_subscribe, feeds_import_opml


class Command(BaseCommand):
    help = (
        "Subscribe to feeds, check them, import or export OPML; `schedule` queues due checks for the worker."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="subscribe to a feed (or the feed a web page links to)")
        add.add_argument("url")
        add.add_argument("--reader", metavar="NAME", help="subscribe this reader (their user name)")
        add.add_argument("--folder", default="", help="the reader's folder for it")
        actions.add_parser("list", help="every feed, when it was checked and its last error")
        poll = actions.add_parser("poll", help="check feeds now and analyse their new articles at once")
        poll.add_argument("--feed", type=int, action="append", metavar="ID", help="one feed (repeatable)")
        opml_in = actions.add_parser("import", help="subscribe to every feed in an OPML file")
        opml_in.add_argument("file")
        opml_in.add_argument("--reader", metavar="NAME", help="subscribe this reader (their user name)")
        opml_out = actions.add_parser("export", help="write the subscriptions as OPML (to stdout by default)")
        opml_out.add_argument("file", nargs="?")
        opml_out.add_argument("--reader", metavar="NAME", help="only this reader's, in their folders")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _reader(self, name):
        if name is None:
            return None
        reader = get_user_model().objects.filter(username=name).first()
        if reader is None:
            raise CommandError(f"There is no reader called “{name}”.")
        return reader

    def _add(self, url, reader, folder, **options):
        try:
            feed = feed_subscribe(url=url, user=self._reader(reader), folder=folder, limited=False)
        except FeedRejected as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Subscribed to “{feed.name}” (feed {feed.pk}); its entries are queued for a check."
        )

    def _list(self, **options):
        for feed in Feed.objects.all():
            checked = (
                timezone.localtime(feed.last_checked).strftime("%Y-%m-%d %H:%M")
                if feed.last_checked
                else "never"
            )
            line = f"{feed.pk}\t{feed.name}\t{feed.url}\tchecked {checked}"
            self.stdout.write(line + (f"\terror: {feed.last_error}" if feed.last_error else ""))

    def _poll(self, feed, **options):
        feeds = Feed.objects.all() if not feed else Feed.objects.filter(pk__in=feed)
        failed = 0
        for one in feeds:
            report = feed_poll(feed=one, store=article_import)
            if report.error:
                failed += 1
                self.stderr.write(f"{one.name}: {report.error}")
                continue
            for problem in report.failed:
                self.stderr.write(f"{one.name}: {problem}")
            state = (
                "not changed"
                if report.not_modified
                else f"{len(report.new)} new, {report.duplicates} already here"
            )
            self.stdout.write(f"{one.name}: {state}, {len(report.failed)} failed.")
        if failed:
            raise CommandError(f"{failed} feed(s) could not be checked; see the reasons above")

    def _import(self, file, reader, **options):
        user = self._reader(reader)
        try:
            report = feeds_import_opml(data=Path(file).read_bytes(), user=user, limited=False)
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror or error})") from None
        except FeedRejected as error:
            raise CommandError(f"{file}: {error}") from None
        for url in report.refused:
            self.stderr.write(f"not a web address, skipped: {url}")
        self.stdout.write(f"Subscribed to {len(report.added)}, {report.already} already subscribed.")

    def _export(self, file, reader, **options):
        user = self._reader(reader)
        if user is None:
            data = export_opml((feed.name, feed.url, feed.site_url) for feed in Feed.objects.all())
        else:
            subscriptions = Subscription.objects.filter(reader=user).select_related("feed")
            data = export_opml((s.name, s.feed.url, s.feed.site_url, s.folder) for s in subscriptions)
        if file:
            Path(file).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
