"""`manage.py analyze`: offsets into each file's exact text, printed as JSON lines; no database."""

import json
import subprocess
import sys

from tests.conftest import ROOT, SEED


def _analyze(*paths):
    result = subprocess.run(
        [sys.executable, "manage.py", "analyze", *map(str, paths), "--format", "jsonl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_analyze_prints_offsets_into_the_exact_file_text(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(
        "Mayor speaks\r\n\r\n“We will rebuild the bridge,” Mayor Jane Doe said on Monday.\r\n".encode()
    )
    (doc,) = _analyze(crlf)
    text = crlf.read_bytes().decode("utf-8")
    assert doc["path"] == str(crlf)
    (quote,) = doc["quotes"]
    assert text[quote["start"] : quote["end"]] == quote["text"] == "“We will rebuild the bridge,”"
    assert quote["speaker"] == "Jane Doe"
    assert text[quote["speaker_start"] : quote["speaker_end"]] in {"Jane Doe", "Mayor Jane Doe"}
    assert quote["cue"] == "said"
    for entity in doc["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
        assert set(entity) == {"start", "end", "text", "label", "name"}


def test_analyze_prints_the_seed_quotes_the_engine_finds(seed_text):
    """The command prints what the engine finds (the seed gold itself is checked in tests/nlp)."""
    (doc,) = _analyze(SEED)
    assert len(doc["quotes"]) >= 17
    assert all(seed_text[q["start"] : q["end"]] == q["text"] for q in doc["quotes"])
