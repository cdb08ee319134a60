from __future__ import annotations

import json

from articles.nlp.parse import parse_article
from articles.nlp.types import ParsedArticle

from ..conftest import GOLD, SEED


def _seed() -> tuple[str, ParsedArticle]:
    text = SEED.read_text(encoding="utf-8")
    return text, parse_article(text)


def test_headline_is_first_line_and_dateline_and_source_are_recognised() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    _, parsed = _seed()
    assert parsed.title == gold["title"]
    assert parsed.dateline == gold["dateline"]
    assert parsed.source == gold["source"]


def test_captions_are_split_from_their_glued_credits() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text, parsed = _seed()
    assert [text[b.start : b.end] for b in parsed.of_kind("caption")] == gold["captions"]
    assert [text[b.start : b.end] for b in parsed.of_kind("credit")] == gold["credits"]


def test_share_widget_and_source_lines_are_boilerplate_not_paragraphs() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text, parsed = _seed()
    assert [text[b.start : b.end] for b in parsed.of_kind("boilerplate")] == gold["boilerplate"]
    paragraphs = [text[b.start : b.end] for b in parsed.of_kind("paragraph")]
    assert not any("Credit" in p and p in gold["captions"] for p in paragraphs)
    assert all(p not in gold["boilerplate"] for p in paragraphs)


def test_blocks_point_into_the_exact_text_with_crlf_line_endings() -> None:
    text = "Headline here\r\n\r\nLONDON — First paragraph.\r\nSecond line.CreditSomeone/Agency\r\n"
    parsed = parse_article(text)
    assert [(b.kind, text[b.start : b.end]) for b in parsed.blocks] == [
        ("headline", "Headline here"),
        ("paragraph", "LONDON — First paragraph."),
        ("caption", "Second line."),
        ("credit", "Someone/Agency"),
    ]
    assert parsed.dateline == "LONDON"


def test_credit_in_ordinary_prose_is_not_a_caption() -> None:
    text = "Title\n\nShe said. Credit Suisse lost money on Thursday.\n"
    assert [b.kind for b in parse_article(text).blocks] == ["headline", "paragraph"]


def test_a_caption_marked_by_an_html_page_is_a_caption_with_its_credit() -> None:
    text = (
        "Title\n\nCaption: Ships at sea on Monday. Credit: Jane Roe/Agency\n\n"
        "LONDON — First paragraph.\n\nCaption: A photo without a credit.\n"
    )
    parsed = parse_article(text)
    assert [(b.kind, text[b.start : b.end]) for b in parsed.blocks] == [
        ("headline", "Title"),
        ("caption", "Ships at sea on Monday."),
        ("credit", "Jane Roe/Agency"),
        ("paragraph", "LONDON — First paragraph."),
        ("caption", "A photo without a credit."),
    ]
    assert parsed.dateline == "LONDON"
