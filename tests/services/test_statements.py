"""Statements stored: quotes, partly quoted and reported speech as rows with their form, content spans and cue
spans, counted in the tallies, and kept apart from readers' annotations across a re-analysis."""

import pytest

from articles.interchange.article_files import ArticleInput
from articles.models import Actor, Annotation, Quote, QuoteTally
from articles.nlp.types import Analysis, Entity, Mention, Statement
from articles.nlp.types import Quote as FoundQuote
from articles.services.analysis import article_reanalyze
from articles.services.annotations import annotation_create
from articles.services.articles import article_delete, article_prepare, article_store

pytestmark = pytest.mark.django_db

TEXT = (
    "Bridge works\n\n"
    "Ana Ruiz said the bridge would reopen in May.\n\n"
    "The delays, she said, were “entirely avoidable” and the council knew it.\n\n"
    "“We will be ready,” said Ana Ruiz."
)


def at(text: str, words: str, start: int = 0) -> tuple[int, int]:
    begin = TEXT.index(words, start) if text is TEXT else text.index(words, start)
    return begin, begin + len(words)


def bridge_analysis(text: str = TEXT) -> Analysis:
    """What the engine finds in TEXT: one reported statement, one partly quoted, one direct."""
    name = at(text, "Ana Ruiz")
    second_name = at(text, "Ana Ruiz", name[1])
    fragment = at(text, "“entirely avoidable”")
    quote = at(text, "“We will be ready,”")
    she = at(text, "she")
    speaker = {"speaker": "Ana Ruiz", "speaker_index": 0}
    return Analysis(
        entities=(Entity("Ana Ruiz", "PERSON"),),
        mentions=(Mention(*name, "Ana Ruiz", "PERSON", 0), Mention(*second_name, "Ana Ruiz", "PERSON", 0)),
        quotes=(
            FoundQuote(
                *fragment, "“entirely avoidable”", **speaker, speaker_start=she[0], speaker_end=she[1]
            ),
            FoundQuote(
                *quote,
                "“We will be ready,”",
                **speaker,
                speaker_start=second_name[0],
                speaker_end=second_name[1],
                cue="said",
                cue_start=quote[1] + 1,
                cue_end=quote[1] + 5,
            ),
        ),
        statements=(
            Statement(
                "reported",
                (at(text, "the bridge would reopen in May"),),
                (at(text, "said"),),
                **speaker,
                speaker_start=name[0],
                speaker_end=name[1],
            ),
            Statement(
                "mixed",
                (at(text, "The delays"), at(text, "were “entirely avoidable” and the council knew it")),
                (at(text, "said", she[1]),),
                **speaker,
                speaker_start=she[0],
                speaker_end=she[1],
            ),
            Statement(
                "direct",
                (quote,),
                ((quote[1] + 1, quote[1] + 5),),
                **speaker,
                speaker_start=second_name[0],
                speaker_end=second_name[1],
            ),
        ),
    )


def stored(text: str = TEXT, analysis: Analysis | None = None, published=None):
    prepared = article_prepare(incoming=ArticleInput(text=text, source="Gazette", published=published))
    return article_store(prepared=prepared, analysis=analysis or bridge_analysis(text), public=True)


def test_each_statement_is_stored_with_its_form_content_and_cue_spans():
    article = stored()
    rows = list(article.quotes.order_by("start", "-end"))
    assert [(r.form, r.fragment) for r in rows] == [
        ("reported", False),
        ("partly", False),
        ("quoted", True),  # the quoted words inside the partly quoted statement
        ("quoted", False),
    ]
    reported, partly, fragment, direct = rows
    assert reported.text == "the bridge would reopen in May"
    assert reported.content == [list(at(TEXT, "the bridge would reopen in May"))]
    assert reported.cue_spans == [list(at(TEXT, "said"))] and reported.cue == "said"
    assert reported.speaker.name == "Ana Ruiz" and reported.speaker_mention_text == "Ana Ruiz"
    pieces = [at(TEXT, "The delays"), at(TEXT, "were “entirely avoidable” and the council knew it")]
    assert partly.content == [list(piece) for piece in pieces]
    assert partly.text == "The delays, she said, were “entirely avoidable” and the council knew it"
    assert fragment.content_spans == [at(TEXT, "“entirely avoidable”")] and fragment.cue_spans == []
    quote = at(TEXT, "“We will be ready,”")
    assert direct.cue_spans == [[quote[1] + 1, quote[1] + 5]] and direct.cue_text == "said"
    assert [r.statement_kind for r in rows] == ["reported", "mixed", "direct", "direct"]


def test_quotes_without_statements_are_stored_as_before():
    analysis = bridge_analysis()
    article = stored(analysis=Analysis(analysis.entities, analysis.mentions, analysis.quotes))
    rows = list(article.quotes.all())
    assert [(r.form, r.fragment, r.content_spans) for r in rows] == [
        ("quoted", False, [(r.start, r.end)]) for r in rows
    ]
    assert rows[1].cue_spans == [[rows[1].end + 1, rows[1].end + 5]]


def test_tallies_count_quotes_reported_speech_and_every_statement_once():
    article = stored()
    ruiz = Actor.objects.get(key="ana ruiz")
    assert (
        QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).total_for(ruiz) == 2
    )  # in quotation marks, as the page marks them
    assert (
        QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).total_for(ruiz, "reported") == 2
    )  # reported and partly quoted
    assert (
        QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).total_for(ruiz, "all") == 3
    )  # the fragment is part of its statement
    assert [
        r["quotes"]
        for r in QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).speakers_ranked(10, said="all")
    ] == [3]
    article_delete(article=article)
    assert [
        QuoteTally.objects.filter(library=QuoteTally.EVERY_ARTICLE).total_for(ruiz, said)
        for said in ("quoted", "reported", "all")
    ] == [0, 0, 0]


def test_also_said_lists_the_speakers_other_statements_once():
    article = stored()
    reported = article.quotes.get(form="reported")
    others = list(Quote.objects.also_said(reported))
    assert [o.form for o in others] == ["partly", "quoted"]


def test_reanalysis_replaces_statements_and_keeps_annotations_where_they_were(django_user_model):
    article = stored()
    reader = django_user_model.objects.create_user("reader", password="pw-for-tests-only")
    start, end = at(TEXT, "the bridge would reopen")
    note = annotation_create(
        article=article, user=reader, start=start, end=end, exact=TEXT[start:end], note="Check this."
    )
    before = list(Annotation.objects.values_list("pk", "start", "end", "exact", "note", "orphaned"))
    article_reanalyze(article=article)  # the real analysis over the same text
    assert list(Annotation.objects.values_list("pk", "start", "end", "exact", "note", "orphaned")) == before
    assert note.exact == "the bridge would reopen"
    assert Quote.objects.filter(article=article).exists()
