"""How sure the analysis is of a reported or partly quoted statement's attribution: the statement scorer's
probability for the reading it kept, put on the scale of how often such a statement is right (PolNeAR has an
attribution with that content, matched one to one as the shared scorer matches them, and its source is the one
named). The curves are the quotes' kind (Platt scaling, speakers/confidence.py), one for a source the text
names and one for a pronoun resolved through the clustering ("he said ..."), which the scorer's probability
rates too high. They are fitted on PolNeAR train with each probability from weights that never saw the
document (5 folds, as the scorer's own cross-validation), by `bench/calibrate_statement_confidence.py`, and ship
in `statement_confidence.json` beside this module. Never fitted on dev. Without the file there is no
confidence."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..lexicon import CUE_SUBJECT_PRONOUNS, word_set
from ..speakers.confidence import Calibration

CALIBRATION_FILE = Path(__file__).with_name("statement_confidence.json")
NAMED, PRONOUN = "named", "pronoun"
# A source the text names only by a pronoun: a subject ("he said"), an owner ("his claim that"), or the
# relative pronoun of a clause ("the group, which said"); each stands for someone the clustering resolves.
PRONOUN_SOURCES = CUE_SUBJECT_PRONOUNS | word_set("his her their its our my your which that")


def source_kind(source: str) -> str:
    """PRONOUN when the text names the source by a pronoun ("he", "his", "who"), else NAMED."""
    return PRONOUN if source.strip().lower() in PRONOUN_SOURCES else NAMED


@dataclass(frozen=True)
class StatementCalibration:
    curves: dict[str, Calibration]  # by source kind

    def apply(self, probability: float, source: str) -> float:
        """The calibrated confidence for the scorer's `probability`, the source named in the text as `source`."""
        return self.curves[source_kind(source)].apply(probability)


@cache
def load_statement_calibration(path: Path = CALIBRATION_FILE) -> StatementCalibration | None:
    """The fitted curves, read once per process; None when they were never fitted."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return StatementCalibration(
        curves={
            kind: Calibration(slope=float(data[kind]["slope"]), intercept=float(data[kind]["intercept"]))
            for kind in (NAMED, PRONOUN)
        }
    )
