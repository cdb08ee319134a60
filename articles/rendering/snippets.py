"""Search results as HTML: the text escaped, and a <mark> around each match the search found (its offsets),
so nothing in the text itself can make or break a mark."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from ..search import Hit, Marked


def marked_html(marked: Marked) -> SafeString:
    """`marked.text` escaped, each of its match spans inside <mark>."""
    out, last = [], 0
    for start, end in marked.spans:
        out += [
            escape(marked.text[last:start], quote=False),
            "<mark>",
            escape(marked.text[start:end], quote=False),
        ]
        out.append("</mark>")
        last = end
    out.append(escape(marked.text[last:], quote=False))
    return mark_safe("".join(out))


@dataclass(frozen=True)
class ShownHit:
    """A search result as the page shows it (empty HTML: the article's own headline and standfirst)."""

    article: Article
    title_html: SafeString | str = ""
    snippet_html: SafeString | str = ""


def shown_hit(hit: Hit) -> ShownHit:
    return ShownHit(
        hit.article,
        marked_html(hit.title) if hit.title else "",
        marked_html(hit.snippet) if hit.snippet else "",
    )
