"""Hostile looks at another reader's private article: guessing ids on every address that takes one, searching
for its unique word, asking for suggestions of its unique name, and counting its speaker. 0 leaks: each is
"not found" or shows no trace of it, for an anonymous reader and for another reader."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Actor, Annotation, AnnotationJob, Entity, Quote, QuoteTally
from tests.helpers import HTMX, create_annotation, import_article, story

pytestmark = pytest.mark.django_db

SECRET = story(
    "Vantablue merger talks kept quiet",
    "Executives of Vantablue met bankers in Oslo on Thursday, people familiar with the talks said.",
    "“Nothing is decided yet,” said Orsolya Kinnaird, the chief executive of Vantablue.",
)
TRACES = ("Vantablue", "Orsolya", "Kinnaird", "Quietwater Ledger", "Nothing is decided")
OPEN = story(
    "Ferry timetable changes",
    "The ferry will leave an hour earlier from Monday, the operator said.",
    "“We listened to passengers,” said Dana Whitfield, the operator's director.",
)


@pytest.fixture(autouse=True)
def _personal_libraries(settings):
    """These tests are about personal libraries, whatever NEWSREADER_LIBRARY the suite runs with."""
    settings.NEWSREADER_LIBRARY = "personal"


def _article_paths(article_id: int, quote_id: int, entity_id: int, job_id: int) -> list[str]:
    return [
        f"/articles/{article_id}/",
        f"/articles/{article_id}/quotes/{quote_id}/",
        f"/articles/{article_id}/entities/{entity_id}/",
        f"/articles/{article_id}/annotations/",
        f"/articles/{article_id}/annotations.md",
        f"/articles/{article_id}/annotations.jsonld",
        f"/articles/{article_id}/annotations/jobs/{job_id}/",
        f"/articles/{article_id}/edit/",
        f"/articles/{article_id}/delete/",
    ]


@pytest.fixture
def world(alice, bob):
    secret = import_article(text=SECRET, source="Quietwater Ledger", public=False, reader=alice)
    public = import_article(text=OPEN, source="Harbour Times")
    annotation = create_annotation(
        alice, secret, "Nothing is decided yet", visibility="public", note="Vantablue"
    )
    job = AnnotationJob.objects.create(kind=AnnotationJob.Kind.IMPORT, article=secret, owner=bob)
    return {"secret": secret, "public": public, "annotation": annotation, "job": job, "bob": bob}


def _clients(world) -> dict[str, Client]:
    anonymous, reader = Client(), Client()
    reader.force_login(world["bob"])
    return {"anonymous": anonymous, "bob": reader}


def _leaks(client: Client, path: str, headers: dict, *, must_404: bool) -> list[str]:
    response = client.get(path, **headers)
    body = response.content.decode("utf-8", "replace")
    echoed = path.replace("+", " ").replace("%20", " ")
    found = [trace for trace in TRACES if trace in body and trace not in echoed]
    if response.status_code >= 500 or (must_404 and response.status_code != 404):
        found.append(f"HTTP {response.status_code}")
    return [f"{path} {'htmx' if headers else ''}: {what}" for what in found]


def test_guessing_ids_finds_nothing_of_a_private_article(world):
    secret, public = world["secret"], world["public"]
    secret_quotes = list(Quote.objects.filter(article=secret).values_list("pk", flat=True))
    secret_entities = list(Entity.objects.filter(article=secret).values_list("pk", flat=True))
    public_quote = Quote.objects.filter(article=public).first().pk
    public_entity = Entity.objects.filter(article=public).first().pk
    only_secret_actors = [
        actor.pk
        for actor in Actor.objects.all()
        if not Entity.objects.filter(actor=actor, article=public).exists()
    ]
    leaks, looks = [], 0
    for name, client in _clients(world).items():
        for headers in ({}, HTMX):
            for quote_id in [*secret_quotes, public_quote]:
                for entity_id in [*secret_entities, public_entity]:
                    for path in _article_paths(secret.pk, quote_id, entity_id, world["job"].pk):
                        # An anonymous reader is asked to log in first on these, whatever the id.
                        login_first = name == "anonymous" and path.endswith(
                            ("/edit/", "/delete/", f"/{world['job'].pk}/")
                        )
                        leaks += _leaks(client, path, headers, must_404=not login_first)
                        looks += 1
            # The public article's panels with the private article's quote and name ids.
            for quote_id in secret_quotes:
                leaks += _leaks(client, f"/articles/{public.pk}/quotes/{quote_id}/", headers, must_404=True)
            for entity_id in secret_entities:
                leaks += _leaks(
                    client, f"/articles/{public.pk}/entities/{entity_id}/", headers, must_404=True
                )
            for actor_id in only_secret_actors:
                leaks += _leaks(client, f"/library/{actor_id}/", headers, must_404=True)
            annotation = world["annotation"].pk
            for path in (f"/annotations/{annotation}/", f"/annotations/{annotation}/edit/"):
                leaks += _leaks(client, path, headers, must_404=False)
            looks += len(secret_quotes) + len(secret_entities) + len(only_secret_actors) + 2
    assert looks > 100 and leaks == []


def test_searching_suggesting_and_counting_find_no_trace_of_a_private_article(world):
    kinnaird = Actor.objects.get(name__contains="Kinnaird")
    kind = "person" if kinnaird.label == "PERSON" else "org"
    paths = [
        "/search/?q=Vantablue",
        "/search/?q=%22merger+talks+kept+quiet%22",
        "/search/?q=Kinnaird",
        "/search/?q=Vantablue&source=Quietwater+Ledger",
        "/search/?source=Quietwater+Ledger",
        "/search/?q=ferry",
        "/search/",
        f"/search/?{kind}=Kinnaird",
        f"/search/?{kind}={kinnaird.pk}",
        f"/search/suggest/{kind}/?{kind}=Orso",
        f"/search/suggest/{kind}/?{kind}=Kinn",
        f"/search/suggest/{kind}/?{kind}=nnair",
        "/who-is-quoted/",
        "/who-is-quoted/?said=all",
        "/who-is-quoted/?said=reported",
        "/who-is-quoted/?source=Quietwater+Ledger",
        "/",
        "/?library=all",
        "/?library=public",
        "/?library=mine",
        "/notebook/",
        "/notebook/export.md",
        "/notebook/export.jsonld",
    ]
    leaks = []
    for client in _clients(world).values():
        for path in paths:
            leaks += _leaks(client, path, {}, must_404=False)
    assert leaks == []
    # Counting the speaker: the tallies anyone else reads do not count the private quote.
    assert QuoteTally.objects.visible_to(None).total_for(kinnaird, "all") == 0
    assert QuoteTally.objects.visible_to(world["bob"]).total_for(kinnaird, "all") == 0
    # Only Alice's own tallies do.
    assert QuoteTally.objects.visible_to(User.objects.get(username="alice")).total_for(kinnaird, "all") >= 1
    assert Annotation.objects.visible_to(world["bob"]).count() == 0
