"""A write that meets a database locked by someone else past its timeout answers 503 with Retry-After and the
form sent back to be sent again (never a 500), stores nothing, and works again once the lock is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Annotation
from tests.helpers import HTMX, logged_in

NOTE = "Kept <b>while</b> the library was busy"


@contextmanager
def locked_for_writes() -> Iterator[None]:
    """Another connection holds the annotations' table for writing; this one gives up on a lock after
    0.3 s (the app's own timeout is 20 s)."""
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA busy_timeout = 300")
        else:
            cursor.execute("SET lock_timeout = '300ms'")
    if connection.vendor == "sqlite":
        other = sqlite3.connect(settings["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        other = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            password=settings["PASSWORD"] or None,
        )
        other.execute("LOCK TABLE articles_annotation IN EXCLUSIVE MODE")  # reads go on, writes wait
    try:
        yield
    finally:
        other.rollback()
        other.close()
        connection.close()  # the next query opens a connection with the app's own timeout


@pytest.mark.django_db(transaction=True)
def test_a_write_under_a_lock_answers_503_with_the_form_kept_and_stores_nothing(article, alice):
    client = Client(raise_request_exception=False)
    logged_in(client, alice)
    url = reverse("articles:annotations", args=[article.pk])
    form = {"exact": "signs about the", "note": NOTE, "tags": "budget"}

    with locked_for_writes():
        response = client.post(url, form)
        htmx_response = client.post(url, form, **HTMX)

    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The library is busy" in page and "Nothing was saved" in page
    assert f'<form method="post" action="{url}"' in page
    assert (
        '<input type="hidden" name="note" value="Kept &lt;b&gt;while&lt;/b&gt; the library was busy">' in page
    )
    assert '<input type="hidden" name="exact" value="signs about the">' in page
    assert htmx_response.status_code == 503 and htmx_response["HX-Reswap"] == "afterbegin"
    assert "what you typed is still here" in htmx_response.content.decode()
    assert not Annotation.objects.exists()

    # Sent again once the lock is gone, the same fields store the annotation.
    response = client.post(url, form)
    assert response.status_code == 302 and Annotation.objects.get().note == NOTE


@pytest.mark.django_db(transaction=True)
def test_other_server_errors_are_still_the_500_page(monkeypatch):
    from django.db import OperationalError

    from articles.views import feeds

    def broken(*args, **kwargs):
        raise OperationalError("no such table: articles_feed")  # a database error, but not a busy one

    monkeypatch.setattr(feeds, "render", broken)
    response = Client(raise_request_exception=False).get(reverse("articles:feeds"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
    assert "Retry-After" not in response
