"""Where in an article's text a PostgreSQL snippet is looked for: a window around the first place each of the
query's terms appears, found by stemming words as the index does (the Snowball English stemmer, which
PostgreSQL's `english_stem` dictionary runs), so ts_headline parses a few hundred characters, not the article."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from .query import folded

# The window: this many characters before the first term found and after the last term's first place.
WINDOW_BEFORE, WINDOW_AFTER = 100, 300
# Words that start like a term checked for its stem, at most: after so many, the first of them will do.
CANDIDATES_CHECKED = 200
# Letters and digits make words; anything else (the underscore too, as for the server's parser) separates them.
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
# A phrase's words may have a word or two the server's parser dropped between them.
MAX_WORDS_BETWEEN = 2

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A word as the index's lexeme for it: accents off Latin letters, lower case, Snowball English stem."""
    return _stemmer.stemWord(folded(word))


def _start(lexeme: str) -> str:
    """What a word that stems to `lexeme` starts with. The stemmer's final "e" or "i" may not be the word's
    ("hope" for "hoping", "polici" for "policy"), so those are left off."""
    return lexeme[:-1] if len(lexeme) > 3 and lexeme[-1] in "ei" else lexeme


def _is(word: str, lexeme: str) -> bool:
    return stem(word) == lexeme


def _starts_like(word: str, lexeme: str) -> bool:
    return word.lower().startswith(_start(lexeme))


def _phrase_after(text: str, first_end: int, lexemes: list[str], matches) -> bool:
    """Whether the words after `first_end` match `lexemes` one after another (`matches(word, lexeme)`), each
    within MAX_WORDS_BETWEEN words of the one before; every way of skipping is tried, each word end once."""
    ends = {first_end}
    for lexeme in lexemes:
        reached = set()
        for end in ends:
            for skipped, word in enumerate(_WORD.finditer(text, end)):
                if skipped > MAX_WORDS_BETWEEN:
                    break
                if matches(word.group(), lexeme):
                    reached.add(word.end())
        if not reached:
            return False
        ends = reached
    return True


def first_place(text: str, lexemes: list[str]) -> int | None:
    """Where the term whose lexemes are `lexemes` first appears in `text`: its first words that stem to them
    ("elections" for "elect", "skies" for "sky", never "Syrian" for "syria"); failing those, the first words
    that start like them; None when no word even starts like them. A word with an accent in its first letters
    ("Müller" for "muller"), or one of the stemmer's few exceptions that changes more than the last letter
    ("dying" for "die"), is not found here: the caller then reads the article's start, or all of it."""
    # The stem's last letter may be one the stemmer changed ("hope" for "hoping", "sky" for "skies"): words
    # are taken up by the letters before it.
    lexeme = lexemes[0]
    start = lexeme[:-1] if len(lexeme) > 2 else lexeme
    candidates = re.compile(rf"(?<![^\W_]){re.escape(start)}[^\W_]*", re.IGNORECASE)
    first = None
    for seen, found in enumerate(candidates.finditer(text)):
        if (
            first is None
            and _starts_like(found.group(), lexeme)
            and _phrase_after(text, found.end(), lexemes[1:], _starts_like)
        ):
            first = found.start()
        if _is(found.group(), lexeme) and _phrase_after(text, found.end(), lexemes[1:], _is):
            return found.start()
        if seen == CANDIDATES_CHECKED:  # a word that only starts like the term, all over a long text
            break
    return first


def window(text: str, terms: list[list[str]]) -> tuple[int, int] | None:
    """The stretch of `text` from WINDOW_BEFORE characters before the first term found to WINDOW_AFTER after
    the last term's first place (cut at spaces), or None when a term (its lexemes) is nowhere in it."""
    places = []
    for lexemes in terms:
        if not lexemes:
            continue
        place = first_place(text, lexemes)
        if place is None:
            return None
        places.append(place)
    if not places:
        return None
    at, last = min(places), max(places)
    start, end = max(0, at - WINDOW_BEFORE), min(len(text), last + WINDOW_AFTER)
    if start and (space := _SPACE.search(text, start, at)):
        start = space.end()
    if end < len(text) and (space := _SPACE.search(text, end, end + WINDOW_BEFORE)):
        end = space.start()
    return start, end
