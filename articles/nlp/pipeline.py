"""Quotes, speakers and entities of articles: one spaCy pass over their blocks, then cheap rules on it.

The rules live beside this module: entities.py and coref.py (who is named), quotes.py (where quotes are),
speakers/ (who said each quote), statements/ (every attribution, quoted or not) and descriptions.py (how the
article describes them). This module runs spaCy and builds the ArticleContext (context.py) they all read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from .context import Antecedent, ArticleContext, QuoteRanges, in_ranges
from .coref import name_gender
from .descriptions import entity_descriptions
from .entities import RawMention, block_mentions, cluster, unlabelled_person_mentions
from .parse import ANALYSED_KINDS, analysed_blocks  # noqa: F401 (read from here by nlp.jsonl and bench/)
from .quotes import QuoteSpan, find_quotes
from .speakers import quotes_with_speakers
from .statements import find_statements
from .types import Analysis, Block, Entity, Mention

Context = TypeVar("Context")  # whatever a caller sends along with an article through analyze_many_with

# A headline or caption quotes without saying who spoke; only paragraphs are searched for quotes.
QUOTE_BLOCK_KINDS = frozenset({"paragraph"})
# Who a pronoun can stand for: people for "he" and "she", bodies and groups for "they".
ANTECEDENT_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# A pronoun goes first to an antecedent named as a subject, active or passive.
ANTECEDENT_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _quote_ranges(
    blocks: Sequence[Block], paragraph_blocks: Sequence[int], quote_spans: Sequence[QuoteSpan]
) -> list[QuoteRanges]:
    ranges: list[QuoteRanges] = [[] for _ in blocks]
    for span in quote_spans:
        for (a, b), para in zip(span.pieces, span.paragraphs):
            block = paragraph_blocks[para]
            offset = blocks[block].start
            ranges[block].append((a - offset, b - offset))
    for block_ranges in ranges:
        block_ranges.sort()
    return ranges


def article_context(text: str, blocks: Sequence[Block], docs: Sequence[Doc]) -> ArticleContext:
    """What the rules read for one article whose blocks spaCy has parsed."""
    mentions: list[RawMention] = []
    for index, (block, doc) in enumerate(zip(blocks, docs)):
        mentions.extend(block_mentions(doc, block.start, index))
    mentions.extend(unlabelled_person_mentions(docs, [b.start for b in blocks], mentions))
    mentions.sort(key=lambda m: m.start)
    clusters = cluster(mentions, frozenset(i for i, b in enumerate(blocks) if b.kind == "headline"))
    mentions, entities, entity_of = clusters.mentions, clusters.entities, clusters.entity_of
    # a person no honorific tells the gender of may still have a common first name
    genders = [
        gender or (name_gender(name) if label == "PERSON" else "")
        for (name, label), gender in zip(entities, clusters.genders)
    ]
    paragraph_blocks = [i for i, b in enumerate(blocks) if b.kind in QUOTE_BLOCK_KINDS]
    quote_spans = find_quotes(text, [(blocks[i].start, blocks[i].end) for i in paragraph_blocks])
    quote_ranges = _quote_ranges(blocks, paragraph_blocks, quote_spans)
    mentions_by_block: list[list[int]] = [[] for _ in blocks]
    for m_index, mention in enumerate(mentions):
        mentions_by_block[mention.block].append(m_index)
    person_candidates: list[Antecedent] = []
    group_candidates: list[Antecedent] = []
    for m_index, mention in enumerate(mentions):
        if mention.label not in ANTECEDENT_LABELS:
            continue
        if in_ranges(quote_ranges[mention.block], mention.start - blocks[mention.block].start):
            continue
        root = docs[mention.block][mention.root]
        # "The Teamsters union rejected it": a name compounded into the subject stands as the subject, and
        # so does a name in apposition to a common noun subject ("The authority's chief executive, Tobin
        # Marsh, defended it"; a name beside a name is more often a list)
        subject = (
            root.dep_ in ANTECEDENT_SUBJECT_DEPS
            or (root.dep_ == "compound" and root.head.dep_ in ANTECEDENT_SUBJECT_DEPS)
            or (
                root.dep_ == "appos"
                and root.head.dep_ in ANTECEDENT_SUBJECT_DEPS
                and root.head.pos_ == "NOUN"
            )
        )
        candidate = (mention.start, entity_of[m_index], subject)
        (person_candidates if mention.label == "PERSON" else group_candidates).append(candidate)
    return ArticleContext(
        text=text,
        blocks=blocks,
        docs=docs,
        paragraph_blocks=paragraph_blocks,
        quote_spans=quote_spans,
        quote_ranges=quote_ranges,
        mentions=mentions,
        mentions_by_block=mentions_by_block,
        entity_of=entity_of,
        entities=entities,
        genders=genders,
        person_candidates=person_candidates,
        group_candidates=group_candidates,
        body_candidates=[c for c in group_candidates if entities[c[1]][1] == "ORG"],
    )


def analyze_docs(text: str, blocks: Sequence[Block], docs: Sequence[Doc]) -> Analysis:
    """Analyze one article whose blocks spaCy has already parsed, one Doc per block in order."""
    context = article_context(text, blocks, docs)
    quotes = quotes_with_speakers(context)
    descriptions = entity_descriptions(context)
    # A speaker not described where they speak keeps the description the article gave them earlier.
    quotes = [
        replace(q, speaker_description=descriptions[q.speaker_index])
        if q.speaker_description is None and q.speaker_index is not None
        else q
        for q in quotes
    ]
    return Analysis(
        entities=tuple(
            Entity(name, label, descriptions[i]) for i, (name, label) in enumerate(context.entities)
        ),
        mentions=tuple(
            Mention(m.start, m.end, m.text, m.label, context.entity_of[i])
            for i, m in enumerate(context.mentions)
        ),
        quotes=tuple(quotes),
        statements=tuple(
            replace(s, speaker_description=descriptions[s.speaker_index])
            if s.speaker_description is None and s.speaker_index is not None
            else s
            for s in find_statements(context, quotes)
        ),
        sentences=tuple(
            (block.start + sentence.start_char, block.start + sentence.end_char)
            for block, doc in zip(blocks, docs, strict=True)
            for sentence in doc.sents
        ),
    )


def analyze_many(
    inputs: Iterable[tuple[str, Sequence[Block]]], nlp: Language, batch_size: int = 64
) -> Iterator[Analysis]:
    """Analyze many (text, blocks) articles with one `nlp.pipe` stream over all their blocks, yielding one
    Analysis per article in input order."""
    for analysis, _ in analyze_many_with(((article, None) for article in inputs), nlp, batch_size=batch_size):
        yield analysis


def analyze_many_with(
    inputs: Iterable[tuple[tuple[str, Sequence[Block]], Context]], nlp: Language, batch_size: int = 64
) -> Iterator[tuple[Analysis, Context]]:
    """`analyze_many` for ((text, blocks), context) pairs, yielding (analysis, context): the caller's context
    (a row, a file name) travels with its article through the stream, like spaCy's `as_tuples`."""

    def block_texts() -> Iterator[tuple[str, tuple[str, tuple[Block, ...], Context]]]:
        for (text, blocks), context in inputs:
            article = (text, tuple(blocks), context)
            if not article[1]:
                yield "", article  # an empty Doc keeps the place of an article without blocks
            for block in article[1]:
                yield text[block.start : block.end], article

    docs: list[Doc] = []
    for doc, (text, blocks, context) in nlp.pipe(block_texts(), as_tuples=True, batch_size=batch_size):
        if not blocks:
            yield Analysis(), context
            continue
        docs.append(doc)
        if len(docs) == len(blocks):
            yield analyze_docs(text, blocks, docs), context
            docs = []


def analyze(text: str, blocks: Sequence[Block], nlp: Language) -> Analysis:
    """Analyze one article: entities and mentions from all blocks, quotes from paragraph blocks."""
    return next(analyze_many([(text, blocks)], nlp))
