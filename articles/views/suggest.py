"""Names to suggest as a reader types in search's person and organisation filters (htmx fills a <datalist>,
so the browser's own suggestion list, keyboard and screen reader support come with it)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Actor

SUGGESTIONS = 10
LABELS = {"person": "PERSON", "org": "ORG"}


@require_GET
def actor_suggestions(request, kind: str) -> HttpResponse:
    label = LABELS.get(kind)
    if label is None:
        return HttpResponse("Suggestions are for person or org.", status=404, content_type="text/plain")
    typed = request.GET.get(kind) or request.GET.get("name", "")  # search's filters, or a correction's name
    names = (
        [actor.name for actor in Actor.objects.named_like(typed, label, request.user)[:SUGGESTIONS]]
        if len(typed.strip()) >= 2
        else []
    )
    return render(request, "articles/library/_suggestions.html", {"kind": kind, "names": names})
