"""Feed pages: the list, subscribing, one feed's articles and last problem, OPML in and out, unsubscribing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Feed
from articles.services.analysis import article_import
from articles.services.feeds import feed_poll
from tests.helpers import logged_in
from tests.local_server import Reply
from tests.web import COUNCIL, news_site

pytestmark = pytest.mark.django_db


def test_anonymous_readers_see_the_feeds_but_must_log_in_to_subscribe(client, local_web):
    urls = news_site(local_web)
    page = client.get(reverse("articles:feeds")).content.decode()
    assert "No feeds yet" in page and "Log in" in page
    response = client.post(reverse("articles:feeds"), {"url": urls["feed"]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Feed.objects.exists() and local_web.requests == []


def test_subscribing_opens_the_feed_page(client, alice, local_web):
    urls = news_site(local_web)
    response = logged_in(client, alice).post(reverse("articles:feeds"), {"url": urls["feed"]})
    feed = Feed.objects.get()
    assert response.status_code == 302 and response["Location"] == feed.get_absolute_url()
    page = client.get(feed.get_absolute_url()).content.decode()
    assert "Subscribed to “The Daily Planet”" in page and "first check is on its way" in page


def test_a_bad_feed_address_is_a_form_error_that_stores_nothing(client, alice, local_web):
    url = local_web.route("/pdf", Reply(b"%PDF-1.4", content_type="application/pdf"))
    response = logged_in(client, alice).post(reverse("articles:feeds"), {"url": url})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    response = client.post(reverse("articles:feeds"), {"url": "not an address"})
    assert response.status_code == 400 and not Feed.objects.exists()


def test_the_feed_page_lists_its_articles_newest_first_and_its_last_problem(client, local_web):
    urls = news_site(local_web)
    feed = Feed.objects.create(url=urls["feed"], title="The Daily Planet")
    feed_poll(feed=feed, store=article_import)
    page = client.get(feed.get_absolute_url()).content.decode()
    assert COUNCIL[0] in page and "Harbour reopens after storm" in page and "Last problem" not in page
    local_web.route("/feed.xml", Reply(b"down for maintenance", status=503, content_type="text/plain"))
    feed.refresh_from_db()
    feed_poll(feed=feed)
    page = client.get(feed.get_absolute_url()).content.decode()
    assert "Last problem" in page and "503" in page
    listing = client.get(reverse("articles:feeds")).content.decode()
    assert "Problem:" in listing and ">2<" in listing


def test_opml_round_trip_through_the_pages(client, alice):
    Feed.objects.create(
        url="https://planet.example/feed.xml", title="Planet", site_url="https://planet.example/"
    )
    Feed.objects.create(url="https://gazette.example/atom.xml", title="Gazette & Co")
    exported = client.get(reverse("articles:feeds_export"))
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    Feed.objects.all().delete()
    upload = SimpleUploadedFile("feeds.opml", exported.content, content_type="text/x-opml")
    response = logged_in(client, alice).post(reverse("articles:feeds_import"), {"file": upload})
    assert response.status_code == 302
    assert sorted(Feed.objects.values_list("title", "url")) == [
        ("Gazette & Co", "https://gazette.example/atom.xml"),
        ("Planet", "https://planet.example/feed.xml"),
    ]
    bad = SimpleUploadedFile("feeds.opml", b"\x00\x01 binary", content_type="text/x-opml")
    response = client.post(reverse("articles:feeds_import"), {"file": bad})
    assert response.status_code == 400 and Feed.objects.count() == 2


def test_only_who_subscribed_or_staff_may_unsubscribe_and_articles_stay(client, alice, bob, local_web):
    urls = news_site(local_web)
    feed = Feed.objects.create(url=urls["feed"], title="The Daily Planet", added_by=alice)
    feed_poll(feed=feed, store=article_import)
    url = reverse("articles:feed_unsubscribe", args=[feed.pk])
    assert logged_in(client, bob).post(url).status_code == 403 and Feed.objects.exists()
    assert logged_in(client, alice).get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert (
        not Feed.objects.exists()
        and client.get(reverse("articles:list")).content.decode().count("article-card") == 2
    )


def test_check_now_queues_a_check(client, alice, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    feed = Feed.objects.create(url="https://planet.example/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, alice).post(reverse("articles:feed_check", args=[feed.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.get().args_kwargs["args"] == [feed.pk]


def test_feed_text_is_shown_as_text(client, local_web):
    feed = Feed.objects.create(url="https://planet.example/feed.xml", title="<script>alert(1)</script>")
    Feed.objects.filter(pk=feed.pk).update(last_error="<img src=x onerror=alert(1)>")
    page = client.get(feed.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<img src=x" not in page


def test_subscribing_imports_and_checks_are_rate_limited(client, alice, settings):
    settings.NEWSREADER_RATE_LIMITS = {**settings.NEWSREADER_RATE_LIMITS, "feeds": "2/hour"}
    feed = Feed.objects.create(url="https://planet.example/feed.xml")
    check = reverse("articles:feed_check", args=[feed.pk])
    assert [logged_in(client, alice).post(check).status_code for _ in range(3)] == [302, 302, 429]
    response = client.post(reverse("articles:feeds"), {"url": "https://gazette.example/atom.xml"})
    assert response.status_code == 429 and "Too many feed subscriptions" in response.content.decode()
    assert Feed.objects.count() == 1


def test_a_feed_address_s_token_is_shown_only_to_its_subscriber_and_staff(client, alice, bob, settings):
    from django.contrib.auth.models import User

    secret = "https://reader:pw@news.example.org/private/feed.xml?token=s3cr3t-7f3a&format=rss"
    private = Feed.objects.create(url=secret, added_by=alice)  # no title yet: its name is its address
    public = Feed.objects.create(url="https://planet.example/feed.xml", title="Planet", added_by=alice)
    staff = User.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    shown = "https://news.example.org/private/feed.xml?…"
    for reader in (None, bob):
        if reader:
            logged_in(client, reader)
        pages = [client.get(reverse("articles:feeds")), client.get(private.get_absolute_url())]
        export = client.get(reverse("articles:feeds_export")).content.decode()
        for page in pages:
            body = page.content.decode()
            assert "s3cr3t" not in body and "reader:pw" not in body and shown in body
        assert "s3cr3t" not in export and public.url in export  # the public feed is exported, the other not
    for reader in (alice, staff):
        logged_in(client, reader)
        assert secret.replace("&", "&amp;") in client.get(private.get_absolute_url()).content.decode()
        assert "s3cr3t" in client.get(reverse("articles:feeds_export")).content.decode()
