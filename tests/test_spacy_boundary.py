"""spaCy only where analysis runs: a web process, `migrate` and the admin never import it. Checked in fresh
processes, since this test run has imported spaCy long before (the fixtures analyse articles)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The modules that analyse, and so may import spaCy: the analysis service, the commands that analyse at once,
# and the spaCy side of articles/nlp (whose pure parts, parse and types, the rest of the app imports).
ANALYSING = {
    "articles.services.analysis",
    "articles.management.commands.analyze",
    "articles.management.commands.import_articles",
    "articles.management.commands.load_seeds",
    "articles.management.commands.reanalyze",
    "articles.management.commands.feeds",  # `feeds poll` analyses what it fetches at once
}


def _run(code: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsreader.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_django_setup_and_the_url_configuration_do_not_import_spacy():
    out = _run(
        "import django, sys\n"
        "django.setup()\n"
        "import newsreader.urls, newsreader.wsgi\n"
        "print('spacy' in sys.modules)\n"
    )
    assert out == "False"


def test_no_module_outside_the_analysis_imports_spacy():
    # Every module of the app but the analysing ones (views, admin, services, rendering, search, tasks, ...),
    # imported one by one; the first after which spaCy is loaded is named.
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "articles").rglob("*.py")
        if "migrations" not in path.parts
    )
    checked = [m for m in modules if m not in ANALYSING and not m.startswith("articles.nlp.")]
    assert "articles.views.pages" in checked and "articles.admin" in checked and "articles.tasks" in checked
    out = _run(
        "import django, importlib, sys\n"
        "django.setup()\n"
        "if 'spacy' in sys.modules:\n"
        "    print('django.setup()')\n"
        "    sys.exit()\n"
        f"for name in {checked!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'spacy' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
        "else:\n"
        "    print('none')\n"
    )
    assert out == "none", f"{out} imports spaCy"


def test_web_processes_do_not_load_pillow_either():
    # Only the task worker decodes an article's photos (services/images.py imports Pillow when it runs).
    out = _run(
        "import django, sys\n"
        "django.setup()\n"
        "import newsreader.urls, newsreader.wsgi, articles.services.images\n"
        "print('PIL' in sys.modules)\n"
    )
    assert out == "False"
