"""Not found, not allowed, expired forms and server errors are pages of the site, not bare messages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import create_annotation, logged_in

pytestmark = pytest.mark.django_db


def test_an_unknown_address_is_a_not_found_page(client):
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404 and "<h1>Not found</h1>" in page and 'class="site-header"' in page


def test_someone_elses_private_annotation_is_not_found_and_their_public_one_not_allowed(
    client, article, alice, bob
):
    private = create_annotation(alice, article)
    public = create_annotation(
        alice, article, passage="Residents queued outside the hall", visibility="public"
    )
    logged_in(client, bob)
    hidden = client.get(reverse("articles:annotation", args=[private.pk]))
    assert hidden.status_code == 404 and "<h1>Not found</h1>" in hidden.content.decode()
    refused = client.get(reverse("articles:annotation_edit", args=[public.pk]))
    page = refused.content.decode()
    assert refused.status_code == 403 and "<h1>Not allowed</h1>" in page
    assert "Only the person who wrote an annotation can change it." in page


def test_a_form_without_its_security_token_is_refused_with_a_page(article, alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("articles:create"), {"text": "Headline\n\nSome text."})
    page = response.content.decode()
    assert response.status_code == 403 and "<h1>This form could not be sent</h1>" in page
    assert "Nothing was saved." in page and 'class="site-header"' in page


def test_every_page_names_its_icons_and_favicon_ico_leads_to_the_static_one(client):
    assert client.get("/favicon.ico")["Location"] == "/static/icons/favicon.ico"
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.ico"' in page
    assert '<link rel="icon" href="/static/icons/newsreader.svg" type="image/svg+xml">' in page
    # Icons come from the app itself, so the policy for images stays the app's own origin.
    assert "img-src 'self' data:" in client.get("/").headers["Content-Security-Policy"]
