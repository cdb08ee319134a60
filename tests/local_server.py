"""A real HTTP server on 127.0.0.1 for the tests that fetch (pages, feeds), and the pages and feeds it serves.

Loaded as a pytest plugin by tests/conftest.py, so its fixtures serve every test folder.

Each test says what its addresses answer (`local_server.route("/news", Reply(NEWS_PAGE))`); the server
records every request it receives, so a test can also show that a refused fetch never reached it.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Behaviour = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Reply:
    """A plain answer: status, content type, body and any extra headers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(self.status)
        if self.content_type:
            handler.send_header("Content-Type", self.content_type)
        handler.send_header("Content-Length", str(len(self.body)))
        for name, value in self.headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(self.body)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, content_type="", headers=(("Location", location),))


def with_etag(etag: str, reply: Reply) -> Behaviour:
    """Answers 304 Not Modified when the client already holds `etag`, else `reply` tagged with it."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            Reply(status=304, content_type="", headers=(("ETag", etag),))(handler)
        else:
            Reply(reply.body, reply.status, reply.content_type, (*reply.headers, ("ETag", etag)))(handler)

    return answer


def slow(seconds: float, reply: Reply) -> Behaviour:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        reply(handler)

    return answer


def endless(content_type: str = "text/html") -> Behaviour:
    """A body with no Content-Length that never ends: 64 KB after 64 KB until the client hangs up."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        chunk = b"<p>" + b"news " * 13_000 + b"</p>\n"
        while True:
            handler.wfile.write(chunk)

    return answer


def trickle(interval: float) -> Behaviour:
    """A page that never finishes, one byte every `interval` seconds: no single read ever waits long."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        while True:
            handler.wfile.write(b".")
            handler.wfile.flush()
            time.sleep(interval)

    return answer


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class LocalServer:
    """The routes a test gave and the requests that arrived; unknown paths answer 404."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.routes: dict[str, Behaviour] = {}
        self.requests: list[SeenRequest] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url(path)

    @property
    def paths_requested(self) -> list[str]:
        return [request.path for request in self.requests]


NOT_FOUND = Reply(b"<h1>Not Found</h1>", status=404)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        local = self.server.local
        local.requests.append(
            SeenRequest(self.path, {name.lower(): value for name, value in self.headers.items()})
        )
        try:
            local.routes.get(self.path, NOT_FOUND)(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, which is what the slow and endless routes are there to provoke

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # the endless routes' threads end when their client hangs up, not at shutdown
    local: LocalServer


@contextmanager
def _serving(wrap_socket: Callable[[_Server], socket.socket] | None = None) -> Iterator[LocalServer]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    if wrap_socket is not None:
        httpd.socket = wrap_socket(httpd)
    httpd.local = LocalServer(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.local
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with _serving() as local:
        yield local


NEWS_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour reopens after storm | The Daily Planet</title></head>
<body><article><h1>Harbour reopens after storm</h1><p class="byline">By Lois Lane</p>
<p>The harbour reopened on Tuesday after a week of repairs, the port authority said.</p>
<p>\xe2\x80\x9cWe are open for business,\xe2\x80\x9d said Perry White, the harbour master.</p>
</article></body></html>
"""

METADATA_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Council votes on budget</title>
<link rel="canonical" href="https://planet.example/2025/06/council-budget">
<meta property="og:title" content="Council votes on the city budget">
<meta property="og:site_name" content="The Daily Planet">
<meta property="og:url" content="https://planet.example/2025/06/council-budget">
<meta property="article:published_time" content="2025-06-10T09:00:00Z">
<meta name="author" content="Clark Kent">
</head><body><article><h1>Council votes on budget</h1>
<p>The city council voted on Monday to pass the budget after a long debate.</p></article></body></html>
"""

FULL_STORY_HTML = "".join(
    f"<p>Paragraph {number} of the full story: the council met again on Thursday evening to settle the "
    f"remaining questions about the harbour budget, and the mayor answered them one by one.</p>"
    for number in range(1, 6)
)

RSS_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Daily Planet</title>
  <link>https://planet.example/</link>
  <description>News from Metropolis</description>
  <item>
    <title>Council settles the harbour budget</title>
    <link>/2025/06/harbour-budget</link>
    <guid isPermaLink="false">planet-2025-06-harbour-budget</guid>
    <pubDate>Wed, 11 Jun 2025 08:30:00 +0000</pubDate>
    <dc:creator>Lois Lane</dc:creator>
    <description>The council met again on Thursday.</description>
    <content:encoded><![CDATA[{FULL_STORY_HTML}<script>alert("x")</script>]]></content:encoded>
  </item>
  <item>
    <title>Harbour reopens after storm</title>
    <link>https://planet.example/2025/06/harbour-reopens</link>
    <guid>https://planet.example/2025/06/harbour-reopens</guid>
    <pubDate>Tue, 10 Jun 2025 23:30:00 -0500</pubDate>
    <description>The harbour reopened on Tuesday after a week of repairs. Read more...</description>
  </item>
</channel>
</rss>
""".encode()

ATOM_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Gotham Gazette</title>
  <link href="https://gazette.example/"/>
  <link rel="self" href="https://gazette.example/atom.xml"/>
  <id>tag:gazette.example,2025:feed</id>
  <updated>2025-06-12T10:00:00Z</updated>
  <entry>
    <title type="html">Bridges &amp;amp; tunnels: the new plan</title>
    <link rel="alternate" href="https://gazette.example/2025/06/bridges"/>
    <id>tag:gazette.example,2025:bridges</id>
    <published>2025-06-12T09:00:00+02:00</published>
    <updated>2025-06-12T10:00:00Z</updated>
    <author><name>Vicki Vale</name></author>
    <summary>A short summary of the plan.</summary>
    <content type="html">&lt;p&gt;The city unveiled its plan for bridges.&lt;/p&gt;</content>
  </entry>
</feed>
"""

JSON_FEED = b"""{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Star City Star",
  "home_page_url": "https://star.example/",
  "feed_url": "https://star.example/feed.json",
  "items": [
    {
      "id": "2025-06-13-ferry",
      "url": "https://star.example/2025/06/ferry",
      "title": "Ferry service returns",
      "date_published": "2025-06-13T07:15:00-04:00",
      "authors": [{"name": "Iris West"}, {"name": "Linda Park"}],
      "summary": "The ferry runs again.",
      "content_html": "<p>The ferry runs again from Monday.</p><script>steal()</script>"
    },
    {
      "id": 42,
      "url": "/2025/06/notes",
      "title": "Notes from the council",
      "content_text": "First line of the notes.\\n\\nSecond paragraph & more."
    }
  ]
}
"""

BROKEN_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><titl"""


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """Host names the test invents, answered without a real resolver; every other name resolves as usual."""
    dns = FakeDns(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


class FakeDns:
    def __init__(self, real_getaddrinfo: Callable[..., list]) -> None:
        self._real_getaddrinfo = real_getaddrinfo
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []  # every name asked for, invented or not

    def answer(self, host: str, *answers: list[str]) -> None:
        """Each lookup of `host` takes the next answer in turn; the last one repeats. [] means no such name."""
        self.answers[host] = list(answers)

    def getaddrinfo(self, host: str, port: int, *args: object, **kwargs: object) -> list:
        self.lookups.append(host)
        if host not in self.answers:
            return self._real_getaddrinfo(host, port, *args, **kwargs)
        queue = self.answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in addresses
        ]


@pytest.fixture
def pretend_public(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Addresses the internal-address guard is to treat as public, so a test server can stand in for a site."""
    from articles import fetching

    stand_ins: set[str] = set()
    real_check = fetching.addresses.is_public_address
    monkeypatch.setattr(
        fetching.addresses,
        "is_public_address",
        lambda address: str(address) in stand_ins or real_check(address),
    )
    return stand_ins


@dataclass(frozen=True)
class TlsServer:
    server: LocalServer
    certificate: Path  # self-signed, for the one name `host`
    host: str

    def url(self, path: str) -> str:
        return f"https://{self.host}:{self.server.port}{path}"


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    """An HTTPS server on 127.0.0.1 whose certificate names news.test only."""
    certificate, key = tmp_path / "news.test.pem", tmp_path / "news.test.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=news.test"]
        + ["-addext", "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(certificate, key)
    with _serving(lambda httpd: server_context.wrap_socket(httpd.socket, server_side=True)) as local:
        yield TlsServer(local, certificate, "news.test")
