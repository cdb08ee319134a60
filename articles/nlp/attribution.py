"""Cue words and the speaker a cue hangs on, read off spaCy's dependency parse."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Token

from .lexicon import (
    CUE_LEMMAS,
    CUE_SUBJECT_PRONOUNS,
    HEARER_OBJECT_LEMMAS,
    MAKER_PREPOSITIONS,
    PHRASAL_CUES,
    SPEAKING_NOUNS,
    SPEECH_LEMMAS,
    SPEECH_ONLY_PRONOUNS,
    STATEMENT_NOUNS,
)

# "the former senator": words climbed from the first word of an inverted speaker up to its head noun.
PHRASE_HEAD_HOPS = 4
# "issued a statement saying": heads climbed from a cue without a subject to a clause that has one.
SPEAKER_CLIMB = 5
# A dateline ("LONDON (Reuters) -") stands in the first tokens; a shorter word in capitals is an acronym.
DATELINE_TOKENS = 3
ACRONYM_MAX_CHARS = 2
SPEAKING_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# "(D-Ore.)", "(R-Wis.)", "(I-Vt.)": a party and state tag after a lawmaker's name, a few tokens long.
PARTY_TAG = re.compile(r"[DRI]-[A-Z][A-Za-z.]{1,12}")
PARTY_TAG_TOKENS = 6
# Dashes and quotation marks the parser may take for a word.
STRAY_MARKS = "―—–-“”\"'‘’"
# A verb's active subject; a passive one ("he was asked") is not who spoke.
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
HOST_SUBJECT_DEPS = SUBJECT_DEPS | {"nsubjpass"}
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "acl", "pcomp", "relcl", "prep", "pobj", "dobj"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})
TIME_ENTITY_LABELS = frozenset({"DATE", "TIME"})
# A noun right before a verb but the object of another verb is no stranded subject.
STRANDED_OBJECT_DEPS = frozenset({"pobj", "dobj"})


def is_cue(token: Token) -> bool:
    """A reporting verb (or "according" of "according to", "went on", "put it") that can carry an
    attribution."""
    lowered = token.lower_
    if lowered == "according":
        return any(child.lower_ == "to" for child in token.children)
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma in CUE_LEMMAS:
        return True
    if lemma in PHRASAL_CUES:
        # the particle, or the same word read as an adverb ("Trump shot back.")
        return any(
            child.dep_ in ("prt", "advmod") and child.lower_ in PHRASAL_CUES[lemma]
            for child in token.children
        )
    if lemma == "put":
        return any(child.dep_ == "dobj" and child.lower_ == "it" for child in token.children)
    return False


def is_speech_cue(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return lemma in SPEECH_LEMMAS or token.lower_ == "according" or lemma in PHRASAL_CUES or lemma == "put"


def _is_passive(verb: Token) -> bool:
    if any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod")  # "measures added by Republicans"


def _subject(verb: Token, quoted: Callable[[int], bool], deps: frozenset[str] = SUBJECT_DEPS) -> Token | None:
    """The verb's subject outside quotes (the parser sometimes hangs a quoted clause's subject on the cue)."""
    for child in verb.children:
        # a dash or a stray mark the parser made a subject ("... public ― Trump boasted") is nobody
        if child.dep_ in deps and not quoted(child.idx) and child.text.strip(STRAY_MARKS):
            return child
    return None


def _nowhere(_: int) -> bool:
    return False


def _inverted_subject(verb: Token, quoted: Callable[[int], bool]) -> Token | None:
    """The speaker after the verb in '“...,” said the senator' when the parser found no subject."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.lemma_.lower() not in SPEECH_LEMMAS:
        return None
    if verb.lemma_.lower() in HEARER_OBJECT_LEMMAS:
        return None
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text not in (",", "”", '"', ",”", "—"):
        return None  # inversion follows the quote: '“...,” said the senator'
    index = verb.i + 1
    while index < len(doc) and doc[index].is_punct:
        if doc[index].text in ':“”"':  # 'said: “...' opens the quote, no speaker follows
            return None
        index += 1
    if index >= len(doc) or quoted(doc[index].idx):
        return None
    token = doc[index]
    # from the phrase's first word ("the", "former", "Larry") up to its head noun
    for _ in range(PHRASE_HEAD_HOPS):
        if token.dep_ in ("det", "amod", "compound", "nummod", "poss", "quantmod") and token.head.i > token.i:
            token = token.head
        else:
            break
    if _when(token):
        return None  # '..., Flynn said Thursday morning': a time, not a speaker
    if token.pos_ in ("PROPN", "NOUN") or (token.pos_ == "PRON" and token.lower_ in CUE_SUBJECT_PRONOUNS):
        return token
    return None


def _when(token: Token) -> bool:
    """Whether a noun phrase names a time ("Thursday morning", "last week") rather than someone."""
    return token.dep_ == "npadvmod" or any(
        t.ent_type_ in TIME_ENTITY_LABELS for t in (token, *token.lefts) if t.i >= token.i - PHRASE_HEAD_HOPS
    )


def _maker(token: Token) -> Token:
    """ "according to calculations by Amy Glasmeier": the named maker of a document or finding, if any."""
    if token.pos_ != "NOUN":
        return token
    for child in token.subtree:
        if child.lower_ in MAKER_PREPOSITIONS and child.dep_ in ("prep", "agent"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and grandchild.pos_ == "PROPN":
                    return grandchild
    return token


def _stranded_subject(verb: Token, quoted: Callable[[int], bool]) -> Token | None:
    """ "..., Jake Sullivan, said:" where the parser hung the name elsewhere: the noun before the verb."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.lemma_.lower() not in SPEECH_LEMMAS:
        return None
    doc = verb.doc
    index = verb.i - 1
    while index >= 0:
        tag = _party_tag(doc, index) if doc[index].text == ")" else None
        if doc[index].text in ",—–-" or doc[index].pos_ == "ADV":
            index -= 1
        elif tag is not None:
            index = tag - 1  # "Rep. Ana Ruiz (D-Ore.) said"
        elif doc[index].like_num and index > 0 and doc[index - 1].text == ",":
            index -= 2  # "Ana Ruiz, 58, said": an age between commas
        else:
            break
    if index < 0:
        return None
    token = doc[index]
    governor = token.head.head if token.dep_ == "pobj" else token.head
    if token.dep_ in STRANDED_OBJECT_DEPS and index == verb.i - 1 and governor.pos_ == "VERB":
        return None  # "Protesters marching through the streets chanted": the object of another verb
    if token.pos_ in ("PROPN", "NOUN") and not quoted(token.idx) and token.dep_ != "compound":
        return token
    return None


def _party_tag(doc: Doc, close: int) -> int | None:
    """Index of the "(" of a party and state tag closing at `close` ("(D-Ore.)", "(R-Wis.)", "(I-Vt.)")."""
    for open_at in range(close - 1, max(-1, close - PARTY_TAG_TOKENS - 1), -1):
        if doc[open_at].text == "(":
            return open_at if PARTY_TAG.fullmatch(doc[open_at + 1 : close].text.replace(" ", "")) else None
    return None


def _named_after_quote(token: Token) -> bool:
    """A capitalised word right after a quote's closing mark and before a verb of saying, that the parser took
    for a modal or a preposition ("Will", "From", "May"): in that place it can only be a name."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return (
        before.text in ("”", '"', ",”")
        and token.text[:1].isupper()
        and token.text[1:].islower()
        and token.pos_ not in ("PRON", "DET", "PROPN", "NOUN")
    )


def speaker_token(cue: Token, quoted: Callable[[int], bool] = _nowhere) -> Token | None:
    """The token the attribution hangs on: the cue's subject, climbing through participles and clauses
    ("issued a statement saying", "X, who said") when the cue itself has none."""
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return _maker(grandchild)
        return None
    if _is_passive(cue):
        if cue.lemma_ == "quote":  # "X was quoted as saying"
            return next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
        return None
    if cue.i > 1 and cue.lemma_.lower() in SPEECH_LEMMAS and _named_after_quote(cue.doc[cue.i - 1]):
        return cue.doc[cue.i - 1]  # '“...,” Will wrote': a surname that is also a common word
    node = cue
    for _ in range(SPEAKER_CLIMB):
        if node is not cue and any(c.dep_ == "advmod" and c.lower_ == "where" for c in node.children):
            # "looping the streets near the stadium where the team played, while chanting": a clause about a
            # place is not the one whose subject chants
            if node.head.i == node.i:
                return None
            node = node.head
            continue
        if node.pos_ in ("VERB", "AUX"):
            # "After saying ..., she was taken to hospital": the clause a cue hangs on may be passive
            subject = _subject(node, quoted, SUBJECT_DEPS if node is cue else HOST_SUBJECT_DEPS)
            if subject is not None:
                return subject  # a relative "who" stands for its antecedent, see antecedent()
            if node is cue:
                inverted = _inverted_subject(node, quoted)
                if inverted is not None and inverted.lower_ not in STATEMENT_NOUNS:
                    return inverted
                stranded = _stranded_subject(node, quoted)
                if stranded is not None:
                    return stranded
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            head = node.head
            if head.lower_ not in STATEMENT_NOUNS:
                return head
            made_by = statement_speaker(head)  # "a statement from the ministry saying"
            if made_by is not None:
                return made_by
            node = head
            continue
        if node.dep_ not in CLIMB_DEPS or node.head.i == node.i:
            return None
        node = node.head
    return None


def antecedent(token: Token) -> Token:
    """The noun a relative pronoun subject stands for ("Mike Lee, who declared"); others are themselves."""
    if token.tag_ in RELATIVE_TAGS and token.dep_ in SUBJECT_DEPS and token.head.dep_ == "relcl":
        return token.head.head
    return token


def statement_speaker(token: Token) -> Token | None:
    """For a statement noun ("the ministry's statement", "a statement from X"), who made it."""
    for child in token.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in MAKER_PREPOSITIONS:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def can_speak(speaker: Token, cue: Token, entity_label: str | None) -> bool:
    """Whether the speaker token is someone or something that can say things for this cue."""
    speaker = antecedent(speaker)
    if speaker.i == cue.i - 1 and _named_after_quote(speaker):
        return True
    if speaker.i < DATELINE_TOKENS and speaker.text.isupper() and len(speaker.text) > ACRONYM_MAX_CHARS:
        return False
    if speaker.pos_ == "PRON":
        lowered = speaker.lower_
        if lowered in SPEECH_ONLY_PRONOUNS:
            return is_speech_cue(cue) and cue.lemma_ != "ask"
        return lowered in CUE_SUBJECT_PRONOUNS or (is_speech_cue(cue) and speaker.tag_ not in ("WDT", "EX"))
    if is_speech_cue(cue) and speaker.pos_ in ("NUM", "ADJ", "DET"):  # "Several said", "Another said"
        return True
    if entity_label in SPEAKING_ENTITY_LABELS or speaker.pos_ == "PROPN":
        return True
    if entity_label is not None:
        return False
    if speaker.pos_ != "NOUN":
        return False
    if is_speech_cue(cue):
        return True
    return speaker.lower_ in SPEAKING_NOUNS or speaker.lemma_.lower() in SPEAKING_NOUNS
