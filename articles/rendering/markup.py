"""Turn stored offsets into HTML: the article text is escaped, our span tags are the only markup.

Spans may overlap in any way (a highlight across a quote's end, a quote over two paragraphs); the renderer
splits them at every boundary and re-nests them outer-first, so the HTML is always well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    # Lower is outer: quotes wrap entities, entities wrap reader highlights.
    layer: int = 0
    # Emitted inside the span just before it closes at its real end (a quote's speaker tag).
    suffix_html: str = ""

    def open_html(self) -> str:
        attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in self.attrs)
        return f"<{self.tag}{attrs}>"

    def close_html(self) -> str:
        return f"</{self.tag}>"


def render_text(text: str, start: int, end: int, spans: list[Span]) -> str:
    """HTML for text[start:end] with every span clipped to that range and properly nested."""
    inside = [s for s in spans if s.start < end and s.end > start and s.end > s.start]
    points = {start, end}
    for s in inside:
        points.add(max(s.start, start))
        points.add(min(s.end, end))
    boundaries = sorted(points)
    order = {id(s): (s.layer, s.start, -s.end, i) for i, s in enumerate(inside)}
    stack: list[Span] = []
    out: list[str] = []
    for here, after in zip(boundaries, boundaries[1:]):
        wanted = sorted((s for s in inside if s.start <= here and s.end >= after), key=lambda s: order[id(s)])
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        while len(stack) > keep:
            closing = stack.pop()
            if closing.end == here and closing.suffix_html:
                out.append(closing.suffix_html)
            out.append(closing.close_html())
        for s in wanted[keep:]:
            out.append(s.open_html())
            stack.append(s)
        out.append(escape(text[here:after], quote=False))
    while stack:
        closing = stack.pop()
        if closing.end == end and closing.suffix_html:
            out.append(closing.suffix_html)
        out.append(closing.close_html())
    return "".join(out)
