"""Corrections from the panels: as plain forms and with htmx; what the page, the person page, "who is quoted",
search and the exports show afterwards; who may correct and undo; and the article's list of corrections."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from articles.models import Actor, Correction
from tests.helpers import HTMX
from tests.services.test_corrections import BRIDGE, MAY_QUOTE, may_quote, quoted

pytestmark = pytest.mark.django_db


@pytest.fixture
def bridge(db):
    from tests.helpers import import_article

    return import_article(text=BRIDGE, source="Gazette")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)


def correct_url(article, quote):
    return reverse("articles:quote_correct", args=[article.pk, quote.pk])


def ruiz(article):
    return article.entities.get(name="Ruiz")


def test_a_speaker_corrected_in_the_panel_is_what_every_page_shows(client, bridge, staff):
    client.force_login(staff)
    quote = may_quote(bridge)
    panel = client.get(quote.get_absolute_url()).content.decode()
    assert "Wrong speaker?" in panel and "Not a quote" in panel
    response = client.post(correct_url(bridge, quote), {"kind": "speaker", "entity": ruiz(bridge).pk})
    assert response.status_code == 302 and response["Location"] == quote.get_absolute_url()
    page = client.get(quote.get_absolute_url()).content.decode()
    # The quote's tag in the text names Ruiz and says it was corrected; the panel lists the correction.
    assert f'id="quote-{quote.pk}"' in page and "Ruiz · corrected" in page
    assert "Quote by Ruiz, corrected by a reader" in page
    assert "Speaker is Ruiz (the analysis said: Tom Berg)" in page and "Undo this correction" in page
    actor = ruiz(bridge).actor
    person = client.get(reverse("articles:actor", args=[actor.pk])).content.decode()
    assert "The bridge will reopen in May" in person
    who = client.get(reverse("articles:who_is_quoted")).content.decode()
    assert "Tom Berg" not in who and "Ruiz" in who
    search = client.get(reverse("articles:search"), {"q": "bridge", "person": actor.pk, "said": "quoted"})
    hit = f'href="{bridge.get_absolute_url()}'
    assert hit in search.content.decode()
    berg = Actor.objects.get(name="Tom Berg")
    search = client.get(reverse("articles:search"), {"q": "bridge", "person": berg.pk, "said": "quoted"})
    assert hit not in search.content.decode()
    export = json.loads(
        client.get(reverse("articles:annotations_export", args=[bridge.pk, "jsonld"])).content
    )
    said = [a for a in export["attributions"] if a["content"] == [[quote.start, quote.end]]]
    assert [a["speaker"] for a in said] == ["Ruiz"]


def test_with_htmx_the_panel_and_the_text_come_back_in_place(client, bridge, staff):
    client.force_login(staff)
    quote = may_quote(bridge)
    response = client.post(
        correct_url(bridge, quote), {"kind": "speaker", "name": "Ana Ruiz", "label": "PERSON"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Push-Url"] == quote.get_absolute_url()
    assert 'id="panel"' in body and 'hx-swap-oob="true"' in body and "Ana Ruiz · corrected" in body
    assert "<html" not in body


def test_a_bad_correction_is_refused_with_its_reason_and_writes_nothing(client, bridge, staff):
    client.force_login(staff)
    quote = may_quote(bridge)
    response = client.post(
        correct_url(bridge, quote), {"kind": "span", "words": "<script>alert(1)</script>"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 422 and "Those words are not in the article" in body
    assert "<script>alert(1)" not in body
    response = client.post(correct_url(bridge, quote), {"kind": "speaker", "name": "  "})
    assert response.status_code == 422 and "type a name" in response.content.decode()
    response = client.post(correct_url(bridge, quote), {"kind": "speaker", "name": "x" * 301})
    assert response.status_code == 422 and "too long" in response.content.decode()
    response = client.post(correct_url(bridge, quote), {"kind": "nonsense"})
    assert response.status_code == 422 and "Unknown correction" in response.content.decode()
    assert not Correction.objects.exists() and may_quote(bridge).speaker_name == "Tom Berg"


def test_a_hostile_typed_speaker_is_shown_as_text(client, bridge, staff):
    client.force_login(staff)
    quote = may_quote(bridge)
    client.post(correct_url(bridge, quote), {"kind": "speaker", "name": "<img src=x onerror=alert(1)>"})
    page = client.get(quote.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_readers_without_the_right_get_403_or_404_and_nothing_is_written(client, bridge, alice, staff):
    quote = may_quote(bridge)
    data = {"kind": "speaker", "entity": ruiz(bridge).pk}
    anonymous = client.post(correct_url(bridge, quote), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.force_login(alice)
    assert "Wrong speaker?" not in client.get(quote.get_absolute_url()).content.decode()
    assert client.post(correct_url(bridge, quote), data).status_code == 403
    entity = ruiz(bridge)
    url = reverse("articles:entity_correct", args=[bridge.pk, entity.pk])
    assert client.post(url, {"kind": "not_name"}).status_code == 403
    from tests.helpers import import_article

    other = import_article(text="Other news\n\n“All is well,” said Jane Roe, the mayor.")
    client.force_login(staff)
    assert client.post(correct_url(other, quote), data).status_code == 404  # a quote of another article
    assert client.post(reverse("articles:quote_correct", args=[bridge.pk, 10**9]), data).status_code == 404
    assert not Correction.objects.exists() and may_quote(bridge).speaker_name == "Tom Berg"
    # Staff correct; another reader may not undo it.
    client.post(correct_url(bridge, quote), data)
    correction = Correction.objects.get()
    client.force_login(alice)
    assert client.post(reverse("articles:correction_undo", args=[correction.pk])).status_code == 403
    assert Correction.objects.get().is_active and may_quote(bridge).speaker_name == "Ruiz"


def test_a_reader_given_the_corrector_permission_sees_the_forms_at_once(client, bridge, alice):
    client.force_login(alice)
    url = may_quote(bridge).get_absolute_url()
    for _ in range(2):  # the first view sets the CSRF cookie; the second is cached for alice
        assert "Wrong speaker?" not in client.get(url).content.decode()
    alice.user_permissions.add(Permission.objects.get(codename="correct_analysis"))
    assert "Wrong speaker?" in client.get(url).content.decode()
    response = client.post(correct_url(bridge, may_quote(bridge)), {"kind": "not_quote"})
    assert response.status_code == 302 and not bridge.quotes.filter(text=MAY_QUOTE).exists()


def test_undo_from_the_list_restores_the_analysis_answer(client, bridge, staff):
    client.force_login(staff)
    quote = may_quote(bridge)
    client.post(correct_url(bridge, quote), {"kind": "speaker", "entity": ruiz(bridge).pk})
    correction = Correction.objects.get()
    response = client.post(reverse("articles:correction_undo", args=[correction.pk]))
    assert response.status_code == 302
    assert may_quote(bridge).speaker_name == "Tom Berg" and quoted("Tom Berg") == 1
    listed = client.get(reverse("articles:corrections", args=[bridge.pk])).content.decode()
    assert "undone by editor" in listed and "Undo this correction" not in listed
    assert "· corrected" not in client.get(quote.get_absolute_url()).content.decode()


def test_the_article_lists_a_correction_that_can_no_longer_be_placed(
    client, bridge, staff, django_capture_on_commit_callbacks
):
    from articles.services.articles import article_update_text
    from tests.helpers import run_tasks

    client.force_login(staff)
    client.post(correct_url(bridge, may_quote(bridge)), {"kind": "speaker", "entity": ruiz(bridge).pk})
    edited = BRIDGE.replace(
        "“The bridge will reopen in May,” Berg said after the meeting.", "Berg left early."
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=bridge, text=edited)
    run_tasks()
    page = client.get(bridge.get_absolute_url()).content.decode()
    assert re.search(r"Corrections \(1, 1 not placed\)", page)
    listed = client.get(reverse("articles:corrections", args=[bridge.pk])).content.decode()
    assert "not placed: Its words are no longer in the text." in listed and MAY_QUOTE in listed


def test_names_are_corrected_from_their_panel(client, bridge, staff):
    client.force_login(staff)
    springfield = bridge.entities.get(name="Springfield")
    url = reverse("articles:entity_correct", args=[bridge.pk, springfield.pk])
    panel = client.get(springfield.get_absolute_url()).content.decode()
    assert "Wrong type" in panel and "Not a name" in panel
    assert client.post(url, {"kind": "entity_type", "label": "ORG"}).status_code == 302
    springfield.refresh_from_db()
    assert springfield.label == "ORG"
    assert (
        "Organisation: Springfield, corrected by a reader"
        in client.get(bridge.get_absolute_url()).content.decode()
    )
    may = bridge.entities.get(name="May")
    response = client.post(reverse("articles:entity_correct", args=[bridge.pk, may.pk]), {"kind": "not_name"})
    assert response.status_code == 302 and "/corrections/" in response["Location"]
    assert not bridge.entities.filter(name="May").exists()
    call_command("reanalyze", "--all", "--no-progress")
    assert not bridge.entities.filter(name="May").exists()


def test_an_unsure_speaker_is_marked_until_a_reader_corrects_it(client, bridge, staff):
    from articles.models import Quote

    quote = may_quote(bridge)
    Quote.objects.filter(pk=quote.pk).update(confidence=0.3)
    bridge.quotes.exclude(pk=quote.pk).update(confidence=0.9)  # reported statements carry one too
    client.force_login(staff)
    page = client.get(quote.get_absolute_url()).content.decode()
    assert "Tom Berg · unsure" in page and "Quote by Tom Berg, unsure: check the speaker" in page
    assert '30% that the speaker is right · <strong class="unsure">unsure: check the speaker</strong>' in page
    assert "Ruiz · unsure" not in page and page.count("quote--unsure") == 1  # the confident one is not marked
    client.post(correct_url(bridge, quote), {"kind": "speaker", "entity": ruiz(bridge).pk})
    page = client.get(quote.get_absolute_url()).content.decode()
    assert "unsure" not in page and "Ruiz · corrected" in page
    assert "that the speaker is right" not in page  # the analysis's confidence was in its own speaker
    correction = Correction.objects.get()
    client.post(reverse("articles:correction_undo", args=[correction.pk]))
    assert may_quote(bridge).confidence == 0.3


def test_a_reported_statement_shows_its_confidence_and_is_marked_unsure_until_a_reader_corrects_it(
    client, bridge, staff
):
    from articles.models import Quote
    from articles.models.quotes import UNSURE_BELOW

    statement = bridge.quotes.get(form=Quote.Form.REPORTED, text__startswith="the detour")
    assert statement.speaker_name == "Residents"
    # The analysis's own confidence, as the panel words it, with the mark only if it is low.
    assert statement.confidence is not None and 0 < statement.confidence < 1
    panel = client.get(statement.get_absolute_url(), **HTMX).content.decode()
    assert f"{round(statement.confidence * 100)}% that the speaker is right" in panel
    assert ("unsure: check the speaker" in panel) == (statement.confidence < UNSURE_BELOW)
    bridge.quotes.update(confidence=0.9)
    Quote.objects.filter(pk=statement.pk).update(confidence=0.4)
    client.force_login(staff)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert '40% that the speaker is right · <strong class="unsure">unsure: check the speaker</strong>' in page
    assert "Residents · unsure" in page and "Reported speech by Residents, unsure: check the speaker" in page
    assert page.count("quote--unsure") == 1  # the confident ones are not marked
    client.post(correct_url(bridge, statement), {"kind": "speaker", "entity": ruiz(bridge).pk})
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "unsure" not in page and "Ruiz · corrected" in page
    assert "40% that the speaker is right" not in page  # the analysis's confidence was in its own speaker
    client.post(reverse("articles:correction_undo", args=[Correction.objects.get().pk]))
    assert Quote.objects.get(pk=statement.pk).confidence == 0.4
    assert "Residents · unsure" in client.get(statement.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", ["²", "-1", "9" * 5001, "abc", "1e3"])
def test_bad_ids_in_a_correction_are_refused_in_words(client, bridge, staff, value):
    client.force_login(staff)
    quote = may_quote(bridge)
    response = client.post(correct_url(bridge, quote), {"kind": "speaker", "entity": value})
    assert response.status_code == 422 and "not one of this article" in response.content.decode()
    berg = bridge.entities.get(name="Tom Berg")
    url = reverse("articles:entity_correct", args=[bridge.pk, berg.pk])
    response = client.post(url, {"kind": "same_as", "actor_id": value})
    assert response.status_code == 422 and "not in the library" in response.content.decode()
    assert not Correction.objects.exists()


def test_ids_too_large_for_the_database_are_not_found(client, bridge, staff):
    client.force_login(staff)
    huge = "9" * 30
    for url in (
        f"/articles/{huge}/quotes/1/correct/",
        f"/articles/{bridge.pk}/quotes/{huge}/correct/",
        f"/articles/{bridge.pk}/entities/{huge}/correct/",
        f"/corrections/{huge}/undo/",
    ):
        assert client.post(url, {"kind": "not_quote"}).status_code == 404, url
    assert client.get(f"/articles/{huge}/corrections/").status_code == 404
    assert not Correction.objects.exists()


def test_same_as_suggests_the_library_s_people_as_the_reader_types(client, bridge, staff):
    from tests.helpers import import_article

    import_article(text="Budget vote\n\n“It is done,” said Thomas Berg, the treasurer, on Friday.")
    client.force_login(staff)
    berg = bridge.entities.get(name="Tom Berg")
    panel = client.get(berg.get_absolute_url()).content.decode()
    suggest = reverse("articles:suggest", args=["person"])
    assert f'hx-get="{suggest}"' in panel and 'list="person-names"' in panel
    found = client.get(suggest, {"name": "Thom"}, **HTMX).content.decode()
    assert '<option value="Thomas Berg">' in found
    url = reverse("articles:entity_correct", args=[bridge.pk, berg.pk])
    assert client.post(url, {"kind": "same_as", "name": "Thomas Berg"}).status_code == 302
    berg.refresh_from_db()
    assert berg.actor.name == "Thomas Berg"
    assert (
        "is the same as Thomas Berg elsewhere in the library"
        in client.get(berg.get_absolute_url()).content.decode()
    )
