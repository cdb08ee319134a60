"""Correcting the analysis from the quote and entity panels, the article's list of corrections, and undo.

Every write is a POST that works as a plain form (redirect to the panel) and with htmx (the panel, and out of
band the article text with its corrected marks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from ..models import Article, Correction, Entity, Quote
from ..services.corrections import CorrectionRejected, correction_create, correction_undo
from .pages import HtmxHttpRequest, Panel, login_first, render_article_page, render_changed, visible_article
from .panels import entity_panel_of, quote_panel_of

INVALID = 422  # the panel comes back with the form's error (annotate.js lets htmx swap it)


def _history(request: HtmxHttpRequest, corrections) -> list[dict]:
    return [{"correction": c, "may_undo": c.may_undo(request.user)} for c in corrections]


def _done(request: HtmxHttpRequest, article: Article, panel: Panel, url: str) -> HttpResponse:
    if request.htmx:
        return render_changed(request, article, panel, url)
    return redirect(url)


def _article_page(request: HtmxHttpRequest, pk: int, **kwargs) -> str:
    return reverse("articles:detail", args=[pk])


@require_POST
@login_first(_article_page)
def quote_correct(request: HtmxHttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    """ "Wrong speaker?", "Not a quote" and the quoted words adjusted, from a quote's panel."""
    article = visible_article(request, pk)
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=quote_pk, article=article)
    kind = request.POST.get("kind", "")
    if kind not in Correction.QUOTE_KINDS:
        kind = ""
    try:
        correction = correction_create(
            user=request.user, article=article, kind=kind, quote=quote, values=request.POST.dict()
        )
    except CorrectionRejected as error:
        panel = quote_panel_of(request, article, quote, error=str(error))
        return render_article_page(request, article, panel, status=INVALID)
    article.refresh_from_db()
    if correction.kind == Correction.Kind.NOT_QUOTE:
        # The quote is gone: the article's corrections, with this one and its undo, take the panel.
        return _done(request, article, corrections_panel(request, article), correction.get_absolute_url())
    quote = Quote.objects.select_related("speaker").get(pk=quote.pk)
    return _done(request, article, quote_panel_of(request, article, quote), quote.get_absolute_url())


@require_POST
@login_first(_article_page)
def entity_correct(request: HtmxHttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    """ "Wrong type", "Not a name", "Same as …" and "Not the same as …", from a name's panel."""
    article = visible_article(request, pk)
    entity = get_object_or_404(Entity.objects.select_related("actor"), pk=entity_pk, article=article)
    kind = request.POST.get("kind", "")
    if kind not in Correction.ENTITY_KINDS:
        kind = ""
    try:
        correction = correction_create(
            user=request.user, article=article, kind=kind, entity=entity, values=request.POST.dict()
        )
    except CorrectionRejected as error:
        panel = entity_panel_of(request, article, entity, error=str(error))
        return render_article_page(request, article, panel, status=INVALID)
    article.refresh_from_db()
    if correction.kind == Correction.Kind.NOT_NAME:
        return _done(request, article, corrections_panel(request, article), correction.get_absolute_url())
    entity = Entity.objects.select_related("actor").get(pk=entity.pk)
    return _done(request, article, entity_panel_of(request, article, entity), entity.get_absolute_url())


def corrections_panel(request: HtmxHttpRequest, article: Article, message: str = "") -> Panel:
    corrections = article.corrections.select_related("author", "undone_by").order_by("-created", "-pk")
    return Panel(
        "corrections",
        "Corrections",
        share_url=request.build_absolute_uri(reverse("articles:corrections", args=[article.pk])),
        items=_history(request, corrections),
        message=message,
    )


@require_GET
@vary_on_headers("HX-Request")
def article_corrections(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Every correction of the article, newest first: in force, undone, replaced, or waiting to be placed."""
    article = visible_article(request, pk)
    return render_article_page(request, article, corrections_panel(request, article))


@require_POST
@login_first()
def correction_undo_view(request: HtmxHttpRequest, correction_pk: int) -> HttpResponse:
    correction = get_object_or_404(Correction.objects.select_related("article"), pk=correction_pk)
    article = correction.article
    if not correction.may_undo(request.user) and correction.is_active:
        raise PermissionDenied("Only whoever made a correction, or staff, can undo it.")
    message = "The correction was undone: the analysis's answer is back."
    try:
        correction_undo(correction=correction, user=request.user)
    except CorrectionRejected as error:
        message = str(error)
    article.refresh_from_db()
    url = reverse("articles:corrections", args=[article.pk])
    if request.htmx:
        return render_changed(request, article, corrections_panel(request, article, message), url)
    return redirect(url)
