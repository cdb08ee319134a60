"""Removing articles from the library, for the people allowed to: whoever added an article, or staff."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import Article
from .articles import article_delete


def article_remove(*, article: Article, user) -> None:
    """Delete an article (its analysis, annotations, reading states go with it) if `user` may."""
    articles_remove_many(articles=[article], user=user)


def articles_remove_many(*, articles: Iterable[Article], user) -> int:
    """Delete every one of `articles`, or, if `user` may not delete one of them, none."""
    articles = list(articles)
    refused = [article for article in articles if not article.may_delete(user)]
    if refused:
        raise PermissionDenied(
            f"Only the person who added an article, or staff, can delete it: “{refused[0].title}” is not yours."
        )
    with transaction.atomic():
        for article in articles:
            article_delete(article=article)
    return len(articles)
