"""The name, span and entity an attribution gives for the token a speaker hangs on: a mention of a
person or body, a pronoun resolved to who it stands for, a group named just before, a noun phrase."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Token

from ..attribution import antecedent
from ..context import ArticleContext, Attribution, Range
from ..coref import pronoun_gender, resolve_group, resolve_pronoun
from ..descriptions import mention_description
from ..lexicon import GROUP_NOUNS, PERSON_NOUNS, SPEAKER_NP_PREPOSITIONS, SPEAKING_NOUNS

PRONOUN_WINDOW = 1500  # characters back to look for a pronoun's subject antecedent
GROUP_WINDOW = 300  # "they" only goes to a group named as a subject just before
# The modifiers that belong to a speaker's noun phrase ("the ministry's chief spokesman").
NP_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "case", "quantmod"})


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


def speaker_attribution(
    context: ArticleContext, block: int, speaker: Token, cue: Token | None
) -> Attribution:
    """Speaker span and resolved name for the token an attribution hangs on, for quotes and statements alike;
    a relative "who" keeps its own span (like "he") and takes its antecedent's name."""
    doc = context.docs[block]
    offset = context.blocks[block].start
    if antecedent(speaker).i != speaker.i:
        named = speaker_attribution(context, block, antecedent(speaker), cue)
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


def _tokens_back(context: ArticleContext, block: int, pronoun: Token) -> Iterator[tuple[int, Token]]:
    """(block, token) from the one before `pronoun` back to the start of its block, then on through the
    paragraph before when the pronoun opens its paragraph's first sentence ("...walked out. / They said")."""
    doc = context.docs[block]
    for token in reversed(doc[: pronoun.i]):
        yield block, token
    if pronoun.sent.start != 0 or block not in context.paragraph_blocks:
        return
    paragraph = context.paragraph_blocks.index(block)
    if paragraph > 0:
        before = context.paragraph_blocks[paragraph - 1]
        for token in reversed(context.docs[before]):
            yield before, token


def _group_noun_before(context: ArticleContext, block: int, pronoun: Token) -> str | None:
    """ "Ana Ruiz's campaign is contrasting her plan with what they call “...”": the body or group named by a
    common noun as a subject just before a "they" or "it" ("the union", "her campaign", "the committee",
    "the county's workers"), in the sentences before it or at the end of the paragraph before."""
    position = context.blocks[block].start + pronoun.idx
    for at, token in _tokens_back(context, block, pronoun):
        if position - (context.blocks[at].start + token.idx) > GROUP_WINDOW:
            return None
        if token.dep_ not in ("nsubj", "nsubjpass") or context.quoted(at, token.idx):
            continue
        if token.lower_ == pronoun.lower_:
            continue  # "It’s denouncing what it calls": the same body again
        if token.pos_ != "NOUN":
            return None  # the nearest subject is someone else: "He and his partner ... they wanted"
        lemma = token.lemma_.lower()
        # people in the plural are a "they" ("the workers"); one person never is, nor an "it"
        plural_people = pronoun.lower_ == "they" and token.tag_ == "NNS"
        if lemma not in SPEAKING_NOUNS or (lemma in PERSON_NOUNS and not plural_people):
            return None
        if pronoun.lower_ == "it" and token.tag_ != "NN":
            return None
        if pronoun.lower_ == "they" and token.tag_ != "NNS" and lemma not in GROUP_NOUNS:
            return None  # "the report ... they": a thing is no "they"
        left, right = _noun_phrase(token)
        phrase = context.docs[at].text[left:right]
        return phrase[4:] if phrase.lower().startswith("the ") else phrase
    return None


def is_a_body(context: ArticleContext, block: int, pronoun: Token) -> bool:
    """Whether an "it" stands for an organisation named as a subject just before ("The union ... it called")."""
    start = context.blocks[block].start + pronoun.idx
    return pronoun.lower_ == "it" and resolve_group(start, context.body_candidates, GROUP_WINDOW) is not None
