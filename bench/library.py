"""Page times on a 10,000-article library, through gunicorn and a real HTTP client.

usage (from the project root):
  .venv/bin/python bench/library.py                        # 10,000 articles copied from 50 analysed ones
  .venv/bin/python bench/library.py --articles 2000 --sources 20 --requests 50   # a quick run
  .venv/bin/python bench/library.py --database /tmp/lib.sqlite3   # keep the library; later runs reuse it
  .venv/bin/python bench/library.py --database-url postgres://…    # the same library on PostgreSQL too
  tests/postgres_cluster.sh sh -c '.venv/bin/python bench/library.py --database-url "$DATABASE_URL"'
Analyses --sources PolNeAR train articles once, then builds the library by storing copies of them
(each with its own headline prefix, source and date; the analysis is reused with shifted offsets, spaCy does
not run again) through `articles_store_many`, the import service's bulk form (500 articles a transaction:
the rows `article_store` writes, tests/bench checks they are the same), so actors, tallies and the search
index are real; --through-service stores them one by one through `article_store` instead (slower by far:
README has both speeds). The library is personal (NEWSREADER_LIBRARY's default): --readers readers (50) each have a library,
every --public-every-th article (5th) is public and the rest are private in one reader's library (every 10th
of those in a second reader's too), so every page reads through the visibility rules. Then starts gunicorn
on 127.0.0.1 (a free port) against that database and times search, a person's page, "who is quoted" and the
home page, for an anonymous reader and for readers logged in (a session each, taking turns): median and 95th
percentile over --requests requests each (target: under 50 ms median). Prints the database size.
Everything is temporary and stops by itself.
With --database-url, the library is copied to that PostgreSQL database by `manage.py move_library` (whatever
it held is replaced), a second gunicorn serves it, and each page is timed on both, requests alternating
between them, side by side in one table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from io import StringIO
from pathlib import Path

from served import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
SOURCES = ["Gazette", "Daily Planet", "Harbour News", "The Chronicle", "Evening Post"]
PREFIXES = ["Analysis", "Update", "Explainer", "Report", "Opinion", "Live", "Briefing", "Inside"]
BATCH = 500  # articles stored in one transaction
SEARCHES = ["trade", "Trump", '"White House"', "immigration", "election campaign", "Clinton", "tax", "Syria"]


def shifted(prepared, analysis, prefix: str):  # type: ignore[no-untyped-def]
    """The same article with `prefix` put before its headline: every offset after the insertion moves."""
    from articles.nlp.types import ParsedArticle
    from articles.services.articles import PreparedArticle, content_hash

    at = prepared.parsed.blocks[0].start
    delta = len(prefix)

    def move(offset: int | None) -> int | None:
        return offset + delta if offset is not None and offset >= at else offset

    text = prepared.incoming.text[:at] + prefix + prepared.incoming.text[at:]
    blocks = tuple(
        replace(b, start=b.start if i == 0 else move(b.start), end=move(b.end))
        for i, b in enumerate(prepared.parsed.blocks)
    )
    parsed = ParsedArticle(
        title=prefix + prepared.parsed.title, dateline=prepared.parsed.dateline, source="", blocks=blocks
    )
    new_analysis = replace(
        analysis,
        mentions=tuple(replace(m, start=move(m.start), end=move(m.end)) for m in analysis.mentions),
        quotes=tuple(
            replace(
                q,
                start=move(q.start),
                end=move(q.end),
                speaker_start=move(q.speaker_start),
                speaker_end=move(q.speaker_end),
                cue_start=move(q.cue_start),
                cue_end=move(q.cue_end),
            )
            for q in analysis.quotes
        ),
        statements=tuple(
            replace(
                s,
                content=tuple((move(a), move(b)) for a, b in s.content),
                cue=tuple((move(a), move(b)) for a, b in s.cue),
                speaker_start=move(s.speaker_start),
                speaker_end=move(s.speaker_end),
            )
            for s in analysis.statements
        ),
    )
    return PreparedArticle(replace(prepared.incoming, text=text), content_hash(text), parsed), new_analysis


def reader_names(readers: int) -> list[str]:
    return [f"reader{n:02d}" for n in range(1, readers + 1)]


def analysed_sources(paths: list[Path]) -> tuple[list, list]:
    """The source articles, prepared and analysed once (spaCy runs here only)."""
    from django.conf import settings

    from articles.interchange.article_files import ArticleInput, ArticleRejected
    from articles.nlp.model import load_model
    from articles.nlp.pipeline import analyze_many
    from articles.services.articles import article_prepare

    prepared = []
    for path in paths:
        try:
            prepared.append(article_prepare(incoming=ArticleInput(text=path.read_text(encoding="utf-8"))))
        except ArticleRejected:
            continue
    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    return prepared, list(analyze_many((p.analysis_input for p in prepared), nlp))


def copies(prepared: list, analyses: list, size: int, users: list, public_every: int):  # type: ignore[no-untyped-def]
    """The library's articles: (prepared copy, its analysis, public, the readers whose library holds it)."""
    first_day = datetime.date(2016, 1, 1)
    for i in range(size):
        base, analysis = prepared[i % len(prepared)], analyses[i % len(prepared)]
        copy, copy_analysis = shifted(base, analysis, f"{PREFIXES[i % len(PREFIXES)]} {i}: ")
        incoming = replace(
            copy.incoming,
            source=SOURCES[i % len(SOURCES)],
            published=first_day + datetime.timedelta(days=(i * 37) % 1460),
        )
        public = i % public_every == 0
        readers = [] if public else [users[i % len(users)]]
        if not public and i % 10 == 1:  # saved by two readers: stored once, in both libraries
            readers.append(users[(i + 7) % len(users)])
        yield replace(copy, incoming=incoming), copy_analysis, public, readers


def store_copies(
    prepared: list,
    analyses: list,
    size: int,
    users: list,
    public_every: int,
    *,
    through_service: bool = False,
) -> None:
    """Store the library: by default `articles_store_many`, BATCH articles a transaction; `through_service`
    stores each article by `article_store` and adds its second reader by `library_add`, as a save would."""
    from django.db import transaction

    from articles.models import LibraryEntry
    from articles.services.articles import article_store
    from articles.services.bulk_store import AnalysedArticle, articles_store_many
    from articles.services.reader_library import library_add

    made = copies(prepared, analyses, size, users, public_every)
    for start in range(0, size, BATCH):
        batch = [next(made) for _ in range(start, min(size, start + BATCH))]
        if through_service:
            with transaction.atomic():
                for copy, analysis, public, readers in batch:
                    owner = readers[0] if readers else None
                    article = article_store(
                        prepared=copy, analysis=analysis, public=public, reader=owner, added_by=owner
                    )
                    for reader in readers[1:]:
                        library_add(reader=reader, article=article, via=LibraryEntry.Via.SAVED)
        else:
            articles_store_many(
                articles=[
                    AnalysedArticle(
                        copy,
                        analysis,
                        public=public,
                        readers=readers,
                        added_by=readers[0] if readers else None,
                    )
                    for copy, analysis, public, readers in batch
                ]
            )
        print(f"  stored {start + len(batch):,} articles", end="\r", flush=True)


def build_library(
    paths: list[Path], size: int, readers: int, public_every: int, through_service: bool
) -> None:
    from django.contrib.auth import get_user_model

    users = [get_user_model().objects.create_user(name, password=None) for name in reader_names(readers)]
    started = time.perf_counter()
    prepared, analyses = analysed_sources(paths)
    print(f"analysed {len(prepared)} source articles in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    store_copies(prepared, analyses, size, users, public_every, through_service=through_service)
    how = (
        "one by one through article_store"
        if through_service
        else f"by articles_store_many, {BATCH} at a time"
    )
    print(f"stored {size:,} articles {how} in {time.perf_counter() - started:.0f} s" + " " * 10)


def sessions(readers: int) -> list[str]:
    """A logged-in session (its cookie value) for each reader, as logging in would make it: an earlier run's,
    still valid, when the library was kept (its copy on PostgreSQL holds the same sessions), else a new one."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    kept = {}
    for stored in Session.objects.filter(expire_date__gt=timezone.now()).order_by("session_key"):
        kept.setdefault(stored.get_decoded().get(SESSION_KEY), stored.session_key)
    cookies = []
    for user in get_user_model().objects.filter(username__in=reader_names(readers)).order_by("username"):
        if str(user.pk) in kept:
            cookies.append(kept[str(user.pk)])
            continue
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return cookies


def fetch(url: str, session: str = "") -> float:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"} if session else {})
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{url} ({'a reader' if session else 'anonymous'}): HTTP {error.code}") from None
    with response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def timed(
    bases: list[str], paths: list[str], requests: int, cookies: list[str] | None = None
) -> list[tuple[float, float]]:
    """Median and 95th percentile per server; the servers take turns, so both meet the same machine load.
    With `cookies`, each request is a logged-in reader's, the readers taking turns."""
    cookies = cookies or [""]
    for base in bases:
        for path in paths[:5]:  # warm the workers and the page cache
            fetch(base + path, cookies[0])
    times: list[list[float]] = [[] for _ in bases]
    for i in range(requests):
        for base, series in zip(bases, times):
            series.append(fetch(base + paths[i % len(paths)], cookies[i % len(cookies)]))
    results = []
    for series in times:
        series.sort()
        results.append(
            (statistics.median(series), series[min(len(series) - 1, round(0.95 * len(series)) - 1)])
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="library size")
    parser.add_argument("--sources", type=int, default=50, help="PolNeAR articles analysed and copied")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--readers", type=int, default=50, help="readers, each with a library of their own")
    parser.add_argument(
        "--public-every", type=int, default=5, help="every N-th article is public, the rest private"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--through-service",
        action="store_true",
        help="store the copies one by one through article_store (slower by far) instead of in bulk",
    )
    parser.add_argument(
        "--database",
        type=Path,
        help="keep the library in this file and reuse it when it exists (default: temporary)",
    )
    parser.add_argument(
        "--database-url",
        help="also time the library copied to this PostgreSQL database (postgres://…; its contents are replaced)",
    )
    parser.add_argument(
        "--copied",
        action="store_true",
        help="the --database-url database holds this --database library already (an earlier run copied it)",
    )
    args = parser.parse_args()

    paths = sorted(args.corpus.glob("*.txt"))[: args.sources]
    if not paths:
        sys.exit(f"no .txt files in {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="newsreader-library-") as tmp:
        database = args.database.resolve() if args.database else Path(tmp) / "library.sqlite3"
        reuse = database.exists()
        # One key for this process and both servers: a logged-in session carries a hash made with it.
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DEBUG": "false",
            "SECRET_KEY": "bench-library-key",
        }
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count

        from articles.models import Actor, Article, LibraryEntry, Quote

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not reuse:
            build_library(paths, args.articles, args.readers, args.public_every, args.through_service)
        cookies = sessions(args.readers)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
        # The most mentioned people everyone may look up (named in a public article).
        people = list(
            Actor.objects.visible_to(None)
            .filter(label="PERSON")
            .annotate(n=Count("entities"))
            .order_by("-n")
            .values_list("pk", "name", "n")[:10]
        )
        top_speaker = (
            Quote.objects.filter(speaker__actor__label="PERSON")
            .values_list("speaker__actor__name")
            .annotate(n=Count("*"))
            .order_by("-n")
            .first()
        )
        # Articles a logged-in reader opens: their own private ones; anonymous readers open public ones.
        opener = reader_names(args.readers)[1]
        article_ids = list(
            LibraryEntry.objects.filter(reader__username=opener, article__public=False).values_list(
                "article_id", flat=True
            )[:20]
        )
        public_ids = list(Article.objects.filter(public=True).values_list("pk", flat=True)[:20])
        connection.close()

        print(f"database: {database.stat().st_size / 1e6:.0f} MB for {Article.objects.count():,} articles")
        print(
            f"{Article.objects.filter(public=True).count():,} public; {LibraryEntry.objects.count():,} library "
            f"entries of {len(cookies)} readers"
        )
        print(
            f"most mentioned person: {people[0][1]} in {people[0][2]:,} articles; top speaker: {top_speaker}"
        )

        servers = {"SQLite": env}
        if args.database_url and args.copied:
            print("PostgreSQL: the copy already there (--copied)")
        elif args.database_url:
            started = time.perf_counter()
            call_command(
                "move_library",
                "--from",
                env["DATABASE_URL"],
                "--to",
                args.database_url,
                "--force",
                stdout=StringIO(),
            )
            print(f"copied to PostgreSQL by move_library in {time.perf_counter() - started:.0f} s")
            from django.db import connections

            with connections["library_target"].cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                print(f"PostgreSQL database: {cursor.fetchone()[0] / 1e6:.0f} MB")
            connections["library_target"].close()
        if args.database_url:
            # DEBUG off with a database server: the key must come from the environment (any will do here).
            servers["PostgreSQL"] = {
                **env,
                "DATABASE_URL": args.database_url,
                "SECRET_KEY": "bench-library-key",
            }

        running = {}
        try:
            for name, server_env in servers.items():
                port = free_port()
                running[name] = (f"http://127.0.0.1:{port}", start_gunicorn(server_env, port))
            for name, (base, _) in running.items():  # the readers' sessions hold on every server
                request = urllib.request.Request(base + "/", headers={"Cookie": f"sessionid={cookies[0]}"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    if reader_names(args.readers)[0].encode() not in response.read():
                        raise RuntimeError(f"{name}: the reader's session is not logged in")
            pages = {
                "search": [f"/search/?q={urllib.parse.quote(q)}" for q in SEARCHES],
                "search + filter": [
                    f"/search/?q={urllib.parse.quote(q)}"
                    f"&source={urllib.parse.quote(SOURCES[i % len(SOURCES)])}"
                    f"&from=2017-01-01&to=2018-12-31"
                    for i, q in enumerate(SEARCHES)
                ],
                "person page": [f"/library/{pk}/" for pk, _, _ in people],
                "person, reported": [f"/library/{pk}/?said=reported" for pk, _, _ in people],
                "search + said": [f"/search/?q={urllib.parse.quote(q)}&said=reported" for q in SEARCHES],
                "who is quoted": ["/who-is-quoted/"]
                + [f"/who-is-quoted/?source={urllib.parse.quote(s)}" for s in SOURCES]
                + [f"/who-is-quoted/?said={said}" for said in ("all", "reported")],
                "home": ["/"] + [f"/?page={n}" for n in range(2, 40)],
                "own library": ["/?library=mine"] + [f"/?library=mine&page={n}" for n in range(2, 6)],
                "article page": [f"/articles/{pk}/" for pk in article_ids],
            }
            # After the build and the copy, which take minutes: the machine as the timing meets it.
            print(f"load average when timing began: {os.getloadavg()[0]:.1f}")
            print(
                f"{'page':<30}"
                + "".join(f"{name + ' median':>20}{'p95 ms':>8}" for name in running)
                + f"   ({args.requests} requests each, gunicorn 2 workers each, ms)"
            )
            for viewer, viewer_cookies in (("anonymous", None), ("reader", cookies)):
                for name, urls in pages.items():
                    if viewer == "anonymous" and name == "own library":
                        continue
                    if name == "article page":  # a reader's own private articles, or public ones
                        urls = urls if viewer == "reader" else [f"/articles/{pk}/" for pk in public_ids]
                        viewer_cookies = cookies[1:2] if viewer == "reader" else None
                    results = timed(
                        [base for base, _ in running.values()], urls, args.requests, viewer_cookies
                    )
                    label = f"{name} ({viewer})"
                    print(f"{label:<30}" + "".join(f"{median:>20.1f}{p95:>8.1f}" for median, p95 in results))
            print(f"load average when timing ended: {os.getloadavg()[0]:.1f}")
        finally:
            for _, server in running.values():
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
