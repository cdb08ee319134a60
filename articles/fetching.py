"""The one place newsreader reads from the network: a guarded GET of a web page or a feed.

Every address a user gives is fetched with the same limits: http and https only, a connect and a total
timeout, a size cap counted while streaming, at most five redirects (each one checked again), page and feed
content types only, and no address inside the server's own network unless the setting allows it. The
connection goes to the very address that was checked, so a name that changes its answer between the check
and the connection (DNS rebinding) cannot slip past.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from importlib import metadata

import certifi
import httpcore
import httpx
from django.conf import settings

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

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
# Servers label files they don't know with these; the body decides whether it is a page or a feed.
UNLABELLED_CONTENT_TYPES = frozenset({"", "application/octet-stream", "text/plain"})
KINDS = ("page", "feed")

INTERNAL_ADDRESS_MESSAGE = (
    "That address points inside this server's own network, which newsreader does not fetch."
)

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT_BY_KIND = {
    "page": "text/html, application/xhtml+xml;q=0.9",
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8",
}
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
# getaddrinfo has no timeout of its own; asking on a worker lets fetch() give up at its deadline.
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsreader-resolver")


def _package_version() -> str:
    try:
        return metadata.version("newsreader")
    except metadata.PackageNotFoundError:
        return "0"


USER_AGENT = f"newsreader/{_package_version()} (+self-hosted reader)"


class FetchError(ValueError):
    """A fetch that failed or was refused; the message is written for the person who gave the address."""


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

    `kinds` says what the caller can use ("page", "feed" or both); anything else is refused before its body
    is read. `etag` and `last_modified` (from an earlier fetch) make the request conditional. The other
    arguments override the settings NEWSREADER_FETCH_ALLOW_PRIVATE, NEWSREADER_FETCH_MAX_BYTES and
    NEWSREADER_FETCH_TIMEOUT (seconds, for the whole fetch including redirects).
    """
    kinds = tuple(kinds)
    if not kinds or any(kind not in KINDS for kind in kinds):
        raise ValueError(f"kinds must be drawn from {KINDS}, got {kinds!r}")
    if allow_private is None:
        allow_private = bool(getattr(settings, "NEWSREADER_FETCH_ALLOW_PRIVATE", False))
    if max_bytes is None:
        max_bytes = int(getattr(settings, "NEWSREADER_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    if timeout is None:
        timeout = float(getattr(settings, "NEWSREADER_FETCH_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))

    deadline = _Deadline(timeout)
    network = _PinnedNetwork(deadline)
    request_headers = {
        "Accept": ", ".join(_ACCEPT_BY_KIND[kind] for kind in kinds) + ", */*;q=0.1",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified

    current = _checked_url(url)
    with httpx.Client(
        transport=_PinnedTransport(network),
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_SECONDS, timeout)),
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would connect on our behalf, past the address check
    ) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            network.pin(current, _checked_addresses(current, allow_private=allow_private, deadline=deadline))
            with (
                _plain_network_errors(current, deadline),
                client.stream("GET", current, headers=request_headers) as response,
            ):
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    current = _checked_url(str(current.join(response.headers["location"])))
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


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True when `address` is on the public internet: not loopback, private, link-local, shared, reserved..."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 address that wraps an IPv4 one reaches that IPv4 address; judge it by what it wraps.
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address in _NAT64_PREFIX:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None and not is_public_address(address.sixtofour):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in _SHARED_ADDRESS_SPACE
    )


class _Deadline:
    """The moment the whole fetch must be over, shared by name lookups, connections, reads and writes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def error(self) -> FetchError:
        return FetchError(f"The server took too long to answer (over {_format_number(self.seconds)} s).")


def _checked_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL:
        raise FetchError("That is not a web address newsreader can read.") from None
    if not parsed.scheme:
        raise FetchError("That address does not start with http:// or https://.")
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"Only http:// and https:// addresses can be fetched, not {parsed.scheme}: ones.")
    if parsed.userinfo:
        raise FetchError("Addresses with a user name or password in them are not fetched.")
    if not parsed.raw_host:
        raise FetchError("That address has no server name in it.")
    try:
        _ = (
            parsed.host
        )  # decodes an IDNA ("xn--") name, which may be invalid: refused here, not at a crash later
    except ValueError:  # idna's IDNAError is a UnicodeError, a ValueError
        raise FetchError("That address's server name is not a valid international (IDNA) name.") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchError(f"That address has an impossible port number ({parsed.port}).")
    return parsed.copy_with(fragment=None)


def _is_address_literal(host: str) -> bool:
    """Whether the host is written as an address (127.0.0.1, ::1, and the short forms 127.1 or 2130706433)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            socket.inet_aton(host)
        except OSError:
            return False
    return True


def _no_server(url: httpx.URL, allow_private: bool) -> FetchError:
    """A name that resolves to nothing, or (unless allowed) to an internal address: one message for both, so
    the answer cannot be used to learn which names resolve inside this server's network."""
    if allow_private:
        return FetchError(f"No server called {url.host} could be found.")
    return FetchError(
        f"No server called {url.host} could be found on the public internet (newsreader does not fetch "
        "addresses inside its own network)."
    )


def _checked_addresses(url: httpx.URL, *, allow_private: bool, deadline: _Deadline) -> tuple[str, ...]:
    """Every address the host name resolves to, refused if any of them is internal (unless allowed)."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        answers = lookup.result(timeout=max(deadline.left(), 0))
    except concurrent.futures.TimeoutError:
        raise deadline.error() from None
    except (OSError, UnicodeError):
        raise _no_server(url, allow_private) from None
    addresses = tuple(dict.fromkeys(str(answer[4][0]) for answer in answers))
    if not addresses:
        raise _no_server(url, allow_private)
    # A name with one internal address among public ones is refused as a whole: we must not pick for it.
    if not allow_private and not all(
        is_public_address(ipaddress.ip_address(a.split("%")[0])) for a in addresses
    ):
        raise FetchError(INTERNAL_ADDRESS_MESSAGE) if _is_address_literal(host) else _no_server(url, False)
    return addresses


def _fetched(
    response: httpx.Response,
    url: httpx.URL,
    *,
    kinds: tuple[str, ...],
    max_bytes: int,
    etag: str,
    last_modified: str,
    deadline: _Deadline,
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
        raise FetchError(f"The server answered {_status_words(response.status_code)}.")

    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = _kind_of_content_type(content_type, kinds)
    too_large = f"The {kind or kinds[0]} is larger than the {_format_size(max_bytes)} limit."
    declared_length = response.headers.get("content-length", "")
    if declared_length.isdigit() and int(declared_length) > max_bytes:
        raise FetchError(too_large)

    decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), max_bytes, too_large)
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
        kind = _sniffed_kind(bytes(body[:2048]))
        if kind not in kinds:
            raise FetchError(f"That address does not give {_wanted_words(kinds)}.")
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


class _BoundedDecoder:
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


def _kind_of_content_type(content_type: str, kinds: tuple[str, ...]) -> str | None:
    """The kind the content type settles, None when only the body can tell; refuses every other type."""
    if content_type in PAGE_CONTENT_TYPES and "page" in kinds:
        return "page"
    if content_type in FEED_CONTENT_TYPES and "feed" in kinds:
        return "feed"
    if content_type in UNLABELLED_CONTENT_TYPES:
        return None
    description = next(
        (words for prefix, words in _DESCRIPTION_BY_TYPE_PREFIX.items() if content_type.startswith(prefix)),
        "a feed" if content_type in FEED_CONTENT_TYPES else "a file of another kind",
    )
    raise FetchError(f"That address gives {description} ({content_type}), not {_wanted_words(kinds)}.")


def _sniffed_kind(start: bytes) -> str | None:
    head = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b"jsonfeed.org/version" in head:
        return "feed"
    if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if head.startswith(b"<!doctype html") or b"<html" in head:
        return "page"
    return None


def _wanted_words(kinds: tuple[str, ...]) -> str:
    return " or ".join({"page": "a web page", "feed": "a feed"}[kind] for kind in kinds)


def _status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _format_number(value: float) -> str:
    return f"{value:g}"


def _format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{_format_number(size / (1024 * 1024))} MB"
    if size >= 1024:
        return f"{_format_number(size / 1024)} KB"
    return f"{size} bytes"


@contextmanager
def _plain_network_errors(url: httpx.URL, deadline: _Deadline) -> Iterator[None]:
    """Turns httpx's network errors into FetchErrors a reader can act on."""
    try:
        yield
    except httpx.TimeoutException as error:
        raise deadline.error() from error
    except httpx.ConnectError as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error):
            raise FetchError(
                f"{url.host} did not show a valid certificate for a secure connection."
            ) from error
        raise FetchError(f"Could not connect to {url.host}.") from error
    except httpx.DecodingError as error:
        raise FetchError("The server sent a compressed answer that could not be unpacked.") from error
    except httpx.HTTPError as error:
        raise FetchError(f"The connection to {url.host} broke off before the answer was complete.") from error


class _PinnedNetwork(httpcore.NetworkBackend):
    """Opens connections only to addresses fetch() checked, and holds every socket operation to the deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        self.deadline = deadline
        self.addresses_by_host: dict[str, tuple[str, ...]] = {}
        self._sockets = httpcore.SyncBackend()

    def pin(self, url: httpx.URL, addresses: tuple[str, ...]) -> None:
        self.addresses_by_host[url.raw_host.decode("ascii")] = addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.addresses_by_host.get(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting")
        last_error: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                within = _within(self.deadline, timeout, httpcore.ConnectTimeout)
                stream = self._sockets.connect_tcp(address, port, within, local_address, socket_options)
            except httpcore.ConnectError as error:
                last_error = error
                continue
            return _DeadlineStream(stream, self.deadline)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("newsreader fetches over TCP only")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every wait is cut at the deadline, so a server trickling bytes cannot outlast it."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        within = _within(self._deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, within), self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


def _within(
    deadline: _Deadline, timeout: float | None, timeout_error: type[httpcore.TimeoutException]
) -> float:
    left = deadline.left()
    if left <= 0:
        raise timeout_error("the fetch's total time is up")
    return left if timeout is None else min(timeout, left)


def tls_context() -> ssl.SSLContext:
    """The certificate authorities fetch() trusts; tests swap in one that trusts their own."""
    return ssl.create_default_context(cafile=certifi.where())


# httpx has no public way to give its own transport a network backend, so this small transport hands
# httpx's requests to an httpcore pool built on _PinnedNetwork and maps httpcore's errors back to httpx's.
_HTTPX_ERROR_FOR_HTTPCORE_ERROR: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except tuple(core_error for core_error, _ in _HTTPX_ERROR_FOR_HTTPCORE_ERROR) as error:
        httpx_error = next(
            httpx_error
            for core_error, httpx_error in _HTTPX_ERROR_FOR_HTTPCORE_ERROR
            if isinstance(error, core_error)
        )
        raise httpx_error(str(error), request=request) from error


class _PinnedTransport(httpx.BaseTransport):
    def __init__(self, network: _PinnedNetwork) -> None:
        self._pool = httpcore.ConnectionPool(ssl_context=tls_context(), network_backend=network)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            core_response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseBody(core_response, request),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _ResponseBody(httpx.SyncByteStream):
    def __init__(self, core_response: httpcore.Response, request: httpx.Request) -> None:
        self._core_response = core_response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self._request):
            yield from self._core_response.iter_stream()

    def close(self) -> None:
        self._core_response.close()
