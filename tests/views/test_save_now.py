"""Save now: the bookmarklet with the reader's key, or a phone's share, saves the page's address in one step
and lands on the article (or on the form with the error); no GET writes, and a planted link only asks."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from articles.views.saving import save_key
from tests.helpers import TEXT, import_article, logged_in
from tests.local_server import Reply
from tests.web import HARBOUR, front_page, story_page

pytestmark = pytest.mark.django_db
SAVE = reverse("articles:save_now")


def test_the_add_page_offers_a_save_now_bookmarklet_with_the_readers_own_key(client, alice, bob):
    assert "Save now" not in client.get(reverse("articles:create")).content.decode()  # not for anonymous
    page = logged_in(client, alice).get(reverse("articles:create")).content.decode()
    found = re.search(r'<a class="bookmarklet" href="(javascript:[^"]+)">Save now</a>', page)
    assert found and f"key={save_key(alice)}" in found.group(1) and "/articles/save/?" in found.group(1)
    assert "encodeURIComponent(location.href)" in found.group(1) and "document.title" not in page
    assert save_key(alice) != save_key(bob)


def test_the_bookmarklets_request_posts_the_address_at_once_and_writes_nothing_itself(client, alice):
    url = "https://planet.example/2025/harbour"
    response = logged_in(client, alice).get(SAVE, {"url": url, "key": save_key(alice)})
    page = response.content.decode()
    assert response.status_code == 200 and "data-autosubmit" in page and "js/save-now.js" in page
    assert f'name="url" value="{url}"' in page and 'name="csrfmiddlewaretoken"' in page
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "query, headers",
    [
        ({"url": "https://planet.example/a"}, {}),
        ({"url": "https://planet.example/a", "key": "0" * 32}, {}),
        ({"url": "https://planet.example/a"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}),
    ],
    ids=["no-key", "wrong-key", "link-from-another-site"],
)
def test_a_request_without_the_readers_key_asks_before_saving(client, alice, bob, query, headers):
    page = logged_in(client, alice).get(SAVE, query, **headers).content.decode()
    assert "data-autosubmit" not in page and "save-now.js" not in page and "Save now" in page
    # Another reader's key is not this reader's.
    other = client.get(SAVE, {"url": "https://planet.example/a", "key": save_key(bob)}).content.decode()
    assert "data-autosubmit" not in other


def test_a_share_opened_by_the_browser_itself_saves_at_once(client, alice):
    shared = {"title": "Harbour reopens | The Daily Planet", "text": "https://planet.example/harbour"}
    page = logged_in(client, alice).get(SAVE, shared, HTTP_SEC_FETCH_SITE="none").content.decode()
    assert "data-autosubmit" in page and 'value="https://planet.example/harbour"' in page
    assert "Daily Planet" not in page  # the address only; the server reads the headline


def test_a_shared_passage_without_a_link_opens_the_form_to_paste_it(client, alice):
    response = logged_in(client, alice).get(SAVE, {"title": "A passage", "text": "Words\nand more words"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("articles:create") + "?")
    form = client.get(response["Location"]).context["form"]
    assert form.initial == {"title": "A passage", "text": "Words\nand more words"}


def test_saving_lands_on_the_article_and_a_second_save_lands_on_the_same_one(client, alice, local_web):
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR)))
    response = logged_in(client, alice).post(SAVE, {"url": url})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.title == HARBOUR[0] and article.added_by == alice
    again = client.post(SAVE, {"url": url}, follow=True)
    assert again.redirect_chain == [(article.get_absolute_url(), 302)]
    already = (
        "already in the library" if settings.NEWSREADER_LIBRARY == "shared" else "already in your library"
    )
    assert already in again.content.decode() and Article.objects.count() == 1


@pytest.mark.parametrize(
    "reply, message",
    [
        (Reply(b"%PDF-1.4", content_type="application/pdf"), "PDF"),
        (Reply(b"", status=404), "404"),
        (Reply(b"<html><body><p>Hi</p></body></html>"), "No article could be read"),
    ],
)
def test_a_page_that_cannot_be_saved_lands_on_the_form_with_the_error(
    client, alice, local_web, reply, message
):
    url = local_web.route("/page", reply)
    response = logged_in(client, alice).post(SAVE, {"url": url})
    page = response.content.decode()
    assert response.status_code == 400 and message in page and 'role="alert"' in page
    assert f'value="{url}"' in page and f'action="{reverse("articles:create")}"' in page  # try again there
    assert not Article.objects.exists()


def test_a_bad_address_is_refused_by_the_form(client, alice):
    response = logged_in(client, alice).post(SAVE, {"url": "javascript:alert(1)"})
    assert response.status_code == 400 and "Enter a valid URL" in response.content.decode()
    assert not Article.objects.exists()


def test_a_changed_version_is_offered_as_an_update(client, alice, local_web):
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR)))
    import_article(text=f"{HARBOUR[0]}\n\n{TEXT}", source="The Daily Planet")  # an older text, no address
    response = logged_in(client, alice).post(SAVE, {"url": url})
    page = response.content.decode()
    assert (
        response.status_code == 409 and "same headline and source" in page and "its text has changed" in page
    )
    assert Article.objects.count() == 1


def test_anonymous_readers_log_in_first_and_nothing_is_saved(client, local_web):
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR)))
    response = client.get(SAVE, {"url": url})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(SAVE, {"url": url}).status_code == 302
    assert local_web.requests == [] and not Article.objects.exists()


def test_a_new_password_retires_the_old_key(alice):
    before = save_key(alice)
    alice.set_password("another-long-password-9")
    alice.save()
    assert save_key(alice) != before


def test_a_sites_front_page_asks_before_saving_from_the_form_and_from_save_now(client, alice, local_web):
    url = local_web.route("/", Reply(front_page()))
    logged_in(client, alice)
    for target in (reverse("articles:create"), SAVE):
        response = client.post(target, {"url": url, "source": "Herald"})
        page = response.content.decode()
        assert response.status_code == 409 and not Article.objects.exists()
        assert "This looks like a site&#x27;s front page, not an article. Save anyway?" in page
        assert "Most of its text is the titles of links." in page and "Save anyway</button>" in page
        assert f'action="{target}"' in page and 'name="anyway" value="1"' in page
    assert (
        'name="source" value="Herald"'
        in client.post(reverse("articles:create"), {"url": url, "source": "Herald"}).content.decode()
    )
    response = client.post(reverse("articles:create"), {"url": url, "source": "Herald", "anyway": "1"})
    article = Article.objects.get()
    assert response.status_code == 302 and article.source == "Herald"
