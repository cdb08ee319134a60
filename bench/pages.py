"""The article page against a static file of the same bytes, through one gunicorn worker.

usage (from the project root):
  .venv/bin/python bench/pages.py                  # 300 requests each, 20 clients for 10 s
  .venv/bin/python bench/pages.py --requests 100 --seconds 5
Builds a temporary library holding the seed article and one article of 200,000 characters, and a reader with
50 annotations on the seed article. Writes each article page's HTML, as an anonymous reader gets it, to a
static file that the same gunicorn serves (whitenoise), then times, interleaved in one run: each static file,
each article page (anonymous), the seed page logged in with its 50 annotations, a quote panel and an entity
panel (htmx fragments); median and 95th percentile, and each one's ratio to the static file of its article.
Then 20 concurrent clients for --seconds each: pages per second for the article page and its static file.
Loopback only; everything is temporary and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import ROOT, free_port, start_gunicorn

SEED = next((ROOT / "seeds").glob("*.txt"))
LONG_CHARS = 200_000
ANNOTATIONS = 50
PASSWORD = "a-long-password-for-bench"


def long_article() -> str:
    """About 200,000 characters of real news paragraphs (PolNeAR train when present, else the seed)."""
    corpus = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
    sources = sorted(corpus.glob("*.txt"))[:80] or [SEED]
    paragraphs: list[str] = []
    for path in sources:
        lines = [
            line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 80
        ]
        paragraphs += lines[1:]
    text, body = "The long read: a year of news in one article", []
    while len("\n\n".join([text, *body])) < LONG_CHARS - 2000:
        body.append(paragraphs[len(body) % len(paragraphs)])
    return "\n\n".join([text, *body])


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        self.connection.request("GET", path, headers=headers or {})
        response = self.connection.getresponse()
        return response.status, response.read()


def timed(client: Client, path: str, headers: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    status, body = client.get(path, headers)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200 or not body:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def throughput(port: int, path: str, seconds: float, clients: int) -> float:
    """Pages per second served to `clients` concurrent keep-alive clients for `seconds`."""
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        client = Client(port)
        while time.monotonic() < stop:
            client.get(path)
            counts[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def build(database: Path, port: int) -> dict:
    """The library, the reader and the static copies; returns the paths to time."""
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "DEBUG": "false"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as DjangoClient

    from articles.interchange.article_files import ArticleInput
    from articles.services.analysis import article_import
    from articles.services.annotations import annotation_create

    call_command("migrate", verbosity=0)
    seed = article_import(incoming=ArticleInput(text=SEED.read_text(encoding="utf-8")))
    started = time.perf_counter()
    long = article_import(incoming=ArticleInput(text=long_article()))
    print(f"analysed the {len(long.text):,}-character article in {time.perf_counter() - started:.0f} s")
    reader = User.objects.create_user("reader", password=PASSWORD)
    paragraphs = list(seed.blocks.filter(kind="paragraph"))
    for i in range(ANNOTATIONS):
        block = paragraphs[i % len(paragraphs)]
        start = block.start + (i // len(paragraphs)) * 7
        end = min(block.end, start + 25)
        annotation_create(
            user=reader,
            article=seed,
            start=start,
            end=end,
            exact=seed.text[start:end],
            note=f"Note {i}" if i % 2 else "",
            visibility="public" if i % 3 == 0 else "private",
        )
    # The static copies: each article page exactly as an anonymous reader gets it.
    out = Path(settings.STATIC_ROOT) / "bench"
    out.mkdir(parents=True, exist_ok=True)
    anonymous = DjangoClient(HTTP_HOST=f"127.0.0.1:{port}")  # the same host name gunicorn will see
    for article in (seed, long):
        (out / f"article-{article.pk}.html").write_bytes(anonymous.get(article.get_absolute_url()).content)
    call_command("collectstatic", interactive=False, verbosity=0)
    quote = seed.quotes.exclude(speaker=None).first()
    entity = seed.entities.filter(label="PERSON").order_by("-mention_count").first()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return {
        "seed": seed.get_absolute_url(),
        "seed static": f"/static/bench/article-{seed.pk}.html",
        "long": long.get_absolute_url(),
        "long static": f"/static/bench/article-{long.pk}.html",
        "quote panel": quote.get_absolute_url(),
        "entity panel": entity.get_absolute_url(),
        "bytes": {
            "seed": len((out / f"article-{seed.pk}.html").read_bytes()),
            "long": len((out / f"article-{long.pk}.html").read_bytes()),
        },
    }


def session_cookie(port: int) -> str:
    """Log the reader in through the real login form; the cookies to send with their requests."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken=")).split(";")[0]
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    conn.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&username=reader&password={PASSWORD}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf},
    )
    response = conn.getresponse()
    response.read()
    session = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    return f"{csrf}; {session.split(';')[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="requests per page, interleaved")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of each concurrent run")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-pages-") as tmp:
        port = free_port()
        paths = build(Path(tmp) / "library.sqlite3", port)
        server = start_gunicorn({**os.environ}, port, workers=1)
        try:
            logged_in = {"Cookie": session_cookie(port)}
            htmx = {"HX-Request": "true"}
            cases = {
                "seed static file": (paths["seed static"], None, None),
                "seed page, anonymous": (paths["seed"], None, "seed static file"),
                f"seed page, {ANNOTATIONS} annotations": (paths["seed"], logged_in, "seed static file"),
                "long static file": (paths["long static"], None, None),
                "long page, anonymous": (paths["long"], None, "long static file"),
                "quote panel (htmx)": (paths["quote panel"], htmx, "seed static file"),
                "entity panel (htmx)": (paths["entity panel"], htmx, "seed static file"),
            }
            client = Client(port)
            for path, headers, _ in cases.values():  # warm up: first requests load templates and caches
                for _ in range(5):
                    timed(client, path, headers)
            times: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(args.requests):
                for name, (path, headers, _) in cases.items():
                    times[name].append(timed(client, path, headers))
            medians = {name: statistics.median(values) for name, values in times.items()}
            print(f"seed page {paths['bytes']['seed']:,} bytes, long page {paths['bytes']['long']:,} bytes")
            print(
                f"{'':<28}{'median ms':>10}{'p95 ms':>10}{'ratio':>8}   ({args.requests} requests each, 1 worker)"
            )
            for name, (_, _, static) in cases.items():
                p95 = statistics.quantiles(times[name], n=20)[-1]
                ratio = f"{medians[name] / medians[static]:.2f}" if static else ""
                print(f"{name:<28}{medians[name]:>10.2f}{p95:>10.2f}{ratio:>8}")
            page = throughput(port, paths["seed"], args.seconds, args.clients)
            static = throughput(port, paths["seed static"], args.seconds, args.clients)
            print(
                f"{args.clients} concurrent clients, {args.seconds:.0f} s each: seed page {page:.0f} pages/s, "
                f"static file {static:.0f} pages/s, ratio {page / static:.2f}"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
