"""Search snippets that keep the article's blocks apart: a caption's credit, a caption or a headline never runs
into the text next to it ("...on Thursday.CreditDoug Mills/The New York TimesThe president...")."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from ..models import Block
from .marked import Marked

ELLIPSIS = "…"
# What stands between two blocks in a snippet: a caption's credit is named as the article page names it,
# paragraphs are apart by a space as on the page, any other block by a visible separator.
CREDIT_JOIN = " Credit: "
PARAGRAPH_JOIN = " "
BLOCK_JOIN = " · "


def _join(before: str, after: str) -> str:
    if before == Block.Kind.CAPTION and after == Block.Kind.CREDIT:
        return CREDIT_JOIN
    if before == after == Block.Kind.PARAGRAPH:
        return PARAGRAPH_JOIN
    return BLOCK_JOIN


def _located(plain: str, text: str) -> tuple[int, int, int]:
    """Where the snippet's text is in the article: (offset in the article, characters of ellipsis before and
    after it in the snippet); -1 when it is not there as it is."""
    for lead in (1, 0):
        for trail in (1, 0):
            if (lead and not plain.startswith(ELLIPSIS)) or (trail and not plain.endswith(ELLIPSIS)):
                continue
            core = plain[lead : len(plain) - trail]
            if core and (at := text.find(core)) != -1:
                return at, lead, trail
    return -1, 0, 0


def blocks_apart(snippet: Marked, text: str, blocks: Iterable[tuple[str, int, int]]) -> Marked:
    """`snippet` (a stretch of `text`, maybe with an ellipsis at either end) with what lies between two of the
    article's `blocks` (kind, start, end) replaced by a join that keeps them apart; a match starts after a join
    and ends before one. A snippet that is not the article's text as it is comes back unchanged."""
    plain = snippet.text
    at, lead, trail = _located(plain, text)
    if at == -1:
        return snippet
    end = at + len(plain) - lead - trail
    # A line the article page leaves out (a share widget's "Share this article") is left out here too: it
    # lies in the gap between the blocks around it.
    ordered = sorted((b for b in blocks if b[0] != Block.Kind.BOILERPLATE), key=lambda block: block[1])
    # Each gap between two blocks that the snippet reaches: its start, end and join.
    gaps = [
        (before[2], after[1], _join(before[0], after[0]))
        for before, after in pairwise(ordered)
        if before[2] < end and after[1] > at and before[2] <= after[1]
    ]
    if not gaps:  # within one block: nothing to keep apart
        return snippet
    out: list[str] = []
    length = 0  # characters out so far
    # Where each snippet offset lands: a match's start goes after a pending join, its end before it.
    starts, ends = [0] * (len(plain) + 1), [0] * (len(plain) + 1)
    position, pending = at - lead, ""  # position: the article offset of the next snippet character
    written = False  # whether a character is out yet
    upcoming = 0  # the first gap not yet passed (gaps are in text order)
    for index, ch in enumerate(plain):
        starts[index] = length + len(pending)
        inside = at <= position < end
        while upcoming < len(gaps) and gaps[upcoming][1] <= position:  # positions only grow
            upcoming += 1
        gap = gaps[upcoming] if inside and upcoming < len(gaps) and gaps[upcoming][0] <= position else None
        position += 1
        if not inside:  # an ellipsis: a gap just before it is left out without a join
            pending = ""
            starts[index] = length
        elif gap is not None:
            # A gap at the snippet's very start is left out without a join too.
            pending = gap[2] if written else ""
            starts[index] = length
            ends[index + 1] = length
            continue
        if pending:
            out.append(pending)
            length += len(pending)
            pending = ""
        out.append(ch)
        length += 1
        ends[index + 1] = length
        written = True
    starts[len(plain)] = length
    spans = tuple((starts[s], ends[e]) for s, e in snippet.spans if ends[e] > starts[s])
    return Marked("".join(out), spans)
