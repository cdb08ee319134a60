"""The reader's words as a query: words and "quoted phrases", each searched once, within fixed limits; read the
same way by both backends and by the notebook."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# How results are ranked and snippeted, the same on both backends: a headline match counts eight times one in
# the text; matches beyond RANKED_MATCHES (a word found in most articles) follow the ranked ones newest first.
TITLE_WEIGHT, TEXT_WEIGHT = 8.0, 1.0
RANKED_MATCHES = 1000
SNIPPET_TOKENS = 28
# A query's cost grows with its terms (the index walks every term's matches, repeated or not): only so many
# count, and a repeated term counts once. Both limits are far beyond what anyone types.
MAX_QUERY_CHARS = 300
MAX_TERMS = 12
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def folded(word: str) -> str:
    """A word as the index's tokenizer sees it (unicode61, remove_diacritics 2): lower case, and accents off
    Latin letters only ("Müller" is "muller"; Hebrew points and Greek accents stay)."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and kept and unicodedata.name(kept[-1], "").startswith("LATIN"):
            continue
        kept.append(ch)
    return "".join(kept)


@dataclass(frozen=True)
class Terms:
    """The user's words as an FTS5 query, and whether some were left out for the limits; `phrases` holds the
    same terms as plain words (one string per word or phrase), for a backend that builds its own query."""

    expression: str
    shortened: bool = False
    phrases: tuple[str, ...] = field(default=(), compare=False)


def query_terms(query: str) -> Terms:
    """Every word must appear, "quoted phrases" as phrases; the same term twice is searched once, and
    beyond MAX_QUERY_CHARS characters or MAX_TERMS terms the rest is left out.

    Each term is quoted (a phrase of plain words), so operators and punctuation in the input are plain text,
    never syntax, on either backend.
    """
    shortened = len(query) > MAX_QUERY_CHARS
    if shortened:
        cut = query.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        query = query[: cut if cut > 0 else MAX_QUERY_CHARS]
    terms: dict[tuple[str, ...], str] = {}
    for phrase, word in _TERM.findall(query):
        words = _WORD.findall(phrase if phrase else word)
        key = tuple(folded(w) for w in words)
        if not words or key in terms:
            continue
        if len(terms) == MAX_TERMS:
            shortened = True
            break
        terms[key] = " ".join(words)
    return Terms(" ".join(f'"{t}"' for t in terms.values()), shortened, tuple(terms.values()))


def words(text: str) -> list[str]:
    """The words of `text` as a query reads them."""
    return _WORD.findall(text)


def match_expression(query: str) -> str:
    return query_terms(query).expression
