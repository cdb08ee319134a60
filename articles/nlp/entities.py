"""Entity mentions from spaCy's NER, general repairs of small-model slips, and clustering under one name."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .coref import name_gender
from .lexicon import (
    BARE_NAME_TITLES,
    DEPARTMENTS,
    FEMALE_HONORIFICS,
    MALE_HONORIFICS,
    OFFICE_TITLES,
    SPEECH_LEMMAS,
    THING_HEADS,
    TITLES_MARKING_A_PERSON,
)

KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "DATE"}
)
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
# Parts of speech the small model gives a person's surname standing alone ("Trump" as a verb, even).
NAME_POS = frozenset({"PROPN", "NOUN", "VERB", "ADJ"})
# Labels the small model gives a word of a person's name used alone ("Kasich" as a place): read as the person.
PERSON_WORD_LABELS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "NORP", "GPE", "LOC", "FAC", "PRODUCT"})
# "Yongbyon enrichment facility": compound and modifier links climbed from a name to a thing noun.
THING_HEAD_HOPS = 3
# Honorifics as RawMention.honorific holds them: without a full stop.
_MALE_HONORIFIC_WORDS = frozenset(h.rstrip(".") for h in MALE_HONORIFICS)
_FEMALE_HONORIFIC_WORDS = frozenset(h.rstrip(".") for h in FEMALE_HONORIFICS)
_POSSESSIVE = re.compile(r"(?:['’]s?|['’])$")
_GLUED_CREDIT = re.compile(r"^(?:.*[.!?])?Credit(?=[A-Z])")
_HYPHEN_TAIL = re.compile(r"-[A-Za-z]+")
# A block is in title case when this share of its words of at least this many letters (and at least this
# many such words) start with a capital: "Storm Knocks Out Power to 80,000 Homes Across the Valley".
TITLE_CASE_WORD_CHARS = 4
TITLE_CASE_MIN_WORDS = 3
TITLE_CASE_SHARE = 0.8


@dataclass(frozen=True)
class RawMention:
    """A mention before clustering: offsets are into the whole document."""

    start: int
    end: int
    text: str
    label: str
    block: int
    root: int  # token index of the span's root inside its block's Doc
    honorific: str = ""
    titled: bool = False  # a personal title ("Sen.", "Dr.", "Gov.") stands right before or opens the name
    thing_head: bool = False  # tagged as the name of a facility or weapon by a head noun like "facility"
    title_case: bool = False  # its block capitalises nearly every word ("City Council Approves Budget")


def _repaired_bounds(doc: Doc, ent: Span) -> tuple[int, int] | None:
    """Bounds of an entity in its Doc, with possessives, glued credits and cut hyphenated names fixed."""
    text = doc.text
    start, end = ent.start_char, ent.end_char
    credit = _GLUED_CREDIT.match(text[start:end])
    if credit:
        start += credit.end()
    # "Trump’s Talks": a name cut at its possessive ending, the rest is not part of the name
    for token in ent:
        if token.tag_ == "POS" or (token.text in ("’s", "'s") and token.i > ent.start):
            end = token.idx
            break
    tail = _HYPHEN_TAIL.match(text, end)  # "Moon Jae" + "-in"
    if tail and ent.label_ == "PERSON":
        end = tail.end()
    while end > start and text[end - 1] in "’'":
        end -= 1
    if text[start:end].lower().startswith("the "):
        start += 4
    return (start, end) if end > start else None


def _honorific(doc: Doc, ent: Span) -> str:
    if ent.start > 0:
        before = doc[ent.start - 1].lower_
        if before in MALE_HONORIFICS or before in FEMALE_HONORIFICS:
            return before.rstrip(".")
    first = ent[0].lower_
    if first in MALE_HONORIFICS or first in FEMALE_HONORIFICS:
        return first.rstrip(".")
    return ""


def _titled(doc: Doc, ent: Span) -> bool:
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return before in TITLES_MARKING_A_PERSON or (len(ent) > 1 and ent[0].lower_ in TITLES_MARKING_A_PERSON)


def _modifies_thing(token: Token) -> bool:
    """Whether a name modifies a facility-like noun through compounds ("Yongbyon enrichment facility")."""
    for _ in range(THING_HEAD_HOPS):
        if token.dep_ not in ("compound", "nmod", "amod") or token.head.i == token.i:
            return False
        token = token.head
        if token.lower_ in THING_HEADS:
            return True
    return False


def _is_department_in_title(doc: Doc, ent: Span) -> bool:
    return (
        ent.label_ in ("ORG", "GPE")
        and ent.start >= 2
        and ent.text.lower() in DEPARTMENTS
        and doc[ent.start - 1].lower_ == "of"
        and doc[ent.start - 2].lower_ in OFFICE_TITLES
    )


def is_title_case(doc: Doc) -> bool:
    """Whether a block capitalises nearly every longer word, as title-case headlines do: there the small
    model reads capitals as names ("City Council Approves Budget" an organisation, "Homes Across" a person)."""
    words = [token.text for token in doc if token.is_alpha and len(token.text) >= TITLE_CASE_WORD_CHARS]
    capitalised = sum(1 for word in words if word[:1].isupper())
    return len(words) >= TITLE_CASE_MIN_WORDS and capitalised >= TITLE_CASE_SHARE * len(words)


def block_mentions(doc: Doc, offset: int, block: int) -> list[RawMention]:
    """Repaired entity mentions of one block's Doc, offsets shifted by the block's start."""
    mentions: list[RawMention] = []
    title_case = is_title_case(doc)
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        if _is_department_in_title(doc, ent):
            continue
        bounds = _repaired_bounds(doc, ent)
        if bounds is None:
            continue
        start, end = bounds
        label = ent.label_
        surface = doc.text[start:end]
        if label == "PERSON" and (any(ch.isdigit() for ch in surface) or not surface[:1].isupper()):
            label = "PRODUCT" if any(ch.isdigit() for ch in surface) else label
        thing_head = _modifies_thing(ent.root)
        if label == "PERSON" and thing_head:
            label = "FAC"
        mentions.append(
            RawMention(
                offset + start,
                offset + end,
                surface,
                label,
                block,
                ent.root.i,
                _honorific(doc, ent),
                titled=_titled(doc, ent),
                thing_head=thing_head,
                title_case=title_case,
            )
        )
    return mentions


def unlabelled_person_mentions(
    docs: Sequence[Doc], offsets: Sequence[int], mentions: Sequence[RawMention]
) -> list[RawMention]:
    """Person mentions the small model missed: a capitalised word outside every entity that is the surname
    of a person named in full elsewhere in the article ("Pence continued"), or that follows an honorific
    ("Mr. Ostrowski")."""
    surnames = {
        words[-1]
        for m in mentions
        if m.label == "PERSON" and len(words := bare_name(m.text).split()) > 1 and words[-1][:1].isupper()
    }
    found: list[RawMention] = []
    for block, (doc, offset) in enumerate(zip(docs, offsets)):
        for token in doc:
            if token.ent_iob_ != "O" or not token.is_title or token.pos_ not in NAME_POS:
                continue
            before = doc[token.i - 1].lower_ if token.i > 0 else ""
            honorific = before in MALE_HONORIFICS or before in FEMALE_HONORIFICS
            titled = before in TITLES_MARKING_A_PERSON
            if token.text not in surnames and not honorific and not titled:
                continue
            if token.pos_ not in ("PROPN", "NOUN") and (token.text not in surnames or token.dep_ == "aux"):
                continue  # "Trump shot back" tagged as a verb: only a surname already known is taken
            if token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN" and doc[token.i + 1].is_title:
                continue  # part of a longer name the model did not label: not a surname standing alone
            start = offset + token.idx
            found.append(
                RawMention(
                    start,
                    start + len(token.text),
                    token.text,
                    "PERSON",
                    block,
                    token.i,
                    before.rstrip(".") if honorific else "",
                    titled=titled,
                )
            )
        found.extend(_named_subjects(doc, offset, block))
    return found


def _named_subjects(doc: Doc, offset: int, block: int) -> list[RawMention]:
    """A full name the small model left unlabelled as the subject of a verb of saying ("Ana Ruiz said the
    bridge would reopen"): two or more capitalised proper nouns, outside every entity."""
    found = []
    for token in doc:
        if token.dep_ != "nsubj" or token.pos_ != "PROPN" or not token.is_title:
            continue
        if token.head.lemma_.lower() not in SPEECH_LEMMAS:
            continue
        first = token
        while (
            first.i > 0
            and doc[first.i - 1].dep_ == "compound"
            and doc[first.i - 1].head.i == token.i
            and doc[first.i - 1].pos_ == "PROPN"
            and doc[first.i - 1].is_title
        ):
            first = doc[first.i - 1]
        name = doc[first.i : token.i + 1]
        if len(name) < 2 or any(t.ent_iob_ != "O" for t in name):
            continue
        start = offset + name.start_char
        found.append(RawMention(start, start + len(name.text), name.text, "PERSON", block, token.i))
    return found


def bare_name(text: str) -> str:
    """A name without leading titles/honorifics and a trailing possessive: "President Trump’s" -> "Trump"."""
    words = text.replace("’", "'").split()
    while len(words) > 1 and words[0].lower() in BARE_NAME_TITLES:
        words = words[1:]
    name = " ".join(words)
    return _POSSESSIVE.sub("", name) if len(name) > 2 else name


def _honorific_gender(honorific: str) -> str:
    if honorific in _MALE_HONORIFIC_WORDS:
        return "m"
    if honorific in _FEMALE_HONORIFIC_WORDS:
        return "f"
    return ""


def _person_key(name: str, honorific: str, full_names: Sequence[str], weight: Counter[str]) -> str:
    """The full name a short form stands for: one sharing a word (and a gender where the honorific tells),
    the most mentioned first, then the earliest."""
    words = name.split()
    if len(words) != 1:
        return name
    matches = [full for full in full_names if name in (full.split()[0], full.split()[-1])]
    gender = _honorific_gender(honorific)
    if gender:
        agreeing = [full for full in matches if name_gender(full) in (gender, "")]
        matches = agreeing or matches
    if not matches:
        return name
    return max(matches, key=lambda full: (weight[full], -full_names.index(full)))


@dataclass(frozen=True)
class Clusters:
    """Mentions grouped into entities."""

    mentions: list[RawMention]  # the mentions given, each under the label its entity's name voted for
    entities: list[tuple[str, str]]  # (name, label) per entity
    entity_of: list[int]  # per mention, the index of its entity
    genders: list[str]  # per entity: "m" or "f" where honorifics tell, else ""


def _named_in(name: str, body_names: set[str]) -> bool:
    """Whether the body names `name`: the same name, or a fuller one it is the start or end of ("Whitfield" in
    "Dana Whitfield")."""
    return name in body_names or any(
        body.endswith(" " + name) or body.startswith(name + " ") for body in body_names
    )


def trusted_mentions(mentions: Sequence[RawMention], headline_blocks: frozenset[int]) -> list[RawMention]:
    """The mentions without those found only in a title-case headline: there a capitalised run of words is
    no sign of a name, so one the body never names ("Homes Across", "City Council Approves Budget") is not
    trusted. A sentence-case headline's names stand as the model read them."""
    body_names = {bare_name(m.text) for m in mentions if m.block not in headline_blocks}
    return [
        m
        for m in mentions
        if m.block not in headline_blocks or not m.title_case or _named_in(bare_name(m.text), body_names)
    ]


def cluster(mentions: Sequence[RawMention], headline_blocks: frozenset[int] = frozenset()) -> Clusters:
    """Group mentions into entities under their fullest name, with one label per name by majority. A name
    found only in a title-case headline is dropped (`trusted_mentions`); a full name found only in a headline
    (`headline_blocks`), where every word is capitalised and the model takes "Derelict Obama" for a name, names
    the people the text calls by a single name only when it starts with a common first name."""
    mentions = trusted_mentions(mentions, headline_blocks)
    names = [bare_name(m.text) for m in mentions]
    # one label per surface name, by majority; a name with an honorific or a first name is a person, and a
    # name that modifies a facility noun somewhere is a place or thing the small model guessed at
    by_name: dict[str, Counter[str]] = {}
    honored: set[str] = set()
    thing: set[str] = set()
    for mention, name in zip(mentions, names):
        by_name.setdefault(name, Counter())[mention.label] += 1
        if mention.honorific or mention.titled:
            honored.add(name)
        if mention.thing_head:
            thing.add(name)
    # "Tulsi Brannock" read as a body, then "Ms. Brannock said": a name whose last word stands alone as a
    # person (with a title, or by the model's majority) is that person
    lone_people = {
        n
        for n, votes in by_name.items()
        if len(n.split()) == 1 and (n in honored or max(votes, key=votes.get) == "PERSON")
    }
    for name, votes in by_name.items():
        words = name.split()
        if len(words) > 1 and words[-1] in lone_people and words[0][:1].isupper() and "PERSON" not in votes:
            honored.add(name)
    multi_word_people = {
        n for n, votes in by_name.items() if ("PERSON" in votes or n in honored) and len(n.split()) > 1
    }
    person_words = {w for n in multi_word_people for w in (n.split()[0], n.split()[-1])}
    labels: list[str] = []
    for mention, name in zip(mentions, names):
        votes = by_name[name]
        label = mention.label
        if label in NAME_LABELS:
            if name in honored or (name in person_words and label in PERSON_WORD_LABELS):
                label = "PERSON"
            elif name in thing:
                label = "FAC"
            elif len(votes) > 1:
                ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0] == "PERSON"))
                label = ranked[0][0]
        labels.append(label)
    full_names: list[str] = []
    weight: Counter[str] = Counter()
    for mention, name, label in zip(mentions, names, labels):
        in_text = mention.block not in headline_blocks or name_gender(name) != ""
        if label == "PERSON" and len(name.split()) > 1 and in_text:
            if name not in full_names:
                full_names.append(name)
            weight[name] += 1
    keys: list[tuple[str, str]] = []
    for mention, name, label in zip(mentions, names, labels):
        if label == "PERSON":
            keys.append(("PERSON", _person_key(name, mention.honorific, full_names, weight)))
        elif label in NAME_LABELS:
            keys.append(("NAME", name.lower()))
        else:
            keys.append((label, name.lower()))
    index: dict[tuple[str, str], int] = {}
    members: list[list[int]] = []
    entity_of: list[int] = []
    for m_index, key in enumerate(keys):
        if key not in index:
            index[key] = len(members)
            members.append([])
        members[index[key]].append(m_index)
        entity_of.append(index[key])
    entities: list[tuple[str, str]] = []
    genders: list[str] = []
    for group in members:
        label = Counter(labels[i] for i in group).most_common(1)[0][0]
        name = max((names[i] for i in group), key=lambda n: (len(n.split()), len(n)))
        entities.append((name, label))
        honorifics = {mentions[i].honorific for i in group} - {""}
        gender = ""
        if honorifics and honorifics <= _MALE_HONORIFIC_WORDS:
            gender = "m"
        elif honorifics and honorifics <= _FEMALE_HONORIFIC_WORDS:
            gender = "f"
        genders.append(gender)
    relabelled = [m if m.label == label else replace(m, label=label) for m, label in zip(mentions, labels)]
    return Clusters(relabelled, entities, entity_of, genders)
