"""Hostile things a loopback server hands newsreader when it fetches (feeds, pages), defined once:
tests/security/test_hostile_feeds.py runs them through Django's test client and a check in this process,
bench/hostile.py through gunicorn and the same check.

Each case is served at its own path; `form` says which form gets the address: "feeds" (subscribe) or "add"
(Add article by address). Every one is refused with its message, stores nothing, and a check of a feed with
that address (what the task worker runs) fails with the same reason instead of running on.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field

from tests.local_server import Reply


@dataclass(frozen=True)
class FeedCase:
    name: str
    path: str
    reply: Reply
    message: str  # the reason given, on the form and as the feed's last problem
    form: str = "feeds"
    status: int = 400
    checks: bool = True  # also checked as a subscribed feed (the task worker's poll)
    headers: tuple = field(default=())


def _gzip_of_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


ENTITY_FEED = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + b"x" * 10_000 + b'">\n]>\n'
    b'<rss version="2.0"><channel><title>Expanding</title><item><title>t</title><description>'
    + b"&a;" * 22_000
    + b"</description></item></channel></rss>"
)
REDOS_FEED = b'{"' + b'\\"' * 100_000  # 200 KB: an unterminated string of escaped quotes
DOUBLE_GZIP = gzip.compress(_gzip_of_zeros(1000))  # 1,000 MB of zeros, gzipped twice: under 2 KB

FEED_CASES = [
    FeedCase(
        "a feed declaring an entity used 22,000 times (100 KB, 220 MB expanded)",
        "/entity.xml",
        Reply(ENTITY_FEED, content_type="application/rss+xml"),
        "That feed declares a document type or entities, which newsreader does not read.",
    ),
    FeedCase(
        "a JSON Feed of 100,000 escaped quotes in an unclosed string (200 KB)",
        "/redos.json",
        Reply(REDOS_FEED, content_type="application/feed+json"),
        "That address does not give a feed newsreader can read (RSS, Atom or JSON Feed).",
    ),
    FeedCase(
        "a feed of 1,000 MB gzipped twice (2 KB)",
        "/bomb.xml",
        Reply(DOUBLE_GZIP, content_type="application/rss+xml", headers=(("Content-Encoding", "gzip, gzip"),)),
        "The feed is larger than the 5 MB limit.",
    ),
    FeedCase(
        "a page of 1,000 MB gzipped twice (2 KB), saved by address",
        "/bomb.html",
        Reply(DOUBLE_GZIP, content_type="text/html", headers=(("Content-Encoding", "gzip, gzip"),)),
        "The page is larger than the 5 MB limit.",
        form="add",
        checks=False,
    ),
    FeedCase(
        "a feed in an encoding newsreader did not ask for (br)",
        "/brotli.xml",
        Reply(b"\x1b\x00\x00", content_type="application/rss+xml", headers=(("Content-Encoding", "br"),)),
        "The server sent a compressed answer (br) newsreader cannot unpack.",
    ),
]
