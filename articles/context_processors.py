"""What every template reads: the reader's reading settings, as `reader_preferences`."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from django.http import HttpRequest

from .services.preferences import (
    DEFAULTS,
    FIELDS,
    Preferences,
    PreferencesRejected,
    clean_preferences,
    preferences_for,
)

# Anonymous readers' settings live in this cookie (set by the settings form and by static/js/reading.js).
COOKIE = "newsreader_preferences"


def browser_preferences(request: HttpRequest) -> Preferences:
    """An anonymous reader's settings from their cookie; anything unreadable falls back to the defaults."""
    raw = request.COOKIES.get(COOKIE, "")
    if not raw:
        return DEFAULTS
    values: dict = {}
    for name, value in parse_qsl(unquote(raw)[:2000]):
        if name in FIELDS:
            values[name] = value.split(",") if name == "hidden_types" else value
    if "hidden_types" in values:
        values["hidden_types"] = [kind for kind in values["hidden_types"] if kind]
    cleaned = {}
    for name, value in values.items():
        try:
            cleaned.update(clean_preferences({name: value}))
        except PreferencesRejected:
            continue
    if "hidden_types" in cleaned:
        cleaned["hidden_types"] = tuple(cleaned["hidden_types"])
    return Preferences(**cleaned)


def reader_preferences_of(request: HttpRequest) -> Preferences:
    """Read once per request: the article page cache keys on them too (articles/views/pages.py)."""
    if not hasattr(request, "_reader_preferences"):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request._reader_preferences = preferences_for(user)
        else:
            request._reader_preferences = browser_preferences(request)
    return request._reader_preferences


def reader_preferences(request: HttpRequest) -> dict:
    return {"reader_preferences": reader_preferences_of(request)}
