"""Adding a changed version of an article offers to update the one in the library, annotations re-anchored,
instead of making a second; only who added it, or staff, may update; a refusal writes nothing."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.models import Annotation, Article
from tests.helpers import PASSAGE, TEXT, create_annotation, import_article, logged_in


def already_here() -> str:
    """What a duplicate of one's own article is called: in one's own library, or (shared mode) in the one."""
    from django.conf import settings

    return "already in the library" if settings.NEWSREADER_LIBRARY == "shared" else "already in your library"


pytestmark = pytest.mark.django_db
CHANGED = TEXT.replace("on Tuesday", "on Tuesday evening") + "\n\nThe vote is expected next week."


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password="a-long-password-3", is_staff=True)


@pytest.fixture
def original(alice):
    article = import_article(text=TEXT, source="Gazette", reader=alice)
    Article.objects.filter(pk=article.pk).update(added_by=alice)
    article.refresh_from_db()
    return article


def _offer(client):
    return client.post(reverse("articles:create"), {"text": CHANGED, "source": "Gazette"})


def test_the_same_headline_and_source_with_a_new_text_offers_an_update_and_writes_nothing(
    client, alice, bob, original
):
    create_annotation(bob, original, PASSAGE, note="Keep me")
    logged_in(client, alice)
    response = _offer(client)
    page = response.content.decode()
    assert response.status_code == 409 and "already in the library" in page and "Update the article" in page
    assert "same headline and source" in page and "1 annotation will be found again" in page
    assert Article.objects.count() == 1 and Article.objects.get().text == TEXT


def test_confirming_updates_the_text_and_the_annotations_follow(
    client, alice, bob, original, django_capture_on_commit_callbacks
):
    note = create_annotation(bob, original, PASSAGE, note="Keep me")
    logged_in(client, alice)
    form = _offer(client).context
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("articles:article_update", args=[original.pk]),
            {"text": form["new_text"], "source": "Gazette", "url": "", "byline": "", "published": ""},
        )
    assert response.status_code == 302 and response["Location"] == original.get_absolute_url()
    original.refresh_from_db()
    assert original.text == CHANGED and Article.objects.count() == 1
    note.refresh_from_db()
    assert not note.orphaned and CHANGED[note.start : note.end] == PASSAGE and note.note == "Keep me"


@pytest.mark.parametrize("who", ["other", "staff"])
def test_only_who_added_it_or_staff_may_update(client, bob, staff, original, who):
    reader = {"other": bob, "staff": staff}[who]
    logged_in(client, reader)
    page = _offer(client).content.decode()
    url = reverse("articles:article_update", args=[original.pk])
    response = client.post(url, {"text": CHANGED, "source": "Gazette"})
    original.refresh_from_db()
    if who == "staff":
        assert "Update the article" in page and response.status_code == 302 and original.text == CHANGED
    else:
        assert "Only the person who added it, or staff" in page and "Update the article" not in page
        assert response.status_code == 403 and original.text == TEXT


def test_anonymous_readers_cannot_update_and_nothing_changes(original):
    response = Client().post(reverse("articles:article_update", args=[original.pk]), {"text": CHANGED})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    original.refresh_from_db()
    assert original.text == TEXT


def test_a_bad_new_version_is_refused_with_its_message_and_nothing_changes(client, alice, original):
    logged_in(client, alice)
    url = reverse("articles:article_update", args=[original.pk])
    for text, message in (("", "empty"), ("\x00binary\x00" * 10, "")):
        response = client.post(url, {"text": text, "source": "Gazette"})
        assert response.status_code == 400 and message in response.content.decode()
    original.refresh_from_db()
    assert original.text == TEXT


def test_the_same_text_again_is_a_plain_duplicate_not_an_update(client, alice, original):
    logged_in(client, alice)
    response = client.post(reverse("articles:create"), {"text": TEXT, "source": "Gazette"})
    assert response.status_code == 400 and already_here() in response.content.decode()
    assert "Update the article" not in response.content.decode()


def test_a_headline_from_another_source_is_another_article(client, alice, original):
    logged_in(client, alice)
    response = client.post(reverse("articles:create"), {"text": CHANGED, "source": "Daily Planet"})
    assert response.status_code == 302 and Article.objects.count() == 2
    assert Annotation.objects.count() == 0


def test_a_saved_address_can_be_checked_for_a_newer_version_and_updated(client, alice, local_web):
    from tests.local_server import Reply
    from tests.web import HARBOUR, story_page

    canonical = "https://planet.example/2025/06/harbour"
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR, canonical=canonical)))
    logged_in(client, alice)
    assert client.post(reverse("articles:create"), {"url": url}).status_code == 302
    article = Article.objects.get()
    create_annotation(alice, article, "We are open for business again")
    again = client.post(reverse("articles:create"), {"url": canonical})
    assert again.status_code == 400 and "check its address for a newer version" in again.content.decode()
    local_web.route(
        "/harbour",
        Reply(story_page(*HARBOUR, "The ferry timetable returns to normal on Monday.", canonical=canonical)),
    )
    offer = client.post(reverse("articles:create"), {"url": url, "refresh": "1"})
    assert offer.status_code == 409 and "same address" in offer.content.decode()
    context = offer.context
    response = client.post(
        reverse("articles:article_update", args=[article.pk]),
        {"text": context["new_text"], "source": context["incoming"].source, "url": canonical},
    )
    assert response.status_code == 302 and Article.objects.count() == 1
    article.refresh_from_db()
    assert "ferry timetable" in article.text
    note = Annotation.objects.get()
    assert not note.orphaned and article.text[note.start : note.end] == "We are open for business again"
