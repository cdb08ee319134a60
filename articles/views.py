from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from . import reading
from .annotation_formats import annotation_spans, text_fragment
from .forms import ArticleForm
from .importers import upload_candidate
from .models import Annotation, Article, Entity, Quote
from .services import ArticleRejected, article_submit


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_counts().annotate(
        annotation_count=Annotation.objects.count_per_article(request.user)
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"articles": page.object_list, "page_obj": page})


@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            found = upload_candidate(upload.name, upload.read()) if upload else None
            # Stored now, analysed by the background worker; the article page shows "analysing…" until then.
            article = article_submit(
                text=found.text if found else form.cleaned_data["text"],
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"] or (found.source if found else ""),
                published=found.published if found else None,
                url=found.url if found else "",
                byline=found.byline if found else "",
            )
        except ArticleRejected as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                return HttpResponseClientRedirect(article.get_absolute_url())
            return redirect(article)
    return render(request, "articles/article_form.html", {"form": form}, status=400 if form.errors else 200)


def article_body_context(request: HttpRequest, article: Article) -> dict:
    """What the article text needs: its blocks with the highlights this reader may see, legend, counts, link."""
    return {
        "blocks": reading.rendered_blocks(article, annotation_spans(article, request.user)),
        "labels": sorted({(e.label, e.label_name) for e in article.entities.all()}, key=lambda pair: pair[1]),
        "annotation_count": Annotation.objects.visible_to(request.user).filter(article=article).count(),
        "article_share_url": request.build_absolute_uri(article.get_absolute_url()),
    }


def _article_page(request: HttpRequest, article: Article, panel: dict | None, status: int = 200) -> HttpResponse:
    template = "articles/article_detail.html"
    context = {"article": article, "panel": panel}
    if request.htmx and panel is not None:
        template += "#panel"
    else:
        context.update(article_body_context(request, article))
    return render(request, template, context, status=status)


@vary_on_headers("HX-Request")
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if request.htmx and request.GET.get("panel") == "close":
        return render(request, "articles/article_detail.html#panel", {"article": article, "panel": None})
    return _article_page(request, article, None)


@vary_on_headers("HX-Request")
def quote_panel(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=quote_pk, article=article)
    blocks = list(article.blocks.all())
    others = (
        Quote.objects.filter(article=article, speaker=quote.speaker).exclude(pk=quote.pk)
        if quote.speaker_id
        else Quote.objects.none()
    )
    panel = {
        "kind": "quote",
        "quote": quote,
        "context": reading.quote_context(article, quote, blocks),
        "others": others,
        "url": request.build_absolute_uri(quote.get_absolute_url())
        + text_fragment(article.text, quote.start, quote.end),
    }
    return _article_page(request, article, panel)


@vary_on_headers("HX-Request")
def entity_panel(request: HttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    entity = get_object_or_404(Entity, pk=entity_pk, article=article)
    blocks = list(article.blocks.all())
    mentions = []
    for mention in entity.mentions.all():
        block = reading.block_at(blocks, mention.start)
        if block is None:
            continue
        left, right = reading.sentence_around(article.text, mention.start, mention.end, block)
        mentions.append(
            {"mention": mention, "sentence": reading.highlighted(article.text, left, right, mention.start, mention.end)}
        )
    panel = {
        "kind": "entity",
        "entity": entity,
        "mentions": mentions,
        "quotes": entity.quotes.all(),
        "url": request.build_absolute_uri(entity.get_absolute_url()),
    }
    return _article_page(request, article, panel)
