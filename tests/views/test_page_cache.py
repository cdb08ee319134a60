"""The article page and its panels are cached and answered 304 when unchanged, and never go stale."""

import pytest
from django.urls import reverse

from articles.services.analysis import article_reanalyze
from articles.services.annotations import annotation_delete, annotation_update
from articles.services.articles import article_update_text
from tests.helpers import HTMX, TEXT, create_annotation, logged_in, run_tasks

pytestmark = pytest.mark.django_db


def test_an_unchanged_page_is_answered_304_and_a_changed_one_anew(client, article, alice):
    first = client.get(article.get_absolute_url())
    etag = first["ETag"]
    assert first.status_code == 200 and "HX-Request" in first["Vary"] and "Cookie" in first["Vary"]
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    public = create_annotation(alice, article, visibility="public", note="seen by all")
    changed = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and f'data-annotation-id="{public.pk}"' in changed.content.decode()


def test_new_edited_and_deleted_annotations_show_at_once(client, article, alice):
    url = article.get_absolute_url()
    assert "data-annotation-id" not in client.get(url).content.decode()
    annotation = create_annotation(alice, article, visibility="public")
    assert f'data-annotation-id="{annotation.pk}"' in client.get(url).content.decode()
    annotation_update(
        annotation=annotation, user=alice, note="now", colour="green", tags="", visibility="public"
    )
    assert "hl--green" in client.get(url).content.decode()
    annotation_update(
        annotation=annotation, user=alice, note="now", colour="green", tags="", visibility="private"
    )
    assert "data-annotation-id" not in client.get(url).content.decode()
    annotation_delete(annotation=annotation, user=alice)
    assert "hl--green" not in logged_in(client, alice).get(url).content.decode()


def test_each_reader_sees_their_own_page(client, article, alice, bob):
    url = article.get_absolute_url()
    mine = create_annotation(alice, article, note="private thought")
    assert f'data-annotation-id="{mine.pk}"' in logged_in(client, alice).get(url).content.decode()
    assert f'data-annotation-id="{mine.pk}"' not in logged_in(client, bob).get(url).content.decode()
    client.logout()
    anonymous = client.get(url).content.decode()
    assert f'data-annotation-id="{mine.pk}"' not in anonymous and "X-CSRFToken" not in anonymous
    assert "X-CSRFToken" in logged_in(client, alice).get(url).content.decode()


def test_reanalysis_and_a_text_edit_never_serve_the_old_body(
    client, article, django_capture_on_commit_callbacks
):
    url = article.get_absolute_url()
    assert 'data-speaker="Ana Ruiz"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text=TEXT.replace("said Ana Ruiz", "said Ben Ode"))
    pending = client.get(url).content.decode()
    assert "Analysing" in pending and "Ana Ruiz" not in pending
    run_tasks()
    assert 'data-speaker="Ben Ode"' in client.get(url).content.decode()
    article.refresh_from_db()
    revision = article.revision
    article_reanalyze(article=article)
    article.refresh_from_db()
    assert article.revision == revision + 1 and 'data-speaker="Ben Ode"' in client.get(url).content.decode()


def test_panels_are_cached_per_address_and_kind_of_request(client, article):
    quote = article.quotes.get()
    fragment = client.get(quote.get_absolute_url(), **HTMX)
    page = client.get(quote.get_absolute_url())
    assert fragment["ETag"] != page["ETag"]
    assert "<html" not in fragment.content.decode() and "<html" in page.content.decode()
    assert client.get(quote.get_absolute_url(), **HTMX).content == fragment.content
    entity = article.entities.order_by("pk").first()
    panel = client.get(reverse("articles:entity", args=[article.pk, entity.pk]), **HTMX)
    assert panel.status_code == 200 and entity.name in panel.content.decode()
