import re

import pytest
from django.urls import reverse

from articles import library
from articles.library import actor_key
from articles.models import Actor, Article, Entity, QuoteTally
from articles.services import article_delete, article_import, article_reanalyse
from tests.library_helpers import day, story

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    "one, other",
    [
        ("Mike Pompeo", "Secretary of State Mike Pompeo"),
        ("Mike Pompeo", "Mike Pompeo’s"),
        ("Michael R. Pompeo", "Michael Pompeo"),
        ("Nancy Pelosi", "House Speaker Nancy Pelosi"),
        ("Martin Luther King Jr.", "Martin Luther King"),
        ("José Martínez", "Jose Martinez"),
    ],
)
def test_a_person_named_with_title_initial_or_accent_is_the_same_person(one, other):
    assert actor_key(one, "PERSON") == actor_key(other, "PERSON") != ""


@pytest.mark.parametrize("one, other", [("Donald Trump", "Ivanka Trump"), ("Mike Pompeo", "Mike Pence")])
def test_people_sharing_only_a_surname_or_given_name_are_different_people(one, other):
    assert actor_key(one, "PERSON") != actor_key(other, "PERSON")


@pytest.mark.parametrize(
    "name, full", [("Trump", "Donald Trump"), ("President Trump", "Ivanka Trump"), ("Mr. Pompeo", "Mike Pompeo")]
)
def test_a_bare_surname_is_never_matched_to_a_full_name(name, full):
    assert actor_key(name, "PERSON") not in ("", actor_key(full, "PERSON"))


def test_the_same_bare_name_in_two_articles_is_one_actor():
    assert actor_key("Trump", "PERSON") == actor_key("President Trump", "PERSON") == actor_key("Mr. Trump", "PERSON")


def test_organisations_match_without_a_leading_the_and_places_get_no_actor():
    assert actor_key("The Pentagon", "ORG") == actor_key("Pentagon", "ORG") == "pentagon"
    assert actor_key("U.S. Senate", "ORG") == actor_key("US Senate", "ORG")
    assert actor_key("Hanoi", "GPE") == ""


def test_actor_is_shown_without_the_title():
    assert library.actor_name("Secretary of State Mike Pompeo", "PERSON") == "Mike Pompeo"
    assert library.actor_name("the Pentagon", "ORG") == "Pentagon"


POMPEO_ONE = story(
    "Pompeo heads to Asia",
    "Secretary of State Mike Pompeo flew to Tokyo on Monday for talks on trade.",
    "“We will not back down,” Mr. Pompeo said after meeting officials from Toyota.",
)
POMPEO_TWO = story(
    "Talks stall in Seoul",
    "Mike Pompeo met South Korean officials on Friday as the talks stalled.",
    "“There is more work to do,” Pompeo told reporters at the airport.",
    "“We remain hopeful,” said Jane Roe, a spokeswoman for Toyota.",
)


@pytest.fixture
def two_pompeo_articles():
    first = article_import(text=POMPEO_ONE, source="Daily Planet", published=day("2019-01-10"))
    second = article_import(text=POMPEO_TWO, source="Gazette", published=day("2019-03-02"))
    return first, second


def test_the_same_person_in_two_articles_is_one_actor(two_pompeo_articles):
    pompeo = Actor.objects.get(label="PERSON", key="mike pompeo")
    assert pompeo.name == "Mike Pompeo"
    articles = set(Entity.objects.filter(actor=pompeo).values_list("article_id", flat=True))
    assert articles == {a.pk for a in two_pompeo_articles}


def test_person_page_lists_articles_mentions_and_quotes_newest_first(client, two_pompeo_articles):
    first, second = two_pompeo_articles
    pompeo = Actor.objects.get(key="mike pompeo")
    page = client.get(pompeo.get_absolute_url()).content.decode()
    assert "Mike Pompeo" in page and "in 2 articles" in page
    assert page.index("There is more work to do") < page.index("We will not back down")
    assert page.index(second.title) < page.index(first.title)
    assert re.search(r"2 mentions", page)


def test_entity_panel_links_to_the_library_page(client, two_pompeo_articles):
    first, _ = two_pompeo_articles
    entity = Entity.objects.get(article=first, actor__key="mike pompeo")
    body = client.get(entity.get_absolute_url(), **HTMX).content.decode()
    assert reverse("articles:actor", args=[entity.actor_id]) in body


def test_who_is_quoted_ranks_speakers_and_draws_charts(client, two_pompeo_articles):
    page = client.get(reverse("articles:who_is_quoted")).content.decode()
    assert "<svg" in page and "Quotes by month" in page
    ranking = page[page.index('class="ranking"') :]
    assert ranking.index("Mike Pompeo") < ranking.index("Jane Roe")
    assert "Jan 2019" in page and "Mar 2019" in page
    gazette = client.get(reverse("articles:who_is_quoted"), {"source": "Gazette"}).content.decode()
    assert "Jane Roe" in gazette and "1 attributed quote" not in gazette


def test_tallies_follow_reanalysis_and_deletion(two_pompeo_articles):
    first, second = two_pompeo_articles
    before = {(t.actor_id, t.source, t.month): t.quotes for t in QuoteTally.objects.all()}
    assert sum(before.values()) == 3
    article_reanalyse(article=first)
    assert {(t.actor_id, t.source, t.month): t.quotes for t in QuoteTally.objects.all()} == before
    article_delete(article=second)
    assert sum(QuoteTally.objects.values_list("quotes", flat=True)) == 1
    library.tallies_rebuild()
    assert sum(QuoteTally.objects.values_list("quotes", flat=True)) == 1


def _many(n: int) -> None:
    for i in range(n):
        article_import(
            text=story(
                f"Budget vote number {i}",
                f"“We will vote on Tuesday,” said Mike Pompeo, on day {i} of the talks with Toyota.",
                f"Jane Roe, a spokeswoman, said the count was {i}.",
            ),
            source="Gazette" if i % 2 else "Daily Planet",
            published=day(f"2019-{1 + i % 12:02d}-01"),
        )


@pytest.mark.parametrize("url_name", ["articles:list", "articles:who_is_quoted"])
def test_library_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries, url_name):
    _many(25)
    with django_assert_max_num_queries(8):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_person_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    _many(25)
    pompeo = Actor.objects.get(key="mike pompeo")
    with django_assert_max_num_queries(8):
        page = client.get(pompeo.get_absolute_url()).content.decode()
    assert "in 25 articles" in page and "Page 1 of 2" in page


def test_home_page_is_paginated(client):
    _many(25)
    first = client.get("/").content.decode()
    second = client.get("/", {"page": 2}).content.decode()
    assert first.count('class="article-card"') == 20 and second.count('class="article-card"') == 5
    assert "Page 2 of 2" in second
    assert Article.objects.count() == 25


def test_a_speaker_named_only_by_surname_is_on_who_is_quoted_and_has_a_page(client, seed_article):
    trump = seed_article.entities.get(name="Trump", label="PERSON")
    assert trump.actor is not None and trump.actor.name == "Trump"
    page = client.get(reverse("articles:who_is_quoted")).content.decode()
    assert "Trump" in page
    assert "He lied a lot." in client.get(reverse("articles:actor", args=[trump.actor_id])).content.decode()
