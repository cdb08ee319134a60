"""Annotation pages and panels. Every URL serves the full page, or with htmx the #panel fragment (plus
out-of-band swaps of the article text and its count after a write); every write is a POST that also works
as a plain form."""

from __future__ import annotations

import json
import secrets

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from ..forms import AnnotationForm, NewAnnotationForm
from ..interchange import web_annotation
from ..models import Annotation, AnnotationJob, Article
from ..rendering.notes import note_as_text, render_note
from ..services import annotations as annotation_services
from ..services.annotation_imports import annotations_import_submit
from ..services.annotations import (
    NOTE_MAX_CHARS,
    PASSAGE_MAX_CHARS,
    TAG_MAX_CHARS,
    TAGS_MAX,
    AnnotationRejected,
    plain_line_breaks,
)
from ..throttling import limit
from .pages import (
    HtmxHttpRequest,
    Panel,
    article_body_context,
    login_first,
    render_article_page,
    render_changed,
    visible_article,
)

ANNOTATIONS_PER_PAGE = 50  # in the list panel: a long list is read a page at a time, never sent whole
INVALID = 422  # annotate.js lets htmx swap this status: the panel shows the form with its error

LIMITS = {
    "passage": PASSAGE_MAX_CHARS,
    "note": NOTE_MAX_CHARS,
    "tags": TAGS_MAX,
    "tag": TAG_MAX_CHARS,
}


def _visible(request: HtmxHttpRequest):
    return Annotation.objects.visible_to(request.user).select_related("user", "article")


def _owned(request: HtmxHttpRequest, annotation_pk: int) -> Annotation:
    """The reader's own annotation: 404 when they may not even see it, 403 when it is someone else's."""
    annotation = get_object_or_404(_visible(request), pk=annotation_pk)
    if annotation.user_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote an annotation can change it.")
    return annotation


def _annotation_page_url(request: HtmxHttpRequest, annotation_pk: int) -> str:
    return reverse("articles:annotation", args=[annotation_pk])


def _share_url(request: HtmxHttpRequest, annotation: Annotation) -> str:
    url = request.build_absolute_uri(annotation.get_absolute_url())
    if annotation.orphaned:
        return url
    return url + web_annotation.text_fragment(annotation.article.text, annotation.start, annotation.end)


def _form_values(submitted, annotation: Annotation | None = None) -> dict:
    """What the note form shows: the submitted values (GET or POST) after an error, else the annotation's."""
    if annotation is not None and not submitted:
        return {
            "note": annotation.note,
            "colour": annotation.colour,
            "tags": ", ".join(annotation.tags),
            "visibility": annotation.visibility,
        }
    return {
        "note": submitted.get("note", ""),
        "colour": submitted.get("colour", Annotation.Colour.YELLOW),
        "tags": submitted.get("tags", ""),
        "visibility": submitted.get("visibility", Annotation.Visibility.PRIVATE),
    }


# Deleted annotations kept in the reader's session for Undo, by a token; the last few only.
UNDO_SESSION_KEY = "annotation_undo"
UNDO_KEPT = 10


def _undo_kept(request: HtmxHttpRequest, article: Article, token: str | None) -> str:
    """`token` when it names an annotation of `article` this reader deleted and may still bring back, else ""."""
    if not token or not request.user.is_authenticated:
        return ""  # the session is not even read: an anonymous list stays the same for everyone
    kept = request.session.get(UNDO_SESSION_KEY, {}).get(token)
    return token if kept and kept.get("article") == article.pk and kept.get("user") == request.user.pk else ""


def list_panel(
    request: HtmxHttpRequest, article: Article, message: str = "", page: str | None = None, undo: str = ""
) -> Panel:
    """The annotations the reader may see, in text order, ANNOTATIONS_PER_PAGE to a page (`page`, from
    ?page=; out of range or not a number: the nearest page); `undo`, the token of an annotation just deleted,
    offers to bring it back."""
    annotations = _visible(request).filter(article=article).in_text_order()
    shown = Paginator(annotations, ANNOTATIONS_PER_PAGE).get_page(page)
    items = [
        {"annotation": a, "note_html": render_note(a.note), "mine": a.user_id == request.user.pk}
        for a in shown.object_list
    ]
    list_url = reverse("articles:annotations", args=[article.pk])
    undo = _undo_kept(request, article, undo)
    return Panel(
        "annotations",
        "Annotations",
        share_url=request.build_absolute_uri(list_url),
        items=items,
        page=shown,
        list_url=list_url,
        message=message or ("Annotation deleted." if undo else ""),
        undo=undo,
    )


def annotation_panel(request: HtmxHttpRequest, annotation: Annotation) -> Panel:
    return Panel(
        "annotation",
        "Annotation",
        share_url=_share_url(request, annotation),
        place="" if annotation.orphaned else f"annotation-{annotation.pk}",
        annotation=annotation,
        note_html=render_note(annotation.note),
        note_text=note_as_text(annotation.note),
        mine=annotation.user_id == request.user.pk,
    )


def _form_panel(
    *,
    title: str,
    action: str,
    passage: dict,
    values: dict,
    error: str = "",
    annotation: Annotation | None = None,
) -> Panel:
    return Panel(
        "annotation_form",
        title,
        action=action,
        annotation=annotation,
        passage=passage,
        values=values,
        error=error,
        colours=Annotation.Colour.choices,
        visibilities=Annotation.Visibility.choices,
        limits=LIMITS,
    )


def _new_form_panel(article: Article, *, passage: dict, values: dict, error: str = "") -> Panel:
    action = reverse("articles:annotations", args=[article.pk])
    return _form_panel(title="New annotation", action=action, passage=passage, values=values, error=error)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def article_annotations(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the article with its annotations listed in the panel. POST: a new highlight or annotation."""
    article = visible_article(request, pk)
    if request.method == "POST":
        return _create(request, pk=pk)
    message = ""
    if "imported" in request.GET:
        message = _import_message(request.GET.get("imported", "0"), request.GET.get("orphaned", "0"))
    panel = list_panel(request, article, message, request.GET.get("page"), undo=request.GET.get("undo", ""))
    return render_article_page(request, article, panel)


def _article_url(request: HtmxHttpRequest, pk: int) -> str:
    return reverse("articles:detail", args=[pk])


@login_first(_article_url)
@limit("annotate", what="annotations and highlights")
def _create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    post = request.POST
    form = NewAnnotationForm(post)
    try:
        if not form.is_valid():
            raise AnnotationRejected(form.error_message())
        fields = form.cleaned_data
        annotation = annotation_services.annotation_create(
            user=request.user,
            article=article,
            start=fields["start"],
            end=fields["end"],
            exact=fields["exact"],
            note=fields["note"],
            colour=fields["colour"],
            tags=fields["tags"],
            visibility=fields["visibility"],
        )
    except AnnotationRejected as error:
        exact = plain_line_breaks(post.get("exact", ""))
        passage = {"start": post.get("start", ""), "end": post.get("end", ""), "exact": exact}
        panel = _new_form_panel(article, passage=passage, values=_form_values(post), error=str(error))
        return render_article_page(request, article, panel, status=INVALID)
    if request.htmx:
        response = render_changed(
            request, article, annotation_panel(request, annotation), annotation.get_absolute_url()
        )
        if form.cleaned_data["quick"]:
            # A quick highlight from the toolbar: only the text changes; the open panel and the address stay.
            response["HX-Push-Url"] = "false"
            response["HX-Reswap"] = "none"
        return response
    return redirect(annotation.get_absolute_url())


@vary_on_headers("HX-Request")
@require_GET
@login_first()
def annotation_new(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The note form for a passage (start and end from the selection), or for a pasted passage without JS."""
    article = visible_article(request, pk)
    passage, error = {"start": "", "end": "", "exact": ""}, ""
    form = NewAnnotationForm(request.GET)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        error = form.error_message()
    if start is not None and end is not None:
        if 0 <= start < end <= len(article.text):
            passage = {"start": start, "end": end, "exact": article.text[start:end]}
        else:
            error = f"The selection ({start}–{end}) is outside the article."
    panel = _new_form_panel(article, passage=passage, values=_form_values(request.GET), error=error)
    return render_article_page(request, article, panel, status=INVALID if error else 200)


@vary_on_headers("HX-Request")
@require_GET
def annotation_detail(request: HtmxHttpRequest, annotation_pk: int) -> HttpResponse:
    annotation = get_object_or_404(_visible(request), pk=annotation_pk)
    return render_article_page(request, annotation.article, annotation_panel(request, annotation))


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@login_first(_annotation_page_url)
def annotation_edit(request: HtmxHttpRequest, annotation_pk: int) -> HttpResponse:
    annotation = _owned(request, annotation_pk)
    article = annotation.article
    error = ""
    if request.method == "POST":
        form = AnnotationForm(request.POST)
        try:
            if not form.is_valid():
                raise AnnotationRejected(form.error_message())
            annotation_services.annotation_update(
                annotation=annotation, user=request.user, **form.cleaned_data
            )
        except AnnotationRejected as rejected:
            error = str(rejected)
            annotation.refresh_from_db()
        else:
            if request.htmx:
                return render_changed(
                    request, article, annotation_panel(request, annotation), annotation.get_absolute_url()
                )
            return redirect(annotation.get_absolute_url())
    panel = _form_panel(
        title="Edit annotation",
        action=reverse("articles:annotation_edit", args=[annotation.pk]),
        annotation=annotation,
        passage={"exact": annotation.exact},
        values=_form_values(request.POST, annotation),
        error=error,
    )
    return render_article_page(request, article, panel, status=INVALID if error else 200)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@login_first(_annotation_page_url)
def annotation_delete(request: HtmxHttpRequest, annotation_pk: int) -> HttpResponse:
    """GET asks to confirm (the form without JavaScript); POST deletes, and the list that follows offers Undo
    (what was deleted is kept in the reader's session)."""
    annotation = _owned(request, annotation_pk)
    article = annotation.article
    list_url = reverse("articles:annotations", args=[article.pk])
    if request.method == "POST":
        kept = annotation_services.annotation_delete(annotation=annotation, user=request.user)
        token = secrets.token_urlsafe(9)
        undoable = list(request.session.get(UNDO_SESSION_KEY, {}).items())[-(UNDO_KEPT - 1) :]
        request.session[UNDO_SESSION_KEY] = {**dict(undoable), token: kept}
        if request.htmx:
            panel = list_panel(request, article, "Annotation deleted.", undo=token)
            return render_changed(request, article, panel, list_url)
        return redirect(f"{list_url}?undo={token}")
    return render_article_page(
        request, article, Panel("annotation_delete", "Delete annotation", annotation=annotation)
    )


@vary_on_headers("HX-Request")
@require_http_methods(["POST"])
@login_first(_article_url)
def annotation_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Bring back an annotation the reader has just deleted, with its passage, note, colour, tags and place."""
    article = visible_article(request, pk)
    token = _undo_kept(request, article, request.POST.get("undo"))
    if not token:
        panel = list_panel(
            request, article, "There is nothing to undo: it was undone already, or too long ago."
        )
        return render_article_page(request, article, panel, status=INVALID)
    undoable = dict(request.session[UNDO_SESSION_KEY])
    try:
        annotation = annotation_services.annotation_restore(user=request.user, kept=undoable[token])
    except AnnotationRejected as rejected:
        return render_article_page(
            request, article, list_panel(request, article, str(rejected)), status=INVALID
        )
    del undoable[token]
    request.session[UNDO_SESSION_KEY] = undoable
    if request.htmx:
        return render_changed(
            request, article, annotation_panel(request, annotation), annotation.get_absolute_url()
        )
    return redirect(annotation)


def _count(value: str) -> int:
    """A count from the address, only ever shown: anything but a plain number of a sensible size is 0
    (isdecimal, not isdigit: int() refuses "²")."""
    return int(value) if value.isdecimal() and len(value) <= 9 else 0


def _import_message(created: str, orphaned: str) -> str:
    created_count, orphan_count = _count(created), _count(orphaned)
    message = f"Imported {created_count} annotation{'s' if created_count != 1 else ''}."
    if orphan_count:
        message += f" {orphan_count} could not be placed in the text and are listed as orphaned."
    return message


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@login_first()
@limit("import")
def annotations_import(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = visible_article(request, pk)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        raw = upload.read() if upload else request.POST.get("json", "").encode("utf-8")
        try:
            if not raw.strip():
                raise AnnotationRejected("Choose a JSON-LD file or paste its contents.")
            report = annotations_import_submit(user=request.user, article=article, raw=raw)
        except AnnotationRejected as rejected:
            error = str(rejected)
        else:
            if isinstance(report, AnnotationJob):  # a large file: placed by the worker, its progress shown
                if request.htmx:
                    return push_url(
                        render_article_page(request, article, job_panel(report, request.user)),
                        report.get_absolute_url(),
                    )
                return redirect(report.get_absolute_url())
            list_url = reverse("articles:annotations", args=[article.pk])
            if request.htmx:
                message = _import_message(str(report.created), str(report.orphaned))
                if report.duplicates:
                    message += f" {report.duplicates} were already here."
                return render_changed(request, article, list_panel(request, article, message), list_url)
            return redirect(f"{list_url}?imported={report.created}&orphaned={report.orphaned}")
    panel = Panel("annotations_import", "Import annotations", error=error)
    return render_article_page(request, article, panel, status=INVALID if error else 200)


def job_panel(job: AnnotationJob, user) -> Panel:
    title = "Importing annotations" if job.kind == AnnotationJob.Kind.IMPORT else "Placing annotations again"
    # A re-anchoring counts every reader's annotations, private ones too: only staff see the numbers.
    counts_shown = job.kind == AnnotationJob.Kind.IMPORT or user.is_staff
    return Panel("annotation_job", title, job=job, counts_shown=counts_shown)


@vary_on_headers("HX-Request")
@require_GET
@login_first()
def annotation_job(request: HtmxHttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """A background import or re-anchoring: its progress (asked for again every second with htmx, or by the
    reload link), then its result. Only its owner sees an import; staff see a re-anchoring too; anyone else
    gets a 404, as if there were no such job."""
    job = get_object_or_404(
        AnnotationJob.objects.visible_to(request.user).select_related("article"), pk=job_pk, article_id=pk
    )
    article = job.article
    if request.htmx and not job.active:
        # The last answer to the progress poll: the result, and out of band the text with the new highlights.
        context = {
            "article": article,
            "panel": job_panel(job, request.user),
            "oob": True,
            **article_body_context(request, article),
        }
        return render(request, "articles/article_changed.html", context)
    return render_article_page(request, article, job_panel(job, request.user))


@require_GET
def annotations_export(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The annotations this reader may see, as Markdown or as W3C Web Annotation JSON-LD."""
    article = visible_article(request, pk)
    annotations = list(_visible(request).filter(article=article).in_text_order())
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "md":
        body = web_annotation.export_markdown(article, annotations, base_url)
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    elif fmt == "jsonld":
        collection = web_annotation.export_web_annotations(article, annotations, base_url)
        response = HttpResponse(
            json.dumps(collection, ensure_ascii=False, indent=2),
            content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}-annotations.{fmt}"'
    response["Vary"] = "Cookie"
    return response
