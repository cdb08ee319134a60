"""What every article page and panel shares: the typed htmx request, the Panel, and one way to render them.

One URL serves the whole page, or with htmx only its #panel fragment (the django-htmx pattern); a panel body
is a template of its own under articles/panels/, named by the panel's kind.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect, push_url
from django_htmx.middleware import HtmxDetails

from ..context_processors import reader_preferences_of
from ..models import (
    CORRECTOR_PERMISSION,
    Annotation,
    AnnotationJob,
    Article,
    Collection,
    ReadingState,
)
from ..rendering.article_text import RENDERING_VERSION, annotation_span, article_body, rendered_blocks

PER_PAGE = 20  # articles, hits or quotes on one page of any list


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class Panel:
    """A side panel: its kind names its body template (articles/panels/<kind>.html); the rest is what that
    template reads as panel.<name>. `place` is the id in the article text the panel is about: closing the
    panel without JavaScript goes back to the article at that place, not at its top."""

    def __init__(self, kind: str, title: str, *, share_url: str = "", place: str = "", **data: Any):
        self.kind, self.title, self.share_url, self.place, self.data = kind, title, share_url, place, data

    @property
    def template(self) -> str:
        return f"articles/panels/{self.kind}.html"

    def __getitem__(self, name: str) -> Any:
        return self.data[name]  # templates look names up by key first, then fall back to attributes


def visible_article(request: HttpRequest, pk: int, queryset=None) -> Article:
    """The article, if this reader may read it; else 404, the same as for no article (never 403: that would
    tell a guessed id holds someone's private article)."""
    return get_object_or_404((queryset or Article.objects).visible_to(request.user), pk=pk)


def article_body_context(request: HtmxHttpRequest, article: Article) -> dict:
    """What the article text needs: the cached body with the highlights this reader may see laid over it,
    the legend, the count of annotations, the share link."""
    visible = list(Annotation.objects.visible_to(request.user).filter(article=article).select_related("user"))
    blocks, labels = rendered_blocks(article, [annotation_span(a) for a in visible if not a.orphaned])
    body = article_body(article)  # from the cache rendered_blocks has just filled
    said = body.said
    corrections = article.corrections.aggregate(
        total=Count("pk"), unplaced=Count("pk", filter=Q(undone__isnull=True, placed=False))
    )
    return {
        "blocks": blocks,
        "trailing_images": body.trailing_images,
        # Where "Skip to article" lands: the first block after the headline, its tools and the legend.
        "text_start": next((block.start for block in blocks if not block.is_headline), None),
        "labels": labels,
        "said": said,
        "annotation_count": len(visible),
        "correction_count": corrections["total"],
        "corrections_unplaced": corrections["unplaced"],
        "article_share_url": request.build_absolute_uri(article.get_absolute_url()),
        "may_retry_analysis": article.analysis_failed and article.may_retry_analysis(request.user),
        # Background imports and re-anchorings of this article the reader may follow.
        "annotation_jobs": list(
            AnnotationJob.objects.visible_to(request.user).filter(article=article).active()
        )
        if request.user.is_authenticated
        else [],
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


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    """Where a form sends the reader back to (`next`, posted or in the query): a path on this site
    ("/articles/3/"), else `fallback`. Anything else ("abc", another site) is dropped; it is never read as the
    name of a view."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


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


# Changes with every template, so a release never serves a page cached from an older one's templates.
TEMPLATES_VERSION = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")))
).hexdigest()[:12]
PAGE_CACHE_SECONDS = 24 * 3600


def cached_page(view):
    """Article pages and panels, served from the cache and answered 304 to a browser that has the page
    already (ETag). The key names everything the page shows: the analysis (revision), the annotations the
    reader may see (count and latest change), the reader and their CSRF cookie (a cached form must carry a
    token their cookie accepts), the templates and the address, and who may read it (the library mode, the
    public flag, who shared it, the reader's library). An article the reader may not read is never served
    from the cache: the view answers 404. So a re-analysis, a text edit, a new, edited
    or deleted annotation, or another reader never gets a stale page. A pending analysis is never cached
    (its page changes by itself), nor is an article whose annotations are being imported or placed again in
    the background, nor a page with a message to show once."""

    @functools.wraps(view)
    def wrapper(request: HtmxHttpRequest, pk: int, **kwargs):
        state = Article.objects.page_state(request.user, pk) if request.method == "GET" else None
        reader = (request.user.pk, request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""))
        if state is None or state[1] != Article.Analysis.DONE or state[5] or len(get_messages(request)):
            return view(request, pk, **kwargs)  # nor while annotations are placed in the background
        if request.user.is_authenticated and not reader[1]:
            return view(request, pk, **kwargs)  # its response sets the CSRF cookie the page's forms need
        # The reader's settings are on the page too (<html data-...>, the legend's switches), and their
        # reading state of the article (read, favourite, archived, where they left off).
        settings_shown = (
            reader_preferences_of(request),
            ReadingState.objects.cache_key(request.user, pk),
            Collection.objects.holding(
                request.user, pk
            ),  # the collections it is in, and those it could go in
        )
        # Panels offer corrections to staff and correctors (a permission staff may give or take at any time).
        corrector = request.user.is_authenticated and (
            request.user.is_staff or request.user.has_perm(CORRECTOR_PERMISSION)
        )
        parts = (
            request.get_full_path(),
            request.get_host(),
            bool(request.htmx),
            reader,
            settings_shown,
            corrector,
            settings.NEWSREADER_LIBRARY,
            *state,
        )
        etag = hashlib.sha256(repr((*parts, TEMPLATES_VERSION, RENDERING_VERSION)).encode()).hexdigest()[:32]
        if request.headers.get("If-None-Match", "").strip('W/"') == etag:
            response = HttpResponseNotModified()
        else:
            cached = cache.get(f"article-page:{etag}")
            if cached is None:
                response = view(request, pk, **kwargs)
                if response.status_code == 200:
                    cache.set(
                        f"article-page:{etag}",
                        (response.content, response["Content-Type"]),
                        PAGE_CACHE_SECONDS,
                    )
            else:
                response = HttpResponse(cached[0], content_type=cached[1])
        if response.status_code in (200, 304):
            response["ETag"] = f'"{etag}"'
            response["Cache-Control"] = (
                "private, no-cache"  # the browser keeps it, and asks (cheaply) each time
            )
        patch_vary_headers(response, ("HX-Request", "Cookie"))
        return response

    return wrapper


class CountedIds:
    """Ids to page through whose total is known from a cheaper query than counting them (for Paginator)."""

    def __init__(self, ids, total: int):  # ids: anything sliceable to a list of ids
        self.ids, self.total = ids, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        return list(self.ids[window])
