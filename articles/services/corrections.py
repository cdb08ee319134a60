"""Readers' corrections of the analysis: made, undone, and applied again after every analysis.

A correction changes the stored rows at once (quotes, names, their people across the library, the tallies),
so every page, filter and export reads the corrected facts. Each analysis makes the rows anew from the text;
`corrections_apply` then finds every correction's passage again (as annotations are found after an edit) and
applies it, in the order they were made. One whose passage is gone, or where the analysis no longer finds
what it corrects, is kept, listed and tried again after the next analysis.

Undo puts back the analysis's answer: the corrections in force are reverted last first (each keeps what it
replaced), the undone one is marked, and the rest are applied again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import anchoring
from ..models import (
    LABEL_NAMES,
    Actor,
    Article,
    Correction,
    Entity,
    Mention,
    Quote,
    may_correct,
)
from ..names import actor_key
from . import actors
from .correction_effects import apply_correction, entity_named, overlap, revert_correction

# The types a reader may give a name ("Wrong type"), in the words the page uses.
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
# Who may be named as a speaker: people, organisations and groups, and places that speak ("Washington said").
SPEAKER_TYPES = ("PERSON", "ORG", "NORP", "GPE")
NAME_MAX_CHARS = Entity._meta.get_field("name").max_length or 300


class CorrectionRejected(ValueError):
    """A correction that cannot be made; the message is written for the reader who sent it."""


def _place(correction: Correction, text: str, budget: anchoring.Budget) -> bool:
    """Find the correction's passage (and a new quoted span) in `text` again; False when it is gone."""
    found = anchoring.anchor(
        text,
        anchoring.TextQuoteSelector(correction.exact, correction.prefix, correction.suffix),
        anchoring.TextPositionSelector(correction.start, correction.end),
        budget,
    )
    if found is None:
        return False
    chosen = None
    if correction.kind == Correction.Kind.SPAN:
        chosen = anchoring.anchor(
            text,
            anchoring.TextQuoteSelector(
                correction.choice["exact"], correction.choice["prefix"], correction.choice["suffix"]
            ),
            anchoring.TextPositionSelector(correction.choice["start"], correction.choice["end"]),
            budget,
        )
        if chosen is None:
            return False
        correction.choice = {**correction.choice, **_selector(text, chosen.start, chosen.end)}
    fresh = anchoring.quote_selector(text, found.start, found.end)
    correction.start, correction.end = found.start, found.end
    correction.exact, correction.prefix, correction.suffix = fresh.exact, fresh.prefix, fresh.suffix
    return True


def _selector(text: str, start: int, end: int) -> dict:
    quote = anchoring.quote_selector(text, start, end)
    return {"start": start, "end": end, "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix}


SAVED_FIELDS = ["start", "end", "exact", "prefix", "suffix", "choice", "machine", "placed", "problem"]


def corrections_apply(*, article: Article) -> list[Correction]:
    """Inside the caller's transaction, on rows just made by an analysis (or none while it is pending): place
    every active correction in the current text and apply it; returns those that could not be."""
    corrections = list(article.corrections.active().select_for_update())
    if not corrections:
        return []
    analysed = article.analysis_state == Article.Analysis.DONE
    budget, unplaced = anchoring.Budget(), []
    for correction in corrections:
        correction.quote_id = correction.entity_id = None
        if not _place(correction, article.text, budget):
            correction.placed, correction.problem = False, "Its words are no longer in the text."
        elif analysed:
            correction.problem = apply_correction(correction, article)
            correction.placed = not correction.problem
        else:
            correction.placed, correction.problem = True, ""  # applied when the analysis is done
        if not correction.placed:
            unplaced.append(correction)
    Correction.objects.bulk_update(corrections, [*SAVED_FIELDS, "quote_id", "entity_id"])
    return unplaced


def corrections_reanchor(*, article: Article) -> None:
    """After a text edit (the analysis pending): each correction follows its words, or is listed as unplaced."""
    corrections_apply(article=article)


def _new_revision(article: Article) -> None:
    # The cached page body and panels of the uncorrected analysis are never served again.
    Article.objects.filter(pk=article.pk).update(revision=F("revision") + 1)
    article.refresh_from_db(fields=["revision"])


def _require(user, article: Article) -> None:
    if not may_correct(user, article):
        raise PermissionDenied(
            "Only whoever added this article, staff, and readers allowed to correct (correctors) can correct "
            "its analysis."
        )


def _row_id(value: str) -> int:
    """A row id from a form; 0 (no row) for anything else: "²", "-1", a number of 5,000 digits."""
    return int(value) if value.isdecimal() and len(value) < 19 else 0


def _clean_name(name: str) -> str:
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise CorrectionRejected("Choose one of the article's people or bodies, or type a name.")
    if len(name) > NAME_MAX_CHARS:
        raise CorrectionRejected(f"The name is too long: the limit is {NAME_MAX_CHARS} characters.")
    return name


def _locate_span(article: Article, quote: Quote, words: str) -> dict:
    """The new quoted words, as the reader typed or pasted them: the copy nearest the quote."""
    words = (words or "").replace("\r\n", "\n").strip()
    if not words:
        raise CorrectionRejected("Type or paste the words that are quoted, exactly as the article has them.")
    found = anchoring.find_all(article.text, words)
    if not found:
        raise CorrectionRejected(
            "Those words are not in the article: paste them exactly as it has them (one paragraph at most)."
        )
    start = min(found, key=lambda at: abs(at - quote.start))
    end = start + len(words)
    if "\n\n" in article.text[start:end]:
        raise CorrectionRejected("A quote stays within one paragraph: choose words from one paragraph.")
    if overlap((start, end), (quote.start, quote.end)) == 0:
        raise CorrectionRejected("The new words must overlap the quote you are adjusting.")
    if (start, end) == (quote.start, quote.end):
        raise CorrectionRejected("Those are the words the quote has already.")
    return _selector(article.text, start, end)


def _choice(kind: str, article: Article, target: Quote | Entity, values: dict) -> dict:
    if kind == Correction.Kind.SPEAKER:
        chosen = str(values.get("entity") or "").strip()
        known = article.entities.filter(pk=_row_id(chosen)).first() if chosen else None
        if chosen and known is None:
            raise CorrectionRejected(
                "That name is not one of this article's (was it analysed again since the page was opened? "
                "Reload it and choose again)."
            )
        name = known.name if known is not None else _clean_name(values.get("name", ""))
        label = values.get("label") or "PERSON"
        known = known or entity_named(article, name)
        if known is not None:
            label = known.label
            name = known.name
        if label not in SPEAKER_TYPES:
            raise CorrectionRejected("A speaker is a person, an organisation, a group or a place.")
        if target.kind == Quote.Kind.SPEECH and target.speaker_name.lower() == name.lower():
            raise CorrectionRejected(f"{name} is already the speaker.")
        return {"name": name, "label": label}
    if kind == Correction.Kind.SPAN:
        return _locate_span(article, target, values.get("words", ""))
    if kind == Correction.Kind.ENTITY_TYPE:
        label = values.get("label", "")
        if label not in ENTITY_TYPES:
            raise CorrectionRejected("Choose a type from the list.")
        if label == target.label:
            raise CorrectionRejected(f"It is already a {LABEL_NAMES[label].lower()}.")
        return {"label": label}
    if kind == Correction.Kind.SAME_AS:
        actor = _actor_named(values, target)
        if actor.pk == target.actor_id:
            raise CorrectionRejected(f"{target.name} is already {actor.name} in the library.")
        return {"actor_id": actor.pk, "name": actor.name}
    if kind == Correction.Kind.NOT_SAME_AS:
        if target.actor_id is None:
            raise CorrectionRejected(f"{target.name} is not joined to anyone else in the library.")
        return {"actor_id": target.actor_id, "name": target.actor.name}
    return {}


def _actor_named(values: dict, entity: Entity) -> Actor:
    """The person or body "Same as" names: chosen from the list (an id) or typed (a name the library has)."""
    actor_id = str(values.get("actor_id") or "").strip()
    if actor_id:
        actor = Actor.objects.filter(pk=_row_id(actor_id)).first()
        if actor is None:
            raise CorrectionRejected("That person or body is not in the library.")
        return actor
    name = _clean_name(values.get("name", ""))
    rows = Actor.objects.filter(label=entity.label)
    actor = rows.filter(key=actor_key(name, entity.label)).first() or rows.filter(name__iexact=name).first()
    if actor is None:
        # A part of a name ("Pompeo" for "Mike Pompeo") is enough when only one name holds it, as in search.
        found = list(rows.filter(name__icontains=name)[:2])
        actor = found[0] if len(found) == 1 else None
    if actor is None:
        raise CorrectionRejected(
            f"Nobody called “{name}” is in the library as a {entity.label_name.lower()}."
        )
    return actor


def _passage(kind: str, target: Quote | Entity, mention: Mention | None) -> tuple[int, int]:
    if kind in Correction.QUOTE_KINDS:
        return target.start, target.end
    if mention is None:
        raise CorrectionRejected("That name is not mentioned in the text.")
    return mention.start, mention.end


def correction_create(
    *,
    user,
    article: Article,
    kind: str,
    quote: Quote | None = None,
    entity: Entity | None = None,
    values: dict | None = None,
) -> Correction:
    """Correct the analysis of one quote or name and apply it at once; raise PermissionDenied (a reader who
    may not) or CorrectionRejected (bad input), writing nothing."""
    _require(user, article)
    if kind not in Correction.Kind.values:
        raise CorrectionRejected("Unknown correction.")
    target = quote if kind in Correction.QUOTE_KINDS else entity
    if target is None or target.article_id != article.pk:
        raise CorrectionRejected("Choose a quote or a name of this article to correct.")
    mention = entity.mentions.order_by("start").first() if entity is not None else None
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.analysis_state != Article.Analysis.DONE:
            raise CorrectionRejected("The article is being analysed again: correct it when that is done.")
        choice = _choice(kind, article, target, values or {})
        start, end = _passage(kind, target, mention)
        anchor = anchoring.quote_selector(article.text, start, end)
        earlier = [c for c in article.corrections.in_force().filter(kind=kind) if _same_thing(c, target)]
        correction = Correction(
            article=article,
            author=user,
            kind=kind,
            start=start,
            end=end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            choice=choice,
        )
        if earlier:
            # A second fix of the same thing takes the first's place: undoing it brings the analysis back.
            _rebuild(article, without=earlier, adding=correction)
            Correction.objects.filter(pk__in=[c.pk for c in earlier]).update(
                undone=timezone.now(), undone_by=user, replaced_by=correction
            )
        else:
            actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
            correction.save()
            problem = apply_correction(correction, article)
            if problem:
                raise CorrectionRejected(problem)
            correction.save()
            actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated)
        _new_revision(article)
    return correction


def _same_thing(correction: Correction, target: Quote | Entity) -> bool:
    if isinstance(target, Quote):
        return correction.quote_id == target.pk
    return correction.entity_id == target.pk


def _rebuild(
    article: Article, *, without: Iterable[Correction] = (), adding: Correction | None = None
) -> None:
    """Revert the corrections in force (last first), then apply them again less `without`, plus `adding`;
    the tallies follow. Inside the caller's transaction."""
    dropped = {c.pk for c in without}
    in_force = list(article.corrections.in_force().select_for_update().order_by("-created", "-pk"))
    actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated, sign=-1)
    for correction in in_force:
        revert_correction(correction, article)
    kept = [c for c in reversed(in_force) if c.pk not in dropped]
    if adding is not None:
        adding.save()
        kept.append(adding)
    for correction in kept:
        correction.problem = apply_correction(correction, article)
        if correction is adding and correction.problem:
            raise CorrectionRejected(correction.problem)
        correction.placed = not correction.problem
    Correction.objects.bulk_update(kept, [*SAVED_FIELDS, "quote_id", "entity_id"])
    actors.tally_add(article_id=article.pk, source=article.source, dated=article.dated)


def correction_undo(*, correction: Correction, user) -> Correction:
    """Undo a correction (its author or staff): the analysis's answer comes back, the others stay."""
    if not correction.may_undo(user):
        if not correction.is_active:
            raise CorrectionRejected("That correction was already undone.")
        raise PermissionDenied("Only whoever made a correction, or staff, can undo it.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=correction.article_id)
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if not correction.is_active:
            raise CorrectionRejected("That correction was already undone.")
        if correction.placed and article.analysis_state == Article.Analysis.DONE:
            _rebuild(article, without=[correction])
        Correction.objects.filter(pk=correction.pk).update(undone=timezone.now(), undone_by=user)
        _new_revision(article)
    correction.refresh_from_db()
    return correction
