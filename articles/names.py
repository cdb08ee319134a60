"""The rule that says which entities of different articles are the same person or organisation.

The matching rule, applied to each article's canonical entity names (the engine already joined "Mr. Pompeo"
to "Mike Pompeo" inside one article):

1. Only PERSON and ORG entities get actors.
2. A name is reduced to a key: accents folded, case and punctuation dropped, a possessive "'s" dropped.
   - People: leading titles and roles go ("Secretary of State", "President", "Mr.", "Sen."), so do middle
     initials ("Michael R. Pompeo") and suffixes ("Jr.", "III"). What is left is given name(s) + surname.
   - Organisations: a leading "the" goes ("The Pentagon" = "Pentagon").
3. Two entities are one actor when label and key are equal. So "Mike Pompeo" and "Secretary of State Mike
   Pompeo" are one person; "Donald Trump" and "Ivanka Trump" are two.
4. A person an article only ever names with one word ("Trump", "President Trump", "Mr. Pompeo") is never
   joined to a full name: a surname alone cannot tell Donald from Ivanka Trump. Such names get an actor of
   their own, marked as a bare name, shared only with articles that also name that person by the same single
   word, so the reader still finds "Trump" across the articles that call him just that.
"""

from __future__ import annotations

import re
import unicodedata

from .nlp.lexicon import NAME_SUFFIXES, PERSON_TITLES

# Only people and organisations get actors (rule 1).
ACTOR_LABELS = frozenset({"PERSON", "ORG"})

BARE_NAME_MARK = "="
_PUNCTUATION = re.compile(r"[^\w\s-]")
_DROPPED = re.compile(r"[.'’]")  # "U.S." -> "us", "O'Brien" -> "obrien"
_POSSESSIVE = re.compile(r"['’]s?$")


def _fold(name: str) -> list[str]:
    """Words of a name, lower case, accents and punctuation gone ("Kim Jong-un" -> ["kim", "jong-un"])."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _POSSESSIVE.sub("", name.strip())
    return [w for w in _PUNCTUATION.sub(" ", _DROPPED.sub("", name.lower())).split() if w.strip("-")]


def person_words(name: str) -> list[str]:
    """The words of a person's name without titles, initials and suffixes, original case kept."""
    raw = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", name.strip())) if w]
    folded = _fold(name)
    if len(raw) != len(folded):  # punctuation-only words: fall back to the folded form
        raw = folded
    start = 0
    while start < len(folded) - 1 and folded[start].replace(".", "") in PERSON_TITLES:
        start += 1
    words = [
        (original, plain)
        for index, (original, plain) in enumerate(zip(raw, folded))
        if index >= start and plain not in NAME_SUFFIXES
    ]
    # A middle initial ("Michael R. Pompeo") says nothing the surname does not.
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w[1]) > 1] + [words[-1]]
    return [original.strip(",.") for original, _ in words]


def actor_key(name: str, label: str) -> str:
    """The key two names must share to be one actor; "" for labels that get no actor."""
    if label not in ACTOR_LABELS:
        return ""
    if label == "PERSON":
        words = _fold(" ".join(person_words(name)))
        if len(words) == 1:
            return BARE_NAME_MARK + words[0]  # rule 4: never equal to a full name's key
        return " ".join(words)
    words = _fold(name)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def actor_name(name: str, label: str) -> str:
    """How an actor is shown: a person without their title ("Mike Pompeo"), an organisation as named."""
    if label == "PERSON":
        return " ".join(person_words(name))
    return re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE) or name
