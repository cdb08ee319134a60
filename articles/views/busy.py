"""A database that stays locked past its timeout (a long write elsewhere, a backup) answers 503 with
Retry-After instead of a server error, and gives back what the reader sent, so nothing they typed is lost.

Installed as the project's handler500: Django calls it inside the `except` that caught the error, so the
error itself is at hand, whichever view or middleware met the lock.
"""

from __future__ import annotations

import logging
import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("newsreader")

# SQLite's "database is locked" / "database table is locked"; PostgreSQL's lock_timeout (SQLSTATE 55P03).
_LOCKED_WORDS = ("is locked", "lock timeout")


def is_database_busy(error: BaseException | None) -> bool:
    if not isinstance(error, OperationalError):
        return False
    cause = getattr(error, "__cause__", None)
    if getattr(cause, "sqlstate", None) == "55P03":
        return True
    return any(words in str(error).lower() for words in _LOCKED_WORDS)


def server_error_or_busy(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    error = sys.exc_info()[1]
    if not is_database_busy(error):
        return server_error(request, template_name)
    logger.warning("The database was busy past its timeout: %s %s answered 503", request.method, request.path)
    fields = []
    if request.method == "POST":
        try:
            fields = [(name, value) for name, values in request.POST.lists() for value in values]
        except Exception:  # a body that cannot be read again gives nothing to send back
            fields = []
    # Standalone, like 500.html: the page must not need the database that is busy.
    context = {
        "fields": fields,
        "had_files": bool(request.method == "POST" and request.FILES),
        "retry_after": RETRY_AFTER_SECONDS,
        "path": request.get_full_path(),
        "method": request.method,
        "htmx": request.headers.get("HX-Request") == "true",
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    if context["htmx"]:  # the notice goes on top of the page; the form the reader filled in stays as it is
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin"
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
