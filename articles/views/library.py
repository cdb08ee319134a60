"""The library as a whole: search, a person's or organisation's page, and who is quoted."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import (
    SAID_CHOICES,
    SAID_FORMS,
    TALLY_COLUMNS,
    Actor,
    ActorQuoteIds,
    Article,
    Entity,
    Filters,
    Quote,
    QuoteTally,
)
from ..names import actor_key
from ..rendering.charts import month_bars, speaker_bars
from ..rendering.snippets import ShownHit, shown_hit
from ..search import MAX_QUERY_CHARS, MAX_TERMS, SearchResults
from .pages import PER_PAGE, CountedIds, HtmxHttpRequest

# Unknown dates last on either database (PostgreSQL sorts NULL first in descending order, SQLite last).
NEWEST_FIRST = F("dated").desc(nulls_last=True)
SPEAKERS_LISTED = 25
SPEAKERS_CHARTED = 15


def _param(params, name: str) -> str:
    """A typed filter value, without NUL characters: no stored text holds one (and PostgreSQL refuses to
    compare text with one), so it could only ever match nothing."""
    return params.get(name, "").replace("\x00", "").strip()


def _date(value: str, label: str) -> tuple[datetime.date | None, str]:
    value = value.strip()
    try:
        return (datetime.date.fromisoformat(value) if value else None), ""
    except ValueError:
        return None, f"“{value[:40]}” is not a date: give the {label} date as YYYY-MM-DD."


def _actor(value: str, label: str, viewer) -> tuple[Actor | None, str]:
    """An actor from a filter field: an id (links) or a typed name, matched by the library's rule; only one
    named in an article the viewer may read."""
    value = value.strip()
    if not value:
        return None, ""
    actors = Actor.objects.visible_to(viewer)
    if value.isdecimal():  # not isdigit(): int() refuses "²"
        actor = actors.filter(pk=int(value), label=label).first()
    else:
        key = actor_key(value, label)
        actor = actors.filter(label=label, key=key).first() if key else None
        if actor is None:
            actor = actors.filter(label=label, name__iexact=value).first()
    if actor is None:
        # A part of a name ("Pompeo" for "Mike Pompeo") is enough when only one name holds it.
        found = list(Actor.objects.named_like(value, label, viewer)[:2])
        if len(found) == 1:
            return found[0], ""
        kind = "person" if label == "PERSON" else "organisation"
        if found:
            return None, f"More than one {kind}'s name holds “{value}”: choose one from the suggestions."
        return None, f"No {kind} whose name holds “{value}” in the library."
    return actor, ""


def _said(params, default: str) -> str:
    """The reader's switch between everything said, what is quoted and what is reported (unknown: default)."""
    said = _param(params, "said")
    return said if said in SAID_CHOICES else default


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    params = request.GET
    query = params.get("q", "").strip()
    person, person_error = _actor(_param(params, "person"), "PERSON", request.user)
    org, org_error = _actor(_param(params, "org"), "ORG", request.user)
    date_from, from_error = _date(_param(params, "from"), "first")
    date_to, to_error = _date(_param(params, "to"), "last")
    said, said_error = _param(params, "said"), ""
    if said not in ("", *SAID_FORMS):
        said_error = f"“{said[:40]}” is not a kind of statement: choose quoted or reported."
    filters = Filters(
        person_id=person.pk if person else None,
        org_id=org.pk if org else None,
        source=_param(params, "source"),
        date_from=date_from,
        date_to=date_to,
        said=said if not said_error else "",
    )
    errors = [e for e in (person_error, org_error, from_error, to_error, said_error) if e]
    filtered = bool(filters)
    page, shortened = None, False
    if not errors and query:
        results = SearchResults(query, filters, viewer=request.user)
        page, shortened = Paginator(results, PER_PAGE).get_page(params.get("page")), results.shortened
        page.object_list = [shown_hit(hit) for hit in page.object_list]
    elif not errors and filtered:
        # No words: the filtered library, newest first, with each article's lead as its snippet.
        articles = (
            Article.objects.visible_to(request.user)
            .with_counts()
            .filtered(filters)
            .order_by(NEWEST_FIRST, "-id")
        )
        page = Paginator(articles, PER_PAGE).get_page(params.get("page"))
        page.object_list = [ShownHit(a) for a in page.object_list]
    query_string = params.copy()
    query_string.pop("page", None)
    # A name that matched nobody, or several people: the names that hold it, each a search with it chosen.
    choices = []
    for field, label, error in (("person", "PERSON", person_error), ("org", "ORG", org_error)):
        if error:
            for actor in Actor.objects.named_like(_param(params, field), label, request.user)[:8]:
                chosen = query_string.copy()
                chosen[field] = str(actor.pk)
                choices.append((actor.name, chosen.urlencode()))
    context = {
        "query": query,
        "params": params,
        "person": person,
        "org": org,
        "said": filters.said,
        "errors": errors,
        "choices": choices,
        "shortened": shortened,
        "limits": {"chars": MAX_QUERY_CHARS, "terms": MAX_TERMS},
        "sources": Article.objects.sources(request.user),
        "page_obj": page,
        "page_query": query_string.urlencode(),
        "searched": bool(query or filtered or errors),
    }
    return render(request, "articles/library/search.html", context)


@require_GET
def actor_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    # Someone named only in articles the viewer may not read is "not found" for them.
    actor = get_object_or_404(Actor.objects.visible_to(request.user), pk=pk)
    entities = Entity.objects.visible_to(request.user).filter(actor=actor)
    # Walk the articles newest first (an index on their date) and keep those naming the actor; for a name in
    # many articles a page is found after a few steps, and no article row is read to sort.
    # (The walk checks who may read each article once, on the article itself.)
    article_ids = (
        Article.objects.visible_to(request.user)
        .filter(Exists(Entity.objects.filter(actor=actor, article=OuterRef("pk"))))
        .order_by(NEWEST_FIRST, "-id")
        .values_list("pk", flat=True)
    )
    total = entities.values("article_id").distinct().count()
    articles_page = Paginator(CountedIds(article_ids, total), PER_PAGE).get_page(request.GET.get("page"))
    shown = list(articles_page.object_list)
    by_article = {
        e.article_id: e
        for e in entities.filter(article_id__in=shown).select_related("article").defer("article__text")
    }
    articles_page.object_list = [by_article[i] for i in shown if i in by_article]
    said = _said(request.GET, default="all")
    # The three counts of the switch in one read of the actor's tallies.
    totals = (
        QuoteTally.objects.visible_to(request.user)
        .filter(actor=actor)
        .aggregate(**{choice: Sum(column) for choice, column in TALLY_COLUMNS.items()})
    )
    counts = {choice: totals[choice] or 0 for choice in SAID_CHOICES}
    quote_ids = ActorQuoteIds(actor.pk, counts[said], said, viewer=request.user)
    quotes_page = Paginator(quote_ids, PER_PAGE).get_page(request.GET.get("quotes"))
    shown = list(quotes_page.object_list)
    quotes = Quote.objects.select_related("article").defer("article__text").in_bulk(shown)
    quotes_page.object_list = [quotes[i] for i in shown if i in quotes]
    context = {
        "actor": actor,
        "articles_page": articles_page,
        "mentions": entities.aggregate(total=Sum("mention_count"))["total"] or 0,
        "quotes_page": quotes_page,
        "said": said,
        "said_counts": counts,
        "said_query": urlencode({"said": said}),
    }
    return render(request, "articles/library/actor.html", context)


def _query(*, source: str | None, said: str) -> str:
    return urlencode({k: v for k, v in (("source", source), ("said", said != "quoted" and said)) if v})


@require_GET
def who_is_quoted(request: HtmxHttpRequest) -> HttpResponse:
    source = _param(request.GET, "source") or None
    said = _said(request.GET, default="quoted")
    tallies = QuoteTally.objects.visible_to(request.user).of_source(source)
    # The ranking is paged; the chart always draws the most quoted.
    speakers_page = Paginator(tallies.speaker_totals(said), SPEAKERS_LISTED).get_page(request.GET.get("page"))
    ranked = tallies.speakers_ranked(
        limit=SPEAKERS_LISTED, offset=max(0, speakers_page.start_index() - 1), said=said
    )
    charted = (
        ranked if speakers_page.number == 1 else tallies.speakers_ranked(limit=SPEAKERS_CHARTED, said=said)
    )
    months = tallies.by_month(said)
    total, undated = tallies.totals(said)
    context = {
        "source": source or "",
        "sources": list(
            QuoteTally.objects.visible_to(request.user)
            .order_by("source")
            .values_list("source", flat=True)
            .distinct()
        ),
        "ranked": ranked,
        "speakers_page": speakers_page,
        "said": said,
        "said_noun": {"quoted": "Quotes", "reported": "Reported statements", "all": "Statements"}[said],
        # Quotes are the default count: their addresses stay as they were.
        "said_choices": [(choice, _query(source=source, said=choice)) for choice in SAID_CHOICES],
        "page_query": _query(source=source, said=said),
        "speaker_chart": speaker_bars(charted[:SPEAKERS_CHARTED]),
        "month_chart": month_bars(months),
        # Every statement the ranking counts; the month chart leaves out those of undated articles, and says so.
        "total": total,
        "undated": undated,
    }
    return render(request, "articles/library/who_is_quoted.html", context)
