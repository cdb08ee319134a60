"""Reading article files: bad HTML is a reported failure, never an exception."""

import re

import pytest

from articles.interchange.article_files import ImportFailure, html_candidate

pytestmark = pytest.mark.django_db


def test_html_without_an_article_is_a_failure_not_an_exception():
    assert isinstance(html_candidate(b"", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"<html><body><p>Hi</p></body></html>", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"\x00\xff<<<>>>", "x.html"), ImportFailure)


# A news page whose lead photo comes before the first paragraph, as many sites lay it out: the caption and its
# credit in spans whose classes say nothing, and a second photo with a caption and no credit.
CAPTIONED_PAGE = """<html><head><title>Trump and Kim end talks early</title>
<meta property="og:site_name" content="Example Times"></head><body><article><h1>Trump and Kim end talks early</h1>
<figure><img src="/pompeo.jpg" alt=""><figcaption><span class="c1">Mr. Trump with Secretary of State Mike Pompeo
after their Hanoi news conference on Thursday.</span><span class="c2"><span>Credit</span><span>Doug Mills/The New
York Times</span></span></figcaption></figure>
<p>HANOI, Vietnam — President Trump walked away from his summit meeting with Kim Jong-un on Thursday after the
two failed to agree on sanctions relief, a setback for both leaders.</p>
<figure><img src="/yongbyon.jpg" alt="A satellite image"><figcaption>A 2012 satellite image showing the Yongbyon
nuclear enrichment facility in North Korea.</figcaption></figure>
<p>“Sometimes you have to walk, and this was just one of those times,” Mr. Trump told reporters in Hanoi.</p>
<figure><img src="/kim.jpg" alt=""><figcaption>Mr. Kim leaving the hotel. <small>Agence France-Presse — Getty
Images</small></figcaption></figure>
<p>The premature end to the negotiations was a blow to the president, who had hoped for a deal.</p>
</article></body></html>""".encode()


def test_photo_captions_are_captions_with_their_credits_not_the_first_paragraph_or_the_summary(client):
    from articles.models import Block
    from tests.helpers import import_article

    candidate = html_candidate(CAPTIONED_PAGE, "page.html")
    article = import_article(origin="page.html", text=candidate.text, source=candidate.source)
    blocks = [(b.kind, b.text) for b in article.blocks.exclude(kind=Block.Kind.HEADLINE)]
    assert blocks[:3] == [
        (
            "caption",
            "Mr. Trump with Secretary of State Mike Pompeo after their Hanoi news conference on Thursday.",
        ),
        ("credit", "Doug Mills/The New York Times"),
        ("paragraph", blocks[2][1]),
    ]
    assert blocks[2][1].startswith("HANOI, Vietnam — President Trump walked away")
    assert (
        "caption",
        "A 2012 satellite image showing the Yongbyon nuclear enrichment facility in North Korea.",
    ) in blocks
    assert ("caption", "Mr. Kim leaving the hotel.") in blocks
    assert ("credit", "Agence France-Presse — Getty Images") in blocks
    assert [kind for kind, _ in blocks].count("paragraph") == 3
    assert article.standfirst.startswith("President Trump walked away from his summit")
    assert article.dateline == "HANOI, Vietnam"

    page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:description" content="President Trump walked away' in page
    figure = page[page.index("<figure") : page.index("</figure>")]
    assert "Mike Pompeo" in figure and "Credit: Doug Mills/The New York Times" in figure
    assert "Caption:" not in page.split("<body", 1)[1]
    first_para = page[page.index('class="para"') :]
    assert "President Trump walked away" in re.sub(r"<[^>]+>", "", first_para[: first_para.index("</p>")])
