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


# Nested folders ("News" holding "Local") are one folder name, "News / Local", split again on export.
FOLDER_SEPARATOR = " / "
# A folder's name is kept to this many characters (a subscription stores 200), however deep the nesting: a
# file of 50,000 nested outlines must not build ever longer names.
FOLDER_MAX_CHARS = 200


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str  # the feed's address
    html_url: str  # the site's address, or ""
    folder: str = ""  # the outlines it sits in, outermost first, joined by FOLDER_SEPARATOR; "" for none


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds an OPML file lists, each with the folder it sits in, each feed address once (in its first
    folder), in the file's order."""
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
    # Depth first with a stack of (outline, its folder), so a deeply nested file cannot exhaust recursion.
    stack = [(outline, "") for outline in reversed(body.findall("outline"))]
    while stack:
        outline, folder = stack.pop()
        # Exporters disagree on the case of xmlUrl and htmlUrl.
        attributes = {name.lower(): " ".join(value.split()) for name, value in outline.attrib.items()}
        xml_url = attributes.get("xmlurl", "")
        name = attributes.get("title") or attributes.get("text") or ""
        if xml_url and xml_url not in feeds:
            feeds[xml_url] = OpmlFeed(
                title=name or xml_url, xml_url=xml_url, html_url=attributes.get("htmlurl", ""), folder=folder
            )
        inner = folder
        if name and not xml_url and len(folder) < FOLDER_MAX_CHARS:
            inner = (folder + FOLDER_SEPARATOR + name if folder else name)[:FOLDER_MAX_CHARS]
        stack.extend((child, inner) for child in reversed(outline.findall("outline")))
    return list(feeds.values())


def export_opml(feeds: Iterable[tuple[str, ...]], title: str = "newsreader subscriptions") -> bytes:
    """An OPML 2.0 file of (title, feed address, site address[, folder]) tuples that parse_opml reads back
    unchanged; a folder is an outline holding its feeds (nested for "News / Local")."""
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {"": body}

    def folder_outline(path: str) -> ElementTree.Element:
        if path not in folders:
            parent, _, name = path.rpartition(FOLDER_SEPARATOR)
            folders[path] = ElementTree.SubElement(folder_outline(parent), "outline", text=name, title=name)
        return folders[path]

    for feed_title, xml_url, html_url, *rest in feeds:
        folder = FOLDER_SEPARATOR.join(
            part
            for part in _XML_FORBIDDEN_CHARACTERS.sub("", rest[0] if rest else "").split(FOLDER_SEPARATOR)
            if part.strip()
        )
        feed_title = _XML_FORBIDDEN_CHARACTERS.sub("", feed_title)
        outline = ElementTree.SubElement(
            folder_outline(folder), "outline", type="rss", text=feed_title, title=feed_title
        )
        outline.set("xmlUrl", _XML_FORBIDDEN_CHARACTERS.sub("", xml_url))
        if html_url:
            outline.set("htmlUrl", _XML_FORBIDDEN_CHARACTERS.sub("", html_url))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
