"""Adding an article, the article page, its quote and entity panels, and the staff text edit."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..forms import ArticleForm
from ..interchange.article_files import ArticleRejected
from ..models import Entity, Quote
from ..services.articles import article_edit, article_retry_analysis
from ..services.reader_library import article_share, article_unshare
from ..services.submissions import Outcome, Submission, article_add
from ..throttling import limit
from .pages import (
    HtmxHttpRequest,
    article_body_context,
    cached_page,
    login_first,
    render_article_page,
    visible_article,
)
from .panels import entity_panel_of, quote_panel_of
from .saving import form_page, not_an_article_page, shared_fields
from .versions import offer_update


def _submission(request: HtmxHttpRequest, data: dict) -> Submission:
    upload = data.get("file")
    return Submission(
        url=data["url"],
        text=data["text"],
        title=data["title"],
        source=data["source"],
        file_name=upload.name if upload else "",
        file_data=upload.read() if upload else b"",
        recheck=request.POST.get("refresh") == "1",  # "Check for a newer version" fetches a saved address
        anyway=request.POST.get("anyway") == "1",  # "Save anyway": a page that looks like a front page
    )


@require_http_methods(["GET", "POST"])
@limit("add")
def article_create(request: HtmxHttpRequest) -> HttpResponse:
    if not (request.user.is_authenticated or settings.NEWSREADER_OPEN_SUBMISSIONS):
        return redirect_to_login(
            request.get_full_path()
        )  # adding needs an account unless submissions are open
    saved = None  # the article already in the library, when the form brought it again
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
    else:
        form = ArticleForm(initial=shared_fields(request.GET))
    if request.method == "POST" and form.is_valid():
        reader = request.user if request.user.is_authenticated else None
        try:
            # Stored now, analysed by the background worker; the article page shows "analysing…" until then.
            submitted = article_add(submission=_submission(request, form.cleaned_data), reader=reader)
        except ArticleRejected as error:
            form.add_error(None, str(error))
        else:
            if submitted.outcome == Outcome.STORED:
                return redirect(submitted.article)
            if submitted.outcome == Outcome.CHANGED:
                return offer_update(request, submitted)  # an update, not a second copy
            if submitted.outcome == Outcome.NOT_AN_ARTICLE:
                data = form.cleaned_data
                kept = [(name, data[name]) for name in ("title", "source") if data[name]]
                if request.POST.get("refresh") == "1":
                    kept.append(("refresh", "1"))
                action = reverse("articles:create")
                return not_an_article_page(request, submitted, action=action, url=data["url"], kept=kept)
            form.add_error(None, submitted.message)
            saved = submitted.article
    return form_page(request, form, saved=saved)


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def article_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    if request.htmx and request.GET.get("panel") == "close":
        return render(request, "articles/article_detail.html#panel", {"article": article, "panel": None})
    if request.htmx and request.GET.get("part") == "body":
        # What the pollers of a pending analysis or annotation job ask for: the article text, not the page.
        context = {"article": article, **article_body_context(request, article)}
        return render(request, "articles/article_detail.html#article_body", context)
    return render_article_page(request, article, None)


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def quote_panel(request: HtmxHttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=quote_pk, article=article)
    return render_article_page(request, article, quote_panel_of(request, article, quote))


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def entity_panel(request: HtmxHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    entity = get_object_or_404(Entity.objects.select_related("actor"), pk=entity_pk, article=article)
    return render_article_page(request, article, entity_panel_of(request, article, entity))


@require_http_methods(["GET", "POST"])
@login_first()
def article_text_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Staff correct an article's text; every annotation is re-anchored (or orphaned) and the analysis queued."""
    article = visible_article(request, pk)
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can edit an article's text.")
    text, error = article.text, ""
    published = article.published.isoformat() if article.published else ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        published = request.POST.get("published", published).strip()
        try:
            day = datetime.date.fromisoformat(published) if published else None
        except ValueError:
            day = datetime.date.min
        if day is not None and day.year < 1000:
            error = (
                "The publication date is not a date: write it as YYYY-MM-DD, or leave it empty if unknown."
            )
        if not error:
            try:
                article_edit(article=article, text=text, published=day, by=request.user)
            except ArticleRejected as rejected:
                error = str(rejected)
        if not error:
            # Many annotations are placed again in the background: its progress, else the annotations.
            job = article.annotation_jobs.active().filter(owner=request.user).first()
            return redirect(job or reverse("articles:annotations", args=[article.pk]))
    context = {"article": article, "text": text, "published": published, "error": error}
    return render(request, "articles/article_text_form.html", context, status=400 if error else 200)


@require_POST
@login_first()
def analysis_retry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Whoever added the article, or staff, queue a failed analysis again."""
    article = visible_article(request, pk)
    if not article.may_retry_analysis(request.user):
        raise PermissionDenied("Only the person who added this article, or staff, can retry its analysis.")
    article_retry_analysis(article=article)
    return redirect(article)


@require_POST
@login_first()
def article_sharing(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Share with everyone" (a reader whose library holds the article, or staff) and "Stop sharing" (whoever
    shared it, or staff)."""
    article = visible_article(request, pk)
    action = request.POST.get("action", "")
    if action == "share":
        article_share(article=article, by=request.user)
        messages.success(request, "Shared: anyone can now read this article, its names and its quotes.")
    elif action == "unshare":
        article_unshare(article=article, by=request.user)
        messages.success(request, "No longer shared: only readers who saved it, and staff, can read it.")
    else:
        return HttpResponse("Choose share or unshare.", status=400, content_type="text/plain; charset=utf-8")
    return redirect(article)


@require_GET
def web_app_manifest(request: HtmxHttpRequest) -> HttpResponse:
    """The web app manifest: installable on a phone, and "Share → newsreader" opens the Add article form."""
    manifest = {
        "name": "newsreader",
        "short_name": "newsreader",
        "description": "Read the news closely: who is quoted, who is named, and your notes.",
        "start_url": reverse("articles:list"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f3a5f",
        "icons": [{"src": static("icons/newsreader.svg"), "sizes": "any", "type": "image/svg+xml"}],
        "share_target": {
            "action": reverse("articles:save_now"),  # a shared page is saved at once (a passage: the form)
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return HttpResponse(json.dumps(manifest, indent=2), content_type="application/manifest+json")
