"""Does a fetched page look like an article, or like a site's front page (a list of links to articles)?

trafilatura extracts text from any page: from a front page, the link titles come out as "paragraphs" and a
date is guessed from the links' addresses. These signals say when a page is not one story, so the reader is
asked before it is saved. Pure: an lxml tree and the extracted lines in, the reasons out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# og:type or JSON-LD @type values (as trafilatura normalises them) of pages that are not one story.
LISTING_PAGE_TYPES = frozenset(
    {
        "website",
        "collectionpage",
        "itemlist",
        "searchresultspage",
        "profilepage",
        "blog",
        "webpage/collection",
    }
)
# A paragraph of running text: this many words at least, ending as a sentence ends.
PARAGRAPH_WORDS = 10
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
# Above this share of the extracted text in link titles, the page is a list of links.
LINK_SHARE = 0.5
# This many <article> elements is a list of stories (teasers), not one.
LISTED_ARTICLES = 3
# Link texts shorter than this ("Home", "A") say nothing about the text they appear in.
LINK_CHARS = 3


def _words(text: str) -> str:
    return " ".join(text.split())


def link_share(tree, lines: list[str]) -> float:
    """How much of the extracted text (in characters) is the text of the page's links."""
    links = {_words(a.text_content()) for a in tree.iter("a")}
    links = sorted((link for link in links if len(link) >= LINK_CHARS), key=len, reverse=True)
    total = sum(len(line) for line in lines)
    if not total:
        return 0.0
    covered = 0
    for line in lines:
        rest = line
        for link in links:
            if link in rest:
                rest = rest.replace(link, "")
        covered += len(line) - len(rest.strip())
    return covered / total


def is_running_text(line: str) -> bool:
    return len(line.split()) >= PARAGRAPH_WORDS and bool(_SENTENCE_END.search(line))


def front_page_reasons(tree, lines: list[str], *, page_type: str = "", url: str = "") -> tuple[str, ...]:
    """Why the page looks like a site's front page rather than an article; empty when it looks like an article.

    One strong signal is enough (most of the text is link titles; no paragraph of running text); the weaker
    ones (the page calls itself a website, its address is the site's root, it lists several <article>s) count
    when two agree."""
    strong = []
    if link_share(tree, lines) > LINK_SHARE:
        strong.append("most of its text is the titles of links")
    if not any(is_running_text(line) for line in lines):
        strong.append("it has no paragraph of running text")
    weak = []
    if (page_type or "").strip().lower() in LISTING_PAGE_TYPES:
        weak.append(f"the page calls itself a “{page_type.strip()}”, not an article")
    if url and urlsplit(url).path.strip("/") in ("", "index.html", "index.htm", "index.php"):
        weak.append("its address is the site's front page")
    if sum(1 for _ in tree.iter("article")) >= LISTED_ARTICLES:
        weak.append("it lists several articles")
    if strong:
        return (*strong, *weak)
    return tuple(weak) if len(weak) >= 2 else ()
