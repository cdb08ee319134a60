"""The library list, adding an article, the article page, its quote and entity panels, and the staff text edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from ..forms import ArticleForm
from ..interchange.article_files import ArticleInput, ArticleRejected, upload_input
from ..interchange.web_annotation import text_fragment
from ..models import Annotation, Article, Entity, Quote
from ..rendering.article_text import MENTIONS_LISTED, mention_sentences, quote_context
from ..services.articles import article_submit, article_update_text
from .pages import PER_PAGE, HtmxHttpRequest, Panel, login_first, render_article_page


@require_GET
def article_list(request: HtmxHttpRequest) -> HttpResponse:
    articles = Article.objects.with_counts().annotate(
        annotation_count=Annotation.objects.count_per_article(request.user)
    )
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"articles": page.object_list, "page_obj": page})


@require_http_methods(["GET", "POST"])
def article_create(request: HtmxHttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.get("file")
            if upload:
                found = upload_input(upload.name, upload.read())
                incoming = ArticleInput(
                    text=found.text,
                    title=data["title"],
                    source=data["source"] or found.source,
                    published=found.published,
                    url=found.url,
                    byline=found.byline,
                    origin=upload.name,
                )
            else:
                incoming = ArticleInput(text=data["text"], title=data["title"], source=data["source"])
            # Stored now, analysed by the background worker; the article page shows "analysing…" until then.
            article = article_submit(incoming=incoming)
        except ArticleRejected as error:
            form.add_error(None, str(error))
        else:
            return redirect(article)
    return render(request, "articles/article_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@vary_on_headers("HX-Request")
def article_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if request.htmx and request.GET.get("panel") == "close":
        return render(request, "articles/article_detail.html#panel", {"article": article, "panel": None})
    return render_article_page(request, article, None)


@require_GET
@vary_on_headers("HX-Request")
def quote_panel(request: HtmxHttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=quote_pk, article=article)
    panel = Panel(
        "quote",
        "Quote",
        share_url=request.build_absolute_uri(quote.get_absolute_url())
        + text_fragment(article.text, quote.start, quote.end),
        quote=quote,
        context=quote_context(article, quote, list(article.blocks.all())),
        others=Quote.objects.also_said(quote),
    )
    return render_article_page(request, article, panel)


@require_GET
@vary_on_headers("HX-Request")
def entity_panel(request: HtmxHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
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
        quotes=entity.quotes.all(),
    )
    return render_article_page(request, article, panel)


@require_http_methods(["GET", "POST"])
@login_first()
def article_text_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Staff correct an article's text; every annotation is re-anchored (or orphaned) and the analysis queued."""
    article = get_object_or_404(Article, pk=pk)
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can edit an article's text.")
    text, error = article.text, ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            article_update_text(article=article, text=text)
        except ArticleRejected as rejected:
            error = str(rejected)
        else:
            return redirect(reverse("articles:annotations", args=[article.pk]))
    context = {"article": article, "text": text, "error": error}
    return render(request, "articles/article_text_form.html", context, status=400 if error else 200)
