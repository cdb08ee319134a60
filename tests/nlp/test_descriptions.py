from __future__ import annotations

from articles.nlp.types import Analysis, Entity

from .conftest import Run


def _entity(analysis: Analysis, name: str) -> Entity:
    return next(e for e in analysis.entities if e.name == name)


def test_appositive_the_parser_reads_as_a_second_subject_still_describes_the_speaker(run: Run) -> None:
    text = "Talks news\n“It is regrettable,” Kim Eui-kyeom, a spokesman for Mr. Moon, said after the news."
    quote = run(text).quotes[0]
    assert quote.speaker == "Kim Eui-kyeom"
    assert quote.speaker_description == "a spokesman for Mr. Moon"


def test_speaker_keeps_the_description_given_at_first_mention(run: Run) -> None:
    text = (
        "Court news\nMichael Cohen, the president’s former lawyer, testified on Wednesday.\n"
        "“I lied,” Mr. Cohen said."
    )
    analysis = run(text)
    assert _entity(analysis, "Michael Cohen").description == "the president’s former lawyer"
    assert analysis.quotes[0].speaker_description == "the president’s former lawyer"


def test_description_stops_before_a_relative_clause(run: Run) -> None:
    text = "Court news\nMichael Cohen, a former lawyer, who spent hours testifying, left early."
    assert _entity(run(text), "Michael Cohen").description == "a former lawyer"


def test_a_coordinated_name_does_not_take_the_next_names_appositive(run: Run) -> None:
    text = "Summit news\nPresident Trump and Kim Jong-un, North Korea’s leader, ended their summit."
    analysis = run(text)
    assert _entity(analysis, "Kim Jong-un").description == "North Korea’s leader"
    assert _entity(analysis, "Trump").description == "President"


def test_office_title_before_a_name_describes_the_person(run: Run) -> None:
    text = "Summit news\nSecretary of State Mike Pompeo flew to Hanoi on Tuesday."
    analysis = run(text)
    assert _entity(analysis, "Mike Pompeo").description == "Secretary of State"
    assert not any(e.name == "State" for e in analysis.entities)
