"""One document in, one JSON-ready dict out: the shape `manage.py analyze --format jsonl` prints."""

from __future__ import annotations

from typing import Any

from .engine import analyze
from .parse import parse_article
from .types import Analysis, Block, ParsedArticle

ANALYSED_KINDS = ("headline", "paragraph", "caption")


def analysed_blocks(parsed: ParsedArticle) -> tuple[Block, ...]:
    """The blocks the engine reads: credits and boilerplate carry no entities or quotes worth showing."""
    return parsed.of_kind(*ANALYSED_KINDS)


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
            }
            for q in analysis.quotes
        ],
        "entities": [
            {
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
                "name": analysis.entities[m.entity].name,
            }
            for m in analysis.mentions
        ],
    }


def analyze_document(path: str, text: str, nlp: Any) -> dict[str, Any]:
    return analysis_as_dict(path, analyze(text, analysed_blocks(parse_article(text)), nlp))
