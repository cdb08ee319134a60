"""A gunicorn worker's resident memory after serving the seeded article and its panels, at this tree and at an
earlier commit (default: the one before spaCy moved behind the worker boundary), on one seeded database.

    .venv/bin/python bench/worker_memory.py [--before COMMIT] [--runs N]

The earlier commit's files are exported with `git archive` into a temporary folder and served from there with
this tree's virtualenv; each run starts one worker, requests the home page, the seeded article, one quote panel
and one entity panel (whole page and htmx fragment), then reads the worker's VmRSS from /proc.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import ROOT, free_port

PYTHON = ROOT / ".venv" / "bin" / "python"
BEFORE = "41f75f3"  # the branch point: services/articles.py still imported the spaCy pipeline


def _get(url: str, htmx: bool = False) -> str:
    request = urllib.request.Request(url, headers={"HX-Request": "true"} if htmx else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read().decode()


def _worker(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    [worker] = children
    return int(worker)


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def _spacy_mapped(pid: int) -> bool:
    return "/spacy/" in Path(f"/proc/{pid}/maps").read_text()


def measure(tree: Path, env: dict) -> tuple[int, bool]:
    """One worker serving from `tree`: its VmRSS in KiB after the pages, and whether spaCy is mapped into it."""
    port = free_port()
    # Through this virtualenv's python: a copied virtualenv's console scripts may name another interpreter.
    command = [
        str(PYTHON),
        "-m",
        "gunicorn",
        "newsreader.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
    ]
    server = subprocess.Popen([*command, "--timeout", "120", "--log-level", "warning"], cwd=tree, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                home = _get(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start from {tree}") from None
                time.sleep(0.5)
        article = re.search(r'href="(/articles/\d+/)"', home).group(1)
        page = _get(base + article)
        quote = re.search(rf'href="({article}quotes/\d+/)"', page).group(1)
        entity_id = re.search(r'data-entity-id="(\d+)"', page).group(1)
        entity = f"{article}entities/{entity_id}/"
        for url in (quote, entity):
            _get(base + url)
            _get(base + url, htmx=True)
        worker = _worker(server.pid)
        return _rss_kib(worker), _spacy_mapped(worker)
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default=BEFORE, help="the earlier commit to compare with")
    parser.add_argument("--runs", type=int, default=3, help="workers started per tree, alternating")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="worker-memory-") as folder:
        folder = Path(folder)
        before = folder / "before"
        before.mkdir()
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "SECRET_KEY": "worker-memory-bench",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "",
        }
        env.pop("PYTHONPATH", None)
        subprocess.run(
            [str(PYTHON), "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run([str(PYTHON), "manage.py", "load_seeds"], cwd=ROOT, env=env, check=True)
        for tree in (ROOT, before):
            subprocess.run(
                [str(PYTHON), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=tree,
                env=env,
                check=True,
            )
        figures: dict[str, list[int]] = {"before": [], "after": []}
        spacy: dict[str, set[bool]] = {"before": set(), "after": set()}
        for _ in range(args.runs):
            for name, tree in (("before", before), ("after", ROOT)):
                rss, mapped = measure(tree, env)
                figures[name].append(rss)
                spacy[name].add(mapped)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(
        f"one gunicorn worker after /, the seeded article, a quote and an entity panel (page and htmx), {args.runs} runs"
    )
    for name, label in (("before", args.before), ("after", f"{head.stdout.strip()} (this tree)")):
        values = figures[name]
        print(
            f"{name:6} {label:24} VmRSS median {statistics.median(values) / 1024:.1f} MiB "
            f"(runs: {', '.join(f'{v / 1024:.1f}' for v in values)}); spaCy in the worker: "
            f"{'yes' if True in spacy[name] else 'no'}"
        )


if __name__ == "__main__":
    main()
