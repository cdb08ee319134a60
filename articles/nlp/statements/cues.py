"""The words that may report an attribution: verbs of saying, believing, intending and finding, and
"according to". The scorer decides which of them do; this module only proposes."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.parts_of_speech import ADJ, AUX, NOUN, VERB
from spacy.tokens import Doc, Token

from ..attribution import is_cue
from ..lexicon import PHRASAL_CUES
from .lexicon import CUE_NOUNS, LEARNED_CUE_ADJECTIVES, LEARNED_CUE_LEMMAS, LEARNED_CUE_NOUNS

# A clause hung on a verb as its complement: "said (that) ...", "wants to ...".
COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
VERB_TAGS = frozenset({"VERB", "AUX"})
# The same classes as spaCy's integer ids, cheaper to test on every token of a block.
VERB_POS = frozenset({VERB, AUX})
CUE_POS = frozenset({VERB, AUX, ADJ, NOUN})
PARTICLE_DEPS = frozenset({"prt"})
# What an adjective or noun cue reports hangs on it as a clause or a prepositional phrase.
REPORTED_DEPS = frozenset({"ccomp", "xcomp", "acl", "prep"})


def is_according(token: Token) -> bool:
    return token.lower_ == "according" and any(child.lower_ == "to" for child in token.children)


# "Graham: Trump’s Rhetoric Destroying GOP’s Chance" / "TRUMP: The deaths of ...": a lead of a few words and
# a colon name who says the rest, in headlines and transcripts.
LEAD_COLON_MAX_TOKENS = 7


def lead_colon(token: Token) -> bool:
    """Whether a colon closes a short verbless lead that opens its block and names someone."""
    if token.text != ":" or token.i == 0 or token.i > LEAD_COLON_MAX_TOKENS:
        return False
    lead = token.doc[: token.i]
    return all(t.pos_ not in VERB_TAGS for t in lead) and any(t.pos_ in ("PROPN", "NOUN") for t in lead)


def lead_root(colon: Token) -> Token:
    """The head word of the lead before a lead colon: the one whose head lies outside it."""
    lead = colon.doc[: colon.i]
    for token in reversed(lead):
        if token.head.i >= colon.i or token.head.i == token.i:
            if token.pos_ in ("PROPN", "NOUN", "PRON"):
                return token
    return next(t for t in reversed(lead) if t.pos_ in ("PROPN", "NOUN"))


def may_report(token: Token) -> bool:
    """Whether a token may be the cue of an attribution: a reporting verb of the lexicons, any verb taking a
    complement clause, "according to", or a reporting noun with a clause ("the claim that ...")."""
    pos = token.pos
    if pos not in CUE_POS:
        return is_according(token) or lead_colon(token)
    if pos in VERB_POS:
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
