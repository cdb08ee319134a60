"""How sure the analysis is of a quote's speaker: the ranker's share for its choice, put on the scale of how
often such a choice is right. The curve (Platt scaling over the share's log-odds) is fitted on PolNeAR train,
each share from a ranker that did not see the quote (5 folds), by `bench/calibrate_speaker_confidence.py`,
and ships in `speaker_confidence.json` beside this module; never on dev, which is kept for reporting.
Without the file there is no confidence."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("speaker_confidence.json")
EDGE = 1e-6  # shares of exactly 0 or 1 have no log-odds


@dataclass(frozen=True)
class Calibration:
    slope: float
    intercept: float

    def apply(self, share: float) -> float:
        share = min(max(share, EDGE), 1 - EDGE)
        return 1 / (1 + math.exp(-(self.slope * math.log(share / (1 - share)) + self.intercept)))


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    """The fitted curve, read once per process; None when it was never fitted."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Calibration(slope=float(data["slope"]), intercept=float(data["intercept"]))
