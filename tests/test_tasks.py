"""Background analysis: an article added on the web is stored at once and analysed by the task worker."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import articles as article_services
from tests.helpers import run_tasks, story

pytestmark = pytest.mark.django_db


def test_web_form_stores_the_article_and_the_worker_analyses_it(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the article is committed
        response = client.post(
            reverse("articles:create"),
            {"title": "Bridge to reopen", "text": "“We are nearly there,” said Ana Ruiz, the city engineer."},
        )
    article = Article.objects.get()
    assert response.status_code == 302 and article.analysis_state == "pending" and not article.quotes.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" in page and 'hx-trigger="every 1s"' in page
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == "done" and article.quotes.get().speaker_name == "Ana Ruiz"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" not in page and 'data-speaker="Ana Ruiz"' in page


def test_a_failed_background_analysis_is_shown(client, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("articles:create"), {"text": story("Bridge", "“Nearly there,” said Ana Ruiz.")})

    def broken(*args, **kwargs):
        raise RuntimeError("model missing")

    monkeypatch.setattr(article_services, "analyze", broken)
    run_tasks()
    article = Article.objects.get()
    assert article.analysis_state == "failed" and "model missing" in article.analysis_error
    assert "analysis of this article failed" in client.get(article.get_absolute_url()).content.decode()
