"""What an answer may be and how its body is read: the content types of each kind, the bounded unpacking of
gzip and deflate, and the plain words for what came instead."""

from __future__ import annotations

import zlib
from http import HTTPStatus

from .network import FetchError, format_number

PAGE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "application/xml",
        "text/xml",
    }
)
# An article's photos: the raster formats every browser shows and Pillow re-encodes (never SVG, which is a
# document that can carry scripts).
IMAGE_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
# Servers label files they don't know with these; the body decides whether it is a page or a feed.
UNLABELLED_CONTENT_TYPES = frozenset({"", "application/octet-stream", "text/plain"})
KINDS = ("page", "feed")  # what fetch() takes when the caller names nothing
ALL_KINDS = (*KINDS, "image")
ACCEPT_BY_KIND = {
    "page": "text/html, application/xhtml+xml;q=0.9",
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8",
    "image": "image/webp, image/png, image/jpeg, image/gif;q=0.9",
}
_WANTED_WORDS = {"page": "a web page", "feed": "a feed", "image": "a JPEG, PNG, GIF or WebP image"}
_IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_DESCRIPTION_BY_TYPE_PREFIX = {
    "application/pdf": "a PDF",
    "image/": "an image",
    "video/": "a video",
    "audio/": "a sound file",
    "text/html": "a web page",
    "application/xhtml+xml": "a web page",
}
# Only encodings fetch() unpacks itself, a bounded step at a time; a server that sends others is refused.
ACCEPT_ENCODING = "gzip, deflate"
_WBITS_BY_ENCODING = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BoundedDecoder:
    """Undoes a Content-Encoding of gzip or deflate layers, none of which may unpack to more than the cap.

    Each layer is given its input and asked for at most what is left of the cap (zlib's `max_length`); input
    it could not take within that means the layer holds more than the cap, and the answer is refused.
    """

    def __init__(self, header: str, max_bytes: int, too_large: str) -> None:
        encodings = [part.strip().lower() for part in header.split(",") if part.strip()]
        encodings = [encoding for encoding in encodings if encoding != "identity"]
        unknown = [encoding for encoding in encodings if encoding not in _WBITS_BY_ENCODING]
        if unknown:
            raise FetchError(f"The server sent a compressed answer ({unknown[0]}) newsreader cannot unpack.")
        # The last encoding named was applied last, so it comes off first.
        self.encodings = list(reversed(encodings))
        self.layers = [zlib.decompressobj(_WBITS_BY_ENCODING[encoding]) for encoding in self.encodings]
        self.produced = [0] * len(self.layers)
        self.max_bytes = max_bytes
        self.too_large = too_large

    def decode(self, data: bytes) -> bytes:
        for index in range(len(self.layers)):
            if not data:
                return b""
            data = self._step(index, data)
        return data

    def finish(self, room: int) -> bytes:
        data = b""
        for index in range(len(self.layers)):
            if data:
                data = self._step(index, data)
            try:
                data += self.layers[index].flush(self.max_bytes + 1 - self.produced[index])
            except zlib.error:
                raise FetchError("The server sent a compressed answer that could not be unpacked.") from None
        if len(data) > room:
            raise FetchError(self.too_large)
        return data

    def _step(self, index: int, data: bytes) -> bytes:
        layer = self.layers[index]
        room = self.max_bytes + 1 - self.produced[index]
        try:
            out = layer.decompress(data, room)
        except zlib.error:
            if self.encodings[index] != "deflate" or self.produced[index] or layer.unused_data:
                raise FetchError("The server sent a compressed answer that could not be unpacked.") from None
            # Many servers send "deflate" without the zlib wrapper the standard asks for.
            self.layers[index] = layer = zlib.decompressobj(-zlib.MAX_WBITS)
            self.encodings[index] = "raw deflate"
            return self._step(index, data)
        self.produced[index] += len(out)
        if layer.unconsumed_tail or self.produced[index] > self.max_bytes:
            raise FetchError(self.too_large)
        return out


def kind_of_content_type(content_type: str, kinds: tuple[str, ...]) -> str | None:
    """The kind the content type settles, None when only the body can tell; refuses every other type."""
    if content_type in PAGE_CONTENT_TYPES and "page" in kinds:
        return "page"
    if content_type in FEED_CONTENT_TYPES and "feed" in kinds:
        return "feed"
    if content_type in IMAGE_CONTENT_TYPES and "image" in kinds:
        return "image"
    if content_type in UNLABELLED_CONTENT_TYPES:
        return None
    description = next(
        (words for prefix, words in _DESCRIPTION_BY_TYPE_PREFIX.items() if content_type.startswith(prefix)),
        "a feed" if content_type in FEED_CONTENT_TYPES else "a file of another kind",
    )
    raise FetchError(f"That address gives {description} ({content_type}), not {wanted_words(kinds)}.")


def sniffed_kind(start: bytes) -> str | None:
    if start.startswith(_IMAGE_SIGNATURES) or (start[:4] == b"RIFF" and start[8:12] == b"WEBP"):
        return "image"
    head = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b"jsonfeed.org/version" in head:
        return "feed"
    if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return "page"
    return None


def wanted_words(kinds: tuple[str, ...]) -> str:
    return " or ".join(_WANTED_WORDS[kind] for kind in kinds)


def status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{format_number(size / (1024 * 1024))} MB"
    if size >= 1024:
        return f"{format_number(size / 1024)} KB"
    return f"{size} bytes"
