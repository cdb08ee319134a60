"""The reader's own state of an article, for the article page (the page cache keys on it: views/pages.py)."""

from django import template

from ..models import Collection, ReadingState
from ..models.articles import library_shared
from ..services import reader_library

register = template.Library()


@register.simple_tag(takes_context=True)
def reading_state_for(context, article):
    request = context.get("request")
    return ReadingState.objects.of(getattr(request, "user", None), article.pk) if request else None


@register.simple_tag(takes_context=True)
def collections_for(context, article):
    request = context.get("request")
    collections = Collection.objects.holding(getattr(request, "user", None), article.pk) if request else ()
    return {
        "held": [c for c in collections if c.holds],
        "others": [c for c in collections if not c.holds],
    }


@register.filter
def may_delete(article, user) -> bool:
    return article.may_remove(user)


@register.filter
def may_share(article, user) -> bool:
    return reader_library.may_share(article, user)


@register.filter
def may_unshare(article, user) -> bool:
    return reader_library.may_unshare(article, user)


@register.simple_tag
def library_is_shared() -> bool:
    """NEWSREADER_LIBRARY=shared: one library for all, nothing to share or keep private."""
    return library_shared()
