"""Adding an article, the article page, its quote and entity panels, and the staff text edit."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace

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
from ..interchange.article_files import ArticleDuplicate, ArticleInput, ArticleRejected, upload_input
from ..interchange.web_annotation import text_fragment
from ..interchange.web_pages import is_web_address, page_input
from ..models import Article, Entity, Quote
from ..rendering.article_text import MENTIONS_LISTED, SAID_LABELS, mention_sentences, quote_context
from ..services.articles import (
    article_edit,
    article_retry_analysis,
    article_submit,
    refuse_saved_address,
)
from ..services.library import previous_version
from ..services.reader_library import article_share, article_unshare, duplicate_save
from ..throttling import limit
from .pages import HtmxHttpRequest, Panel, cached_page, login_first, render_article_page, visible_article
from .versions import offer_update

# Shared text this short, on one line, is a title and its link ("Winter storm closes schools https://…");
# longer text is a passage being shared, kept as it is even when it holds a link.
SHARED_TEXT_WITH_LINK_CHARS = 600


def _shared_fields(query) -> dict:
    """What a bookmarklet or a phone's "Share" sends (?url=, ?title=, ?text=) to prefill the form. When an
    address comes, it is all the form keeps: newsreader fetches the page and reads its headline, as for a
    pasted address (a page's title carries the site's name: "Winter storm … - The Springfield Herald"). A
    shared link often arrives in the text, alone or after the page's title."""
    url = query.get("url", "").strip()
    text = query.get("text", "").strip()
    if not url and len(text) <= SHARED_TEXT_WITH_LINK_CHARS and "\n" not in text:
        url = next((word for word in reversed(text.split()) if is_web_address(word)), "")
    if url:
        return {"url": url}
    return {name: query.get(name, "").strip() for name in ("title", "text") if query.get(name, "").strip()}


def _incoming(request: HtmxHttpRequest, data: dict) -> ArticleInput:
    """The article the form describes: fetched from its address, read from the upload, or as pasted."""
    if data["url"]:
        if not request.user.is_authenticated:
            raise ArticleRejected("Log in to save a page by its address (newsreader fetches it for you).")
        if request.POST.get("refresh") != "1":  # "Check for a newer version" fetches a saved address again
            refuse_saved_address(data["url"])
        found = page_input(data["url"])
        return replace(found, title=data["title"] or found.title, source=data["source"] or found.source)
    upload = data.get("file")
    if upload:
        found = upload_input(upload.name, upload.read())
        # A .jsonl record names its own headline; the other files carry theirs in the text.
        title = data["title"] or (found.title if upload.name.lower().endswith(".jsonl") else "")
        return replace(found, title=title, source=data["source"] or found.source, origin=upload.name)
    return ArticleInput(text=data["text"], title=data["title"], source=data["source"])


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
        form = ArticleForm(initial=_shared_fields(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            # Stored now, analysed by the background worker; the article page shows "analysing…" until then.
            added_by = request.user if request.user.is_authenticated else None
            try:
                incoming = _incoming(request, form.cleaned_data)
                previous = previous_version(incoming, viewer=request.user)
                if previous is not None:
                    return offer_update(
                        request, previous, incoming
                    )  # a changed version: update, not a second copy
                # Without an account (open submissions) there is no library to keep it in: it is public.
                article = article_submit(incoming=incoming, added_by=added_by, public=added_by is None)
            except ArticleDuplicate as duplicate:
                if not isinstance(duplicate.existing, Article):
                    raise
                # Stored already: it joins the reader's library, unless it is there ("already in yours").
                article = duplicate_save(reader=request.user, duplicate=duplicate)
        except ArticleRejected as error:
            form.add_error(None, str(error))
            saved = getattr(error, "existing", None)
        else:
            return redirect(article)
    # The address only: the server fetches the page and extracts its headline (document.title is not it).
    bookmarklet = (
        "javascript:location.href="
        + json.dumps(request.build_absolute_uri(reverse("articles:create")) + "?url=")
        + "+encodeURIComponent(location.href)"
    )
    context = {"form": form, "bookmarklet": bookmarklet, "saved": saved}
    return render(request, "articles/article_form.html", context, status=400 if form.errors else 200)


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def article_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    if request.htmx and request.GET.get("panel") == "close":
        return render(request, "articles/article_detail.html#panel", {"article": article, "panel": None})
    return render_article_page(request, article, None)


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def quote_panel(request: HtmxHttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=quote_pk, article=article)
    panel = Panel(
        "quote",
        "Quote" if quote.is_quoted else SAID_LABELS[quote.form],
        share_url=request.build_absolute_uri(quote.get_absolute_url())
        + text_fragment(article.text, quote.start, quote.end),
        quote=quote,
        context=quote_context(article, quote, list(article.blocks.all())),
        others=Quote.objects.also_said(quote),
    )
    return render_article_page(request, article, panel)


@require_GET
@vary_on_headers("HX-Request")
@cached_page
def entity_panel(request: HtmxHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    entity = get_object_or_404(Entity, pk=entity_pk, article=article)
    panel = Panel(
        "entity",
        entity.label_name,
        share_url=request.build_absolute_uri(entity.get_absolute_url()),
        entity=entity,
        mentions=mention_sentences(
            article, list(entity.mentions.all()[:MENTIONS_LISTED]), list(article.blocks.all())
        ),
        mentions_more=max(0, entity.mention_count - MENTIONS_LISTED),
        quotes=entity.quotes.filter(fragment=False),
    )
    return render_article_page(request, article, panel)


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
            "action": reverse("articles:create"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return HttpResponse(json.dumps(manifest, indent=2), content_type="application/manifest+json")
