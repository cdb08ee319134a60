"""A reader's own library: reading state, counts, views and sorts, resume position, deleting an article.

Every new URL is tried as an anonymous reader, the owner (who added the article), another reader and staff;
each refusal writes nothing."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.models import Annotation, Article, ReadingState
from tests.helpers import HTMX, PASSAGE, TEXT, create_annotation, import_article, logged_in, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password="a-long-password-3", is_staff=True)


@pytest.fixture
def owned(alice):
    article = import_article(text=TEXT)
    Article.objects.filter(pk=article.pk).update(added_by=alice)
    article.refresh_from_db()
    return article


def _titles(response) -> list[str]:
    return [a.title for a in response.context["articles"]]


def test_anonymous_readers_see_the_shared_library_without_views_or_bulk_actions(client, article):
    page = client.get("/").content.decode()
    assert article.title in page and "min read" in page
    assert 'class="library-views"' not in page and 'id="bulk-form"' not in page
    # A view of one's own state means nothing without an account: the whole library is shown.
    assert _titles(client.get("/?state=archived")) == [article.title]


def test_marking_read_archived_and_favourite_moves_the_article_between_views_with_counts(client, alice, bob):
    first = import_article(text=story("Budget talks collapse", "The council met on Tuesday. " * 5))
    second = import_article(text=story("Libraries to close", "Residents queued outside the hall. " * 5))
    logged_in(client, alice)
    url = reverse("articles:reading", args=[first.pk])
    assert client.post(url, {"action": "read"}).status_code == 302
    client.post(reverse("articles:reading", args=[second.pk]), {"action": "favourite"})
    views = {key: count for key, _, count in client.get("/").context["library_views"]}
    assert views == {"all": 2, "unread": 1, "read": 1, "favourites": 1, "archived": 0}
    assert _titles(client.get("/?state=unread")) == ["Libraries to close"]
    assert _titles(client.get("/?state=read")) == ["Budget talks collapse"]
    client.post(url, {"action": "archive"})
    assert _titles(client.get("/")) == ["Libraries to close"]
    assert _titles(client.get("/?state=archived")) == ["Budget talks collapse"]
    page = client.get("/?state=archived").content.decode()
    assert 'aria-current="page" data-state="archived">Archived <span class="count">1</span>' in page
    # Another reader's library is untouched.
    logged_in(client, bob)
    assert _titles(client.get("/?state=unread")) == ["Libraries to close", "Budget talks collapse"]


def test_sorts_newest_oldest_longest_and_most_quoted(client, alice):
    import datetime

    short = import_article(
        text=story("Short note", "A brief item about the weather today."), published=datetime.date(2020, 1, 1)
    )
    long = import_article(
        text=story("Long read", *["The committee heard evidence for many hours on the plan." * 3] * 8),
        published=datetime.date(2021, 1, 1),
    )
    quoted = import_article(text=TEXT, published=datetime.date(2019, 1, 1))
    undated = import_article(text=story("Undated", "A note of no known date."))
    assert undated.dated is None
    # The article of unknown date comes last both ways.
    assert _titles(client.get("/?sort=newest")) == [long.title, short.title, quoted.title, undated.title]
    assert _titles(client.get("/?sort=oldest")) == [quoted.title, short.title, long.title, undated.title]
    assert _titles(client.get("/?sort=longest"))[0] == long.title
    assert _titles(client.get("/?sort=quoted"))[0] == quoted.title
    newest_added = [undated.title, quoted.title, long.title, short.title]
    assert _titles(client.get("/?sort=added")) == newest_added
    assert _titles(client.get("/?sort=<script>")) == newest_added


def test_the_reading_time_is_on_every_card_and_the_article_page(client):
    long = import_article(
        text=story("Long read", *["The committee heard evidence for many hours on the plan. " * 10] * 10)
    )
    assert long.reading_minutes == round(len(long.text) / (6 * 230))
    assert f"{long.reading_minutes} min read" in client.get("/").content.decode()
    assert f"{long.reading_minutes} min read" in client.get(long.get_absolute_url()).content.decode()
    assert f"{long.reading_minutes} min read" in client.get("/search/", {"q": "committee"}).content.decode()


def test_reading_state_urls_refuse_anonymous_readers_and_write_nothing(article):
    client = Client()
    response = client.post(reverse("articles:reading", args=[article.pk]), {"action": "read"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    position = client.post(
        reverse("articles:reading_position", args=[article.pk]), {"position": 5, "progress": 10}
    )
    assert position.status_code == 403
    assert not ReadingState.objects.exists()


def test_a_bad_reading_action_or_position_is_refused_and_writes_nothing(client, alice, article):
    logged_in(client, alice)
    bad = client.post(reverse("articles:reading", args=[article.pk]), {"action": "burn"}, **HTMX)
    assert bad.status_code == 400 and "Choose one of" in bad.content.decode()
    url = reverse("articles:reading_position", args=[article.pk])
    for data in (
        {"position": -1, "progress": 5},
        {"position": 10**9, "progress": 5},
        {"position": 3, "progress": 101},
        {"position": "x", "progress": 1},
        {},
    ):
        assert client.post(url, data).status_code == 400, data
    assert not ReadingState.objects.exists()


def test_the_reading_position_is_kept_per_reader_and_reaching_the_end_marks_read(client, alice, bob, article):
    url = reverse("articles:reading_position", args=[article.pk])
    logged_in(client, alice)
    assert client.post(url, {"position": 31, "progress": 40}).status_code == 204
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-resume-position="31"' in page
    state = ReadingState.objects.get(user=alice)
    assert (state.position, state.progress, state.read) == (31, 40, False)
    client.post(url, {"position": 120, "progress": 100})
    assert ReadingState.objects.get(user=alice).read
    logged_in(client, bob)
    assert 'data-resume-position="0"' in client.get(article.get_absolute_url()).content.decode()


def test_the_article_page_buttons_answer_htmx_with_the_new_state_and_the_cached_page_follows(
    client, alice, article
):
    logged_in(client, alice)
    url = article.get_absolute_url()
    client.get(url)
    first = client.get(url)
    assert "Mark read" in first.content.decode()
    response = client.post(reverse("articles:reading", args=[article.pk]), {"action": "read"}, **HTMX)
    assert response.status_code == 200 and "✓ Read" in response.content.decode()
    again = client.get(url, HTTP_IF_NONE_MATCH=first.get("ETag", ""))
    assert again.status_code == 200 and "✓ Read" in again.content.decode()


@pytest.mark.parametrize("who, allowed", [("owner", True), ("staff", True), ("other", False)])
def test_only_who_added_an_article_or_staff_may_delete_it(client, alice, bob, staff, owned, who, allowed):
    reader = {"owner": alice, "staff": staff, "other": bob}[who]
    create_annotation(bob, owned, PASSAGE)
    logged_in(client, reader)
    url = reverse("articles:article_delete", args=[owned.pk])
    page = client.get(url)
    assert page.status_code == (200 if allowed else 403)
    response = client.post(url)
    if allowed:
        assert (
            response.status_code == 302 and not Article.objects.exists() and not Annotation.objects.exists()
        )
    else:
        assert response.status_code == 403 and Article.objects.filter(pk=owned.pk).exists()
        assert Annotation.objects.count() == 1


def test_anonymous_readers_cannot_delete_and_nothing_is_deleted(owned):
    client = Client()
    response = client.post(reverse("articles:article_delete", args=[owned.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Article.objects.filter(pk=owned.pk).exists()


def test_the_delete_link_shows_only_to_who_may_delete(client, alice, bob, owned):
    logged_in(client, alice)
    assert "delete-link" in client.get(owned.get_absolute_url()).content.decode()
    logged_in(client, bob)
    assert "delete-link" not in client.get(owned.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["other", "staff"])
def test_another_reader_or_staff_marks_only_their_own_reading_state(client, alice, bob, staff, article, who):
    from articles.services.reading import reading_mark

    reading_mark(user=alice, article=article, favourite=True)
    reader = {"other": bob, "staff": staff}[who]
    logged_in(client, reader)
    client.post(reverse("articles:reading", args=[article.pk]), {"action": "unfavourite"})
    client.post(reverse("articles:reading_position", args=[article.pk]), {"position": 0, "progress": 100})
    mine = ReadingState.objects.get(user=alice)
    assert mine.favourite and not mine.read and mine.progress == 0
    theirs = ReadingState.objects.get(user=reader)
    assert not theirs.favourite and theirs.read


def test_the_article_page_links_to_its_original_address_and_only_to_a_web_address(client):
    saved = import_article(text=TEXT, url="https://news.example.com/2024/budget?ref=rss")
    page = client.get(saved.get_absolute_url()).content.decode()
    assert (
        '<a class="original-link" href="https://news.example.com/2024/budget?ref=rss" rel="noopener noreferrer">'
        "Original at news.example.com" in page
    )
    pasted = import_article(text=story("A pasted story", "Nothing links it anywhere."))
    assert 'class="original-link"' not in client.get(pasted.get_absolute_url()).content.decode()
    # A file may name any address; only http and https become a link.
    hostile = import_article(
        text=story("A hostile story", "Its address is a script."), url="javascript:alert(1)"
    )
    assert "javascript:" not in client.get(hostile.get_absolute_url()).content.decode()
