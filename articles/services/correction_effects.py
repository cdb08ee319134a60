"""What a reader's correction does to the stored rows: finding the quote or name it applies to in the current
analysis, applying it (speaker, span, type, name, the person across the library, the tallies) and reverting it to
what it replaced. Called by `corrections`, which decides when."""

from __future__ import annotations

from .. import anchoring
from ..models import (
    Actor,
    Article,
    Correction,
    Entity,
    Mention,
    Quote,
    fit,
)
from ..names import actor_key
from . import actors

# --- finding what a correction applies to in the current analysis ---------------------------------------------


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _quote_at(article: Article, start: int, end: int) -> Quote | None:
    """The statement at the passage: the one with these offsets, else the one that shares at least half of
    the longer of the two (so a partly quoted statement is not taken for the quote inside it)."""
    best, most = None, 0
    for quote in article.quotes.filter(start__lt=end, end__gt=start):
        if (quote.start, quote.end) == (start, end):
            return quote
        shared = overlap((quote.start, quote.end), (start, end))
        if shared * 2 >= max(quote.end - quote.start, end - start) and shared > most:
            best, most = quote, shared
    return best


def _entity_at(article: Article, start: int, end: int) -> Entity | None:
    """The name mentioned at the passage (the mention with these offsets, else the one overlapping most)."""
    best, most = None, 0
    for mention in article.mentions.filter(start__lt=end, end__gt=start).select_related("entity"):
        if (mention.start, mention.end) == (start, end):
            return mention.entity
        shared = overlap((mention.start, mention.end), (start, end))
        if shared * 2 >= max(mention.end - mention.start, end - start) and shared > most:
            best, most = mention.entity, shared
    return best


def entity_named(article: Article, name: str, label: str | None = None) -> Entity | None:
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
    entity = entity_named(article, name, label) or entity_named(article, name)
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
    quote.speaker = entity_named(article, speaker[0], speaker[1]) if speaker else None
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


def apply_correction(correction: Correction, article: Article) -> str:
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


def revert_correction(correction: Correction, article: Article) -> None:
    """Put back what `correction` replaced in the current rows (it was applied last of those in force)."""
    kind, machine = correction.kind, correction.machine
    if kind == Correction.Kind.NOT_QUOTE:
        fields = dict(machine)
        speaker = fields.pop("speaker")
        Quote.objects.create(
            article=article,
            speaker=entity_named(article, speaker[0], speaker[1]) if speaker else None,
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
