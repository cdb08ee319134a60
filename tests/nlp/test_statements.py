"""Statements: every attribution (direct, mixed, reported) with its content, cue and source."""

from __future__ import annotations

from spacy.language import Language

from articles.nlp.jsonl import analysis_as_dict
from articles.nlp.parse import parse_article
from articles.nlp.pipeline import analysed_blocks, analyze
from articles.nlp.statements.content import contents
from articles.nlp.types import Analysis, Statement

from ..conftest import SEED
from .conftest import Run, blocks_of


def _texts(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[a:b] for a, b in spans]


def _only(analysis: Analysis) -> Statement:
    assert len(analysis.statements) == 1, analysis.statements
    return analysis.statements[0]


def test_said_without_quotation_marks_is_one_reported_statement(run: Run) -> None:
    text = "Bridge\nAna Ruiz said the bridge would reopen in May."
    statement = _only(run(text))
    assert statement.kind == "reported"
    assert statement.speaker == "Ana Ruiz"
    assert text[statement.speaker_start : statement.speaker_end] == "Ana Ruiz"
    assert _texts(text, statement.cue) == ["said"]
    assert _texts(text, statement.content) == ["the bridge would reopen in May"]


def test_told_reports_its_that_clause_with_the_teller_as_speaker(run: Run) -> None:
    text = "Talks\nMr. Pompeo told reporters that the talks would resume."
    statement = _only(run(text))
    assert statement.kind == "reported"
    assert statement.speaker is not None and statement.speaker.endswith("Pompeo")
    assert _texts(text, statement.cue) == ["told"]
    assert _texts(text, statement.content) == ["that the talks would resume"]


def test_according_to_names_the_source_and_reports_the_rest_of_the_sentence(run: Run) -> None:
    text = "Meeting\nAccording to Ben Cole, the meeting was cancelled."
    statement = _only(run(text))
    assert statement.kind == "reported"
    assert statement.speaker == "Ben Cole"
    assert _texts(text, statement.cue) == ["According to"]
    assert _texts(text, statement.content) == ["the meeting was cancelled"]


def test_sentence_final_said_reports_the_clause_before_it(run: Run) -> None:
    text = "Talks\nMaria Lopez spoke in Lima. The talks will resume next week, she said."
    statement = _only(run(text))
    assert statement.kind == "reported"
    assert statement.speaker == "Maria Lopez"  # "she", resolved
    assert text[statement.speaker_start : statement.speaker_end] == "she"
    assert _texts(text, statement.content) == ["The talks will resume next week"]


def test_a_quote_is_a_direct_statement_that_keeps_its_speaker_and_cue(run: Run) -> None:
    text = "Win\n“We will win,” Ana Ruiz said."
    analysis = run(text)
    statement = _only(analysis)
    quote = analysis.quotes[0]
    assert statement.kind == "direct"
    assert statement.content == ((quote.start, quote.end),)
    assert statement.speaker == quote.speaker == "Ana Ruiz"
    assert (statement.speaker_start, statement.speaker_end) == (quote.speaker_start, quote.speaker_end)
    assert statement.cue == ((quote.cue_start, quote.cue_end),)


def test_quotes_one_cue_reports_are_the_pieces_of_one_direct_statement(run: Run) -> None:
    text = "Win\n“We will win,” Ana Ruiz said, “and we will win soon.” “The polls are wrong,” she added."
    analysis = run(text)
    assert [q.text for q in analysis.quotes] == [
        "“We will win,”",
        "“and we will win soon.”",
        "“The polls are wrong,”",
    ]
    said, added = analysis.statements
    assert said.kind == added.kind == "direct"
    assert _texts(text, said.content) == ["“We will win,”", "“and we will win soon.”"]
    assert _texts(text, said.cue) == ["said"] and said.speaker == "Ana Ruiz"
    assert _texts(text, added.content) == ["“The polls are wrong,”"]
    assert _texts(text, added.cue) == ["added"] and added.speaker == "Ana Ruiz"


def test_a_quote_continued_in_the_next_sentence_is_part_of_the_same_statement(run: Run) -> None:
    text = "Win\n“We will win,” Ana Ruiz said. “The polls are wrong.”"
    statement = _only(run(text))
    assert statement.kind == "direct"
    assert _texts(text, statement.content) == ["“We will win,”", "“The polls are wrong.”"]


def test_a_quote_after_another_verb_of_saying_is_a_statement_of_its_own(run: Run) -> None:
    text = "Win\n“We will win,” Ana Ruiz said, warning that the count was slow. “The polls are wrong.”"
    analysis = run(text)
    assert [q.speaker for q in analysis.quotes] == ["Ana Ruiz", "Ana Ruiz"]
    pieces = [_texts(text, s.content) for s in analysis.statements if s.kind == "direct"]
    assert pieces == [["“We will win,”"], ["“The polls are wrong.”"]]


def test_a_paraphrase_and_the_quote_its_cue_goes_on_to_report_are_one_mixed_statement(run: Run) -> None:
    text = "Plan\nAna Ruiz said the plan would fail. “It is a disaster.”"
    analysis = run(text)
    assert [q.text for q in analysis.quotes] == ["“It is a disaster.”"]
    statement = _only(analysis)
    assert statement.kind == "mixed" and statement.speaker == "Ana Ruiz"
    assert _texts(text, statement.content) == ["the plan would fail", "“It is a disaster.”"]
    assert _texts(text, statement.cue) == ["said"]


def test_a_quote_with_a_cue_of_its_own_stays_apart_from_the_paraphrase_before_it(run: Run) -> None:
    text = "Plan\nAna Ruiz said the plan would fail. “It is a disaster,” Ben Cole said."
    reported, direct = run(text).statements
    assert reported.kind == "reported" and reported.speaker == "Ana Ruiz"
    assert direct.kind == "direct" and direct.speaker == "Ben Cole"


def test_a_paraphrase_holding_a_quote_is_one_mixed_statement(run: Run) -> None:
    text = "Plan\nAna Ruiz said the plan was “a disaster for the state” and should be dropped."
    analysis = run(text)
    assert len(analysis.quotes) == 1  # the page still marks the quoted words
    statement = _only(analysis)
    assert statement.kind == "mixed"
    assert statement.speaker == "Ana Ruiz"
    assert statement.start < analysis.quotes[0].start and statement.end > analysis.quotes[0].end


def test_statements_come_in_text_order_with_direct_and_reported_together(run: Run) -> None:
    text = "Vote\n“We will win,” said Ana Ruiz. Ben Cole said the polls were wrong."
    analysis = run(text)
    assert [s.kind for s in analysis.statements] == ["direct", "reported"]
    assert [s.speaker for s in analysis.statements] == ["Ana Ruiz", "Ben Cole"]


def test_a_text_reporting_nothing_has_no_statements(run: Run) -> None:
    assert run("Weather\nThe bridge reopened in May after two years of repairs.").statements == ()


def test_jsonl_carries_attributions_in_the_scorers_form_beside_quotes(run: Run) -> None:
    text = "Bridge\nAna Ruiz said the bridge would reopen in May. “We will open it soon,” Ben Cole said."
    record = analysis_as_dict("bridge.txt", run(text))
    assert [q["text"] for q in record["quotes"]] == ["“We will open it soon,”"]
    reported, direct = record["attributions"]
    assert reported["kind"] == "reported" and direct["kind"] == "direct"
    assert [text[a:b] for a, b in reported["content"]] == ["the bridge would reopen in May"]
    assert [text[a:b] for a, b in reported["cue"]] == ["said"]
    assert text[reported["speaker_start"] : reported["speaker_end"]] == reported["speaker"] == "Ana Ruiz"
    quote = record["quotes"][0]
    assert direct["speaker"] == "Ben Cole" and direct["content"] == [[quote["start"], quote["end"]]]


def test_a_headline_lead_and_colon_name_who_says_the_rest(nlp: Language) -> None:
    text = "Graham: Trump Is Destroying the Party's Chance to Win\nThe senator spoke on Sunday."
    analysis = analyze(text, blocks_of(text), nlp)
    statement = next(s for s in analysis.statements if s.start < len("Graham: Trump"))
    assert statement.kind == "reported"
    assert statement.speaker == "Graham"
    assert _texts(text, statement.cue) == [":"]
    assert _texts(text, statement.content) == ["Trump Is Destroying the Party's Chance to Win"]


def test_a_report_or_a_poll_is_the_source_of_what_it_found(run: Run) -> None:
    text = "Wages\nThe report found that wages fell sharply last year."
    statement = _only(run(text))
    assert text[statement.speaker_start : statement.speaker_end] == "The report"
    assert _texts(text, statement.cue) == ["found"]
    assert _texts(text, statement.content) == ["that wages fell sharply last year"]


def test_a_belief_is_reported_like_speech(run: Run) -> None:
    text = "Attack\nOfficials believe the attack was planned for months."
    statement = _only(run(text))
    assert statement.kind == "reported"
    assert text[statement.speaker_start : statement.speaker_end] == "Officials"
    assert _texts(text, statement.content) == ["the attack was planned for months"]


def test_a_cue_is_also_read_with_all_its_words_after_it(nlp: Language) -> None:
    doc = nlp("Ana Ruiz remembers Ben Cole as a generous host, and she smiles.")
    cue = next(t for t in doc if t.lemma_ == "remember")
    readings = {c.frame: [doc[a:b].text for a, b in c.ranges] for c in contents(cue)}
    assert readings["object"] == ["Ben Cole"]
    assert readings["predicate"] == ["Ben Cole as a generous host"]


def test_a_passive_cue_reports_its_subject_with_the_agent_as_source(run: Run) -> None:
    text = "Plan\nThe plan was praised by Ben Cole."
    statement = _only(run(text))
    assert statement.speaker == "Ben Cole"
    assert _texts(text, statement.cue) == ["praised"]
    assert _texts(text, statement.content) == ["The plan"]


def test_seed_article_gives_every_quote_with_a_speaker_one_statement_and_reports_more(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    analysis = analyze(text, analysed_blocks(parse_article(text)), nlp)
    statements = analysis.statements
    assert [s.start for s in statements] == sorted(s.start for s in statements)
    for statement in statements:
        assert statement.kind in ("direct", "mixed", "reported")
        assert statement.speaker and text[statement.speaker_start : statement.speaker_end].strip()
        assert all(text[a:b].strip() for a, b in statement.content + statement.cue)
    # each attributed quote is a piece of one direct statement or held by exactly one mixed one, never both
    for quote in (q for q in analysis.quotes if q.speaker):
        direct = [s for s in statements if s.kind == "direct" and (quote.start, quote.end) in s.content]
        mixed = [s for s in statements if s.kind == "mixed" and s.start <= quote.start and quote.end <= s.end]
        assert len(direct) + len(mixed) == 1, quote.text
    assert sum(s.kind == "reported" for s in statements) > 0


def test_a_number_alone_is_never_what_was_said(run: Run) -> None:
    # "report" reads as a cue with "Harbour" as its source: what follows it is a number, not a statement.
    text = "Harbour report 0\n\n“The cranes are back on day 0,” said Ana Ruiz, the engineer."
    analysis = run(text)
    assert [(s.kind, s.speaker) for s in analysis.statements] == [("direct", "Ana Ruiz")]
