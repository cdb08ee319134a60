"""The home page: a reader's own library (or the public one), as they keep it (their views of it, counts,
sorts, pages); the public library for anonymous readers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..models import LIBRARIES, SORTS, STATES, Annotation, Article, Collection, ReadingState, libraries_for
from .pages import PER_PAGE, HtmxHttpRequest


def library_context(request: HttpRequest, params=None) -> dict:
    """The home page's list; `params` (the query string by default) names the view, sort and page."""
    params = request.GET if params is None else params
    user = request.user
    state = params.get("state", "all")
    state = state if state in STATES and user.is_authenticated else "all"
    sort = params.get("sort", "added")
    sort = sort if sort in SORTS else "added"
    libraries = libraries_for(user)
    library = params.get("library", "")
    library = library if library in libraries else libraries[0]
    articles = Article.objects.reader_library(user, state, sort, library).annotate(
        annotation_count=Annotation.objects.count_per_article(user)
    )
    page = Paginator(articles, PER_PAGE).get_page(params.get("page"))
    query = {
        name: value
        for name, value in (("state", state), ("sort", sort), ("library", library))
        if value not in ("all", "added", libraries[0])
    }
    context = {
        "articles": page.object_list,
        "page_obj": page,
        "state": state,
        "sort": sort,
        "states": STATES,
        "sorts": SORTS,
        "list_query": urlencode(query),
        "library": library,
        "library_prefix": f"library={library}&" if library != libraries[0] else "",
        # The switch between the reader's own library and the public one (and, for staff, every article).
        "libraries": [
            (key, LIBRARIES[key], urlencode({"library": key}) if key != libraries[0] else "")
            for key in libraries
        ]
        if len(libraries) > 1
        else [],
        "collections": list(Collection.objects.filter(user=user)) if user.is_authenticated else [],
    }
    if user.is_authenticated:
        counts = ReadingState.objects.counts(user, library)
        context["library_views"] = [(key, label, counts[key]) for key, label in STATES.items()]
    return context


@require_GET
@vary_on_headers("HX-Request", "Cookie")
def library_home(request: HtmxHttpRequest) -> HttpResponse:
    """The home page: the shared library, with a reader's own state, views and counts when logged in."""
    template = "articles/article_list.html"
    if request.htmx and request.GET.get("fragment") == "library":
        template += "#library"
    return render(request, template, library_context(request))
