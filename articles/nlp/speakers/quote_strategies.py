"""Strategies for a whole quote: its sentences paragraph by paragraph, a signature, the paragraph before,
the quote before, the clause holding a scare quote. Each proposes an Attribution or None."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Token

from ..context import ArticleContext, Attribution, QuoteSite
from ..lexicon import LIGHT_VERB_LEMMAS
from .cues import cue_attribution, named_appositive, speaks_without_cue
from .names import speaker_attribution
from .piece_strategies import PIECE_STRATEGIES, introducer
from .sites import block_at, quote_tokens

# Heads climbed from a scare quote to the clause that owns it.
CLAUSE_CLIMB = 6
# What a sentence that does something or says something hangs on its main verb; one without introduces.
OBJECT_OR_CLAUSE_DEPS = frozenset({"dobj", "ccomp", "xcomp", "parataxis", "advcl", "conj"})

# '“...” ― Jorge Falcon': the dashes that sign a quote with a name.
SIGNATURE_DASHES = "―—–-"
# '... ― Jorge Falcon.' at the very end of a paragraph, and the two to four capitalised words of a name.
SIGNATURE_AT_END = re.compile(r"[―—–]\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}\.?\s*$")
SIGNATURE_NAME = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*\.?){1,3}(?=\.?\s*$)")


def _in_its_sentences(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """The piece strategies on each paragraph the quote runs over, the first paragraph first."""
    for piece in site.pieces:
        if piece.first < 0:
            continue
        for strategy in PIECE_STRATEGIES:
            found = strategy(context, piece)
            if found is not None:
                return found
    return None


def _after_colon_paragraph(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """A paragraph ending in a colon with a cue ("He said:") introduces the quote that opens the next one."""
    if not site.starts_paragraph or site.paragraph == 0:
        return None
    block = context.paragraph_blocks[site.paragraph - 1]
    doc = context.docs[block]
    if not doc.text.rstrip().endswith(":") or len(doc) == 0:
        return None
    last_sent = list(doc.sents)[-1]
    end = (len(doc.text), len(doc.text))
    found = cue_attribution(context, block, (last_sent.start, last_sent.end), end)
    if found is None:  # "Rosa Delgado had a message for the board:" introduces her without a cue
        colon = next((t for t in reversed(doc) if t.text == ":"), None)
        speaker = introducer(context, block, colon) if colon is not None and colon.i > 0 else None
        if (
            speaker is not None
            and not context.quoted(block, speaker.idx)
            and speaks_without_cue(context, block, speaker)
        ):
            found = speaker_attribution(context, block, speaker, None)
    return replace(found, via="colon") if found is not None else None


def _introduced_before(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """A quote opening its paragraph after a paragraph without quotes that ends on someone, described rather
    than reported ("Rosa Delgado was blunt about the budget."): the subject of that paragraph's last
    sentence, a named person or body or a pronoun; or the name in apposition to the subject of a sentence that
    does nothing else ("The coach, Ivo Brandt, spoke at length.")."""
    if not site.starts_paragraph or site.paragraph == 0:
        return None
    block = context.paragraph_blocks[site.paragraph - 1]
    doc = context.docs[block]
    if len(doc) == 0 or context.quote_ranges[block]:
        return None
    last = list(doc.sents)[-1]
    subject = next((c for c in last.root.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in ("they", "we", "i"):
        return None  # a group or the writer, not the person a quote standing alone belongs to
    named: Token | None = subject
    if not speaks_without_cue(context, block, subject):
        # "The coach, Ivo Brandt, spoke at length.": a name in apposition to the subject of a sentence with
        # no object or clause of its own, which introduces the speaker of the paragraphs after
        alone = not any(c.dep_ in OBJECT_OR_CLAUSE_DEPS for c in last.root.children)
        named = named_appositive(context, block, subject) if alone else None
    if named is None:
        return None
    return replace(speaker_attribution(context, block, named, None), via="introduced")


def _signed(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """'“...” ― Jorge Falcon': a dash right after the quote, in its paragraph or opening the next, or closing
    the quote's paragraph ('“...” More words “...” ― Jorge Falcon.'), signs it with the name that follows: a
    name the model found, or two to four capitalised words it left unlabelled."""
    text = context.text
    pos = site.span.end
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text) or text[pos] not in SIGNATURE_DASHES:
        last = context.paragraph_blocks[site.span.paragraphs[-1]]
        closing = SIGNATURE_AT_END.search(text, site.span.end, context.blocks[last].end)
        if closing is None:
            return None
        pos = closing.start()
    while pos < len(text) and (text[pos] in SIGNATURE_DASHES or text[pos] in " \u00a0"):
        pos += 1
    block = block_at(context, pos)
    if not context.blocks[block].start <= pos < context.blocks[block].end:
        return None
    offset = context.blocks[block].start
    token = next((t for t in context.docs[block] if t.idx >= pos - offset), None)
    if token is None or token.idx != pos - offset or not token.is_title:
        return None
    m_index = context.mention_at(block, token.idx)
    if m_index is not None and context.mentions[m_index].label in ("PERSON", "ORG"):
        bounds = (context.mentions[m_index].start - offset, context.mentions[m_index].end - offset)
    elif m_index is None:
        words = SIGNATURE_NAME.match(text, pos, context.blocks[block].end)
        if words is None:
            return None
        bounds = (pos - offset, words.end() - offset)
    else:
        return None
    span = context.docs[block].char_span(*bounds, alignment_mode="expand")
    if span is None:
        return None
    return replace(speaker_attribution(context, block, span.root, None), via="signed")


def _continuation(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """A quote opening its sentence right after an attributed quote continues it, in the same paragraph or
    as the next paragraph; a single quoted word ("“Related:”", "“Containment”") is a heading or a term."""
    if site.previous is None or not site.starts_sentence:
        return None
    if len(context.text[site.span.start : site.span.end].split()) < 2:
        return None
    attribution, paragraph = site.previous
    if paragraph == site.paragraph or (paragraph == site.paragraph - 1 and site.starts_paragraph):
        return replace(attribution, via="continuation")
    return None


def _clause_subject(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """A scare quote in "Cruz questioned Trump's “New York values”": the person or body whose clause holds it
    stands behind the words, whatever the verb."""
    block = site.block
    offset = context.blocks[block].start
    inside = quote_tokens(context, block, (site.span.start - offset, site.span.end - offset))
    if inside is None:
        return None
    token = inside[0]
    for _ in range(CLAUSE_CLIMB):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ not in ("VERB", "AUX") or context.quoted(block, token.idx):
            continue
        # "The committee released a statement, offering “...”": a participle without a subject of its own
        # takes the subject of the clause it hangs on; other modifying clauses have their own speaker
        participle = (
            token.dep_ == "advcl"
            and token.tag_ == "VBG"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        )
        if token.lemma_ not in LIGHT_VERB_LEMMAS:
            for child in token.children:
                if child.dep_ != "nsubj" or context.quoted(block, child.idx):
                    continue
                named = (
                    child
                    if speaks_without_cue(context, block, child)
                    else named_appositive(context, block, child)
                )
                if named is not None:
                    return replace(speaker_attribution(context, block, named, token), via="clause-subject")
        if token.dep_ in ("acl", "advcl") and not participle:
            return None
        # the clause right around the quote, or the one reporting it ("X pointed out that ..."); an open
        # complement ("X tried to stop the “...”") or a gerund ("X credited her with holding “...”") takes
        # its subject from the clause it hangs on
        # a verb coordinated with another and without a subject of its own shares that verb's subject
        # ("X met voters and promised “...”")
        shares_subject = token.dep_ == "conj" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in token.children
        )
        if token.dep_ not in ("ccomp", "xcomp", "pcomp") and not participle and not shares_subject:
            return None
    return None


QUOTE_STRATEGIES: tuple[Callable[[ArticleContext, QuoteSite], Attribution | None], ...] = (
    _in_its_sentences,
    _signed,
    _after_colon_paragraph,
    _continuation,
    _introduced_before,
    _clause_subject,
)
