"""What a cue reports: the candidate content spans of one cue, each with the frame it was read from."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .cues import COMPLEMENT_DEPS, is_according, lead_colon

# Punctuation trimmed from either end of a content span (quotation marks stay: PolNeAR keeps them).
EDGE_PUNCT = frozenset({",", ";", ":", "-", "—", "–", "(", ")", "."})
# Prepositions whose object a cue reports: "called for ...", "spoke about ...", "insisted on ...".
CONTENT_PREPOSITIONS = frozenset({"for", "about", "on", "of", "against", "with"})
OBJECT_DEPS = frozenset({"dobj"})
# Right dependents that end a verb's predicate reading: punctuation, coordination, clauses of their own.
PREDICATE_STOPS = frozenset({"punct", "cc", "conj", "prt", "advcl", "parataxis", "ccomp", "npadvmod"})


@dataclass(frozen=True)
class Content:
    """One reading of what a cue reports: token ranges [start, end) within the block's Doc."""

    frame: str  # "complement", "object", "preposition", "rest", "according", "colon", "noun-clause"
    ranges: tuple[tuple[int, int], ...]
    anchor: Token | None  # the head token of the content, where there is one


def _trim(sentence: Span, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) without punctuation and spaces at either end, None when nothing is left."""
    doc = sentence.doc
    while start < end and (doc[start].text in EDGE_PUNCT or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in EDGE_PUNCT or doc[end - 1].is_space):
        end -= 1
    return (start, end) if end > start else None


def _subtree(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _minus(sentence: Span, hole: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """The sentence's tokens outside `hole`, as at most two trimmed ranges."""
    ranges = []
    for start, end in ((sentence.start, hole[0]), (hole[1], sentence.end)):
        trimmed = _trim(sentence, start, end) if end > start else None
        if trimmed is not None:
            ranges.append(trimmed)
    return tuple(ranges)


def _colon_after(cue: Token) -> int | None:
    """Index of a colon right after the cue's own words ("said:", "put it this way:"), if any."""
    doc = cue.doc
    for index in range(cue.i + 1, min(len(doc), cue.i + 6)):
        if doc[index].text == ":":
            return index
        if doc[index].dep_ in COMPLEMENT_DEPS or doc[index].is_sent_start:
            return None
    return None


def contents(cue: Token, sentence: Span | None = None) -> list[Content]:
    """Every reading of what the cue reports, most specific first; `sentence` is the cue's (found again
    when not given)."""
    doc = cue.doc
    sentence = sentence if sentence is not None else cue.sent
    found: list[Content] = []
    if lead_colon(cue):
        whole = doc[cue.i + 1 :]
        trimmed = _trim(whole, whole.start, whole.end) if len(whole) else None
        return [Content("lead-colon", (trimmed,), None)] if trimmed is not None else []
    if is_according(cue):
        ranges = _minus(sentence, _subtree(cue))
        if ranges:
            found.append(Content("according", ranges, cue.head if cue.head.i != cue.i else None))
        return found
    colon = _colon_after(cue)
    if colon is not None:
        end = sentence.end
        if colon + 1 >= end and end < len(doc):  # the parser ended the sentence at the colon
            end = next((i for i in range(end + 1, len(doc)) if doc[i].is_sent_start), len(doc))
        trimmed = _trim(sentence, colon + 1, end)
        if trimmed is not None:
            found.append(Content("colon", (trimmed,), None))
    for child in cue.children:
        if child.dep_ in COMPLEMENT_DEPS or (child.dep_ == "acl" and cue.pos_ == "NOUN"):
            trimmed = _trim(sentence, *_subtree(child))
            if trimmed is not None:
                frame = "noun-clause" if cue.pos_ == "NOUN" else "complement"
                if cue.pos_ == "ADJ":
                    frame = "adjective-clause"
                found.append(Content(frame, (trimmed,), child))
    for child in cue.children:
        if child.dep_ in OBJECT_DEPS:
            trimmed = _trim(sentence, *_subtree(child))
            if trimmed is not None:
                found.append(Content("object", (trimmed,), child))
        elif child.dep_ == "prep" and child.lower_ in CONTENT_PREPOSITIONS:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                trimmed = _trim(sentence, objects[0].left_edge.i, child.right_edge.i + 1)
                if trimmed is not None:
                    found.append(Content("preposition", (trimmed,), objects[0]))
    if cue.pos_ in ("VERB", "AUX"):
        # "remembers him as a friend", "referred to her by a nickname": all the verb's words after it, up to
        # a coordinated or adverbial clause
        rights = [c for c in cue.rights if c.dep_ not in PREDICATE_STOPS]
        if rights:
            trimmed = _trim(sentence, rights[0].left_edge.i, rights[-1].right_edge.i + 1)
            if trimmed is not None and all(c.ranges != (trimmed,) for c in found):
                found.append(Content("predicate", (trimmed,), rights[0]))
    if any(child.dep_ == "agent" for child in cue.children):
        # "The plan was criticized by Ana Ruiz": the passive subject is what the agent reports
        for child in cue.children:
            if child.dep_ == "nsubjpass":
                trimmed = _trim(sentence, *_subtree(child))
                if trimmed is not None:
                    found.append(Content("passive-subject", (trimmed,), child))
    if cue.pos_ not in ("NOUN", "ADJ") and not any(c.frame in ("complement", "colon") for c in found):
        # "The talks will resume, he said." / "The talks, he said, will resume.": the sentence around the
        # cue's own clause
        if cue.dep_ in ("parataxis", "ccomp", "advcl", "conj") or cue.dep_ == "ROOT":
            clause = _subtree(cue) if cue.dep_ != "ROOT" else _own_words(cue)
            ranges = _minus(sentence, clause)
            if ranges:
                found.append(Content("rest", ranges, None))
    return found


def _own_words(cue: Token) -> tuple[int, int]:
    """The cue's clause without the clause it governs before it: for a root "said" after its content
    ("The talks will resume, he said"), from its subject's left edge to its right edge."""
    left = cue.i
    for child in cue.lefts:
        if child.dep_ in ("nsubj", "nsubjpass", "aux", "neg", "advmod", "punct") and child.i >= left - 8:
            left = min(left, child.left_edge.i)
    right = cue.i + 1
    for child in cue.rights:
        if child.dep_ in COMPLEMENT_DEPS:
            break
        right = child.right_edge.i + 1
    return left, right
