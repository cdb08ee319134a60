"""Signing up, logging in and out."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_logout_is_a_post(client, alice):
    logged_in(client, alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_signup_logs_in_and_returns_to_the_article(client, article):
    next_url = article.get_absolute_url()
    response = client.post(
        reverse("signup") + f"?next={next_url}",
        {
            "username": "carol",
            "password1": "correct-horse-9",
            "password2": "correct-horse-9",
            "next": next_url,
        },
    )
    assert response.status_code == 302 and response["Location"] == next_url
    page = client.get(next_url).content.decode()
    assert "carol" in page and 'id="annotate-toolbar"' in page and "Log out" in page
    client.post(reverse("logout"))
    bad = client.post(reverse("signup"), {"username": "dave", "password1": "x", "password2": "y"})
    assert bad.status_code == 400 and not User.objects.filter(username="dave").exists()


def test_login_page_and_anonymous_reading(client, article, alice):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Log in" in page and "Sign up" in page and "Log in to highlight and annotate" in page
    assert 'id="article-text"' not in page
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-password-1"})
    assert response.status_code == 302
    assert "alice" in client.get("/").content.decode()
