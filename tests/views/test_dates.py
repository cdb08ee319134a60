"""An unknown publication date stays unknown: shown as such, in no month, matched by no date filter; staff set
it on the edit page; "Quotes by month" runs on a time axis with empty months shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import UNKNOWN_MONTH, Article, QuoteTally
from tests.helpers import day, import_article, story

pytestmark = pytest.mark.django_db

UNDATED = story(
    "Harbour plan approved",
    "“We will build the new pier this winter,” said Mike Pompeo, the harbour master, on Monday.",
)


def test_an_undated_article_is_dated_nowhere(client):
    article = import_article(text=UNDATED)
    assert article.published is None and article.dated is None
    assert set(QuoteTally.objects.values_list("month", flat=True)) == {UNKNOWN_MONTH}

    listed = client.get(reverse("articles:search"), {"q": "harbour"}).content.decode()
    assert "date unknown" in listed
    filtered = client.get(reverse("articles:search"), {"q": "harbour", "from": "2019-01-01"}).content.decode()
    assert "Harbour plan approved" not in filtered

    quoted = client.get(reverse("articles:who_is_quoted")).content.decode()
    assert "Mike Pompeo" in quoted  # still counted for the speaker
    assert "Quotes by month" in quoted and "<rect" in quoted
    assert (
        str(timezone.localdate().year)
        not in quoted.split("<figcaption>Quotes by month")[1].split("</figure>")[0]
    )


def test_months_without_quotes_are_on_the_axis(client):
    import_article(text=story("January", "“One,” said Mike Pompeo."), published=day("2019-01-10"))
    import_article(text=story("April", "“Two,” said Mike Pompeo."), published=day("2019-04-02"))
    page = client.get(reverse("articles:who_is_quoted")).content.decode()
    months = page.split("<figcaption>Quotes by month")[1].split("</figure>")[0]
    for month in ("Jan 2019: 1", "Feb 2019: 0", "Mar 2019: 0", "Apr 2019: 1"):
        assert f"<title>{month}</title>" in months


def test_staff_set_and_clear_the_date_on_the_edit_page(client, django_user_model):
    article = import_article(text=UNDATED)
    staff = django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    client.force_login(staff)
    url = reverse("articles:article_text_edit", args=[article.pk])
    assert 'name="published" value=""' in client.get(url).content.decode()

    refused = client.post(url, {"text": article.text, "published": "28 Feb"})
    assert refused.status_code == 400 and b"YYYY-MM-DD" in refused.content
    assert Article.objects.get().dated is None

    client.post(url, {"text": article.text, "published": "2019-02-28"})
    stored = Article.objects.get()
    assert stored.published == stored.dated == day("2019-02-28")
    assert set(QuoteTally.objects.filter(quotes__gt=0).values_list("month", flat=True)) == {day("2019-02-01")}
    assert "Feb 2019" in client.get(reverse("articles:who_is_quoted")).content.decode()

    client.post(url, {"text": article.text, "published": ""})
    assert Article.objects.get().dated is None
    assert set(QuoteTally.objects.filter(quotes__gt=0).values_list("month", flat=True)) == {UNKNOWN_MONTH}


def test_a_published_line_in_the_text_dates_the_article(client):
    article = import_article(
        text="Harbour plan approved\n\nPublished: Feb. 28, 2019\n\n“We will build the pier,” said Mike Pompeo."
    )
    assert article.published == article.dated == day("2019-02-28")
    found = client.get(reverse("articles:search"), {"q": "harbour", "from": "2019-02-01", "to": "2019-02-28"})
    assert "plan approved" in found.content.decode()  # the title, its matched word marked
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Published: Feb. 28, 2019" not in page.split('id="article"')[1]  # a line of metadata, not of text


def test_a_staff_edit_is_one_transaction_so_a_failed_date_step_keeps_the_old_text(
    client, django_user_model, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError

    from articles.services import articles as article_services

    article = import_article(text=UNDATED)
    staff = django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    client.force_login(staff)

    def date_step_fails(**kwargs):  # the date step failing after the text step, as a full disk would
        raise DatabaseError("disk full")

    monkeypatch.setattr(article_services, "article_date_set", date_step_fails)
    url = reverse("articles:article_text_edit", args=[article.pk])
    with django_capture_on_commit_callbacks() as queued, pytest.raises(DatabaseError):
        client.post(url, {"text": "Update: the pier is late.\n\n" + article.text, "published": "2019-02-28"})
    stored = Article.objects.get()
    assert (stored.text, stored.dated) == (article.text, None)
    assert queued == []  # no analysis of a text that was never stored
    found = client.get(reverse("articles:search"), {"q": "pier late"}).content.decode()
    assert "Harbour plan approved" not in found  # nor is it in the search index
