"""Many analysed articles stored at once: the rows `articles.article_store` writes for each (the article, its
library entries, blocks, entities linked to actors, mentions, quotes and statements, the tallies and the search
index), written in bulk in one transaction. For a large import of articles analysed already (the library
benchmark builds 100,000 this way), where storing them one by one spends its time on round trips."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from django.db import IntegrityError, connection, models, transaction

from .. import search
from ..interchange.article_files import ArticleDuplicate, ArticleRejected
from ..models import Article, Block, Entity, LibraryEntry, Mention, Quote, fit
from ..nlp.types import Analysis
from . import actors
from .analysis_rows import statement_rows
from .articles import PreparedArticle, article_row, block_rows


@dataclass(frozen=True)
class AnalysedArticle:
    """One article to store: public, and/or in the libraries of `readers` (an entry each, `via`)."""

    prepared: PreparedArticle
    analysis: Analysis
    public: bool = False
    readers: Sequence = field(default_factory=tuple)
    added_by: object = None
    via: str = LibraryEntry.Via.SAVED


def articles_store_many(*, articles: Sequence[AnalysedArticle]) -> list[Article]:
    """Store every one of `articles` with its analysis, or, if one is in the library already (or twice in the
    list), none: ArticleDuplicate names it. No readers' corrections to apply (an article just made has none)
    and no photos (refused: they are planned per article by `article_store`)."""
    if any(item.prepared.incoming.images for item in articles):
        raise ValueError(
            "articles_store_many stores no photos: store an article with photos by article_store"
        )
    digests = Counter(item.prepared.digest for item in articles)
    existing = Article.objects.filter(content_hash__in=list(digests)).first()
    if existing is not None:
        raise ArticleDuplicate(f"This article is already in the library: “{existing.title}”.", existing)
    twice = next((item for item in articles if digests[item.prepared.digest] > 1), None)
    if twice is not None:
        raise ArticleRejected(f"The same article is given twice: “{twice.prepared.parsed.title}”.")
    try:
        with transaction.atomic():
            return _store(articles)
    except IntegrityError:
        # Another writer stored one of them between the check and this write.
        existing = Article.objects.filter(content_hash__in=list(digests)).first()
        if existing is not None:
            raise ArticleDuplicate(
                f"This article is already in the library: “{existing.title}”.", existing
            ) from None
        raise


def _insert(model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Plain INSERTs of many rows (values in the order of `names`): the ORM's bulk_create makes each row a model
    instance and compiles every value, which is most of the time here. The database's own types take the
    values as they are, but for JSON, prepared as the field would prepare it."""
    fields = [model._meta.get_field(name) for name in names]
    json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if json:

        def prepared(row: tuple) -> tuple:
            values = list(row)
            for i in json:
                values[i] = fields[i].get_db_prep_save(values[i], connection)
            return tuple(values)

        rows = map(prepared, rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


BLOCK_FIELDS = ("article_id", "position", "kind", "start", "end", "sentences")
ENTITY_FIELDS = ("article_id", "name", "label", "description", "actor_id", "mention_count")
MENTION_FIELDS = ("article_id", "entity_id", "start", "end", "text")
QUOTE_FIELDS = (
    "article_id",
    "start",
    "end",
    "text",
    "kind",
    "speaker_id",
    "speaker_name",
    "speaker_start",
    "speaker_end",
    "cue",
    "speaker_description",
    "form",
    "content",
    "cue_spans",
    "fragment",
    "confidence",
)


def _store(items: Sequence[AnalysedArticle]) -> list[Article]:
    stored = Article.objects.bulk_create(
        [
            article_row(prepared=i.prepared, analysis=i.analysis, added_by=i.added_by, public=i.public)
            for i in items
        ]
    )
    readers = [[r for r in i.readers if r is not None and r.is_authenticated] for i in items]
    LibraryEntry.objects.bulk_create(
        [
            LibraryEntry(reader=reader, article=article, via=item.via)
            for article, item, theirs in zip(stored, items, readers)
            for reader in theirs
        ]
    )
    _insert(
        Block,
        BLOCK_FIELDS,
        (
            (article.pk, i, b.kind, b.start, b.end, b.sentences)
            for article, item in zip(stored, items)
            for i, b in enumerate(block_rows(article, item.prepared.parsed, item.analysis.sentences))
        ),
    )
    # Every name of the batch linked to its actor in one pass (as analysis_rows.store_analysis does per article).
    names = [(e.name, e.label) for item in items for e in item.analysis.entities]
    linked = iter(actors.actors_for(names))
    entity_rows = []
    for article, item in zip(stored, items):
        mention_counts = Counter(m.entity_index for m in item.analysis.mentions)
        entity_rows.append(
            [
                Entity(
                    article=article,
                    name=fit(Entity, "name", e.name),
                    label=e.label,
                    description=fit(Entity, "description", e.description or ""),
                    actor=next(linked),
                    mention_count=mention_counts[n],
                )
                for n, e in enumerate(item.analysis.entities)
            ]
        )
    _insert(Entity, ENTITY_FIELDS, (attrgetter(*ENTITY_FIELDS)(e) for rows in entity_rows for e in rows))
    # Their ids, in the order they were inserted: nobody else writes names of articles this transaction made.
    ids: dict[int, list[int]] = defaultdict(list)
    for article_id, pk in (
        Entity.objects.filter(article__in=stored).order_by("id").values_list("article_id", "id").iterator()
    ):
        ids[article_id].append(pk)
    for article, entities in zip(stored, entity_rows):
        for entity, pk in zip(entities, ids[article.pk], strict=True):
            entity.pk = pk
    _insert(
        Mention,
        MENTION_FIELDS,
        (
            (article.pk, entities[m.entity_index].pk, m.start, m.end, fit(Mention, "text", m.text))
            for article, item, entities in zip(stored, items, entity_rows)
            for m in item.analysis.mentions
        ),
    )
    quotes = [
        statement_rows(article, item.analysis, entities)
        for article, item, entities in zip(stored, items, entity_rows)
    ]
    _insert(Quote, QUOTE_FIELDS, (attrgetter(*QUOTE_FIELDS)(q) for rows in quotes for q in rows))
    counted = []
    for article, item, rows, theirs in zip(stored, items, quotes, readers):
        # The tally rows `actors.tally_add` counts for an article: its speeches whose speaker has an actor.
        said = [
            (q.speaker.actor_id, q.form, q.fragment)
            for q in rows
            if q.kind == Quote.Kind.SPEECH and q.speaker is not None and q.speaker.actor_id is not None
        ]
        libraries = actors.libraries_showing(public=item.public, readers=[r.pk for r in theirs])
        counted.append((actors.statement_counts(said, article.source, article.dated), libraries))
    actors.tally_add_many(counted=counted)
    for article in stored:
        search.index_article(article)
    return stored
