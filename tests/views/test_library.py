"""A person's page, who is quoted, and the library pages' query counts."""

import re

import pytest
from django.urls import reverse

from articles.models import Actor, Article, Entity
from tests.helpers import HTMX, day, import_article, story

pytestmark = pytest.mark.django_db


def _many(n: int) -> None:
    for i in range(n):
        import_article(
            text=story(
                f"Budget vote number {i}",
                f"“We will vote on Tuesday,” said Mike Pompeo, on day {i} of the talks with Toyota.",
                f"Jane Roe, a spokeswoman, said the count was {i}.",
            ),
            source="Gazette" if i % 2 else "Daily Planet",
            published=day(f"2019-{1 + i % 12:02d}-01"),
        )


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


THIRTY_SPEAKERS = [
    "Maria Lopez",
    "John Smith",
    "Anna Kowalski",
    "David Chen",
    "Sarah Johnson",
    "Michael Brown",
    "Laura Garcia",
    "James Wilson",
    "Emily Davis",
    "Robert Miller",
    "Linda Martinez",
    "William Taylor",
    "Susan Anderson",
    "Thomas Moore",
    "Karen Jackson",
    "Daniel White",
    "Nancy Harris",
    "Paul Martin",
    "Lisa Thompson",
    "Mark Robinson",
    "Sandra Clark",
    "Steven Lewis",
    "Donna Walker",
    "Kevin Hall",
    "Carol Allen",
    "Brian Young",
    "Helen King",
    "George Wright",
    "Ruth Scott",
    "Edward Green",
]


def thirty_speakers() -> Article:
    """One article quoting thirty people once each, Maria Lopez twice."""
    paragraphs = [
        f"“We will vote on item {i} next week,” said {name}." for i, name in enumerate(THIRTY_SPEAKERS)
    ]
    paragraphs.append("“And we will win,” said Maria Lopez.")
    return import_article(
        text=story("Council votes on thirty items", *paragraphs),
        source="Gazette",
        published=day("2019-03-01"),
    )


def _ranking(page: str) -> list[tuple[int, str]]:
    table = page[page.index('class="ranking"') : page.index("</table>")]
    return [
        (int(rank), name) for rank, name in re.findall(r"<tr><td>(\d+)</td><td><a [^>]*>([^<]+)</a>", table)
    ]


def test_who_is_quoted_pages_through_every_speaker(client):
    thirty_speakers()
    url = reverse("articles:who_is_quoted")
    first = client.get(url, {"source": "Gazette"}).content.decode()
    ranking = _ranking(first)
    assert [rank for rank, _ in ranking] == list(range(1, 26))
    assert ranking[0][1] == "Maria Lopez"
    assert "1 to 25 of 30" in first and "Page 1 of 2" in first
    next_link = re.search(r'<a rel="next" href="\?([^"]+)">Less quoted →</a>', first)
    assert next_link and next_link.group(1).replace("&amp;", "&") == "source=Gazette&page=2"

    second = client.get(url, {"source": "Gazette", "page": 2}).content.decode()
    assert [rank for rank, _ in _ranking(second)] == list(range(26, 31))
    assert '<a rel="prev" href="?source=Gazette&amp;page=1">← More quoted</a>' in second
    assert {name for _, name in ranking + _ranking(second)} == set(THIRTY_SPEAKERS)
    # The chart keeps the most quoted on every page.
    assert 'aria-label="Maria Lopez: 2 quotes"' in second

    # A page past the end shows the last one; a word is page 1.
    assert _ranking(client.get(url, {"page": 9}).content.decode()) == _ranking(second)
    assert _ranking(client.get(url, {"page": "x"}).content.decode()) == ranking


@pytest.mark.parametrize("said", ["quoted", "reported", "all"])
def test_who_is_quoted_total_is_what_its_table_adds_up_to_undated_articles_included(client, said):
    import_article(
        text=story(
            "Budget vote in January",
            "“We will vote on Tuesday,” said Mike Pompeo, at the start of the talks with Toyota.",
            "Jane Roe, a spokeswoman, said the count was close.",
        ),
        published=day("2019-01-10"),
    )
    undated = story(
        "Budget vote with no date",
        "“We will not back down,” said Mike Pompeo. “The talks go on,” said Jane Roe, a spokeswoman.",
        "Mike Pompeo said the deal was near, and Jane Roe said the count was close.",
    )
    import_article(text=undated)  # no publication date: counted for its speakers, in no month
    page = client.get(reverse("articles:who_is_quoted"), {"said": said}).content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [int(n) for n in re.findall(r"<td>(\d+)</td></tr>", table)]
    total = int(re.search(r'<p class="actor-summary">(\d+) ', page).group(1))
    assert len(rows) == 2 and total == sum(rows)
    months = re.findall(r"<title>[A-Z][a-z]{2} \d{4}: (\d+)</title>", page)
    assert 0 < sum(int(n) for n in months) < total  # the month chart leaves the undated ones out ...
    undated_count = total - sum(int(n) for n in months)
    assert f"({undated_count} from articles without a known date are in no month)" in page  # ... and says so
