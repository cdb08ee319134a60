"""A library of one's own: a reader's private article, and every trace of it, for an anonymous reader, its
owner, another reader and staff, on every read path; sharing it, taking it back, and the shared mode."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Actor, Annotation, Article, LibraryEntry, Quote, QuoteTally
from articles.services.reader_library import article_share, article_unshare
from tests.helpers import HTMX, create_annotation, import_article, logged_in, story

# Every trace of the private article is one of these words: its headline word, a word of its text, the
# speaker's name, its source.
PRIVATE = story(
    "Zephyrine quarry dispute deepens",
    "The owners of the Zephyrine quarry refused the council's offer on Monday.",
    "“We will not sell the quarry to anyone,” said Quillon Marbury, the owner of the quarry.",
)
PRIVATE_PASSAGE = "We will not sell the quarry to anyone"
TRACES = ("Zephyrine", "Quillon", "Marbury", "Obscura Gazette")
PUBLIC = story(
    "Harbour reopens after storm",
    "The harbour reopened on Tuesday after the storm.",
    "“The cranes are working again,” said Dana Whitfield, the harbour master.",
)


@pytest.fixture(autouse=True)
def _personal_libraries(settings):
    """These tests are about personal libraries, whatever NEWSREADER_LIBRARY the suite runs with."""
    settings.NEWSREADER_LIBRARY = "personal"


@pytest.fixture
def staff(db):
    return User.objects.create_user("staffer", password="a-long-password-3", is_staff=True)


@pytest.fixture
def private(alice):
    """Alice's private article (in her library only), analysed, with a quote by Quillon Marbury."""
    return import_article(text=PRIVATE, source="Obscura Gazette", public=False, reader=alice)


@pytest.fixture
def public(db):
    return import_article(text=PUBLIC, source="Harbour Times")


def _viewer(client, who, users):
    if who != "anonymous":
        logged_in(client, users[who])
    return client


def _paths(article: Article) -> dict[str, str]:
    """Every address that shows the private article or one of its traces, by what it is."""
    quote = Quote.objects.get(article=article, speaker_name__contains="Marbury")
    marbury = Actor.objects.get(name__contains="Marbury")
    entity = quote.speaker
    return {
        "article page": reverse("articles:detail", args=[article.pk]),
        "quote panel": reverse("articles:quote", args=[article.pk, quote.pk]),
        "entity panel": reverse("articles:entity", args=[article.pk, entity.pk]),
        "annotations": reverse("articles:annotations", args=[article.pk]),
        "export md": reverse("articles:annotations_export", args=[article.pk, "md"]),
        "export jsonld": reverse("articles:annotations_export", args=[article.pk, "jsonld"]),
        "person page": reverse("articles:actor", args=[marbury.pk]),
    }


def _lists() -> dict[str, str]:
    """Pages that list or count what is in the library: the private article must not show in them, by any
    trace (the words searched for are echoed in the search form, so those are not counted as traces)."""
    kind = "person" if Actor.objects.get(name__contains="Marbury").label == "PERSON" else "org"
    return {
        "home": "/",
        "public library": "/?library=public",
        "search for its word": "/search/?q=Zephyrine",
        "search for its speaker": "/search/?q=Marbury",
        "search by its source": "/search/?source=Obscura+Gazette",
        "search page (source menu)": "/search/",
        "search filtered by the speaker": f"/search/?{kind}=Quillon+Marbury",
        "name suggestions": f"/search/suggest/{kind}/?{kind}=Quill",
        "who is quoted": "/who-is-quoted/",
        "who is quoted, reported": "/who-is-quoted/?said=all",
        "who is quoted, its source": "/who-is-quoted/?source=Obscura+Gazette",
    }


def _traces(body: str, path: str) -> list[str]:
    echoed = path.replace("+", " ")
    return [trace for trace in TRACES if trace in body and trace not in echoed]


@pytest.mark.parametrize("who", ["anonymous", "bob"])
def test_a_private_article_and_every_trace_of_it_is_not_found_by_anyone_else(
    client, who, alice, bob, private
):
    create_annotation(alice, private, PRIVATE_PASSAGE, visibility="public", note="Zephyrine note")
    _viewer(client, who, {"bob": bob})
    for name, path in _paths(private).items():
        for headers in ({}, HTMX):
            response = client.get(path, **headers)
            assert response.status_code == 404, (name, response.status_code)
            assert not any(trace in response.content.decode() for trace in TRACES), name
    for name, path in _lists().items():
        response = client.get(path)
        assert response.status_code in (200, 400), (name, response.status_code)
        assert not _traces(response.content.decode(), path), name


@pytest.mark.parametrize("who", ["alice", "staffer"])
def test_its_owner_and_staff_see_it_everywhere(client, who, alice, staff, private):
    _viewer(client, who, {"alice": alice, "staffer": staff})
    for name, path in _paths(private).items():
        assert client.get(path).status_code == 200, name
    for name, path in _lists().items():
        if name in ("public library", "search page (source menu)"):
            continue
        body = client.get(path).content.decode()
        assert _traces(body, path) or ("Zephyrine quarry" in body), name
    assert "Obscura Gazette" in client.get("/search/").content.decode()  # the source menu
    assert "Marbury" in client.get("/who-is-quoted/").content.decode()


def test_the_home_page_counts_what_the_reader_may_read_and_switches_to_their_own(
    client, alice, bob, private, public
):
    home = logged_in(client, alice).get("/").content.decode()
    assert "Zephyrine quarry" in home and "Harbour reopens" in home
    assert 'data-state="unread">Unread <span class="count">2</span>' in home
    mine = client.get("/?library=mine").content.decode()
    assert "Zephyrine quarry" in mine and "Harbour reopens" not in mine  # the public one is not in hers
    assert 'data-state="unread">Unread <span class="count">1</span>' in mine
    public_library = client.get("/?library=public").content.decode()
    assert "Harbour reopens" in public_library and "Zephyrine" not in public_library
    home = logged_in(client, bob).get("/").content.decode()
    assert "Zephyrine" not in home and 'data-state="unread">Unread <span class="count">1</span>' in home
    mine = client.get("/?library=mine").content.decode()
    assert "Harbour reopens" not in mine and 'data-state="unread">Unread <span class="count">0</span>' in mine


def test_anonymous_readers_see_the_public_library(client, private, public):
    home = client.get("/").content.decode()
    assert "Harbour reopens" in home and "Zephyrine" not in home


def test_saving_what_another_reader_saved_joins_ones_own_library_without_a_word_about_them(
    client, alice, bob, private
):
    response = logged_in(client, bob).post(reverse("articles:create"), {"title": "", "text": PRIVATE})
    assert response.status_code == 302 and response["Location"] == private.get_absolute_url()
    assert LibraryEntry.objects.filter(reader=bob, article=private).exists()
    assert Article.objects.count() == 1  # stored and analysed once
    page = client.get(private.get_absolute_url())
    assert page.status_code == 200 and "alice" not in page.content.decode()
    # Brought again, it is in his library: said so.
    again = client.post(reverse("articles:create"), {"title": "", "text": PRIVATE})
    assert again.status_code == 400 and "already in your library" in again.content.decode()
    # Quillon Marbury is now counted once in Bob's "who is quoted" too.
    assert "Marbury" in client.get("/who-is-quoted/").content.decode()


def test_a_reader_adding_an_article_keeps_it_private_in_their_library(client, alice, bob):
    response = logged_in(client, alice).post(reverse("articles:create"), {"title": "", "text": PRIVATE})
    article = Article.objects.get()
    assert response.status_code == 302 and not article.public
    assert list(LibraryEntry.objects.values_list("reader__username", "via")) == [("alice", "saved")]
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_sharing_makes_it_everyones_and_stopping_takes_every_trace_back(client, alice, bob, staff, private):
    url = reverse("articles:sharing", args=[private.pk])
    # Bob may not even see it, so he cannot share it: not found.
    assert logged_in(client, bob).post(url, {"action": "share"}).status_code == 404
    page = logged_in(client, alice).get(private.get_absolute_url()).content.decode()
    assert "Share with everyone" in page and "Private: only readers who saved it" in page
    assert client.post(url, {"action": "share"}).status_code == 302
    private.refresh_from_db()
    assert private.public and private.shared_by == alice
    client.logout()
    assert client.get(private.get_absolute_url()).status_code == 200
    assert "quarry dispute deepens" in client.get("/search/?q=Zephyrine").content.decode()
    assert "Marbury" in client.get("/who-is-quoted/").content.decode()
    # Counted once for Alice, whose library holds it as well as the public one.
    marbury = Actor.objects.get(name__contains="Marbury")
    assert QuoteTally.objects.visible_to(alice).total_for(marbury) == 1
    # Bob may read it but not take it back; staff may.
    assert logged_in(client, bob).post(url, {"action": "unshare"}).status_code == 403
    assert logged_in(client, staff).post(url, {"action": "unshare"}).status_code == 302
    private.refresh_from_db()
    assert not private.public and private.shared_by is None
    client.logout()
    assert client.get(private.get_absolute_url()).status_code == 404
    assert "Marbury" not in client.get("/who-is-quoted/").content.decode()
    assert QuoteTally.objects.visible_to(None).total_for(marbury) == 0


def test_a_cached_page_never_reaches_a_reader_who_may_no_longer_read_it(client, alice, private):
    article_share(article=private, by=alice)
    first = client.get(private.get_absolute_url())
    panel = client.get(reverse("articles:entity", args=[private.pk, private.entities.first().pk]), **HTMX)
    assert first.status_code == 200 and panel.status_code == 200
    etag = first["ETag"]
    assert client.get(private.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    article_unshare(article=private, by=alice)
    assert client.get(private.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert client.get(private.get_absolute_url()).status_code == 404
    assert (
        client.get(
            reverse("articles:entity", args=[private.pk, private.entities.first().pk]), **HTMX
        ).status_code
        == 404
    )


def test_bulk_actions_and_collections_leave_out_articles_the_reader_may_not_read(client, alice, bob, private):
    logged_in(client, bob)
    response = client.post(
        reverse("articles:library_bulk"),
        {"articles": [private.pk], "action": "label", "new_collection": "Guessed"},
    )
    assert "Zephyrine" not in response.content.decode()
    collection = bob.collections.get()
    assert collection.articles.count() == 0


def test_a_public_collection_shares_the_articles_it_lists(client, alice, private):
    logged_in(client, alice)
    client.post(
        reverse("articles:library_bulk"),
        {"articles": [private.pk], "action": "label", "new_collection": "Quarries"},
    )
    collection = alice.collections.get()
    client.post(reverse("articles:collection_edit", args=[collection.pk]), {"action": "public"})
    private.refresh_from_db()
    assert private.public and private.shared_by == alice
    client.logout()
    assert "Zephyrine" in client.get(collection.get_absolute_url()).content.decode()
    assert client.get(private.get_absolute_url()).status_code == 200


def test_the_notebook_and_its_exports_hold_only_articles_the_reader_may_read(client, alice, bob, public):
    create_annotation(bob, public, "The cranes are working again", note="crane note")
    logged_in(client, bob)
    assert "crane note" in client.get(reverse("articles:notebook")).content.decode()
    # Staff take the article out of the public library: Bob's notes on it go out of sight with it (kept).
    from articles.services.reader_library import articles_publish

    articles_publish(articles=[public], public=False)
    assert "crane note" not in client.get(reverse("articles:notebook")).content.decode()
    assert "crane note" not in client.get(reverse("articles:notebook_export", args=["md"])).content.decode()
    assert bob.annotations.count() == 1


def test_shared_mode_keeps_one_library_for_all(client, settings, bob, private):
    settings.NEWSREADER_LIBRARY = "shared"
    assert client.get(private.get_absolute_url()).status_code == 200
    assert "Zephyrine" in client.get("/").content.decode()
    assert "Marbury" in client.get("/who-is-quoted/").content.decode()
    kind = "person" if Actor.objects.get(name__contains="Marbury").label == "PERSON" else "org"
    assert "Quillon Marbury" in client.get(f"/search/suggest/{kind}/?{kind}=Quill").content.decode()
    page = logged_in(client, bob).get(private.get_absolute_url()).content.decode()
    assert "Share with everyone" not in page


def test_import_articles_says_whose_articles_they_are(tmp_path, alice):
    (tmp_path / "quarry.txt").write_text(PRIVATE, encoding="utf-8")
    with pytest.raises(CommandError, match="--public"):
        call_command("import_articles", str(tmp_path), "--no-progress")
    with pytest.raises(CommandError, match="No reader called"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--reader", "nobody")
    assert not Article.objects.exists()
    call_command("import_articles", str(tmp_path), "--no-progress", "--reader", "alice")
    article = Article.objects.get()
    assert not article.public
    assert list(LibraryEntry.objects.values_list("reader__username", "via")) == [("alice", "imported")]
    # Imported again with --public: the same article, published.
    call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    article.refresh_from_db()
    assert article.public and Article.objects.count() == 1


def test_load_seeds_publishes(db):
    call_command("load_seeds")
    assert Article.objects.filter(public=True).count() == Article.objects.count() > 0


def test_deleting_an_article_another_reader_keeps_only_takes_it_out_of_ones_own_library(
    client, alice, bob, private
):
    logged_in(client, bob).post(reverse("articles:create"), {"title": "", "text": PRIVATE})
    kept = create_annotation(bob, private, PRIVATE_PASSAGE, note="mine")
    url = reverse("articles:article_delete", args=[private.pk])
    page = logged_in(client, alice).get(url).content.decode()
    assert "Remove from your library" in page and "bob" not in page
    assert client.post(url).status_code == 302
    assert Article.objects.filter(pk=private.pk).exists() and Annotation.objects.filter(pk=kept.pk).exists()
    assert list(LibraryEntry.objects.values_list("reader__username", flat=True)) == ["bob"]
    assert client.get(private.get_absolute_url()).status_code == 404  # out of Alice's library: not hers now
    # The last reader who keeps it deletes it for good.
    logged_in(client, bob)
    assert "Delete the article" in client.get(url).content.decode()
    assert client.post(url).status_code == 302 and not Article.objects.filter(pk=private.pk).exists()


def test_shared_mode_keeps_duplicates_and_deleting_as_they_were(client, settings, alice, bob, private):
    settings.NEWSREADER_LIBRARY = "shared"
    response = logged_in(client, bob).post(reverse("articles:create"), {"title": "", "text": PRIVATE})
    assert response.status_code == 400 and "already in the library" in response.content.decode()
    assert not LibraryEntry.objects.filter(reader=bob).exists()
    Article.objects.filter(pk=private.pk).update(added_by=alice)
    LibraryEntry.objects.create(reader=bob, article=private)
    url = reverse("articles:article_delete", args=[private.pk])
    assert logged_in(client, alice).post(url).status_code == 302
    assert not Article.objects.filter(pk=private.pk).exists()
