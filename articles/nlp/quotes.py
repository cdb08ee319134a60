"""Finding quotations in paragraph text: double marks only, single marks are nested quotes or apostrophes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import WORK_TITLE_LEAD_WORDS, WORK_TITLE_SMALL_WORDS, WORK_TITLE_TRAIL_WORDS

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
DOUBLE_MARKS = OPENING + CLOSING + STRAIGHT
# A quote no longer than its two marks holds nothing.
MARKS_ONLY = 2
# A quoted title of a work is a few words, and the words saying so stand right before or after it.
TITLE_MAX_WORDS = 10
TITLE_LOOKBEHIND = 40
TITLE_LOOKAHEAD = 20


@dataclass(frozen=True)
class QuoteSpan:
    """A quotation, [start, end) with its marks; `pieces` are its parts, one per paragraph it runs over."""

    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]
    paragraphs: tuple[int, ...]


def _lead_mark(text: str, start: int, end: int) -> int | None:
    """Position of the opening mark a paragraph starts with, if it starts with one."""
    pos = start
    while pos < end and text[pos].isspace():
        pos += 1
    return pos if pos < end and text[pos] in (OPENING, STRAIGHT) else None


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _closes_word(text: str, pos: int, end: int) -> bool:
    """A mark glued to the word before it and followed by a space closes a quote, whatever its shape."""
    return not text[pos - 1].isspace() and (pos + 1 >= end or text[pos + 1].isspace())


def _opens_word(text: str, pos: int, start: int, end: int) -> bool:
    """A mark after a space and glued to the word after it opens a quote, whatever its shape."""
    return (pos == start or text[pos - 1].isspace()) and pos + 1 < end and text[pos + 1].isalnum()


def _scan(text: str, start: int, end: int, open_at: int | None) -> tuple[list[tuple[int, int]], int | None]:
    """Quotes closed in text[start:end] (the first may have opened at `open_at`) and one still open."""
    found: list[tuple[int, int]] = []
    for pos in range(start, end):
        ch = text[pos]
        if ch not in DOUBLE_MARKS:
            continue
        if open_at is None:
            # a stray closing mark opens nothing, nor does a straight one glued to the word before it
            stray = ch == CLOSING or (ch == STRAIGHT and _closes_word(text, pos, end))
            if not stray or _opens_word(text, pos, start, end):
                open_at = pos
        elif ch == OPENING and _closes_word(text, pos, end):
            # a closing quote typed with the opening mark: “It's unusual,“ said ...
            found.append((open_at, pos + 1))
            open_at = None
        elif ch == OPENING:
            # an opening mark inside an open quote: the earlier one was never closed
            found.append((open_at, _rstrip_end(text, open_at, pos)))
            open_at = pos
        else:
            found.append((open_at, pos + 1))
            open_at = None
    return [(a, b) for a, b in found if b - a > MARKS_ONLY], open_at


def find_quotes(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[QuoteSpan]:
    """Quotes in consecutive paragraphs [(start, end), ...]. A quote left open at a paragraph's end runs on
    when the next paragraph re-opens with a mark (news style); otherwise it stops at the paragraph's end."""
    quotes: list[QuoteSpan] = []
    pieces: list[tuple[int, int]] = []  # parts of a quote running over paragraphs
    paras: list[int] = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        open_at = _lead_mark(text, p_start, p_end) if pieces else None
        found, still_open = _scan(text, open_at + 1 if open_at is not None else p_start, p_end, open_at)
        if pieces and found and found[0][0] == open_at:
            first = found.pop(0)
            quotes.append(QuoteSpan(pieces[0][0], first[1], (*pieces, first), (*paras, index)))
            pieces, paras = [], []
        elif pieces and still_open != open_at:
            # the re-opened quote closed too short to keep (“”): the quote running on ends unrecorded
            pieces, paras = [], []
        quotes.extend(QuoteSpan(a, b, ((a, b),), (index,)) for a, b in found)
        if still_open is None:
            continue
        pieces.append((still_open, _rstrip_end(text, still_open, p_end)))
        paras.append(index)
        runs_on = index + 1 < len(paragraphs) and _lead_mark(text, *paragraphs[index + 1]) is not None
        if not runs_on:
            if pieces[-1][1] - pieces[0][0] > MARKS_ONLY:
                quotes.append(QuoteSpan(pieces[0][0], pieces[-1][1], tuple(pieces), tuple(paras)))
            pieces, paras = [], []
    quotes.sort(key=lambda q: q.start)
    return quotes


def _is_nickname(text: str, start: int, end: int) -> bool:
    """A single quoted name between a first name and a surname: 'Marta “Mim” Kowalski'."""
    inner = text[start + 1 : end - 1]
    before = text[max(0, start - TITLE_LOOKBEHIND) : start]
    after = text[end : end + TITLE_LOOKAHEAD]
    return (
        len(inner.split()) == 1
        and inner[:1].isupper()
        and before.endswith(" ")
        and before.split()[-1:] != []
        and before.split()[-1][:1].isupper()
        and after.startswith(" ")
        and after.split()[:1] != []
        and after.split()[0][:1].isupper()
    )


def looks_like_title(text: str, start: int, end: int) -> bool:
    """A quoted name of a work ("on ABC’s “This Week,”", "the book “Backfire”"), a nickname inside a name
    or a markup attribute value (id="123"): not speech."""
    if start > 0 and text[start - 1] == "=":
        return True
    if _is_nickname(text, start, end):
        return True
    inner = text[start + 1 : end].strip(' ,.;:!?“”"')
    words = inner.split()
    if not words or len(words) > TITLE_MAX_WORDS or not words[0][:1].isupper():
        return False
    if any(w[:1].islower() and w.lower() not in WORK_TITLE_SMALL_WORDS for w in words):
        return False
    if len(words) == 1 and inner.isupper():
        return False
    before = text[max(0, start - TITLE_LOOKBEHIND) : start].rstrip()
    last_word = before.split()[-1].lower().strip(",:;(") if before.split() else ""
    after = text[end : end + TITLE_LOOKAHEAD].split()
    next_word = after[0].lower().strip(",.;:") if after else ""
    possessive = last_word.endswith(("’s", "'s"))
    return possessive or last_word in WORK_TITLE_LEAD_WORDS or next_word in WORK_TITLE_TRAIL_WORDS
