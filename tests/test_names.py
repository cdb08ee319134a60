"""The matching rule: when two names in different articles are one person or organisation."""

import pytest

from articles import names
from articles.names import actor_key

pytestmark = pytest.mark.django_db


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
    "name, full",
    [("Trump", "Donald Trump"), ("President Trump", "Ivanka Trump"), ("Mr. Pompeo", "Mike Pompeo")],
)
def test_a_bare_surname_is_never_matched_to_a_full_name(name, full):
    assert actor_key(name, "PERSON") not in ("", actor_key(full, "PERSON"))


def test_the_same_bare_name_in_two_articles_is_one_actor():
    assert (
        actor_key("Trump", "PERSON")
        == actor_key("President Trump", "PERSON")
        == actor_key("Mr. Trump", "PERSON")
    )


def test_organisations_match_without_a_leading_the_and_places_get_no_actor():
    assert actor_key("The Pentagon", "ORG") == actor_key("Pentagon", "ORG") == "pentagon"
    assert actor_key("U.S. Senate", "ORG") == actor_key("US Senate", "ORG")
    assert actor_key("Hanoi", "GPE") == ""


def test_actor_is_shown_without_the_title():
    assert names.actor_name("Secretary of State Mike Pompeo", "PERSON") == "Mike Pompeo"
    assert names.actor_name("the Pentagon", "ORG") == "Pentagon"
