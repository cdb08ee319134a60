"""Strategies for the part of a quote in one paragraph: each proposes an Attribution or None from the
sentences holding the part and the ones right around it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..attribution import is_cue, is_speech_cue
from ..context import ArticleContext, Attribution, Piece, Range
from ..lexicon import WORDS_NOUNS
from ..quotes import looks_like_title
from .cues import cue_attribution, speaking_noun, speaks_without_cue
from .names import speaker_attribution
from .sites import quote_tokens

# A sentence after the quote this short (in tokens) can be nothing but its attribution.
NEXT_SENTENCE_MAX_TOKENS = 12
# '“... who knows?” Trump told ITV on Monday, when asked ...': the cue stands in the first few tokens.
LEADING_CUE_TOKENS = 5
# '“...?” she grumbled': a verb of manner stands within a few tokens after the quote.
MANNER_VERB_REACH = 3
# "leaned in and boomed": the verb, then the first verb of its coordination, may carry the subject.
COORDINATED_VERBS = 2
# "That was the verdict of ...", "The verdict came from ...": the words a sentence's main verb is about.
MAIN_CLAUSE_NOUN_DEPS = frozenset({"attr", "nsubj"})


def _by_cue(context: ArticleContext, piece: Piece) -> Attribution | None:
    """A cue in the sentences holding the quote."""
    tokens = (piece.sentences[piece.first][0], piece.sentences[piece.last][1])
    return cue_attribution(context, piece.block, tokens, piece.span)


def _manner_verbs(doc: Doc, inside: Span, span: Range) -> list[Token]:
    """Verbs in the past or present that report the quote by their place: right after a quote ending in
    a comma, "?" or "!", or right before a colon that opens it."""
    verbs: list[Token] = []
    closing = doc.text[span[1] - 2 : span[1] - 1]
    if closing in (",", "?", "!"):
        for token in doc[inside.end : min(len(doc), inside.end + MANNER_VERB_REACH)]:
            if token.is_punct:
                break
            if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ"):
                continue
            # the quote is the verb's clause, or a question or exclamation just before an intransitive
            # sentence of its own ('“Why?” she grumbled at the hearing.')
            if token.left_edge.idx <= span[0] or (
                closing in ("?", "!")
                and token.left_edge.i == inside.end
                and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children)
            ):
                verbs.append(token)
    if inside.start >= 2 and doc[inside.start - 1].text == ":":
        token = doc[inside.start - 2]
        if token.pos_ == "VERB" and token.tag_ in ("VBD", "VBZ"):
            verbs.append(token)
    return verbs


def _by_manner_verb(context: ArticleContext, piece: Piece) -> Attribution | None:
    """A verb outside the cue lists that still reports the quote by its place: '“...,” Trump barked' or
    'He leaned in and boomed: “...”', when the verb's subject is a named person or body or a pronoun."""
    inside = quote_tokens(context, piece.block, piece.span)
    if inside is None:
        return None
    for verb in _manner_verbs(context.docs[piece.block], inside, piece.span):
        if context.quoted(piece.block, verb.idx):
            continue
        node = verb
        for _ in range(COORDINATED_VERBS):
            subject = next(
                (c for c in node.children if c.dep_ == "nsubj" and not context.quoted(piece.block, c.idx)),
                None,
            )
            if subject is not None or node.dep_ != "conj":
                break
            node = node.head
        if subject is not None and speaks_without_cue(context, piece.block, subject):
            return replace(speaker_attribution(context, piece.block, subject, verb), via="manner-verb")
    return None


def _by_sentence_after(context: ArticleContext, piece: Piece) -> Attribution | None:
    """A speaker named only in the sentence after the quote: '“...” The senator said so twice.'"""
    if piece.last + 1 >= len(piece.sentences):
        return None
    doc = context.docs[piece.block]
    span = piece.span
    after_start, after_end = piece.sentences[piece.last + 1]
    if doc.text[span[1] : doc[after_start].idx].strip().strip(".,;!?"):
        return None
    offset = context.blocks[piece.block].start
    has_quote = any(  # a quote of its own, not a nickname or a title
        doc[after_start].idx <= a < doc[after_end - 1].idx + 1
        and not looks_like_title(context.text, offset + a, offset + b)
        for a, b in context.quote_ranges[piece.block]
    )
    found = None
    if not has_quote and (
        after_end - after_start <= NEXT_SENTENCE_MAX_TOKENS
        or _reports_nothing_else(doc[after_start:after_end])
    ):
        found = cue_attribution(context, piece.block, (after_start, after_end), span)
    if found is None and doc.text[span[1] - 2 : span[1] - 1] in ("?", "!"):
        # "“... who knows?” Trump told ITV on Monday, when asked ...": the cue leads the next sentence
        leading = (after_start, min(after_end, after_start + LEADING_CUE_TOKENS))
        found = cue_attribution(context, piece.block, leading, span)
    if found is None and not has_quote:
        short = after_end - after_start <= NEXT_SENTENCE_MAX_TOKENS
        owner = _owner_of_words(context, piece.block, doc[after_start:after_end], anywhere=short)
        if owner is not None:
            found = speaker_attribution(context, piece.block, owner, None)
    return replace(found, via="sentence-after") if found is not None else None


def _reports_nothing_else(sentence: Span) -> bool:
    """ "Scott's niece, a state delegate (D-Va.), shouted to the crowd.": a sentence, however long, whose main
    verb is a verb of saying with nothing said in it, so it reports the quote just before."""
    root = sentence.root
    return (
        is_cue(root)
        and is_speech_cue(root)
        and not any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in root.children)
    )


def _owner_of_words(
    context: ArticleContext, block: int, sentence: Span, anywhere: bool = True
) -> Token | None:
    """ "That was Rosa Delgado's verdict." / "That was the answer of the treasurer.": whose judgement, answer
    or words a sentence names, when it names one who can speak; in a long sentence ("That was the verdict of
    Aldo Fenwick, a farmer who ...") only the words its main verb is about (not `anywhere`)."""
    for token in sentence:
        if token.lemma_.lower() not in WORDS_NOUNS or token.pos_ != "NOUN":
            continue
        if not anywhere and (token.head.i != sentence.root.i or token.dep_ not in MAIN_CLAUSE_NOUN_DEPS):
            continue
        for child in token.children:
            owner = None
            if child.dep_ == "poss" and child.pos_ != "PRON":
                owner = child
            elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                owner = next((g for g in child.children if g.dep_ == "pobj"), None)
            if owner is not None and (
                speaks_without_cue(context, block, owner) or speaking_noun(context, block, owner)
            ):
                return owner
    return None


def _by_sentence_before(context: ArticleContext, piece: Piece) -> Attribution | None:
    """ "X said in a statement. “...”": a quote opening its sentence after an attribution without a quote."""
    doc = context.docs[piece.block]
    if piece.first == 0 or doc.text[doc[piece.sentences[piece.first][0]].idx : piece.span[0]].strip():
        return None
    before_start, before_end = piece.sentences[piece.first - 1]
    b_start = doc[before_start].idx
    b_end = doc[before_end - 1].idx + len(doc[before_end - 1].text)
    if any(b_start <= a < b_end for a, _ in context.quote_ranges[piece.block]):
        return None
    found = cue_attribution(context, piece.block, (before_start, before_end), piece.span, speech_only=True)
    return replace(found, via="sentence-before") if found is not None else None


def introducer(context: ArticleContext, block: int, colon: Token) -> Token | None:
    """Who a clause ending in a colon introduces as speaking: the subject of the clause the colon closes
    ("Kasich resisted:", "The paper focuses on the toll:"), or a person's bare name ("Clinton:")."""
    doc = colon.doc
    before = doc[colon.i - 1]
    node = before
    # the nearest clause with a subject, a relative one aside: in "She got so upset that I had to change my
    # answer:" it is "I", in "She shared a note that read:" it is "She"
    while node.head.i != node.i and node.head.i < colon.i:
        if (
            node.pos_ in ("VERB", "AUX")
            and node.dep_ not in ("relcl", "acl")
            and any(c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP") for c in node.children)
        ):
            break
        node = node.head
    if node.pos_ in ("VERB", "AUX"):
        return next((c for c in node.children if c.dep_ == "nsubj" and c.i < colon.i), None)
    if context.label_at(block, before.idx) == "PERSON":
        return before  # "Clinton: “...”", a name introducing its own words
    return None


def _by_colon_introduction(context: ArticleContext, piece: Piece) -> Attribution | None:
    """ "Kasich resisted: “...”": a quote opened right after a colon belongs to whoever the clause before the
    colon introduces, a named person or body, a pronoun or a speaking noun, whatever its verb."""
    doc = context.docs[piece.block]
    inside = quote_tokens(context, piece.block, piece.span)
    if inside is None or inside.start < 2 or doc[inside.start - 1].text != ":":
        return None
    colon = doc[inside.start - 1]
    if context.quoted(piece.block, colon.idx):
        return None
    speaker = introducer(context, piece.block, colon)
    if speaker is None or context.quoted(piece.block, speaker.idx):
        return None
    if not (
        speaks_without_cue(context, piece.block, speaker) or speaking_noun(context, piece.block, speaker)
    ):
        return None
    return replace(speaker_attribution(context, piece.block, speaker, None), via="colon")


PIECE_STRATEGIES: tuple[Callable[[ArticleContext, Piece], Attribution | None], ...] = (
    _by_cue,
    _by_manner_verb,
    _by_sentence_after,
    _by_sentence_before,
    _by_colon_introduction,
)
