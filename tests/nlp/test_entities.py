from __future__ import annotations

from spacy.language import Language

from articles.nlp.pipeline import analyze
from articles.nlp.types import Analysis, Block

from .conftest import Run


def _names(analysis: Analysis, text: str) -> set[str]:
    return {analysis.entities[m.entity_index].name for m in analysis.mentions if m.text == text}


def test_honorific_and_title_forms_join_the_full_name(run: Run) -> None:
    text = (
        "Summit news\nPresident Moon Jae-in met the delegation. Mr. Moon said little.\n"
        "Later Moon spoke to reporters."
    )
    analysis = run(text)
    assert _names(analysis, "Moon") == {"Moon Jae-in"}


def test_trump_mr_trump_and_president_trump_are_one_entity(run: Run) -> None:
    text = "Trade news\nPresident Trump spoke on Monday. Mr. Trump said the deal was close. Trump left."
    analysis = run(text)
    entities = {m.entity_index for m in analysis.mentions if m.text == "Trump"}
    assert len(entities) == 1
    assert analysis.entities[entities.pop()].label == "PERSON"


def test_possessive_headline_fragment_is_not_a_person(run: Run) -> None:
    text = "Trump’s Talks With Leaders Collapse\nThe talks ended on Thursday, President Trump said."
    analysis = run(text)
    assert not any(m.text == "Trump’s Talks" for m in analysis.mentions)


def test_name_of_a_facility_is_not_a_person(run: Run) -> None:
    text = (
        "Nuclear news\nInspectors visited the Yongbyon enrichment facility on Monday.\n"
        "They said Yongbyon was still active."
    )
    analysis = run(text)
    assert all(m.label != "PERSON" for m in analysis.mentions if m.text == "Yongbyon")


def test_glued_caption_credit_is_not_part_of_a_name(nlp: Language) -> None:
    text = "Summit news\nThe leaders met on Thursday.CreditDoug Mills"
    blocks = [Block("headline", 0, 11), Block("caption", 12, len(text))]
    analysis = analyze(text, blocks, nlp)
    assert not any(m.text.startswith("Credit") for m in analysis.mentions)


def test_mentions_carry_document_offsets(run: Run) -> None:
    text = "Trade news\nThe envoy met Angela Merkel in Berlin."
    analysis = run(text)
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_a_surname_the_model_left_unlabelled_joins_the_full_name_given_earlier(run: Run) -> None:
    text = "Gun news\nThe bill came from Mike Pence and Joe Manchin.\nPence answered the critics: “It was a good bill.”"
    analysis = run(text)
    assert _names(analysis, "Pence") == {"Mike Pence"}
    assert analysis.quotes[0].speaker == "Mike Pence"


def test_a_name_the_model_read_as_a_body_joins_the_person_its_surname_speaks_for(run: Run) -> None:
    text = (
        "Farm news\nTulsi Brannock met farmers in Ohio on Monday and spoke about the drought.\n"
        "“We need rain,” Ms. Brannock said.\n“It is late,” Dr. Brannock added."
    )
    analysis = run(text)
    assert _names(analysis, "Brannock") == {"Tulsi Brannock"}
    assert {e.label for e in analysis.entities if e.name == "Tulsi Brannock"} == {"PERSON"}
    assert [q.speaker for q in analysis.quotes] == ["Tulsi Brannock", "Tulsi Brannock"]


def test_capitalised_word_before_a_surname_in_a_headline_does_not_rename_the_person(run: Run) -> None:
    text = (
        "Timid Warren And Sanders Retreat\nElizabeth Warren spoke to reporters on Monday.\n"
        "“We are making progress,” Warren said."
    )
    analysis = run(text)
    assert analysis.quotes[0].speaker == "Elizabeth Warren"


def test_a_full_name_the_model_left_unlabelled_as_the_subject_of_said_is_a_person(run: Run) -> None:
    analysis = run("Ana Ruiz said the bridge would reopen in May.")
    assert [(e.name, e.label) for e in analysis.entities if e.label == "PERSON"] == [("Ana Ruiz", "PERSON")]
    reported = [s for s in analysis.statements if s.kind == "reported"]
    assert reported and analysis.entities[reported[0].speaker_index].name == "Ana Ruiz"
    # Not any capitalised subject: a name that is not the subject of a verb of saying stays unlabelled.
    assert not [e for e in run("Ana Ruiz built the bridge in May.").entities if e.name == "Ana Ruiz"]


def _headline_mentions(analysis: Analysis, headline: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in analysis.mentions if m.end <= len(headline)]


def test_names_found_only_in_a_title_case_headline_are_not_trusted(run: Run) -> None:
    # The walk's headlines: "Homes Across" read as a person, "City Council Approves Budget" as an organisation.
    storm = "Winter Storm Knocks Out Power to 80,000 Homes Across the Valley"
    analysis = run(f"{storm}\nA winter storm cut power to thousands of homes on Monday, the utility said.")
    assert _headline_mentions(analysis, storm) == []
    council = "City Council Approves Budget After Late-Night Session"
    analysis = run(f"{council}\nThe council voted five to two after midnight to pass the budget.")
    assert _headline_mentions(analysis, council) == []
    assert not any(e.name.startswith("City Council Approves") for e in analysis.entities)


def test_a_title_case_headlines_name_that_the_body_names_stays(run: Run) -> None:
    headline = "Protesters Fill Streets of Paris After Vote"
    analysis = run(f"{headline}\nThousands marched through Paris on Sunday after the vote in parliament.")
    assert _headline_mentions(analysis, headline) == [("Paris", "GPE")]  # not "Protesters Fill Streets"


def test_a_sentence_case_headlines_names_stand_as_read(run: Run) -> None:
    headline = "Talks collapse in Hanoi"
    analysis = run(f"{headline}\nThe talks ended early on Thursday, officials said.")
    assert _headline_mentions(analysis, headline) == [("Hanoi", "GPE")]  # named nowhere else, and kept
