"""The words that may report an attribution: verbs of saying, believing, intending and finding, and
"according to". The scorer decides which of them do; this module only proposes."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..attribution import is_cue
from ..lexicon import PHRASAL_CUES
from .lexicon import CUE_NOUNS, LEARNED_CUE_ADJECTIVES, LEARNED_CUE_LEMMAS, LEARNED_CUE_NOUNS

# A clause hung on a verb as its complement: "said (that) ...", "wants to ...".
COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
VERB_TAGS = frozenset({"VERB", "AUX"})
PARTICLE_DEPS = frozenset({"prt"})
# What an adjective or noun cue reports hangs on it as a clause or a prepositional phrase.
REPORTED_DEPS = frozenset({"ccomp", "xcomp", "acl", "prep"})


def is_according(token: Token) -> bool:
    return token.lower_ == "according" and any(child.lower_ == "to" for child in token.children)


def may_report(token: Token) -> bool:
    """Whether a token may be the cue of an attribution: a reporting verb of the lexicons, any verb taking a
    complement clause, "according to", or a reporting noun with a clause ("the claim that ...")."""
    if is_according(token):
        return True
    if token.pos_ in VERB_TAGS:
        if token.dep_ in ("aux", "auxpass"):
            return False
        lemma = token.lemma_.lower()
        if lemma in LEARNED_CUE_LEMMAS or is_cue(token):
            return True
        return any(child.dep_ in COMPLEMENT_DEPS and child.pos_ in VERB_TAGS for child in token.children)
    lemma = token.lemma_.lower()
    if token.pos_ == "ADJ" and token.dep_ == "acomp" and lemma in LEARNED_CUE_ADJECTIVES:
        return any(child.dep_ in REPORTED_DEPS for child in token.children)  # "is critical of ..."
    if token.pos_ == "NOUN" and (lemma in CUE_NOUNS or lemma in LEARNED_CUE_NOUNS):
        return any(child.dep_ in REPORTED_DEPS for child in token.children)  # "the claim that ..."
    return False


def cue_tokens(doc: Doc) -> Iterator[Token]:
    """The tokens of a parsed block that may report an attribution, in text order."""
    for token in doc:
        if may_report(token):
            yield token


def cue_ranges(cue: Token) -> list[tuple[int, int]]:
    """Block-local char ranges of the cue's words: the verb with its particle or "to", its negation."""
    tokens = [cue]
    for child in cue.children:
        if child.dep_ in PARTICLE_DEPS and cue.lemma_.lower() in PHRASAL_CUES:
            tokens.append(child)
        elif is_according(cue) and child.lower_ == "to":
            tokens.append(child)
    tokens.sort(key=lambda t: t.i)
    ranges: list[tuple[int, int]] = []
    for token in tokens:
        start, end = token.idx, token.idx + len(token.text)
        if ranges and token.i == tokens[tokens.index(token) - 1].i + 1:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges
