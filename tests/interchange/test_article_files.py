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


# The walk's page (D2): figures whose image addresses are relative to the page, as most sites write them.
RELATIVE_IMAGES_PAGE = """<html><head><title>City council approves budget</title></head><body><article>
<h1>City council approves budget</h1>
<p>SPRINGFIELD — The city council approved next year's budget on Monday after a long debate about the libraries
and the cost of the new bus routes across the city.</p>
<figure><img src="/news/photo.png" alt="The mayor at the lectern"><figcaption>Mayor Dana Whitfield speaks after the
vote. Credit: Jordan Lee</figcaption></figure>
<p>“We kept every branch open,” said Mayor Dana Whitfield, who had promised to protect the libraries.</p>
<figure><img src="images/hall.jpg" alt=""><figcaption>The council chamber on Monday night.</figcaption></figure>
<p>The budget takes effect in January, and the council will review the bus routes again in the spring.</p>
<figure><img data-src="../lazy/crowd.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><figcaption>Residents
waited outside the hall.</figcaption></figure>
<p>Some residents said the new routes would leave their neighbourhoods without a bus after eight in the evening.</p>
</article></body></html>""".encode()


@pytest.mark.parametrize(
    "url", ["https://herald.example/news/2026/budget.html", ""], ids=["by-address", "file"]
)
def test_captions_of_figures_with_relative_image_addresses_are_kept(url):
    candidate = html_candidate(RELATIVE_IMAGES_PAGE, "budget.html", url=url)
    lines = candidate.text.split("\n\n")
    assert "Caption: Mayor Dana Whitfield speaks after the vote. Credit: Jordan Lee" in lines
    assert "Caption: The council chamber on Monday night." in lines
    # A lazy image: trafilatura reads its data-src, and so does the caption lookup.
    assert "Caption: Residents waited outside the hall." in lines
    assert not any(line.startswith("![") for line in lines)


def test_a_page_saved_by_its_address_keeps_the_caption_of_a_relative_image(client, alice, local_web):
    from articles.models import Article, Block
    from tests.helpers import logged_in, run_tasks
    from tests.local_server import Reply

    url = local_web.route("/news/2026/budget.html", Reply(RELATIVE_IMAGES_PAGE))
    response = logged_in(client, alice).post("/articles/new/", {"url": url})
    assert response.status_code == 302
    run_tasks()
    article = Article.objects.get()
    captions = [block.text for block in article.blocks.filter(kind=Block.Kind.CAPTION)]
    assert "Mayor Dana Whitfield speaks after the vote." in captions
    assert "The council chamber on Monday night." in captions
