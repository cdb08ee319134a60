"""Readers' notes as HTML: Markdown rendered with raw HTML off, images off, links limited to http(s) and
mailto, and the result passed through an allow-list sanitiser as a second fence."""

from __future__ import annotations

import html as html_entities
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

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


def render_note(note: str) -> SafeString:
    """A note's Markdown as HTML that cannot run script: escaped HTML, safe links, allow-listed tags."""
    if not note.strip():
        return mark_safe("")
    html = _markdown.render(note)
    clean = nh3.clean(
        html,
        tags=NOTE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)


def note_as_text(note: str) -> str:
    """A note as plain text, for a link preview's description: the Markdown rendered, every tag dropped, the
    entities read back (the template escapes the result once)."""
    if not note.strip():
        return ""
    text = nh3.clean(_markdown.render(note), tags=set())
    return re.sub(r"\s+", " ", html_entities.unescape(text)).strip()
