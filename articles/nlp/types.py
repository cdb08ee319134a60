"""Typed results of the analysis: character offsets into the article text are the shared currency."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A span of the article text with its role: headline, paragraph, caption, credit, boilerplate..."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedArticle:
    """What the plain-text parser recognised in one article (offsets into the exact input text)."""

    title: str
    dateline: str
    source: str
    blocks: tuple[Block, ...]
    # From a "Published: 2019-02-28" (or "Published: February 28, 2019") line; None when the text gives none.
    published: datetime.date | None = None

    def of_kind(self, *kinds: str) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind in kinds)


@dataclass(frozen=True)
class Entity:
    """One person, organisation, place... within an article, under its canonical (fullest) name."""

    name: str
    label: str
    description: str | None = None  # how the article describes them: "a spokesman for Mr. Moon"


@dataclass(frozen=True)
class Mention:
    """One place in the text where an entity is named."""

    start: int
    end: int
    text: str
    label: str
    entity_index: int  # into Analysis.entities


@dataclass(frozen=True)
class Quote:
    """A quotation, marks included. `speaker` is the resolved name (None when nobody said it)."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_index: int | None = None  # into Analysis.entities, when the speaker is a named entity
    speaker_start: int | None = None  # where the text names the speaker ("he", "a spokesman", "Mr. Kim")
    speaker_end: int | None = None
    cue: str | None = None  # the verb or "according" that reports the quote
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_description: str | None = None  # how the article describes them: "a spokesman for Mr. Moon"
    kind: str = "speech"  # "speech" when attributed, "unattributed" for scare quotes and titles
    # Which strategy in speakers/ found the speaker, to trace a wrong one: "cue", "manner-verb",
    # "sentence-after", "sentence-before", "colon" (a clause or paragraph ending in a colon introduces it),
    # "continuation", "clause-subject", or "ranked" when the learned ranker chose someone near the quote that
    # no strategy proposed; None if unattributed.
    via: str | None = None
    # How likely the speaker is right, 0..1: the ranker's share for it, calibrated (speakers/confidence.py);
    # None without a ranker or a calibration, or without a speaker.
    confidence: float | None = None


Span = tuple[int, int]  # [start, end) character offsets into the article text


@dataclass(frozen=True)
class Statement:
    """One attribution in PolNeAR's sense: who (source) is reported (cue) to have said, believed or found
    what (content), in quotation marks or not.

    `kind` is "direct" (the content is a quotation), "mixed" (a paraphrase holding a quoted fragment) or
    "reported" (no quotation marks at all). A direct statement mirrors one of `Analysis.quotes`; a mixed one
    contains one or more of them.
    """

    kind: str
    content: tuple[Span, ...]  # what was said, one span or several ("The talks, he said, will resume")
    cue: tuple[Span, ...] = ()  # the words that report it: "said", "told reporters", "according to", ":"
    speaker: str | None = None  # the resolved name, as for Quote
    speaker_index: int | None = None  # into Analysis.entities, when the source is a named entity
    speaker_start: int | None = None  # the source mention in the text ("he", "the report", "Mr. Kim")
    speaker_end: int | None = None
    speaker_description: str | None = None
    # How likely the attribution is right, 0..1, for a reported or mixed one: the statement scorer's
    # probability, calibrated (statements/confidence.py); None for a direct one (its quote carries the
    # speaker's), without a speaker, or without weights or a calibration.
    confidence: float | None = None

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]


@dataclass(frozen=True)
class Analysis:
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
    quotes: tuple[Quote, ...] = field(default_factory=tuple)
    # Every attribution, direct ones included, in text order; `quotes` stays what the page marks as quotes.
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    # Each sentence as (start, end) offsets into the article's text, in order: the parser's sentences, kept so
    # that nothing downstream splits sentences again.
    sentences: tuple[tuple[int, int], ...] = field(default_factory=tuple)
