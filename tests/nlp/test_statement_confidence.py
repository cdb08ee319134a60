"""The analysis's confidence in a reported or partly quoted statement: the statement scorer's probability for
the reading it kept, calibrated on PolNeAR train held out (bench/calibrate_statement_confidence.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from spacy.language import Language

from articles.nlp.pipeline import article_context
from articles.nlp.speakers import quotes_with_speakers
from articles.nlp.statements.assembly import assemble, candidates, find_statements, kept, scored
from articles.nlp.statements.confidence import NAMED, PRONOUN, load_statement_calibration, source_kind
from articles.nlp.statements.scorer import load_scorer

from .conftest import Run, blocks_of

TEXT = (
    "Bridge talks stall\n"
    "Ana Ruiz said the bridge would reopen in May.\n"
    "“We have the money for it,” said Tom Berg, the council's treasurer.\n"
    "He also said that the repairs would cost less than planned."
)


def test_the_shipped_calibration_is_read_once_and_a_surer_scorer_is_more_often_right() -> None:
    curve = load_statement_calibration()
    assert curve is not None and curve is load_statement_calibration()
    for source in ("Ana Ruiz", "he"):
        assert 0 < curve.apply(0.3, source) < curve.apply(0.9, source) < 1


def test_a_pronoun_source_has_its_own_curve_which_trusts_the_same_probability_less() -> None:
    sources = ("He", "they", "who", "his", "Ana Ruiz", "the council", "he said")
    assert [source_kind(s) for s in sources] == [PRONOUN] * 4 + [NAMED] * 3
    curve = load_statement_calibration()
    assert curve is not None and curve.apply(0.8, "he") < curve.apply(0.8, "Ana Ruiz")


def test_without_a_calibration_file_there_is_no_curve(tmp_path: Path) -> None:
    assert load_statement_calibration(tmp_path / "missing.json") is None


def test_reported_statements_carry_a_confidence_and_direct_ones_none(run: Run) -> None:
    analysis = run(TEXT)
    by_kind = {s.kind: s for s in analysis.statements}
    reported = [s for s in analysis.statements if s.kind == "reported"]
    assert {TEXT[s.speaker_start : s.speaker_end] for s in reported} == {"Ana Ruiz", "He"}
    for statement in reported:
        assert statement.confidence is not None and 0 < statement.confidence < 1
    assert by_kind["direct"].confidence is None  # its quote carries the speaker's confidence
    assert [q.confidence is not None for q in analysis.quotes] == [True]


def test_the_confidence_is_the_curve_applied_to_the_scorer_s_probability_of_the_kept_reading(
    nlp: Language,
) -> None:
    blocks = blocks_of(TEXT)
    context = article_context(TEXT, blocks, [nlp(TEXT[b.start : b.end]) for b in blocks])
    scorer, curve = load_scorer(), load_statement_calibration()
    assert scorer is not None and curve is not None
    found = candidates(context)
    scores = scored(context, found, scorer)
    probability = {c.spans: s for c, s in zip(found, scores) if s >= scorer.threshold}
    quotes = quotes_with_speakers(context)
    statements = find_statements(context, quotes)
    reported = [s for s in statements if s.kind == "reported"]
    assert reported
    for statement in reported:
        source = TEXT[statement.speaker_start : statement.speaker_end]
        assert statement.confidence == round(curve.apply(probability[statement.content], source), 3)
    # The confidence changes no answer: the same statements as found without it.
    plain = assemble(context, quotes, kept(context, found, scores, scorer.threshold))
    assert tuple(replace(s, confidence=None) for s in statements) == plain
