"""Concurrent writers against gunicorn with the task worker running: nothing fails, nothing is lost.

usage (from the project root):
  .venv/bin/python bench/concurrency.py                 # 20 annotation writers, 5 uploaders, 20 s
  .venv/bin/python bench/concurrency.py --seconds 5
A temporary SQLite library with the seed article; gunicorn (2 workers) and `manage.py db_worker` on it.
20 readers, each logged in through the login form, create annotations on the seed article as fast as they
can, while 5 readers add articles through the Add form (each analysed by the worker). Prints requests,
errors (any answer but the redirect a write gives) and rows lost (a write answered as stored whose row is
not there), and how many of the added articles the worker has analysed when the run ends. The rate limits
are raised for the run (every client is 127.0.0.1). Loopback only; everything stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import ROOT, free_port, start_gunicorn

SEED = next((ROOT / "seeds").glob("*.txt"))
PASSWORD = "a-long-password-for-bench"


class Session:
    """One reader's keep-alive connection with their cookies, logged in through the real form."""

    def __init__(self, port: int, username: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/accounts/login/")[2]
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.headers.get("Location", ""), text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsreader-concurrency-") as tmp:
        database = Path(tmp) / "library.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DEBUG": "false",
            "NEWSREADER_ADD_LIMIT": "100000/hour",
            "NEWSREADER_IMPORT_LIMIT": "100000/hour",
            "NEWSREADER_ANNOTATE_LIMIT": "100000/hour",
        }
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection

        from articles.interchange.article_files import ArticleInput
        from articles.models import Annotation, Article
        from articles.services.analysis import article_import

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        seed = article_import(incoming=ArticleInput(text=SEED.read_text(encoding="utf-8")))
        names = [f"reader{i}" for i in range(args.writers + args.uploaders)]
        for name in names:
            User.objects.create_user(name, password=PASSWORD)
        paragraphs = list(seed.blocks.filter(kind="paragraph"))
        connection.close()

        port = free_port()
        server = start_gunicorn(env, port)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0"], cwd=ROOT, env=env
        )
        stored_annotations: list[int] = []
        added_articles: list[int] = []
        counts = {"requests": 0, "errors": 0}
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def write_annotations(index: int) -> None:
            session = Session(port, names[index])
            n = 0
            while time.monotonic() < stop:
                block = paragraphs[(index + n) % len(paragraphs)]
                start = block.start + (n % 5)
                end = min(block.end, start + 20)
                status, location, _ = session.request(
                    "POST",
                    f"/articles/{seed.pk}/annotations/",
                    {"start": start, "end": end, "exact": seed.text[start:end], "note": f"note {index}.{n}"},
                )
                with lock:
                    counts["requests"] += 1
                    if status == 302 and "/annotations/" in location:
                        stored_annotations.append(int(location.rstrip("/").rsplit("/", 1)[1]))
                    else:
                        counts["errors"] += 1
                n += 1

        def add_articles(index: int) -> None:
            session = Session(port, names[args.writers + index])
            n = 0
            while time.monotonic() < stop:
                text = (
                    f"Bridge report {index}-{n}\n\n“The bridge will reopen on day {n},” said Ana Ruiz, the "
                    f"city engineer, on visit {index}.\n\nWork continued through the night, officials said."
                )
                status, location, _ = session.request("POST", "/articles/new/", {"text": text})
                with lock:
                    counts["requests"] += 1
                    if status == 302 and location.startswith("/articles/"):
                        added_articles.append(int(location.strip("/").rsplit("/", 1)[1]))
                    else:
                        counts["errors"] += 1
                n += 1

        threads = [threading.Thread(target=write_annotations, args=(i,)) for i in range(args.writers)]
        threads += [threading.Thread(target=add_articles, args=(i,)) for i in range(args.uploaders)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        lost = len(stored_annotations) - Annotation.objects.filter(pk__in=stored_annotations).count()
        lost += len(added_articles) - Article.objects.filter(pk__in=added_articles).count()
        analysed = Article.objects.filter(pk__in=added_articles, analysis_state=Article.Analysis.DONE).count()
        worker.terminate()
        worker.wait(timeout=30)
        print(
            f"{args.writers} annotation writers and {args.uploaders} uploaders for {args.seconds:.0f} s against "
            "gunicorn (2 workers) with the task worker running:"
        )
        print(f"requests: {counts['requests']}  errors: {counts['errors']}  rows lost: {lost}")
        print(
            f"annotations stored: {len(stored_annotations)}; articles added: {len(added_articles)}, "
            f"analysed by the worker by the end: {analysed}"
        )


if __name__ == "__main__":
    main()
