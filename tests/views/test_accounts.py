"""Signing up, logging in and out."""

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.urls import reverse

from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_logout_is_a_post(client, alice):
    logged_in(client, alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_signup_logs_in_and_returns_to_the_article(client, article):
    next_url = article.get_absolute_url()
    response = client.post(
        reverse("signup") + f"?next={next_url}",
        {
            "username": "carol",
            "password1": "correct-horse-9",
            "password2": "correct-horse-9",
            "next": next_url,
        },
    )
    assert response.status_code == 302 and response["Location"] == next_url
    page = client.get(next_url).content.decode()
    assert "carol" in page and 'id="annotate-toolbar"' in page and "Log out" in page
    client.post(reverse("logout"))
    bad = client.post(reverse("signup"), {"username": "dave", "password1": "x", "password2": "y"})
    assert bad.status_code == 400 and not User.objects.filter(username="dave").exists()


def test_login_page_and_anonymous_reading(client, article, alice):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Log in" in page and "Sign up" in page and "Log in to highlight and annotate" in page
    assert 'id="article-text"' not in page
    response = client.post(reverse("login"), {"username": "alice", "password": "a-long-password-1"})
    assert response.status_code == 302
    assert "alice" in client.get("/").content.decode()


HOME, AWAY = {"REMOTE_ADDR": "192.0.2.10"}, {"REMOTE_ADDR": "198.51.100.20"}


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_ten_failed_log_ins_lock_the_account_from_that_address_even_with_the_right_password(
    client, alice, bob, caplog
):
    for attempt in range(9):
        assert log_in(client, "alice", f"wrong-{attempt}", **HOME).status_code == 200
    tenth = log_in(client, "alice", "wrong-9", **HOME)
    assert tenth.status_code == 429
    right = log_in(client, "alice", "a-long-password-1", **HOME)
    page = right.content.decode()
    assert right.status_code == 429 and "<h1>Log-in paused</h1>" in page
    assert "Too many failed log-ins for this account or from this address" in page
    assert "Try again in 15 minutes." in page and 'class="site-header"' in page  # a page, not a bare message
    assert "_auth_user_id" not in client.session
    assert any(r.name.startswith("axes") and "Locking out" in r.getMessage() for r in caplog.records)
    # A stranger's ten guesses lock neither alice elsewhere nor anyone else from that address.
    assert log_in(client, "alice", "a-long-password-1", **AWAY).status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, "bob", "a-long-password-2", **HOME).status_code == 302


def test_fifty_failures_from_many_addresses_lock_the_account_everywhere(client, alice):
    for address in range(5):
        for attempt in range(10):
            log_in(client, "alice", f"wrong-{attempt}", REMOTE_ADDR=f"203.0.113.{address + 1}")
    assert log_in(client, "alice", "a-long-password-1", **AWAY).status_code == 429


def test_thirty_failures_from_one_address_lock_out_every_account_from_it(client, bob):
    for attempt in range(30):
        log_in(client, f"guess{attempt}", "wrong-password", **HOME)
    assert log_in(client, "bob", "a-long-password-2", **HOME).status_code == 429
    assert log_in(client, "bob", "a-long-password-2", **AWAY).status_code == 302


def test_a_few_mistakes_do_not_lock_anyone_out(client, alice):
    for attempt in range(5):
        log_in(client, "alice", f"wrong-{attempt}", **HOME)
    assert log_in(client, "alice", "a-long-password-1", **HOME).status_code == 302


def test_the_lockout_ends_after_its_cool_off(client, alice):
    import datetime

    from axes.models import AccessAttempt

    for attempt in range(10):
        log_in(client, "alice", f"wrong-{attempt}", **HOME)
    assert log_in(client, "alice", "a-long-password-1", **HOME).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=14))
    assert log_in(client, "alice", "a-long-password-1", **HOME).status_code == 429  # still inside it
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert log_in(client, "alice", "a-long-password-1", **HOME).status_code == 302


@pytest.mark.parametrize("wanted", ["abc", "'-alert('Q4')-'", "//evil.example/", "https://evil.example/"])
def test_signing_up_while_logged_in_goes_to_the_library_unless_next_is_a_path_here(client, alice, wanted):
    logged_in(client, alice)
    response = client.get(reverse("signup"), {"next": wanted})
    assert response.status_code == 302 and response["Location"] == reverse("articles:list")
    assert client.get(reverse("signup"), {"next": "/collections/"})["Location"] == "/collections/"


def test_log_in_and_sign_up_are_one_page_each_with_its_own_words_and_links(client):
    login = client.get(reverse("login"), {"next": "/collections/"}).content.decode()
    signup = client.get(reverse("signup"), {"next": "/collections/"}).content.decode()
    assert "<title>Log in · newsreader</title>" in login and "<h1>Log in</h1>" in login
    assert f'action="{reverse("login")}"' in login and "Forgot your password?" in login
    assert f'href="{reverse("signup")}?next=/collections/">Sign up</a>' in login
    assert "<title>Sign up · newsreader</title>" in signup and "<h1>Sign up</h1>" in signup
    assert f'action="{reverse("signup")}"' in signup and "Forgot your password?" not in signup
    assert f'href="{reverse("login")}?next=/collections/">Log in</a>' in signup
    for page in (login, signup):
        assert '<input type="hidden" name="next" value="/collections/">' in page


def _sign_up(client, username: str):
    password = "correct-horse-9"
    form = {"username": username, "password1": password, "password2": password}
    return client.post(reverse("signup"), form)


@pytest.mark.parametrize(
    "username, message",
    [
        ("bоb", "mixes letters of two"),  # a Cyrillic о between Latin letters
        ("ЬоЬ", "looks the same as “bob”"),  # all Cyrillic, and reads as bob
        ("ｂｏｂ", "A user with that username already exists"),  # full-width: the same name once normalised
        ("Bob", "A user with that username already exists"),
    ],
)
def test_a_user_name_that_passes_for_another_is_refused(client, bob, username, message):
    response = _sign_up(client, username)
    assert response.status_code == 400 and message in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["bob"]


@pytest.mark.parametrize("username", ["José", "Борис", "ΑΒΓ", "pop"])
def test_names_in_one_alphabet_that_read_as_no_one_else_s_are_welcome(client, bob, username):
    assert _sign_up(client, username).status_code == 302
    assert User.objects.filter(username=username).exists()


def test_a_latin_name_that_reads_as_an_existing_name_in_another_alphabet_is_refused(client, db):
    User.objects.create_user("ЬоЬ", password="a-long-password-4")
    response = _sign_up(client, "bob")
    assert response.status_code == 400 and "looks the same as “ЬоЬ”" in response.content.decode()
    assert not User.objects.filter(username="bob").exists()
    assert _sign_up(client, "alice").status_code == 302
