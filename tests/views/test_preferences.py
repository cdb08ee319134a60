"""POST /preferences/: accounts keep settings in a row, anonymous readers in their cookie; every page reads them."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.context_processors import COOKIE
from articles.models import ReaderPreferences
from tests.helpers import HTMX, logged_in

pytestmark = pytest.mark.django_db
URL = "/preferences/"


def test_the_url_is_named_preferences():
    assert reverse("preferences") == URL


def test_a_plain_form_keeps_the_settings_and_returns_to_a_safe_next(client, alice, article):
    logged_in(client, alice)
    back = article.get_absolute_url()
    response = client.post(URL, {"font_size": "larger", "line_width": "wide", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    page = client.get(back).content.decode()
    assert 'data-font-size="larger"' in page and 'data-line-width="wide"' in page
    for wanted in ("https://evil.example/", "abc"):  # only a path on this site, as after signing up
        elsewhere = client.post(URL, {"typeface": "sans", "next": wanted})
        assert elsewhere.status_code == 302 and elsewhere["Location"] == URL
    assert ReaderPreferences.objects.get(user=alice).typeface == "sans"


def test_htmx_saves_answer_no_content(client, alice):
    logged_in(client, alice)
    response = client.post(URL, {"hidden_types": ["", "PERSON", "DATE"]}, **HTMX)
    assert response.status_code == 204
    assert ReaderPreferences.objects.get(user=alice).hidden_types == ["PERSON", "DATE"]
    client.post(URL, {"hidden_types": [""]}, **HTMX)
    assert ReaderPreferences.objects.get(user=alice).hidden_types == []


def test_the_settings_page_lists_the_types_shown(client, alice):
    logged_in(client, alice)
    client.post(URL, {"shown_types": ["", "quote", "ORG"]})
    hidden = ReaderPreferences.objects.get(user=alice).hidden_types
    assert "quote" not in hidden and "ORG" not in hidden and "PERSON" in hidden
    page = client.get(URL).content.decode()
    assert 'value="PERSON">' in page and 'value="ORG" checked>' in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"theme": "sepia"}, "Theme cannot be “sepia”"),
        ({"font_size": "large", "size": "9"}, "Unknown setting “size”"),
        ({"hidden_types": ["", "WEAPON"]}, "Unknown highlight type “WEAPON”"),
        ({"shown_types": ["", "<b>x</b>"]}, "Unknown highlight type “&lt;b&gt;x&lt;/b&gt;”"),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_written(client, alice, data, message):
    logged_in(client, alice)
    response = client.post(URL, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReaderPreferences.objects.exists()
    htmx = client.post(URL, data, **HTMX)
    assert htmx.status_code == 400 and htmx["Content-Type"].startswith("text/plain")
    assert not ReaderPreferences.objects.exists()


def test_an_account_must_send_its_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    logged_in(client, alice)
    assert client.post(URL, {"theme": "dark"}).status_code == 403
    assert not ReaderPreferences.objects.exists()


def test_anonymous_readers_keep_settings_in_their_cookie_and_no_row_is_written(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"font_size": "small", "hidden_types": ["", "quote"]})
    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert not cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-font-size="small"' in page and 'data-hidden-types="quote"' in page
    assert 'data-toggle="quote">' in page  # the legend's switch is off
    assert not ReaderPreferences.objects.exists() and not User.objects.exists()
    refused = client.post(URL, {"font_size": "huge"})
    assert refused.status_code == 400 and COOKIE not in refused.cookies


def test_a_garbled_cookie_reads_as_the_defaults(client, article):
    client.cookies[COOKIE] = "font_size%3D%3Cscript%3E%26line_width%3Dwide%26junk"
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        'data-font-size="medium"' in page
        and 'data-line-width="wide"' in page
        and "<script>" not in page.split("<body")[0].split("<head>")[0]
    )


def test_a_cached_article_page_changes_with_the_settings(client, alice, article):
    logged_in(client, alice)
    url = article.get_absolute_url()
    client.get(url)  # sets the CSRF cookie a cached page is keyed on
    first = client.get(url)
    assert first.has_header("ETag") and 'data-typeface="serif"' in first.content.decode()
    client.post(URL, {"typeface": "sans"})
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and 'data-typeface="sans"' in again.content.decode()


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password="a-long-password-3", is_staff=True)


@pytest.mark.parametrize("who", ["other", "staff"])
def test_another_reader_or_staff_changes_only_their_own_settings(client, alice, bob, staff, who):
    from articles.services.preferences import preferences_update

    preferences_update(user=alice, font_size="small")
    logged_in(client, {"other": bob, "staff": staff}[who])
    client.post(URL, {"font_size": "larger", "user": alice.pk})  # a setting called "user" is refused outright
    client.post(URL, {"font_size": "larger"})
    assert ReaderPreferences.objects.get(user=alice).font_size == "small"
    assert (
        ReaderPreferences.objects.get(user__username={"other": "bob", "staff": "stella"}[who]).font_size
        == "larger"
    )
