"""articles.feeds.parsing: RSS, Atom and JSON Feed read into one shape, and what it refuses."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from articles.feeds.parsing import (
    DECLARATION_MESSAGE,
    FULL_TEXT_MIN_CHARS,
    NOT_A_FEED_MESSAGE,
    FeedEntry,
    FeedError,
    entry_has_full_text,
    parse_feed,
)
from articles.fetching import fetch
from tests.local_server import ATOM_FEED, BROKEN_FEED, JSON_FEED, NEWS_PAGE, RSS_FEED, LocalServer, Reply


def test_rss_gives_title_site_and_entries_with_absolute_links_and_full_text() -> None:
    feed = parse_feed(RSS_FEED, "https://planet.example/feed.rss")

    assert (feed.title, feed.site_url, len(feed.entries)) == (
        "The Daily Planet",
        "https://planet.example/",
        2,
    )
    full = feed.entries[0]
    assert full.guid == "planet-2025-06-harbour-budget"
    assert full.url == "https://planet.example/2025/06/harbour-budget"
    assert (full.title, full.author, full.published) == (
        "Council settles the harbour budget",
        "Lois Lane",
        datetime.date(2025, 6, 11),
    )
    assert full.content_html.startswith("<p>Paragraph 1 of the full story: the council met again")
    assert "<script>" not in full.content_html and "alert" not in full.content_html
    assert full.summary == "The council met again on Thursday."
    assert entry_has_full_text(full)


def test_rss_entry_with_only_a_teaser_and_a_permalink_guid() -> None:
    short = parse_feed(RSS_FEED, "https://planet.example/feed.rss").entries[1]

    assert short.guid == short.url == "https://planet.example/2025/06/harbour-reopens"
    # 23:30 at UTC-5 on the 10th is the 11th in UTC.
    assert short.published == datetime.date(2025, 6, 11)
    assert short.content_html == "The harbour reopened on Tuesday after a week of repairs. Read more..."
    assert not entry_has_full_text(short)


def test_atom_gives_html_titles_as_text_and_content_beside_summary() -> None:
    feed = parse_feed(ATOM_FEED, "https://gazette.example/atom.xml")

    assert (feed.title, feed.site_url) == ("Gotham Gazette", "https://gazette.example/")
    (entry,) = feed.entries
    assert entry == FeedEntry(
        guid="tag:gazette.example,2025:bridges",
        url="https://gazette.example/2025/06/bridges",
        title="Bridges & tunnels: the new plan",
        published=datetime.date(2025, 6, 12),
        author="Vicki Vale",
        content_html="<p>The city unveiled its plan for bridges.</p>",
        summary="A short summary of the plan.",
    )


def test_json_feed_gives_entries_with_authors_sanitised_html_and_text_content() -> None:
    feed = parse_feed(JSON_FEED, "https://star.example/feed.json")

    assert (feed.title, feed.site_url) == ("Star City Star", "https://star.example/")
    ferry, notes = feed.entries
    assert ferry == FeedEntry(
        guid="2025-06-13-ferry",
        url="https://star.example/2025/06/ferry",
        title="Ferry service returns",
        published=datetime.date(2025, 6, 13),
        author="Iris West, Linda Park",
        content_html="<p>The ferry runs again from Monday.</p>",
        summary="The ferry runs again.",
    )
    assert (notes.guid, notes.url, notes.published, notes.author) == (
        "42",
        "https://star.example/2025/06/notes",
        None,
        "",
    )
    assert notes.content_html == "<p>First line of the notes.</p><p>Second paragraph &amp; more.</p>"


@pytest.mark.parametrize(
    ("path", "body", "content_type", "title"),
    [
        ("/feed.rss", RSS_FEED, "application/rss+xml", "The Daily Planet"),
        ("/atom.xml", ATOM_FEED, "application/atom+xml", "Gotham Gazette"),
        ("/feed.json", JSON_FEED, "application/feed+json", "Star City Star"),
    ],
)
def test_feeds_fetched_from_a_server_parse(
    local_server: LocalServer, path: str, body: bytes, content_type: str, title: str
) -> None:
    fetched = fetch(
        local_server.route(path, Reply(body, content_type=content_type)), kinds=("feed",), allow_private=True
    )

    feed = parse_feed(fetched.body, fetched.url)

    assert feed.title == title
    assert feed.entries


def test_relative_entry_links_resolve_against_the_feed_address() -> None:
    feed = parse_feed(
        RSS_FEED.replace(b"<link>https://planet.example/</link>", b"<link>/</link>"), "http://x.test/rss"
    )

    assert feed.site_url == "http://x.test/"
    assert feed.entries[0].url == "http://x.test/2025/06/harbour-budget"


def test_a_feed_with_a_title_and_no_entries_is_an_empty_feed_not_an_error() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title><link>https://q.test/</link></channel></rss>'

    assert parse_feed(body, "https://q.test/rss").entries == ()


@pytest.mark.parametrize(
    "body",
    [BROKEN_FEED, NEWS_PAGE, b"", b"not a feed at all", b"<?xml version='1.0'?><note>hello</note>"],
    ids=["broken-rss", "web-page", "empty", "plain-text", "other-xml"],
)
def test_what_is_not_a_feed_is_refused_in_plain_words(body: bytes) -> None:
    with pytest.raises(FeedError) as refused:
        parse_feed(body, "https://planet.example/feed")

    assert str(refused.value) == NOT_A_FEED_MESSAGE


def test_a_body_naming_a_file_is_read_as_text_never_opened(tmp_path: Path) -> None:
    secret_feed = tmp_path / "secret.rss"
    secret_feed.write_bytes(RSS_FEED)

    with pytest.raises(FeedError, match="does not give a feed"):
        parse_feed(str(secret_feed).encode(), "https://evil.example/feed")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"title": "no version", "items": []}', "That JSON is not a JSON Feed"),
        (b'[{"version": "https://jsonfeed.org/version/1.1"}]', "That JSON is not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": ', NOT_A_FEED_MESSAGE),
        (b"[" * 51 + b"]" * 51, "nested more than 50 levels deep"),
        (b'{"a":' * 60 + b"1" + b"}" * 60, "nested more than 50 levels deep"),
        (b'{"a": "\\\\", "b":' + b"[" * 51 + b"]" * 51 + b"}", "nested more than 50 levels deep"),
        (b'{"a": "\\"[[[[", "b": [1]}', "That JSON is not a JSON Feed"),
    ],
    ids=[
        "no-version",
        "array-at-top",
        "cut-short",
        "deep-arrays",
        "deep-objects",
        "after-escape",
        "escaped-quote",
    ],
)
def test_json_that_is_not_a_json_feed_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_feed(body, "https://star.example/feed.json")


ENTITY_FEED = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + b"x" * 1000 + b'">\n]>\n'
    b'<rss version="2.0"><channel><title>Expanding</title><item><title>t</title><description>'
    + b"&a;" * 300
    + b"</description></item></channel></rss>"
)


@pytest.mark.parametrize(
    "body",
    [
        ENTITY_FEED,
        ENTITY_FEED.replace(b"DOCTYPE", b"doctype"),
        ENTITY_FEED.decode().encode("utf-16"),
        ENTITY_FEED.decode().encode("utf-32-be"),
        RSS_FEED.replace(b"<rss", b'<!DOCTYPE rss SYSTEM "file:///etc/passwd">\n<rss', 1),
        b'<?xml version="1.0"?><!ENTITY a "x"><rss version="2.0"><channel><title>&a;</title></channel></rss>',
    ],
    ids=["internal-subset", "lower-case", "utf-16", "utf-32", "external-dtd", "stray-entity"],
)
def test_a_feed_that_declares_a_document_type_or_entities_is_refused_before_parsing(body: bytes) -> None:
    # feedparser's loose parser, which it falls back to when expat refuses, expands declared entities at
    # every reference without bound (100 KB took 92 s and 1.45 GB); no parser may see such a document.
    with pytest.raises(FeedError) as refused:
        parse_feed(body, "https://planet.example/feed")

    assert str(refused.value) == DECLARATION_MESSAGE


def test_an_unterminated_json_string_of_escaped_quotes_is_read_in_one_pass() -> None:
    # The old check's regular expression tried every quote as a string start: 200 KB held a worker 293 s.
    # The parse runs in a process of its own, so a check that never ends is stopped and reported, not waited on.
    program = (
        "from articles.feeds.parsing import FeedError, parse_feed\n"
        "try:\n"
        "    parse_feed(b'{\"' + b'\\\\\"' * 1_000_000, 'https://star.example/feed.json')\n"
        "except FeedError as error:\n"
        "    print(error)\n"
    )
    try:
        finished = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the nesting check of a 2 MB string did not finish")
    assert finished.stdout.strip() == NOT_A_FEED_MESSAGE


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    title = "[[[{{{" * 40
    body = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "' + title.encode() + b'", "items": ['
        b'{"id": "1", "content_text": "x", "author": {"name": "Old-style Author"}}]}'
    )

    feed = parse_feed(body, "https://star.example/feed.json")

    assert feed.title == title
    assert feed.entries[0].author == "Old-style Author"


@pytest.mark.parametrize(
    ("content_html", "full"),
    [
        ("<p>" + "word " * (FULL_TEXT_MIN_CHARS // 5 + 1) + "end.</p>", True),
        ("<p>" + "word " * (FULL_TEXT_MIN_CHARS // 5 - 10) + "end.</p>", False),
        ("<p>" + "word " * 200 + '</p><p><a href="/x">Continue reading</a></p>', False),
        ("<p>" + "word " * 200 + "[…]</p>", False),
        ("<img src='a.png'>" * 300, False),
    ],
    ids=["long", "short", "continue-reading", "bracketed-ellipsis", "markup-without-text"],
)
def test_full_text_means_enough_words_that_do_not_trail_off(content_html: str, full: bool) -> None:
    entry = FeedEntry(
        guid="g", url="", title="t", published=None, author="", content_html=content_html, summary=""
    )

    assert entry_has_full_text(entry) is full


def test_a_json_feed_id_of_5001_digits_is_refused_in_plain_words() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ' + b"1" * 5001 + b"}]}"
    with pytest.raises(FeedError, match="thousands of digits"):
        parse_feed(body, "https://planet.example/feed.json")


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_a_json_feed_date_beyond_the_calendar_in_utc_is_no_date(moment: str) -> None:
    item = {"id": "a", "url": "https://planet.example/a", "title": "A", "date_published": moment}
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]}).encode()
    assert parse_feed(body, "https://planet.example/feed.json").entries[0].published is None


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
        b"<link>https://planet.example/a</link><pubDate>0000-00-00</pubDate></item></channel></rss>",
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b"<entry><title>A</title>"
        b"<id>a</id><updated>9999-12-31T23:59:59-23:59</updated></entry></feed>",
    ],
    ids=["rss year 0", "atom year 10000"],
)
def test_rss_and_atom_dates_outside_the_calendar_are_no_date(body: bytes) -> None:
    entry = parse_feed(body, "https://planet.example/feed").entries[0]
    assert (entry.title, entry.published) == ("A", None)
