"""Search snippets keep the article's blocks apart: a caption's credit is named, a caption or credit never runs
into the paragraph after it, on SQLite's and PostgreSQL's snippets alike (both read the same text)."""

import re

import pytest

from articles.models import Block, Filters
from articles.nlp.parse import parse_article
from articles.rendering.snippets import shown_hit
from articles.search import Marked, SearchResults
from articles.search.blocks import blocks_apart
from tests.helpers import import_article, story

pytestmark = pytest.mark.django_db


def _marked(bracketed: str) -> Marked:
    """A snippet written with its matches in [brackets], as data."""
    text, spans = "", []
    for part in re.split(r"(\[[^\]]*\])", bracketed):
        if part.startswith("["):
            spans.append((len(text), len(text) + len(part) - 2))
            part = part[1:-1]
        text += part
    return Marked(text, tuple(spans))


def _bracketed(marked: Marked) -> str:
    out, last = "", 0
    for start, end in marked.spans:
        out += marked.text[last:start] + "[" + marked.text[start:end] + "]"
        last = end
    return out + marked.text[last:]


def _apart(snippet: str, text: str, blocks) -> str:
    return _bracketed(blocks_apart(_marked(snippet), text, blocks))


def _blocks(text: str) -> list[tuple[str, int, int]]:
    return [(block.kind, block.start, block.end) for block in parse_article(text).blocks]


def test_a_glued_credit_is_named_and_the_next_block_kept_apart():
    text = "Title\n\nA ship at sea.CreditJane Roe/Agency\n\nThe port reopened on Monday.\n\nIt was busy."
    snippet = "…ship at [sea].CreditJane Roe/Agency\n\nThe [port] reopened on Monday.\n\nIt…"
    assert _apart(snippet, text, _blocks(text)) == (
        "…ship at [sea]. Credit: Jane Roe/Agency · The [port] reopened on Monday. It…"
    )


def test_marks_around_a_gap_stay_on_their_side_of_the_join():
    text = "Title\n\nA ship at sea.CreditReuters Photo\n\nThe president spoke."
    snippet = "A ship at sea.Credit[Reuters Photo]\n\n[The] president spoke."
    assert _apart(snippet, text, _blocks(text)) == (
        "A ship at sea. Credit: [Reuters Photo] · [The] president spoke."
    )


def test_a_gap_at_either_end_of_the_snippet_is_left_out():
    text = "Title\n\nFirst paragraph here.\n\nSecond paragraph here."
    blocks = _blocks(text)
    assert _apart("\n\n[Second] paragraph here.", text, blocks) == "[Second] paragraph here."
    assert _apart("First [paragraph] here.\n\n…", text, blocks) == "First [paragraph] here.…"


def test_a_snippet_that_is_not_the_text_comes_back_as_it_is():
    text = "Title\n\nFirst paragraph here."
    assert _apart("Something [else]", text, _blocks(text)) == "Something [else]"


def test_search_snippets_show_a_credit_apart_from_its_caption_and_the_next_paragraph(seed_text):
    import_article(text=seed_text)
    [hit] = SearchResults("satellite image", Filters())[0:5]
    snippet = re.sub(r"</?mark>", "", str(shown_hit(hit).snippet_html))
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
    snippet = re.sub(r"</?mark>", "", str(shown_hit(hit).snippet_html))
    assert "Cranes at the harbour on Monday. Credit: Reuters Photo · The president visited" in snippet


def test_a_line_the_article_page_leaves_out_is_left_out_of_the_snippet():
    text = "Title\n\nThe port reopened on Monday.\n\nShare this article\n\nShips queued at the harbour."
    assert [kind for kind, _, _ in _blocks(text)].count(Block.Kind.BOILERPLATE) == 1
    snippet = "…[port] reopened on Monday.\n\nShare this article\n\nShips queued at the…"
    assert _apart(snippet, text, _blocks(text)) == ("…[port] reopened on Monday. Ships queued at the…")
