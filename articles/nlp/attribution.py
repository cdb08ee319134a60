"""Cue words and the speaker a cue hangs on, read off spaCy's dependency parse."""

from __future__ import annotations

from spacy.tokens import Token

# Verbs (lemmas) that report speech, writing or a stated view.
CUE_LEMMAS = frozenset(
    """
    say tell add ask reply respond answer write tweet post insist explain note argue claim declare state
    announce warn recall acknowledge admit suggest predict complain conclude joke quip emphasize emphasise
    stress continue observe remark shout yell scream cry exclaim whisper mutter boast brag vow promise pledge
    concede contend maintain assert allege charge counter retort urge caution testify report describe call
    dub label term deny confirm proclaim recount agree lament muse marvel scoff sneer mock chide blast slam
    criticize criticise praise thank quote read begin open close finish wonder demand plead beg repeat
    reiterate point signal indicate hint insist announce reveal disclose inform remind assure advise
    propose estimate calculate guess think believe feel hope fear worry recommend order instruct rule find
    """.split()
)
# Nouns naming the vehicle of a statement; the speaker is whoever issued or made it.
STATEMENT_NOUNS = frozenset(
    """
    statement tweet tweets post letter release interview remarks remark speech email message note memo
    video ad advertisement op-ed essay column communique communiqué briefing conference testimony
    """.split()
)
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "acl", "pcomp", "relcl", "prep", "pobj", "dobj"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})


def is_cue(token: Token) -> bool:
    """A reporting verb (or "according" of "according to") that can carry an attribution."""
    if token.lower_ == "according":
        return any(child.lower_ == "to" for child in token.children)
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in CUE_LEMMAS


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    if _is_passive(verb):
        for child in verb.children:
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
            if child.dep_ == "nsubjpass" and verb.lemma_ == "quote":  # "X was quoted as saying"
                return child
    return None


def speaker_token(cue: Token) -> Token | None:
    """The token the attribution hangs on: the cue's subject, climbing through participles and clauses
    ("issued a statement saying", "X, who said") when the cue itself has none."""
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        return None
    if _is_passive(cue) and cue.lemma_ in ("ask", "tell", "call", "quote", "describe", "report"):
        subject = _subject(cue)
        return subject if subject is not None and subject.dep_ == "pobj" or cue.lemma_ == "quote" else None
    node = cue
    for _ in range(5):
        if node.pos_ in ("VERB", "AUX"):
            subject = _subject(node)
            if subject is not None:
                if subject.tag_ in RELATIVE_TAGS and node.dep_ == "relcl":
                    return node.head
                return subject
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            head = node.head
            if head.lower_ not in STATEMENT_NOUNS:
                return head
            for child in head.children:  # "a statement from the ministry saying"
                if child.dep_ == "poss":
                    return child
            node = head
            continue
        if node.dep_ not in CLIMB_DEPS or node.head is node:
            return None
        node = node.head
    return None


def statement_speaker(token: Token) -> Token | None:
    """For a statement noun ("the ministry's statement", "a statement from X"), who made it."""
    for child in token.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None
