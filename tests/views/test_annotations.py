"""Annotation pages and panels: creating, editing, deleting, permissions, privacy, sharing, export and import."""

import json
import re

import pytest
from django.urls import reverse

from articles.models import Annotation
from articles.services.annotation_imports import annotations_import
from tests.helpers import (
    HTMX,
    PASSAGE,
    TEXT,
    create_annotation,
    import_article,
    logged_in,
    post_new_annotation,
)

pytestmark = pytest.mark.django_db


def test_anonymous_post_is_sent_to_log_in_and_stores_nothing(client, article):
    response = post_new_annotation(client, article)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Annotation.objects.exists()


def test_plain_form_post_creates_and_redirects_to_the_annotation(client, article, alice):
    response = post_new_annotation(logged_in(client, alice), article, note="Why *now*?", visibility="public")
    annotation = Annotation.objects.get()
    assert response.status_code == 302 and response["Location"] == annotation.get_absolute_url()
    page = client.get(annotation.get_absolute_url()).content.decode()
    assert "<em>now</em>" in page and f'data-annotation-id="{annotation.pk}"' in page
    assert re.search(rf'<mark class="hl hl--yellow hl--noted" data-annotation-id="{annotation.pk}"', page)


def test_htmx_post_returns_the_panel_and_swaps_the_article_out_of_band(client, article, alice):
    start = article.text.index(PASSAGE)
    response = logged_in(client, alice).post(
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
    response = logged_in(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {"start": start, "end": start + len(PASSAGE), "exact": "something else", "note": "kept"},
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "does not match the article" in body and ">kept</textarea>" in body
    assert not Annotation.objects.exists()
    response = client.post(
        reverse("articles:annotations", args=[article.pk]), {"start": "x", "end": "1", "exact": "a"}
    )
    assert response.status_code == 422 and "whole numbers" in response.content.decode()


def test_the_note_form_without_javascript_takes_a_pasted_passage(client, article, alice):
    logged_in(client, alice)
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
    body = logged_in(client, alice).get(url, **HTMX).content.decode()
    assert body.lstrip().startswith('<aside id="panel"')
    assert f'<input type="hidden" name="exact" value="{PASSAGE}">' in body


def test_owner_edits_and_deletes(client, article, alice):
    annotation = create_annotation(alice, article)
    logged_in(client, alice)
    response = client.post(
        reverse("articles:annotation_edit", args=[annotation.pk]),
        {"note": "Edited", "colour": "blue", "tags": "a, b", "visibility": "public"},
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert (annotation.note, annotation.colour, annotation.tags, annotation.visibility) == (
        "Edited",
        "blue",
        ["a", "b"],
        "public",
    )
    response = client.post(reverse("articles:annotation_delete", args=[annotation.pk]), **HTMX)
    assert response.status_code == 200 and "Annotation deleted." in response.content.decode()
    assert '<span id="annotation-count">0</span>' in response.content.decode()
    assert not Annotation.objects.exists()


def test_delete_asks_first_without_javascript(client, article, alice):
    annotation = create_annotation(alice, article)
    page = (
        logged_in(client, alice)
        .get(reverse("articles:annotation_delete", args=[annotation.pk]))
        .content.decode()
    )
    assert "Delete this annotation?" in page
    assert Annotation.objects.exists()


def test_an_edit_with_bad_input_changes_nothing(client, article, alice):
    annotation = create_annotation(alice, article, note="Original")
    response = logged_in(client, alice).post(
        reverse("articles:annotation_edit", args=[annotation.pk]),
        {"note": "<script>x</script>", "colour": "yellow", "tags": "", "visibility": "private"},
    )
    assert response.status_code == 422 and "script" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.note == "Original"


def test_the_note_form_reads_a_passage_sent_with_crlf_and_keeps_a_nul_as_a_replacement_character(
    client, article, alice
):
    passage = "budget talks collapse\n\nThe council"
    start = article.text.index(passage)
    response = logged_in(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {
            "start": start,
            "end": start + len(passage),
            "exact": passage.replace("\n", "\r\n"),  # as a browser sends a textarea's line breaks
            "note": "before\x00after\r\nnext line",
        },
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert annotation.exact == passage and annotation.note == "before\ufffdafter\nnext line"


def test_a_quick_highlight_leaves_the_open_panel_and_the_address_be(client, article, alice):
    response = post_new_annotation(logged_in(client, alice), article, headers=HTMX, quick="1")
    assert response.status_code == 200 and Annotation.objects.count() == 1
    assert response["HX-Reswap"] == "none" and response["HX-Push-Url"] == "false"
    response = post_new_annotation(client, article, passage="signs about the libraries", headers=HTMX)
    assert "HX-Reswap" not in response and Annotation.objects.count() == 2


def test_an_edit_reads_only_the_note_fields_so_stray_offsets_change_nothing(client, article, alice):
    annotation = create_annotation(alice, article)
    place = (annotation.start, annotation.end, annotation.exact)
    response = logged_in(client, alice).post(
        reverse("articles:annotation_edit", args=[annotation.pk]),
        {"note": "Edited", "start": "not a number", "end": "0", "exact": "x"},
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.note == "Edited" and (annotation.start, annotation.end, annotation.exact) == place


def test_another_users_posts_get_403_for_public_and_404_for_private_annotations(client, article, alice, bob):
    public = create_annotation(alice, article, note="public one", visibility="public")
    private = create_annotation(alice, article, passage="signs about the libraries", note="secret")
    logged_in(client, bob)
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
    annotation = create_annotation(alice, article, visibility="public")
    for name in ("articles:annotation_edit", "articles:annotation_delete"):
        response = client.post(reverse(name, args=[annotation.pk]), {"note": "x"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client.post(reverse("articles:annotation_delete", args=[annotation.pk]), **HTMX)
    assert reverse("login") in response["HX-Redirect"]
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_private_annotations_are_absent_from_every_view_for_others(client, article, alice, bob):
    public = create_annotation(alice, article, note="PUBLIC-NOTE", visibility="public")
    private = create_annotation(alice, article, passage="signs about the libraries", note="PRIVATE-NOTE")
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
                assert "PRIVATE-NOTE" not in body and f'data-annotation-id="{private.pk}"' not in body, (
                    viewer,
                    name,
                )
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
        create_annotation(alice, article, passage=passage, visibility="public")
    after = client.get("/").content.decode()
    assert re.search(r"\b3 annotations\b", after)
    assert re.search(r"(\d+) quotes?", after).group(1) == quotes


def test_a_stored_note_with_script_is_rendered_inert_on_every_page(client, article, alice):
    annotation = create_annotation(alice, article, visibility="public")
    Annotation.objects.filter(pk=annotation.pk).update(
        note='<script>alert("x")</script> [go](javascript:alert(1))', tags=["<b>tag</b>"]
    )
    for url in (annotation.get_absolute_url(), reverse("articles:annotations", args=[article.pk])):
        body = client.get(url).content.decode()
        assert '<script>alert("x")' not in body and "&lt;script&gt;" in body
        assert 'href="javascript:' not in body
        assert "<b>tag</b>" not in body and "&lt;b&gt;tag&lt;/b&gt;" in body


def test_annotation_page_opens_with_its_panel_share_link_and_social_tags(client, article, alice):
    annotation = create_annotation(alice, article, note="Budget cuts", visibility="public")
    page = client.get(annotation.get_absolute_url()).content.decode()
    assert '<aside id="panel" class="panel"' in page and 'class="para"' in page
    share = f"http://testserver{annotation.get_absolute_url()}#:~:text=We%20cannot"
    assert share in page
    assert '<meta property="og:title" content="Annotation on “Council budget talks collapse”">' in page
    assert (
        'property="og:description" content="“We cannot keep the libraries open on these numbers” — Budget cuts"'
        in page
    )
    assert '<meta name="twitter:card" content="summary">' in page
    article_page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Council budget talks collapse">' in article_page
    assert f'data-copy="http://testserver{article.get_absolute_url()}"' in article_page


def test_quote_share_link_carries_a_text_fragment(client, article):
    quote = article.quotes.first()
    body = client.get(quote.get_absolute_url(), **HTMX).content.decode()
    assert f"http://testserver{quote.get_absolute_url()}#quote-{quote.pk}:~:text=" in body


def test_quote_tags_are_skipped_by_selection_offsets(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<a class="quote-tag"[^>]*data-nr-skip', page)


def test_markdown_export_has_quote_note_tags_and_link(client, article, alice):
    annotation = create_annotation(
        alice, article, note="Why now?", tags="budget, libraries", visibility="public"
    )
    response = client.get(reverse("articles:annotations_export", args=[article.pk, "md"]))
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert f"> {PASSAGE}" in body and "Why now?" in body and "#budget, #libraries" in body
    assert f"http://testserver{annotation.get_absolute_url()}" in body


def test_json_ld_export_is_a_web_annotation_collection(client, article, alice):
    annotation = create_annotation(
        alice, article, note="Why now?", tags="budget", colour="pink", visibility="public"
    )
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
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": annotation.start,
        "end": annotation.end,
    }
    assert item["target"]["styleClass"] == "pink"


def test_export_then_import_round_trip(client, article, alice, bob):
    create_annotation(alice, article, note="First *note*", tags="a, b", colour="green", visibility="public")
    create_annotation(alice, article, passage="Residents queued outside the hall", visibility="public")
    exported = client.get(reverse("articles:annotations_export", args=[article.pk, "jsonld"])).content
    report = annotations_import(user=bob, article=article, raw=exported)
    assert (report.created, report.orphaned, report.duplicates) == (2, 0, 0)
    mine = list(Annotation.objects.filter(user=bob).in_text_order())
    theirs = list(Annotation.objects.filter(user=alice).in_text_order())
    for imported, original in zip(mine, theirs):
        assert (
            imported.exact,
            imported.start,
            imported.end,
            imported.note,
            imported.tags,
            imported.colour,
        ) == (original.exact, original.start, original.end, original.note, original.tags, original.colour)
        assert imported.visibility == Annotation.Visibility.PRIVATE
    again = annotations_import(user=bob, article=article, raw=exported)
    assert (again.created, again.duplicates) == (0, 2)


def test_import_view_and_its_errors_store_nothing(client, article, alice):
    other = import_article(text="Other story\n\nNothing in common with the council at all, said nobody.")
    create_annotation(alice, article, visibility="public")
    exported = client.get(
        reverse("articles:annotations_export", args=[article.pk, "jsonld"])
    ).content.decode()
    Annotation.objects.all().delete()
    logged_in(client, alice)
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


def test_a_plain_form_with_crlf_line_breaks_still_matches_a_passage_across_paragraphs(client, article, alice):
    start = article.text.index("the coming year.")
    end = article.text.index(" said Ana")
    exact = article.text[start:end]
    response = logged_in(client, alice).post(
        reverse("articles:annotations", args=[article.pk]),
        {"start": start, "end": end, "exact": exact.replace("\n", "\r\n")},
    )
    assert response.status_code == 302 and Annotation.objects.get().exact == exact


def test_crafted_imports_and_counts_get_a_message_never_a_500(client, article, alice):
    logged_in(client, alice)
    url = reverse("articles:annotations_import", args=[article.pk])
    start = article.text.index(PASSAGE)

    def annotation(begin, end):
        selectors = [
            {"type": "TextQuoteSelector", "exact": PASSAGE},
            {"type": "TextPositionSelector", "start": begin, "end": end},
        ]
        return {"type": "Annotation", "target": {"selector": selectors}}

    for raw, message in [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            json.dumps([annotation(start, start + len(PASSAGE)), annotation(10**30, 10**30 + 5)]),
            "not a place",
        ),
        (json.dumps([annotation(2**63, 2**63 + 1)]), "not a place"),
    ]:
        response = client.post(url, {"json": raw})
        assert response.status_code == 422 and message in response.content.decode()
    assert not Annotation.objects.exists()
    listing = reverse("articles:annotations", args=[article.pk])
    for query in ["imported=²&orphaned=³", "imported=-1&orphaned=x", f"imported={'9' * 5000}"]:
        response = client.get(f"{listing}?{query}")
        assert response.status_code == 200 and "Imported 0 annotations." in response.content.decode()
    assert (
        "Imported 3 annotations. 1 could not"
        in client.get(f"{listing}?imported=3&orphaned=1").content.decode()
    )


def test_huge_selection_offsets_are_refused_with_a_message(client, article, alice):
    logged_in(client, alice)
    for start, end in [(10**30, 10**30 + 5), ("9" * 5000, "1")]:
        response = post_new_annotation(client, article, start=start, end=end)
        assert response.status_code == 422
        assert (
            "outside the article" in response.content.decode() or "whole numbers" in response.content.decode()
        )
        new_form = client.get(
            reverse("articles:annotation_new", args=[article.pk]), {"start": start, "end": end}
        )
        assert new_form.status_code == 422
    assert not Annotation.objects.exists()


RAW_HTML_NOTES = [
    "<svg/onload=alert(1)>",
    "<details/ontoggle=alert(2) open>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=https://evil.example><button>Go</button></form> <!-- a comment -->",
]


def _tags_when_rendered(markdown: str) -> set[str]:
    """The elements a Markdown viewer that passes raw HTML through (CommonMark's default) would make."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.found.add(tag)

    parser = Tags()
    parser.feed(MarkdownIt("commonmark", {"html": True}).render(markdown))
    return parser.found


def test_markdown_exports_carry_no_raw_html_from_notes_passages_or_titles(client, alice):
    headline = "Budget <svg/onload=alert(3)>"
    article = import_article(text=TEXT.replace("Council budget talks collapse", headline))
    for number, note in enumerate(RAW_HTML_NOTES):
        annotation = create_annotation(
            alice, article, note=f"Note {number}", visibility="public", passage=PASSAGE.split()[number]
        )
        Annotation.objects.filter(pk=annotation.pk).update(note=note)  # stored before the note filter knew it
    Annotation.objects.filter(note=RAW_HTML_NOTES[0]).update(exact="<details/ontoggle=alert(4)>")
    create_annotation(
        alice, article, note="See <https://example.org/a> and `<svg/onload=x>`", visibility="public"
    )
    logged_in(client, alice)
    for address in (
        reverse("articles:annotations_export", args=[article.pk, "md"]),
        reverse("articles:notebook_export", args=["md"]),
    ):
        body = client.get(address).content.decode()
        allowed = {
            "h1",
            "h2",
            "h3",
            "p",
            "blockquote",
            "a",
            "code",
            "pre",
            "ul",
            "li",
        }  # "Who said what": a list, a JSON block
        assert _tags_when_rendered(body) <= allowed, address
        assert "\\<svg/onload=alert(1)>" in body and "\\<meta http-equiv=refresh" in body  # shown as text
        assert "<https://example.org/a>" in body and "`<svg/onload=x>`" in body  # links and code kept


@pytest.mark.parametrize("note", [RAW_HTML_NOTES[0], RAW_HTML_NOTES[1], "<img/src=x/onerror=alert(1)>"])
def test_a_note_with_an_event_handler_after_a_slash_is_refused(client, article, alice, note):
    response = post_new_annotation(logged_in(client, alice), article, note=note)
    assert response.status_code == 422 and "The note contains script" in response.content.decode()
    assert not Annotation.objects.exists()


def test_the_annotation_list_is_read_a_page_at_a_time_in_text_order(client, article, alice, bob):
    from articles.views.annotations import ANNOTATIONS_PER_PAGE

    words = article.text.split("\n\n")[1].split()
    total = ANNOTATIONS_PER_PAGE + 3
    for number in range(total):
        create_annotation(
            alice, article, passage=words[number % len(words)], note=f"flood{number:03d}", visibility="public"
        )
    create_annotation(alice, article, note="alice-private-n", visibility="private")
    url = reverse("articles:annotations", args=[article.pk])
    first = client.get(url).content.decode()
    assert first.count('class="annotation-item') == ANNOTATIONS_PER_PAGE
    assert f"1–{ANNOTATIONS_PER_PAGE} of {total} (page 1 of 2)" in first
    assert f'href="{url}?page=2" hx-get="{url}?page=2">Later in the text' in first
    second = client.get(url, {"page": 2}, **HTMX).content.decode()
    assert second.count('class="annotation-item') == 3 and "alice-private-n" not in second + first
    assert f"{ANNOTATIONS_PER_PAGE + 1}–{total} of {total}" in second
    shown = re.findall(r"flood(\d{3})", first + second)
    assert sorted(shown) == [f"{n:03d}" for n in range(total)]  # each once, none lost between pages
    for nonsense in ("999", "-1", "abc", "²"):
        assert client.get(url, {"page": nonsense}).status_code == 200
