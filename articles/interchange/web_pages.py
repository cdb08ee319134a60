"""Articles from the web: a page fetched by its address (articles/fetching/), read like a saved .html file,
and a feed entry that carries its full text. Nothing here writes."""

from __future__ import annotations

from lxml import html as lxml_html

from ..feeds.parsing import FeedEntry
from ..fetching import FetchError, fetch
from .article_files import ArticleInput, ArticleRejected, ImportFailure, html_candidate

# Elements whose text is a paragraph of its own when a feed's HTML is turned into the plain-text form.
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd", "dt")


def is_web_address(name: str) -> bool:
    return name.strip().lower().startswith(("http://", "https://"))


def page_input(url: str) -> ArticleInput:
    """The article at `url`: fetched (http(s) only, public addresses, timeouts and a size limit), its text
    and metadata extracted, its canonical address kept; ArticleRejected says in plain words why not."""
    try:
        fetched = fetch(url.strip(), kinds=("page",))
    except FetchError as error:
        raise ArticleRejected(str(error)) from None
    item = html_candidate(fetched.body, origin=url, url=fetched.url)
    if isinstance(item, ImportFailure):
        raise ArticleRejected(f"No article could be read at {fetched.url}: {item.reason}.")
    return item


def page_or_failure(url: str) -> ArticleInput | ImportFailure:
    try:
        return page_input(url)
    except ArticleRejected as error:
        return ImportFailure(url, str(error))


def paragraphs_of(fragment: str) -> list[str]:
    """A feed entry's HTML as paragraphs of plain text (markup, scripts and styles dropped)."""
    if not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises assorted parser errors on broken markup
        return []
    for junk in root.xpath(".//script|.//style|.//noscript|.//iframe|.//object"):
        junk.drop_tree()
    texts = [
        " ".join(element.text_content().split())
        for element in root.iter(*BLOCK_TAGS)
        if not any(parent.tag in BLOCK_TAGS for parent in element.iterancestors())
    ]
    if not any(texts):
        texts = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return [text for text in texts if text]


def entry_input(entry: FeedEntry, *, source: str) -> ArticleInput:
    """A feed entry that carries its whole story, in the plain-text form (headline, then paragraphs)."""
    paragraphs = paragraphs_of(entry.content_html)
    if not paragraphs:
        raise ArticleRejected("The feed entry has no text.")
    title = " ".join(entry.title.split()) or paragraphs.pop(0)
    return ArticleInput(
        text="\n\n".join([title, *paragraphs]),
        source=source,
        published=entry.published,
        url=entry.url,
        byline=entry.author,
        origin=entry.url or entry.guid,
    )
