"""Who said each quote: strategies that each propose an Attribution or None, in a fixed order.

For a quote that is not the title of a work, the strategies propose speakers in this order:
1. in the sentences holding the quote, paragraph by paragraph for a quote running over several:
   a. a cue ("said", "according to") whose speaker can speak; the outermost reporting clause owns it,
      but not across a clause of time with a subject of its own ("X said yes while Y went on about “...”");
   b. a verb of manner right by the quote ('“...?” she grumbled', 'He leaned in and boomed: “...”');
   c. a cue in a short sentence right after the quote ('“...” The senator said so twice.');
   d. a verb of saying in the sentence before a quote that opens its sentence;
   e. the subject of a clause ending in a colon right before the quote ("Kasich resisted: “...”");
2. a name signing the quote after a dash ('“...” ― Jorge Falcon'), or a cue in a paragraph ending in a colon,
   for a quote opening the next paragraph;
3. the speaker of the attributed quote just before, for a quote opening its sentence;
4. for a quote opening its paragraph, the subject of the last sentence of a paragraph before it that holds
   no quote ("Rosa Delgado was blunt about the budget.");
5. the subject of the clause holding a scare quote ("Cruz questioned Trump's “New York values”").
Without learned weights the first proposal wins. With them (ranking.py), the proposals and the people,
bodies and pronouns near the quote are ranked, and the best speaks unless nobody scores higher; the chosen
speaker's `via` names the strategy that proposed it, or "ranked" when none did.
Token-level rules (what a cue is, which token is its speaker, who can speak) live in attribution.py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from .attribution import antecedent, can_speak, is_cue, is_speech_cue, speaker_token
from .coref import pronoun_gender, resolve_group, resolve_pronoun
from .descriptions import mention_description
from .lexicon import (
    CLAUSE_OF_TIME_WORDS,
    GROUP_NOUNS,
    LIGHT_VERB_LEMMAS,
    PERSON_NOUNS,
    PERSONAL_SUBJECT_PRONOUNS,
    SPEAKER_NP_PREPOSITIONS,
    SPEAKING_NOUNS,
    STATEMENT_NOUNS,
    WORDS_NOUNS,
)
from .quotes import MARKS_ONLY, QuoteSpan, looks_like_title
from .ranking import (
    Candidate,
    Ranker,
    candidate_features,
    load_ranker,
    nobody_features,
    quote_features,
)
from .types import Quote

if TYPE_CHECKING:  # pipeline imports this module; here the context is only a type
    from .pipeline import ArticleContext

PRONOUN_WINDOW = 1500  # characters back to look for a pronoun's subject antecedent
GROUP_WINDOW = 300  # "they" only goes to a group named as a subject just before
# The modifiers that belong to a speaker's noun phrase ("the ministry's chief spokesman").
NP_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "case", "quantmod"})
# A subject with one of these labels can stand behind a quote without a cue verb.
UNCUED_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# A named appositive of a subject that cannot speak stands in for it.
APPOSITIVE_SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
# Characters before a sentence start searched for the ',”' or ':' that glues it to the sentence before.
GLUE_LOOKBACK = 12
# Closing marks and stops after a quote that the parser may hang outside the cue's clause.
CLAUSE_END_SLACK = 3
# A cue this many characters or fewer from the quote reports it: 'replied, “...' / '“...,” said'.
ADJACENT_CHARS = 3
# A sentence after the quote this short (in tokens) can be nothing but its attribution.
NEXT_SENTENCE_MAX_TOKENS = 12
# '“... who knows?” Trump told ITV on Monday, when asked ...': the cue stands in the first few tokens.
LEADING_CUE_TOKENS = 5
# '“...?” she grumbled': a verb of manner stands within a few tokens after the quote.
MANNER_VERB_REACH = 3
# "leaned in and boomed": the verb, then the first verb of its coordination, may carry the subject.
COORDINATED_VERBS = 2
# Heads climbed from a scare quote to the clause that owns it.
CLAUSE_CLIMB = 6

# '“...” ― Jorge Falcon': the dashes that sign a quote with a name.
SIGNATURE_DASHES = "―—–-"
# '... ― Jorge Falcon.' at the very end of a paragraph, and the two to four capitalised words of a name.
SIGNATURE_AT_END = re.compile(r"[―—–]\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}\.?\s*$")
SIGNATURE_NAME = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*\.?){1,3}(?=\.?\s*$)")
# Sentences at the end of the paragraph before a quote searched for candidates.
PREVIOUS_PARAGRAPH_SENTENCES = 2
# Who may be a candidate speaker: named people and bodies, and the pronouns that stand for them.
CANDIDATE_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
CANDIDATE_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "who"})

Range = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """Who a quote is attributed to, as found in the text (before turning into a Quote)."""

    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_index: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker_description: str | None
    via: str = "cue"

    def quote(self, start: int, end: int, text: str) -> Quote:
        return Quote(
            start=start,
            end=end,
            text=text,
            speaker=self.speaker,
            speaker_index=self.speaker_index,
            speaker_start=self.speaker_start,
            speaker_end=self.speaker_end,
            cue=self.cue,
            cue_start=self.cue_start,
            cue_end=self.cue_end,
            speaker_description=self.speaker_description,
            kind="speech",
            via=self.via,
        )


@dataclass(frozen=True)
class Piece:
    """The part of a quote inside one block, and the block's sentences around it."""

    block: int
    span: Range  # block-local chars
    sentences: Sequence[Range]  # the block's merged sentences as token ranges, see merged_sentences()
    first: int  # index of the first sentence the piece overlaps, -1 for none
    last: int


@dataclass(frozen=True)
class QuoteSite:
    """A quote and where it stands: what the strategies read besides the article."""

    span: QuoteSpan
    pieces: tuple[Piece, ...]  # one per paragraph the quote runs over
    block: int  # the block holding its start
    paragraph: int  # that block's index among the paragraph blocks
    starts_paragraph: bool
    starts_sentence: bool
    previous: tuple[Attribution, int] | None  # the last attribution and the paragraph its quote ended in


def merged_sentences(doc: Doc, ranges: Sequence[Range]) -> list[Range]:
    """Sentences as token ranges, merged where spaCy cut inside a quote, after "...,”" or after a colon."""
    sentences: list[Range] = []
    for sent in doc.sents:
        boundary = sent.start_char
        if sentences:
            inside = any(a < boundary < b for a, b in ranges)
            before = doc.text[max(0, boundary - GLUE_LOOKBACK) : boundary].rstrip()
            glued = before.endswith((",”", ',"', ":")) or (
                before.endswith(("”", '"')) and before[-2:-1] == ","
            )
            # "“... alright?” he urged them": a sentence going on in lower case after a quote
            glued = glued or (before.endswith(("”", '"')) and sent.text[:1].islower())
            if inside or glued:
                sentences[-1] = (sentences[-1][0], sent.end)
                continue
        sentences.append((sent.start, sent.end))
    return sentences


def _noun_phrase(token: Token) -> Range:
    """Char bounds of a speaker noun phrase: its modifiers and a short "for/of ..." tail, no appositive."""
    left, right = token.idx, token.idx + len(token.text)
    for child in token.lefts:
        if child.dep_ in NP_DEPS:
            left = min(left, child.left_edge.idx)
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in SPEAKER_NP_PREPOSITIONS:
            right = max(right, child.right_edge.idx + len(child.right_edge.text))
            break
        if child.dep_ in ("compound", "flat"):
            right = max(right, child.idx + len(child.text))
    return left, right


def _attribution(context: ArticleContext, block: int, speaker: Token, cue: Token | None) -> Attribution:
    """Speaker span and resolved name for the token an attribution hangs on; a relative "who" keeps its own
    span (like "he") and takes its antecedent's name."""
    doc = context.docs[block]
    offset = context.blocks[block].start
    if antecedent(speaker).i != speaker.i:
        named = _attribution(context, block, antecedent(speaker), cue)
        start = offset + speaker.idx
        return replace(named, speaker_start=start, speaker_end=start + len(speaker.text))
    m_index = context.mention_at(block, speaker.idx)
    description: str | None = None
    if m_index is None and speaker.pos_ in ("NOUN", "PROPN"):
        for child in speaker.children:  # "a spokesman, John Doe, said": the role describes the name
            if child.dep_ == "appos":
                appos_mention = context.mention_at(block, child.idx)
                if appos_mention is not None and context.mentions[appos_mention].label == "PERSON":
                    m_index = appos_mention
                    left, right = _noun_phrase(speaker)
                    description = doc.text[left:right]
                    break
    entity: int | None = None
    if m_index is not None:
        mention = context.mentions[m_index]
        start, end = mention.start, mention.end
        entity = context.entity_of[m_index]
        name = context.entities[entity][0]
        if description is None:
            description = mention_description(doc, start - offset, end - offset, mention.label)
    elif speaker.pos_ == "PRON":
        start, end = offset + speaker.idx, offset + speaker.idx + len(speaker.text)
        name = speaker.text
        if pronoun_gender(speaker.text):
            entity = resolve_pronoun(
                speaker.text, start, context.person_candidates, context.genders, PRONOUN_WINDOW
            )
            if entity is not None:
                name = context.entities[entity][0]
        elif speaker.lower_ in ("they", "it"):
            groups = context.group_candidates if speaker.lower_ == "they" else context.body_candidates
            entity = resolve_group(start, groups, GROUP_WINDOW)
            if entity is not None:
                name = context.entities[entity][0]
            elif speaker.lower_ == "they":
                name = _coordinated_people(context, block, speaker) or name
            if entity is None and name == speaker.text:
                name = _group_noun_before(context, block, speaker) or name
    else:
        left, right = _noun_phrase(speaker)
        start, end = offset + left, offset + right
        name = context.text[start:end]
        if name.lower().startswith("the "):
            name = name[4:]
        if speaker.text[:1].isupper() and end - start == len(speaker.text):
            entity = _person_by_surname(context, speaker.text)
            if entity is not None:
                name = context.entities[entity][0]
    cue_start = offset + cue.idx if cue is not None else None
    return Attribution(
        speaker=name,
        speaker_start=start,
        speaker_end=end,
        speaker_index=entity,
        cue=cue.text if cue is not None else None,
        cue_start=cue_start,
        cue_end=cue_start + len(cue.text) if cue is not None and cue_start is not None else None,
        speaker_description=description,
    )


def speaker_attribution(
    context: ArticleContext, block: int, speaker: Token, cue: Token | None
) -> Attribution:
    """The speaker span and resolved name for a source token, as quotes get them (statements/ reads this)."""
    return _attribution(context, block, speaker, cue)


def _person_by_surname(context: ArticleContext, word: str) -> int | None:
    """The one person of the article whose name ends in `word` ("Will" for "George Will"), if only one does."""
    found = {
        index
        for index, (name, label) in enumerate(context.entities)
        if label == "PERSON" and len(name.split()) > 1 and name.split()[-1] == word
    }
    return found.pop() if len(found) == 1 else None


def _coordinated_people(context: ArticleContext, block: int, pronoun: Token) -> str | None:
    """ "Ana Ruiz and Ben Cole left early. “...,” they said.": two people named together as the subject just
    before a "they", as one name."""
    doc = context.docs[block]
    for token in reversed(doc[: pronoun.i]):
        if pronoun.idx - token.idx > GROUP_WINDOW:
            return None
        if token.dep_ not in ("nsubj", "nsubjpass") or context.label_at(block, token.idx) != "PERSON":
            continue
        partner = next((c for c in token.children if c.dep_ == "conj"), None)
        if partner is None or context.label_at(block, partner.idx) != "PERSON":
            return None
        names = []
        for person in (token, partner):
            m_index = context.mention_at(block, person.idx)
            if m_index is None:
                return None
            names.append(context.entities[context.entity_of[m_index]][0])
        return " and ".join(names)
    return None


def _group_noun_before(context: ArticleContext, block: int, pronoun: Token) -> str | None:
    """ "Ana Ruiz's campaign is contrasting her plan with what they call “...”": the body or group named by a
    common noun as a subject just before a "they" or "it" ("the union", "her campaign", "the committee")."""
    doc = context.docs[block]
    for token in reversed(doc[: pronoun.i]):
        if pronoun.idx - token.idx > GROUP_WINDOW:
            return None
        if token.dep_ not in ("nsubj", "nsubjpass") or context.quoted(block, token.idx):
            continue
        if token.lower_ == pronoun.lower_:
            continue  # "It’s denouncing what it calls": the same body again
        if token.pos_ != "NOUN":
            return None  # the nearest subject is someone else: "He and his partner ... they wanted"
        lemma = token.lemma_.lower()
        if lemma not in SPEAKING_NOUNS or lemma in PERSON_NOUNS:
            return None
        if pronoun.lower_ == "it" and token.tag_ != "NN":
            return None
        if pronoun.lower_ == "they" and token.tag_ != "NNS" and lemma not in GROUP_NOUNS:
            return None  # "the report ... they": a thing is no "they"
        left, right = _noun_phrase(token)
        phrase = doc.text[left:right]
        return phrase[4:] if phrase.lower().startswith("the ") else phrase
    return None


def _is_a_body(context: ArticleContext, block: int, pronoun: Token) -> bool:
    """Whether an "it" stands for an organisation named as a subject just before ("The union ... it called")."""
    start = context.blocks[block].start + pronoun.idx
    return pronoun.lower_ == "it" and resolve_group(start, context.body_candidates, GROUP_WINDOW) is not None


def _speaker_of(context: ArticleContext, block: int, cue: Token) -> Token | None:
    """The speaker token a cue outside quotes hangs on, when it is someone who can speak."""
    if context.quoted(block, cue.idx):
        return None
    speaker = speaker_token(cue, lambda pos: context.quoted(block, pos))
    if speaker is None or context.quoted(block, speaker.idx):
        return None
    if can_speak(speaker, cue, context.label_at(block, antecedent(speaker).idx)) or _is_a_body(
        context, block, speaker
    ):
        return speaker
    # "With days to go until the election, Ana Ruiz, an adviser, called it ...": the parser made the name an
    # appositive of a noun that cannot speak; the name is the subject
    return _named_appositive(context, block, speaker)


def _named_appositive(context: ArticleContext, block: int, token: Token) -> Token | None:
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


def _cue_attribution(
    context: ArticleContext, block: int, tokens: Range, span: Range, speech_only: bool = False
) -> Attribution | None:
    """The best cue with a speaker among tokens[0]:tokens[1] of a block, for a quote at local chars `span`:
    a cue whose clause holds the quote (or is right next to it), verbs of saying first, then the nearest."""
    doc = context.docs[block]
    best: tuple[tuple[int, ...], Token, Token] | None = None
    according: tuple[Token, Token] | None = None
    inside = _quote_tokens(context, block, span)
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
    found = _attribution(context, block, speaker, cue)
    if cue is not best[1]:
        inner = _attribution(context, block, best[2], best[1])
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


def _quote_tokens(context: ArticleContext, block: int, span: Range) -> Span | None:
    """The tokens of the quote at block-local chars `span`, None when it covers none."""
    inside = context.docs[block].char_span(span[0], span[1], alignment_mode="expand")
    return inside if inside is not None and len(inside) > 0 else None


def _speaks_without_cue(context: ArticleContext, block: int, subject: Token) -> bool:
    """Whether the subject of a verb outside the cue lists can stand behind a quote: a named person or body,
    or a personal pronoun."""
    return (
        context.label_at(block, subject.idx) in UNCUED_SPEAKER_LABELS
        or subject.lower_ in PERSONAL_SUBJECT_PRONOUNS
        or _is_a_body(context, block, subject)
    )


def _speaking_noun(context: ArticleContext, block: int, token: Token) -> bool:
    """A name the model left unlabelled, or a common noun for people or bodies that speak ("the board")."""
    if context.label_at(block, token.idx) is not None:
        return False
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.lemma_.lower() in SPEAKING_NOUNS)


# ---- Strategies for the part of a quote in one paragraph ----


def _by_cue(context: ArticleContext, piece: Piece) -> Attribution | None:
    """A cue in the sentences holding the quote."""
    tokens = (piece.sentences[piece.first][0], piece.sentences[piece.last][1])
    return _cue_attribution(context, piece.block, tokens, piece.span)


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
    inside = _quote_tokens(context, piece.block, piece.span)
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
        if subject is not None and _speaks_without_cue(context, piece.block, subject):
            return replace(_attribution(context, piece.block, subject, verb), via="manner-verb")
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
        found = _cue_attribution(context, piece.block, (after_start, after_end), span)
    if found is None and doc.text[span[1] - 2 : span[1] - 1] in ("?", "!"):
        # "“... who knows?” Trump told ITV on Monday, when asked ...": the cue leads the next sentence
        leading = (after_start, min(after_end, after_start + LEADING_CUE_TOKENS))
        found = _cue_attribution(context, piece.block, leading, span)
    if found is None and not has_quote and after_end - after_start <= NEXT_SENTENCE_MAX_TOKENS:
        owner = _owner_of_words(context, piece.block, doc[after_start:after_end])
        if owner is not None:
            found = _attribution(context, piece.block, owner, None)
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


def _owner_of_words(context: ArticleContext, block: int, sentence: Span) -> Token | None:
    """ "That was Rosa Delgado's verdict." / "That was the answer of the treasurer.": whose judgement, answer
    or words a short sentence names, when it names one who can speak."""
    for token in sentence:
        if token.lemma_.lower() not in WORDS_NOUNS or token.pos_ != "NOUN":
            continue
        for child in token.children:
            owner = None
            if child.dep_ == "poss" and child.pos_ != "PRON":
                owner = child
            elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                owner = next((g for g in child.children if g.dep_ == "pobj"), None)
            if owner is not None and (
                _speaks_without_cue(context, block, owner) or _speaking_noun(context, block, owner)
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
    found = _cue_attribution(context, piece.block, (before_start, before_end), piece.span, speech_only=True)
    return replace(found, via="sentence-before") if found is not None else None


def _introducer(context: ArticleContext, block: int, colon: Token) -> Token | None:
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
    inside = _quote_tokens(context, piece.block, piece.span)
    if inside is None or inside.start < 2 or doc[inside.start - 1].text != ":":
        return None
    colon = doc[inside.start - 1]
    if context.quoted(piece.block, colon.idx):
        return None
    speaker = _introducer(context, piece.block, colon)
    if speaker is None or context.quoted(piece.block, speaker.idx):
        return None
    if not (
        _speaks_without_cue(context, piece.block, speaker) or _speaking_noun(context, piece.block, speaker)
    ):
        return None
    return replace(_attribution(context, piece.block, speaker, None), via="colon")


PIECE_STRATEGIES: tuple[Callable[[ArticleContext, Piece], Attribution | None], ...] = (
    _by_cue,
    _by_manner_verb,
    _by_sentence_after,
    _by_sentence_before,
    _by_colon_introduction,
)


# ---- Strategies for a whole quote ----


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
    found = _cue_attribution(context, block, (last_sent.start, last_sent.end), end)
    if found is None:  # "Rosa Delgado had a message for the board:" introduces her without a cue
        colon = next((t for t in reversed(doc) if t.text == ":"), None)
        speaker = _introducer(context, block, colon) if colon is not None and colon.i > 0 else None
        if (
            speaker is not None
            and not context.quoted(block, speaker.idx)
            and _speaks_without_cue(context, block, speaker)
        ):
            found = _attribution(context, block, speaker, None)
    return replace(found, via="colon") if found is not None else None


def _introduced_before(context: ArticleContext, site: QuoteSite) -> Attribution | None:
    """A quote opening its paragraph after a paragraph without quotes that ends on someone, described rather
    than reported ("Rosa Delgado was blunt about the budget."): the subject of that paragraph's last
    sentence, a named person or body or a pronoun."""
    if not site.starts_paragraph or site.paragraph == 0:
        return None
    block = context.paragraph_blocks[site.paragraph - 1]
    doc = context.docs[block]
    if len(doc) == 0 or context.quote_ranges[block]:
        return None
    root = list(doc.sents)[-1].root
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in ("they", "we", "i"):
        return None  # a group or the writer, not the person a quote standing alone belongs to
    if not _speaks_without_cue(context, block, subject):
        return None
    return replace(_attribution(context, block, subject, None), via="introduced")


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
    block = _block_at(context, pos)
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
    return replace(_attribution(context, block, span.root, None), via="signed")


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
    inside = _quote_tokens(context, block, (site.span.start - offset, site.span.end - offset))
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
                    if _speaks_without_cue(context, block, child)
                    else _named_appositive(context, block, child)
                )
                if named is not None:
                    return replace(_attribution(context, block, named, token), via="clause-subject")
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


def _piece(doc: Doc, block: int, span: Range, sentences: Sequence[Range]) -> Piece:
    first = last = -1
    for index, (t_start, t_end) in enumerate(sentences):
        r_start = doc[t_start].idx
        r_end = doc[t_end - 1].idx + len(doc[t_end - 1].text)
        if r_start < span[1] and span[0] < r_end:
            first = index if first < 0 else first
            last = index
    return Piece(block, span, sentences, first, last)


def _site(
    context: ArticleContext,
    span: QuoteSpan,
    sentences_of: dict[int, list[Range]],
    previous: tuple[Attribution, int] | None,
) -> QuoteSite:
    pieces: list[Piece] = []
    for (start, end), paragraph in zip(span.pieces, span.paragraphs):
        block = context.paragraph_blocks[paragraph]
        doc = context.docs[block]
        if block not in sentences_of:
            sentences_of[block] = merged_sentences(doc, context.quote_ranges[block])
        offset = context.blocks[block].start
        pieces.append(_piece(doc, block, (start - offset, end - offset), sentences_of[block]))
    first = pieces[0]
    block_start = context.blocks[first.block].start
    starts_paragraph = not context.text[block_start : span.start].strip()
    starts_sentence = starts_paragraph
    if not starts_sentence and first.first >= 0:
        sentence_start = block_start + context.docs[first.block][first.sentences[first.first][0]].idx
        starts_sentence = not context.text[sentence_start : span.start].strip(" —–-(")
    return QuoteSite(
        span=span,
        pieces=tuple(pieces),
        block=first.block,
        paragraph=span.paragraphs[0],
        starts_paragraph=starts_paragraph,
        starts_sentence=starts_sentence,
        previous=previous,
    )


def _block_at(context: ArticleContext, pos: int) -> int:
    """Index of the block holding document char `pos` (blocks are in text order)."""
    index = bisect_right([b.start for b in context.blocks], pos) - 1
    return max(index, 0)


def _proposals(context: ArticleContext, site: QuoteSite) -> list[Attribution]:
    """What every strategy proposes for the quote, in the rules' order: the first is the rules' choice."""
    found: list[Attribution] = []
    for piece in site.pieces:
        if piece.first < 0:
            continue
        for piece_strategy in PIECE_STRATEGIES:
            attribution = piece_strategy(context, piece)
            if attribution is not None:
                found.append(attribution)
    for quote_strategy in QUOTE_STRATEGIES[1:]:
        attribution = quote_strategy(context, site)
        if attribution is not None:
            found.append(attribution)
    return found


def _window(context: ArticleContext, site: QuoteSite) -> list[tuple[int, Range]]:
    """(block, token range) pairs where a speaker may stand: the sentences of the quote and one either
    side, and the end of the paragraph before when the quote opens its paragraph's first sentence."""
    ranges: list[tuple[int, Range]] = []
    for index, piece in enumerate(site.pieces):
        if piece.first < 0:
            continue
        low = max(0, piece.first - 1) if index == 0 else piece.first
        high = min(len(piece.sentences) - 1, piece.last + 1) if index == 0 else piece.last
        ranges.append((piece.block, (piece.sentences[low][0], piece.sentences[high][1])))
    first = site.pieces[0]
    if site.paragraph > 0 and first.first <= 0:
        block = context.paragraph_blocks[site.paragraph - 1]
        doc = context.docs[block]
        sentences = list(doc.sents)[-PREVIOUS_PARAGRAPH_SENTENCES:]
        if sentences:
            ranges.append((block, (sentences[0].start, sentences[-1].end)))
    return ranges


def _may_speak(context: ArticleContext, block: int, token: Token) -> bool:
    """Whether a token outside quotes heads a phrase that can stand for a speaker."""
    if token.dep_ in NP_DEPS or token.dep_ in ("flat", "compound") or context.quoted(block, token.idx):
        return False
    if token.pos_ == "PRON":
        return token.lower_ in CANDIDATE_PRONOUNS
    if token.pos_ not in ("PROPN", "NOUN"):
        return False
    label = context.label_at(block, token.idx)
    if label is not None:
        return label in CANDIDATE_LABELS
    return token.pos_ == "PROPN" or token.lemma_.lower() in SPEAKING_NOUNS or token.lower_ in STATEMENT_NOUNS


def _candidates(
    context: ArticleContext, site: QuoteSite, proposals: Sequence[Attribution]
) -> list[Candidate]:
    """The proposals, then the people, bodies and pronouns near the quote, one candidate per speaker span."""
    by_span: dict[Range, int] = {}
    found: list[Candidate] = []
    for rank, attribution in enumerate(proposals):
        key = (attribution.speaker_start, attribution.speaker_end)
        if key in by_span:
            known = found[by_span[key]]
            found[by_span[key]] = replace(known, proposed_by=(*known.proposed_by, attribution.via))
            continue
        block = _block_at(context, attribution.speaker_start)
        offset = context.blocks[block].start
        span = context.docs[block].char_span(
            attribution.speaker_start - offset, attribution.speaker_end - offset, alignment_mode="expand"
        )
        if span is None or len(span) == 0:
            continue
        by_span[key] = len(found)
        found.append(Candidate(attribution, block, span.root, (attribution.via,), rank))
    for block, (start, end) in _window(context, site):
        for token in context.docs[block][start:end]:
            if not _may_speak(context, block, token):
                continue
            attribution = replace(_attribution(context, block, token, None), via="ranked")
            key = (attribution.speaker_start, attribution.speaker_end)
            if key in by_span:
                continue
            by_span[key] = len(found)
            found.append(Candidate(attribution, block, token, (), -1))
    return found


# Decides a quote's speaker: (site, candidates, the features of "nobody", each candidate's features) ->
# the index of the chosen candidate, or None.
Chooser = Callable[[QuoteSite, Sequence[Candidate], list[str], list[list[str]]], int | None]


def rules_choice(
    site: QuoteSite, candidates: Sequence[Candidate], nobody: list[str], features: list[list[str]]
) -> int | None:
    """The rules alone: the first strategy's proposal."""
    return next((index for index, c in enumerate(candidates) if c.rule_rank == 0), None)


def ranked_choice(ranker: Ranker) -> Chooser:
    def choose(
        site: QuoteSite, candidates: Sequence[Candidate], nobody: list[str], features: list[list[str]]
    ) -> int | None:
        return ranker.choose(nobody, features)

    return choose


def _own_cue(context: ArticleContext, piece: Piece) -> Attribution | None:
    """ "“I have been thinking about it,” added Ben Cole.": a part of a quote running on from the paragraph
    before that a cue right after it reports, its own attribution (the mark closing the earlier paragraph's
    quote may have gone missing)."""
    if piece.first < 0:
        return None
    doc = context.docs[piece.block]
    if doc.text[piece.span[1] - 2 : piece.span[1] - 1] not in (",", "?", "!"):
        return None
    tokens = (piece.sentences[piece.first][0], piece.sentences[piece.last][1])
    found = _cue_attribution(context, piece.block, tokens, piece.span)
    offset = context.blocks[piece.block].start
    if found is None or found.cue_start is None:
        return None
    # the cue or its speaker right after the quote: '“...,” added Ben Cole', '“...,” he added'
    if not 0 <= min(found.cue_start, found.speaker_start) - offset - piece.span[1] <= ADJACENT_CHARS:
        return None
    return found


def _paragraph_pieces(span: QuoteSpan) -> list[Range]:
    """The parts of a quote one per paragraph, as a reader sees it and PolNeAR counts it; a paragraph holding
    nothing but the opening mark adds no part of its own."""
    pieces = [(a, b) for a, b in span.pieces if b - a > MARKS_ONLY]
    return pieces or [(span.start, span.end)]


def _unattributed(text: str, span: QuoteSpan) -> list[Quote]:
    return [Quote(start=a, end=b, text=text[a:b], kind="unattributed") for a, b in _paragraph_pieces(span)]


def quotes_choosing(context: ArticleContext, choose: Chooser) -> list[Quote]:
    """Every quote of the article's paragraphs, its speaker chosen by `choose` among the candidates."""
    text = context.text
    sentences_of: dict[int, list[Range]] = {}  # per block, computed once for all its quotes
    quotes: list[Quote] = []
    previous: tuple[Attribution, int] | None = None
    for span in context.quote_spans:
        if looks_like_title(text, span.start, span.end):
            quotes.extend(_unattributed(text, span))
            continue
        site = _site(context, span, sentences_of, previous)
        candidates = _candidates(context, site, _proposals(context, site))
        quote = quote_features(context, site, candidates)
        last = previous[0] if previous is not None else None
        features = [candidate_features(context, site, c, last, quote) for c in candidates]
        nobody = nobody_features(quote)
        chosen = choose(site, candidates, nobody, features)
        if chosen is None:
            quotes.extend(_unattributed(text, span))
            continue
        attribution = candidates[chosen].attribution
        # a quote running over paragraphs is shown, and counted, paragraph by paragraph, one speaker for all
        # but a paragraph whose part a verb of saying right after it gives to someone else
        owners = {piece.span: attribution for piece in site.pieces}
        for piece in site.pieces[1:]:
            own = _own_cue(context, piece)
            if own is not None:
                attribution = own
            owners[piece.span] = attribution
        offsets = {
            (a, b): (a - context.blocks[piece.block].start, b - context.blocks[piece.block].start)
            for piece, (a, b) in zip(site.pieces, span.pieces)
        }
        for a, b in _paragraph_pieces(span):
            owner = owners.get(offsets.get((a, b), (-1, -1)), candidates[chosen].attribution)
            quotes.append(owner.quote(a, b, text[a:b]))
        previous = (attribution, span.paragraphs[-1])
    return quotes


def quotes_with_speakers(context: ArticleContext) -> list[Quote]:
    """Every quote of the article's paragraphs with its speaker: the learned ranker's choice among the
    strategies' proposals and the people near the quote, or the first strategy's when there are no weights."""
    ranker = load_ranker()
    return quotes_choosing(context, rules_choice if ranker is None else ranked_choice(ranker))
