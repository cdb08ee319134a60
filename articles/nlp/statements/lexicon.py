"""Word lists of the statement engine: nouns that report, and the cue lemmas learned from PolNeAR train
(read from the scorer's weights file, where `bench/train_statement_scorer.py` writes them)."""

from __future__ import annotations

import json
from pathlib import Path

from ..lexicon import word_set

WEIGHTS_FILE = Path(__file__).with_name("statement_scorer.json")

# Nouns that report what their clause says: "the claim that ...", "his view that ...".
CUE_NOUNS = word_set(
    """
    claim claims statement statements report reports belief view views assertion argument warning promise
    hope hopes fear fears suggestion allegation allegations accusation accusations charge charges insistence
    announcement notion idea assurance assurances pledge threat threats admission denial prediction
    conclusion finding findings estimate insisting concern concerns demand demands call calls proposal
    """
)


def _learned(key: str) -> frozenset[str]:
    if not WEIGHTS_FILE.exists():
        return frozenset()
    with open(WEIGHTS_FILE, encoding="utf-8") as f:
        return frozenset(json.load(f).get(key, ()))


# Lemmas PolNeAR train marks as cues often enough to propose (see bench/train_statement_scorer.py): verbs
# ("say", "endorse"), adjectives ("critical of", "confident that") and nouns ("criticism of").
LEARNED_CUE_LEMMAS = _learned("cue_lemmas")
LEARNED_CUE_ADJECTIVES = _learned("cue_adjectives")
LEARNED_CUE_NOUNS = _learned("cue_nouns")
