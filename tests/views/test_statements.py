"""Reported and partly quoted speech on the page, in its panel, on a person's page, in "who is quoted", in
search and in the exports; stored through the real storing service from a built analysis (no spaCy)."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from articles.models import Actor, Quote
from articles.nlp.types import Analysis, Entity, Mention, Statement
from tests.helpers import HTMX
from tests.services.test_statements import TEXT, at, stored

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Council <script>alert(1)</script>\n\n<b>Bo</b> said the <img src=x onerror=alert(2)> plan was fine."
)


def _hostile_article():
    name, content = at(HOSTILE, "<b>Bo</b>"), at(HOSTILE, "the <img src=x onerror=alert(2)> plan was fine")
    return stored(
        HOSTILE,
        Analysis(
            entities=(Entity("<b>Bo</b>", "PERSON"),),
            mentions=(Mention(*name, "<b>Bo</b>", "PERSON", 0),),
            statements=(
                Statement(
                    "reported",
                    (content,),
                    (at(HOSTILE, "said"),),
                    speaker="<b>Bo</b>",
                    speaker_index=0,
                    speaker_start=name[0],
                    speaker_end=name[1],
                ),
            ),
        ),
    )


def test_reported_speech_is_marked_with_its_own_class_and_the_speakers_tag(client):
    article = stored()
    page = client.get(article.get_absolute_url()).content.decode()
    reported = article.quotes.get(form="reported")
    mark = re.search(
        rf'<span class="quote quote--said quote--reported" data-quote-id="{reported.pk}"[^>]*>(.*?)</span>',
        page,
    )
    assert mark and mark.group(1).startswith("the bridge would reopen in May")
    tag = re.search(rf'<a class="quote-tag quote-tag--said" id="quote-{reported.pk}"[^>]*>([^<]*)</a>', page)
    assert tag and tag.group(1) == "Ana Ruiz" and 'aria-label="Reported speech by Ana Ruiz"' in tag.group(0)
    # The partly quoted statement holds its quote, marked as a quote inside it.
    partly = article.quotes.get(form="partly")
    assert page.count(f'data-quote-id="{partly.pk}"') == 2  # two pieces: "The delays" and the rest
    assert 'aria-label="Partly quoted by Ana Ruiz"' in page
    assert re.search(r'class="quote quote--speech"[^>]*>“entirely avoidable”', page)
    # The legend offers the switch for reported speech.
    assert re.search(r'<input type="checkbox" data-toggle="said" checked>', page)


def test_the_legend_offers_no_reported_switch_without_reported_speech(client):
    plain = stored("Quiet day\n\nNothing happened at the council.", Analysis())
    page = client.get(plain.get_absolute_url()).content.decode()
    assert 'data-toggle="said"' not in page


def test_reported_panel_names_speaker_cue_kind_context_and_what_else_they_said(client):
    article = stored()
    reported = article.quotes.get(form="reported")
    body = client.get(reported.get_absolute_url(), **HTMX).content.decode()
    assert 'data-form="reported"' in body
    assert re.search(r'class="speaker-name">Ana Ruiz</a>', body)
    assert re.search(r'<dd class="statement-kind">reported</dd>', body)
    assert '<dd class="cue">“said”</dd>' in body
    assert '<mark class="cue-mark">said</mark> <mark>the bridge would reopen in May</mark>' in body
    also = body[body.index("Also said by Ana Ruiz") :]
    assert "(partly quoted)" in also and "We will be ready" in also
    assert also.count("<li>") == 2  # the quote inside the partly quoted statement is not listed again
    partly = article.quotes.get(form="partly")
    body = client.get(partly.get_absolute_url(), **HTMX).content.decode()
    assert '<dd class="statement-kind">partly quoted</dd>' in body
    assert '<mark>The delays</mark>, she <mark class="cue-mark">said</mark>, <mark>were' in body


def test_reported_panel_without_javascript_is_the_whole_page_with_the_panel_open(client):
    article = stored()
    reported = article.quotes.get(form="reported")
    page = client.get(reported.get_absolute_url()).content.decode()
    assert "<html" in page and 'data-panel="quote"' in page and 'data-form="reported"' in page
    assert f'href="{reported.get_absolute_url()}#quote-{reported.pk}"' in page


def test_reported_speech_is_escaped_everywhere(client):
    article = _hostile_article()
    reported = article.quotes.get()
    ruiz = Actor.objects.get(label="PERSON")
    shown = "the &lt;img src=x onerror=alert(2)&gt; plan was fine"
    for url, speaker, content in (
        (article.get_absolute_url(), True, True),
        (reported.get_absolute_url(), True, True),
        (ruiz.get_absolute_url(), True, True),
        (reverse("articles:who_is_quoted") + "?said=reported", False, False),
    ):
        page = client.get(url).content.decode()
        assert "<img src=x" not in page and "<b>Bo</b>" not in page and "<script>alert" not in page, url
        assert ("&lt;b&gt;Bo&lt;/b&gt;" in page) == speaker and (shown in page) == content, url
    assert ruiz.name in client.get(reverse("articles:who_is_quoted") + "?said=reported").content.decode()


def test_person_page_lists_what_they_said_with_a_switch_between_quoted_and_reported(client):
    stored()
    ruiz = Actor.objects.get(key="ana ruiz")

    def listed(said: str | None) -> list[str]:
        page = client.get(ruiz.get_absolute_url(), {"said": said} if said else {}).content.decode()
        return re.findall(r'<li data-form="(\w+)">', page)

    assert listed(None) == listed("all") == ["reported", "partly", "quoted"]
    assert listed("quoted") == ["quoted", "quoted"]
    assert listed("reported") == ["reported", "partly"]
    assert listed("<script>") == listed("all")  # an unknown choice is the default
    page = client.get(ruiz.get_absolute_url(), {"said": "reported"}).content.decode()
    assert "Everything (3)" in page and "Quoted (2)" in page
    assert re.search(r'<a href="\?said=reported#actor-quotes" aria-current="page">Reported \(2\)</a>', page)
    assert "the bridge would reopen in May" in page


def test_who_is_quoted_counts_quotes_reported_speech_or_both(client):
    stored(published=datetime.date(2019, 2, 1))
    url = reverse("articles:who_is_quoted")

    def count(said: str | None) -> str:
        page = client.get(url, {"said": said} if said else {}).content.decode()
        return re.search(r"<td><a href=\"/library/\d+/\">Ana Ruiz</a>.*?<td>(\d+)</td>", page, re.S).group(1)

    assert (count(None), count("quoted"), count("reported"), count("all")) == ("2", "2", "2", "3")
    page = client.get(url, {"said": "reported"}).content.decode()
    assert "2 reported statements (partly quoted or not quoted)" in page
    assert (
        'aria-label="Ana Ruiz: 2 reported statements"' in page
        and "<figcaption>Reported statements by month" in page
    )
    assert re.search(r'<a href="\?said=reported" aria-current="page">Reported</a>', page)


def test_search_filters_articles_by_what_is_said_in_them(client):
    article = stored()
    quiet = stored(
        "Quiet day\n\nNobody said anything, and “that” was that.",
        Analysis(),
    )
    url = reverse("articles:search")

    def found(**params) -> set[int]:
        page = client.get(url, params).content.decode()
        return {int(pk) for pk in re.findall(r'href="/articles/(\d+)/"', page)}

    assert found(said="reported") == {article.pk} and found(said="quoted") == {article.pk}
    assert found(q="day", said="") == {quiet.pk}
    assert found(q="bridge", said="reported") == {article.pk}
    assert found(q="day", said="reported") == set()
    refused = client.get(url, {"said": "whispered"}).content.decode()
    assert "is not a kind of statement" in refused


def test_exports_carry_quotes_and_attributions_in_the_scorers_form(client):
    article = stored()
    url = reverse("articles:annotations_export", args=[article.pk, "jsonld"])
    data = json.loads(client.get(url).content)
    assert [q["text"] for q in data["quotes"]] == ["“entirely avoidable”", "“We will be ready,”"]
    kinds = [(a["kind"], a["speaker"]) for a in data["attributions"]]
    assert kinds == [("reported", "Ana Ruiz"), ("mixed", "Ana Ruiz"), ("direct", "Ana Ruiz")]
    reported = data["attributions"][0]
    assert reported["content"] == [list(at(TEXT, "the bridge would reopen in May"))]
    assert reported["cue"] == [list(at(TEXT, "said"))]
    assert (reported["speaker_start"], reported["speaker_end"]) == at(TEXT, "Ana Ruiz")
    assert data["type"] == "AnnotationCollection" and data["total"] == 0
    markdown = client.get(reverse("articles:annotations_export", args=[article.pk, "md"])).content.decode()
    assert "- Ana Ruiz (reported): the bridge would reopen in May" in markdown
    block = markdown[markdown.index("```json\n") + 8 : markdown.rindex("\n```")]
    assert json.loads(block) == {"quotes": data["quotes"], "attributions": data["attributions"]}


def test_existing_quote_addresses_keep_working(client):
    article = stored()
    quote = article.quotes.get(form="quoted", fragment=False)
    assert quote.get_absolute_url() == f"/articles/{article.pk}/quotes/{quote.pk}/"
    body = client.get(quote.get_absolute_url(), **HTMX).content.decode()
    assert '<dd class="statement-kind">quoted</dd>' in body and "Reporting verb" in body
    assert Quote.objects.filter(article=article).count() == 4


def test_a_direct_statement_in_two_pieces_is_one_attribution_in_the_exports(client):
    from tests.helpers import import_article, story

    text = story(
        "Bridge works",
        "“We will rebuild the bridge,” Ana Ruiz said on Monday. “It will take a year, perhaps two.”",
    )
    article = import_article(text=text)
    assert article.quotes.filter(form="quoted").count() == 2  # the page marks each quote
    url = reverse("articles:annotations_export", args=[article.pk, "jsonld"])
    data = json.loads(client.get(url).content)
    assert len(data["quotes"]) == 2
    [attribution] = data["attributions"]
    assert (attribution["kind"], attribution["speaker"]) == ("direct", "Ana Ruiz")
    assert len(attribution["content"]) == 2
