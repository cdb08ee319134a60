"""Who said each quote: strategies that each propose an Attribution or None, in a fixed order.

For a quote that is not the title of a work, the strategies propose speakers in this order:
1. in the sentences holding the quote, paragraph by paragraph for a quote running over several
   (`piece_strategies.py`):
   a. a cue ("said", "according to") whose speaker can speak; the outermost reporting clause owns it,
      but not across a clause of time with a subject of its own ("X said yes while Y went on about “...”");
   b. a verb of manner right by the quote ('“...?” she grumbled', 'He leaned in and boomed: “...”');
   c. a cue in a short sentence right after the quote ('“...” The senator said so twice.');
   d. a verb of saying in the sentence before a quote that opens its sentence;
   e. the subject of a clause ending in a colon right before the quote ("Kasich resisted: “...”");
2. a name signing the quote after a dash ('“...” ― Jorge Falcon'), or a cue in a paragraph ending in a colon,
   for a quote opening the next paragraph (`quote_strategies.py`, as are 3 to 5);
3. the speaker of the attributed quote just before, for a quote opening its sentence;
4. for a quote opening its paragraph, the subject of the last sentence of a paragraph before it that holds
   no quote ("Rosa Delgado was blunt about the budget.");
5. the subject of the clause holding a scare quote ("Cruz questioned Trump's “New York values”").
Without learned weights the first proposal wins. With them (`ranker.py`, over the features of
`features.py`), the proposals and the people, bodies and pronouns near the quote (`candidates.py`) are
ranked, and the best speaks unless nobody scores higher (`choice.py`); the chosen speaker's `via` names the
strategy that proposed it, or "ranked" when none did.

Beneath them: `sites.py` (where a quote stands: its parts and sentences), `cues.py` (the cue that reports a
quote and its speaker), `names.py` (the name and entity a speaker token stands for). Token-level rules (what
a cue is, which token is its speaker, who can speak) live in `nlp/attribution.py`, the shared types in
`nlp/context.py`.
"""

from .choice import quotes_with_speakers

__all__ = ["quotes_with_speakers"]
