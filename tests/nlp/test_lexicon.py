from __future__ import annotations

from articles.nlp import lexicon


def test_every_word_list_is_lower_case_single_words() -> None:
    # tokens are lower-cased before lookup, so "Undersecretary" added as written would never match
    lists = {name: words for name, words in vars(lexicon).items() if name.isupper()}
    assert len(lists) > 20
    for name, words in lists.items():
        assert all(word == word.lower() and len(word.split()) == 1 for word in words), name
