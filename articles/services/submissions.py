"""Adding one article as a reader sends it (an address, pasted text, an uploaded file; from the form, the
bookmarklet or a phone's share): one service decides, straight down, and the view renders its answer.

The answer is one of three: stored now; already here (that article); or a changed version of an article here
(the same canonical address, or the same headline and source, with another text), which is offered as an
update and writes nothing; or, for a page that looks like a site's front page, a question first. A bad input raises ArticleRejected with a message for the reader."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected, upload_input
from ..interchange.web_pages import page_input
from ..models import Article
from .articles import article_submit, content_hash, refuse_saved_address
from .library import version_text
from .reader_library import duplicate_save


class Outcome(enum.StrEnum):
    STORED = "stored"
    ALREADY_HERE = "already here"
    CHANGED = "changed version"
    NOT_AN_ARTICLE = "not an article"


@dataclass(frozen=True)
class Submission:
    """What the reader sent. An address wins over text; an upload over pasted text."""

    url: str = ""
    text: str = ""
    title: str = ""
    source: str = ""
    file_name: str = ""
    file_data: bytes = b""
    # "Check for a newer version": fetch an address saved before instead of answering "already here".
    recheck: bool = False
    # "Save anyway": a page that looks like a site's front page is saved all the same.
    anyway: bool = False


@dataclass(frozen=True)
class Submitted:
    """The decision. `article` is the one stored now, the one already here, or the one `incoming` is a
    changed version of (None for a page that is not an article: `message` says why, and nothing is
    written); `new_text` is the text a changed version would be stored with."""

    outcome: Outcome
    article: Article | None
    message: str = ""
    incoming: ArticleInput | None = None
    new_text: str = ""


def _already_here(duplicate: ArticleDuplicate, *, reader) -> Submitted:
    """The one place a duplicate is answered, whichever check found it (a saved address before fetching, the
    same text or canonical address on storing). `reader` is who brought it again: in their own library
    already, it is "already here"; otherwise it joins their library and they land on it, never learning
    whether anyone else saved it (see `reader_library.duplicate_save`)."""
    try:
        article = duplicate_save(reader=reader, duplicate=duplicate)
    except ArticleDuplicate as own:
        return Submitted(Outcome.ALREADY_HERE, own.existing, message=str(own))
    return Submitted(Outcome.STORED, article)


def _incoming(submission: Submission, *, reader) -> ArticleInput:
    """The article the submission describes: fetched from its address, read from the upload, or as pasted."""
    title, source = submission.title.strip(), submission.source.strip()
    url = submission.url.strip()
    if url:
        if reader is None:
            raise ArticleRejected("Log in to save a page by its address (newsreader fetches it for you).")
        if not submission.recheck:
            refuse_saved_address(url)  # known without fetching it again
        found = page_input(url)
        return replace(found, title=title or found.title, source=source or found.source)
    if submission.file_name:
        found = upload_input(submission.file_name, submission.file_data)
        # A .jsonl record names its own headline; the other files carry theirs in the text.
        own_title = found.title if submission.file_name.lower().endswith(".jsonl") else ""
        return replace(
            found, title=title or own_title, source=source or found.source, origin=submission.file_name
        )
    return ArticleInput(text=submission.text, title=title, source=source)


def previous_version(incoming: ArticleInput, viewer=None) -> Article | None:
    """The article `incoming` is a changed version of, among those `viewer` may read: the same canonical
    address, or the same headline and source, with a different text. None when there is none, or when the
    text is the same (a plain duplicate, answered as such). Reads only. Another reader's private article is
    never offered (nor named): the new version is stored apart."""
    text = version_text(incoming)
    if Article.objects.filter(content_hash=content_hash(text)).exists():
        return None
    visible = Article.objects.visible_to(viewer)
    url = incoming.url.strip()
    if url:
        found = visible.filter(url=url).first()
        if found is not None:
            return found
    headline = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if not headline:
        return None
    return visible.filter(title=headline, source=incoming.source.strip()).order_by("-created").first()


def article_add(*, submission: Submission, reader=None) -> Submitted:
    """Add what a reader sent: stored now (its analysis queued for the worker), or the article already here,
    or a changed version of one here (nothing written: the reader is asked). `reader` is None for an
    anonymous submission (open submissions), which may not save by address."""
    try:
        incoming = _incoming(submission, reader=reader)
        if incoming.not_an_article and submission.url.strip() and not submission.anyway:
            # Only pages fetched by address are asked about: a file chosen on purpose is what the reader means.
            message = "This looks like a site's front page, not an article."
            return Submitted(Outcome.NOT_AN_ARTICLE, None, message=message, incoming=incoming)
        previous = previous_version(incoming, viewer=reader)
        if previous is not None:
            return Submitted(Outcome.CHANGED, previous, incoming=incoming, new_text=version_text(incoming))
        # Without an account (open submissions) there is no library to keep it in: it is public.
        article = article_submit(incoming=incoming, added_by=reader, public=reader is None)
    except ArticleDuplicate as duplicate:
        if duplicate.existing is None:
            raise
        return _already_here(duplicate, reader=reader)
    return Submitted(Outcome.STORED, article)
