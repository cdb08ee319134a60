"""A reader's settings: font size, line width, typeface, theme and the legend's switches; with an account in a
row, without one in the browser's cookie."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ..context_processors import COOKIE, reader_preferences_of
from ..models import LABEL_NAMES, READER_TYPES, ReaderPreferences
from ..services.preferences import HIGHLIGHT_TYPES, PreferencesRejected, clean_preferences, preferences_update
from .pages import safe_next

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
