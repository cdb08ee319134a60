"""OPML, the file every feed reader imports and exports subscriptions with.

Reading goes through defusedxml with document type declarations refused outright: an uploaded file must not
expand entities or reach for external resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree

import defusedxml
import defusedxml.ElementTree

from articles.feeds.parsing import FeedError

MAX_OPML_BYTES = 2 * 1024 * 1024

# XML 1.0 cannot carry these at all, so a title pasted with one would make the whole file unreadable.
_XML_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str  # the feed's address
    html_url: str  # the site's address, or ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds an OPML file lists, folders flattened, each feed address once, in the file's order."""
    if len(data) > MAX_OPML_BYTES:
        raise FeedError(f"That OPML file is larger than the {MAX_OPML_BYTES // (1024 * 1024)} MB limit.")
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise FeedError(
            "That file declares a document type or entities, which newsreader does not read."
        ) from None
    except ElementTree.ParseError:
        raise FeedError("That file is not OPML: it is not well-formed XML.") from None
    body = root.find("body") if root.tag == "opml" else None
    if body is None:
        raise FeedError(
            f"That file is not OPML (its top element is <{root.tag}>, and OPML has <opml><body>)."
        )

    feeds: dict[str, OpmlFeed] = {}
    for outline in body.iter("outline"):
        # Exporters disagree on the case of xmlUrl and htmlUrl.
        attributes = {name.lower(): value.strip() for name, value in outline.attrib.items()}
        xml_url = attributes.get("xmlurl", "")
        if xml_url and xml_url not in feeds:
            title = attributes.get("title") or attributes.get("text") or xml_url
            feeds[xml_url] = OpmlFeed(title=title, xml_url=xml_url, html_url=attributes.get("htmlurl", ""))
    return list(feeds.values())


def export_opml(feeds: Iterable[tuple[str, str, str]], title: str = "newsreader subscriptions") -> bytes:
    """An OPML 2.0 file of (title, feed address, site address) triples that parse_opml reads back unchanged."""
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
    body = ElementTree.SubElement(root, "body")
    for feed_title, xml_url, html_url in feeds:
        feed_title = _XML_FORBIDDEN_CHARACTERS.sub("", feed_title)
        outline = ElementTree.SubElement(body, "outline", type="rss", text=feed_title, title=feed_title)
        outline.set("xmlUrl", _XML_FORBIDDEN_CHARACTERS.sub("", xml_url))
        if html_url:
            outline.set("htmlUrl", _XML_FORBIDDEN_CHARACTERS.sub("", html_url))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
