"""Analysing articles with spaCy: importing now (commands, seeds, feed polls run by hand) and analysing again
(the task worker, `reanalyze`). The only module that imports the spaCy pipeline and the model loader, so a web
process, `migrate` and the admin never load spaCy: they store an article and queue its analysis
(`services/articles.py`)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected, ImportFailure
from ..models import Article, LibraryEntry
from ..nlp.model import load_model
from ..nlp.parse import analysed_blocks, parse_article
from ..nlp.pipeline import analyze, analyze_many_with
from ..nlp.types import Block as ParsedBlock
from ..nlp.types import ParsedArticle
from .articles import PreparedArticle, _replace_analysis, article_prepare, article_store
from .reader_library import articles_publish, library_add


def article_import(*, incoming: ArticleInput, public: bool = False, reader=None) -> Article:
    """Parse, analyse and store one article now (command line, seeds); raise ArticleRejected on bad input.
    `public`: in the public library (the seeds); `reader`: in their library, as imported."""
    prepared = article_prepare(incoming=incoming)
    analysis = analyze(*prepared.analysis_input, load_model(settings.NEWSREADER_SPACY_MODEL))
    return article_store(
        prepared=prepared, analysis=analysis, public=public, reader=reader, via=LibraryEntry.Via.IMPORTED
    )


def _join_existing(error: ArticleDuplicate, *, public: bool, reader) -> str:
    """An import brought an article already stored: it joins the reader's library, or the public library
    when the import publishes. Says what was done, for the import's report."""
    existing = error.existing
    if not isinstance(existing, Article):
        return str(error)
    done = []
    if reader is not None and library_add(reader=reader, article=existing, via=LibraryEntry.Via.IMPORTED):
        done.append(f"in the library of {reader.get_username()}")
    if public and articles_publish(articles=[existing]):
        done.append("now public")
    return str(error) + (f" ({', '.join(done)})" if done else "")


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one input: imported (with its article), skipped (a duplicate) or failed (why)."""

    origin: str
    status: str
    article: Article | None = None
    reason: str = ""


def articles_import_many(
    *,
    inputs: Iterable[ArticleInput | ImportFailure],
    batch_size: int = 64,
    public: bool = False,
    reader=None,
) -> Iterator[ImportOutcome]:
    """Import many articles through one spaCy stream; each article is stored in its own transaction, in the
    public library (`public`) and/or `reader`'s library; one already stored joins them.

    So an interruption leaves every stored article whole, and running the same import again skips them.
    """
    early: deque[ImportOutcome] = deque()
    seen: set[str] = set()

    def analysis_inputs() -> Iterator[tuple[tuple[str, tuple[ParsedBlock, ...]], PreparedArticle]]:
        for incoming in inputs:
            if isinstance(incoming, ImportFailure):
                early.append(ImportOutcome(incoming.origin, "failed", reason=incoming.reason))
                continue
            try:
                prepared = article_prepare(incoming=incoming)
                if prepared.digest in seen:
                    raise ArticleDuplicate("This article appears twice in this import.")
            except ArticleDuplicate as error:
                reason = _join_existing(error, public=public, reader=reader)
                early.append(ImportOutcome(incoming.origin, "skipped", reason=reason))
                continue
            except ArticleRejected as error:
                early.append(ImportOutcome(incoming.origin, "failed", reason=str(error)))
                continue
            seen.add(prepared.digest)
            yield prepared.analysis_input, prepared

    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    for analysis, prepared in analyze_many_with(analysis_inputs(), nlp, batch_size=batch_size):
        while early:
            yield early.popleft()
        try:
            article = article_store(
                prepared=prepared,
                analysis=analysis,
                public=public,
                reader=reader,
                via=LibraryEntry.Via.IMPORTED,
            )
        except ArticleDuplicate as error:
            reason = _join_existing(error, public=public, reader=reader)
            yield ImportOutcome(prepared.incoming.origin, "skipped", reason=reason)
        except ArticleRejected as error:
            yield ImportOutcome(prepared.incoming.origin, "skipped", reason=str(error))
        else:
            yield ImportOutcome(prepared.incoming.origin, "imported", article=article)
    while early:
        yield early.popleft()


def article_reanalyze(*, article: Article) -> Article:
    """Run the current analysis again over the stored text; rows of the old analysis are replaced.

    The article row, its text and everything readers attached to it (annotations) stay as they are.
    """
    parsed = parse_article(article.text)
    analysis = analyze(article.text, analysed_blocks(parsed), load_model(settings.NEWSREADER_SPACY_MODEL))
    return _replace_analysis(article, parsed, analysis)


def articles_reanalyze_many(*, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Article]:
    """Re-analyse many articles through one spaCy stream, each replaced in its own transaction."""

    def analysis_inputs() -> Iterator[
        tuple[tuple[str, tuple[ParsedBlock, ...]], tuple[Article, ParsedArticle]]
    ]:
        for article in articles:
            parsed = parse_article(article.text)
            yield (article.text, analysed_blocks(parsed)), (article, parsed)

    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    for analysis, (article, parsed) in analyze_many_with(analysis_inputs(), nlp, batch_size=batch_size):
        yield _replace_analysis(article, parsed, analysis)
