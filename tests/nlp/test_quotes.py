from __future__ import annotations

import re

from articles.nlp.quotes import find_quotes


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _quotes(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text, _paragraphs(text))]


def test_curly_double_quotes_are_found_with_their_marks() -> None:
    assert _quotes("“We will win,” she said.") == ["“We will win,”"]


def test_straight_double_quotes_are_found_with_their_marks() -> None:
    assert _quotes('"We will win," she said. "Soon."') == ['"We will win,"', '"Soon."']


def test_single_quotes_nested_in_double_quotes_are_not_separate_quotes() -> None:
    text = "“He told me, ‘Go home now,’ and left,” she said."
    assert _quotes(text) == ["“He told me, ‘Go home now,’ and left,”"]


def test_apostrophes_do_not_open_quotes() -> None:
    assert _quotes("The mayor’s aides didn’t comment on the city’s plan.") == []


def test_quote_running_over_paragraphs_is_one_quote() -> None:
    text = "“We came here to work.\n“And we will stay,” he said.\nNext paragraph."
    found = find_quotes(text, _paragraphs(text))
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == "“We came here to work.\n“And we will stay,”"
    assert len(found[0].pieces) == 2


def test_unclosed_quote_ends_at_its_paragraph_end() -> None:
    text = "He said “this never ends\nA new paragraph without marks."
    assert _quotes(text) == ["“this never ends"]


def test_stray_closing_mark_opens_nothing() -> None:
    assert _quotes("An odd mark” here, then “a real quote” there.") == ["“a real quote”"]


def test_closing_quote_typed_as_opening_mark_still_closes() -> None:
    assert _quotes("“It is unusual,“ said the lawyer.") == ["“It is unusual,“"]


def test_a_quote_reopened_empty_in_the_next_paragraph_runs_on_no_further() -> None:
    text = "“We came here to work.\n“” she said.\nNext “one more\n“and more.”"
    assert not any("Next" in quote for quote in _quotes(text))


def test_straight_mark_closing_a_paragraph_opens_no_quote_into_the_next() -> None:
    text = '"The plan is late, and it asks: “Who pays?” Nobody knows."\n“We will see,” she said.'
    found = _quotes(text)
    assert not any("\n" in quote for quote in found)
    assert found[-1] == "“We will see,”"
