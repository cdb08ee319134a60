"""Rate limits on costly writes: adding an article, importing annotations, signing up.

Use it on a view, below `login_first` when there is one (so that only readers who may post are counted):

    from ..throttling import limit

    @require_http_methods(["GET", "POST"])
    @login_first()
    @limit("import")
    def annotations_import(request, pk): ...

Only POSTs are counted; GET and HEAD are never limited. Each POST counts once against the reader's account
(when logged in) and once against their address (`client_address`); when either count passes the limit for
`name` in `settings.NEWSREADER_RATE_LIMITS` ("N/period", period one of minute, hour or day: "30/hour"), the
view is not run and the answer is 429 with a plain message page (`templates/429.html`), or with htmx its
`#notice` fragment placed at the top of the page (static/js/newsreader.js lets htmx swap a 429). A new limit
is a new key in `NEWSREADER_RATE_LIMITS` (read from the environment there) and, for the message, `what=`:
`@limit("feeds", what="feed subscriptions")`.

Counts are rows in the database (`RateCount`, written by `services.limits`) in fixed windows, so every
gunicorn worker and every host shares them (a burst can straddle two windows: at most 2N in a moment, never
more than 2N per period).
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .services.limits import rate_count_add

logger = logging.getLogger("newsreader.throttling")

PERIODS = {"minute": 60, "hour": 3600, "day": 86400}
WHAT = {"add": "articles added", "import": "imports", "signup": "sign-ups"}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int
    period: str


def parse_rate(text: str) -> Rate:
    """ "30/hour" → Rate(30, 3600, "hour")."""
    count, _, period = text.strip().partition("/")
    period = period.strip().lower()
    if not count.strip().isdecimal() or period not in PERIODS:
        raise ImproperlyConfigured(f"A rate limit is 'N/minute', 'N/hour' or 'N/day', not {text!r}.")
    return Rate(int(count), PERIODS[period], period)


def rate_for(name: str) -> Rate:
    try:
        return parse_rate(settings.NEWSREADER_RATE_LIMITS[name])
    except KeyError:
        raise ImproperlyConfigured(f"No rate limit named {name!r} in NEWSREADER_RATE_LIMITS.") from None


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or behind a proxy (NEWSREADER_BEHIND_PROXY) the address the proxy
    appended last to X-Forwarded-For (the ones before it are whatever the client sent). django-axes uses
    this too (AXES_CLIENT_IP_CALLABLE)."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.NEWSREADER_BEHIND_PROXY:
        candidates.insert(0, request.META.get("HTTP_X_FORWARDED_FOR", "").rpartition(",")[2])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return "unknown"


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _count(key: str, window_ends: float, now: float) -> int:
    return rate_count_add(key=key, expires=_moment(window_ends), now=_moment(now))


def _refused(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    context = {"message": message, "retry_minutes": math.ceil(retry_after / 60)}
    if getattr(request, "htmx", False):
        response = render(request, "429.html#notice", context, status=429)
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin"
    else:
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit(name: str, *, what: str = ""):
    """Refuse a view's POSTs past the rate limit `name`; see the module's docstring."""
    rate_for(name)  # a misspelt name fails when the view is defined, not on its first POST
    what = what or WHAT.get(name, "requests of this kind")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            rate, now = rate_for(name), time.time()
            window = int(now // rate.seconds)
            scopes = [f"address:{client_address(request)}"]
            if request.user.is_authenticated:
                scopes.append(f"user:{request.user.pk}")
            counts = {
                scope: _count(f"{name}:{rate.period}:{scope}:{window}", (window + 1) * rate.seconds, now)
                for scope in scopes
            }
            over = [scope for scope, count in counts.items() if count > rate.count]
            if not over:
                return view(request, *args, **kwargs)
            if any(
                counts[scope] == rate.count + 1 for scope in over
            ):  # once per window, not on every refusal
                logger.warning("Rate limit %r (%s) reached by %s", name, rate_text(rate), ", ".join(over))
            retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
            message = (
                f"Too many {what} from this account or address: the limit is {rate_text(rate)}. "
                "Nothing was saved."
            )
            return _refused(request, message, retry_after)

        return wrapper

    return decorator


def rate_text(rate: Rate) -> str:
    return f"{rate.count} per {rate.period}"
