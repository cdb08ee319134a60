"""RSS 2.0, Atom and JSON Feed documents in, one plain shape out: a feed's title, site and entries.

feedparser reads the XML formats (and sanitises their HTML); JSON Feed, which feedparser does not know, is read
here with `json` after a bound on its nesting. Nothing here touches the network: bytes come from
`articles.fetching.fetch`.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3

# Fewer characters of text than this, and the poller fetches the entry's page instead of trusting the feed.
FULL_TEXT_MIN_CHARS = 500
MAX_JSON_NESTING = 50

NOT_A_FEED_MESSAGE = "That address does not give a feed newsreader can read (RSS, Atom or JSON Feed)."

_JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"
# The bytes that matter to nesting: string quotes, escapes inside strings, and brackets.
_JSON_STRUCTURE = re.compile(rb'["\\\[\]{}]')
DECLARATION_MESSAGE = "That feed declares a document type or entities, which newsreader does not read."
# A document type declaration (where entities are declared) or an entity declaration, in any case and in the
# encodings a feed's bytes may come in: feedparser's loose parser expands declared entities without bound.
_DECLARATIONS = tuple(
    keyword.encode(encoding)
    for keyword in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|tr|td|pre|figcaption)\s*>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TRUNCATION_MARK = re.compile(
    r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|read the full (?:story|article))\W*$",
    re.IGNORECASE,
)


class FeedError(ValueError):
    """A document that is not a feed (or not an OPML list) newsreader can read; the message is for the user."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str  # the feed's own id for the entry, else its link: what tells a new entry from one seen before
    url: str  # absolute http(s) address of the entry's page, or ""
    title: str
    published: datetime.date | None  # in UTC
    author: str
    content_html: str  # the fullest body the feed carries, sanitised HTML (falls back to the summary)
    summary: str  # plain text


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    site_url: str
    entries: tuple[FeedEntry, ...]


def parse_feed(body: bytes, url: str) -> ParsedFeed:
    """Reads an RSS, Atom or JSON Feed document fetched from `url` (which resolves its relative links)."""
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return _parse_json_feed(body, url)
    return _parse_xml_feed(body, url)


def entry_has_full_text(entry: FeedEntry) -> bool:
    """True when the feed gives the whole article, so its page need not be fetched."""
    text = plain_text(entry.content_html)
    return len(text) >= FULL_TEXT_MIN_CHARS and not _TRUNCATION_MARK.search(text)


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, tags dropped, entities decoded, whitespace collapsed."""
    without_tags = nh3.clean(_BLOCK_END.sub(r"\g<0> ", fragment), tags=set())
    return _SPACES.sub(" ", html.unescape(without_tags)).strip()


def _parse_xml_feed(body: bytes, url: str) -> ParsedFeed:
    if _declares_entities(body):
        # A web page's <!DOCTYPE html> is refused too, but as what it is.
        is_page = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:14].lower() == b"<!doctype html"
        raise FeedError(NOT_A_FEED_MESSAGE if is_page else DECLARATION_MESSAGE)
    # A stream, never bytes: feedparser treats bytes or str it is given as a file name or URL to open first.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    feed = parsed.get("feed", {})
    if not parsed.entries and (not parsed.get("version") or (parsed.get("bozo") and not feed.get("title"))):
        raise FeedError(NOT_A_FEED_MESSAGE)
    site_url = _web_address(feed.get("link", ""), url)
    entries = tuple(_xml_entry(entry, url) for entry in parsed.entries)
    return ParsedFeed(title=_xml_title(feed) or _host_of(site_url or url), site_url=site_url, entries=entries)


def _xml_entry(entry: Any, feed_url: str) -> FeedEntry:
    link = _web_address(entry.get("link", ""), feed_url)
    summary_html = entry.get("summary", "")
    contents = entry.get("content", [])
    html_contents = [c for c in contents if c.get("type") in ("text/html", "application/xhtml+xml")]
    if html_contents:
        content_html = max((c.get("value", "") for c in html_contents), key=len)
    elif contents:
        content_html = _paragraphs(contents[0].get("value", ""))
    else:
        content_html = summary_html
    title = _xml_title(entry)
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return FeedEntry(
        guid=entry.get("id", "") or link or _fingerprint(title, summary_html),
        url=link,
        title=title,
        published=_struct_date(published),
        author=", ".join(a["name"] for a in entry.get("authors", []) if a.get("name"))
        or entry.get("author", ""),
        content_html=content_html,
        summary=plain_text(summary_html),
    )


def _struct_date(value: object) -> datetime.date | None:
    """feedparser's parsed date as a date; None when there is none or no real day (year 0, year 10000)."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.date(*value[:3])
    except ValueError:
        return None


def _xml_title(element: Any) -> str:
    detail = element.get("title_detail", {})
    title = element.get("title", "")
    return (
        plain_text(title) if detail.get("type") in ("text/html", "application/xhtml+xml") else title.strip()
    )


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    if _json_nesting_depth(body) > MAX_JSON_NESTING:
        raise FeedError(f"That JSON is nested more than {MAX_JSON_NESTING} levels deep, which no feed needs.")
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FeedError(NOT_A_FEED_MESSAGE) from None
    except ValueError:  # an integer past Python's limit on digits (sys.get_int_max_str_digits)
        raise FeedError("That JSON holds a number thousands of digits long, which no feed needs.") from None
    if (
        not isinstance(document, dict)
        or not _text(document.get("version")).startswith(_JSON_FEED_VERSION_PREFIX)
        or not isinstance(document.get("items"), list)
    ):
        raise FeedError("That JSON is not a JSON Feed (it has no jsonfeed.org version and list of items).")
    site_url = _web_address(_text(document.get("home_page_url")), url)
    entries = tuple(_json_entry(item, url) for item in document["items"] if isinstance(item, dict))
    return ParsedFeed(
        title=_text(document.get("title")) or _host_of(site_url or url), site_url=site_url, entries=entries
    )


def _json_entry(item: dict[str, Any], feed_url: str) -> FeedEntry:
    link = _web_address(_text(item.get("url")) or _text(item.get("external_url")), feed_url)
    title = _text(item.get("title"))
    summary = _text(item.get("summary"))
    if _text(item.get("content_html")):
        content_html = nh3.clean(item["content_html"])
    else:
        content_html = _paragraphs(_text(item.get("content_text")) or summary)
    item_id = item.get("id")
    guid = str(item_id).strip() if isinstance(item_id, (str, int)) and not isinstance(item_id, bool) else ""
    # JSON Feed 1.0 had one "author"; 1.1 has a list of "authors".
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    return FeedEntry(
        guid=guid or link or _fingerprint(title, content_html),
        url=link,
        title=title,
        published=_json_date(item.get("date_published")) or _json_date(item.get("date_modified")),
        author=", ".join(
            _text(a.get("name")) for a in authors if isinstance(a, dict) and _text(a.get("name"))
        ),
        content_html=content_html,
        summary=summary,
    )


def _declares_entities(body: bytes) -> bool:
    """True when the document holds a DTD or an entity declaration anywhere (checked before any parser)."""
    lowered = body.lower()  # ASCII letters only, which is what the keywords are made of in every encoding
    return any(declaration in lowered for declaration in _DECLARATIONS)


def _json_nesting_depth(body: bytes) -> int:
    """How deep the brackets go, found in one pass without parsing, so a hostile document is refused before
    json sees it. Brackets inside strings do not count; an escape inside a string skips the byte after it."""
    depth = deepest = 0
    in_string = False
    escaped_at = -1  # the position of a byte an escape took, which is not read for itself
    for match in _JSON_STRUCTURE.finditer(body):
        position = match.start()
        if position == escaped_at:
            continue
        byte = match.group()
        if in_string:
            if byte == b"\\":
                escaped_at = position + 1
            elif byte == b'"':
                in_string = False
        elif byte == b'"':
            in_string = True
        elif byte in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (b"]", b"}"):
            depth -= 1
    return deepest


def _json_date(value: object) -> datetime.date | None:
    try:
        moment = datetime.datetime.fromisoformat(_text(value))
        return moment.astimezone(datetime.UTC).date() if moment.tzinfo else moment.date()
    except (ValueError, OverflowError):  # not a date, or one that moves past year 1 or 9999 in UTC
        return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, escaped: a blank line starts a new paragraph."""
    blocks = [_SPACES.sub(" ", block).strip() for block in re.split(r"\n\s*\n", text)]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks if block)


def _web_address(link: str, base_url: str) -> str:
    """`link` made absolute against `base_url`; "" unless it is an http(s) address."""
    absolute = urljoin(base_url, link.strip()) if link.strip() else ""
    return absolute if urlsplit(absolute).scheme in ("http", "https") else ""


def _host_of(url: str) -> str:
    return urlsplit(url).hostname or ""


def _fingerprint(*parts: str) -> str:
    return "sha1:" + hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()
