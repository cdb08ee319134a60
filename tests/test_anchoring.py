"""Anchoring a passage by quote and position, and finding it again after the text changes."""

import random

import pytest

from articles.anchoring import (
    BUDGET_STEPS,
    FUZZY_MAX_CHARS,
    Budget,
    TextPositionSelector,
    TextQuoteSelector,
    anchor,
    approximate_matches,
    levenshtein,
    position_selector,
    quote_selector,
)

TEXT = (
    "Budget talks collapse\n\n"
    "The council met on Tuesday to settle the budget for the coming year. "
    "“We cannot keep the libraries open on these numbers,” said Ana Ruiz, the treasurer. "
    "The mayor said the talks would resume next week.\n\n"
    "Residents queued outside the hall. Some carried signs about the libraries."
)
PASSAGE = "We cannot keep the libraries open on these numbers"


def _selectors(text: str, passage: str) -> tuple[TextQuoteSelector, TextPositionSelector]:
    start = text.index(passage)
    return quote_selector(text, start, start + len(passage)), position_selector(
        text, start, start + len(passage)
    )


def _found(text: str, quote, position):
    result = anchor(text, quote, position)
    return (text[result.start : result.end], result.method) if result else None


def test_quote_selector_keeps_32_characters_of_context_either_side():
    quote, position = _selectors(TEXT, PASSAGE)
    assert quote.exact == PASSAGE
    assert len(quote.prefix) == len(quote.suffix) == 32
    assert TEXT[position.start - 32 : position.start] == quote.prefix
    assert TEXT[position.end : position.end + 32] == quote.suffix


def test_selectors_at_the_edges_of_the_text_have_short_context():
    quote = quote_selector(TEXT, 0, 6)
    assert quote.prefix == "" and quote.exact == "Budget"
    with pytest.raises(ValueError):
        position_selector(TEXT, 5, 5)
    with pytest.raises(ValueError):
        position_selector(TEXT, 0, len(TEXT) + 1)


def test_unchanged_text_anchors_by_position():
    quote, position = _selectors(TEXT, PASSAGE)
    assert _found(TEXT, quote, position) == (PASSAGE, "position")


def test_text_inserted_before_the_passage_anchors_by_exact_search():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = TEXT.replace("The council met", "Late on a wet evening, the council met")
    assert _found(edited, quote, position) == (PASSAGE, "exact")


def test_text_inserted_after_the_passage_keeps_the_position():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = TEXT + "\n\nCorrection: an earlier version misspelled the treasurer's name."
    assert _found(edited, quote, position) == (PASSAGE, "position")


def test_text_inserted_inside_the_passage_anchors_fuzzily_over_the_edited_passage():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = TEXT.replace("keep the libraries open", "keep the public libraries open")
    found, method = _found(edited, quote, position)
    assert method == "fuzzy"
    assert found == "We cannot keep the public libraries open on these numbers"


def test_words_changed_inside_the_passage_and_text_added_before_still_anchor():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = ("UPDATED: new figures.\n\n" + TEXT).replace("on these numbers", "on those numbers")
    found, method = _found(edited, quote, position)
    assert method == "fuzzy" and found == "We cannot keep the libraries open on those numbers"


def test_deleted_passage_cannot_be_anchored():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = TEXT.replace("“" + PASSAGE + ",” said Ana Ruiz, the treasurer. ", "")
    assert anchor(edited, quote, position) is None


def test_passage_rewritten_beyond_a_quarter_of_its_characters_is_not_forced_onto_other_text():
    quote, position = _selectors(TEXT, PASSAGE)
    edited = TEXT.replace(PASSAGE, "Libraries will close unless the figures change")
    assert anchor(edited, quote, position) is None


def test_repeated_words_anchor_to_the_copy_whose_context_matches():
    text = "the libraries. Some said the libraries must stay. Others said the libraries must go."
    start = text.index("the libraries must go")
    quote = quote_selector(text, start, start + len("the libraries"))
    position = position_selector(text, start, start + len("the libraries"))
    # Twelve characters inserted at the front: the old offsets now point into another "the libraries"?
    edited = "Preface: ... " + text
    result = anchor(edited, quote, position)
    assert result.start == edited.index("the libraries must go")
    # And when the old position holds a copy with the wrong context, context wins over position.
    shifted = text.replace("Some said", "Some said it")  # moves the last copy by three characters
    shifted = shifted[:start] + "the libraries must stay too. " + shifted[start:]
    result = anchor(shifted, quote, position)
    assert shifted[result.start : result.start + 21] == "the libraries must go"


def test_an_orphan_comes_back_when_the_passage_returns():
    quote, position = _selectors(TEXT, PASSAGE)
    removed = TEXT.replace(PASSAGE, "")
    assert anchor(removed, quote, position) is None
    assert _found(TEXT, quote, position) == (PASSAGE, "position")


def test_anchor_without_position_uses_the_quote_alone():
    quote, _ = _selectors(TEXT, PASSAGE)
    assert _found(TEXT, quote, None) == (PASSAGE, "exact")


def test_approximate_matches_report_start_end_and_errors():
    matches = approximate_matches("xx hello world yy", "helo world", 2)
    assert (3, 14, 1) in matches


def test_levenshtein():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3


def test_fuzzy_anchoring_finds_an_edited_passage_in_a_long_text(seed_text):
    start = seed_text.index("It is regrettable")
    end = start + 200
    quote, position = quote_selector(seed_text, start, end), position_selector(seed_text, start, end)
    rng = random.Random(4)
    filler = "".join(rng.choice("abcdefghij klmnop") for _ in range(150_000))
    edited = filler + seed_text[: start + 50] + "[sic] " + seed_text[start + 50 :]
    result = anchor(edited, quote, position)
    assert result is not None and result.method == "fuzzy"
    assert edited[result.start : result.end].startswith("It is regrettable")
    assert "[sic]" in edited[result.start : result.end]


def test_a_changed_first_letter_still_anchors_on_the_whole_word():
    quote, position = _selectors(TEXT, "Residents queued outside the hall")
    edited = TEXT.replace("Residents queued", "By evening, residents queued")
    assert _found(edited, quote, position) == ("residents queued outside the hall", "fuzzy")


def test_a_word_repeated_thousands_of_times_anchors_by_context():
    text = "the cat and the dog. " * 3000
    start = text.index("the dog", 30_000)
    quote, position = quote_selector(text, start, start + 3), position_selector(text, start, start + 3)
    edited = "Preface. " + text
    result = anchor(edited, quote, position)
    assert result.start == start + len("Preface. ") and result.method == "exact"


def _unmatchable(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("qzxjkvwy ") for _ in range(length))


def test_a_spent_budget_places_a_passage_only_where_it_still_is():
    quote, position = _selectors(TEXT, PASSAGE)
    assert anchor(TEXT, quote, position, Budget(0)).method == "position"
    moved = "A new first paragraph.\n\n" + TEXT
    assert anchor(moved, quote, position, Budget(0)) is None
    assert anchor(moved, quote, position, Budget()).method == "exact"


def test_fuzzy_search_is_for_passages_up_to_the_limit():
    rng = random.Random(7)
    for length, method in [(FUZZY_MAX_CHARS, "fuzzy"), (FUZZY_MAX_CHARS + 1, None)]:
        passage = _unmatchable(rng, length)
        text = f"Before. {passage} After."
        quote, position = _selectors(text, passage)
        edited = text.replace(passage, passage[:100] + "[edit]" + passage[100:])
        result = anchor(edited, quote, position)
        assert (result.method if result else None) == method


def test_one_budget_bounds_a_run_of_unmatchable_passages_in_the_longest_text():
    rng = random.Random(3)
    text = ("lorem ipsum dolor " * 12_000)[:200_000]
    budget = Budget()
    results = [
        anchor(text, TextQuoteSelector(_unmatchable(rng, 1_900)), TextPositionSelector(5_000, 6_900), budget)
        for _ in range(50)
    ]
    assert results == [None] * 50
    # Spent: not one more pass over the text is affordable, yet a passage still at its place is placed.
    assert budget.left < len(text)
    still_there = TextQuoteSelector(text[90_000:90_040], text[89_968:90_000], text[90_040:90_072])
    found = anchor(text, still_there, TextPositionSelector(90_000, 90_040), budget)
    assert (found.start, found.method) == (90_000, "position")
    assert anchor(text, still_there, TextPositionSelector(80_000, 80_040), budget) is None


def test_near_matches_all_over_a_repetitive_text_are_weighed_within_the_budget():
    text = ("lorem ipsum dolor " * 12_000)[:200_000]
    near = TextQuoteSelector(text[18:218][:-3] + "xyz", "a" * 64, "b" * 64)
    budget = Budget()
    anchor(text, near, TextPositionSelector(100_000, 100_200), budget)
    assert 0 <= budget.left < BUDGET_STEPS
    context_fits = TextQuoteSelector(text[18:58][:-3] + "xyz", text[:18], text[58:122])
    found = anchor(text, context_fits, TextPositionSelector(18, 58))
    assert found is not None and found.method == "fuzzy" and found.start == 18
