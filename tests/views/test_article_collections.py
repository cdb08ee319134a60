"""The article page shows the reader's collections that hold it, as links, and adds it to another or a new one
through the library's bulk form; the cached page follows at once."""

import pytest
from django.urls import reverse

from articles.models import Collection
from articles.services.collections import collection_create
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def _add(client, article, **fields):
    data = {"articles": article.pk, "action": "label", "next": article.get_absolute_url(), **fields}
    return client.post(reverse("articles:library_bulk"), data)


def test_an_article_is_added_to_a_new_and_an_existing_collection_from_its_page(client, article, alice, bob):
    collection_create(user=bob, name="Bob's reading")  # another reader's: never offered nor shown
    logged_in(client, alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "In no collection" in page and "Add to collection" in page and "Bob's reading" not in page

    response = _add(client, article, new_collection="Budget fights")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    budget = Collection.objects.get(user=alice)
    assert list(budget.articles.all()) == [article]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Added 1 article to “Budget fights”." in page
    assert f'<a class="tag" href="{budget.get_absolute_url()}">Budget fights</a>' in page

    # An existing collection is offered until the article is in it; the page, from the cache, follows.
    council = collection_create(user=alice, name="Council")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<option value="{council.pk}">Council</option>' in page
    _add(client, article, collection=council.pk)
    client.get(article.get_absolute_url())  # the message, shown once
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<option value="{council.pk}">' not in page
    assert "Budget fights</a>, <a" in page and ">Council</a>" in page
    assert set(article.collections.values_list("name", flat=True)) == {"Budget fights", "Council"}


def test_an_anonymous_reader_sees_no_collection_form(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Add to collection" not in page and "In no collection" not in page


def test_a_bad_collection_from_the_article_page_writes_nothing(client, article, alice, bob):
    others = collection_create(user=bob, name="Bob's")
    logged_in(client, alice)
    response = _add(client, article, collection=others.pk)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose one of your collections, or name a new one." in page
    assert not others.articles.exists() and not Collection.objects.filter(user=alice).exists()
