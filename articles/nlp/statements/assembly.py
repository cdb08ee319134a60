"""The statements of an article: the quotes as direct statements, and the kept candidates from cues as
reported or mixed ones, one attribution each, in text order."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..context import Attribution
from ..types import Quote, Span, Statement
from .confidence import StatementCalibration, load_statement_calibration
from .content import Content, contents
from .cues import VERB_POS, cue_ranges, cue_tokens, may_report
from .scorer import Labels, Nesting, StatementScorer, candidate_features, load_scorer, rules_keep
from .sources import source_attribution, source_token

if TYPE_CHECKING:
    from ..context import ArticleContext

# A content this much in quotation marks is the quote itself: the direct statement stands for it.
DIRECT_SHARE = 0.8
# Two kept candidates whose contents overlap by this share of the shorter are one attribution.
SAME_CONTENT_SHARE = 0.8
DEDUPLICATION_BUCKET = 500

# A kept candidate's confidence that its attribution is right (None when there is none to give).
Confidence = Callable[["Candidate"], float | None]


@dataclass(frozen=True)
class Candidate:
    """One possible attribution: a cue, one reading of its content, and its source."""

    block: int
    cue: Token
    content: Content
    source: Token
    source_how: str
    attribution: Attribution
    spans: tuple[Span, ...]  # the content as article char ranges
    quoted_share: float  # how much of the content is inside quotation marks

    @property
    def speaker_index(self) -> int | None:
        return self.attribution.speaker_index


def _quoted_chars(context: ArticleContext, block: int, start: int, end: int) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in context.quote_ranges[block])


def candidates(context: ArticleContext) -> list[Candidate]:
    """Every candidate attribution of the article's blocks, cue by cue in text order."""
    found: list[Candidate] = []
    for block, doc in enumerate(context.docs):
        offset = context.blocks[block].start
        sentence_of: list[SpacySpan] = []  # per token, its sentence: Token.sent walks the sentence each time
        for sentence in doc.sents:
            sentence_of.extend([sentence] * len(sentence))
        for cue in cue_tokens(doc):
            source = source_token(context, block, cue)
            if source is None:
                continue
            token, how = source
            readings = contents(cue, sentence_of[cue.i])
            if not readings:
                continue
            attribution = source_attribution(context, block, token, cue)
            for content in readings:
                if not any(doc[i].is_alpha for a, b in content.ranges for i in range(a, b)):
                    continue  # what was said has a word in it ("Harbour report 0" reports no "0")
                local = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in content.ranges]
                total = sum(b - a for a, b in local)
                if total <= 0:
                    continue
                quoted = sum(_quoted_chars(context, block, a, b) for a, b in local)
                found.append(
                    Candidate(
                        block=block,
                        cue=cue,
                        content=content,
                        source=token,
                        source_how=how,
                        attribution=attribution,
                        spans=tuple((offset + a, offset + b) for a, b in local),
                        quoted_share=quoted / total,
                    )
                )
    return found


def scored(
    context: ArticleContext, found: Sequence[Candidate], scorer: StatementScorer | None
) -> list[float]:
    """A keeping score per candidate: the model's probability, or 1/0 by the rules without weights."""
    if scorer is None:
        return [1.0 if rules_keep(context, c) else 0.0 for c in found]
    return [scorer.probability(features) for features in all_features(context, found)]


def all_features(context: ArticleContext, found: Sequence[Candidate]) -> list[list[str]]:
    """Each candidate's features, reading the other candidates of its block."""
    by_block: dict[int, list[Candidate]] = {}
    for candidate in found:
        by_block.setdefault(candidate.block, []).append(candidate)
    nesting = {block: Nesting(group, len(context.docs[block])) for block, group in by_block.items()}
    label_at = Labels(context)
    return [candidate_features(context, c, nesting[c.block], label_at) for c in found]


def _overlap(xs: Sequence[Span], ys: Sequence[Span]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in xs for c, d in ys)


def _length(spans: Sequence[Span]) -> int:
    return sum(b - a for a, b in spans)


def kept(
    context: ArticleContext, found: Sequence[Candidate], scores: Sequence[float], threshold: float
) -> list[Candidate]:
    """The best reading of each cue above the threshold, one per content."""
    best: dict[tuple[int, int], tuple[float, Candidate]] = {}
    for candidate, score in zip(found, scores):
        if score < threshold:
            continue
        key = (candidate.block, candidate.cue.i)
        if key not in best or score > best[key][0]:
            best[key] = (score, candidate)
    chosen: list[Candidate] = []
    # contents registered by the stretches of DEDUPLICATION_BUCKET chars they touch, so that each is compared
    # only with those near it (a block may hold thousands)
    near: dict[int, list[Candidate]] = {}
    for _, candidate in sorted(best.values(), key=lambda pair: -pair[0]):
        buckets = _buckets(candidate.spans)
        others = {id(other): other for bucket in buckets for other in near.get(bucket, ())}
        same = any(
            _overlap(candidate.spans, other.spans)
            >= SAME_CONTENT_SHARE * min(_length(candidate.spans), _length(other.spans))
            for other in others.values()
        )
        if not same:
            chosen.append(candidate)
            for bucket in buckets:
                near.setdefault(bucket, []).append(candidate)
    return sorted(chosen, key=lambda c: c.spans[0])


def _buckets(spans: Sequence[Span]) -> set[int]:
    size = DEDUPLICATION_BUCKET
    return {bucket for start, end in spans for bucket in range(start // size, end // size + 1)}


def _direct(quote: Quote) -> Statement:
    has_cue = quote.cue_start is not None and quote.cue_end is not None
    cue = ((quote.cue_start, quote.cue_end),) if has_cue else ()
    return Statement(
        kind="direct",
        content=((quote.start, quote.end),),
        cue=cue,
        speaker=quote.speaker,
        speaker_index=quote.speaker_index,
        speaker_start=quote.speaker_start,
        speaker_end=quote.speaker_end,
        speaker_description=quote.speaker_description,
    )


def _statement(
    context: ArticleContext, candidate: Candidate, kind: str, confidence: Confidence | None
) -> Statement:
    offset = context.blocks[candidate.block].start
    attribution = candidate.attribution
    sure = confidence(candidate) if confidence is not None and attribution.speaker else None
    return Statement(
        kind=kind,
        content=candidate.spans,
        cue=tuple((offset + a, offset + b) for a, b in cue_ranges(candidate.cue)),
        speaker=attribution.speaker,
        speaker_index=attribution.speaker_index,
        speaker_start=attribution.speaker_start,
        speaker_end=attribution.speaker_end,
        speaker_description=attribution.speaker_description,
        confidence=sure,
    )


def _covering(content: tuple[Span, ...], quotes: Sequence[Quote]) -> tuple[Span, ...]:
    """The content stretched to hold the whole of each quote it stands for (the parse often leaves a
    closing ',”' to the clause above)."""
    spans = list(content)
    for quote in quotes:
        if quote.start < spans[0][0]:
            spans[0] = (quote.start, spans[0][1])
        if quote.end > spans[-1][1]:
            spans[-1] = (spans[-1][0], quote.end)
    return tuple(spans)


def _reports_between(context: ArticleContext, start: int, end: int, cue_start: int) -> bool:
    """Whether a verb between two pieces may report something of its own ("..., she said, adding that ...",
    "writing", "warned:"): then the second piece is not the shared cue's."""
    blocks = context.blocks
    block = max(0, bisect_right([b.start for b in blocks], start) - 1)
    while block < len(blocks) and blocks[block].start < end:
        doc, offset = context.docs[block], blocks[block].start
        between = doc.char_span(
            max(0, start - offset), min(len(doc.text), end - offset), alignment_mode="expand"
        )
        for token in between if between is not None else ():
            if offset + token.idx != cue_start and token.pos in VERB_POS and may_report(token):
                return True
        block += 1
    return False


def _one_cue(context: ArticleContext, quotes: Sequence[Quote]) -> list[list[Quote]]:
    """Runs of consecutive quotes reported by the same cue of the same speaker (“...,” she said, “...”; or a
    quote continued in the next sentence) with no other word between them that may report: one attribution,
    as PolNeAR annotates a cue with all it reports."""
    runs: list[list[Quote]] = []
    for quote in quotes:
        if runs:
            last = runs[-1][-1]
            same_cue = quote.cue_start is not None and (quote.cue_start, quote.cue_end) == (
                last.cue_start,
                last.cue_end,
            )
            same_source = (quote.speaker, quote.speaker_start) == (last.speaker, last.speaker_start)
            if (
                same_cue
                and same_source
                and quote.cue_start is not None
                and not _reports_between(context, last.end, quote.start, quote.cue_start)
            ):
                runs[-1].append(quote)
                continue
        runs.append([quote])
    return runs


def _direct_run(run: Sequence[Quote]) -> Statement:
    return replace(_direct(run[0]), content=tuple((q.start, q.end) for q in run))


def assemble(
    context: ArticleContext,
    quotes: Sequence[Quote],
    chosen: Sequence[Candidate],
    confidence: Confidence | None = None,
) -> tuple[Statement, ...]:
    """Direct statements from the attributed quotes, one per cue (the quotes one cue reports are the pieces
    of one statement); a chosen candidate mostly in quotation marks is its quote's direct statement already;
    one partly quoted is a mixed statement standing for the quotes it holds; the rest are reported. Those
    two carry `confidence` of their candidate when it is given and they name a speaker."""
    spoken = [q for q in quotes if q.kind == "speech" and q.speaker]
    absorbed: set[int] = set()
    statements: list[Statement] = []
    for candidate in chosen:
        if candidate.quoted_share >= DIRECT_SHARE:
            continue
        if candidate.quoted_share > 0:
            inside = [
                i
                for i, q in enumerate(spoken)
                if _overlap(candidate.spans, ((q.start, q.end),)) * 2 >= q.end - q.start
            ]
            absorbed.update(inside)
            mixed = _statement(context, candidate, "mixed", confidence)
            statements.append(replace(mixed, content=_covering(mixed.content, [spoken[i] for i in inside])))
        else:
            statements.append(_statement(context, candidate, "reported", confidence))
    left = [q for i, q in enumerate(spoken) if i not in absorbed]
    statements.extend(_direct_run(run) for run in _one_cue(context, left))
    statements.sort(key=lambda s: (s.start, s.end))
    return tuple(_quotes_joined(context, statements))


def _quotes_joined(context: ArticleContext, statements: Sequence[Statement]) -> list[Statement]:
    """A paraphrase followed by quotes its own cue reports ("She said the plan would fail. “It is a
    disaster.”") is one partly quoted statement: one cue, one attribution."""
    joined: list[Statement] = []
    for statement in statements:
        if joined and statement.kind == "direct" and joined[-1].kind != "direct":
            before = joined[-1]
            same_cue = bool(statement.cue) and bool(before.cue) and statement.cue[0][0] == before.cue[0][0]
            same_source = (statement.speaker, statement.speaker_start) == (
                before.speaker,
                before.speaker_start,
            )
            if (
                same_cue
                and same_source
                and statement.start >= before.end
                and not _reports_between(context, before.end, statement.start, statement.cue[0][0])
            ):
                joined[-1] = replace(before, kind="mixed", content=before.content + statement.content)
                continue
        joined.append(statement)
    return joined


def find_statements(context: ArticleContext, quotes: Sequence[Quote]) -> tuple[Statement, ...]:
    """Every attribution of the article: its quotes and what its cues report, the reported and mixed ones
    with the scorer's calibrated confidence in them (none by the rules, without weights)."""
    scorer = load_scorer()
    found = candidates(context)
    threshold = scorer.threshold if scorer is not None else 0.5
    scores = scored(context, found, scorer)
    calibration = load_statement_calibration() if scorer is not None else None
    confidence = _calibrated(context, found, scores, calibration) if calibration is not None else None
    return assemble(context, quotes, kept(context, found, scores, threshold), confidence)


def _calibrated(
    context: ArticleContext,
    found: Sequence[Candidate],
    scores: Sequence[float],
    calibration: StatementCalibration,
) -> Confidence:
    """Each candidate's confidence: the curve for its kind of source applied to its score."""
    score_of = {id(candidate): score for candidate, score in zip(found, scores)}

    def confidence(candidate: Candidate) -> float:
        source = context.text[candidate.attribution.speaker_start : candidate.attribution.speaker_end]
        return round(calibration.apply(score_of[id(candidate)], source), 3)

    return confidence
