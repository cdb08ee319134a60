"""The notebook: a reader's annotations across the library, filters, search, export and import.

Anonymous readers are sent to log in; another reader's or staff's notebook never shows someone else's notes;
a refused import writes nothing."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Annotation
from tests.helpers import HTMX, PASSAGE, TEXT, create_annotation, import_article, logged_in, story

pytestmark = pytest.mark.django_db
URL = "/notebook/"

OTHER = story(
    "Libraries to close",
    "Residents queued outside the hall on Wednesday morning.",
    "The mayor said the branches would shut in spring unless money was found.",
)


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password="a-long-password-3", is_staff=True)


@pytest.fixture
def notes(alice, bob):
    first = import_article(text=TEXT)
    second = import_article(text=OTHER, url="https://example.com/libraries")
    a1 = create_annotation(
        alice, first, PASSAGE, note="The treasurer's warning", tags="budget, Libraries", colour="green"
    )
    a2 = create_annotation(
        alice,
        second,
        "Residents queued outside the hall",
        note="Crowds — café talk",
        tags="libraries",
        visibility="public",
    )
    a3 = create_annotation(alice, second, "the branches would shut in spring", note="", colour="pink")
    b1 = create_annotation(
        bob, first, "Some carried signs about the libraries", note="Bob's secret", tags="budget"
    )
    return first, second, (a1, a2, a3, b1)


def _ids(response) -> list[int]:
    return [entry["annotation"].pk for entry in response.context["entries"]]


def test_the_notebook_lists_only_the_reader_s_annotations_newest_first(client, alice, notes):
    _, _, (a1, a2, a3, _b1) = notes
    logged_in(client, alice)
    response = client.get(URL)
    assert _ids(response) == [a3.pk, a2.pk, a1.pk]
    page = response.content.decode()
    assert "Bob&#x27;s secret" not in page and "Bob's secret" not in page
    assert 'href="?tag=Libraries"' in page or 'href="?tag=libraries"' in page


@pytest.mark.parametrize("who", ["other", "staff"])
def test_another_reader_or_staff_sees_only_their_own(client, bob, staff, notes, who):
    reader = {"other": bob, "staff": staff}[who]
    logged_in(client, reader)
    ids = _ids(client.get(URL))
    assert ids == ([notes[2][3].pk] if who == "other" else [])
    exported = client.get(reverse("articles:notebook_export", args=["jsonld"])).content.decode()
    assert "treasurer" not in exported


def test_anonymous_readers_are_sent_to_log_in_from_every_notebook_url(notes):
    client = Client()
    for url in (URL, "/notebook/export.md", "/notebook/export.jsonld", "/notebook/import/"):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    before = Annotation.objects.count()
    upload = SimpleUploadedFile(
        "n.md", b"## x\n\n<http://testserver/articles/1/>\n\n### Yellow highlight\n\n> We cannot\n"
    )
    response = client.post("/notebook/import/", {"file": upload})
    assert response.status_code == 302 and Annotation.objects.count() == before


def test_filters_by_tag_colour_article_and_visibility(client, alice, notes):
    first, second, (a1, a2, a3, _) = notes
    logged_in(client, alice)
    assert _ids(client.get(URL, {"tag": "LIBRARIES"})) == [a2.pk, a1.pk]
    assert _ids(client.get(URL, {"tag": "#budget"})) == [a1.pk]
    assert _ids(client.get(URL, {"colour": "pink"})) == [a3.pk]
    assert _ids(client.get(URL, {"article": first.pk})) == [a1.pk]
    assert _ids(client.get(URL, {"visibility": "public"})) == [a2.pk]
    assert _ids(client.get(URL, {"article": second.pk, "colour": "pink"})) == [a3.pk]
    # Nonsense filters are ignored, not errors.
    assert _ids(client.get(URL, {"colour": "<b>", "article": "99999999999999999999999"})) == [
        a3.pk,
        a2.pk,
        a1.pk,
    ]
    for digits in ("²", "٣", "1e3", "-1"):  # superscript and Arabic-Indic digits are digits, not numbers
        assert _ids(client.get(URL, {"article": digits})) == [a3.pk, a2.pk, a1.pk]


def test_search_finds_words_in_notes_and_passages_and_marks_them(client, alice, notes):
    _, _, (a1, a2, a3, _) = notes
    logged_in(client, alice)
    assert _ids(client.get(URL, {"q": "treasurer"})) == [a1.pk]
    assert _ids(client.get(URL, {"q": "branches spring"})) == [a3.pk]
    assert _ids(client.get(URL, {"q": '"queued outside"'})) == [a2.pk]
    assert _ids(client.get(URL, {"q": "secret"})) == []  # Bob's note
    page = client.get(URL, {"q": "café"}).content.decode()
    assert "<mark>café</mark>" in page
    hostile = client.get(URL, {"q": "<script>alert(1)</script>"})
    assert hostile.status_code == 200 and "<script>alert" not in hostile.content.decode()


def test_a_private_use_character_in_a_notebook_note_is_shown_as_itself_never_as_a_mark(client, alice):
    article = import_article(text=TEXT)
    note = "the \ue000forged\ue001 word and the real one"
    create_annotation(alice, article, PASSAGE, note=note)
    logged_in(client, alice)
    page = client.get(URL, {"q": "real"}).content.decode()
    assert "the \ue000forged\ue001 word and the <mark>real</mark> one" in page
    assert page.count("<mark>") == 1


def test_htmx_filters_answer_with_the_results_only(client, alice, notes):
    logged_in(client, alice)
    response = client.get(URL, {"colour": "pink"}, HTTP_HX_TARGET="notebook-results", **HTMX)
    body = response.content.decode()
    assert 'id="notebook-results"' in body and "<html" not in body and "1 annotation match" in body


def test_markdown_and_jsonld_exports_hold_every_annotation(client, alice, notes):
    _first, second, (a1, a2, a3, _) = notes
    logged_in(client, alice)
    markdown = client.get("/notebook/export.md")
    assert markdown["Content-Disposition"] == 'attachment; filename="newsreader-notebook-alice.md"'
    text = markdown.content.decode()
    assert text.startswith("# Notebook of alice") and "3 annotations on 2 articles" in text
    assert f"## {second.title}" in text and "Original: <https://example.com/libraries>" in text
    assert "> Residents queued outside the hall" in text and "Tags: #budget, #Libraries" in text
    data = json.loads(client.get("/notebook/export.jsonld").content)
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    items = data["first"]["items"]
    assert [item["target"]["selector"][0]["exact"] for item in items] == [a3.exact, a2.exact, a1.exact]
    assert items[1]["target"]["scope"] == "https://example.com/libraries"
    assert client.get("/notebook/export.pdf").status_code == 404


@pytest.mark.parametrize("fmt", ["md", "jsonld"])
def test_an_export_imported_by_another_reader_brings_every_annotation_back(client, alice, bob, notes, fmt):
    logged_in(client, alice)
    exported = client.get(f"/notebook/export.{fmt}").content
    logged_in(client, bob)
    response = client.post("/notebook/import/", {"file": SimpleUploadedFile(f"notebook.{fmt}", exported)})
    assert response.status_code == 200, response.content.decode()
    assert "Imported 3 annotations on 2 articles" in response.content.decode()
    mine = {
        (a.article_id, a.exact, a.note, tuple(a.tags), a.colour)
        for a in Annotation.objects.filter(user=alice)
    }
    theirs = {
        (a.article_id, a.exact, a.note, tuple(a.tags), a.colour)
        for a in Annotation.objects.filter(user=bob).exclude(note="Bob's secret")
    }
    assert mine == theirs
    assert not Annotation.objects.filter(user=bob, visibility="public").exists()
    # The same file again adds nothing.
    again = client.post("/notebook/import/", {"file": SimpleUploadedFile(f"notebook.{fmt}", exported)})
    assert (
        "Imported 0 annotations" in again.content.decode()
        and "3 already in your notebook" in again.content.decode()
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.pdf", b"%PDF-1.4 binary", "not a notebook file"),
        ("notes.md", b"", "The file is empty"),
        ("notes.md", b"\xff\xfe\x00\x00garbage", "binary"),
        ("notes.md", b"# Notebook\n\nJust some words.", "No highlights found"),
        (
            "notes.md",
            b"## T\n\n<http://testserver/articles/1/>\n\n### Yellow highlight\n\nno quote lines\n",
            "has no quoted passage",
        ),
        ("notes.jsonld", b"{not json", "That is not JSON"),
        (
            "notes.jsonld",
            json.dumps(
                {"type": "AnnotationCollection", "first": {"items": [{"type": "Annotation", "target": {}}]}}
            ).encode(),
            "does not say which article",
        ),
        (
            "notes.jsonld",
            json.dumps(
                [
                    {
                        "type": "Annotation",
                        "target": {
                            "source": "https://elsewhere.example/articles/1/",
                            "selector": [{"type": "TextQuoteSelector", "exact": "x"}],
                        },
                    }
                ]
            ).encode(),
            "None of the articles",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(
    client, alice, notes, name, content, message
):
    logged_in(client, alice)
    before = Annotation.objects.count()
    response = client.post("/notebook/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert Annotation.objects.count() == before


def test_one_bad_annotation_refuses_the_whole_file(client, alice, bob, notes):
    logged_in(client, alice)
    data = json.loads(client.get("/notebook/export.jsonld").content)
    data["first"]["items"][-1]["body"] = [
        {"type": "TextualBody", "value": "<script>x</script>", "purpose": "commenting"}
    ]
    logged_in(client, bob)
    before = Annotation.objects.count()
    response = client.post(
        "/notebook/import/", {"file": SimpleUploadedFile("n.jsonld", json.dumps(data).encode())}
    )
    assert response.status_code == 400 and "script" in response.content.decode()
    assert Annotation.objects.count() == before


def test_notebook_notes_are_rendered_as_the_panel_renders_them_and_escaped(client, alice):
    article = import_article(text=TEXT)
    note = "**structural deficit**\n\n- also ask the treasurer\n\n<b>bold?</b>"
    annotation = create_annotation(alice, article, PASSAGE, note=note)
    logged_in(client, alice)
    page = client.get(URL).content.decode()
    panel = client.get(annotation.get_absolute_url()).content.decode()
    for shown in (page, panel):
        assert "<strong>structural deficit</strong>" in shown
        assert "<li>also ask the treasurer</li>" in shown
        assert "&lt;b&gt;bold?&lt;/b&gt;" in shown and "<b>bold?" not in shown  # raw HTML shows as text
    assert "**structural" not in page
    # A search marks its words in the text the reader sees, never inside the markup.
    searched = client.get(URL, {"q": "treasurer"}).content.decode()
    assert "<li>also ask the <mark>treasurer</mark></li>" in searched
    assert "<strong>structural deficit</strong>" in searched
