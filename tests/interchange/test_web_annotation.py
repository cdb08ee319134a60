"""Share fragments for passages, and reading Web Annotation files."""

import json

import pytest

from articles.interchange.web_annotation import ImportRejected, parse_web_annotations, text_fragment

pytestmark = pytest.mark.django_db


def test_text_fragment_names_the_passage_or_its_first_and_last_words():
    assert text_fragment("Say hi, then go.", 4, 15) == "#:~:text=hi%2C%20then%20go"
    long = "First paragraph words here.\n\nSecond one ends like this."
    assert (
        text_fragment(long, 0, len(long))
        == "#:~:text=First%20paragraph%20words%20here.,Second%20one%20ends%20like%20this."
    )


def _with_position(start, end) -> str:
    selectors = [
        {"type": "TextQuoteSelector", "exact": "words"},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
    return json.dumps({"type": "Annotation", "target": {"selector": selectors}})


def test_deeply_nested_json_is_refused_with_a_message():
    with pytest.raises(ImportRejected, match="nested too deeply"):
        parse_web_annotations("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("start, end", [(10**30, 10**30 + 5), (2**63, 2**63 + 1), (-4, 3), (9, 2)])
def test_a_position_that_is_no_place_in_any_article_is_refused(start, end):
    with pytest.raises(ImportRejected, match=r"Annotation 1 has a TextPositionSelector .* not a place"):
        parse_web_annotations(_with_position(start, end))


def test_a_position_that_is_not_a_number_is_left_out():
    for start, end in [("3", "9"), (True, 9), (1.5, 9), (None, 9)]:
        (item,) = parse_web_annotations(_with_position(start, end))
        assert (item.start, item.end) == (None, None)
    (item,) = parse_web_annotations(_with_position(3, 9))
    assert (item.start, item.end) == (3, 9)


def test_text_fragment_of_a_repeated_passage_carries_the_words_around_it():
    text = "He said no. Then he said yes, twice.\n\nShe said no."
    second = text.index("said", 10)
    assert text_fragment(text, second, second + 4) == "#:~:text=he-,said,-yes%2C"
    unique = text.index("twice")
    assert text_fragment(text, unique, unique + 5) == "#:~:text=twice"


def test_text_fragment_encodes_the_dashes_and_commas_of_its_own_syntax():
    text = "Kim Jong-un met him, briefly."
    assert text_fragment(text, 0, len(text)) == "#:~:text=Kim%20Jong%2Dun%20met%20him%2C%20briefly."
