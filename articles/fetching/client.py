"""fetch(): one guarded GET, with its redirects, of what the caller can use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata

import httpx
from django.conf import settings

from . import addresses
from .bodies import (
    ACCEPT_BY_KIND,
    ACCEPT_ENCODING,
    ALL_KINDS,
    KINDS,
    BoundedDecoder,
    format_size,
    kind_of_content_type,
    sniffed_kind,
    status_words,
    wanted_words,
)
from .network import Deadline, FetchError, PinnedNetwork, PinnedTransport, plain_network_errors

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def _package_version() -> str:
    try:
        return metadata.version("newsreader")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"newsreader/{_package_version()} (+self-hosted reader)"


@dataclass(frozen=True)
class Fetched:
    """What one fetch brought back. On 304 Not Modified `not_modified` is True and `body` is empty."""

    url: str  # the final address, after redirects, without its #fragment
    status: int
    content_type: str  # the media type alone, lower case: "text/html"
    body: bytes
    etag: str
    last_modified: str
    not_modified: bool = False
    kind: str = ""  # "page" or "feed": what the body was accepted as ("" on 304)
    encoding: str = ""  # the charset the server declared, if it declared one


def fetch(
    url: str,
    *,
    kinds: Iterable[str] = KINDS,
    etag: str = "",
    last_modified: str = "",
    allow_private: bool | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
) -> Fetched:
    """GET `url` within newsreader's limits, or raise FetchError saying in plain words what went wrong.

    `kinds` says what the caller can use ("page", "feed" or both; or "image"); anything else is refused
    before its body is read. `etag` and `last_modified` (from an earlier fetch) make the request conditional. The other
    arguments override the settings NEWSREADER_FETCH_ALLOW_PRIVATE, NEWSREADER_FETCH_MAX_BYTES and
    NEWSREADER_FETCH_TIMEOUT (seconds, for the whole fetch including redirects).
    """
    kinds = tuple(kinds)
    if not kinds or any(kind not in ALL_KINDS for kind in kinds):
        raise ValueError(f"kinds must be drawn from {ALL_KINDS}, got {kinds!r}")
    if allow_private is None:
        allow_private = bool(getattr(settings, "NEWSREADER_FETCH_ALLOW_PRIVATE", False))
    if max_bytes is None:
        max_bytes = int(getattr(settings, "NEWSREADER_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    if timeout is None:
        timeout = float(getattr(settings, "NEWSREADER_FETCH_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))

    deadline = Deadline(timeout)
    network = PinnedNetwork(deadline)
    request_headers = {
        "Accept": ", ".join(ACCEPT_BY_KIND[kind] for kind in kinds) + ", */*;q=0.1",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified

    current = addresses.checked_url(url)
    with httpx.Client(
        transport=PinnedTransport(network),
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_SECONDS, timeout)),
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would connect on our behalf, past the address check
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            network.pin(
                current, addresses.checked_addresses(current, allow_private=allow_private, deadline=deadline)
            )
            with (
                plain_network_errors(current, deadline),
                client.stream("GET", current, headers=request_headers) as response,
            ):
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    current = addresses.checked_url(str(current.join(response.headers["location"])))
                    continue
                return _fetched(
                    response,
                    current,
                    kinds=kinds,
                    max_bytes=max_bytes,
                    etag=etag,
                    last_modified=last_modified,
                    deadline=deadline,
                )
    raise FetchError(f"Too many redirects (more than {MAX_REDIRECTS}).")


def _fetched(
    response: httpx.Response,
    url: httpx.URL,
    *,
    kinds: tuple[str, ...],
    max_bytes: int,
    etag: str,
    last_modified: str,
    deadline: Deadline,
) -> Fetched:
    response_etag = response.headers.get("etag", "")
    response_last_modified = response.headers.get("last-modified", "")
    if response.status_code == 304:
        return Fetched(
            url=str(url),
            status=304,
            content_type="",
            body=b"",
            etag=response_etag or etag,
            last_modified=response_last_modified or last_modified,
            not_modified=True,
        )
    if not response.is_success:
        raise FetchError(f"The server answered {status_words(response.status_code)}.")

    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = kind_of_content_type(content_type, kinds)
    too_large = f"The {kind or kinds[0]} is larger than the {format_size(max_bytes)} limit."
    declared_length = response.headers.get("content-length", "")
    if declared_length.isdigit() and int(declared_length) > max_bytes:
        raise FetchError(too_large)

    decoder = BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes, too_large)
    body = bytearray()
    for raw in response.iter_raw():
        # Unpacked here, every layer a bounded step at a time and counted against the cap, so a few compressed
        # kilobytes cannot become gigabytes before the size is checked.
        chunk = decoder.decode(raw)
        if len(body) + len(chunk) > max_bytes:
            raise FetchError(too_large)
        body += chunk
        if deadline.left() <= 0:
            raise deadline.error()
    body += decoder.finish(max_bytes - len(body))
    if not body:
        raise FetchError("The server sent an empty answer.")
    if kind is None:
        kind = sniffed_kind(bytes(body[:2048]))
        if kind not in kinds:
            raise FetchError(f"That address does not give {wanted_words(kinds)}.")
    return Fetched(
        url=str(url),
        status=response.status_code,
        content_type=content_type,
        body=bytes(body),
        etag=response_etag,
        last_modified=response_last_modified,
        kind=kind,
        encoding=response.charset_encoding or "",
    )
