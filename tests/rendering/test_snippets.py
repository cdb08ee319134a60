"""Search snippets keep the article's blocks apart: a caption's credit is named, a caption or credit never runs
into the paragraph after it, on SQLite's and PostgreSQL's snippets alike (both read the same text)."""

import re

import pytest

from articles.models import Block, Filters
from articles.nlp.parse import parse_article
from articles.rendering.snippets import blocks_apart
from articles.search import SearchResults
from tests.helpers import import_article, story

pytestmark = pytest.mark.django_db

MARKS = "[]"


def _blocks(text: str) -> list[tuple[str, int, int]]:
    return [(block.kind, block.start, block.end) for block in parse_article(text).blocks]


def test_a_glued_credit_is_named_and_the_next_block_kept_apart():
    text = "Title\n\nA ship at sea.CreditJane Roe/Agency\n\nThe port reopened on Monday.\n\nIt was busy."
    snippet = "…ship at [sea].CreditJane Roe/Agency\n\nThe [port] reopened on Monday.\n\nIt…"
    assert blocks_apart(snippet, text, _blocks(text), MARKS) == (
        "…ship at [sea]. Credit: Jane Roe/Agency · The [port] reopened on Monday. It…"
    )


def test_marks_around_a_gap_stay_on_their_side_of_the_join():
    text = "Title\n\nA ship at sea.CreditReuters Photo\n\nThe president spoke."
    snippet = "A ship at sea.Credit[Reuters Photo]\n\n[The] president spoke."
    assert blocks_apart(snippet, text, _blocks(text), MARKS) == (
        "A ship at sea. Credit: [Reuters Photo] · [The] president spoke."
    )


def test_a_gap_at_either_end_of_the_snippet_is_left_out():
    text = "Title\n\nFirst paragraph here.\n\nSecond paragraph here."
    blocks = _blocks(text)
    assert blocks_apart("\n\n[Second] paragraph here.", text, blocks, MARKS) == "[Second] paragraph here."
    assert blocks_apart("First [paragraph] here.\n\n…", text, blocks, MARKS) == "First [paragraph] here.…"


def test_a_snippet_that_is_not_the_text_comes_back_as_it_is():
    text = "Title\n\nFirst paragraph here."
    assert blocks_apart("Something [else]", text, _blocks(text), MARKS) == "Something [else]"


def test_search_snippets_show_a_credit_apart_from_its_caption_and_the_next_paragraph(seed_text):
    import_article(text=seed_text)
    [hit] = SearchResults("satellite image", Filters())[0:5]
    snippet = re.sub(r"</?mark>", "", str(hit.snippet_html))
    assert "North Korea. Credit: Agence France-Presse — Getty Images · Asked" in snippet
    assert "Korea.Credit" not in snippet and "ImagesAsked" not in snippet


def test_an_html_caption_credit_and_paragraph_stay_apart_in_snippets():
    text = story(
        "Harbour reopens",
        "Caption: Cranes at the harbour on Monday. Credit: Reuters Photo",
        "The president visited the harbour, where steel cranes were damaged, officials said.",
    )
    import_article(text=text)
    [hit] = SearchResults("cranes", Filters())[0:5]
    snippet = re.sub(r"</?mark>", "", str(hit.snippet_html))
    assert "Cranes at the harbour on Monday. Credit: Reuters Photo · The president visited" in snippet


def test_a_line_the_article_page_leaves_out_is_left_out_of_the_snippet():
    text = "Title\n\nThe port reopened on Monday.\n\nShare this article\n\nShips queued at the harbour."
    assert [kind for kind, _, _ in _blocks(text)].count(Block.Kind.BOILERPLATE) == 1
    snippet = "…[port] reopened on Monday.\n\nShare this article\n\nShips queued at the…"
    assert blocks_apart(snippet, text, _blocks(text), MARKS) == (
        "…[port] reopened on Monday. Ships queued at the…"
    )
