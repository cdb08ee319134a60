"""The token rules of attribution.py on parses written out by hand, for parses the model gives only in long
articles."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from articles.nlp.attribution import speaker_token


def _parsed(nlp: Language, rows: list[tuple[str, int, str, str, str, str, str]]) -> Doc:
    """A Doc from (word, head, dep, pos, tag, lemma, entity tag) rows."""
    words, heads, deps, pos, tags, lemmas, ents = (list(column) for column in zip(*rows))
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas, ents=ents)


def test_time_after_an_inverted_cue_is_not_its_speaker(nlp: Language) -> None:
    # “Yes,” Varga, an aide, said Thursday morning.  -- the model left "said" without a subject
    doc = _parsed(
        nlp,
        [
            ("“", 1, "punct", "PUNCT", "``", "“", "O"),
            ("Yes", 9, "ccomp", "INTJ", "UH", "yes", "O"),
            (",", 1, "punct", "PUNCT", ",", ",", "O"),
            ("”", 1, "punct", "PUNCT", "''", "”", "O"),
            ("Varga", 7, "compound", "PROPN", "NNP", "Varga", "B-PERSON"),
            (",", 4, "punct", "PUNCT", ",", ",", "O"),
            ("an", 7, "det", "DET", "DT", "an", "O"),
            ("aide", 9, "npadvmod", "NOUN", "NN", "aide", "O"),
            (",", 9, "punct", "PUNCT", ",", ",", "O"),
            ("said", 9, "ROOT", "VERB", "VBD", "say", "O"),
            ("Thursday", 11, "compound", "PROPN", "NNP", "Thursday", "B-DATE"),
            ("morning", 9, "npadvmod", "NOUN", "NN", "morning", "I-DATE"),
            (".", 9, "punct", "PUNCT", ".", ".", "O"),
        ],
    )
    speaker = speaker_token(doc[9], lambda pos: pos < doc[4].idx)
    assert speaker is not None and speaker.text == "aide"


def test_a_clause_about_a_place_does_not_lend_its_subject_to_a_participle(nlp: Language) -> None:
    # Nurses kept circling the arena where the Hawks played while chanting.  -- the model hung "chanting" on
    # the clause about the arena
    doc = _parsed(
        nlp,
        [
            ("Nurses", 1, "nsubj", "NOUN", "NNS", "nurse", "O"),
            ("kept", 1, "ROOT", "VERB", "VBD", "keep", "O"),
            ("circling", 1, "xcomp", "VERB", "VBG", "circle", "O"),
            ("the", 4, "det", "DET", "DT", "the", "O"),
            ("arena", 2, "dobj", "NOUN", "NN", "arena", "O"),
            ("where", 8, "advmod", "SCONJ", "WRB", "where", "O"),
            ("the", 7, "det", "DET", "DT", "the", "O"),
            ("Hawks", 8, "nsubj", "PROPN", "NNPS", "Hawks", "B-ORG"),
            ("played", 2, "ccomp", "VERB", "VBD", "play", "O"),
            ("while", 10, "mark", "SCONJ", "IN", "while", "O"),
            ("chanting", 8, "advcl", "VERB", "VBG", "chant", "O"),
            (".", 1, "punct", "PUNCT", ".", ".", "O"),
        ],
    )
    speaker = speaker_token(doc[10])
    assert speaker is not None and speaker.text == "Nurses"


def test_an_age_between_commas_does_not_hide_the_speaker(nlp: Language) -> None:
    # “We were wrong,” Berg, 61, told AFP.  -- the model hung "Berg" on the quote and left "told" without one
    doc = _parsed(
        nlp,
        [
            ("“", 3, "punct", "PUNCT", "``", "“", "O"),
            ("We", 2, "nsubj", "PRON", "PRP", "we", "O"),
            ("were", 2, "ROOT", "AUX", "VBD", "be", "O"),
            ("wrong", 2, "acomp", "ADJ", "JJ", "wrong", "O"),
            (",", 2, "punct", "PUNCT", ",", ",", "O"),
            ("”", 2, "punct", "PUNCT", "''", "”", "O"),
            ("Berg", 2, "npadvmod", "PROPN", "NNP", "Berg", "B-PERSON"),
            (",", 6, "punct", "PUNCT", ",", ",", "O"),
            ("61", 6, "appos", "NUM", "CD", "61", "B-DATE"),
            (",", 6, "punct", "PUNCT", ",", ",", "O"),
            ("told", 2, "conj", "VERB", "VBD", "tell", "O"),
            ("AFP", 10, "dobj", "PROPN", "NNP", "AFP", "B-ORG"),
            (".", 10, "punct", "PUNCT", ".", ".", "O"),
        ],
    )
    speaker = speaker_token(doc[10], lambda pos: pos < doc[5].idx)
    assert speaker is not None and speaker.text == "Berg"


def test_a_dash_the_parser_made_a_subject_is_not_the_speaker(nlp: Language) -> None:
    # ... made public ― Berg boasted, “That makes me smart.”  -- the model made the dash a subject too
    doc = _parsed(
        nlp,
        [
            ("made", 0, "ROOT", "VERB", "VBN", "make", "O"),
            ("public", 0, "oprd", "ADJ", "JJ", "public", "O"),
            ("―", 4, "nsubj", "NOUN", "NN", "―", "O"),
            ("Berg", 4, "nsubj", "PROPN", "NNP", "Berg", "B-PERSON"),
            ("boasted", 0, "conj", "VERB", "VBD", "boast", "O"),
            (",", 4, "punct", "PUNCT", ",", ",", "O"),
            ("“", 8, "punct", "PUNCT", "``", "“", "O"),
            ("That", 8, "nsubj", "PRON", "DT", "that", "O"),
            ("makes", 4, "ccomp", "VERB", "VBZ", "make", "O"),
            ("me", 10, "nsubj", "PRON", "PRP", "I", "O"),
            ("smart", 8, "ccomp", "ADJ", "JJ", "smart", "O"),
            (".", 8, "punct", "PUNCT", ".", ".", "O"),
            ("”", 8, "punct", "PUNCT", "''", "”", "O"),
        ],
    )
    speaker = speaker_token(doc[4], lambda pos: pos >= doc[6].idx)
    assert speaker is not None and speaker.text == "Berg"
