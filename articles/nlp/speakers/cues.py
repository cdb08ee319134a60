"""The cue that reports a quote and who speaks it: the reporting clause that owns the quote, and who may
stand behind a quote without a cue of their own."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..attribution import antecedent, can_speak, is_cue, is_speech_cue, speaker_token
from ..context import ArticleContext, Attribution, Range
from ..lexicon import CLAUSE_OF_TIME_WORDS, PERSONAL_SUBJECT_PRONOUNS, SPEAKING_NOUNS
from .names import is_a_body, speaker_attribution
from .sites import quote_tokens

# A subject with one of these labels can stand behind a quote without a cue verb.
UNCUED_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# A named appositive of a subject that cannot speak stands in for it.
APPOSITIVE_SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
# Closing marks and stops after a quote that the parser may hang outside the cue's clause.
CLAUSE_END_SLACK = 3
# A cue this many characters or fewer from the quote reports it: 'replied, “...' / '“...,” said'.
ADJACENT_CHARS = 3


def _speaker_of(context: ArticleContext, block: int, cue: Token) -> Token | None:
    """The speaker token a cue outside quotes hangs on, when it is someone who can speak."""
    if context.quoted(block, cue.idx):
        return None
    speaker = speaker_token(cue, lambda pos: context.quoted(block, pos))
    if speaker is None or context.quoted(block, speaker.idx):
        return None
    if can_speak(speaker, cue, context.label_at(block, antecedent(speaker).idx)) or is_a_body(
        context, block, speaker
    ):
        return speaker
    # "With days to go until the election, Ana Ruiz, an adviser, called it ...": the parser made the name an
    # appositive of a noun that cannot speak; the name is the subject
    return named_appositive(context, block, speaker)


def named_appositive(context: ArticleContext, block: int, token: Token) -> Token | None:
    """The named person or body in apposition to a noun ("another critic, Ana Ruiz,"), if any."""
    for child in token.children:
        if (
            child.dep_ == "appos"
            and context.label_at(block, child.idx) in APPOSITIVE_SPEAKER_LABELS
            and not context.quoted(block, child.idx)
        ):
            return child
    return None


def _outermost(context: ArticleContext, block: int, cue: Token, speaker: Token) -> tuple[Token, Token]:
    """ "X said that Y called it “...”": the reporting clause that holds the cue's clause owns the quote; a
    coordinated or relative clause ("..., to which Y replied, “...”") has its own speaker."""
    node = cue
    # "X said yes while Y went on about “...”": Y's own words; a participle without a subject of its own
    # ("..., remarking that “...”") still speaks for the clause above
    participle = cue.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in cue.children)
    while node.head.i != node.i and node.dep_ not in ("conj", "parataxis", "relcl"):
        if not participle and _clause_of_time(context, block, node, node.doc[len(node.doc) - 1]):
            break
        node = node.head
        if is_cue(node) and is_speech_cue(node):
            outer = _speaker_of(context, block, node)
            if outer is not None:
                cue, speaker = node, outer
    return cue, speaker


def cue_attribution(
    context: ArticleContext, block: int, tokens: Range, span: Range, speech_only: bool = False
) -> Attribution | None:
    """The best cue with a speaker among tokens[0]:tokens[1] of a block, for a quote at local chars `span`:
    a cue whose clause holds the quote (or is right next to it), verbs of saying first, then the nearest."""
    doc = context.docs[block]
    best: tuple[tuple[int, ...], Token, Token] | None = None
    according: tuple[Token, Token] | None = None
    inside = quote_tokens(context, block, span)
    for token in doc[tokens[0] : tokens[1]]:
        if not is_cue(token) or (speech_only and not is_speech_cue(token)):
            continue
        if inside is not None and _in_own_adverbial_clause(context, block, inside, token):
            continue
        speaker = _speaker_of(context, block, token)
        if speaker is None:
            continue
        if token.lower_ == "according":
            according = (token, speaker)
        # the cue's clause holds the quote (closing punctuation often hangs on the sentence root); a
        # parenthetical "..., she said, ..." reports the whole clause it interrupts
        clause = token.head if token.dep_ == "parataxis" and is_speech_cue(token) else token
        holds = (
            clause.left_edge.idx <= span[0]
            and clause.right_edge.idx + len(clause.right_edge.text) >= span[1] - CLAUSE_END_SLACK
        )
        cue_end = token.idx + len(token.text)
        distance = span[0] - cue_end if token.idx < span[0] else token.idx - span[1]
        adjacent = 0 <= distance <= ADJACENT_CHARS
        # verbs of saying outrank verbs of opinion ("called", "believes") in the same position
        rank = (0 if holds else 1 if adjacent else 2, 0 if is_speech_cue(token) else 1, max(distance, 0))
        if best is None or rank < best[0]:
            best = (rank, token, speaker)
    if best is None:
        return None
    cue, speaker = _outermost(context, block, best[1], best[2])
    if according is not None:  # "X said ..., according to Reuters": the outer source owns the quote
        cue, speaker = according
    found = speaker_attribution(context, block, speaker, cue)
    if cue is not best[1]:
        inner = speaker_attribution(context, block, best[2], best[1])
        if inner.speaker == found.speaker:  # "Trump said that he “...”": one person, the nearer mention
            return inner
    return found


def _in_own_adverbial_clause(context: ArticleContext, block: int, inside: Span, cue: Token) -> bool:
    """ "Ana Ruiz described the plan as a failure after Ben Cole called it “...”": the quote stands in a clause
    hung on the cue by "after", "as", "when"... with a subject of its own, whose words they are."""
    if inside.start - 1 <= cue.i <= inside.end:  # '“...,” said Ben Cole' reports the quote it touches
        return False
    node = inside.root
    while node.head.i != node.i and node.head.i != cue.i:
        node = node.head
        if node.tag_ == "VBG" and is_cue(node) and not any(c.dep_ == "nsubj" for c in node.children):
            return False  # "..., remarking that “...”": a participle of saying speaks for the cue's subject
    if node.head.i != cue.i or node.i in range(inside.start, inside.end):
        return False
    return _clause_of_time(context, block, node, inside[0])


def _clause_of_time(context: ArticleContext, block: int, verb: Token, before: Token) -> bool:
    """Whether `verb` heads an adverbial clause of time ("after", "as", "when"...) opened before the token
    `before`, with a subject of its own; a cause or a condition ("because", "even if") is not one."""
    return (
        verb.dep_ == "advcl"
        and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in CLAUSE_OF_TIME_WORDS and c.i < before.i
            for c in verb.children
        )
        and any(c.dep_ in ("nsubj", "nsubjpass") and not context.quoted(block, c.idx) for c in verb.children)
    )


def speaks_without_cue(context: ArticleContext, block: int, subject: Token) -> bool:
    """Whether the subject of a verb outside the cue lists can stand behind a quote: a named person or body,
    or a personal pronoun."""
    return (
        context.label_at(block, subject.idx) in UNCUED_SPEAKER_LABELS
        or subject.lower_ in PERSONAL_SUBJECT_PRONOUNS
        or is_a_body(context, block, subject)
    )


def speaking_noun(context: ArticleContext, block: int, token: Token) -> bool:
    """A name the model left unlabelled, or a common noun for people or bodies that speak ("the board")."""
    if context.label_at(block, token.idx) is not None:
        return False
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.lemma_.lower() in SPEAKING_NOUNS)
