"""Feeds: the reader's list with its subscribe and OPML forms, the unread articles of all their feeds, one
feed's page (updating itself while a check is on its way), checking now, marking read, unsubscribing.

A feed's page is for its subscribers (and staff): anyone else gets "not found", so nobody learns which feeds
other readers follow. In a shared library (NEWSREADER_LIBRARY=shared) every feed is everybody's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..feeds.opml import export_opml
from ..forms import FeedForm, OpmlForm, SubscriptionForm
from ..models import Article, Feed, FeedEntry, Subscription
from ..models.articles import LARGEST_ID
from ..models.feeds import (
    article_counts,
    feeds_that_brought,
    newest_entry,
    shared_library,
    unread_counts,
    unread_from_feeds,
)
from ..services.feed_checks import check_pending, feeds_queue_now
from ..services.feeds import (
    FeedRejected,
    feed_entries_mark_read,
    feed_subscribe,
    feeds_import_opml,
    subscription_delete,
    subscription_update,
)
from ..throttling import limit
from .pages import PER_PAGE, HtmxHttpRequest, login_first

FEEDS_PER_PAGE = 50
LIMIT = {"what": "feed subscriptions, imports and checks"}


def _feed_list(
    request: HtmxHttpRequest, form: FeedForm, opml_form: OpmlForm, status: int = 200
) -> HttpResponse:
    page = Paginator(Feed.objects.listed_for(request.user), FEEDS_PER_PAGE).get_page(request.GET.get("page"))
    shown = [feed.pk for feed in page.object_list]
    unread, articles = unread_counts(request.user, shown), article_counts(shown)
    for feed in page.object_list:
        _show_address(request, feed)
        feed.unread, feed.article_count = unread.get(feed.pk, 0), articles.get(feed.pk, 0)
    context = {
        "feeds": page.object_list,
        "page_obj": page,
        "form": form,
        "opml_form": opml_form,
        "unread_total": unread_from_feeds(request.user).count() if request.user.is_authenticated else 0,
        "shared": shared_library(),
    }
    return render(request, "articles/feeds/list.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feed_list(request: HtmxHttpRequest) -> HttpResponse:
    """GET: the reader's feeds and the forms. POST: subscribe (after reading the feed once)."""
    if request.method == "GET":
        return _feed_list(request, FeedForm(), OpmlForm())
    return _subscribe(request)


@login_first(lambda request: reverse("articles:feeds"))
@limit("feeds", **LIMIT)
def _subscribe(request: HtmxHttpRequest) -> HttpResponse:
    form = FeedForm(request.POST)
    if form.is_valid():
        try:
            feed = feed_subscribe(
                url=form.cleaned_data["url"], user=request.user, folder=form.cleaned_data["folder"]
            )
        except FeedRejected as error:
            form.add_error("url", str(error))
        else:
            arriving = "" if feed.last_checked else " Its newest entries are on their way."
            messages.success(request, f"Subscribed to “{feed.name}”.{arriving}")
            return redirect(feed)
    return _feed_list(request, form, OpmlForm(), status=400)


@require_POST
@login_first(lambda request: reverse("articles:feeds"))
@limit("feeds", **LIMIT)
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
    """The address the page shows (feed.url_shown): whole to its subscribers and staff, else without the
    query string and user name where feeds keep private tokens."""
    # The list knows already whether the reader follows each feed: no query per feed there.
    followed = getattr(feed, "followed", None)
    if followed is None or request.user.is_staff:
        shown = feed.shows_details_to(request.user)
    else:
        shown = bool(followed)
    feed.url_shown = feed.url if shown else feed.public_url
    return feed


@require_GET
def feeds_export(request: HtmxHttpRequest) -> HttpResponse:
    """The reader's subscriptions as OPML, in their folders and under their names. Anonymous visitors of a
    shared library get every feed, a feed whose address holds a query string or user name (maybe a private
    token) left out; of a personal library, a file that lists none (they follow none)."""
    if request.user.is_authenticated:
        subscriptions = Subscription.objects.filter(reader=request.user).select_related("feed")
        data = export_opml((s.name, s.feed.url, s.feed.site_url, s.folder) for s in subscriptions)
    else:
        every_feed = Feed.objects.all() if shared_library() else Feed.objects.none()
        data = export_opml(
            (feed.name, feed.url, feed.site_url) for feed in every_feed if feed.public_url == feed.url
        )
    response = HttpResponse(data, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="newsreader-feeds.opml"'
    return response


def _visible_feed(request: HtmxHttpRequest, pk: int) -> Feed:
    """The feed, if the viewer may open its page; "not found" otherwise, as for a feed that does not exist."""
    return get_object_or_404(Feed.objects.visible_to(request.user), pk=pk)


def _subscription(request: HtmxHttpRequest, feed: Feed) -> Subscription | None:
    if not request.user.is_authenticated:
        return None
    return Subscription.objects.filter(reader=request.user, feed=feed).first()


@require_GET
@vary_on_headers("HX-Request")
def feed_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One feed's page; with htmx, only its live part (facts and entries), which polls itself while a check
    is waiting or running and stops when it is over."""
    feed = _visible_feed(request, pk)
    subscription = _subscription(request, feed)
    entries = FeedEntry.objects.shown_to(request.user, feed).select_related("article").defer("article__text")
    page = Paginator(entries.newest_first(), PER_PAGE).get_page(request.GET.get("page"))
    checking = check_pending(feed)
    # The page keeps asking while a check is on its way and while the entries it brought are being fetched or
    # analysed; the answer without any of these stops the asking.
    arriving = any(
        (entry.article is None and not entry.error) or (entry.article and entry.article.analysis_pending)
        for entry in page.object_list
    )
    context = {
        "feed": _show_address(request, feed),
        "subscription": subscription,
        "name": subscription.name if subscription else feed.name,
        "page_obj": page,
        "checking": checking,
        "waiting": checking or arriving,
        "upto": newest_entry(),
        "unread": unread_counts(request.user, [feed.pk]).get(feed.pk, 0) if subscription else 0,
        "form": SubscriptionForm(initial={"title": subscription.title, "folder": subscription.folder})
        if subscription
        else None,
    }
    template = "articles/feeds/detail.html"
    if request.htmx and request.GET.get("live"):
        template += "#live"
    return render(request, template, context)


@require_GET
@login_first()
def feeds_unread(request: HtmxHttpRequest) -> HttpResponse:
    """The feed reader: every unread article of the reader's feeds (or of one folder), newest first."""
    folder = request.GET.get("folder")
    # The unread ids in order, read once: the count and the page both come from them.
    unread = list(unread_from_feeds(request.user, folder=folder).values_list("pk", flat=True))
    page = Paginator(unread, PER_PAGE).get_page(request.GET.get("page"))
    articles = Article.objects.defer("text").in_bulk(page.object_list)
    page.object_list = [articles[pk] for pk in page.object_list if pk in articles]
    subscriptions = {
        s.feed_id: s for s in Subscription.objects.filter(reader=request.user).select_related("feed")
    }
    brought = feeds_that_brought(request.user, [article.pk for article in page.object_list])
    for article in page.object_list:
        article.subscription = subscriptions.get(brought.get(article.pk))
    upto = newest_entry()
    folders = sorted({s.folder for s in subscriptions.values() if s.folder})
    context = {
        "page_obj": page,
        "folder": folder,
        "folders": folders,
        "upto": upto or 0,
        "extra": urlencode({"folder": folder}) if folder is not None else "",
    }
    return render(request, "articles/feeds/unread.html", context)


def _upto(request: HtmxHttpRequest) -> int:
    """The newest entry the page showed (a number past any id is the largest id; anything else, none)."""
    try:
        return min(max(0, int(request.POST.get("upto", "0"))), LARGEST_ID - 1)
    except ValueError:
        return 0


def _back(request: HtmxHttpRequest, default: str) -> HttpResponse:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(default)


@require_POST
@login_first(lambda request: reverse("articles:feeds_unread"))
def feeds_mark_read(request: HtmxHttpRequest) -> HttpResponse:
    """ "Mark all read" for every feed of the reader (or one folder), up to the newest entry the page showed."""
    folder = request.POST.get("folder")
    count = feed_entries_mark_read(user=request.user, upto=_upto(request), folder=folder)
    messages.success(request, f"Marked {count} article{'s' if count != 1 else ''} read.")
    return _back(request, reverse("articles:feeds_unread"))


@require_POST
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
def feed_mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Mark all read" for one feed the reader follows."""
    feed = _visible_feed(request, pk)
    if _subscription(request, feed) is None:
        raise Http404("You do not follow that feed.")
    count = feed_entries_mark_read(user=request.user, upto=_upto(request), feed=feed)
    messages.success(request, f"Marked {count} article{'s' if count != 1 else ''} of “{feed.name}” read.")
    return redirect(feed)


@require_POST
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
def feed_settings(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The reader's name and folder for a feed they follow."""
    feed = _visible_feed(request, pk)
    subscription = _subscription(request, feed)
    if subscription is None:
        raise Http404("You do not follow that feed.")
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        subscription_update(subscription=subscription, **form.cleaned_data)
        messages.success(request, f"Saved: “{subscription.name}”, {subscription.folder or 'in no folder'}.")
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(feed)


@require_POST
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
@limit("feeds", **LIMIT)
def feed_check(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    feed = _visible_feed(request, pk)
    if feeds_queue_now(feed=feed):
        messages.success(request, "A check of this feed is queued; new entries appear here when it is done.")
    else:
        messages.info(
            request,
            "A check of this feed is already queued or running; new entries appear here when it is done.",
        )
    return redirect(feed)


@require_http_methods(["GET", "POST"])
@login_first(lambda request, pk: reverse("articles:feed", args=[pk]))
def feed_unsubscribe(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST unsubscribes the reader (theirs only; other readers keep following it)."""
    feed = _visible_feed(request, pk)
    subscription = _subscription(request, feed)
    if subscription is None:
        raise Http404("You do not follow that feed.")
    if request.method == "POST":
        name = subscription.name
        report = subscription_delete(subscription=subscription)
        message = f"Unsubscribed from “{name}”."
        if report.left:
            message += f" {report.left} of its articles left your library."
        if report.kept:
            message += f" {report.kept} that you annotated, starred, archived or collected stay."
        messages.success(request, message)
        return redirect("articles:feeds")
    return render(request, "articles/feeds/unsubscribe.html", {"feed": feed, "name": subscription.name})
