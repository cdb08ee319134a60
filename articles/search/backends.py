"""The one place that asks which database this is: each backend is a module with the same functions."""

from __future__ import annotations

from types import ModuleType

from django.db import DEFAULT_DB_ALIAS, connections

from . import fts5, postgres


def backend(using: str = DEFAULT_DB_ALIAS) -> ModuleType:
    return postgres if connections[using].vendor == "postgresql" else fts5
