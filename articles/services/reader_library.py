"""What is in whose library, and what is public: an article joins a reader's library when they save, upload or
import it or one of their feeds brings it; staff publish articles, and a reader may share one of theirs."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..interchange.article_files import ArticleDuplicate, ArticleRejected
from ..models import Article, LibraryEntry
from ..models.articles import library_shared
from .actors import tally_libraries, tally_move


def library_add(*, reader, article: Article, via: str = LibraryEntry.Via.SAVED) -> LibraryEntry | None:
    """Put `article` in `reader`'s library (once: saving it again keeps the first entry). Nothing for an
    anonymous reader, whose saves have no library to go to."""
    if reader is None or not reader.is_authenticated:
        return None
    with transaction.atomic():
        before = tally_libraries(article.pk)
        entry, created = LibraryEntry.objects.get_or_create(
            reader=reader, article=article, defaults={"via": via}
        )
        if created:
            tally_move(article=article, before=before, after=tally_libraries(article.pk))
    return entry


def library_remove(*, reader, article: Article) -> None:
    """Take `article` out of `reader`'s library (the article stays for the others who keep it)."""
    with transaction.atomic():
        before = tally_libraries(article.pk)
        LibraryEntry.objects.filter(reader=reader, article=article).delete()
        tally_move(article=article, before=before, after=tally_libraries(article.pk))


def in_library(*, reader, article: Article) -> bool:
    return bool(
        reader is not None
        and reader.is_authenticated
        and LibraryEntry.objects.filter(reader=reader, article=article).exists()
    )


def duplicate_save(*, reader, duplicate: ArticleDuplicate, via: str = LibraryEntry.Via.SAVED) -> Article:
    """A reader brought an article the library already stores (the same text or address). In their own
    library already: refused as such. Otherwise it joins their library and they land on it, never learning
    whether anyone else saved it. Without an account there is no library to join: a public article is named
    as already here, and a private one is refused without saying it exists."""
    article = duplicate.existing
    if library_shared():  # one library for all, as before: already in it
        raise ArticleDuplicate(f"This article is already in the library: “{article.title}”.", article)
    if reader is not None and reader.is_authenticated:
        if in_library(reader=reader, article=article):
            raise ArticleDuplicate(f"This article is already in your library: “{article.title}”.", article)
        library_add(reader=reader, article=article, via=via)
        return article
    if article.public:
        raise ArticleDuplicate(f"This article is already in the library: “{article.title}”.", article)
    raise ArticleRejected("Log in to save this article: it will be kept in your own library.")


def may_share(article: Article, user) -> bool:
    """A reader whose library holds the article may share it with everyone; staff may share any."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or in_library(reader=user, article=article)


def may_unshare(article: Article, user) -> bool:
    """Whoever shared it takes it back; staff take back any."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or (article.shared_by_id is not None and article.shared_by_id == user.pk)


def _set_public(article: Article, *, public: bool, shared_by=None) -> None:
    with transaction.atomic():
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if stored.public == public:
            return
        before = tally_libraries(stored.pk)
        Article.objects.filter(pk=stored.pk).update(public=public, shared_by=shared_by if public else None)
        tally_move(article=stored, before=before, after=tally_libraries(stored.pk))
    article.public, article.shared_by = public, shared_by if public else None


def article_share(*, article: Article, by) -> None:
    """ "Share with everyone": the article joins the public library (its text, names and quotes; readers'
    private annotations stay private)."""
    if not may_share(article, by):
        raise PermissionDenied("Only a reader whose library holds this article, or staff, can share it.")
    _set_public(article, public=True, shared_by=None if by.is_staff else by)


def article_unshare(*, article: Article, by) -> None:
    """ "Stop sharing": back to the libraries of the readers who have it (and staff)."""
    if not article.public:
        return
    if not may_unshare(article, by):
        raise PermissionDenied("Only the reader who shared this article, or staff, can stop sharing it.")
    _set_public(article, public=False)


def articles_publish(*, articles: Iterable[Article], public: bool = True) -> int:
    """Staff publish (or take out of the public library) many articles: the admin's actions, the commands."""
    changed = 0
    with transaction.atomic():
        for article in articles:
            if article.public != public:
                _set_public(article, public=public)
                changed += 1
    return changed


def reader_saves_private(*, reader) -> int:
    """Take every article in `reader`'s library that they added themselves out of the public library (after
    an upgrade, where everything stored before became public): an admin action."""
    articles = Article.objects.filter(added_by=reader, public=True, library_entries__reader=reader)
    return articles_publish(articles=list(articles), public=False)
