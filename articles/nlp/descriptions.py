"""How the article describes a person or body: an appositive after the name, or a title before it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from .lexicon import DESCRIPTION_TITLES

if TYPE_CHECKING:  # pipeline imports this module; here the context is only a type
    from .context import ArticleContext

# Where a description ends: a second comma, a dash, the end of the sentence or of a bracket.
DESCRIPTION_STOPS = frozenset({",", "—", "–", ".", ";", ":", ")"})
# Longer than this, a phrase after a comma is a clause of its own, not a description of the name.
DESCRIPTION_MAX_TOKENS = 14
# "Secretary of State": a title before a name is a few capitalised words at most.
TITLE_MAX_TOKENS = 5
# Only people and bodies get descriptions; places and things are what they are named.
DESCRIBED_LABELS = frozenset({"PERSON", "ORG"})


def _appositive(doc: Doc, first: int, last: int) -> str | None:
    """The parser's appositive of the name at tokens first..last, when it follows the name at once
    (", North Korea’s leader,"), cut before any relative clause or second comma."""
    if last + 2 >= len(doc) or doc[last + 1].text != ",":
        return None
    for token in doc[first : last + 1]:
        for child in token.children:
            if child.dep_ == "appos" and child.left_edge.i == last + 2:
                end = child.right_edge.i + 1
                for k in range(last + 2, end):
                    if doc[k].text in DESCRIPTION_STOPS or doc[k].tag_ in ("WP", "WDT"):
                        end = k
                        break
                return doc[last + 2 : end].text or None
    return None


def _surface_appositive(doc: Doc, last: int) -> str | None:
    """ ", a spokesman for Mr. Moon," right after a name, where the parser made it a second subject:
    a comma, a verbless noun phrase holding a common noun, and a closing comma, dash or full stop."""
    start = last + 2
    if start >= len(doc) or doc[last + 1].text != ",":
        return None
    first = doc[start]
    if not (first.pos_ in ("DET", "ADJ", "PROPN", "NOUN", "NUM") or first.tag_ == "PRP$"):
        return None
    for k in range(start, min(len(doc), start + DESCRIPTION_MAX_TOKENS)):
        token = doc[k]
        if token.text in DESCRIPTION_STOPS:
            phrase = doc[start:k]
            if any(t.pos_ == "NOUN" for t in phrase) and not any(t.pos_ == "CCONJ" for t in phrase[:1]):
                return phrase.text
            return None
        verbal = token.pos_ in ("VERB", "AUX", "PRON") and token.tag_ != "PRP$"
        if verbal or token.tag_ in ("WP", "WDT", "WRB"):
            return None
    return None


def _title_before(doc: Doc, first: int) -> str | None:
    """A capitalised title right before a name: "President Trump", "Secretary of State Mike Pompeo"."""
    k = first - 1
    chain: list[int] = []
    while k >= 0 and len(chain) < TITLE_MAX_TOKENS and (doc[k].is_title or doc[k].lower_ == "of"):
        chain.insert(0, k)
        k -= 1
    while chain and doc[chain[0]].lower_.rstrip(".") not in DESCRIPTION_TITLES:
        chain.pop(0)
    while chain and doc[chain[-1]].lower_ == "of":
        chain.pop()
    return doc[chain[0] : chain[-1] + 1].text if chain else None


def mention_description(doc: Doc, local_start: int, local_end: int, label: str) -> str | None:
    """How the text describes the person or body named at these block-local offsets, if it does."""
    span = doc.char_span(local_start, local_end, alignment_mode="expand")
    if span is None:
        return None
    return (
        _appositive(doc, span.start, span.end - 1)
        or _surface_appositive(doc, span.end - 1)
        or (_title_before(doc, span.start) if label == "PERSON" else None)
    )


def entity_descriptions(context: ArticleContext) -> list[str | None]:
    """The first description the article gives each person or organisation ("North Korea’s leader")."""
    found: list[str | None] = [None] * len(context.entities)
    for m_index, mention in enumerate(context.mentions):
        entity = context.entity_of[m_index]
        if found[entity] is not None or context.entities[entity][1] not in DESCRIBED_LABELS:
            continue
        offset = context.blocks[mention.block].start
        found[entity] = mention_description(
            context.docs[mention.block], mention.start - offset, mention.end - offset, mention.label
        )
    return found
