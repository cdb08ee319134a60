"""Names to suggest as a reader types in search's person and organisation filters (htmx fills a <datalist>,
so the browser's own suggestion list, keyboard and screen reader support come with it)."""

from __future__ import annotations

from django.db.models import Case, Q, QuerySet, When
from django.db.models.functions import Length
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Actor

SUGGESTIONS = 10
LABELS = {"person": "PERSON", "org": "ORG"}


def actors_named_like(value: str, label: str, viewer) -> QuerySet:
    """Actors named in what `viewer` may read whose name holds `value` (any case), a name starting with it,
    or a word of it, first; then the shorter names. Portable lookups: a few thousand names are read through
    the (label, key) index."""
    value = " ".join(value.replace("\x00", "").split())[:100]
    if not value:
        return Actor.objects.none()
    starts = Q(name__istartswith=value) | Q(name__icontains=" " + value)
    return (
        Actor.objects.visible_to(viewer)
        .filter(label=label, name__icontains=value)
        .annotate(word_start=Case(When(starts, then=0), default=1), name_length=Length("name"))
        .order_by("word_start", "name_length", "name")
    )


@require_GET
def actor_suggestions(request, kind: str) -> HttpResponse:
    label = LABELS.get(kind)
    if label is None:
        return HttpResponse("Suggestions are for person or org.", status=404, content_type="text/plain")
    typed = request.GET.get(kind) or request.GET.get("name", "")  # search's filters, or a correction's name
    names = (
        [actor.name for actor in actors_named_like(typed, label, request.user)[:SUGGESTIONS]]
        if len(typed.strip()) >= 2
        else []
    )
    return render(request, "articles/library/_suggestions.html", {"kind": kind, "names": names})
