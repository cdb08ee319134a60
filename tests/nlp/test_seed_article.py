from __future__ import annotations

import json

from spacy.language import Language

from articles.nlp.jsonl import analyze_document

from ..conftest import GOLD, SEED


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _best_quote(quotes: list[dict], start: int, end: int) -> dict | None:
    best, best_overlap = None, 0
    for quote in quotes:
        overlap = min(end, quote["end"]) - max(start, quote["start"])
        if overlap * 2 >= end - start and overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best


def test_seed_article_finds_all_gold_quotes_with_their_speakers(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = analyze_document(str(SEED), text, nlp)
    for gold in _gold()["quotes"]:
        start = text.find(gold["text"])
        assert start >= 0
        quote = _best_quote(result["quotes"], start, start + len(gold["text"]))
        assert quote is not None, gold["text"]
        if gold["speaker"] is None:
            assert not quote["speaker"] or quote["speaker"] in gold["speaker_ok"], gold["text"]
        else:
            assert quote["speaker"] in gold["speaker_ok"], (gold["text"], quote["speaker"])


def test_seed_article_names_people_by_their_fullest_name(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = analyze_document(str(SEED), text, nlp)
    names = {(e["text"], e["name"]) for e in result["entities"] if e["label"] == "PERSON"}
    assert ("Moon", "Moon Jae-in") in names
    assert ("Kim", "Kim Jong-un") in names
    assert ("Cohen", "Michael D. Cohen") in names


def test_seed_article_has_no_false_people(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    result = analyze_document(str(SEED), text, nlp)
    people = {e["text"] for e in result["entities"] if e["label"] == "PERSON"}
    for not_person in _gold()["not_people"]:
        assert not_person not in people
    assert not any("Credit" in name for name in people)
