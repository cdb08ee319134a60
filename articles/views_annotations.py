"""Annotation pages and panels. Every URL serves the full page, or with htmx the #panel fragment (plus
out-of-band swaps of the article text and its count after a write); every write is a POST that also works
as a plain form."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from . import annotation_formats
from .annotations import (
    NOTE_MAX_CHARS,
    PASSAGE_MAX_CHARS,
    TAG_MAX_CHARS,
    TAGS_MAX,
    AnnotationRejected,
    annotation_create,
    annotation_delete,
    annotation_update,
    annotations_import,
)
from .models import Annotation, Article
from .views import _article_page, article_body_context

INVALID = 422  # annotate.js lets htmx swap this status: the panel shows the form with its error

LIMITS = {
    "passage": PASSAGE_MAX_CHARS,
    "note": NOTE_MAX_CHARS,
    "tags": TAGS_MAX,
    "tag": TAG_MAX_CHARS,
}


def _login_first(request: HttpRequest, next_url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
    return redirect_to_login(next_url)


def _visible(request: HttpRequest):
    return Annotation.objects.visible_to(request.user).select_related("user", "article")


def _owned(request: HttpRequest, annotation_pk: int) -> Annotation:
    """The reader's own annotation: 404 when they may not even see it, 403 when it is someone else's."""
    annotation = get_object_or_404(_visible(request), pk=annotation_pk)
    if annotation.user_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote an annotation can change it.")
    return annotation


def _share_url(request: HttpRequest, annotation: Annotation) -> str:
    url = request.build_absolute_uri(annotation.get_absolute_url())
    if annotation.orphaned:
        return url
    return url + annotation_formats.text_fragment(annotation.article.text, annotation.start, annotation.end)


def _form_values(source, annotation: Annotation | None = None) -> dict:
    """What the note form shows: the posted values after an error, else the annotation's."""
    if annotation is not None and not source:
        return {
            "note": annotation.note,
            "colour": annotation.colour,
            "tags": ", ".join(annotation.tags),
            "visibility": annotation.visibility,
        }
    return {
        "note": source.get("note", ""),
        "colour": source.get("colour", "yellow"),
        "tags": source.get("tags", ""),
        "visibility": source.get("visibility", Annotation.PRIVATE),
    }


def _form_context() -> dict:
    return {"colours": Annotation.COLOURS, "visibilities": Annotation.VISIBILITIES, "limits": LIMITS}


def list_panel(request: HttpRequest, article: Article, message: str = "") -> dict:
    annotations = _visible(request).filter(article=article).in_text_order()
    items = [
        {"annotation": a, "note_html": annotation_formats.render_note(a.note), "mine": a.user_id == request.user.pk}
        for a in annotations
    ]
    return {
        "kind": "annotations",
        "title": "Annotations",
        "template": "articles/annotations/_list.html",
        "items": items,
        "message": message,
        "url": request.build_absolute_uri(reverse("articles:annotations", args=[article.pk])),
    }


def annotation_panel(request: HttpRequest, annotation: Annotation) -> dict:
    return {
        "kind": "annotation",
        "title": "Annotation",
        "template": "articles/annotations/_detail.html",
        "annotation": annotation,
        "note_html": annotation_formats.render_note(annotation.note),
        "mine": annotation.user_id == request.user.pk,
        "url": _share_url(request, annotation),
    }


def _form_panel(request: HttpRequest, article: Article, *, passage: dict, values: dict, error: str = "") -> dict:
    return {
        "kind": "annotation-form",
        "title": "New annotation",
        "template": "articles/annotations/_form.html",
        "action": reverse("articles:annotations", args=[article.pk]),
        "passage": passage,
        "values": values,
        "error": error,
        **_form_context(),
    }


def _changed(request: HttpRequest, article: Article, panel: dict, url: str, status: int = 200) -> HttpResponse:
    """After a write, with htmx: the panel, and out of band the article text (its highlights) and count."""
    context = {"article": article, "panel": panel, "oob": True, **article_body_context(request, article)}
    response = render(request, "articles/annotations/changed.html", context, status=status)
    return push_url(response, url)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def article_annotations(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the article with its annotations listed in the panel. POST: a new highlight or annotation."""
    article = get_object_or_404(Article, pk=pk)
    if request.method == "POST":
        return _create(request, article)
    message = ""
    if "imported" in request.GET:
        message = _import_message(request.GET.get("imported", "0"), request.GET.get("orphaned", "0"))
    return _article_page(request, article, list_panel(request, article, message))


def _offset(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise AnnotationRejected("The selection's offsets must be whole numbers.") from None


def _create(request: HttpRequest, article: Article) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request, article.get_absolute_url())
    post = request.POST
    # A plain form sends line breaks as CRLF; article text never holds CR (normalise_text), so this
    # undoes the transport and nothing else: the service still requires text[start:end] == exact.
    exact = post.get("exact", "").replace("\r\n", "\n")
    try:
        start, end = _offset(post.get("start")), _offset(post.get("end"))
        annotation = annotation_create(
            user=request.user,
            article=article,
            start=start,
            end=end,
            exact=exact,
            note=post.get("note", ""),
            colour=post.get("colour", "yellow"),
            tags=post.get("tags", ""),
            visibility=post.get("visibility", Annotation.PRIVATE),
        )
    except AnnotationRejected as error:
        passage = {"start": post.get("start", ""), "end": post.get("end", ""), "exact": exact}
        panel = _form_panel(request, article, passage=passage, values=_form_values(post), error=str(error))
        return _article_page(request, article, panel, status=INVALID)
    if request.htmx:
        return _changed(request, article, annotation_panel(request, annotation), annotation.get_absolute_url())
    return redirect(annotation.get_absolute_url())


@vary_on_headers("HX-Request")
@require_GET
def annotation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The note form for a passage (start and end from the selection), or for a pasted passage without JS."""
    article = get_object_or_404(Article, pk=pk)
    if not request.user.is_authenticated:
        return _login_first(request, request.get_full_path())
    passage, error = {"start": "", "end": "", "exact": ""}, ""
    try:
        start, end = _offset(request.GET.get("start")), _offset(request.GET.get("end"))
    except AnnotationRejected as rejected:
        start = end = None
        error = str(rejected)
    if start is not None and end is not None:
        if 0 <= start < end <= len(article.text):
            passage = {"start": start, "end": end, "exact": article.text[start:end]}
        else:
            error = f"The selection ({start}–{end}) is outside the article."
    values = _form_values(request.GET)
    panel = _form_panel(request, article, passage=passage, values=values, error=error)
    return _article_page(request, article, panel, status=INVALID if error else 200)


@vary_on_headers("HX-Request")
@require_GET
def annotation_detail(request: HttpRequest, annotation_pk: int) -> HttpResponse:
    annotation = get_object_or_404(_visible(request), pk=annotation_pk)
    return _article_page(request, annotation.article, annotation_panel(request, annotation))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, annotation_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_first(request, reverse("articles:annotation", args=[annotation_pk]))
    annotation = _owned(request, annotation_pk)
    article = annotation.article
    error = ""
    if request.method == "POST":
        try:
            annotation_update(
                annotation=annotation,
                user=request.user,
                note=request.POST.get("note", ""),
                colour=request.POST.get("colour", ""),
                tags=request.POST.get("tags", ""),
                visibility=request.POST.get("visibility", ""),
            )
        except AnnotationRejected as rejected:
            error = str(rejected)
            annotation.refresh_from_db()
        else:
            if request.htmx:
                return _changed(request, article, annotation_panel(request, annotation), annotation.get_absolute_url())
            return redirect(annotation.get_absolute_url())
    panel = {
        "kind": "annotation-form",
        "title": "Edit annotation",
        "template": "articles/annotations/_form.html",
        "action": reverse("articles:annotation_edit", args=[annotation.pk]),
        "annotation": annotation,
        "passage": {"exact": annotation.exact},
        "values": _form_values(request.POST, annotation),
        "error": error,
        **_form_context(),
    }
    return _article_page(request, article, panel, status=INVALID if error else 200)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def annotation_remove(request: HttpRequest, annotation_pk: int) -> HttpResponse:
    """GET asks to confirm (the form without JavaScript); POST deletes."""
    if not request.user.is_authenticated:
        return _login_first(request, reverse("articles:annotation", args=[annotation_pk]))
    annotation = _owned(request, annotation_pk)
    article = annotation.article
    list_url = reverse("articles:annotations", args=[article.pk])
    if request.method == "POST":
        annotation_delete(annotation=annotation, user=request.user)
        if request.htmx:
            return _changed(request, article, list_panel(request, article, "Annotation deleted."), list_url)
        return redirect(list_url)
    panel = {
        "kind": "annotation-delete",
        "title": "Delete annotation",
        "template": "articles/annotations/_delete.html",
        "annotation": annotation,
    }
    return _article_page(request, article, panel)


def _import_message(created: str, orphaned: str) -> str:
    created_count = int(created) if created.isdigit() else 0
    orphan_count = int(orphaned) if orphaned.isdigit() else 0
    message = f"Imported {created_count} annotation{'s' if created_count != 1 else ''}."
    if orphan_count:
        message += f" {orphan_count} could not be placed in the text and are listed as orphaned."
    return message


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def annotations_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if not request.user.is_authenticated:
        return _login_first(request, reverse("articles:annotations_import", args=[article.pk]))
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        raw = upload.read() if upload else request.POST.get("json", "").encode("utf-8")
        try:
            if not raw.strip():
                raise AnnotationRejected("Choose a JSON-LD file or paste its contents.")
            report = annotations_import(user=request.user, article=article, raw=raw)
        except AnnotationRejected as rejected:
            error = str(rejected)
        else:
            list_url = reverse("articles:annotations", args=[article.pk])
            if request.htmx:
                message = _import_message(str(report.created), str(report.orphaned))
                if report.duplicates:
                    message += f" {report.duplicates} were already here."
                return _changed(request, article, list_panel(request, article, message), list_url)
            return redirect(f"{list_url}?imported={report.created}&orphaned={report.orphaned}")
    panel = {
        "kind": "annotations-import",
        "title": "Import annotations",
        "template": "articles/annotations/_import.html",
        "error": error,
    }
    return _article_page(request, article, panel, status=INVALID if error else 200)


@require_GET
def annotations_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The annotations this reader may see, as Markdown or as W3C Web Annotation JSON-LD."""
    article = get_object_or_404(Article, pk=pk)
    annotations = list(_visible(request).filter(article=article).in_text_order())
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "md":
        body = annotation_formats.export_markdown(article, annotations, base_url)
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    elif fmt == "jsonld":
        collection = annotation_formats.export_web_annotations(article, annotations, base_url)
        response = HttpResponse(
            json.dumps(collection, ensure_ascii=False, indent=2),
            content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}-annotations.{fmt}"'
    response["Vary"] = "Cookie"
    return response


@require_http_methods(["GET", "POST"])
def article_text_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff correct an article's text; it is analysed again and every annotation re-anchored (or orphaned)."""
    from .services import ArticleRejected, article_update_text

    article = get_object_or_404(Article, pk=pk)
    if not request.user.is_authenticated:
        return _login_first(request, request.get_full_path())
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
