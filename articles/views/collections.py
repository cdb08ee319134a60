"""Collections (a reader's own labels on articles) and the home page's bulk actions on the selected articles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Annotation, Article, Collection
from ..services.collections import (
    CollectionRejected,
    collection_add_articles,
    collection_create,
    collection_delete,
    collection_remove_articles,
    collection_update,
)
from ..services.library import articles_remove_many
from ..services.reading import readings_mark_many
from .home import library_context
from .pages import PER_PAGE, HtmxHttpRequest, login_first, safe_next

BULK_MAX = 200  # articles one bulk action may name


def _owned(request: HtmxHttpRequest, pk: int) -> Collection:
    collection = get_object_or_404(Collection, pk=pk)
    if collection.user_id != request.user.pk:
        raise PermissionDenied("Only the reader who made this collection can change it.")
    return collection


@require_http_methods(["GET", "POST"])
@login_first()
def collection_list(request: HtmxHttpRequest) -> HttpResponse:
    """The reader's collections, and a form to start one."""
    error, name = "", ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            collection = collection_create(
                user=request.user, name=name, public=request.POST.get("public") == "on"
            )
        except CollectionRejected as refused:
            error = str(refused)
        else:
            messages.success(request, f"Made the collection “{collection.name}”.")
            return redirect(collection)
    collections = Collection.objects.filter(user=request.user)
    context = {"collections": collections, "error": error, "name": name}
    return render(request, "articles/collections/list.html", context, status=400 if error else 200)


@require_GET
def collection_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A collection's page: its owner's, or anyone's with the link once it is public (else not found)."""
    collection = get_object_or_404(Collection.objects.select_related("user"), pk=pk)
    owner = request.user.is_authenticated and collection.user_id == request.user.pk
    if not (owner or collection.public):
        raise Http404("No such collection.")
    articles = (
        collection.articles.visible_to(request.user).with_counts().with_reader_state(request.user)
    ).annotate(annotation_count=Annotation.objects.count_per_article(request.user))
    page = Paginator(articles.order_by("-created", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "collection": collection,
        "owner": owner,
        "articles": page.object_list,
        "page_obj": page,
        "share_url": request.build_absolute_uri(collection.get_absolute_url()),
    }
    return render(request, "articles/collections/detail.html", context)


@require_POST
@login_first()
def collection_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Rename, make public or private again, or delete a collection; or take articles out of it."""
    collection = _owned(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            collection_update(collection=collection, user=request.user, name=request.POST.get("name", ""))
            messages.success(request, f"Renamed to “{collection.name}”.")
        elif action in ("public", "private"):
            collection_update(collection=collection, user=request.user, public=action == "public")
            messages.success(
                request,
                "Anyone with the link can now see this collection."
                if action == "public"
                else "Only you can see this collection now.",
            )
        elif action == "remove":
            articles = Article.objects.visible_to(request.user).filter(
                pk__in=_ids(request.POST.getlist("articles"))
            )
            collection_remove_articles(collection=collection, user=request.user, articles=articles)
        elif action == "delete":
            name = collection.name
            collection_delete(collection=collection, user=request.user)
            messages.success(request, f"Deleted the collection “{name}”; its articles stay in the library.")
            return redirect("articles:collections")
        else:
            messages.error(request, "Choose rename, public, private, remove or delete.")
            return redirect(collection)
    except CollectionRejected as refused:
        messages.error(request, str(refused))
    return redirect(collection)


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except ValueError:
            continue
        if 0 < number < 2**63:
            ids.append(number)
    return ids


BULK_ACTIONS = {
    "read": ("Marked read", {"read": True}),
    "unread": ("Marked unread", {"read": False}),
    "archive": ("Archived", {"archived": True}),
    "unarchive": ("Back from the archive", {"archived": False}),
    "favourite": ("Made favourites", {"favourite": True}),
    "unfavourite": ("No longer favourites", {"favourite": False}),
}


def _bulk_apply(request: HtmxHttpRequest, articles: list[Article], action: str) -> str:
    """Do one bulk action; return what was done, in words. Raises CollectionRejected or PermissionDenied."""
    count = len(articles)
    plural = f"{count} article{'s' if count != 1 else ''}"
    if action in BULK_ACTIONS:
        done, flags = BULK_ACTIONS[action]
        readings_mark_many(user=request.user, articles=articles, **flags)
        return f"{done}: {plural}."
    if action == "label":
        new_name = request.POST.get("new_collection", "").strip()
        if new_name:
            collection = collection_create(user=request.user, name=new_name)
        else:
            chosen = _ids([request.POST.get("collection", "")])
            collection = Collection.objects.filter(pk__in=chosen, user=request.user).first()
            if collection is None:
                raise CollectionRejected("Choose one of your collections, or name a new one.")
        collection_add_articles(collection=collection, user=request.user, articles=articles)
        return f"Added {plural} to “{collection.name}”."
    if action == "delete":
        articles_remove_many(articles=articles, user=request.user)
        return f"Deleted {plural}."
    raise CollectionRejected("Choose what to do with the selected articles.")


@require_POST
@login_first(lambda request: "/")
def library_bulk(request: HtmxHttpRequest) -> HttpResponse:
    """Label, mark, archive or delete the articles selected on the home page; with htmx, the list again."""
    ids = _ids(request.POST.getlist("articles"))
    action = request.POST.get("action", "")
    error, done, status = "", "", 200
    if not ids:
        error = "Select one or more articles first."
    elif len(ids) > BULK_MAX:
        error = f"Select at most {BULK_MAX} articles at once."
    else:
        # Ids of articles the reader may not read are left out, as if there were none.
        articles = list(Article.objects.visible_to(request.user).filter(pk__in=ids))
        try:
            done = _bulk_apply(request, articles, action)
        except (CollectionRejected, PermissionDenied) as refused:
            error = str(refused)
    status = (
        400 if error and not ids else (403 if error and "can delete" in error else (400 if error else 200))
    )
    if request.htmx:
        # The list as the reader was looking at it (its view, sort and page are in the form).
        context = {**library_context(request, request.POST), "bulk_error": error, "bulk_done": done}
        return render(request, "articles/article_list.html#library", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(safe_next(request, "/"))
