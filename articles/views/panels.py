"""The quote and entity panels as their own addresses show them, with what they show about corrections: their
history, and the forms for whoever may correct (used by the panel views and by the corrections' writes)."""

from __future__ import annotations

from django.urls import reverse

from ..interchange.web_annotation import text_fragment
from ..models import LABEL_NAMES, Article, Correction, Entity, Quote, may_correct
from ..rendering.article_text import MENTIONS_LISTED, SAID_LABELS, mention_sentences, quote_context
from ..services.corrections import ENTITY_TYPES, SPEAKER_TYPES
from .pages import HtmxHttpRequest, Panel


def _history(request: HtmxHttpRequest, corrections) -> list[dict]:
    return [{"correction": c, "may_undo": c.may_undo(request.user)} for c in corrections]


def quote_correction_context(
    request: HtmxHttpRequest, article: Article, quote: Quote, error: str = ""
) -> dict:
    """What a quote's panel shows about corrections: its history, and the forms for whoever may correct."""
    history = list(article.corrections.filter(quote_id=quote.pk).select_related("author"))
    context = {
        "corrections": _history(request, history),
        # A speaker a reader corrected is checked: it is no longer marked unsure.
        "speaker_checked": any(
            c.is_active and c.placed and c.kind == Correction.Kind.SPEAKER for c in history
        ),
        "may_correct": may_correct(request.user, article),
        "correction_error": error,
        "correct_url": reverse("articles:quote_correct", args=[article.pk, quote.pk]),
    }
    if context["may_correct"]:
        context["speakers"] = article.entities.filter(label__in=SPEAKER_TYPES).order_by("name")
        context["speaker_types"] = [(label, LABEL_NAMES[label]) for label in SPEAKER_TYPES]
    return context


def entity_correction_context(
    request: HtmxHttpRequest, article: Article, entity: Entity, error: str = ""
) -> dict:
    history = article.corrections.filter(entity_id=entity.pk).exclude(kind=Correction.Kind.SPEAKER)
    context = {
        "corrections": _history(request, history.select_related("author")),
        "may_correct": may_correct(request.user, article),
        "correction_error": error,
        "correct_url": reverse("articles:entity_correct", args=[article.pk, entity.pk]),
    }
    if context["may_correct"]:
        context["entity_types"] = [
            (label, LABEL_NAMES[label]) for label in ENTITY_TYPES if label != entity.label
        ]
        # Others of the article's names of the same type that stand for someone else in the library.
        context["same_as"] = (
            article.entities.filter(label=entity.label, actor__isnull=False)
            .exclude(pk=entity.pk)
            .exclude(actor_id=entity.actor_id)
            .select_related("actor")
        )
    return context


def quote_panel_of(request: HtmxHttpRequest, article: Article, quote: Quote, error: str = "") -> Panel:
    return Panel(
        "quote",
        "Quote" if quote.is_quoted else SAID_LABELS[quote.form],
        # The quote's tag as the fragment, the text directive after it: a browser that does not scroll to the
        # text (or finds it changed) still lands on the quote.
        share_url=request.build_absolute_uri(quote.get_absolute_url())
        + f"#quote-{quote.pk}"
        + text_fragment(article.text, quote.start, quote.end).removeprefix("#"),
        place=f"quote-{quote.pk}",
        quote=quote,
        context=quote_context(article, quote, list(article.blocks.all())),
        others=Quote.objects.also_said(quote),
        **quote_correction_context(request, article, quote, error),
    )


def entity_panel_of(request: HtmxHttpRequest, article: Article, entity: Entity, error: str = "") -> Panel:
    return Panel(
        "entity",
        entity.label_name,
        share_url=request.build_absolute_uri(entity.get_absolute_url()),
        place=f"mention-{mention}" if (mention := request.GET.get("mention", "")).isdecimal() else "",
        entity=entity,
        mentions=mention_sentences(
            article, list(entity.mentions.all()[:MENTIONS_LISTED]), list(article.blocks.all())
        ),
        mentions_more=max(0, entity.mention_count - MENTIONS_LISTED),
        quotes=entity.quotes.filter(fragment=False),
        **entity_correction_context(request, article, entity, error),
    )
