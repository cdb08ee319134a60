"""The reader's own state of an article, for the article page (the page cache keys on it: views/pages.py)."""

from django import template

from ..reading_list import article_collections_of, reading_state_of

register = template.Library()


@register.simple_tag(takes_context=True)
def reading_state_for(context, article):
    request = context.get("request")
    return reading_state_of(getattr(request, "user", None), article.pk) if request else None


@register.simple_tag(takes_context=True)
def collections_for(context, article):
    request = context.get("request")
    collections = article_collections_of(getattr(request, "user", None), article.pk) if request else ()
    return {
        "held": [c for c in collections if c.holds],
        "others": [c for c in collections if not c.holds],
    }


@register.filter
def may_delete(article, user) -> bool:
    return article.may_delete(user)
