"""Actors shared across articles and the quote tallies kept in step with them."""

import pytest

from articles.models import Actor, Entity, QuoteTally
from articles.services.analysis import article_reanalyze
from articles.services.articles import article_delete

pytestmark = pytest.mark.django_db


def test_the_same_person_in_two_articles_is_one_actor(two_pompeo_articles):
    pompeo = Actor.objects.get(label="PERSON", key="mike pompeo")
    assert pompeo.name == "Mike Pompeo"
    articles = set(Entity.objects.filter(actor=pompeo).values_list("article_id", flat=True))
    assert articles == {a.pk for a in two_pompeo_articles}


def test_tallies_follow_reanalysis_and_deletion(two_pompeo_articles):
    first, second = two_pompeo_articles
    before = {
        (t.actor_id, t.source, t.month): t.quotes
        for t in QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE)
    }
    assert sum(before.values()) == 3
    article_reanalyze(article=first)
    assert {
        (t.actor_id, t.source, t.month): t.quotes
        for t in QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE)
    } == before
    article_delete(article=second)
    assert (
        sum(QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).values_list("quotes", flat=True)) == 1
    )
