"""Speakers a quote gets from the sentences and paragraphs around it: a person introduced in apposition, a group
named the sentence before, an introduction without a verb of saying, a name after the quote. Each text is
invented in the form of what PolNeAR's articles say."""

from __future__ import annotations

from articles.nlp.types import Analysis, Quote

from .conftest import Run


def _quote(analysis: Analysis, starting: str) -> Quote:
    for quote in analysis.quotes:
        if quote.text.lstrip('“"').startswith(starting):
            return quote
    raise AssertionError(f"no quote starting {starting!r} in {[q.text for q in analysis.quotes]}")


def _spoken(text: str, quote: Quote) -> str:
    assert quote.speaker_start is not None and quote.speaker_end is not None
    return text[quote.speaker_start : quote.speaker_end]


def test_he_goes_to_the_person_just_introduced_in_apposition_to_the_subject_not_to_the_one_quoted_before(
    run: Run,
) -> None:
    text = (
        "Water news\n“The pipes are old,” said Dana Whitfield, a resident.\n"
        "The authority’s chief executive, Martin Hale, defended the rate rise on Tuesday. "
        "“We have no other way to pay for the repairs,” he said."
    )
    quote = _quote(run(text), "We have no other way")
    assert quote.speaker == "Martin Hale"
    assert _spoken(text, quote) == "he"


def test_they_opening_a_paragraph_goes_to_the_group_the_sentence_before_names(run: Run) -> None:
    text = (
        "Strike news\nThe workers at the county hospital walked out on Monday morning.\n"
        "They said: “We are not paid enough to stay.”"
    )
    quote = _quote(run(text), "We are not paid")
    assert quote.speaker == "workers at the county hospital"
    assert _spoken(text, quote) == "They"


def test_they_never_goes_to_one_person_named_before(run: Run) -> None:
    text = (
        "Strike news\nThe senator walked out on Monday morning.\nThey said: “We are not paid enough to stay.”"
    )
    quote = _quote(run(text), "We are not paid")
    assert quote.speaker == "They"


def test_a_quote_over_two_paragraphs_goes_to_the_name_introduced_in_apposition_the_paragraph_before(
    run: Run,
) -> None:
    text = (
        "Football news\nThe coach, Ivo Brandt, spoke at length after the match.\n"
        "“We were not ready for the second half. The players know it.\n"
        "“We will train harder this week and come back stronger.”"
    )
    analysis = run(text)
    first, second = _quote(analysis, "We were not ready"), _quote(analysis, "We will train")
    assert (first.speaker, first.via) == ("Ivo Brandt", "introduced")
    assert second.speaker == "Ivo Brandt"


def test_a_long_sentence_after_the_quote_naming_whose_verdict_it_was_names_the_speaker(run: Run) -> None:
    text = (
        "Farm news\nThe harvest came late this year.\n"
        "“It was the worst summer I have seen in forty years.” That was the verdict of Aldo Fenwick, a farmer "
        "who has grown wheat near the river since the 1980s."
    )
    quote = _quote(run(text), "It was the worst")
    assert (quote.speaker, quote.via) == ("Aldo Fenwick", "sentence-after")
    assert _spoken(text, quote) == "Aldo Fenwick"
