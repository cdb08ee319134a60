"""`bench/library.py` builds its library in bulk (`articles_store_many`): the rows must be those the import
service writes one article at a time, or the bench would time pages over a library no reader could have."""

import importlib
import sys

import pytest
from django.contrib.auth import get_user_model

from articles import search
from articles.interchange.article_files import ArticleDuplicate, ArticleRejected
from articles.models import Actor, Article, Block, Entity, Filters, LibraryEntry, Mention, Quote, QuoteTally
from articles.services.bulk_store import AnalysedArticle, articles_store_many
from tests.conftest import ROOT
from tests.helpers import nothing_written, story

pytestmark = pytest.mark.django_db

COPIES = 20
SEARCHES = ["Trump", "sanctions", "Ruiz", '"the dam"', "inspection"]


@pytest.fixture(scope="module")
def library_bench():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        yield importlib.import_module("library")
    finally:
        sys.path.remove(str(ROOT / "bench"))


@pytest.fixture
def sources(library_bench, tmp_path):
    """The seed article and two short ones, prepared and analysed by the real model, as the bench does."""
    (tmp_path / "seed.txt").write_text(next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8"))
    (tmp_path / "dam.txt").write_text(
        story(
            "Dam inspection finds cracks",
            "“The dam is safe for now,” said Ana Ruiz, the chief engineer, after the inspection on Monday.",
            "Ruiz said the cracks would be repaired before the spring floods, and the council agreed.",
            "Mayor Tom Lee told reporters that the town had “no reason to panic” about the dam.",
        )
    )
    (tmp_path / "port.txt").write_text(
        story(
            "Harbour reopens after storm",
            "Ships returned to the harbour on Tuesday, the port authority said.",
            "“We lost three days of trade,” said Maria Costa, who runs the fish market.",
        )
    )
    return library_bench.analysed_sources(sorted(tmp_path.glob("*.txt")))


def _library_rows() -> dict[str, list[tuple]]:
    """Every row of the library, ids replaced by what they name (titles, user names, actor keys), sorted."""
    reader = {u.pk: u.username for u in get_user_model().objects.all()}
    library = {QuoteTally.EVERY_ARTICLE: "every article", QuoteTally.PUBLIC: "public", **reader}
    article_fields = [
        "title",
        "source",
        "dateline",
        "standfirst",
        "text",
        "content_hash",
        "published",
        "url",
        "byline",
        "dated",
        "analysis_state",
        "public",
        "revision",
    ]
    rows = {
        "articles": [
            (*values[:-1], reader.get(values[-1]))
            for values in Article.objects.values_list(*article_fields, "added_by_id")
        ],
        "library entries": [
            (title, reader[r], via)
            for title, r, via in LibraryEntry.objects.values_list("article__title", "reader_id", "via")
        ],
        "blocks": list(
            Block.objects.values_list("article__title", "position", "kind", "start", "end", "sentences")
        ),
        "actors": list(Actor.objects.values_list("name", "label", "key")),
        "entities": list(
            Entity.objects.values_list(
                "article__title",
                "name",
                "label",
                "description",
                "actor__key",
                "actor__label",
                "mention_count",
            )
        ),
        "mentions": list(
            Mention.objects.values_list("article__title", "entity__name", "start", "end", "text")
        ),
        "quotes": list(
            Quote.objects.values_list(
                "article__title",
                "start",
                "end",
                "text",
                "kind",
                "speaker__name",
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
        ),
        "tallies": [
            (library[lib], *rest)
            for lib, *rest in QuoteTally.objects.values_list(
                "library", "actor__key", "actor__label", "source", "month", "quotes", "reported", "said"
            )
        ],
        "search": [
            (query, title)
            for query in SEARCHES
            for title in Article.objects.filter(
                pk__in=search.SearchResults(query, Filters(), everything=True).ranked_ids()
            ).values_list("title", flat=True)
        ],
    }
    return {name: sorted(values, key=repr) for name, values in rows.items()}


def _emptied() -> None:
    Article.objects.all().delete()
    Actor.objects.all().delete()
    QuoteTally.objects.all().delete()
    search.index_clear()  # the rows went behind the services' back


def test_the_bulk_build_stores_the_rows_the_service_stores(library_bench, sources):
    prepared, analyses = sources
    users = [get_user_model().objects.create_user(name) for name in library_bench.reader_names(5)]
    library_bench.store_copies(prepared, analyses, COPIES, users, 5, through_service=True)
    by_service = _library_rows()
    _emptied()
    library_bench.store_copies(prepared, analyses, COPIES, users, 5)
    in_bulk = _library_rows()

    assert len(by_service["articles"]) == COPIES
    # The library reads through every rule: public and private articles, some in two readers' libraries, and
    # speakers counted in each library's tallies.
    assert {row[11] for row in by_service["articles"]} == {True, False}
    assert len(by_service["library entries"]) > COPIES * 4 // 5
    assert {row[0] for row in by_service["tallies"]} >= {"every article", "public", "reader02", "reader03"}
    assert {query for query, _ in by_service["search"]} == set(SEARCHES)
    for table in by_service:
        assert in_bulk[table] == by_service[table], table


def test_a_batch_holding_a_stored_article_writes_nothing(library_bench, sources):
    prepared, analyses = sources
    reader = get_user_model().objects.create_user("reader01")
    batch = [AnalysedArticle(p, a, readers=[reader]) for p, a in zip(prepared, analyses)]
    articles_store_many(articles=batch[:1])
    with pytest.raises(ArticleDuplicate):
        articles_store_many(articles=batch[1:] + batch[:1])
    assert (
        Article.objects.count() == 1
        and Entity.objects.exclude(article__in=Article.objects.all()).count() == 0
    )
    assert Quote.objects.count() == Quote.objects.filter(article=Article.objects.get()).count()
    Article.objects.all().delete()
    Actor.objects.all().delete()
    QuoteTally.objects.all().delete()
    search.index_clear()
    with pytest.raises(ArticleRejected, match="twice"):
        articles_store_many(articles=batch + batch[:1])
    assert nothing_written()
