"""The notebook: every annotation of the reader's across the library, newest first, filtered by tag, colour,
article and visibility, searched by note and passage (through articles/search/), exported and imported."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from .. import search
from ..interchange.notebook import export_notebook_jsonld, export_notebook_markdown
from ..models import Annotation
from ..rendering.notes import render_note, render_note_marked
from ..rendering.snippets import marked_html
from ..services.annotations import AnnotationRejected
from ..services.notebook import NOTEBOOK_IMPORT_MAX_BYTES, notebook_import
from ..throttling import limit
from .pages import HtmxHttpRequest, login_first

NOTEBOOK_PAGE = 50
FILTERS = ("q", "tag", "colour", "article", "visibility")


def _filters(request: HtmxHttpRequest) -> dict[str, str]:
    chosen = {name: request.GET.get(name, "").strip()[:300] for name in FILTERS}
    if chosen["colour"] not in Annotation.Colour.values:
        chosen["colour"] = ""
    if chosen["visibility"] not in Annotation.Visibility.values:
        chosen["visibility"] = ""
    article = chosen["article"]
    if not (article.isascii() and article.isdigit()) or not 0 < int(article) < 2**63:  # not "²", not "٣"
        chosen["article"] = ""
    return chosen


@require_GET
@vary_on_headers("HX-Request")
@login_first()
def notebook(request: HtmxHttpRequest) -> HttpResponse:
    mine = Annotation.objects.notebook_of(request.user)
    chosen = _filters(request)
    annotations = (
        mine.select_related("article", "user")
        .order_by("-created", "-pk")
        .narrowed(
            colour=chosen["colour"],
            visibility=chosen["visibility"],
            article_id=int(chosen["article"]) if chosen["article"] else None,
        )
    )
    if chosen["q"]:
        annotations = search.annotations_matching(annotations, chosen["q"])
    if chosen["tag"]:
        annotations = annotations.with_tag(chosen["tag"])
    page = Paginator(annotations, NOTEBOOK_PAGE).get_page(request.GET.get("page"))
    entries = [
        {
            "annotation": annotation,
            "exact_html": marked_html(search.matches_in(annotation.exact, chosen["q"]))
            if chosen["q"]
            else None,
            # Rendered as the annotation's panel renders it; a search's words marked in what the reader sees.
            "note_html": render_note_marked(
                annotation.note, lambda text: search.matches_in(text, chosen["q"])
            )
            if chosen["q"]
            else render_note(annotation.note),
        }
        for annotation in page.object_list
    ]
    context = {
        "entries": entries,
        "page_obj": page,
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "list_query": urlencode({k: v for k, v in chosen.items() if v}),
        "total": mine.count(),
        "tags": mine.tag_counts(),
        "colours": Annotation.Colour.choices,
        "visibilities": Annotation.Visibility.choices,
        "articles": mine.articles_for(request.user),
        "import_max_bytes": NOTEBOOK_IMPORT_MAX_BYTES,
    }
    template = "articles/notebook/notebook.html"
    if request.htmx and request.headers.get("HX-Target") == "notebook-results":
        template += "#results"
    return render(request, template, context)


@require_GET
@login_first()
def notebook_export(request: HtmxHttpRequest, fmt: str) -> HttpResponse:
    """All of the reader's annotations in one file: Markdown or W3C Web Annotation JSON-LD."""
    annotations = list(
        Annotation.objects.notebook_of(request.user)
        .select_related("article", "user")
        .order_by("-created", "-pk")
    )
    base_url = request.build_absolute_uri("/").rstrip("/")
    name = f"newsreader-notebook-{request.user.get_username()}"
    if fmt == "md":
        body = export_notebook_markdown(request.user, annotations, base_url, timezone.localdate())
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    elif fmt == "jsonld":
        data = export_notebook_jsonld(request.user, annotations, base_url)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.jsonld"'
    else:
        raise Http404("Export as .md or .jsonld.")
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_first()
@limit("import")
def notebook_import_view(request: HtmxHttpRequest) -> HttpResponse:
    error, report = "", None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Choose a notebook file (.md or .jsonld) to import."
        elif upload.size > NOTEBOOK_IMPORT_MAX_BYTES:
            error = f"The file is too large: the limit is {NOTEBOOK_IMPORT_MAX_BYTES:,} bytes."
        else:
            try:
                report = notebook_import(
                    user=request.user, raw=upload.read(), name=upload.name or "", host=request.get_host()
                )
            except AnnotationRejected as refused:
                error = str(refused)
    context = {"error": error, "report": report, "import_max_bytes": NOTEBOOK_IMPORT_MAX_BYTES}
    return render(request, "articles/notebook/import.html", context, status=400 if error else 200)
