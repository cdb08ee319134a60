"""Removing articles from the library, and updating one to a newer version, for the people allowed to:
whoever added an article, or staff."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..interchange.article_files import ArticleInput
from ..models import Article
from .articles import article_delete, article_update_text, normalise_text
from .images import images_replan
from .reader_library import library_remove


def article_remove(*, article: Article, user) -> None:
    """Delete an article (its analysis, annotations, reading states go with it) if `user` may."""
    articles_remove_many(articles=[article], user=user)


def articles_remove_many(*, articles: Iterable[Article], user) -> int:
    """Delete every one of `articles`, or, if `user` may not delete one of them, none. An article another
    reader also keeps in their library, or one the reader did not add, only leaves the reader's library:
    nobody loses what they kept, nor learns who else kept it."""
    articles = list(articles)
    refused = [article for article in articles if not article.may_remove(user)]
    if refused:
        raise PermissionDenied(
            f"Only the person who added an article, or staff, can delete it: “{refused[0].title}” is not yours."
        )
    with transaction.atomic():
        for article in articles:
            if article.kept_for_others(user):
                library_remove(reader=user, article=article)
            else:
                article_delete(article=article)
    return len(articles)


def version_text(incoming: ArticleInput) -> str:
    """The text an incoming article would be stored with (as article_prepare makes it): line endings
    normalised, and a headline typed into the form as its first line."""
    text = normalise_text(incoming.text)
    title = " ".join(incoming.title.split())
    if title and text.lstrip().split("\n", 1)[0].strip() != title:
        text = f"{title}\n\n{text.lstrip()}"
    return text


def article_update_version(
    *, article: Article, incoming: ArticleInput, user, page_photos: bool = False
) -> Article:
    """Replace `article`'s text with a newer version of it (whoever added it, or staff): annotations are
    re-anchored in the new text (kept as orphans where their passage is gone), the analysis runs again. With
    `page_photos` (the version was fetched from its page) the article's photos become the version's own
    (`incoming.images`), as storing it would plan them; a pasted or uploaded version keeps the photos."""
    if not article.may_delete(user):
        raise PermissionDenied("Only the person who added this article, or staff, can update it.")
    with transaction.atomic():
        updated = article_update_text(article=article, text=version_text(incoming), by=user)
        if page_photos:
            images_replan(article=updated, refs=incoming.images)
        byline = " ".join(incoming.byline.split())
        if byline and byline != updated.byline:
            Article.objects.filter(pk=updated.pk).update(
                byline=byline[: Article._meta.get_field("byline").max_length]
            )
    return updated
