"""Turn stored offsets into HTML: the article text is escaped, our span tags are the only markup.

Spans may overlap in any way (a highlight across a quote's end, a quote over two paragraphs); the renderer
splits them at every boundary and re-nests them outer-first, so the HTML is always well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import pairwise


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


def spans_within(ranges: list[tuple[int, int]], spans: list[Span]) -> list[list[Span]]:
    """For each of `ranges` (in text order, not overlapping), the spans that reach into it.

    One sweep over the spans sorted by start: a page of many blocks and many spans costs their sum, not
    their product."""
    by_start = sorted((s for s in spans if s.end > s.start), key=lambda s: s.start)
    within, still_open, taken = [], [], 0
    for start, end in ranges:
        while taken < len(by_start) and by_start[taken].start < end:
            still_open.append(by_start[taken])
            taken += 1
        still_open = [s for s in still_open if s.end > start]
        within.append([s for s in still_open if s.start < end])
    return within


def render_text(text: str, start: int, end: int, spans: list[Span]) -> str:
    """HTML for text[start:end] with every span clipped to that range and properly nested.

    A sweep from boundary to boundary keeps the spans open there; only those are sorted into nesting order,
    so the cost follows the text and the spans, not their product."""
    inside = [s for s in spans if s.start < end and s.end > start and s.end > s.start]
    points = {start, end}
    for s in inside:
        points.add(max(s.start, start))
        points.add(min(s.end, end))
    boundaries = sorted(points)
    order = {id(s): (s.layer, s.start, -s.end, i) for i, s in enumerate(inside)}
    by_start = sorted(inside, key=lambda s: s.start)
    taken = 0
    here_open: list[Span] = []  # spans with start <= here < end, so each covers text[here:after]
    stack: list[Span] = []
    out: list[str] = []
    for here, after in pairwise(boundaries):
        here_open = [s for s in here_open if s.end > here]
        while taken < len(by_start) and by_start[taken].start <= here:
            here_open.append(by_start[taken])
            taken += 1
        wanted = sorted(here_open, key=lambda s: order[id(s)])
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
