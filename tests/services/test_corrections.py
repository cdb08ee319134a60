"""Readers' corrections: applied to the stored rows at once, applied again after every analysis and text edit,
kept when they cannot be placed, undone back to the analysis's answer, and only by those allowed."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from articles.models import Actor, Correction, Entity, Quote, QuoteTally
from articles.services.analysis import article_reanalyze
from articles.services.articles import article_update_text
from articles.services.corrections import CorrectionRejected, correction_create, correction_undo
from tests.helpers import import_article, run_tasks

pytestmark = pytest.mark.django_db

BRIDGE = (
    "Bridge talks stall\n\n"
    "Mayor Ana Ruiz met Tom Berg, the council's treasurer, at the Springfield town hall on Monday.\n\n"
    "“The bridge will reopen in May,” Berg said after the meeting.\n\n"
    "“We have the money for it,” said Ruiz, who called the repairs urgent.\n\n"
    "Residents said the detour had cost them an hour a day."
)
MAY_QUOTE = "“The bridge will reopen in May,”"


@pytest.fixture
def bridge(db):
    return import_article(text=BRIDGE, source="Gazette")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)


def may_quote(article) -> Quote:
    return article.quotes.get(text=MAY_QUOTE)


def quoted(actor_name: str) -> int:
    """Quotes counted for the speaker in the public library (the article is public; every library that
    shows it keeps the same count)."""
    rows = QuoteTally.objects.filter(actor__name=actor_name, library=QuoteTally.PUBLIC)
    return sum(t.quotes for t in rows)


def correct_speaker(user, article, name="Ruiz", **values) -> Correction:
    """The May quote's speaker made `name`: the article's name of that name, or typed (with a label)."""
    values = {"name": name, **values} if values else {"entity": article.entities.get(name=name).pk}
    return correction_create(
        user=user, article=article, kind=Correction.Kind.SPEAKER, quote=may_quote(article), values=values
    )


def test_a_corrected_speaker_is_stored_and_counted_at_once(bridge, staff):
    assert may_quote(bridge).speaker_name == "Tom Berg" and quoted("Tom Berg") == 1 and quoted("Ruiz") == 1
    revision = bridge.revision
    correction = correct_speaker(staff, bridge)
    quote = may_quote(bridge)
    assert (quote.speaker.name, quote.speaker_name, quote.speaker_mention_text) == ("Ruiz", "Ruiz", "Ruiz")
    assert quoted("Tom Berg") == 0 and quoted("Ruiz") == 2
    assert correction.placed and correction.quote_id == quote.pk and correction.author == staff
    assert correction.machine["speaker_name"] == "Tom Berg"
    bridge.refresh_from_db()
    assert bridge.revision > revision  # cached pages of the uncorrected analysis are not served again


def test_a_typed_speaker_the_text_does_not_name_becomes_a_person_of_the_article(bridge, staff):
    correct_speaker(staff, bridge, name="Ana Ruiz-Ortega", label="PERSON")
    quote = may_quote(bridge)
    assert quote.speaker.name == "Ana Ruiz-Ortega" and quote.speaker.actor.name == "Ana Ruiz-Ortega"
    assert quote.speaker_start is None  # the text never names her so
    assert quoted("Ana Ruiz-Ortega") == 1


def test_corrections_survive_reanalysis_of_the_whole_library(bridge, staff):
    correct_speaker(staff, bridge)
    old_quotes = set(Quote.objects.values_list("pk", flat=True))
    call_command("reanalyze", "--all", "--no-progress")
    quote = may_quote(bridge)
    assert quote.pk not in old_quotes  # the rows are new...
    assert quote.speaker_name == "Ruiz" and quoted("Ruiz") == 2 and quoted("Tom Berg") == 0  # ...corrected
    assert Correction.objects.get().quote_id == quote.pk


def test_a_text_edit_moves_a_correction_with_its_words(bridge, staff, django_capture_on_commit_callbacks):
    correction = correct_speaker(staff, bridge)
    old_start = correction.start
    edited = BRIDGE.replace("\n\n“The bridge", "\n\nThe meeting ran late into the evening.\n\n“The bridge")
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=bridge, text=edited)
    correction.refresh_from_db()
    assert correction.placed and correction.start == old_start + len(
        "The meeting ran late into the evening.\n\n"
    )
    run_tasks()  # the analysis of the edited text, as the worker runs it
    bridge.refresh_from_db()
    quote = may_quote(bridge)
    assert quote.start == correction.start and quote.speaker_name == "Ruiz" and quoted("Tom Berg") == 0


def test_a_correction_whose_words_are_gone_is_kept_and_listed(
    bridge, staff, django_capture_on_commit_callbacks
):
    correct_speaker(staff, bridge)
    edited = BRIDGE.replace(
        "“The bridge will reopen in May,” Berg said after the meeting.", "Berg left early."
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=bridge, text=edited)
    run_tasks()
    correction = Correction.objects.get()
    assert not correction.placed and correction.is_active
    assert correction.problem == "Its words are no longer in the text."
    assert list(bridge.corrections.active().filter(placed=False)) == [correction]


def test_a_correction_the_analysis_no_longer_fits_is_kept_and_tried_again(bridge, staff):
    correct_speaker(staff, bridge)
    Quote.objects.filter(text=MAY_QUOTE).delete()  # as if a new model no longer found the quote
    from articles.services.corrections import corrections_apply

    corrections_apply(article=bridge)
    correction = Correction.objects.get()
    assert not correction.placed and "no longer finds" in correction.problem
    article_reanalyze(article=bridge)  # the quote is found again: the correction is applied again
    correction.refresh_from_db()
    assert correction.placed and may_quote(bridge).speaker_name == "Ruiz"


def test_undo_restores_the_analysis_answer_and_the_tallies(bridge, staff):
    correction = correct_speaker(staff, bridge)
    correction_undo(correction=correction, user=staff)
    quote = may_quote(bridge)
    assert (quote.speaker_name, quote.speaker.name, quote.speaker_mention_text) == (
        "Tom Berg",
        "Tom Berg",
        "Berg",
    )
    assert quoted("Tom Berg") == 1 and quoted("Ruiz") == 1
    correction.refresh_from_db()
    assert correction.undone is not None and correction.undone_by == staff
    article_reanalyze(article=bridge)  # an undone correction is not applied again
    assert may_quote(bridge).speaker_name == "Tom Berg"


def test_a_second_fix_of_a_speaker_replaces_the_first_and_undo_brings_the_analysis_back(bridge, staff):
    first = correct_speaker(staff, bridge)
    second = correct_speaker(staff, bridge, name="Ana Ruiz", label="PERSON")
    first.refresh_from_db()
    assert first.replaced_by == second and not first.is_active
    assert may_quote(bridge).speaker_name == "Ana Ruiz"
    correction_undo(correction=second, user=staff)
    assert may_quote(bridge).speaker_name == "Tom Berg"
    assert not Entity.objects.filter(name="Ana Ruiz").exists()  # the name made for the correction goes too


def test_readers_without_the_right_are_refused_and_nothing_is_written(bridge, alice, staff):
    with pytest.raises(PermissionDenied):
        correct_speaker(alice, bridge)
    assert not Correction.objects.exists() and may_quote(bridge).speaker_name == "Tom Berg"
    correction = correct_speaker(staff, bridge)
    with pytest.raises(PermissionDenied):
        correction_undo(correction=correction, user=alice)
    assert Correction.objects.get().is_active and may_quote(bridge).speaker_name == "Ruiz"


def test_whoever_added_the_article_and_correctors_may_correct(bridge, alice, bob):
    bridge.added_by = alice
    bridge.save(update_fields=["added_by"])
    correct_speaker(alice, bridge)
    bob.user_permissions.add(Permission.objects.get(codename="correct_analysis"))
    bob = type(bob).objects.get(pk=bob.pk)  # permissions are cached on the user object
    correction = correction_create(
        user=bob,
        article=bridge,
        kind=Correction.Kind.NOT_QUOTE,
        quote=bridge.quotes.get(text__startswith="“We have"),
    )
    assert correction.author == bob
    with pytest.raises(PermissionDenied):  # only its author or staff undo it
        correction_undo(correction=correction, user=alice)


def test_not_a_quote_removes_it_everywhere_and_undo_brings_it_back(bridge, staff):
    quote = may_quote(bridge)
    correction = correction_create(user=staff, article=bridge, kind=Correction.Kind.NOT_QUOTE, quote=quote)
    assert not bridge.quotes.filter(text=MAY_QUOTE).exists() and quoted("Tom Berg") == 0
    article_reanalyze(article=bridge)
    assert not bridge.quotes.filter(text=MAY_QUOTE).exists()
    correction_undo(correction=correction, user=staff)
    assert may_quote(bridge).speaker_name == "Tom Berg" and quoted("Tom Berg") == 1


def test_the_quoted_words_can_be_adjusted(bridge, staff):
    quote = may_quote(bridge)
    correction_create(
        user=staff,
        article=bridge,
        kind=Correction.Kind.SPAN,
        quote=quote,
        values={"words": "“The bridge will reopen in May,” Berg said"},
    )
    quote = bridge.quotes.get(pk=quote.pk)
    assert quote.text == "“The bridge will reopen in May,” Berg said"
    assert quote.content == [[quote.start, quote.end]]
    article_reanalyze(article=bridge)
    assert bridge.quotes.filter(text="“The bridge will reopen in May,” Berg said").exists()
    with pytest.raises(CorrectionRejected, match="not in the article"):
        correction_create(
            user=staff,
            article=bridge,
            kind=Correction.Kind.SPAN,
            quote=bridge.quotes.get(text__startswith="“We have"),
            values={"words": "words nobody wrote"},
        )
    assert Correction.objects.count() == 1


def test_a_wrong_type_and_a_name_that_is_none(bridge, staff):
    springfield = bridge.entities.get(name="Springfield")
    correction_create(
        user=staff,
        article=bridge,
        kind=Correction.Kind.ENTITY_TYPE,
        entity=springfield,
        values={"label": "ORG"},
    )
    springfield.refresh_from_db()
    assert springfield.label == "ORG" and springfield.actor.name == "Springfield"
    may = bridge.entities.get(name="May")
    gone = correction_create(user=staff, article=bridge, kind=Correction.Kind.NOT_NAME, entity=may)
    assert not bridge.entities.filter(name="May").exists() and not bridge.mentions.filter(text="May").exists()
    call_command("reanalyze", "--all", "--no-progress")
    assert bridge.entities.get(name="Springfield").label == "ORG"
    assert not bridge.entities.filter(name="May").exists()
    correction_undo(correction=gone, user=staff)
    assert bridge.mentions.filter(text="May", entity__label="DATE").exists()
    assert bridge.entities.get(name="Springfield").label == "ORG"


def test_same_as_and_not_the_same_as_join_and_part_people_across_the_library(bridge, staff):
    other = import_article(text="Budget vote\n\n“It is done,” said Thomas Berg, the treasurer, on Friday.")
    berg = bridge.entities.get(name="Tom Berg")
    thomas = other.entities.get(name="Thomas Berg")
    assert berg.actor != thomas.actor
    joined = correction_create(
        user=staff,
        article=bridge,
        kind=Correction.Kind.SAME_AS,
        entity=berg,
        values={"name": "thomas"},  # a part of a name that only one person of the library holds
    )
    berg.refresh_from_db()
    assert berg.actor == thomas.actor and quoted("Thomas Berg") == 2
    call_command("reanalyze", "--all", "--no-progress")
    assert bridge.entities.get(name="Tom Berg").actor == thomas.actor
    correction_undo(correction=joined, user=staff)
    assert bridge.entities.get(name="Tom Berg").actor.name == "Tom Berg" and quoted("Thomas Berg") == 1
    # Parting: the name gets a person of its own, across analyses.
    ruiz = bridge.entities.get(name="Ruiz")
    correction_create(user=staff, article=bridge, kind=Correction.Kind.NOT_SAME_AS, entity=ruiz)
    own = bridge.entities.get(name="Ruiz").actor
    assert own.name == "Ruiz" and Actor.objects.filter(name="Ruiz").count() == 2
    article_reanalyze(article=bridge)
    assert bridge.entities.get(name="Ruiz").actor == own


def test_undoing_corrections_of_one_quote_in_any_order_comes_back_to_the_analysis(bridge, staff):
    speaker = correct_speaker(staff, bridge)
    gone = correction_create(
        user=staff, article=bridge, kind=Correction.Kind.NOT_QUOTE, quote=may_quote(bridge)
    )
    assert not bridge.quotes.filter(text=MAY_QUOTE).exists() and quoted("Ruiz") == 1
    correction_undo(correction=gone, user=staff)  # the quote is back, still with the reader's speaker
    assert may_quote(bridge).speaker_name == "Ruiz" and quoted("Ruiz") == 2
    correction_undo(correction=speaker, user=staff)  # and then the analysis's speaker
    assert may_quote(bridge).speaker_name == "Tom Berg" and quoted("Tom Berg") == 1 and quoted("Ruiz") == 1


def test_stored_quotes_keep_the_analysis_confidence_in_their_speaker(bridge):
    quote = may_quote(bridge)
    assert quote.confidence is not None and 0 < quote.confidence < 1
    assert all(q.confidence is None for q in bridge.quotes.exclude(kind=Quote.Kind.SPEECH))


def test_stored_reported_statements_keep_the_analysis_confidence_in_their_attribution(bridge):
    said = list(bridge.quotes.filter(kind=Quote.Kind.SPEECH).exclude(form=Quote.Form.QUOTED))
    assert said and all(s.confidence is not None and 0 < s.confidence < 1 for s in said)
