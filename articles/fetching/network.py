"""The connection side of fetching: the deadline every wait is held to, a network backend that connects only to
addresses that were checked, and the small httpx transport built on it."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import certifi
import httpcore
import httpx


class FetchError(ValueError):
    """A fetch that failed or was refused; the message is written for the person who gave the address."""


class Deadline:
    """The moment the whole fetch must be over, shared by name lookups, connections, reads and writes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def error(self) -> FetchError:
        return FetchError(f"The server took too long to answer (over {format_number(self.seconds)} s).")


def format_number(value: float) -> str:
    return f"{value:g}"


@contextmanager
def plain_network_errors(url: httpx.URL, deadline: Deadline) -> Iterator[None]:
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


class PinnedNetwork(httpcore.NetworkBackend):
    """Opens connections only to addresses fetch() checked, and holds every socket operation to the deadline."""

    def __init__(self, deadline: Deadline) -> None:
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

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
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
    deadline: Deadline, timeout: float | None, timeout_error: type[httpcore.TimeoutException]
) -> float:
    left = deadline.left()
    if left <= 0:
        raise timeout_error("the fetch's total time is up")
    return left if timeout is None else min(timeout, left)


def tls_context() -> ssl.SSLContext:
    """The certificate authorities fetch() trusts; tests swap in one that trusts their own."""
    return ssl.create_default_context(cafile=certifi.where())


# httpx has no public way to give its own transport a network backend, so this small transport hands
# httpx's requests to an httpcore pool built on PinnedNetwork and maps httpcore's errors back to httpx's.
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


class PinnedTransport(httpx.BaseTransport):
    def __init__(self, network: PinnedNetwork) -> None:
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
