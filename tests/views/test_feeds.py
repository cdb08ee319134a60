"""Feed pages: the list, subscribing, one feed's articles and last problem, OPML in and out, unsubscribing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Feed, LibraryEntry, Subscription
from articles.services.analysis import article_import
from articles.services.feed_checks import feed_poll
from articles.services.feeds import feed_subscribe
from tests.helpers import logged_in
from tests.local_server import Reply
from tests.web import COUNCIL, news_site

pytestmark = pytest.mark.django_db


def _followed(*readers, **fields) -> Feed:
    feed = Feed.objects.create(**fields)
    for reader in readers:
        Subscription.objects.create(reader=reader, feed=feed)
    return feed


def test_anonymous_readers_see_no_feeds_and_must_log_in_to_subscribe(client, alice, local_web):
    urls = news_site(local_web)
    feed = _followed(alice, url="https://planet.example/feed.xml", title="Alice's Planet")
    page = client.get(reverse("articles:feeds")).content.decode()
    assert "Alice's Planet" not in page and "planet.example" not in page and "Log in" in page
    assert client.get(feed.get_absolute_url()).status_code == 404
    export = client.get(reverse("articles:feeds_export"))
    assert export.status_code == 200 and b"<outline" not in export.content and b"<body" in export.content
    response = client.post(reverse("articles:feeds"), {"url": urls["feed"]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Feed.objects.count() == 1 and local_web.requests == []


def test_a_shared_library_shows_every_feed_to_everyone_as_before(client, alice, settings):
    settings.NEWSREADER_LIBRARY = "shared"
    feed = _followed(alice, url="https://planet.example/feed.xml", title="Alice's Planet")
    assert "Alice&#x27;s Planet" in client.get(reverse("articles:feeds")).content.decode()
    assert client.get(feed.get_absolute_url()).status_code == 200
    assert feed.url in client.get(reverse("articles:feeds_export")).content.decode()


def test_a_feed_page_is_not_found_for_a_reader_who_does_not_follow_it(client, alice, bob):
    from django.contrib.auth.models import User

    feed = _followed(alice, url="https://planet.example/feed.xml", title="Alice's Planet")
    logged_in(client, bob)
    for url in (
        feed.get_absolute_url(),
        reverse("articles:feed_unsubscribe", args=[feed.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("feed_check", "feed_mark_read", "feed_settings", "feed_unsubscribe"):
        assert client.post(reverse(f"articles:{name}", args=[feed.pk])).status_code == 404
    assert "Alice&#x27;s Planet" not in client.get(reverse("articles:feeds")).content.decode()
    assert Subscription.objects.count() == 1 and not LibraryEntry.objects.exists()
    staff = User.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    assert logged_in(client, staff).get(feed.get_absolute_url()).status_code == 200
    assert logged_in(client, alice).get(feed.get_absolute_url()).status_code == 200


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


def test_the_feed_page_lists_its_articles_newest_first_and_its_last_problem(client, alice, local_web):
    urls = news_site(local_web)
    feed = _followed(alice, url=urls["feed"], title="The Daily Planet")
    logged_in(client, alice)
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


def test_opml_round_trip_through_the_pages_keeps_folders_and_names(client, alice, bob):
    planet = _followed(
        alice, bob, url="https://planet.example/feed.xml", title="Planet", site_url="https://planet.example/"
    )
    gazette = _followed(alice, url="https://gazette.example/atom.xml", title="Gazette & Co")
    _followed(bob, url="https://bobs.example/feed.xml", title="Bob's own")
    Subscription.objects.filter(reader=alice, feed=planet).update(folder="News / Local", title="My Planet")
    Subscription.objects.filter(reader=alice, feed=gazette).update(folder="News")
    exported = logged_in(client, alice).get(reverse("articles:feeds_export"))
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    assert b"bobs.example" not in exported.content  # her own subscriptions only
    Feed.objects.filter(subscriptions__reader=alice).delete()
    upload = SimpleUploadedFile("feeds.opml", exported.content, content_type="text/x-opml")
    response = client.post(reverse("articles:feeds_import"), {"file": upload})
    assert response.status_code == 302
    assert sorted((s.folder, s.name, s.feed.url) for s in Subscription.objects.filter(reader=alice)) == [
        ("News", "Gazette & Co", "https://gazette.example/atom.xml"),
        ("News / Local", "My Planet", "https://planet.example/feed.xml"),
    ]
    page = client.get(reverse("articles:feeds")).content.decode()
    assert page.index("News / Local") > page.index(">News") and "bobs.example" not in page
    bad = SimpleUploadedFile("feeds.opml", b"\x00\x01 binary", content_type="text/x-opml")
    response = client.post(reverse("articles:feeds_import"), {"file": bad})
    assert response.status_code == 400 and Feed.objects.count() == 3


def test_unsubscribing_is_ones_own_and_the_articles_stay_in_the_other_readers_library(
    client, alice, bob, local_web
):
    from django.contrib.auth.models import User

    urls = news_site(local_web)
    feed = _followed(alice, url=urls["feed"], title="The Daily Planet")
    feed_poll(feed=feed, store=article_import)
    url = reverse("articles:feed_unsubscribe", args=[feed.pk])
    assert logged_in(client, bob).post(url).status_code == 404 and feed.subscriptions.count() == 1
    staff = User.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    assert logged_in(client, staff).post(url).status_code == 404  # staff follow no feed of alice's for her
    feed_subscribe(url=urls["feed"], user=bob)  # joins: the feed's articles are in his library too
    assert logged_in(client, alice).get(url).status_code == 200
    response = client.post(url, follow=True)
    assert "Unsubscribed from “The Daily Planet”. 2 of its articles left your library." in (
        response.content.decode()
    )
    assert list(feed.subscriptions.values_list("reader", flat=True)) == [bob.pk]
    assert Article.objects.count() == 2  # the articles stay, in bob's library
    assert LibraryEntry.objects.filter(reader=bob).count() == 2 and not LibraryEntry.objects.filter(
        reader=alice
    )


def test_check_now_queues_a_check(client, alice, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    feed = _followed(alice, url="https://planet.example/feed.xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, alice).post(reverse("articles:feed_check", args=[feed.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.get().args_kwargs["args"] == [feed.pk]


def test_feed_text_is_shown_as_text(client, alice, local_web):
    feed = _followed(alice, url="https://planet.example/feed.xml", title="<script>alert(1)</script>")
    Feed.objects.filter(pk=feed.pk).update(last_error="<img src=x onerror=alert(1)>")
    Subscription.objects.filter(feed=feed).update(folder="<b>folder</b>")
    for url in (feed.get_absolute_url(), reverse("articles:feeds")):
        page = logged_in(client, alice).get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<img src=x" not in page
        assert "<b>folder" not in page and "&lt;b&gt;folder" in page


def test_subscribing_imports_and_checks_are_rate_limited(client, alice, settings):
    settings.NEWSREADER_RATE_LIMITS = {**settings.NEWSREADER_RATE_LIMITS, "feeds": "2/hour"}
    feed = _followed(alice, url="https://planet.example/feed.xml")
    check = reverse("articles:feed_check", args=[feed.pk])
    assert [logged_in(client, alice).post(check).status_code for _ in range(3)] == [302, 302, 429]
    response = client.post(reverse("articles:feeds"), {"url": "https://gazette.example/atom.xml"})
    assert response.status_code == 429 and "Too many feed subscriptions" in response.content.decode()
    assert Feed.objects.count() == 1


def test_a_feed_address_s_token_is_shown_only_to_its_subscribers_and_staff(client, alice, bob, settings):
    from django.contrib.auth.models import User

    # In a shared library, where every reader sees every feed; in a personal one bob gets "not found".
    settings.NEWSREADER_LIBRARY = "shared"
    secret = "https://reader:pw@news.example.org/private/feed.xml?token=s3cr3t-7f3a&format=rss"
    private = _followed(alice, url=secret)  # no title yet: its name is its address
    public = _followed(alice, bob, url="https://planet.example/feed.xml", title="Planet")
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
    assert "s3cr3t" in logged_in(client, alice).get(reverse("articles:feeds_export")).content.decode()
    # Bob subscribing to the address knew its token: he sees it then, as alice does.
    Subscription.objects.create(reader=bob, feed=private)
    assert (
        secret.replace("&", "&amp;")
        in logged_in(client, bob).get(private.get_absolute_url()).content.decode()
    )
