"""Every hostile input of the test suite, sent to a real server: how many got a 5xx, wrote rows or leaked.

usage (from the project root):
  .venv/bin/python bench/hostile.py
Builds a temporary library (tests.helpers TEXT analysed once; alice with a private and a public annotation,
bob), starts gunicorn on 127.0.0.1 (a free port, 2 workers) against it, and sends every case in
tests/security/cases.py with httpx: as anonymous, alice or bob, with or without the CSRF token, following
redirects to the page they lead to. Rate limits are raised and anonymous adding is allowed for the run, as in
the test suite, so each input reaches its check (the tests show the limits and who may add); the articles a
case stores are removed before the next. Then bob and an anonymous reader open every page, fragment, count
and export of the article, and a log-in brute force from this address ends the run (alice's right password is
then tried from this address and from 127.0.0.2, and bob's from this address). The hostile feeds and pages
of tests/security/feed_cases.py are served by a loopback server of this process: their addresses go to the
subscribe and "Add article" forms, and each feed is then checked as the task worker would check it. Prints: hostile inputs
tried, 5xx responses (target 0), answers other than the suite expects, rows written by refused requests (0),
private annotations seen by another user or anonymously (0), and the lockout. Loopback only, a fixed number
of requests; everything is temporary and stops by itself.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx
from served import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
PASSWORDS = {"alice": "a-long-password-1", "bob": "a-long-password-2"}
WRONG_PASSWORDS = 12  # the lockout comes after 10


def build_library() -> dict:
    """The world the cases run in (tests.security.cases.build_world), in the temporary database."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from tests.helpers import TEXT, import_article
    from tests.security.cases import build_world

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    article = import_article(text=TEXT)
    alice = User.objects.create_user("alice", password=PASSWORDS["alice"])
    User.objects.create_user("bob", password=PASSWORDS["bob"])
    return {**build_world(article, alice), "quote": article.quotes.first().pk}


def row_counts() -> dict[str, int]:
    from django.contrib.auth.models import User
    from django.db import connection

    from articles.models import Annotation, Article, Block, Entity, Mention, Quote

    counts = {
        m.__name__: m.objects.count() for m in (Article, Block, Entity, Mention, Quote, Annotation, User)
    }
    connection.close()  # let the server's workers write between our looks
    return counts


def article_ids() -> set[int]:
    from django.db import connection

    from articles.models import Article

    ids = set(Article.objects.values_list("pk", flat=True))
    connection.close()
    return ids


def forget_articles_but(kept: set[int]) -> None:
    """Delete the articles a case stored, so that each case meets the library the test suite gives it (a
    headline stored by one case would make the next one's the same article's changed version)."""
    from django.db import connection

    from articles.models import Article

    Article.objects.exclude(pk__in=kept).delete()
    connection.close()


def session(base: str, user: str, address: str = "127.0.0.1") -> httpx.Client:
    """A client with a CSRF cookie, logged in as `user` unless anonymous, connecting from `address` (any
    loopback address: the server sees each as another client)."""
    transport = httpx.HTTPTransport(local_address=address)
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False, transport=transport)
    client.get("/accounts/login/")
    if user != "anon":
        answer = log_in(client, user, PASSWORDS[user])
        if answer.status_code != 302:
            raise RuntimeError(f"{user} could not log in: HTTP {answer.status_code}")
    return client


def log_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    headers = {"X-CSRFToken": client.cookies.get("csrftoken", "")}
    return client.post("/accounts/login/", data={"username": username, "password": password}, headers=headers)


def send(clients: dict, case, world: dict) -> tuple[httpx.Response, str]:
    from tests.security.cases import fill

    client = clients[case.user]
    path = fill(case.path, world)
    headers = {"HX-Request": "true"} if case.htmx else {}
    data = {key: fill(value, world) for key, value in case.data.items()}
    if case.method == "GET":
        answer = client.get(path, params=data, headers=headers)
    else:
        if case.csrf:
            headers["X-CSRFToken"] = client.cookies.get("csrftoken", "")
        if case.body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            answer = client.post(path, content=case.body, headers=headers)
        else:
            answer = client.post(path, data=data, files=case.files or None, headers=headers)
    body = answer.content.decode("utf-8", "replace")
    if answer.status_code in (301, 302) and answer.headers["Location"].startswith("/"):
        body = client.get(answer.headers["Location"]).content.decode("utf-8", "replace")
    return answer, body


def private_views(base: str, world: dict) -> tuple[int, int]:
    """Pages, fragments, counts and exports that bob and an anonymous reader open: (how many looked at, how
    many showing alice's private annotation). alice opens them too: she must see it, else the marks are
    wrong."""
    from tests.security.cases import PRIVATE_NOTE

    article, private = world["article"], world["private"]
    paths = [
        ("/", {}),
        (f"/articles/{article}/", {}),
        (f"/articles/{article}/", {"HX-Request": "true"}),
        (f"/articles/{article}/annotations/", {}),
        (f"/articles/{article}/annotations/", {"HX-Request": "true"}),
        (f"/articles/{article}/annotations.md", {}),
        (f"/articles/{article}/annotations.jsonld", {}),
        (f"/annotations/{private}/", {}),
        (f"/annotations/{private}/", {"HX-Request": "true"}),
        (f"/annotations/{world['public']}/", {}),
        ("/search/?q=council", {}),
        ("/search/?q=7f3a", {}),
        (f"/articles/{article}/quotes/{world['quote']}/", {}),
        ("/who-is-quoted/", {}),
    ]
    marks = (PRIVATE_NOTE, f'data-annotation-id="{private}"', f'href="/annotations/{private}/')
    clients = {
        user: session(base, user) for user in ("alice", "bob", "anon")
    }  # fresh: a case logged "anon" in
    shown = {user: 0 for user in clients}
    for user, client in clients.items():
        for path, headers in paths:
            body = client.get(path, headers=headers).text
            shown[user] += any(mark in body for mark in marks)
    if not shown["alice"]:
        raise RuntimeError("alice does not see her own private annotation: the marks looked for are wrong")
    return 2 * len(paths), shown["bob"] + shown["anon"]


def hostile_feeds(clients: dict) -> dict:
    """tests/security/feed_cases.py through the forms, then each feed checked as the task worker checks it."""
    from articles.models import Article, Feed, FeedEntry
    from articles.services.feed_checks import feed_poll
    from tests.local_server import _serving
    from tests.security.feed_cases import FEED_CASES

    def feed_rows() -> tuple[int, int, int]:
        return Feed.objects.count(), FeedEntry.objects.count(), Article.objects.count()

    found = {"server_errors": [], "unexpected": [], "written": [], "slowest": (0.0, ""), "checks": (0.0, "")}
    client = clients["alice"]
    with _serving() as loopback:
        for case in FEED_CASES:
            url = loopback.route(case.path, case.reply)
            before = feed_rows()
            started = time.perf_counter()
            answer = client.post(
                "/feeds/" if case.form == "feeds" else "/articles/new/",
                data={"url": url},
                headers={"X-CSRFToken": client.cookies.get("csrftoken", "")},
            )
            took = time.perf_counter() - started
            found["slowest"] = max(found["slowest"], (took, case.name))
            text = answer.text.replace("&#x27;", "'")
            if answer.status_code >= 500:
                found["server_errors"].append(f"{case.name}: HTTP {answer.status_code}")
            if answer.status_code != case.status or case.message not in text:
                found["unexpected"].append(f"{case.name}: HTTP {answer.status_code}, expected {case.status}")
            if feed_rows() != before:
                found["written"].append(case.name)
            if case.checks:
                feed = Feed.objects.create(url=url, title=case.name[:100])
                started = time.perf_counter()
                report = feed_poll(feed=feed)
                took = time.perf_counter() - started
                found["checks"] = max(found["checks"], (took, case.name))
                if report.error != case.message:
                    found["unexpected"].append(f"check of {case.name}: {report.error or 'no error'}")
                feed.delete()
            row_counts()  # closes this process's connection between looks
    found["count"] = len(FEED_CASES)
    return found


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsreader-hostile-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'hostile.sqlite3'}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "NEWSREADER_ADD_LIMIT": "100000/hour",
            "NEWSREADER_IMPORT_LIMIT": "100000/hour",
            "NEWSREADER_ANNOTATE_LIMIT": "100000/hour",
            "NEWSREADER_OPEN_SUBMISSIONS": "true",  # as in the test suite: the cases add articles anonymously
            "NEWSREADER_SIGNUP_LIMIT": "100000/hour",
            "NEWSREADER_FETCH_ALLOW_PRIVATE": "true",  # the hostile feeds come from a loopback server of ours
            "DJANGO_SETTINGS_MODULE": "newsreader.settings",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from tests.security.cases import CASES, live_markup

        world = build_library()
        port, log = free_port(), Path(tmp) / "gunicorn.log"
        server = start_gunicorn(env, port, log=log)
        base = f"http://127.0.0.1:{port}"
        try:
            clients = {user: session(base, user) for user in ("anon", "alice", "bob")}
            world_articles = article_ids()
            server_errors, unexpected, written, live, slowest = [], [], [], [], (0.0, "")
            for case in CASES:
                before = row_counts()
                started = time.perf_counter()
                try:
                    answer, body = send(clients, case, world)
                except httpx.TransportError as error:  # no answer at all counts as a server error
                    server_errors.append(f"{case.name}: no answer ({type(error).__name__})")
                    continue
                took = time.perf_counter() - started
                slowest = max(slowest, (took, case.name))
                if answer.status_code >= 500:
                    server_errors.append(f"{case.name}: HTTP {answer.status_code}")
                if answer.status_code != case.status or case.shown() not in answer.text:
                    unexpected.append(f"{case.name}: HTTP {answer.status_code}, expected {case.status}")
                if not case.stores and row_counts() != before:
                    written.append(case.name)
                if "text/html" in answer.headers.get("Content-Type", "") and live_markup(body):
                    live.append(f"{case.name}: {live_markup(body)[:2]}")
                if case.stores:
                    forget_articles_but(world_articles)
            looked, seen = private_views(base, world)
            feeds = hostile_feeds(clients)
            server_errors += feeds["server_errors"]
            unexpected += feeds["unexpected"]
            written += feeds["written"]
            slowest = max(slowest, feeds["slowest"])

            attacker = session(base, "anon")
            failures = [log_in(attacker, "alice", f"guess-{n}").status_code for n in range(WRONG_PASSWORDS)]
            right = log_in(attacker, "alice", PASSWORDS["alice"]).status_code
            other = log_in(attacker, "bob", PASSWORDS["bob"]).status_code
            elsewhere = log_in(session(base, "anon", "127.0.0.2"), "alice", PASSWORDS["alice"]).status_code
            locked_after = next((n + 1 for n, status in enumerate(failures) if status == 429), None)
        finally:
            server.terminate()
            server.wait(timeout=30)
        server_log = log.read_text(errors="replace")
        logged_errors = server_log.count("ERROR django.request:")  # a 5xx with its traceback
        if logged_errors:
            first = server_log.index("ERROR django.request:")
            print(server_log[first : first + 4000])

        print(
            f"hostile inputs tried: {len(CASES) + feeds['count']} ({feeds['count']} of them feeds and pages"
            f" fetched from a loopback server; + {looked} private-visibility looks, "
            f"{WRONG_PASSWORDS + 3} log-ins) against gunicorn as gunicorn.conf.py sets it up"
        )
        print(f"5xx responses: {len(server_errors)}")
        print(f"answers other than the test suite expects: {len(unexpected)}")
        print(f"rows written by refused requests: {len(written)}")
        print(f"pages with live markup (script, handler, script link): {len(live)}")
        print(
            f"private annotations seen by another user or anonymously: {seen} (of {looked} pages, fragments, "
            "counts and exports)"
        )
        print(
            f"log-in brute force: alice locked out from this address after {locked_after} wrong passwords; "
            f"the right password then got HTTP {right} here, HTTP {elsewhere} from another address, and "
            f"another account from this address HTTP {other}"
        )
        print(f"server errors in the server's log: {logged_errors}")
        print(f"slowest hostile request: {slowest[0] * 1000:.0f} ms ({slowest[1]})")
        print(
            f"slowest check of a hostile feed (as the task worker runs it): {feeds['checks'][0] * 1000:.0f} ms ({feeds['checks'][1]})"
        )
        for problem in server_errors + unexpected + [f"wrote rows: {w}" for w in written] + live:
            print("  " + problem)


if __name__ == "__main__":
    main()
