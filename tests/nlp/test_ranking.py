from __future__ import annotations

from articles.nlp.speakers.features import nobody_features
from articles.nlp.speakers.ranker import Ranker, load_ranker

from .conftest import Run


def test_learned_weights_are_read_once_per_process() -> None:
    assert load_ranker() is load_ranker()


def test_a_quoted_term_gets_no_speaker_that_no_rule_proposed() -> None:
    ranker = Ranker({"unproposed": 5.0})
    short = nobody_features(["words:1"])
    long = nobody_features(["words:15"])
    assert ranker.choose(short, [["unproposed"]]) is None
    assert ranker.choose(long, [["unproposed"]]) == 0


def test_the_rules_choice_by_a_verb_of_manner_is_never_set_aside_for_nobody() -> None:
    ranker = Ranker({"nobody": 5.0})
    assert ranker.choose(nobody_features([]), [["rule-rank:0|first:manner-verb"]]) == 0
    assert ranker.choose(nobody_features([]), [["rule-rank:0|first:cue"]]) is None


def test_an_unproposed_speaker_needs_a_margin_over_nobody() -> None:
    ranker = Ranker({"unproposed": 0.3}, unproposed_margin=0.5)
    assert ranker.choose(nobody_features(["words:15"]), [["unproposed"]]) is None


def test_a_ranked_speaker_names_the_strategy_that_proposed_it(run: Run) -> None:
    text = "Budget news\n“The budget is balanced,” Maria Lopez said on Monday."
    quote = run(text).quotes[0]
    assert (quote.speaker, quote.via) == ("Maria Lopez", "cue")


def test_a_signature_after_a_dash_outranks_every_other_candidate() -> None:
    ranker = Ranker({"previous-speaker": 5.0})
    candidates = [["rule-rank:1|first:continuation", "previous-speaker"], ["rule-rank:0|first:signed"]]
    assert ranker.choose(nobody_features(["words:15"]), candidates) == 1
