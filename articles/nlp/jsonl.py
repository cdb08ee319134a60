"""One document in, one JSON-ready dict out: the shape `manage.py analyze --format jsonl` prints."""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from .parse import parse_article
from .pipeline import analysed_blocks, analyze
from .types import Analysis


def analysis_as_dict(path: str, analysis: Analysis) -> dict[str, Any]:
    return {
        "path": path,
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker": q.speaker,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "cue": q.cue,
                "via": q.via,
            }
            for q in analysis.quotes
        ],
        "attributions": [
            {
                "content": [[a, b] for a, b in s.content],
                "cue": [[a, b] for a, b in s.cue],
                "kind": s.kind,
                "speaker": s.speaker,
                "speaker_start": s.speaker_start,
                "speaker_end": s.speaker_end,
            }
            for s in analysis.statements
        ],
        "entities": [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
                "name": analysis.entities[m.entity_index].name,
            }
            for m in analysis.mentions
        ],
    }


def analyze_document(path: str, text: str, nlp: Language) -> dict[str, Any]:
    return analysis_as_dict(path, analyze(text, analysed_blocks(parse_article(text)), nlp))
