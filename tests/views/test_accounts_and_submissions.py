"""Accounts for a small group: the account page, password change and reset (Django's views, email through
the configured backend), who may add articles, and which files the form takes."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db
STORY = (
    "Council budget talks collapse\n\nThe council met on Tuesday to settle the budget for the coming year."
)


def test_the_header_user_name_links_to_the_account_page(client, alice):
    logged_in(client, alice)
    page = client.get("/").content.decode()
    assert f'<a class="account-name" href="{reverse("account")}" title="Your account">alice</a>' in page
    account = client.get(reverse("account")).content.decode()
    assert (
        "Your account" in account
        and reverse("password_change") in account
        and reverse("articles:notebook") in account
    )


def test_the_account_page_needs_a_log_in(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Client().post(reverse("account"), {"email": "x@example.com"}).status_code == 302
    assert not User.objects.filter(email="x@example.com").exists()


def _confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/email/\S+/)", message.body).group(1)


def test_a_new_email_address_is_used_once_its_owner_follows_the_link_sent_to_it(client, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logged_in(client, alice)
    response = client.post(reverse("account"), {"email": "alice@example.com"}, follow=True)
    assert "We sent a link to alice@example.com" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "" and [m.to for m in mail.outbox] == [["alice@example.com"]]
    link = _confirmation_link(mail.outbox[0])
    asked = client.get(link)  # opening the link (a mail program looking at it) changes nothing
    assert asked.status_code == 200 and "Use <strong>alice@example.com</strong>" in asked.content.decode()
    alice.refresh_from_db()
    assert alice.email == ""
    done = client.post(link, follow=True)
    assert "Email address saved: reset links now go to alice@example.com." in done.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    again = client.post(link)  # once only
    assert again.status_code == 400 and "was used already" in again.content.decode()
    assert client.post(reverse("account"), {"email": ""}).status_code == 302
    alice.refresh_from_db()
    assert alice.email == ""


def test_the_account_page_tells_no_one_whether_an_address_has_an_account(client, alice, bob, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alice.email = "alice@example.com"
    alice.save()
    logged_in(client, bob)
    taken = client.post(reverse("account"), {"email": "ALICE@example.com"}, follow=True).content.decode()
    free = client.post(reverse("account"), {"email": "bob@example.com"}, follow=True).content.decode()
    assert "We sent a link to ALICE@example.com" in taken and "We sent a link to bob@example.com" in free

    def same(page: str, address: str) -> str:  # CSRF tokens are masked anew on every page
        return re.sub(r"[A-Za-z0-9]{64}", "token", page.replace(address, "the address"))

    assert same(taken, "ALICE@example.com") == same(free, "bob@example.com")
    # The owner of the address hears of it; no link that could take it is sent.
    assert "another account there already uses it" in mail.outbox[0].body and "/accounts/email/" not in (
        mail.outbox[0].body
    )
    bob.refresh_from_db()
    assert bob.email == ""
    # A link for bob's own new address works only for bob, and not once someone else confirmed it first.
    link = _confirmation_link(mail.outbox[1])
    logged_in(client, alice)
    assert "for another account" in client.post(link).content.decode()
    User.objects.filter(pk=alice.pk).update(email="bob@example.com")
    logged_in(client, bob)
    assert "Another account uses that address" in client.post(link).content.decode()
    bob.refresh_from_db()
    assert bob.email == ""
    bad = client.post(reverse("account"), {"email": "not-an-address"})
    assert bad.status_code == 400 and "is not an email address" in bad.content.decode()


def test_a_confirmation_link_is_signed_and_ends_after_three_days(client, alice, settings, monkeypatch):
    import time

    from articles.services.accounts import email_confirmation_token

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logged_in(client, alice)
    client.post(reverse("account"), {"email": "alice@example.com"})
    link = _confirmation_link(mail.outbox[0])
    assert "not a whole confirmation link" in client.post(link[:-6] + "xyz/").content.decode()
    now = time.time()
    with monkeypatch.context() as earlier:
        earlier.setattr(time, "time", lambda: now - 3.1 * 86400)  # the token is stamped 3.1 days ago
        old_token = email_confirmation_token(user=alice, email="alice@example.com")
    old = client.post(reverse("email_confirm", args=[old_token]))
    assert old.status_code == 400 and "over 3 days old" in old.content.decode()
    alice.refresh_from_db()
    assert alice.email == ""


def test_password_change_uses_django_s_view(client, alice):
    logged_in(client, alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-password-1",
            "new_password1": "another-long-pass-9",
            "new_password2": "another-long-pass-9",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-9")
    wrong = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": "x", "new_password2": "x"}
    )
    assert wrong.status_code == 200 and "field-error" in wrong.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alice.email = "alice@example.com"
    alice.save()
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your newsreader password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "fresh-long-pass-7", "new_password2": "fresh-long-pass-7"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("fresh-long-pass-7")
    # An unknown address gets the same answer and no email.
    client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert len(mail.outbox) == 1


def test_the_default_email_backend_is_the_console():
    # Read from the settings module: the test runner swaps the backend in django.conf.settings for its own.
    from newsreader import settings as configured

    assert configured.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_adding_an_article_needs_an_account_unless_submissions_are_open(client, alice, settings):
    settings.NEWSREADER_OPEN_SUBMISSIONS = False
    form = client.get(reverse("articles:create"))
    assert form.status_code == 302 and reverse("login") in form["Location"]
    response = client.post(reverse("articles:create"), {"text": STORY})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Article.objects.exists()
    logged_in(client, alice)
    assert client.post(reverse("articles:create"), {"text": STORY}).status_code == 302
    assert Article.objects.get().added_by == alice
    settings.NEWSREADER_OPEN_SUBMISSIONS = True
    client.post(reverse("logout"))
    assert client.get(reverse("articles:create")).status_code == 200


def test_the_upload_offers_only_the_file_types_it_reads(client, alice):
    logged_in(client, alice)
    page = client.get(reverse("articles:create")).content.decode()
    assert 'accept=".txt,.html,.htm,.jsonl"' in page


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "report.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "reads .txt, .html, .htm and .jsonl files, not .pdf",
        ),
        (
            "report.txt",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >>",
            "That file is a PDF document, a binary file, not text",
        ),
        ("story.docx", b"PK\x03\x04", "not .docx"),
        ("story.txt", b"PK\x03\x04\x14\x00", "a ZIP archive"),
        ("many.jsonl", b'{"text": "one"}\n{"text": "two"}\n', "holds 2 lines"),
        ("bad.jsonl", b"[1, 2]\n", "not a JSON object"),
    ],
)
def test_wrong_file_types_are_refused_with_a_clear_message(client, alice, name, content, message):
    logged_in(client, alice)
    response = client.post(reverse("articles:create"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert "%PDF" not in response.content.decode() and not Article.objects.exists()


def test_a_jsonl_upload_of_one_article_is_added(client, alice):
    logged_in(client, alice)
    line = b'{"title": "Budget talks", "source": "Gazette", "text": "Budget talks\\n\\nThe council met on Tuesday to settle the budget for the coming year and failed."}\n'
    response = client.post(reverse("articles:create"), {"file": SimpleUploadedFile("one.jsonl", line)})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.title, article.source) == ("Budget talks", "Gazette")
