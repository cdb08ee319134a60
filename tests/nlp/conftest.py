from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from spacy.language import Language

from articles.nlp.model import load_model
from articles.nlp.pipeline import analyze
from articles.nlp.types import Analysis, Block

Run = Callable[[str], Analysis]  # the `run` fixture: analyze a short text


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model(settings.NEWSREADER_SPACY_MODEL)


def blocks_of(text: str) -> list[Block]:
    """First line is the headline, every other non-empty line a paragraph."""
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            blocks.append(Block("paragraph" if blocks else "headline", match.start(), match.end()))
    return blocks


@pytest.fixture(scope="session")
def run(nlp: Language) -> Run:
    """Analyze a short text whose first line is a headline."""

    def _run(text: str) -> Analysis:
        return analyze(text, blocks_of(text), nlp)

    return _run
