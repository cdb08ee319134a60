"""Pronoun resolution: a speaker pronoun goes to the nearest earlier person who agrees with it."""

from __future__ import annotations

from collections.abc import Sequence

from .lexicon import FEMALE_FIRST_NAMES, FEMALE_PRONOUNS, MALE_FIRST_NAMES, MALE_PRONOUNS


def name_gender(name: str) -> str:
    """'m' or 'f' when the first word is a common first name, else ''."""
    first = name.split()[0].lower() if name.split() else ""
    if first in MALE_FIRST_NAMES:
        return "m"
    if first in FEMALE_FIRST_NAMES:
        return "f"
    return ""


def pronoun_gender(pronoun: str) -> str:
    lowered = pronoun.lower()
    if lowered in MALE_PRONOUNS:
        return "m"
    if lowered in FEMALE_PRONOUNS:
        return "f"
    return ""


def resolve_pronoun(
    pronoun: str,
    position: int,
    candidates: Sequence[tuple[int, int, bool]],
    genders: Sequence[str],
    window: int,
) -> int | None:
    """Entity index for a he/she at `position`. `candidates` are (start, entity, is_subject) of earlier person
    mentions outside quotes, in text order; the nearest agreeing subject within `window` characters wins,
    else the nearest agreeing mention."""
    gender = pronoun_gender(pronoun)
    if not gender:
        return None
    nearest: int | None = None
    for start, entity, is_subject in reversed(candidates):
        if start >= position:
            continue
        if genders[entity] and genders[entity] != gender:
            continue
        if nearest is None:
            nearest = entity
        if is_subject:
            return entity
        if position - start > window:
            break
    return nearest


def resolve_group(position: int, candidates: Sequence[tuple[int, int, bool]], window: int) -> int | None:
    """Entity index for a "they" at `position`: the nearest earlier organisation or group named as a subject
    within `window` characters, else None (the pronoun keeps its own name)."""
    for start, entity, is_subject in reversed(candidates):
        if start >= position:
            continue
        if position - start > window:
            return None
        if is_subject:
            return entity
    return None
