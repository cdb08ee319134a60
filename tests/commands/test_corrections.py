"""`manage.py corrections export`: the readers' corrected attributions as gold the shared attribution scorer
reads back exactly, and `bench/score_corrections.py` scoring the current analysis against them."""

import importlib.util
import json
import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.interchange.web_annotation import who_said_what
from articles.models import Correction
from articles.services.corrections import correction_create
from tests.conftest import ROOT
from tests.services.test_corrections import BRIDGE, MAY_QUOTE

pytestmark = pytest.mark.django_db

# The shared attribution scorer, as copied into the tests (tests/data/eval/README.md).
SCORER = ROOT / "tests" / "data" / "eval" / "score_attributions.py"


def scorer():
    spec = importlib.util.spec_from_file_location("score_attributions", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SCORER.parent))
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bridge(db):
    from tests.helpers import import_article

    return import_article(text=BRIDGE, source="Gazette")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)


def correct(staff, article, quote_text, speaker):
    return correction_create(
        user=staff,
        article=article,
        kind=Correction.Kind.SPEAKER,
        quote=article.quotes.get(text=quote_text),
        values={"entity": article.entities.get(name=speaker).pk},
    )


def bench_e2e(gold) -> float:
    """The bench's end-to-end F1 for the current analysis against an export."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "score_corrections.py"),
            "--gold",
            str(gold),
            "--scorer",
            str(SCORER),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert "1 corrected article(s)" in out
    return float(re.search(r"e2e_f1=([0-9.]+)", out).group(1))


def test_the_export_round_trips_through_the_scorer(bridge, staff, tmp_path, capsys):
    call_command("corrections", "export", str(tmp_path / "none"))
    assert "Exported 0 corrected article(s)" in capsys.readouterr().out  # nothing corrected yet
    correct(staff, bridge, MAY_QUOTE, "Ruiz")
    call_command("corrections", "export", str(tmp_path / "gold"))
    assert "Exported 1 corrected article(s), 4 attribution(s)" in capsys.readouterr().out
    name = f"article-{bridge.pk}"
    assert (tmp_path / "gold" / "text" / f"{name}.txt").read_text(encoding="utf-8") == bridge.text
    gold = scorer().load_gold(str(tmp_path / "gold"))
    stored = who_said_what(bridge)["attributions"]
    units = gold[name]["units"]
    assert [u["content"] for u in units] == [[tuple(span) for span in a["content"]] for a in stored]
    may = next(u for u in units if bridge.text[u["content"][0][0] : u["content"][0][1]] == MAY_QUOTE)
    assert may["source_text"] == "Ruiz" and may["kind"] == "direct"
    # The stored (corrected) attributions as predictions score perfectly against their own export.
    predictions = tmp_path / "stored.jsonl"
    predictions.write_text(
        json.dumps({"path": f"{name}.txt", "attributions": stored}) + "\n", encoding="utf-8"
    )
    result = scorer().score(gold, scorer().load_preds(str(predictions)))
    assert result["e2e_f1"] == 1.0 and result["boundary_agreement"] == 1.0
    with pytest.raises(CommandError, match="not empty"):
        call_command("corrections", "export", str(tmp_path / "gold"))


def test_the_bench_score_moves_when_a_correction_is_added(bridge, staff, tmp_path):
    correct(staff, bridge, MAY_QUOTE, "Ruiz")
    call_command("corrections", "export", str(tmp_path / "one"))
    one = bench_e2e(tmp_path / "one")
    correct(staff, bridge, "“We have the money for it,”", "Tom Berg")
    call_command("corrections", "export", str(tmp_path / "two"))
    two = bench_e2e(tmp_path / "two")
    # The analysis gives both quotes the speakers the readers corrected: one wrong of four, then two.
    assert one == pytest.approx(0.75) and two == pytest.approx(0.5)


def test_reanalyze_lists_corrections_it_could_not_place(bridge, staff, capsys):
    correct(staff, bridge, MAY_QUOTE, "Ruiz")
    # As after an edit of the words it was made on, which the text no longer has.
    Correction.objects.update(exact="words the text never had", prefix="", suffix="")
    call_command("reanalyze", "--all", "--no-progress")
    out, err = capsys.readouterr()
    assert "1 correction(s) could not be placed" in out
    assert f"article {bridge.pk}: correction" in err and "Its words are no longer in the text." in err
    assert Correction.objects.get().is_active  # kept
