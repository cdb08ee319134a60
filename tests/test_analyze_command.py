import json
import subprocess
import sys

from .conftest import GOLD, ROOT, SEED


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
        "Mayor speaks\r\n\r\n“We will rebuild the bridge,” Mayor Jane Doe said on Monday.\r\n".encode("utf-8")
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


def test_analyze_finds_every_seed_gold_quote_with_its_speaker():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    (doc,) = _analyze(SEED)
    text = SEED.read_text(encoding="utf-8")
    found = right = 0
    for item in gold["quotes"]:
        a = text.find(item["text"])
        b = a + len(item["text"])
        match = [q for q in doc["quotes"] if 2 * max(0, min(b, q["end"]) - max(a, q["start"])) >= b - a]
        if not match:
            continue
        found += 1
        speaker = (match[0]["speaker"] or "").lower().removeprefix("the ")
        accepted = {s.lower().removeprefix("the ") for s in item["speaker_ok"]}
        right += (not speaker and item["speaker"] is None) or speaker in accepted
    assert found == 17
    assert right >= 14
