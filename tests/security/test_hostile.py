"""Every hostile input in tests/security/cases.py gets its exact expected answer (never a 5xx), shows its
message, writes nothing when refused, and never puts live markup or someone's private note in a page."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Annotation, Article, Block, Entity, Mention, Quote
from tests.helpers import HTMX
from tests.security.cases import CASES, PRIVATE_NOTE, PUBLIC_NOTE, Case, build_world, fill, live_markup

pytestmark = pytest.mark.django_db

COUNTED = (Article, Block, Entity, Mention, Quote, Annotation, User)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def world(article, alice, bob) -> dict:
    return {**build_world(article, alice), "users": {"alice": alice, "bob": bob}}


def send(case: Case, world: dict):
    client = Client(enforce_csrf_checks=not case.csrf)
    if case.user != "anon":
        client.force_login(world["users"][case.user])
    places = {key: value for key, value in world.items() if key != "users"}
    path = fill(case.path, places)
    headers = {"REMOTE_ADDR": "192.0.2.66", **(HTMX if case.htmx else {})}
    data = {key: fill(value, places) for key, value in case.data.items()}
    if case.method == "GET":
        return client, client.get(path, data, **headers)
    if case.body is not None:
        return client, client.post(
            path, case.body, content_type="application/x-www-form-urlencoded", **headers
        )
    for name, (filename, content) in case.files.items():
        data[name] = SimpleUploadedFile(filename, content)
    return client, client.post(path, data, **headers)


def test_there_are_enough_cases():
    assert len(CASES) >= 60 and len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input(case: Case, world):
    before = row_counts()
    client, response = send(case, world)
    body = response.content.decode("utf-8", "replace")
    assert response.status_code == case.status, body[:2000]
    assert case.shown() in body
    if response.status_code in (301, 302):
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//"), location  # never off-site
        response = client.get(location)
        body = response.content.decode()
    for text in case.hidden():
        assert text not in body
    if response.get("Content-Type", "").startswith("text/html") or "<html" in body:
        assert live_markup(body) == []
    if not case.stores:
        assert row_counts() == before
    assert not Annotation.objects.filter(note=PRIVATE_NOTE).exclude(user__username="alice").exists()
    assert Annotation.objects.filter(note=PUBLIC_NOTE).count() == 1
