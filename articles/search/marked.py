"""Search results as data: a stretch of text and where the matches in it are. HTML is made from these in
`rendering/snippets.py`, where the text is escaped."""

from __future__ import annotations

from dataclasses import dataclass

# What the database puts around the matches it marks (FTS5's highlight() and snippet(), PostgreSQL's
# ts_headline), read back into offsets at once by `from_database`; they never reach a page. Stored article text
# and headlines never hold them (services.articles.normalise_text drops private-use characters).
OPEN, CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Marked:
    """`text` with the matches at `spans` ((start, end) offsets into it, in order, never overlapping)."""

    text: str = ""
    spans: tuple[tuple[int, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.text)


def from_database(fragment: str) -> Marked:
    """A fragment marked by the database (OPEN and CLOSE around each match) as text and offsets."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    length, start = 0, None
    for ch in fragment:
        if ch == OPEN:
            start = length if start is None else start
        elif ch == CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            text.append(ch)
            length += 1
    if start is not None and length > start:
        spans.append((start, length))
    return Marked("".join(text), tuple(spans))


def with_ellipses(marked: Marked, text: str, ellipsis: str = "…") -> Marked:
    """An ellipsis where a snippet leaves `text` out before or after it, as FTS5's snippet() writes."""
    if not marked.text:
        return marked
    lead = "" if text.startswith(marked.text) else ellipsis
    trail = "" if text.endswith(marked.text) else ellipsis
    shift = len(lead)
    return Marked(lead + marked.text + trail, tuple((s + shift, e + shift) for s, e in marked.spans))


def terms_marked(text: str, phrases: tuple[str, ...]) -> Marked:
    """`text` with every occurrence of each phrase (ignoring case) marked; overlapping matches keep the first."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets would not line up
        return Marked(text)
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        needle, at = phrase.lower(), 0
        while needle and (at := lowered.find(needle, at)) != -1:
            found.append((at, at + len(needle)))
            at += len(needle)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if not spans or start >= spans[-1][1]:
            spans.append((start, end))
    return Marked(text, tuple(spans))
