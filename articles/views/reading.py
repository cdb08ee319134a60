"""What a reader keeps of their reading: their settings (font size, line width, typeface, theme, the legend's
switches; with an account in a row, without one in the browser's cookie), their state of an article (read,
favourite, archived, where they left off), and deleting an article they added. The home page, their own
library, is views/home.py."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from ..context_processors import COOKIE, reader_preferences_of
from ..models import LABEL_NAMES, READER_TYPES, Article, ReaderPreferences, ReadingState
from ..services.library import article_remove
from ..services.preferences import HIGHLIGHT_TYPES, PreferencesRejected, clean_preferences, preferences_update
from ..services.reading import ReadingRejected, reading_mark, reading_position_save
from .pages import HtmxHttpRequest, login_first, safe_next, visible_article

# Form fields that are not settings.
_FORM_KEYS = {"csrfmiddlewaretoken", "next"}
COOKIE_MAX_AGE = 365 * 24 * 3600


def _changes(request: HttpRequest) -> dict:
    changes: dict = {}
    for name in request.POST:
        if name in _FORM_KEYS:
            continue
        if name == "shown_types":
            # The settings page lists the types shown (one empty value first, so none shown still sends it).
            shown = set(request.POST.getlist(name))
            unknown = sorted(shown - set(HIGHLIGHT_TYPES) - {""})
            changes["hidden_types"] = unknown or [
                kind for kind in HIGHLIGHT_TYPES if kind not in shown and kind not in READER_TYPES
            ]
        elif name == "hidden_types":
            # The form sends one empty value first, so switching every type back on still sends the field.
            changes[name] = [kind for kind in request.POST.getlist(name) if kind]
        else:
            changes[name] = request.POST.get(name)
    return changes


def _settings_page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "choices": {
            "theme": ReaderPreferences.Theme.choices,
            "font_size": ReaderPreferences.FontSize.choices,
            "line_width": ReaderPreferences.LineWidth.choices,
            "typeface": ReaderPreferences.Typeface.choices,
        },
        "highlight_types": [("quote", "Quotes"), ("said", "Reported speech")]
        + [(label, LABEL_NAMES[label]) for label in HIGHLIGHT_TYPES[2:] if label not in READER_TYPES],
        "error": error,
        "next": safe_next(request, ""),
    }
    return render(request, "articles/reading/preferences.html", context, status=status)


def _save(request: HttpRequest) -> HttpResponse:
    changes = _changes(request)
    try:
        if request.user.is_authenticated:
            clean_preferences(changes)  # first: a field named like the service's own arguments is refused too
            preferences_update(user=request.user, **changes)
            cookie = None
        else:
            current = reader_preferences_of(request).as_dict()
            current.update(clean_preferences(changes))
            cookie = quote(
                urlencode(
                    {
                        name: ",".join(value) if name == "hidden_types" else value
                        for name, value in current.items()
                    }
                )
            )
    except PreferencesRejected as refused:
        if request.htmx:
            return HttpResponse(str(refused), status=400, content_type="text/plain; charset=utf-8")
        return _settings_page(request, error=str(refused), status=400)
    response = HttpResponse(status=204) if request.htmx else redirect(safe_next(request, request.path))
    if cookie is not None:
        response.set_cookie(
            COOKIE, cookie, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure()
        )
    return response


@csrf_exempt  # checked below for accounts; an anonymous reader's settings only ever reach their own cookie
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _settings_page(request)
    if request.user.is_authenticated:
        return csrf_protect(_save)(request)
    return _save(request)


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
