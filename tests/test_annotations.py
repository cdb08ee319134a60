"""Accounts, annotations, permissions, safe notes, share links, export and import, re-anchoring."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.annotation_formats import render_note, text_fragment
from articles.annotations import (
    NOTE_MAX_CHARS,
    AnnotationRejected,
    annotation_create,
    annotations_import,
    annotations_reanchor,
)
from articles.models import Annotation, Article
from articles.services import article_import, article_reanalyse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "Council budget talks collapse\n\n"
    "The council met on Tuesday to settle the budget for the coming year.\n\n"
    "“We cannot keep the libraries open on these numbers,” said Ana Ruiz, the treasurer.\n\n"
    "Residents queued outside the hall. Some carried signs about the libraries."
)
PASSAGE = "We cannot keep the libraries open on these numbers"


@pytest.fixture
def article():
    return article_import(text=TEXT)


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password="a-long-password-1")


@pytest.fixture
def bob():
    return User.objects.create_user("bob", password="a-long-password-2")


def _create(user, article, passage=PASSAGE, **fields):
    start = article.text.index(passage)
    return annotation_create(user=user, article=article, start=start, end=start + len(passage), exact=passage, **fields)


def _client(client, user):
    client.force_login(user)
    return client


def _post_new(client, article, passage=PASSAGE, **fields):
    start = article.text.index(passage)
    data = {"start": start, "end": start + len(passage), "exact": passage, **fields}
    return client.post(reverse("articles:annotations", args=[article.pk]), data, **fields.pop("headers", {}))


# Creating -----------------------------------------------------------------------------------------------


def test_annotation_keeps_quote_and_position_selectors(article, alice):
    annotation = _create(alice, article, note="Key line", tags="budget, Libraries", colour="green")
    assert article.text[annotation.start : annotation.end] == PASSAGE == annotation.exact
    assert annotation.prefix == article.text[annotation.start - 32 : annotation.start]
    assert annotation.suffix == article.text[annotation.end : annotation.end + 32]
    assert annotation.tags == ["budget", "Libraries"] and annotation.colour == "green"
    assert annotation.visibility == Annotation.PRIVATE


@pytest.mark.parametrize(
    "change, message",
    [
        ({"exact": ""}, "empty"),
        ({"exact": "   ", "end_shift": -len(PASSAGE) + 3}, "empty"),
        ({"start": -5}, "outside"),
        ({"end": 10_000}, "outside"),
        ({"start": 50, "end": 40}, "outside"),
        ({"exact": "We cannot keep the museums open on these numbers"}, "does not match"),
        ({"note": "x" * (NOTE_MAX_CHARS + 1)}, "too long"),
        ({"note": "Look <script>alert(1)</script>"}, "script"),
        ({"note": "[click](javascript:alert(1))"}, "script"),
        ({"note": '<img src=x onerror="alert(1)">'}, "script"),
        ({"tags": "<script>alert(1)</script>"}, "characters tags cannot hold"),
        ({"tags": ", ".join(f"t{i}" for i in range(11))}, "Too many tags"),
        ({"tags": "x" * 41}, "too long"),
        ({"colour": "octarine"}, "Unknown colour"),
        ({"visibility": "friends"}, "Visibility"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_error_and_stores_nothing(article, alice, change, message):
    start = article.text.index(PASSAGE)
    fields = {"start": start, "end": start + len(PASSAGE), "exact": PASSAGE}
    if "end_shift" in change:
        change = dict(change)
        fields["end"] += change.pop("end_shift")
        fields["exact"] = change.pop("exact")
        fields["start"] = fields["end"] - len(fields["exact"])
        # Offsets over blank space between two paragraphs
        fields["start"] = article.text.index("\n\n“We")
        fields["end"] = fields["start"] + 2
        fields["exact"] = "\n\n"
    fields.update(change)
    with pytest.raises(AnnotationRejected, match=message):
        annotation_create(user=alice, article=article, **fields)
    assert not Annotation.objects.exists()


def test_annotating_needs_an_account(article):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _create(AnonymousUser(), article)


def test_a_pasted_passage_is_found_without_offsets(article, alice):
    annotation = annotation_create(user=alice, article=article, start=None, end=None, exact="signs about the")
    assert article.text[annotation.start : annotation.end] == "signs about the"
    with pytest.raises(AnnotationRejected, match="appears 2 times"):
        annotation_create(user=alice, article=article, start=None, end=None, exact="the libraries")
    with pytest.raises(AnnotationRejected, match="not in the article"):
        annotation_create(user=alice, article=article, start=None, end=None, exact="museums")


def test_a_selection_across_paragraphs_is_stored_whole(article, alice):
    start = article.text.index("the coming year.")
    end = article.text.index(",” said Ana")
    annotation = annotation_create(user=alice, article=article, start=start, end=end, exact=article.text[start:end])
    assert "\n\n" in annotation.exact


# Views: creating, editing, deleting ----------------------------------------------------------------------


def test_anonymous_post_is_sent_to_log_in_and_stores_nothing(client, article):
    response = _post_new(client, article)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Annotation.objects.exists()


def test_plain_form_post_creates_and_redirects_to_the_annotation(client, article, alice):
    response = _post_new(_client(client, alice), article, note="Why *now*?", visibility="public")
    annotation = Annotation.objects.get()
    assert response.status_code == 302 and response["Location"] == annotation.get_absolute_url()
    page = client.get(annotation.get_absolute_url()).content.decode()
    assert "<em>now</em>" in page and f'data-annotation-id="{annotation.pk}"' in page
    assert re.search(r'<mark class="hl hl--yellow hl--noted" data-annotation-id="%d"' % annotation.pk, page)


def test_htmx_post_returns_the_panel_and_swaps_the_article_out_of_band(client, article, alice):
    start = article.text.index(PASSAGE)
    response = _client(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {"start": start, "end": start + len(PASSAGE), "exact": PASSAGE},
        **HTMX,
    )
    annotation = Annotation.objects.get()
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<aside id="panel"')
    assert '<article class="article" id="article"' in body and 'hx-swap-oob="true"' in body
    assert f'data-annotation-id="{annotation.pk}"' in body
    assert '<span id="annotation-count">1</span>' in body
    assert response["HX-Push-Url"] == annotation.get_absolute_url()


def test_a_bad_post_shows_the_form_with_its_error_and_stores_nothing(client, article, alice):
    start = article.text.index(PASSAGE)
    response = _client(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {"start": start, "end": start + len(PASSAGE), "exact": "something else", "note": "kept"},
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "does not match the article" in body and ">kept</textarea>" in body
    assert not Annotation.objects.exists()
    response = client.post(reverse("articles:annotations", args=[article.pk]), {"start": "x", "end": "1", "exact": "a"})
    assert response.status_code == 422 and "whole numbers" in response.content.decode()


def test_the_note_form_without_javascript_takes_a_pasted_passage(client, article, alice):
    _client(client, alice)
    form = client.get(reverse("articles:annotation_new", args=[article.pk])).content.decode()
    assert 'name="exact"' in form and "<textarea" in form
    response = client.post(
        reverse("articles:annotations", args=[article.pk]), {"exact": "signs about the", "note": "n"}
    )
    assert response.status_code == 302
    assert Annotation.objects.get().exact == "signs about the"


def test_the_note_form_for_a_selection_shows_the_passage(client, article, alice):
    start = article.text.index(PASSAGE)
    url = reverse("articles:annotation_new", args=[article.pk]) + f"?start={start}&end={start + len(PASSAGE)}"
    body = _client(client, alice).get(url, **HTMX).content.decode()
    assert body.lstrip().startswith('<aside id="panel"')
    assert f'<input type="hidden" name="exact" value="{PASSAGE}">' in body


def test_owner_edits_and_deletes(client, article, alice):
    annotation = _create(alice, article)
    _client(client, alice)
    response = client.post(
        reverse("articles:annotation_edit", args=[annotation.pk]),
        {"note": "Edited", "colour": "blue", "tags": "a, b", "visibility": "public"},
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.note, annotation.colour, annotation.tags, annotation.visibility) == (
        "Edited", "blue", ["a", "b"], "public"
    )
    response = client.post(reverse("articles:annotation_delete", args=[annotation.pk]), **HTMX)
    assert response.status_code == 200 and "Annotation deleted." in response.content.decode()
    assert '<span id="annotation-count">0</span>' in response.content.decode()
    assert not Annotation.objects.exists()


def test_delete_asks_first_without_javascript(client, article, alice):
    annotation = _create(alice, article)
    page = _client(client, alice).get(reverse("articles:annotation_delete", args=[annotation.pk])).content.decode()
    assert "Delete this annotation?" in page
    assert Annotation.objects.exists()


def test_an_edit_with_bad_input_changes_nothing(client, article, alice):
    annotation = _create(alice, article, note="Original")
    response = _client(client, alice).post(
        reverse("articles:annotation_edit", args=[annotation.pk]),
        {"note": "<script>x</script>", "colour": "yellow", "tags": "", "visibility": "private"},
    )
    assert response.status_code == 422 and "script" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.note == "Original"


# Permissions ---------------------------------------------------------------------------------------------


def test_another_users_posts_get_403_for_public_and_404_for_private_annotations(client, article, alice, bob):
    public = _create(alice, article, note="public one", visibility="public")
    private = _create(alice, article, passage="signs about the libraries", note="secret")
    _client(client, bob)
    edit = {"note": "hijacked", "colour": "pink", "tags": "", "visibility": "public"}
    assert client.post(reverse("articles:annotation_edit", args=[public.pk]), edit).status_code == 403
    assert client.post(reverse("articles:annotation_delete", args=[public.pk])).status_code == 403
    assert client.get(reverse("articles:annotation_edit", args=[public.pk])).status_code == 403
    assert client.post(reverse("articles:annotation_edit", args=[private.pk]), edit).status_code == 404
    assert client.post(reverse("articles:annotation_delete", args=[private.pk])).status_code == 404
    public.refresh_from_db()
    private.refresh_from_db()
    assert public.note == "public one" and private.note == "secret"
    assert Annotation.objects.count() == 2


def test_anonymous_writes_are_sent_to_log_in(client, article, alice):
    annotation = _create(alice, article, visibility="public")
    for name in ("articles:annotation_edit", "articles:annotation_delete"):
        response = client.post(reverse(name, args=[annotation.pk]), {"note": "x"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client.post(reverse("articles:annotation_delete", args=[annotation.pk]), **HTMX)
    assert reverse("login") in response["HX-Redirect"]
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_logout_is_a_post(client, alice):
    _client(client, alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_private_annotations_are_absent_from_every_view_for_others(client, article, alice, bob):
    public = _create(alice, article, note="PUBLIC-NOTE", visibility="public")
    private = _create(alice, article, passage="signs about the libraries", note="PRIVATE-NOTE")
    pages = {
        "article": article.get_absolute_url(),
        "list": reverse("articles:annotations", args=[article.pk]),
        "public annotation": public.get_absolute_url(),
        "markdown": reverse("articles:annotations_export", args=[article.pk, "md"]),
        "json-ld": reverse("articles:annotations_export", args=[article.pk, "jsonld"]),
    }
    for viewer in (None, bob):
        if viewer:
            client.force_login(viewer)
        for name, url in pages.items():
            for headers in ({}, HTMX):
                body = client.get(url, **headers).content.decode()
                assert "PRIVATE-NOTE" not in body and f'data-annotation-id="{private.pk}"' not in body, (viewer, name)
                if (headers and name != "article") or name in ("markdown", "json-ld"):  # not even the passage
                    assert "signs about the libraries" not in body, (viewer, name)
        assert "PUBLIC-NOTE" in client.get(pages["list"]).content.decode()
        assert client.get(private.get_absolute_url()).status_code == 404
        assert client.get(private.get_absolute_url(), **HTMX).status_code == 404
        home = client.get("/").content.decode()
        assert "1 annotation<" in home or "1 annotation\n" in home or re.search(r"\b1 annotation\b", home)
    client.force_login(alice)
    assert re.search(r"\b2 annotations\b", client.get("/").content.decode())
    assert "PRIVATE-NOTE" in client.get(pages["list"]).content.decode()
    assert "PRIVATE-NOTE" in client.get(pages["markdown"]).content.decode()


def test_annotation_counts_on_the_home_page_do_not_multiply_other_counts(client, article, alice):
    before = client.get("/").content.decode()
    quotes = re.search(r"(\d+) quotes?", before).group(1)
    for passage in (PASSAGE, "signs about the libraries", "Residents queued"):
        _create(alice, article, passage=passage, visibility="public")
    after = client.get("/").content.decode()
    assert re.search(r"\b3 annotations\b", after)
    assert re.search(r"(\d+) quotes?", after).group(1) == quotes


# Safe notes ----------------------------------------------------------------------------------------------


def test_markdown_notes_render_and_stay_inert():
    html = render_note(
        "**Bold** and [a link](https://example.org/x) and <script>alert(1)</script>\n\n"
        "[bad](javascript:alert(1)) [data](data:text/html,hi) ![img](https://example.org/i.png) "
        '<a href="javascript:alert(2)">raw</a> <img src=x onerror=alert(3)> <mailto:me@example.org>'
    )
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">a link</a>' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r'<a [^>]*href="(javascript|data):', html)
    assert not re.search(r"<img|<[^>]+\son\w+=", html)
    assert 'href="mailto:me@example.org"' in html


def test_a_stored_note_with_script_is_rendered_inert_on_every_page(client, article, alice):
    annotation = _create(alice, article, visibility="public")
    Annotation.objects.filter(pk=annotation.pk).update(
        note='<script>alert("x")</script> [go](javascript:alert(1))', tags=["<b>tag</b>"]
    )
    for url in (annotation.get_absolute_url(), reverse("articles:annotations", args=[article.pk])):
        body = client.get(url).content.decode()
        assert '<script>alert("x")' not in body and "&lt;script&gt;" in body
        assert 'href="javascript:' not in body
        assert "<b>tag</b>" not in body and "&lt;b&gt;tag&lt;/b&gt;" in body


# Share links and previews --------------------------------------------------------------------------------


def test_text_fragment_names_the_passage_or_its_first_and_last_words():
    assert text_fragment("Say hi, then go.", 4, 15) == "#:~:text=hi%2C%20then%20go"
    long = "First paragraph words here.\n\nSecond one ends like this."
    assert text_fragment(long, 0, len(long)) == "#:~:text=First%20paragraph%20words%20here.,Second%20one%20ends%20like%20this."


def test_annotation_page_opens_with_its_panel_share_link_and_social_tags(client, article, alice):
    annotation = _create(alice, article, note="Budget cuts", visibility="public")
    page = client.get(annotation.get_absolute_url()).content.decode()
    assert '<aside id="panel" class="panel"' in page and 'class="para"' in page
    share = f"http://testserver{annotation.get_absolute_url()}#:~:text=We%20cannot"
    assert share in page
    assert '<meta property="og:title" content="Annotation on “Council budget talks collapse”">' in page
    assert 'property="og:description" content="“We cannot keep the libraries open on these numbers” — Budget cuts"' in page
    assert '<meta name="twitter:card" content="summary">' in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Council budget talks collapse">' in article_page
    assert f'data-copy="http://testserver{article.get_absolute_url()}"' in article_page


def test_quote_share_link_carries_a_text_fragment(client, article):
    quote = article.quotes.first()
    body = client.get(quote.get_absolute_url(), **HTMX).content.decode()
    assert f"http://testserver{quote.get_absolute_url()}#:~:text=" in body


def test_quote_tags_are_skipped_by_selection_offsets(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<a class="quote-tag"[^>]*data-nr-skip', page)


# Export and import ---------------------------------------------------------------------------------------


def test_markdown_export_has_quote_note_tags_and_link(client, article, alice):
    annotation = _create(alice, article, note="Why now?", tags="budget, libraries", visibility="public")
    response = client.get(reverse("articles:annotations_export", args=[article.pk, "md"]))
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert f"> {PASSAGE}" in body and "Why now?" in body and "#budget, #libraries" in body
    assert f"http://testserver{annotation.get_absolute_url()}" in body


def test_json_ld_export_is_a_web_annotation_collection(client, article, alice):
    annotation = _create(alice, article, note="Why now?", tags="budget", colour="pink", visibility="public")
    response = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"]))
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["type"] == "AnnotationCollection"
    item = data["first"]["items"][0]
    assert item["type"] == "Annotation" and item["motivation"] == "commenting"
    assert item["id"] == f"http://testserver{annotation.get_absolute_url()}"
    assert {"type": "TextualBody", "value": "budget", "purpose": "tagging"} in item["body"]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == PASSAGE
    assert selectors["TextPositionSelector"] == {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
    assert item["target"]["styleClass"] == "pink"


def test_export_then_import_round_trip(client, article, alice, bob):
    _create(alice, article, note="First *note*", tags="a, b", colour="green", visibility="public")
    _create(alice, article, passage="Residents queued outside the hall", visibility="public")
    exported = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"])).content
    report = annotations_import(user=bob, article=article, raw=exported)
    assert (report.created, report.orphaned, report.duplicates) == (2, 0, 0)
    mine = list(Annotation.objects.filter(user=bob).in_text_order())
    theirs = list(Annotation.objects.filter(user=alice).in_text_order())
    for imported, original in zip(mine, theirs):
        assert (imported.exact, imported.start, imported.end, imported.note, imported.tags, imported.colour) == (
            original.exact, original.start, original.end, original.note, original.tags, original.colour
        )
        assert imported.visibility == Annotation.PRIVATE
    again = annotations_import(user=bob, article=article, raw=exported)
    assert (again.created, again.duplicates) == (0, 2)


def test_import_view_and_its_errors_store_nothing(client, article, alice):
    other = article_import(text="Other story\n\nNothing in common with the council at all, said nobody.")
    _create(alice, article, visibility="public")
    exported = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"])).content.decode()
    Annotation.objects.all().delete()
    _client(client, alice)
    url = reverse("articles:annotations_import", args=[other.pk])
    for raw, message in [
        ("not json", "not JSON"),
        ('{"type": "Thing"}', "Expected a Web Annotation"),
        ('{"type": "Annotation", "target": {"selector": []}}', "no TextQuoteSelector"),
        (exported, "None of the 1 annotations match"),
        ("", "Choose a JSON-LD file"),
    ]:
        response = client.post(url, {"json": raw})
        assert response.status_code == 422 and message in response.content.decode()
    assert not Annotation.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.jsonld", exported.encode(), content_type="application/ld+json")
    response = client.post(reverse("articles:annotations_import", args=[article.pk]), {"file": upload})
    assert response.status_code == 302 and "imported=1" in response["Location"]
    assert "Imported 1 annotation." in client.get(response["Location"]).content.decode()


# Re-anchoring when the text changes ----------------------------------------------------------------------


def _retext(article, text):
    old = article.text
    Article.objects.filter(pk=article.pk).update(text=text)
    article.refresh_from_db()
    return annotations_reanchor(article=article, old_text=old)


def test_reanchoring_follows_text_inserted_before_inside_and_after(article, alice):
    before = _create(alice, article, passage="The council met on Tuesday")
    inside = _create(alice, article, passage=PASSAGE)
    after = _create(alice, article, passage="Some carried signs about the libraries.")
    text = article.text.replace("The council met", "Late on Monday evening, the council met").replace(
        "these numbers", "these new numbers"
    ) + "\n\nCorrection appended."
    report = _retext(article, text)
    assert report.orphaned == 0 and report.total == 3
    for annotation in (before, inside, after):
        annotation.refresh_from_db()
        assert not annotation.orphaned and article.text[annotation.start : annotation.end] == annotation.exact
    assert before.exact == "the council met on Tuesday"
    assert inside.exact == "We cannot keep the libraries open on these new numbers"
    assert after.exact == "Some carried signs about the libraries."


def test_deleted_passage_becomes_an_orphan_that_is_kept_and_listed(client, article, alice):
    annotation = _create(alice, article, note="keep me", visibility="public")
    text = article.text.replace("“" + PASSAGE + ",” said Ana Ruiz, the treasurer.", "Ana Ruiz declined to comment.")
    report = _retext(article, text)
    assert report.orphaned == 1
    annotation.refresh_from_db()
    assert annotation.orphaned and annotation.exact == PASSAGE and annotation.note == "keep me"
    listing = client.get(reverse("articles:annotations", args=[article.pk])).content.decode()
    assert "orphaned" in listing and PASSAGE in listing
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-annotation-id="{annotation.pk}"' not in page  # no highlight where it no longer is
    assert "orphaned" in client.get(annotation.get_absolute_url()).content.decode()
    _retext(article, TEXT)
    annotation.refresh_from_db()
    assert not annotation.orphaned


def test_reanalysis_keeps_annotations(article, alice):
    annotation = _create(alice, article)
    article_reanalyse(article=article)
    annotation.refresh_from_db()
    assert Annotation.objects.count() == 1 and article.text[annotation.start : annotation.end] == PASSAGE


# Accounts ------------------------------------------------------------------------------------------------


def test_signup_logs_in_and_returns_to_the_article(client, article):
    next_url = article.get_absolute_url()
    response = client.post(
        reverse("signup") + f"?next={next_url}",
        {"username": "carol", "password1": "correct-horse-9", "password2": "correct-horse-9", "next": next_url},
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


def test_updating_an_articles_text_reanalyses_and_reanchors_without_losing_annotations(client, article, alice):
    from articles.services import ArticleRejected, article_update_text

    kept = _create(alice, article, passage="Residents queued outside the hall", visibility="public")
    gone = _create(alice, article, passage=PASSAGE, note="about the quote", visibility="public")
    edited = TEXT.replace(
        "“" + PASSAGE + ",” said Ana Ruiz, the treasurer.", "“The numbers work,” said Ben Ode, the mayor."
    ).replace("Residents queued", "By evening, residents queued")
    article_update_text(article=article, text=edited)
    article.refresh_from_db()
    assert article.text == edited
    assert [q.speaker_name for q in article.quotes.all()] == ["Ben Ode"]
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert article.text[kept.start : kept.end] == kept.exact == "residents queued outside the hall"
    assert gone.orphaned and gone.exact == PASSAGE
    with pytest.raises(ArticleRejected):
        article_update_text(article=article, text="   ")
    article.refresh_from_db()
    assert article.text == edited and Annotation.objects.count() == 2


def test_staff_edit_the_text_and_annotations_follow(client, article, alice, bob):
    annotation = _create(alice, article, passage="Some carried signs about the libraries.")
    url = reverse("articles:article_text_edit", args=[article.pk])
    assert _client(client, bob).get(url).status_code == 403
    bob.is_staff = True
    bob.save()
    assert "Edit text" in client.get(article.get_absolute_url()).content.decode()
    response = client.post(url, {"text": "  "})
    assert response.status_code == 400 and "empty" in response.content.decode()
    response = client.post(url, {"text": "Update: the hall was full.\n\n" + TEXT})
    assert response.status_code == 302
    annotation.refresh_from_db()
    article.refresh_from_db()
    assert article.text.startswith("Update:") and article.text[annotation.start : annotation.end] == annotation.exact


def test_a_plain_form_with_crlf_line_breaks_still_matches_a_passage_across_paragraphs(client, article, alice):
    start = article.text.index("the coming year.")
    end = article.text.index(" said Ana")
    exact = article.text[start:end]
    response = _client(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {"start": start, "end": end, "exact": exact.replace("\n", "\r\n")},
    )
    assert response.status_code == 302 and Annotation.objects.get().exact == exact


def test_hypothesis_api_rows_import_too(article, alice):
    start = article.text.index(PASSAGE)
    rows = {
        "total": 1,
        "rows": [
            {
                "uri": "https://example.org/story",
                "text": "From Hypothesis",
                "tags": ["budget"],
                "target": [
                    {
                        "source": "https://example.org/story",
                        "selector": [
                            {"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 1},
                            {"type": "TextPositionSelector", "start": start + 40, "end": start + 40 + len(PASSAGE)},
                            {"type": "TextQuoteSelector", "exact": PASSAGE, "prefix": "“", "suffix": ",”"},
                        ],
                    }
                ],
            }
        ],
    }
    report = annotations_import(user=alice, article=article, raw=json.dumps(rows))
    annotation = Annotation.objects.get()
    assert report.created == 1 and annotation.note == "From Hypothesis" and annotation.tags == ["budget"]
    assert (annotation.start, annotation.end) == (start, start + len(PASSAGE))
