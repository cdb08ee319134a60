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
    fit,
    may_correct,
)
from ..names import actor_key
from . import actors

# The types a reader may give a name ("Wrong type"), in the words the page uses.
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
# Who may be named as a speaker: people, organisations and groups, and places that speak ("Washington said").
SPEAKER_TYPES = ("PERSON", "ORG", "NORP", "GPE")
NAME_MAX_CHARS = Entity._meta.get_field("name").max_length or 300


class CorrectionRejected(ValueError):
    """A correction that cannot be made; the message is written for the reader who sent it."""


# --- finding what a correction applies to in the current analysis ---------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _quote_at(article: Article, start: int, end: int) -> Quote | None:
    """The statement at the passage: the one with these offsets, else the one that shares at least half of
    the longer of the two (so a partly quoted statement is not taken for the quote inside it)."""
    best, most = None, 0
    for quote in article.quotes.filter(start__lt=end, end__gt=start):
        if (quote.start, quote.end) == (start, end):
            return quote
        shared = _overlap((quote.start, quote.end), (start, end))
        if shared * 2 >= max(quote.end - quote.start, end - start) and shared > most:
            best, most = quote, shared
    return best


def _entity_at(article: Article, start: int, end: int) -> Entity | None:
    """The name mentioned at the passage (the mention with these offsets, else the one overlapping most)."""
    best, most = None, 0
    for mention in article.mentions.filter(start__lt=end, end__gt=start).select_related("entity"):
        if (mention.start, mention.end) == (start, end):
            return mention.entity
        shared = _overlap((mention.start, mention.end), (start, end))
        if shared * 2 >= max(mention.end - mention.start, end - start) and shared > most:
            best, most = mention.entity, shared
    return best


def _entity_named(article: Article, name: str, label: str | None = None) -> Entity | None:
    rows = article.entities.filter(name__iexact=name)
    if label:
        rows = rows.filter(label=label)
    return rows.order_by("-mention_count", "pk").first()


def _speaker_span(article: Article, entity: Entity, quote: Quote) -> tuple[int | None, int | None]:
    """Where the text names the speaker: their mention nearest before the statement (else after it), else
    the name's words nearest before it; None when the text never names them."""
    mentions = list(entity.mentions.values_list("start", "end"))
    if not mentions:
        lowered, name = article.text.lower(), entity.name.lower()
        mentions = [(at, at + len(name)) for at in anchoring.find_all(lowered, name)]
    if not mentions:
        return None, None
    before = [m for m in mentions if m[1] <= quote.start]
    start, end = max(before) if before else min(mentions, key=lambda m: abs(m[0] - quote.end))
    return start, end


# --- applying and reverting one correction -----------------------------------------------------------------------


def _speaker_entity(article: Article, name: str, label: str) -> tuple[Entity, bool]:
    """The article's name for the chosen speaker, made (without mentions) when the text has none by it."""
    entity = _entity_named(article, name, label) or _entity_named(article, name)
    if entity is not None:
        return entity, False
    [actor] = actors.actors_for([(name, label)])
    return Entity.objects.create(article=article, name=name, label=label, actor=actor, mention_count=0), True


def _quote_fields(quote: Quote) -> dict:
    speaker = quote.speaker
    return {
        "speaker": [speaker.name, speaker.label] if speaker is not None else None,
        "speaker_name": quote.speaker_name,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "speaker_description": quote.speaker_description,
        "kind": quote.kind,
        "confidence": quote.confidence,
    }


def _restore_speaker(article: Article, quote: Quote, machine: dict) -> None:
    speaker = machine.get("speaker")
    quote.speaker = _entity_named(article, speaker[0], speaker[1]) if speaker else None
    for name in ("speaker_name", "speaker_start", "speaker_end", "speaker_description", "kind", "confidence"):
        setattr(quote, name, machine.get(name))
    quote.speaker_name = quote.speaker_name or ""
    quote.speaker_description = quote.speaker_description or ""
    quote.save()


def _row_fields(quote: Quote) -> dict:
    fields = {
        name: getattr(quote, name)
        for name in ("start", "end", "text", "form", "cue", "content", "cue_spans", "fragment")
    }
    return {**fields, **_quote_fields(quote)}


def _apply(correction: Correction, article: Article) -> str:
    """Apply one correction to the current rows; "" when done, else why it cannot be (nothing changed)."""
    kind, choice = correction.kind, correction.choice
    span = (correction.start, correction.end)
    if correction.on_quote:
        quote = _quote_at(article, *span)
        if quote is None:
            return "The analysis no longer finds a statement there."
        correction.quote_id = quote.pk
        if kind == Correction.Kind.SPEAKER:
            correction.machine = _quote_fields(quote)
            entity, made = _speaker_entity(article, choice["name"], choice["label"])
            correction.machine["made_entity"] = entity.pk if made else None
            quote.speaker, quote.speaker_name, quote.kind = entity, entity.name, Quote.Kind.SPEECH
            quote.speaker_start, quote.speaker_end = _speaker_span(article, entity, quote)
            quote.speaker_description = ""
            quote.confidence = None  # the analysis's confidence was in its own speaker, not the reader's
            quote.save()
            correction.entity_id = entity.pk
        elif kind == Correction.Kind.NOT_QUOTE:
            correction.machine = _row_fields(quote)
            correction.quote_id = None
            quote.delete()
        elif kind == Correction.Kind.SPAN:
            start, end = choice["start"], choice["end"]
            correction.machine = {
                "start": quote.start,
                "end": quote.end,
                "text": quote.text,
                "content": quote.content,
            }
            quote.start, quote.end, quote.text = start, end, article.text[start:end]
            quote.content = [[start, end]]
            quote.save()
        return ""
    entity = _entity_at(article, *span)
    if entity is None:
        return "The analysis no longer finds a name there."
    correction.entity_id = entity.pk
    if kind == Correction.Kind.ENTITY_TYPE:
        correction.machine = {"label": entity.label, "actor_id": entity.actor_id}
        [entity.actor] = actors.actors_for([(entity.name, choice["label"])])
        entity.label = choice["label"]
        entity.save(update_fields=["label", "actor"])
    elif kind == Correction.Kind.NOT_NAME:
        correction.machine = {
            "name": entity.name,
            "label": entity.label,
            "description": entity.description,
            "actor_id": entity.actor_id,
            "mention_count": entity.mention_count,
            "mentions": list(entity.mentions.values_list("start", "end", "text")),
            "quotes": list(entity.quotes.values_list("start", "end")),
        }
        correction.entity_id = None
        entity.delete()
    elif kind == Correction.Kind.SAME_AS:
        if not Actor.objects.filter(pk=choice["actor_id"]).exists():
            return f"{choice['name']} is no longer in the library."
        correction.machine = {"actor_id": entity.actor_id}
        entity.actor_id = choice["actor_id"]
        entity.save(update_fields=["actor"])
    elif kind == Correction.Kind.NOT_SAME_AS:
        correction.machine = {"actor_id": entity.actor_id}
        entity.actor = _own_actor(correction, entity)
        entity.save(update_fields=["actor"])
    return ""


def _own_actor(correction: Correction, entity: Entity) -> Actor:
    """The person or body a name parted from another becomes: an actor of its own, kept across analyses."""
    own = Actor.objects.filter(pk=correction.choice.get("own_actor_id")).first()
    if own is None:
        base = actor_key(entity.name, entity.label) or entity.name.lower()
        key = fit(Actor, "key", f"{base} ~{correction.pk}")
        own, _ = Actor.objects.get_or_create(
            label=entity.label, key=key, defaults={"name": fit(Actor, "name", entity.name)}
        )
        correction.choice = {**correction.choice, "own_actor_id": own.pk}
    return own


def _revert(correction: Correction, article: Article) -> None:
    """Put back what `correction` replaced in the current rows (it was applied last of those in force)."""
    kind, machine = correction.kind, correction.machine
    if kind == Correction.Kind.NOT_QUOTE:
        fields = dict(machine)
        speaker = fields.pop("speaker")
        Quote.objects.create(
            article=article,
            speaker=_entity_named(article, speaker[0], speaker[1]) if speaker else None,
            **fields,
        )
        return
    if kind == Correction.Kind.NOT_NAME:
        entity = Entity.objects.create(
            article=article,
            name=machine["name"],
            label=machine["label"],
            description=machine["description"],
            actor_id=machine["actor_id"] if Actor.objects.filter(pk=machine["actor_id"]).exists() else None,
            mention_count=machine["mention_count"],
        )
        Mention.objects.bulk_create(
            [
                Mention(article=article, entity=entity, start=s, end=e, text=t)
                for s, e, t in machine["mentions"]
            ]
        )
        for start, end in machine["quotes"]:
            article.quotes.filter(start=start, end=end, speaker__isnull=True).update(speaker=entity)
        return
    if correction.on_quote:
        # Found by its words when a later correction's undo made the row anew ("not a quote" undone).
        where = (
            (correction.choice["start"], correction.choice["end"]) if kind == Correction.Kind.SPAN else None
        )
        quote = Quote.objects.filter(pk=correction.quote_id, article=article).first() or _quote_at(
            article, *(where or (correction.start, correction.end))
        )
        if quote is None:
            return
        if kind == Correction.Kind.SPEAKER:
            _restore_speaker(article, quote, machine)
            made = machine.get("made_entity")
            if made and not Quote.objects.filter(speaker_id=made).exists():
                Entity.objects.filter(pk=made, mention_count=0).delete()
        elif kind == Correction.Kind.SPAN:
            for name in ("start", "end", "text", "content"):
                setattr(quote, name, machine[name])
            quote.save()
        return
    entity = Entity.objects.filter(pk=correction.entity_id, article=article).first() or _entity_at(
        article, correction.start, correction.end
    )
    if entity is None:
        return
    if kind == Correction.Kind.ENTITY_TYPE:
        entity.label = machine["label"]
    entity.actor_id = machine["actor_id"] if Actor.objects.filter(pk=machine["actor_id"]).exists() else None
    entity.save(update_fields=["label", "actor"])


# --- placing corrections in the current text, and applying them all ------------------------------------------


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
            correction.problem = _apply(correction, article)
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
    if _overlap((start, end), (quote.start, quote.end)) == 0:
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
        known = known or _entity_named(article, name)
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
            problem = _apply(correction, article)
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
        _revert(correction, article)
    kept = [c for c in reversed(in_force) if c.pk not in dropped]
    if adding is not None:
        adding.save()
        kept.append(adding)
    for correction in kept:
        correction.problem = _apply(correction, article)
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
