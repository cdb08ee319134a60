"""Readers' notes as HTML: Markdown rendered with raw HTML off, images off, links limited to http(s) and
mailto, and the result passed through an allow-list sanitiser as a second fence."""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Callable

import nh3
from django.utils.safestring import SafeString, mark_safe
from lxml import html as lxml_html
from lxml.etree import Element
from markdown_it import MarkdownIt

from ..search.marked import Marked

LINK_SCHEMES = ("http://", "https://", "mailto:")
NOTE_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}


def _only_safe_links(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_markdown.validateLink = _only_safe_links


def _clean(html: str, tags: set[str] = NOTE_TAGS) -> SafeString:
    return mark_safe(
        nh3.clean(
            html,
            tags=tags,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener noreferrer",
        )
    )


def render_note(note: str) -> SafeString:
    """A note's Markdown as HTML that cannot run script: escaped HTML, safe links, allow-listed tags."""
    if not note.strip():
        return mark_safe("")
    return _clean(_markdown.render(note))


def _marked_stretch(text: str, mark: Callable[[str], Marked]) -> tuple[str, list]:
    """A stretch of text split at its matches: the text before the first, then a <mark> element for each
    match whose tail is the text up to the next one."""
    spans = mark(text).spans
    if not spans:
        return text, []
    marks = []
    for i, (start, end) in enumerate(spans):
        element = Element("mark")
        element.text = text[start:end]
        element.tail = text[end : spans[i + 1][0] if i + 1 < len(spans) else len(text)]
        marks.append(element)
    return text[: spans[0][0]], marks


def render_note_marked(note: str, mark: Callable[[str], Marked]) -> SafeString:
    """render_note's HTML with what `mark` finds in each stretch of its text (a search's words) inside
    <mark>: the matches are looked for in the text a reader sees, never in the markup."""
    html = render_note(note)
    if not html:
        return html
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter()):
        if element.text:
            element.text, marks = _marked_stretch(element.text, mark)
            for i, found in enumerate(marks):
                element.insert(i, found)
        if element is not root and element.tail:
            element.tail, marks = _marked_stretch(element.tail, mark)
            parent = element.getparent()
            at = parent.index(element)
            for i, found in enumerate(marks):
                parent.insert(at + 1 + i, found)
    inner = lxml_html.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")]
    return _clean(inner, NOTE_TAGS | {"mark"})


def note_as_text(note: str) -> str:
    """A note as plain text, for a link preview's description: the Markdown rendered, every tag dropped, the
    entities read back (the template escapes the result once)."""
    if not note.strip():
        return ""
    text = nh3.clean(_markdown.render(note), tags=set())
    return re.sub(r"\s+", " ", html_entities.unescape(text)).strip()
