"""Deleting an annotation offers Undo, with htmx and as plain forms after the redirect; a token that names
nothing (used, forged, another reader's) writes nothing."""

import pytest
from django.urls import reverse

from articles.models import Annotation
from tests.helpers import HTMX, create_annotation, logged_in

pytestmark = pytest.mark.django_db


def _undo_form_token(page: str) -> str:
    marker = 'name="undo" value="'
    assert marker in page
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_without_javascript_delete_then_undo_after_the_redirect(client, article, alice):
    annotation = create_annotation(alice, article, note="Keep me", colour="green")
    logged_in(client, alice)
    response = client.post(reverse("articles:annotation_delete", args=[annotation.pk]))
    assert response.status_code == 302 and "?undo=" in response["Location"]
    assert not Annotation.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Annotation deleted." in page
    token = _undo_form_token(page)
    response = client.post(reverse("articles:annotation_undo", args=[article.pk]), {"undo": token})
    restored = Annotation.objects.get()
    assert response.status_code == 302 and response["Location"] == restored.get_absolute_url()
    assert (restored.pk, restored.note, restored.colour) == (annotation.pk, "Keep me", "green")
    # Used once: the same token again brings nothing and says so.
    Annotation.objects.all().delete()
    response = client.post(reverse("articles:annotation_undo", args=[article.pk]), {"undo": token})
    assert response.status_code == 422 and "nothing to undo" in response.content.decode()
    assert not Annotation.objects.exists()


def test_with_htmx_the_list_offers_undo_and_undo_returns_the_panel_and_the_highlight(client, article, alice):
    annotation = create_annotation(alice, article)
    logged_in(client, alice)
    page = client.post(reverse("articles:annotation_delete", args=[annotation.pk]), **HTMX).content.decode()
    assert "Annotation deleted." in page and '<span id="annotation-count">0</span>' in page
    response = client.post(
        reverse("articles:annotation_undo", args=[article.pk]), {"undo": _undo_form_token(page)}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200 and f'data-annotation-id="{annotation.pk}"' in page
    assert '<span id="annotation-count">1</span>' in page
    assert response["HX-Push-Url"] == annotation.get_absolute_url()


def test_another_readers_or_a_made_up_token_brings_nothing_back(client, article, alice, bob):
    annotation = create_annotation(alice, article)
    logged_in(client, alice)
    location = client.post(reverse("articles:annotation_delete", args=[annotation.pk]))["Location"]
    token = location.split("?undo=", 1)[1]
    other = client_for(bob)
    for who, guess in [(other, token), (client, "made-up"), (client, "")]:
        response = who.post(reverse("articles:annotation_undo", args=[article.pk]), {"undo": guess})
        assert response.status_code == 422
    assert "Annotation deleted." not in other.get(location).content.decode()
    assert not Annotation.objects.exists()


def client_for(user):
    from django.test import Client

    return logged_in(Client(), user)
