"""The analysis's confidence in a quote's speaker: the ranker's share for its choice, calibrated on PolNeAR
train held out (bench/calibrate_speaker_confidence.py)."""

from __future__ import annotations

import math

from articles.nlp.speakers.confidence import Calibration, load_calibration
from articles.nlp.speakers.ranker import Ranker

from .conftest import Run

BRIDGE = (
    "Bridge talks stall\n"
    "Mayor Ana Ruiz met Tom Berg, the council's treasurer, at the Springfield town hall on Monday.\n"
    "“The bridge will reopen in May,” Berg said after the meeting.\n"
    "“Sometimes you have to walk,” he said.\n"
    "The plan was called “a bridge too far” by some."
)


def test_the_ranker_s_shares_are_a_softmax_over_nobody_and_the_candidates() -> None:
    ranker = Ranker({"strong": 2.0, "weak": 0.5, "nobody": 0.0})
    nobody, candidates = ["nobody"], [["strong"], ["weak"]]
    shares = [ranker.probability(nobody, candidates, i) for i in range(len(candidates))]
    nobody_share = 1 / (1 + math.exp(2.0) + math.exp(0.5))
    assert math.isclose(sum(shares) + nobody_share, 1.0)
    assert math.isclose(shares[0], math.exp(2.0) * nobody_share)
    assert shares[0] > shares[1]


def test_the_calibration_curve_keeps_the_order_and_stays_inside_zero_and_one() -> None:
    identity = Calibration(slope=1.0, intercept=0.0)
    assert math.isclose(identity.apply(0.3), 0.3)
    curve = Calibration(slope=0.6, intercept=-0.4)
    values = [curve.apply(share) for share in (0.0, 0.2, 0.5, 0.8, 1.0)]
    assert values == sorted(values) and all(0 < v < 1 for v in values)


def test_the_shipped_calibration_is_read_once_per_process() -> None:
    curve = load_calibration()
    assert curve is not None and curve is load_calibration()
    assert curve.slope > 0  # a surer ranker is more often right


def test_each_chosen_speaker_carries_a_confidence_and_an_unattributed_quote_none(run: Run) -> None:
    analysis = run(BRIDGE)
    by_text = {q.text: q for q in analysis.quotes}
    said = by_text["“The bridge will reopen in May,”"]
    assert said.speaker == "Tom Berg" and said.confidence is not None and 0 < said.confidence < 1
    term = by_text["“a bridge too far”"]
    assert term.kind == "unattributed" and term.confidence is None
