"""A reader's notebook imported back: a Markdown or JSON-LD notebook file, each article's annotations
brought in through the article import (checked, anchored, duplicates skipped), all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import anchoring
from ..interchange.article_files import text_from_bytes
from ..interchange.notebook import (
    NotebookGroup,
    article_pk_from,
    parse_notebook_jsonld,
    parse_notebook_markdown,
)
from ..interchange.web_annotation import ImportRejected
from ..models import Article
from .annotation_imports import annotations_import
from .annotations import AnnotationRejected

NOTEBOOK_IMPORT_MAX_BYTES = 5_000_000
NOTEBOOK_IMPORT_MAX_ARTICLES = 200


@dataclass
class NotebookImportReport:
    created: int = 0
    orphaned: int = 0
    duplicates: int = 0
    articles: int = 0
    # Titles (or addresses) of articles the file names that are not in this library: their notes are left out.
    missing: list[str] = field(default_factory=list)
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)  # article, number, passage, why


def _article_for(group: NotebookGroup, host: str, user) -> Article | None:
    """The article a group of notes names, among those `user` may read (any other is "not in this
    library", as if there were none)."""
    articles = Article.objects.visible_to(user)
    pk = article_pk_from(group.ref.site_url, host) if group.ref.site_url else None
    article = articles.filter(pk=pk).first() if pk else None
    if article is None and group.ref.web_url:
        article = articles.filter(url=group.ref.web_url).first()
    return article


def _groups(raw: bytes, name: str) -> list[NotebookGroup]:
    if len(raw) > NOTEBOOK_IMPORT_MAX_BYTES:
        raise AnnotationRejected(f"The file is too large: the limit is {NOTEBOOK_IMPORT_MAX_BYTES:,} bytes.")
    lowered = name.lower()
    try:
        if lowered.endswith((".jsonld", ".json")):
            return parse_notebook_jsonld(raw)
        if lowered.endswith((".md", ".markdown", ".txt")):
            try:
                text = text_from_bytes(raw)
            except ValueError as error:
                raise AnnotationRejected(str(error)) from None
            return parse_notebook_markdown(text)
    except ImportRejected as error:
        raise AnnotationRejected(str(error)) from None
    raise AnnotationRejected(
        f"“{name[:80]}” is not a notebook file: choose a .md (Markdown) or .jsonld (W3C JSON-LD) export."
    )


def notebook_import(*, user, raw: bytes, name: str, host: str) -> NotebookImportReport:
    """Bring a notebook file's annotations into the library as `user`'s private annotations. A file with
    anything invalid, or naming no article of this library, stores nothing; articles not here are listed."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to import annotations into your notebook.")
    groups = _groups(raw, name)
    if len(groups) > NOTEBOOK_IMPORT_MAX_ARTICLES:
        raise AnnotationRejected(
            f"The file has notes on {len(groups)} articles; import at most {NOTEBOOK_IMPORT_MAX_ARTICLES} at once."
        )
    report = NotebookImportReport()
    placed = [(group, _article_for(group, host, user)) for group in groups]
    report.missing = [
        group.ref.title or group.ref.web_url or group.ref.site_url for group, a in placed if a is None
    ]
    if all(article is None for _, article in placed):
        raise AnnotationRejected(
            "None of the articles in the file is in this library, so nothing was imported: add the articles first."
        )
    budget = anchoring.Budget()  # one request's anchoring, however many articles the file names
    with transaction.atomic():
        for group, article in placed:
            if article is None:
                continue
            try:
                result = annotations_import(
                    user=user, article=article, raw=json.dumps(group.items), budget=budget
                )
            except AnnotationRejected as error:
                raise AnnotationRejected(f"“{article.title}”: {error}") from None
            report.articles += 1
            report.created += result.created
            report.orphaned += result.orphaned
            report.duplicates += result.duplicates
            report.problems += [(article.title, *problem) for problem in result.problems]
    return report
