"""Share fragments for passages."""

import pytest

from articles.interchange.web_annotation import text_fragment

pytestmark = pytest.mark.django_db


def test_text_fragment_names_the_passage_or_its_first_and_last_words():
    assert text_fragment("Say hi, then go.", 4, 15) == "#:~:text=hi%2C%20then%20go"
    long = "First paragraph words here.\n\nSecond one ends like this."
    assert (
        text_fragment(long, 0, len(long))
        == "#:~:text=First%20paragraph%20words%20here.,Second%20one%20ends%20like%20this."
    )
