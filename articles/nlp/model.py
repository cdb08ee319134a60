"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language


@cache
def load_model(name: str) -> Language:
    """Load a spaCy pipeline by package name; later calls with the same name reuse it."""
    return spacy.load(name)
