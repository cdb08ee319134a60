"""The article text as HTML: spans nested however they overlap, and panels' context bounded in characters."""

import re

import pytest
from django.conf import settings

from articles.interchange.article_files import ArticleInput
from articles.models import Block
from articles.nlp.types import Analysis, Entity, Mention, Quote
from articles.rendering.article_text import (
    CONTEXT_CHARS,
    MENTIONS_LISTED,
    in_context,
    quote_context,
    rendered_blocks,
)
from articles.rendering.markup import Span, render_text, spans_within
from articles.services.articles import article_prepare, article_store
from tests.helpers import HTMX

pytestmark = pytest.mark.django_db

WORD = "lorem ipsum dolor "


def _stored(text: str, analysis: Analysis):
    """An article stored with a given analysis (no spaCy): the worst cases are built, not found."""
    return article_store(
        prepared=article_prepare(incoming=ArticleInput(text=text)), analysis=analysis, public=True
    )


def _mentions_of(text: str, word: str) -> tuple[Mention, ...]:
    return tuple(Mention(m.start(), m.end(), word, "PERSON", 0) for m in re.finditer(re.escape(word), text))


@pytest.fixture
def longest_sentence_article():
    """The audit's article: the longest text allowed, one paragraph without a full stop, and a name in it
    11,110 times (a panel listing each mention in its whole "sentence" came to 2.2 GB)."""
    headline = "Headline two hundred k\n\n"
    body = (WORD * (settings.NEWSREADER_MAX_ARTICLE_CHARS // len(WORD)))[
        : settings.NEWSREADER_MAX_ARTICLE_CHARS - len(headline)
    ].rstrip()
    text = headline + body
    quote_at = text.index(WORD, 100_000)
    analysis = Analysis(
        entities=(Entity("lorem", "PERSON"),),
        mentions=_mentions_of(text, "lorem"),
        quotes=(Quote(quote_at, quote_at + len("lorem ipsum"), "lorem ipsum"),),
    )
    return _stored(text, analysis)


def test_overlapping_spans_nest_outer_first_and_reopen_after_each_boundary():
    text = "one two three four"
    spans = [
        Span(0, 13, "q", layer=0, suffix_html="<b>tag</b>"),
        Span(4, 7, "a", layer=1),
        Span(8, 18, "mark", layer=2),
    ]
    assert render_text(text, 0, len(text), spans) == (
        "<q>one <a>two</a> <mark>three</mark><b>tag</b></q><mark> four</mark>"
    )
    assert render_text(text, 4, 10, spans) == "<q><a>two</a> <mark>th</mark></q>"


def test_spans_are_shared_out_to_the_ranges_they_reach_into():
    spans = [Span(0, 30, "q"), Span(2, 3, "a"), Span(12, 14, "a"), Span(25, 26, "a"), Span(5, 5, "empty")]
    within = spans_within([(0, 10), (11, 20), (22, 28)], spans)
    assert within == [[spans[0], spans[1]], [spans[0], spans[2]], [spans[0], spans[3]]]


def test_context_is_cut_at_a_word_with_an_ellipsis_beyond_the_limit():
    text = "Start. " + "word " * 200 + "NAME" + " more" * 200 + ". End."
    at = text.index("NAME")
    html = in_context(text, 0, len(text), at, at + 4)
    assert html.startswith("…word ") and html.endswith(" more…") and "<mark>NAME</mark>" in html
    assert len(html) <= 2 * CONTEXT_CHARS + len("<mark>NAME</mark>") + 2
    short = in_context(text, at - 10, at + 14, at, at + 4)
    assert short == "word word <mark>NAME</mark> more more"


def test_entity_panel_of_the_longest_unbroken_article_is_small_and_right(client, longest_sentence_article):
    article = longest_sentence_article
    entity = article.entities.get()
    assert entity.mention_count == 11_110
    response = client.get(entity.get_absolute_url(), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and len(response.content) < 100_000
    listed = body[body.index('class="mentions"') :]
    mentions = re.findall(
        r'<li><a class="mention-link" href="#mention-\d+">(.*?)</a></li>', listed, re.DOTALL
    )
    assert len(mentions) == MENTIONS_LISTED
    assert mentions[0].startswith("<mark>lorem</mark> ipsum dolor") and mentions[0].endswith("…")
    assert mentions[-1].startswith("…") and mentions[-1].endswith("…")
    assert all(len(re.sub(r"<[^>]+>", "", m)) <= 2 * CONTEXT_CHARS + len("lorem") + 2 for m in mentions)
    assert f"and {11_110 - MENTIONS_LISTED} more" in body


def test_pages_of_the_longest_unbroken_article_grow_with_its_text_alone(client, longest_sentence_article):
    article = longest_sentence_article
    quote = article.quotes.get()
    panel = client.get(quote.get_absolute_url(), **HTMX)
    context = panel.content.decode().split('class="context"')[1]
    assert panel.status_code == 200 and len(panel.content) < 20_000
    assert context.startswith("><p>…") and "<mark>lorem ipsum</mark>" in context
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and len(page.content) < 5_000_000
    assert page.content.decode().count('class="ent ent--PERSON"') == 11_110
    entity_page = client.get(article.entities.get().get_absolute_url())
    assert entity_page.status_code == 200 and len(entity_page.content) < len(page.content) + 100_000


def test_quote_context_shows_the_paragraphs_around_the_quote_within_the_limit(db):
    text = "Headline\n\nFirst paragraph is short.\n\n“Quoted words,” she said.\n\n" + "Long tail " * 100
    at = text.index("“Quoted")
    article = _stored(text, Analysis(quotes=(Quote(at, at + 15, "“Quoted words,”"),)))
    quote = article.quotes.get()
    context = quote_context(article, quote, list(article.blocks.all()))
    assert context[0] == "First paragraph is short."
    assert context[1] == "<mark>“Quoted words,”</mark> she said."
    assert context[2].startswith("Long tail") and context[2].endswith("…")
    assert len(context[2]) <= CONTEXT_CHARS


def test_every_block_is_rendered_with_its_own_spans(db):
    text = "Headline\n\nMike Pompeo flew in.\n\nThen Mike Pompeo left."
    analysis = Analysis(
        entities=(Entity("Mike Pompeo", "PERSON"),), mentions=_mentions_of(text, "Mike Pompeo")
    )
    article = _stored(text, analysis)
    blocks, _ = rendered_blocks(article)
    paragraphs = [r for r in blocks if r.kind == Block.Kind.PARAGRAPH]
    assert [re.sub(r"<[^>]+>", "", str(r.html)) for r in paragraphs] == [
        "Mike Pompeo flew in.",
        "Then Mike Pompeo left.",
    ]
    assert all(str(r.html).count('class="ent ent--PERSON"') == 1 for r in paragraphs)
