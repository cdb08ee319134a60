"""What an analysis becomes in the database: its names, mentions and statements stored as rows (counted in
the tallies), and cleared before the next. Called by `articles` when an article is stored or analysed again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..models import Article, Entity, Mention, Quote, fit
from ..nlp.types import Analysis, Statement
from . import actors
from .corrections import corrections_apply


def spans_json(spans: Iterable[tuple[int, int]]) -> list[list[int]]:
    return [[start, end] for start, end in spans]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def statement_rows(article: Article, analysis: Analysis, entities: list[Entity]) -> list[Quote]:
    """One row per quote, as the page marks them, and one per reported or partly quoted statement.

    A direct statement is its quote's row (its content and cue spans added to it); a quote inside a partly
    quoted statement is a `fragment` of it. Rows in text order."""
    text = article.text
    quote_spans = [(q.start, q.end) for q in analysis.quotes]
    by_quote: dict[int, Statement] = {}
    for statement in (s for s in analysis.statements if s.kind == "direct" and s.content):
        overlaps = [(overlap(span, statement.content[0]), i) for i, span in enumerate(quote_spans)]
        most, best = max(overlaps, default=(0, -1))
        if most > 0:
            by_quote.setdefault(best, statement)
    said = [s for s in analysis.statements if s.kind != "direct" and s.content]
    partly = [s for s in said if s.kind == "mixed"]

    def speaker_of(index: int | None) -> Entity | None:
        return entities[index] if index is not None else None

    rows = []
    for i, q in enumerate(analysis.quotes):
        statement = by_quote.get(i)
        cue = statement.cue if statement else ((q.cue_start, q.cue_end),) if q.cue_start is not None else ()
        rows.append(
            Quote(
                article=article,
                start=q.start,
                end=q.end,
                text=q.text,
                kind=q.kind,
                speaker=speaker_of(q.speaker_index),
                speaker_name=fit(Quote, "speaker_name", q.speaker or ""),
                speaker_start=q.speaker_start,
                speaker_end=q.speaker_end,
                cue=fit(Quote, "cue", q.cue or ""),
                speaker_description=fit(Quote, "speaker_description", q.speaker_description or ""),
                form=Quote.Form.QUOTED,
                content=spans_json(statement.content if statement else ((q.start, q.end),)),
                cue_spans=spans_json(cue),
                fragment=any(s.start <= q.start and q.end <= s.end for s in partly),
                confidence=q.confidence,
            )
        )
    for s in said:
        cue_words = " … ".join(text[start:end] for start, end in s.cue)
        rows.append(
            Quote(
                article=article,
                start=s.start,
                end=s.end,
                text=text[s.start : s.end],
                kind=Quote.Kind.SPEECH if s.speaker else Quote.Kind.UNATTRIBUTED,
                speaker=speaker_of(s.speaker_index),
                speaker_name=fit(Quote, "speaker_name", s.speaker or ""),
                speaker_start=s.speaker_start,
                speaker_end=s.speaker_end,
                cue=fit(Quote, "cue", cue_words),
                speaker_description=fit(Quote, "speaker_description", s.speaker_description or ""),
                form=Quote.Form.PARTLY if s.kind == "mixed" else Quote.Form.REPORTED,
                content=spans_json(s.content),
                cue_spans=spans_json(s.cue),
                confidence=s.confidence if s.speaker else None,
            )
        )
    rows.sort(key=lambda row: (row.start, -row.end))
    return rows


def store_analysis(article: Article, analysis: Analysis) -> None:
    """Entity, mention and quote rows; entities linked to the library's actors; quotes counted."""
    mention_counts = Counter(m.entity_index for m in analysis.mentions)
    entities = Entity.objects.bulk_create(
        [
            Entity(
                article=article,
                name=fit(Entity, "name", e.name),
                label=e.label,
                description=fit(Entity, "description", e.description or ""),
                actor=actor,
                mention_count=mention_counts[i],
            )
            for i, (e, actor) in enumerate(
                zip(analysis.entities, actors.actors_for((e.name, e.label) for e in analysis.entities))
            )
        ]
    )
    Mention.objects.bulk_create(
        [
            Mention(
                article=article,
                entity=entities[m.entity_index],
                start=m.start,
                end=m.end,
                text=fit(Mention, "text", m.text),
            )
            for m in analysis.mentions
        ]
    )
    Quote.objects.bulk_create(statement_rows(article, analysis, entities))
    corrections_apply(article=article)  # readers' corrections, found again in this analysis
    actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated)


def clear_analysis(article: Article) -> None:
    actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
    article.quotes.all().delete()
    article.mentions.all().delete()
    article.entities.all().delete()
