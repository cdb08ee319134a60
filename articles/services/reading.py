"""A reader's own state of an article: read or unread, archived, favourite, and where they left off."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Article, ReadingState

# Scrolled this far (per cent), the reader has reached the end: the article counts as read.
READ_AT_PROGRESS = 100
FLAGS = ("read", "archived", "favourite")


class ReadingRejected(ValueError):
    """A reading state that cannot be kept; the message says why."""


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to keep your own reading list.")


def _clean_flags(flags: dict) -> dict[str, bool]:
    unknown = sorted(name for name in flags if name not in FLAGS)
    if unknown:
        raise ReadingRejected(
            f"Unknown reading state “{unknown[0][:40]}”: the states are {', '.join(FLAGS)}."
        )
    cleaned = {}
    for name, value in flags.items():
        if value is None:
            continue
        if not isinstance(value, bool):
            raise ReadingRejected(f"{name.capitalize()} is yes or no, not “{str(value)[:40]}”.")
        cleaned[name] = value
    return cleaned


def reading_mark(*, user, article: Article, **flags: bool | None) -> ReadingState:
    """Set any of read, archived, favourite for this reader (None leaves one as it is)."""
    return readings_mark_many(user=user, articles=[article], **flags)[0]


def readings_mark_many(*, user, articles: Iterable[Article], **flags: bool | None) -> list[ReadingState]:
    """The same flags on many articles at once (the library's bulk actions), in one transaction."""
    _require_user(user)
    cleaned = _clean_flags(flags)
    articles = list(articles)
    states = []
    with transaction.atomic():
        for article in articles:
            state, _ = ReadingState.objects.select_for_update().get_or_create(user=user, article=article)
            for name, value in cleaned.items():
                setattr(state, name, value)
            if cleaned:
                state.save()
            states.append(state)
    return states


def reading_position_save(*, user, article: Article, position: int, progress: int) -> ReadingState:
    """Where the reader left off: `position` is an offset into the text (the first paragraph in view),
    `progress` how far through the article they are, in per cent; reaching the end marks it read."""
    _require_user(user)
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= len(article.text):
        raise ReadingRejected(
            f"The reading position must be a place in the article (0 to {len(article.text):,})."
        )
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReadingRejected("The reading progress is a percentage, from 0 to 100.")
    with transaction.atomic():
        state, _ = ReadingState.objects.select_for_update().get_or_create(user=user, article=article)
        state.position, state.progress = position, progress
        if progress >= READ_AT_PROGRESS:
            state.read = True
        state.save()
    return state


def readings_mark_read(*, user, article_ids: Iterable[int]) -> int:
    """Mark many articles read at once (a feed's "Mark all read"), in one transaction: the states the reader
    lacks are made (one made meanwhile by another request is kept), then all are marked. Returns how many
    articles that was."""
    _require_user(user)
    ids = sorted(set(article_ids))
    with transaction.atomic():
        # A bounded number of parameters per statement, on every database.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            ReadingState.objects.bulk_create(
                [ReadingState(user=user, article_id=pk) for pk in chunk], ignore_conflicts=True
            )
            ReadingState.objects.filter(user=user, article_id__in=chunk).update(
                read=True, updated=timezone.now()
            )
    return len(ids)
