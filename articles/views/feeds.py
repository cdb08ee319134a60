"""Feeds: the list with its subscribe and OPML forms, one feed's page, checking now, unsubscribing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..feeds.opml import export_opml
from ..forms import FeedForm, OpmlForm
from ..models import Feed
from ..services.feeds import FeedRejected, feed_delete, feed_subscribe, feeds_import_opml, feeds_queue_now
from ..throttling import limit
from .pages import PER_PAGE, HtmxHttpRequest, login_first

FEEDS_PER_PAGE = 50


def _feed_list(
    request: HtmxHttpRequest, form: FeedForm, opml_form: OpmlForm, status: int = 200
) -> HttpResponse:
    feeds = Feed.objects.annotate(article_count=Count("entries__article")).order_by("title", "url", "pk")
    page = Paginator(feeds, FEEDS_PER_PAGE).get_page(request.GET.get("page"))
    for feed in page.object_list:
        _show_address(request, feed)
    context = {"feeds": page.object_list, "page_obj": page, "form": form, "opml_form": opml_form}
    return render(request, "articles/feeds/list.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feed_list(request: HtmxHttpRequest) -> HttpResponse:
    """GET: every feed and the forms. POST: subscribe (after reading the feed once)."""
    if request.method == "GET":
        return _feed_list(request, FeedForm(), OpmlForm())
    return _subscribe(request)


@login_first(lambda request: reverse("articles:feeds"))
@limit("feeds", what="feed subscriptions, imports and checks")
def _subscribe(request: HtmxHttpRequest) -> HttpResponse:
    form = FeedForm(request.POST)
    if form.is_valid():
        try:
            feed = feed_subscribe(url=form.cleaned_data["url"], user=request.user)
        except FeedRejected as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, f"Subscribed to “{feed.name}”. Its newest entries are on their way.")
            return redirect(feed)
    return _feed_list(request, form, OpmlForm(), status=400)


@require_POST
@login_first(lambda request: reverse("articles:feeds"))
@limit("feeds", what="feed subscriptions, imports and checks")
def feeds_import(request: HtmxHttpRequest) -> HttpResponse:
    form = OpmlForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = feeds_import_opml(data=form.cleaned_data["file"].read(), user=request.user)
        except FeedRejected as error:
            form.add_error("file", str(error))
        else:
            message = f"Subscribed to {len(report.added)} feed{'s' if len(report.added) != 1 else ''}"
            message += f"; {report.already} already subscribed." if report.already else "."
            if report.refused:
                message += f" {len(report.refused)} entries were not web addresses and were skipped."
            messages.success(request, message)
            return redirect("articles:feeds")
    return _feed_list(request, FeedForm(), form, status=400)


def _show_address(request: HtmxHttpRequest, feed: Feed) -> Feed:
    """The address the page shows (feed.url_shown): whole to its subscriber and staff, else without the
    query string and user name where feeds keep private tokens."""
    feed.url_shown = feed.url if feed.shows_details_to(request.user) else feed.public_url
    return feed


@require_GET
def feeds_export(request: HtmxHttpRequest) -> HttpResponse:
    """Every subscription as OPML; a feed whose address holds a query string or user name (maybe a private
    token) only for its subscriber and staff."""
    data = export_opml(
        (feed.name, feed.url, feed.site_url)
        for feed in Feed.objects.all()
        if feed.shows_details_to(request.user) or feed.public_url == feed.url
    )
    response = HttpResponse(data, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsreader-feeds.opml"'
    return response


@require_GET
def feed_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    entries = feed.entries.select_related("article").defer("article__text")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "feed": _show_address(request, feed),
        "page_obj": page,
        "may_delete": _may_delete(request, feed),
    }
    return render(request, "articles/feeds/detail.html", context)


@require_POST
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
@limit("feeds", what="feed subscriptions, imports and checks")
def feed_check(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    if feeds_queue_now(feed=feed):
        messages.success(request, "A check of this feed is queued; new entries appear here in a moment.")
    else:
        messages.info(
            request, "A check of this feed is already queued or running; new entries appear here soon."
        )
    return redirect(feed)


def _may_delete(request: HtmxHttpRequest, feed: Feed) -> bool:
    user = request.user
    return user.is_authenticated and (user.is_staff or feed.added_by_id == user.pk)


@require_http_methods(["GET", "POST"])
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
def feed_unsubscribe(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST unsubscribes. Only whoever subscribed (or staff) may; articles stay."""
    feed = get_object_or_404(Feed, pk=pk)
    if not _may_delete(request, feed):
        raise PermissionDenied("Only the person who subscribed to a feed, or staff, can unsubscribe from it.")
    if request.method == "POST":
        name = feed.name
        feed_delete(feed=feed)
        messages.success(request, f"Unsubscribed from “{name}”. Its articles stay in the library.")
        return redirect("articles:feeds")
    return render(request, "articles/feeds/unsubscribe.html", {"feed": feed})
