"""The library list, adding an article, the article page, its quote and entity panels, the staff text edit."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Quote
from tests.helpers import HTMX, PAGE, TEXT, create_annotation, import_article, logged_in, run_tasks
from tests.local_server import Reply
from tests.web import HARBOUR, story_page


def already_here() -> str:
    """What a duplicate of one's own article is called: in one's own library, or (shared mode) in the one."""
    from django.conf import settings

    return "already in the library" if settings.NEWSREADER_LIBRARY == "shared" else "already in your library"


pytestmark = pytest.mark.django_db


def test_staff_edit_the_text_and_annotations_follow(
    client, article, alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    from articles.models import Article
    from articles.services import analysis as analysis_services

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy ran inside a request")

    annotation = create_annotation(alice, article, passage="Some carried signs about the libraries.")
    url = reverse("articles:article_text_edit", args=[article.pk])
    assert logged_in(client, bob).get(url).status_code == 403
    bob.is_staff = True
    bob.save()
    assert "Edit text" in client.get(article.get_absolute_url()).content.decode()
    response = client.post(url, {"text": "  "})
    assert response.status_code == 400 and "empty" in response.content.decode()
    monkeypatch.setattr(analysis_services, "load_model", no_spacy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Update: the hall was full.\n\n" + TEXT})
    assert response.status_code == 302
    annotation.refresh_from_db()
    article.refresh_from_db()
    assert (
        article.text.startswith("Update:")
        and article.text[annotation.start : annotation.end] == annotation.exact
    )
    assert article.analysis_state == Article.Analysis.PENDING
    monkeypatch.undo()
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.DONE
    assert [q.speaker_name for q in article.quotes.all()] == ["Ana Ruiz"]


def test_web_form_takes_an_html_upload(client):
    upload = SimpleUploadedFile("senate.html", PAGE.encode(), content_type="text/html")
    response = client.post(reverse("articles:create"), {"file": upload})
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.source, str(article.published)) == (
        "Senate passes the bill",
        "Example Times",
        "2024-03-05",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "By Jane Roe" in page and "5 Mar 2024" in page


def _quote(article, fragment):
    return next(q for q in article.quotes.all() if fragment in q.text)


def test_home_lists_articles_with_counts(client, seed_article):
    page = client.get("/").content.decode()
    assert seed_article.title in page
    assert "NYT" in page and "HANOI, Vietnam" in page
    assert seed_article.standfirst[:60] in page
    assert re.search(r"\d+ quotes", page) and re.search(r"\d+ people", page) and "0 annotations" in page


def test_article_page_marks_quotes_and_entities_with_test_hooks(client, seed_article):
    page = client.get(seed_article.get_absolute_url()).content.decode()
    assert 'data-speaker="Kim Eui-kyeom"' in page
    assert page.count("data-quote-id=") >= 17
    assert 'data-label="PERSON"' in page and "data-entity-id=" in page
    assert "<figcaption" in page and "Credit: Doug Mills/The New York Times" in page
    assert "Please follow and like us" not in page


def test_quote_url_serves_full_page_or_panel_fragment(client, seed_article):
    quote = _quote(seed_article, "It is regrettable")
    url = reverse("articles:quote", args=[seed_article.pk, quote.pk])
    full = client.get(url)
    fragment = client.get(url, **HTMX)
    assert full.status_code == fragment.status_code == 200
    assert "<html" in full.content.decode() and 'class="para"' in full.content.decode()
    body = fragment.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<aside id="panel"')
    assert "Kim Eui-kyeom" in body
    assert '<span class="speaker-description">, a spokesman for Mr. Moon</span>' in body
    assert "HX-Request" in full["Vary"]


def test_quote_panel_shows_cue_context_other_quotes_and_link(client, seed_article):
    quote = _quote(seed_article, "Sometimes you have to walk")
    body = client.get(quote.get_absolute_url(), **HTMX).content.decode()
    assert "Trump" in body and ">added<" in body
    assert "The premature end to the negotiations" in body  # the paragraph after it
    assert "He lied a lot." in body  # another quote by the same speaker
    assert f"http://testserver{quote.get_absolute_url()}" in body


def test_scare_quote_is_marked_apart_from_speech_and_its_panel_says_unattributed(client):
    article = import_article(
        text="Budget talks\n\nThe so-called “peace dividend” never came.\n\n“We tried,” Jane Roe said."
    )
    scare = _quote(article, "peace dividend")
    assert scare.kind == Quote.Kind.UNATTRIBUTED and not scare.speaker_name
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(rf'class="quote quote--unattributed" data-quote-id="{scare.pk}" data-speaker=""', page)
    assert 'class="quote quote--speech"' in page and 'data-speaker="Jane Roe"' in page
    body = client.get(scare.get_absolute_url(), **HTMX).content.decode()
    assert "Unattributed" in body


def test_entity_panel_lists_mentions_with_sentences_and_quotes(client, seed_article):
    trump = seed_article.entities.get(name__in=["Trump", "Donald Trump", "Donald J. Trump"], label="PERSON")
    body = client.get(trump.get_absolute_url(), **HTMX).content.decode()
    assert "Person" in body
    assert '<p class="entity-description">President</p>' in body
    assert body.count("<li>") >= trump.mentions.count()
    assert "Mr. <mark>Trump</mark>" in body
    assert "He lied a lot." in body


def test_panel_of_another_article_is_not_found(client, seed_article):
    other = import_article(text="Other story\n\n“Fine,” Jane Roe said.")
    quote = other.quotes.first()
    assert client.get(reverse("articles:quote", args=[seed_article.pk, quote.pk])).status_code == 404


def test_hostile_html_in_an_article_is_shown_as_text(client):
    article = import_article(
        text="<script>alert(1)</script> Headline\n\n“<img src=x onerror=alert(2)>,” Jane Roe said."
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def test_add_article_form_shows_errors_and_writes_nothing(client):
    response = client.post(reverse("articles:create"), {"title": "", "text": "   "})
    assert response.status_code == 400
    assert "Paste an address or the article text" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.txt", b"\xff\xfe\x00b\x00i\x00n")
    response = client.post(reverse("articles:create"), {"file": upload})
    assert response.status_code == 400 and "binary" in response.content.decode()
    assert not Article.objects.exists()


def test_add_article_form_imports_and_redirects(client):
    response = client.post(
        reverse("articles:create"),
        {"title": "Bridge to reopen", "text": "“We are nearly there,” said Ana Ruiz, the city engineer."},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.title == "Bridge to reopen"


def test_uploaded_txt_file_is_imported(client, seed_text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("seed.txt", seed_text.encode("utf-8"))
    response = client.post(reverse("articles:create"), {"file": upload})
    assert response.status_code == 302
    assert Article.objects.get().source == "NYT"


def test_a_page_saved_by_its_address_is_stored_with_its_metadata_and_analysed(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    canonical = "https://planet.example/2025/06/harbour"
    url = local_web.route("/harbour?utm_source=x", Reply(story_page(*HARBOUR, canonical=canonical)))
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, alice).post(reverse("articles:create"), {"url": url})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.title == HARBOUR[0] and article.url == canonical and article.source == "The Daily Planet"
    assert article.byline == "Lois Lane" and article.published.isoformat() == "2025-06-10"
    assert article.analysis_state == Article.Analysis.PENDING
    run_tasks()
    assert Article.objects.get().quotes.get(form="quoted").speaker_name == "Perry White"
    again = client.post(reverse("articles:create"), {"url": url})
    assert again.status_code == 400 and already_here() in again.content.decode()
    known = client.post(reverse("articles:create"), {"url": canonical})
    assert known.status_code == 400 and already_here() in known.content.decode()
    assert len(local_web.requests) == 2  # the canonical address itself is known without fetching it
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "reply, message",
    [
        (Reply(b"%PDF-1.4", content_type="application/pdf"), "PDF"),
        (Reply(b"", status=404), "404"),
        (Reply(b"<html><body><p>Hi</p></body></html>"), "No article could be read"),
    ],
)
def test_an_address_that_gives_no_article_is_a_form_error_and_writes_nothing(
    client, alice, local_web, reply, message
):
    url = local_web.route("/page", reply)
    response = logged_in(client, alice).post(reverse("articles:create"), {"url": url})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Article.objects.exists()


def test_saving_by_address_needs_an_account_and_internal_addresses_are_refused(client, alice, local_server):
    url = local_server.route("/page", Reply(story_page(*HARBOUR)))
    response = client.post(reverse("articles:create"), {"url": url})
    assert response.status_code == 400 and "Log in to save a page" in response.content.decode()
    response = logged_in(client, alice).post(reverse("articles:create"), {"url": url})
    assert response.status_code == 400 and "points inside this server" in response.content.decode()
    assert local_server.requests == [] and not Article.objects.exists()


def test_the_bookmarklet_and_a_phone_share_open_the_form_filled_in_and_save_nothing(client):
    page = client.get(
        reverse("articles:create"), {"url": "https://planet.example/a", "title": "A"}
    ).content.decode()
    assert 'value="https://planet.example/a"' in page and "Save to newsreader" in page
    assert "javascript:location.href=" in page and "encodeURIComponent(location.href)" in page
    shared = client.get(reverse("articles:create"), {"text": "https://planet.example/b"}).content.decode()
    assert 'value="https://planet.example/b"' in shared
    assert not Article.objects.exists()


HERALD_TITLE = "Winter Storm Closes Schools - The Springfield Herald"  # a page's title, not its headline
HERALD_URL = "https://herald.example/storm"


@pytest.mark.parametrize(
    "shared",
    [
        {"url": HERALD_URL, "title": HERALD_TITLE},
        {"title": HERALD_TITLE, "text": HERALD_URL},
        {"text": f"{HERALD_TITLE} {HERALD_URL}"},
    ],
    ids=["bookmarklet", "share-link-as-text", "share-title-and-link-as-text"],
)
def test_a_shared_page_hands_over_its_address_only_and_the_server_reads_the_headline(client, shared):
    response = client.get(reverse("articles:create"), shared)
    form = response.context["form"]
    assert form.initial == {"url": "https://herald.example/storm"}
    page = response.content.decode()
    assert 'value="https://herald.example/storm"' in page and "Springfield Herald" not in page
    # The bookmarklet itself sends the address alone, never the page's title.
    assert "document.title" not in page and "&title=" not in page
    assert not Article.objects.exists()


def test_shared_text_without_an_address_prefills_the_text(client):
    passage = "A long passage shared from a page.\nIt mentions https://herald.example/storm on its way."
    form = client.get(reverse("articles:create"), {"title": "A passage", "text": passage}).context["form"]
    assert form.initial == {"title": "A passage", "text": passage}


def test_the_web_app_manifest_shares_into_save_now(client):
    manifest = client.get(reverse("articles:manifest")).json()
    assert manifest["share_target"]["action"] == reverse("articles:save_now")
    assert manifest["share_target"]["params"] == {"title": "title", "text": "text", "url": "url"}
    assert 'rel="manifest"' in client.get(reverse("articles:list")).content.decode()


def test_skip_to_article_lands_on_the_first_block_after_the_headline_and_no_id_is_used_twice(
    client, article, alice
):
    logged_in(client, alice)
    page = client.get(article.get_absolute_url()).content.decode()
    skips = (
        page.index('href="#text-start">Skip to article</a>'),
        page.index('href="#main">Skip to content</a>'),
    )
    assert skips[0] < skips[1]
    assert page.count('id="text-start"') == 1
    target = re.search(r'<(\w+) class="para" id="text-start" tabindex="-1" data-start="(\d+)"', page)
    first_block = article.blocks.exclude(kind="headline").first()
    assert target and int(target.group(2)) == first_block.start
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
