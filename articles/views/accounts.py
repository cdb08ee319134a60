"""Sign up, and the page a locked-out log-in gets; logging in and out are Django's own views (see
newsreader/urls.py), throttled by django-axes (settings: AXES_*)."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.views.decorators.http import require_http_methods

from ..forms import SignupForm
from ..services.accounts import account_create
from ..throttling import client_address, limit
from .pages import safe_next

# Logging in and signing up are one page (registration/account_form.html); this is what differs.
LOG_IN_PAGE = {
    "title": "Log in",
    "url": "login",
    "intro": "Reading needs no account; highlighting and annotating do. New here?",
    "other_url": "signup",
    "other_title": "Sign up",
    "password_reset": True,
}
SIGN_UP_PAGE = {
    "title": "Sign up",
    "url": "signup",
    "intro": "A username and a password are all it takes. Already have an account?",
    "other_url": "login",
    "other_title": "Log in",
    "password_reset": False,
}


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing up: a path on this site, else the library."""
    return safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))


@require_http_methods(["GET", "POST"])
@limit("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = account_create(form=form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(_next_url(request))
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next_url(request), "account_page": SIGN_UP_PAGE}
    return render(request, "registration/account_form.html", context, status=status)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What django-axes answers a log-in from a locked-out account or address (AXES_LOCKOUT_CALLABLE)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        "heading": "Log-in paused",
        "message": "Too many failed log-ins for this account or from this address, so log-ins are paused.",
        "retry_minutes": minutes,
    }
    return render(request, "429.html", context, status=429)


def axes_client_address(request: HttpRequest) -> str | None:
    """The client's address as django-axes stores it (AXES_CLIENT_IP_CALLABLE): in an IP address column, so
    None when the request carries none (a log-in made in code has no REMOTE_ADDR)."""
    address = client_address(request)
    return None if address == "unknown" else address


def axes_failure_limit(request: HttpRequest, credentials: dict | None) -> int:
    """The failure limit django-axes applies to this log-in (AXES_FAILURE_LIMIT), so that each of its counts
    has a limit of its own (NEWSREADER_LOGIN_FAILURE_LIMITS): this account from this address, this account from
    anywhere, anything from this address. axes counts failures for each set of AXES_LOCKOUT_PARAMETERS (in the
    same order) and locks when the largest count reaches one limit; this answers with a limit the largest
    count reaches exactly when some count has reached its own."""
    from axes.handlers.database import AxesDatabaseHandler
    from django.db.models import Sum

    attempts = AxesDatabaseHandler().get_user_attempts(request, credentials)
    counts = [queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0 for queryset in attempts]
    limits = settings.NEWSREADER_LOGIN_FAILURE_LIMITS.values()
    largest = max(counts, default=0)
    return largest if any(count >= limit for count, limit in zip(counts, limits)) else largest + 1
