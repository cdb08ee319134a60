"""Who or what reports a content: the cue's subject (climbing through participles and relative clauses), the
agent of a passive cue ("was reported by X"), the object of "according to"; resolved to a speaker with the
pipeline's mentions, clusters and pronoun rules (speakers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..attribution import speaker_token
from ..context import Attribution
from ..speakers.names import speaker_attribution
from .cues import is_according, lead_colon, lead_root

if TYPE_CHECKING:
    from ..context import ArticleContext


def _agent(cue: Token) -> Token | None:
    for child in cue.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _possessor(cue: Token) -> Token | None:
    """ "the ministry's claim that ...", "a claim by the ministry that ...": who makes a noun's claim."""
    for child in cue.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from", "of"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def source_token(context: ArticleContext, block: int, cue: Token) -> tuple[Token, str] | None:
    """The token the attribution hangs on and how it was found ("subject", "agent", "according",
    "owner"), or None when the cue names no source (a passive without agent)."""

    def quoted(pos: int) -> bool:
        return context.quoted(block, pos)

    if lead_colon(cue):
        root = lead_root(cue)
        return (root, "lead") if not quoted(root.idx) else None
    if cue.pos_ == "NOUN":
        owner = _possessor(cue)
        if owner is not None:
            return (owner, "owner") if not quoted(owner.idx) else None
        if cue.dep_ in ("dobj", "attr") and cue.head.pos_ in ("VERB", "AUX"):
            cue = cue.head  # "Clinton expressed concern that ...": who expressed it
            how = "verb-subject"
        else:
            return None
    elif cue.pos_ == "ADJ":
        cue = cue.head  # "Ms. Ruiz is critical of ...": the subject of "is"
        how = "verb-subject"
    else:
        how = "according" if is_according(cue) else "subject"
    agent = _agent(cue)
    if agent is not None and not quoted(agent.idx):
        return agent, "agent"
    token = speaker_token(cue, quoted)
    if token is None or quoted(token.idx) or token.is_punct:
        return None
    return token, how


def source_attribution(context: ArticleContext, block: int, token: Token, cue: Token) -> Attribution:
    return speaker_attribution(context, block, token, cue)
