"""A site's front page is told from an article before it is saved (the walk's "Springfield Herald", D13)."""

from lxml import html as lxml_html

from articles.interchange.article_files import ArticleInput, html_candidate
from articles.interchange.page_kind import front_page_reasons, link_share
from tests.helpers import PAGE
from tests.web import COUNCIL, HARBOUR, HERALD_STORIES, front_page, story_page


def test_a_front_page_of_link_titles_is_not_an_article():
    page = html_candidate(front_page(), origin="herald", url="http://herald.example/")
    assert isinstance(page, ArticleInput)
    assert page.not_an_article == (
        "most of its text is the titles of links",
        "it has no paragraph of running text",
        "its address is the site's front page",
    )


def test_articles_are_articles_wherever_they_live():
    for data, url in [
        (story_page(*HARBOUR), "http://planet.example/2025/harbour"),
        (story_page(*COUNCIL), "http://planet.example/"),  # one weak signal is not enough
        (PAGE.encode(), ""),
    ]:
        page = html_candidate(data, origin="story", url=url)
        assert isinstance(page, ArticleInput) and page.not_an_article == ()


def test_a_list_of_teasers_with_summaries_is_found_by_the_weaker_signals_together():
    teasers = "".join(
        f"<article><h2><a href='/s{n}'>{title}</a></h2><p>A summary of the story that runs for a sentence or two, "
        f"as front pages show under each headline, with a date and a place.</p></article>"
        for n, title in enumerate(HERALD_STORIES)
    )
    tree = lxml_html.fromstring(f"<html><body>{teasers}</body></html>")
    lines = [" ".join(p.text_content().split()) for p in tree.iter("h2", "p")]
    assert link_share(tree, lines) < 0.5
    assert front_page_reasons(tree, lines, page_type="website", url="https://herald.example/news/") == (
        "the page calls itself a “website”, not an article",
        "it lists several articles",
    )
    assert front_page_reasons(tree, lines, page_type="article", url="https://herald.example/news/") == ()
