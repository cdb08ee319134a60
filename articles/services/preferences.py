"""A reader's reading settings: theme, font size, line width, typeface, and the highlight types they hide.

Readers with an account keep them in a ReaderPreferences row; anonymous readers keep them in their browser
(static/js/reading.js), so reading them for an anonymous reader returns the defaults and writes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ..models import LABEL_NAMES, ReaderPreferences

# The legend's switches: quotes, and every entity label.
HIGHLIGHT_TYPES = ("quote", "said", *LABEL_NAMES)

CHOICES: dict[str, tuple[str, ...]] = {
    "theme": tuple(ReaderPreferences.Theme.values),
    "font_size": tuple(ReaderPreferences.FontSize.values),
    "line_width": tuple(ReaderPreferences.LineWidth.values),
    "typeface": tuple(ReaderPreferences.Typeface.values),
}
FIELDS = (*CHOICES, "hidden_types")


class PreferencesRejected(ValueError):
    """A setting that does not exist, or a value it cannot take; the message says which and what it can be."""


@dataclass(frozen=True)
class Preferences:
    """What templates read as `reader_preferences`: the reader's settings, or the defaults."""

    theme: str = ReaderPreferences.Theme.SYSTEM
    font_size: str = ReaderPreferences.FontSize.MEDIUM
    line_width: str = ReaderPreferences.LineWidth.NORMAL
    typeface: str = ReaderPreferences.Typeface.SERIF
    hidden_types: tuple[str, ...] = field(default_factory=tuple)
    # Whether they come from an account (else the browser keeps them).
    stored: bool = False

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["hidden_types"] = list(self.hidden_types)
        values.pop("stored")
        return values


DEFAULTS = Preferences()


def _from_row(row: ReaderPreferences) -> Preferences:
    return Preferences(
        theme=row.theme,
        font_size=row.font_size,
        line_width=row.line_width,
        typeface=row.typeface,
        hidden_types=tuple(row.hidden_types or ()),
        stored=True,
    )


def preferences_for(user) -> Preferences:
    """The reader's settings; the defaults (nothing written) for anonymous readers and those who never chose."""
    if user is None or not user.is_authenticated:
        return DEFAULTS
    row = ReaderPreferences.objects.filter(user=user).first()
    return _from_row(row) if row else Preferences(stored=True)


def clean_hidden_types(value: Any) -> list[str]:
    """A list (or a comma-separated string) of highlight types, each known, without repeats, in legend order."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise PreferencesRejected("hidden_types must be a list of highlight types.")
    unknown = [str(item)[:40] for item in value if item not in HIGHLIGHT_TYPES]
    if unknown:
        raise PreferencesRejected(
            f"Unknown highlight type “{unknown[0]}”: the types are {', '.join(HIGHLIGHT_TYPES)}."
        )
    return [kind for kind in HIGHLIGHT_TYPES if kind in value]


def clean_preferences(changes: dict[str, Any]) -> dict[str, Any]:
    """Every change checked before any is kept: an unknown setting or value refuses them all."""
    unknown = sorted(str(name)[:40] for name in changes if name not in FIELDS)
    if unknown:
        raise PreferencesRejected(f"Unknown setting “{unknown[0]}”: the settings are {', '.join(FIELDS)}.")
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "hidden_types":
            cleaned[name] = clean_hidden_types(value)
            continue
        allowed = CHOICES[name]
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            shown = str(value)[:40]
            raise PreferencesRejected(
                f"{name.replace('_', ' ').capitalize()} cannot be “{shown}”: choose one of {', '.join(allowed)}."
            )
        cleaned[name] = value.strip().lower()
    return cleaned


def preferences_update(*, user, **changes: Any) -> Preferences:
    """Keep the reader's changed settings (any subset); raise PreferencesRejected, writing nothing, on bad input."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(
            "Log in to keep settings with your account; this browser keeps them otherwise."
        )
    cleaned = clean_preferences(changes)
    with transaction.atomic():
        row, _ = ReaderPreferences.objects.select_for_update().get_or_create(user=user)
        for name, value in cleaned.items():
            setattr(row, name, value)
        if cleaned:
            row.save()
    return _from_row(row)
