"""A reader's state of an article (read, favourite, archived, where they left off), and deleting an article
they added. Their settings are views/preferences.py; the home page, their own library, views/home.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Article, ReadingState
from ..services.library import article_remove
from ..services.reading import ReadingRejected, reading_mark, reading_position_save
from .pages import HtmxHttpRequest, login_first, safe_next, visible_article

# Form fields that are not settings.


def _reading_answer(request: HtmxHttpRequest, article: Article, message: str = "", status: int = 200):
    if request.htmx:
        context = {
            "article": article,
            "reading_state": ReadingState.objects.of(request.user, article.pk),
            "message": message,
        }
        return render(request, "articles/reading/_reading_state.html", context, status=status)
    if message and status >= 400:
        messages.error(request, message)
    return redirect(safe_next(request, article.get_absolute_url()))


_FLAG_ACTIONS = {
    "read": {"read": True},
    "unread": {"read": False},
    "archive": {"archived": True},
    "unarchive": {"archived": False},
    "favourite": {"favourite": True},
    "unfavourite": {"favourite": False},
}


@require_POST
@login_first(lambda request, pk: reverse("articles:detail", args=[pk]))
def article_reading(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Mark an article read or unread, archive it or take it back, make it a favourite or not."""
    article = visible_article(request, pk)
    flags = _FLAG_ACTIONS.get(request.POST.get("action", ""))
    if flags is None:
        return _reading_answer(request, article, f"Choose one of: {', '.join(_FLAG_ACTIONS)}.", status=400)
    reading_mark(user=request.user, article=article, **flags)
    return _reading_answer(request, article)


def _whole_number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@require_POST
def reading_position(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Where the reader left off (sent by static/js/reading.js as they read); answered with no content."""
    if not request.user.is_authenticated:
        return HttpResponse("Log in to keep your reading position with your account.", status=403)
    article = visible_article(request, pk)
    position, progress = (
        _whole_number(request.POST.get("position")),
        _whole_number(request.POST.get("progress")),
    )
    try:
        reading_position_save(user=request.user, article=article, position=position, progress=progress)
    except ReadingRejected as refused:
        return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
@login_first()
def article_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The reader who added an article, or staff, delete it (with every annotation on it), after a confirmation."""
    article = visible_article(request, pk)
    if not article.may_remove(request.user):
        raise PermissionDenied("Only the person who added this article, or staff, can delete it.")
    only_yours = article.kept_for_others(request.user)
    if request.method == "POST":
        title = article.title
        article_remove(article=article, user=request.user)
        messages.success(
            request, f"Removed “{title}” from your library." if only_yours else f"Deleted “{title}”."
        )
        return redirect("articles:list")
    notes = article.annotations.count()
    context = {"article": article, "annotation_total": notes, "only_yours": only_yours}
    return render(request, "articles/reading/article_delete.html", context)
