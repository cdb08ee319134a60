from __future__ import annotations

from spacy.language import Language

from articles.nlp.pipeline import analyze, analyze_many
from articles.nlp.types import Analysis, Block

from .conftest import blocks_of


def test_analyze_many_yields_one_analysis_per_item_in_order(nlp: Language) -> None:
    texts = [
        "One\n“First,” Maria Lopez said.",
        "Two\nNothing quoted here.",
        "Three\n“Third,” John Park said.",
    ]
    results = list(analyze_many(((t, blocks_of(t)) for t in texts), nlp, batch_size=2))
    assert [len(r.quotes) for r in results] == [1, 0, 1]
    assert results[0].quotes[0].speaker == "Maria Lopez"
    assert results[2].quotes[0].speaker == "John Park"


def test_analyze_many_keeps_the_place_of_items_without_blocks(nlp: Language) -> None:
    text = "One\n“First,” Maria Lopez said."
    results = list(analyze_many([("", []), (text, blocks_of(text)), ("", []), ("", [])], nlp, batch_size=1))
    assert [len(r.quotes) for r in results] == [0, 1, 0, 0]
    assert results[0] == results[2] == results[3] == Analysis()


def test_analyze_equals_analyze_many_of_one_item(nlp: Language) -> None:
    text = "One\n“First,” Maria Lopez said."
    assert analyze(text, blocks_of(text), nlp) == next(analyze_many([(text, blocks_of(text))], nlp))


def test_quotes_come_only_from_paragraph_blocks(nlp: Language) -> None:
    text = "“Headline quote” Maria Lopez said\n“Body quote,” Maria Lopez said."
    blocks = [Block("headline", 0, 33), Block("paragraph", 34, len(text))]
    analysis = analyze(text, blocks, nlp)
    assert [q.text for q in analysis.quotes] == ["“Body quote,”"]


def test_odd_marks_give_quotes_whose_offsets_slice_back_to_their_text(nlp: Language) -> None:
    text = 'Odd\n" ” “ "\n“\n”\n"unclosed at the end\n“Closed,” Maria Lopez said.'
    analysis = analyze(text, blocks_of(text), nlp)
    assert any(q.speaker == "Maria Lopez" for q in analysis.quotes)
    for quote in analysis.quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert text[quote.speaker_start : quote.speaker_end].strip()
        if quote.cue_start is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text
