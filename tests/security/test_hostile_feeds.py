"""Every hostile feed and page in tests/security/feed_cases.py, served by a loopback server: the form that was
given its address answers with the case's message (never a 5xx), nothing is stored, the unpacking never holds
much more than the size cap, and a check of a feed at that address (the task worker's) fails with the reason."""

import tracemalloc

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Feed, FeedEntry
from articles.services.feed_checks import feed_poll
from tests.helpers import logged_in
from tests.security.feed_cases import FEED_CASES, FeedCase

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Feed.objects.count(), FeedEntry.objects.count(), Article.objects.count()


@pytest.mark.parametrize("case", FEED_CASES, ids=[case.name for case in FEED_CASES])
def test_hostile_feed_or_page(case: FeedCase, local_web, alice):
    url = local_web.route(case.path, case.reply)
    client = logged_in(Client(raise_request_exception=False), alice)
    before = counts()

    tracemalloc.start()
    try:
        if case.form == "feeds":
            response = client.post(reverse("articles:feeds"), {"url": url}, REMOTE_ADDR="192.0.2.67")
        else:
            response = client.post(reverse("articles:create"), {"url": url}, REMOTE_ADDR="192.0.2.67")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == case.status, response.content.decode()[:2000]
    assert case.message in response.content.decode().replace("&#x27;", "'")
    assert counts() == before
    assert peak < 100 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB held answering one request"

    if case.checks:
        feed = Feed.objects.create(url=url, title="Subscribed before it turned hostile")
        report = feed_poll(feed=feed)
        feed.refresh_from_db()
        assert report.error == case.message and feed.last_error == case.message and feed.failures == 1
        assert not FeedEntry.objects.exists() and Article.objects.count() == before[2]
