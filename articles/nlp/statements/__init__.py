"""Every attribution of an article (who is reported to have said, believed or found what), quoted or not.

The engine runs in four steps over the parsed blocks, each in its own module:
- `cues.py`: the words that may report something (verbs of saying, believing, finding, "according to");
- `content.py`: what each cue reports (its complement clause, its object, the rest of its sentence, what
  follows its colon);
- `sources.py`: who or what reports it (subject, passive agent, object of "according to"), resolved to a
  speaker with the pipeline's clustering and pronoun rules;
- `scorer.py`: a logistic model learned on PolNeAR train keeps the candidates worth keeping;
- `assembly.py`: the kept candidates beside the quotes: direct, mixed or reported, one attribution each.
"""

from .assembly import find_statements

__all__ = ["find_statements"]
