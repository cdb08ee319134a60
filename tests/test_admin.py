"""The admin writes only through the services: a text edit is re-indexed, re-anchored and re-analysed."""

import pytest
from django.urls import reverse

from articles.models import Article, Quote
from articles.search import SearchResults
from tests.helpers import create_annotation, import_article, run_tasks, story

pytestmark = pytest.mark.django_db

ZINC = story(
    "Zinc prices climb", "“Zinc is scarce this winter,” said Ana Ruiz, a trader in Lima.", "Smelters slowed."
)
COPPER = story(
    "Copper glut deepens",
    "Smelters slowed.",
    "“Copper is everywhere this winter,” said Ben Ode, a broker in Lima.",
)


def _titles(words: str) -> list[str]:
    return [hit.article.title for hit in SearchResults(words)[0:10]]


def test_an_admin_text_edit_is_indexed_reanchored_and_reanalysed(
    admin_client, alice, django_capture_on_commit_callbacks
):
    article = import_article(text=ZINC)
    kept = create_annotation(alice, article, passage="Smelters slowed.")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), {"text": COPPER, "_save": "Save"}
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.text == COPPER and article.title == "Copper glut deepens"
    assert _titles("copper") == ["Copper glut deepens"] and _titles("zinc") == []
    kept.refresh_from_db()
    assert article.text[kept.start : kept.end] == "Smelters slowed." and not kept.orphaned
    assert article.analysis_state == Article.Analysis.PENDING and not article.quotes.exists()
    run_tasks()
    [quote] = Quote.objects.filter(article=article)
    assert quote.speaker_name == "Ben Ode" and article.text[quote.start : quote.end] == quote.text


def test_the_admin_cannot_edit_what_the_analysis_wrote(admin_client):
    article = import_article(text=ZINC)
    quote = article.quotes.get()
    url = reverse("admin:articles_quote_change", args=[quote.pk])
    assert admin_client.get(url).status_code == 200  # shown, read-only
    admin_client.post(url, {"speaker_name": "Somebody Else", "kind": "speech"})
    quote.refresh_from_db()
    assert quote.speaker_name == "Ana Ruiz"
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="text"' in page and 'name="title"' not in page and 'name="source"' not in page


def test_the_admin_lists_corrections_without_changing_them(admin_client, django_user_model):
    from articles.models import Correction
    from articles.services.corrections import correction_create
    from tests.helpers import TEXT

    article = import_article(text=TEXT)
    quote = article.quotes.first()
    staff = django_user_model.objects.get(username="admin")
    correction_create(user=staff, article=article, kind=Correction.Kind.NOT_QUOTE, quote=quote)
    listing = admin_client.get(reverse("admin:articles_correction_changelist")).content.decode()
    assert "not a quote" in listing
    correction = Correction.objects.get()
    url = reverse("admin:articles_correction_change", args=[correction.pk])
    admin_client.post(url, {"kind": "speaker"})
    assert Correction.objects.get().kind == Correction.Kind.NOT_QUOTE
    assert (
        admin_client.post(reverse("admin:articles_correction_delete", args=[correction.pk])).status_code
        == 403
    )
