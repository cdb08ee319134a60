"""Collections and the home page's bulk actions: anonymous, owner, another reader and staff on every URL;
each refusal writes nothing."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.models import Article, Collection, ReadingState
from articles.services.collections import CollectionRejected, collection_create
from tests.helpers import HTMX, TEXT, import_article, logged_in, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password="a-long-password-3", is_staff=True)


@pytest.fixture
def two(db):
    return (
        import_article(text=TEXT),
        import_article(text=story("Libraries to close", "Residents queued outside the hall. " * 5)),
    )


def _ids(articles):
    return [str(a.pk) for a in articles]


def test_a_reader_makes_renames_shares_and_deletes_a_collection(client, alice, two):
    logged_in(client, alice)
    response = client.post(reverse("articles:collections"), {"name": "  Budget   watch "})
    collection = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == collection.get_absolute_url()
    assert collection.name == "Budget watch" and not collection.public
    client.post(
        reverse("articles:library_bulk"),
        {"articles": _ids(two), "action": "label", "collection": collection.pk},
    )
    assert collection.articles.count() == 2
    edit = reverse("articles:collection_edit", args=[collection.pk])
    client.post(edit, {"action": "rename", "name": "Council"})
    client.post(edit, {"action": "public"})
    collection.refresh_from_db()
    assert collection.name == "Council" and collection.public
    page = client.get(collection.get_absolute_url()).content.decode()
    assert "Share link" in page and f"http://testserver/collections/{collection.pk}/" in page
    client.post(edit, {"action": "remove", "articles": [two[0].pk]})
    assert list(collection.articles.all()) == [two[1]]
    client.post(edit, {"action": "delete"})
    assert not Collection.objects.exists() and Article.objects.count() == 2


def test_names_are_checked_and_one_reader_has_each_name_once(alice, bob):
    collection_create(user=alice, name="Reading")
    for bad, message in [
        ("", "needs a name"),
        ("x" * 101, "too long"),
        ("a\u200bb", "invisible"),
        ("READING", "already have"),
    ]:
        with pytest.raises(CollectionRejected, match=message):
            collection_create(user=alice, name=bad)
    collection_create(user=bob, name="Reading")
    assert Collection.objects.count() == 2


def test_a_refused_name_on_the_form_says_why_and_writes_nothing(client, alice):
    logged_in(client, alice)
    response = client.post(reverse("articles:collections"), {"name": "   "})
    assert response.status_code == 400 and "A collection needs a name." in response.content.decode()
    assert not Collection.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "other", "staff"])
def test_a_private_collection_is_its_owner_s_alone(client, alice, bob, staff, two, who):
    collection = collection_create(user=alice, name="Private notes")
    collection.articles.add(two[0])
    reader = {"anonymous": None, "other": bob, "staff": staff}[who]
    if reader:
        logged_in(client, reader)
    assert client.get(collection.get_absolute_url()).status_code == 404
    edit = reverse("articles:collection_edit", args=[collection.pk])
    for data in (
        {"action": "rename", "name": "Mine now"},
        {"action": "public"},
        {"action": "delete"},
        {"action": "remove", "articles": two[0].pk},
    ):
        response = client.post(edit, data)
        assert response.status_code == (302 if reader is None else 403), data
        if reader is None:
            assert reverse("login") in response["Location"]
    collection.refresh_from_db()
    assert (collection.name, collection.public, collection.articles.count()) == ("Private notes", False, 1)


@pytest.mark.parametrize("who", ["anonymous", "other", "staff"])
def test_a_public_collection_is_read_by_anyone_with_the_link_but_changed_by_its_owner_only(
    client, alice, bob, staff, two, who
):
    collection = collection_create(user=alice, name="Worth reading", public=True)
    collection.articles.add(two[1])
    reader = {"anonymous": None, "other": bob, "staff": staff}[who]
    if reader:
        logged_in(client, reader)
    page = client.get(collection.get_absolute_url())
    assert page.status_code == 200 and "Libraries to close" in page.content.decode()
    assert (
        "Rename, share or delete" not in page.content.decode()
        and "A collection by alice" in page.content.decode()
    )
    client.post(reverse("articles:collection_edit", args=[collection.pk]), {"action": "delete"})
    assert Collection.objects.filter(pk=collection.pk).exists()


def test_the_collections_page_needs_an_account(two):
    client = Client()
    assert reverse("login") in client.get(reverse("articles:collections"))["Location"]
    response = client.post(reverse("articles:collections"), {"name": "Sneaky"})
    assert response.status_code == 302 and not Collection.objects.exists()


def test_bulk_actions_mark_archive_and_label_with_htmx_returning_the_list(client, alice, two):
    logged_in(client, alice)
    url = reverse("articles:library_bulk")
    response = client.post(
        url, {"articles": _ids(two), "action": "archive", "state": "all", "sort": "added"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Archived: 2 articles." in body and 'id="library"' in body
    assert "<html" not in body and ReadingState.objects.filter(user=alice, archived=True).count() == 2
    response = client.post(
        url, {"articles": _ids(two[:1]), "action": "label", "new_collection": "Council"}, **HTMX
    )
    assert "Added 1 article to “Council”." in response.content.decode()
    assert list(Collection.objects.get(name="Council").articles.all()) == [two[0]]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "archive"}, "Select one or more articles first."),
        ({"articles": ["1"], "action": "explode"}, "Choose what to do"),
        ({"articles": ["1"], "action": "label"}, "Choose one of your collections"),
        ({"articles": ["1"], "action": "label", "new_collection": "\x07"}, "invisible or control characters"),
    ],
)
def test_bad_bulk_requests_say_why_and_write_nothing(client, alice, two, data, message):
    logged_in(client, alice)
    data = {**data, "articles": [str(two[0].pk)] if "articles" in data else []}
    response = client.post(reverse("articles:library_bulk"), data, **HTMX)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReadingState.objects.exists() and not Collection.objects.exists()


def test_bulk_labels_only_into_the_reader_s_own_collection(client, alice, bob, two):
    theirs = collection_create(user=bob, name="Bob's")
    logged_in(client, alice)
    response = client.post(
        reverse("articles:library_bulk"),
        {"articles": _ids(two), "action": "label", "collection": theirs.pk},
        **HTMX,
    )
    assert response.status_code == 400 and theirs.articles.count() == 0


@pytest.mark.parametrize("who, deleted", [("owner", True), ("staff", True), ("other", False)])
def test_bulk_delete_is_for_who_added_every_article_or_staff_else_nothing_goes(
    client, alice, bob, staff, two, who, deleted
):
    Article.objects.filter(pk=two[0].pk).update(added_by=alice)
    Article.objects.filter(pk=two[1].pk).update(added_by=alice if who != "other" else None)
    reader = {"owner": alice, "staff": staff, "other": bob}[who]
    logged_in(client, reader)
    response = client.post(
        reverse("articles:library_bulk"), {"articles": _ids(two), "action": "delete"}, **HTMX
    )
    if deleted:
        assert response.status_code == 200 and not Article.objects.exists()
    else:
        assert response.status_code == 403 and "can delete it" in response.content.decode()
        assert Article.objects.count() == 2


def test_an_owner_cannot_bulk_delete_an_article_someone_else_added_along_with_their_own(
    client, alice, bob, two
):
    Article.objects.filter(pk=two[0].pk).update(added_by=alice)
    Article.objects.filter(pk=two[1].pk).update(added_by=bob)
    logged_in(client, alice)
    response = client.post(reverse("articles:library_bulk"), {"articles": _ids(two), "action": "delete"})
    assert response.status_code == 302 and Article.objects.count() == 2


def test_anonymous_bulk_actions_go_to_log_in_and_write_nothing(two):
    response = Client().post(reverse("articles:library_bulk"), {"articles": _ids(two), "action": "delete"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Article.objects.count() == 2 and not ReadingState.objects.exists()
