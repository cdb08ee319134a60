"""Rate limits on adding articles, importing annotations and signing up (articles/throttling.py)."""

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from articles.models import Annotation, Article, RateCount
from articles.throttling import client_address, parse_rate
from tests.conftest import ROOT
from tests.helpers import HTMX, create_annotation, logged_in

pytestmark = pytest.mark.django_db

HOME, AWAY = {"REMOTE_ADDR": "192.0.2.10"}, {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def limits(settings):
    settings.NEWSREADER_RATE_LIMITS = {
        "add": "3/hour",
        "import": "1/hour",
        "signup": "2/hour",
        "feeds": "3/hour",
        "annotate": "3/hour",
    }


def add_article(client, number: int, **extra):
    text = f"Story number {number}\n\nThe council met on day {number} and agreed nothing at all, again."
    return client.post(reverse("articles:create"), {"text": text}, **extra)


def test_rates_are_read_as_n_per_period():
    assert (parse_rate("20/hour").count, parse_rate("20/hour").seconds) == (20, 3600)
    assert parse_rate(" 5 / Minute ").seconds == 60
    for bad in ("20", "x/hour", "20/week", "-1/day"):
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad)


def test_the_fourth_article_from_one_address_is_refused_and_not_stored(client, limits):
    for number in range(3):
        assert add_article(client, number, **HOME).status_code == 302
    refused = add_article(client, 3, **HOME)
    page = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"].isdigit()
    assert "Too many articles added from this account or address: the limit is 3 per hour." in page
    assert "Try again in" in page and "<h1>Too many requests</h1>" in page
    assert Article.objects.count() == 3
    assert (
        client.get(reverse("articles:create"), **HOME).status_code == 200
    )  # reading the form is not limited
    assert add_article(client, 4, **AWAY).status_code == 302  # another address is not affected
    assert Article.objects.count() == 4


def test_an_account_is_limited_from_every_address_and_others_are_not(client, limits, alice, bob):
    logged_in(client, alice)
    for number in range(3):
        assert add_article(client, number, **HOME).status_code == 302
    assert add_article(client, 3, **AWAY).status_code == 429  # the account's own count
    logged_in(client, bob)
    assert add_article(client, 4, **AWAY).status_code == 302
    assert Article.objects.count() == 4


def test_a_refused_htmx_post_gets_a_message_fragment_for_the_top_of_the_page(client, limits):
    for number in range(3):
        add_article(client, number, **HOME)
    refused = add_article(client, 3, **HOME, **HTMX)
    body = refused.content.decode()
    assert refused.status_code == 429 and body.startswith('<p class="limit-notice" role="alert">')
    assert "<html" not in body and refused["HX-Retarget"] == "#main"


def test_the_limit_ends_with_its_window(client, limits, monkeypatch):
    clock = [7200.0]
    monkeypatch.setattr("articles.throttling.time", SimpleNamespace(time=lambda: clock[0]))
    for number in range(3):
        add_article(client, number, **HOME)
    assert add_article(client, 3, **HOME).status_code == 429
    clock[0] += 3600
    assert add_article(client, 3, **HOME).status_code == 302


def test_imports_are_limited_per_account(client, limits, article, alice, bob):
    create_annotation(alice, article, visibility="public")
    first = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"])).content.decode()
    Annotation.objects.all().delete()
    create_annotation(alice, article, passage="Residents queued outside the hall", visibility="public")
    second = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"])).content.decode()
    Annotation.objects.all().delete()
    url = reverse("articles:annotations_import", args=[article.pk])
    logged_in(client, alice)
    assert client.post(url, {"json": first}, **HOME).status_code == 302
    refused = client.post(url, {"json": second}, **AWAY)
    assert refused.status_code == 429 and "Too many imports" in refused.content.decode()
    assert Annotation.objects.count() == 1
    assert client.get(url, **HOME).status_code == 200
    logged_in(client, bob)
    assert client.post(url, {"json": second}, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert Annotation.objects.count() == 2


def test_the_fourth_annotation_of_an_account_is_refused_and_not_stored_from_any_address(
    client, limits, article, alice, bob
):
    from tests.helpers import post_new_annotation

    logged_in(client, alice)
    for number in range(3):
        address = {"REMOTE_ADDR": f"192.0.2.{number + 1}"}
        assert post_new_annotation(client, article, note=f"Note {number}", headers=address).status_code == 302
    refused = post_new_annotation(client, article, note="Note 3", headers=AWAY)
    assert refused.status_code == 429 and "Too many annotations and highlights" in refused.content.decode()
    quick = post_new_annotation(client, article, quick="1", headers={**AWAY, **HTMX})  # a toolbar highlight
    assert quick.status_code == 429 and quick["HX-Retarget"] == "#main"
    assert Annotation.objects.filter(user=alice).count() == 3
    logged_in(client, bob)
    assert post_new_annotation(client, article, note="Bob's", headers=HOME).status_code == 302


def test_signups_from_one_address_are_limited(client, limits):
    def sign_up(name, **extra):
        client.post(reverse("logout"))
        data = {"username": name, "password1": "correct-horse-9", "password2": "correct-horse-9"}
        return client.post(reverse("signup"), data, **extra)

    assert sign_up("carol", **HOME).status_code == 302
    assert sign_up("dave", **HOME).status_code == 302
    refused = sign_up("erin", **HOME)
    assert refused.status_code == 429 and "Too many sign-ups" in refused.content.decode()
    assert not User.objects.filter(username="erin").exists()
    assert sign_up("erin", **AWAY).status_code == 302


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_added(rf, settings):
    forwarded = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.10"}
    settings.NEWSREADER_BEHIND_PROXY = False
    assert client_address(rf.get("/", **forwarded)) == "10.0.0.1"  # the header is not trusted
    settings.NEWSREADER_BEHIND_PROXY = True
    assert client_address(rf.get("/", **forwarded)) == "192.0.2.10"
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")) == "10.0.0.1"


def test_counts_of_ended_windows_are_deleted_when_a_new_window_begins(client, limits, monkeypatch):
    clock = [7200.0]
    monkeypatch.setattr("articles.throttling.time", SimpleNamespace(time=lambda: clock[0]))
    add_article(client, 0, **HOME)
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]
    clock[0] = 10**9  # long after: the first window has ended
    add_article(client, 1, **HOME)
    assert [row.key for row in RateCount.objects.all()] == [f"add:hour:address:192.0.2.10:{10**9 // 3600}"]


# Two processes (two gunicorn workers, or two hosts on one database) post at once, each from its own
# connection; with per-process counts each would allow the whole limit.
POSTER = """
import sys
import django
django.setup()
from django.conf import settings
# As in the tests (conftest): no collectstatic manifest.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()
client = Client()
codes = []
for number in range(5):
    text = f"Story {sys.argv[1]}-{number}\\n\\nThe council met on day {number} of round {sys.argv[1]} and agreed nothing."
    codes.append(client.post(reverse("articles:create"), {"text": text}, REMOTE_ADDR="192.0.2.10").status_code)
print(" ".join(map(str, codes)))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_limit():
    from tests.helpers import database_url

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "newsreader.settings",
        "NEWSREADER_ADD_LIMIT": "6/hour",
        "NEWSREADER_OPEN_SUBMISSIONS": "true",  # the posters add without an account, as tests/conftest.py lets them
    }
    posters = [
        subprocess.Popen(
            [sys.executable, "-c", POSTER, name], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for name in ("one", "two")
    ]
    codes = []
    for poster in posters:
        out, _ = poster.communicate(timeout=120)
        assert poster.returncode == 0
        codes += out.split()
    assert sorted(codes) == ["302"] * 6 + ["429"] * 4
    assert Article.objects.count() == 6
    assert RateCount.objects.get(key__contains="address:192.0.2.10").count == 10
