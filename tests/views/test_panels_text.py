"""What panels and link previews say: plain text where Markdown would show, no stray spaces, code as code."""

import re

import pytest

from articles.services.annotations import AnnotationRejected, annotation_create
from tests.helpers import PASSAGE, TEXT

pytestmark = pytest.mark.django_db


def test_a_link_preview_of_an_annotation_shows_its_note_as_plain_text(client, article, alice):
    start = TEXT.index(PASSAGE)
    note = annotation_create(
        user=alice,
        article=article,
        start=start,
        end=start + len(PASSAGE),
        exact=PASSAGE,
        note="A **walk-out** & [the minutes](https://example.org/minutes)",
        visibility="public",
    )
    page = client.get(note.get_absolute_url()).content.decode()
    description = re.search(r'<meta property="og:description" content="([^"]*)"', page).group(1)
    assert "A walk-out &amp; the minutes" in description
    assert "**" not in description and "](" not in description


def test_script_in_backquotes_is_code_not_script(client, article, alice):
    start = TEXT.index(PASSAGE)
    note = annotation_create(
        user=alice,
        article=article,
        start=start,
        end=start + len(PASSAGE),
        exact=PASSAGE,
        note="They meant the `<script>` tag.\n\n```\n<iframe src=x>\n```",
        visibility="public",
    )
    page = client.get(note.get_absolute_url()).content.decode()
    assert "<code>&lt;script&gt;</code>" in page and "<iframe" not in page
    for hostile in ("<script>alert(1)</script>", "`ok` <script>", "[x](javascript:alert(1))"):
        with pytest.raises(AnnotationRejected):
            annotation_create(
                user=alice,
                article=article,
                start=start,
                end=start + len(PASSAGE),
                exact=PASSAGE,
                note=hostile,
            )


def test_a_quote_panel_names_the_speaker_and_role_without_a_space_before_the_comma(client, seed_article):
    quote = next(q for q in seed_article.quotes.all() if q.speaker_description)
    page = client.get(quote.get_absolute_url()).content.decode()
    assert f'{quote.speaker_name}</a><span class="speaker-description">, {quote.speaker_description}' in page


def test_an_entity_panel_lists_each_sentence_once_and_links_it_to_the_text(client):
    from articles.models import Entity
    from tests.helpers import import_article, story

    article = import_article(
        text=story(
            "Pier approved",
            "Mike Pompeo said the pier would open, and Pompeo said it twice.",
            "Later Mike Pompeo left the harbour.",
        )
    )
    entity = Entity.objects.get(article=article, actor__key="mike pompeo")
    page = client.get(entity.get_absolute_url()).content.decode()
    mentions = page.split('<ol class="mentions">')[1].split("</ol>")[0]
    assert mentions.count("<li>") == 2  # three mentions in two sentences
    first_sentence = mentions.split("</li>")[0]
    assert first_sentence.count("<mark>") == 2
    first = entity.mentions.order_by("start").first()
    assert f'<a class="mention-link" href="#mention-{first.pk}">' in first_sentence
    assert f'id="mention-{first.pk}"' in page  # the link's target in the article text


def test_an_entity_panel_shows_each_mention_in_the_sentence_the_parser_found(client):
    from articles.models import Entity
    from tests.helpers import import_article, story

    article = import_article(
        text=story("Ferry returns", "The ferry left at dawn. Dr. Ana Ruiz, who runs it, waved from the pier.")
    )
    entity = Entity.objects.get(article=article, actor__key="ana ruiz")
    page = client.get(entity.get_absolute_url()).content.decode()
    mentions = page.split('<ol class="mentions">')[1].split("</ol>")[0]
    shown = re.sub(r"<[^>]+>", "", mentions).strip()
    # The whole sentence, from "Dr." on (a full stop after "Dr" does not end it), and not the one before.
    assert shown == "Dr. Ana Ruiz, who runs it, waved from the pier."
