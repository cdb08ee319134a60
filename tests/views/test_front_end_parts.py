"""The front end's shared parts: the analysing page asks for the article's text alone, and the palette's
colours are written once (each a light-dark() pair), not once per dark rule."""

import re
from pathlib import Path

import pytest

from articles.models import Article
from tests.helpers import HTMX

CSS = Path(__file__).resolve().parent.parent.parent / "static" / "css"


@pytest.mark.django_db
def test_the_analysing_page_polls_for_the_article_text_alone(client, article):
    Article.objects.filter(pk=article.pk).update(analysis_state=Article.Analysis.PENDING)
    page = client.get(article.get_absolute_url()).content.decode()
    poll = f'hx-get="{article.get_absolute_url()}?part=body" hx-trigger="every 2s" hx-target="#article"'
    assert poll in page
    part = client.get(article.get_absolute_url() + "?part=body", **HTMX)
    body = part.content.decode().strip()
    assert part.status_code == 200 and body.startswith('<article class="article" id="article"')
    assert body.endswith("</article>") and "<header" not in body and "<html" not in body
    assert "Analysing…" in body
    Article.objects.filter(pk=article.pk).update(analysis_state=Article.Analysis.DONE)
    body = client.get(article.get_absolute_url() + "?part=body", **HTMX).content.decode()
    assert "Analysing…" not in body and 'class="legend"' in body
    # Without htmx the same address is the whole page.
    assert "<header" in client.get(article.get_absolute_url() + "?part=body").content.decode()


def test_every_colour_of_the_palette_is_written_once():
    declared: dict[str, int] = {}
    for sheet in CSS.glob("*.css"):
        for name in re.findall(r"(?<![\w-])(--[\w-]+)\s*:", sheet.read_text()):
            declared[name] = declared.get(name, 0) + 1
    # --highlight-blend is no colour: highlights tint the page in the light scheme only (once per dark rule).
    assert {name: count for name, count in declared.items() if count > 1} == {"--highlight-blend": 3}
    assert declared["--paper"] == declared["--hl-blue"] == 1
