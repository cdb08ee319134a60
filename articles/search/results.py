"""Ranked results, paged: the matching articles best first, each with its headline and a snippet as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

from ..models import Article, Block, Filters
from ..models.articles import sees_everything
from .backends import backend
from .blocks import blocks_apart
from .marked import Marked
from .query import Terms, query_terms


@dataclass(frozen=True)
class Hit:
    """A matching article, its headline and a snippet of its text, each with the matches' offsets (empty:
    nothing to show but the article's own headline and standfirst)."""

    article: Article
    title: Marked = field(default_factory=Marked)
    snippet: Marked = field(default_factory=Marked)


@dataclass
class SearchResults:
    """Matching articles best first, sliceable and countable, so Django's Paginator can page through them.

    One ranked pass over the index gives every matching id (a few bytes each, even for thousands of matches);
    the count and each page come from that list, and only the shown page is snippeted and loaded.
    """

    query: str
    filters: Filters = field(default_factory=Filters)
    using: str = DEFAULT_DB_ALIAS  # another database than the site's: `manage.py move_library` compares two
    # Who is searching: only articles they may read are found (None: an anonymous reader, the public
    # library). `everything`: every article, whoever asks (`move_library`'s comparison).
    viewer: Any = None
    everything: bool = False
    _ids: list[int] | None = None

    def visible(self) -> QuerySet | None:
        """The articles the viewer may read (None: every article). Backends check them, and the reader's
        filters, in the order that suits their index."""
        if self.everything or sees_everything(self.viewer):
            return None
        return Article.objects.using(self.using).visible_to(self.viewer)

    @property
    def terms(self) -> Terms:
        return query_terms(self.query)

    @property
    def expression(self) -> str:
        return self.terms.expression

    @property
    def shortened(self) -> bool:
        return self.terms.shortened

    def ranked_ids(self) -> list[int]:
        if self._ids is None:
            terms = self.terms
            self._ids = (
                backend(self.using).ranked_ids(terms, self.filters, self.visible(), self.using)
                if terms.phrases
                else []
            )
        return self._ids

    def count(self) -> int:
        return len(self.ranked_ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not isinstance(window, slice):
            raise TypeError("SearchResults takes slices only")
        ids = self.ranked_ids()[window]
        if not ids:
            return []
        articles = Article.objects.using(self.using).with_counts().in_bulk(ids)
        marks = backend(self.using).marks(self.terms, articles, self.using)
        # A snippet keeps the article's blocks apart (a caption, its credit, the next paragraph).
        blocks: dict[int, list[tuple[str, int, int]]] = {i: [] for i in ids}
        for article_id, *block in (
            Block.objects.using(self.using)
            .filter(article_id__in=ids)
            .values_list("article_id", "kind", "start", "end")
        ):
            blocks[article_id].append(tuple(block))
        return [
            Hit(articles[i], marks[i][0], blocks_apart(marks[i][1], articles[i].text, blocks[i]))
            for i in ids
            if i in articles and i in marks
        ]
