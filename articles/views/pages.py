"""What every article page and panel shares: the typed htmx request, the Panel, and one way to render them.

One URL serves the whole page, or with htmx only its #panel fragment (the django-htmx pattern); a panel body
is a template of its own under articles/panels/, named by the panel's kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from ..models import Annotation, Article, label_name
from ..rendering.article_text import annotation_spans, rendered_blocks

PER_PAGE = 20  # articles, hits or quotes on one page of any list


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class Panel:
    """A side panel: its kind names its body template (articles/panels/<kind>.html); the rest is what that
    template reads as panel.<name>."""

    def __init__(self, kind: str, title: str, *, share_url: str = "", **data: Any):
        self.kind, self.title, self.share_url, self.data = kind, title, share_url, data

    @property
    def template(self) -> str:
        return f"articles/panels/{self.kind}.html"

    def __getitem__(self, name: str) -> Any:
        return self.data[name]  # templates look names up by key first, then fall back to attributes


def article_body_context(request: HtmxHttpRequest, article: Article) -> dict:
    """What the article text needs: its blocks with the highlights this reader may see, legend, counts, link."""
    labels = article.entities.order_by().values_list("label", flat=True).distinct()
    return {
        "blocks": rendered_blocks(article, annotation_spans(article, request.user)),
        "labels": sorted(((label, label_name(label)) for label in labels), key=lambda pair: pair[1]),
        "annotation_count": Annotation.objects.visible_to(request.user).filter(article=article).count(),
        "article_share_url": request.build_absolute_uri(article.get_absolute_url()),
        "may_retry_analysis": article.analysis_failed and article.may_retry_analysis(request.user),
    }


def render_article_page(
    request: HtmxHttpRequest, article: Article, panel: Panel | None, status: int = 200
) -> HttpResponse:
    """The article with `panel` open; with htmx, only the panel."""
    template = "articles/article_detail.html"
    context = {"article": article, "panel": panel}
    if request.htmx and panel is not None:
        template += "#panel"
    else:
        context.update(article_body_context(request, article))
    return render(request, template, context, status=status)


def render_changed(request: HtmxHttpRequest, article: Article, panel: Panel, url: str) -> HttpResponse:
    """After a write, with htmx: the panel, and out of band the article text (its highlights) and count."""
    context = {"article": article, "panel": panel, "oob": True, **article_body_context(request, article)}
    return push_url(render(request, "articles/article_changed.html", context), url)


def login_first(next_url: Callable[..., str] | None = None):
    """Send an anonymous reader to log in and come back (to `next_url(request, **kwargs)`, else the page);
    with htmx, as a client-side redirect so the whole page goes, not just the panel."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HtmxHttpRequest, *args, **kwargs):
            if request.user.is_authenticated:
                return view(request, *args, **kwargs)
            back = next_url(request, **kwargs) if next_url else request.get_full_path()
            if request.htmx:
                return HttpResponseClientRedirect(f"{reverse('login')}?{urlencode({'next': back})}")
            return redirect_to_login(back)

        return wrapper

    return decorator


class CountedIds:
    """Ids to page through whose total is known from a cheaper query than counting them (for Paginator)."""

    def __init__(self, ids, total: int):  # ids: anything sliceable to a list of ids
        self.ids, self.total = ids, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        return list(self.ids[window])
