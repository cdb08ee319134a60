"""What the rules read and hand each other: one article's parsed context, the place of a quote in it, and the
attributions and candidate speakers the rules propose for it.

The bottom of the package's working types: speakers/, statements/, descriptions.py and pipeline.py all read
these, and this module imports none of them (the spaCy and statement types it names are only annotations).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .types import Block, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .entities import RawMention
    from .quotes import QuoteSpan
    from .statements.content import Content

Range = tuple[int, int]  # [start, end) chars or tokens within one block
QuoteRanges = list[Range]  # one block's quotes as block-local char ranges, in text order
Antecedent = tuple[
    int, int, bool
]  # who a pronoun may stand for: (document char start, entity index, is subject)


def in_ranges(ranges: Sequence[Range], pos: int) -> bool:
    """Whether `pos` falls in one of the sorted, non-overlapping [start, end) ranges."""
    index = bisect_right(ranges, (pos, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= pos < ranges[index][1]


@dataclass(frozen=True)
class ArticleContext:
    """Everything the rules read for one article: its text, blocks, their Docs, its quotes and entities."""

    text: str
    blocks: Sequence[Block]
    docs: Sequence[Doc]
    paragraph_blocks: list[int]  # indexes of the blocks quotes are found in; QuoteSpan.paragraphs index this
    quote_spans: list[QuoteSpan]
    quote_ranges: list[QuoteRanges]  # per block
    mentions: list[RawMention]
    mentions_by_block: list[list[int]]
    entity_of: list[int]  # per mention, its index in `entities`
    entities: list[tuple[str, str]]  # (name, label)
    genders: list[str]  # per entity: "m", "f" or ""
    person_candidates: list[Antecedent]
    group_candidates: list[Antecedent]
    body_candidates: list[Antecedent]  # the organisations among group_candidates, for "it"

    def quoted(self, block: int, pos: int) -> bool:
        """Whether block-local char `pos` is inside a quote."""
        return in_ranges(self.quote_ranges[block], pos)

    def mention_at(self, block: int, pos: int) -> int | None:
        """Index of the mention covering block-local char `pos`, if any."""
        offset = self.blocks[block].start
        for m_index in self.mentions_by_block[block]:
            mention = self.mentions[m_index]
            if mention.start <= offset + pos < mention.end:
                return m_index
        return None

    def label_at(self, block: int, pos: int) -> str | None:
        """Entity label of the mention covering block-local char `pos`, if any."""
        m_index = self.mention_at(block, pos)
        return self.mentions[m_index].label if m_index is not None else None


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
    sentences: Sequence[Range]  # the block's merged sentences as token ranges, see speakers.sites
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


@dataclass(frozen=True)
class SpeakerCandidate:
    """Someone who may have said a quote: the attribution it would give and the token it hangs on."""

    attribution: Attribution
    block: int
    token: Token
    proposed_by: tuple[str, ...]  # the strategies proposing it, in the rules' order
    rule_rank: int  # 0 for the rules' own choice, 1 for the next strategy's, ...; -1 when none proposes it


class StatementCandidate(Protocol):
    """What the statement scorer reads of a candidate attribution (statements/assembly.py builds them)."""

    @property
    def block(self) -> int: ...
    @property
    def cue(self) -> Token: ...
    @property
    def content(self) -> Content: ...
    @property
    def source(self) -> Token: ...
    @property
    def source_how(self) -> str: ...
    @property
    def quoted_share(self) -> float: ...
    @property
    def speaker_index(self) -> int | None: ...
