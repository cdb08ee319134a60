"""Which addresses may be fetched: http(s) addresses whose names resolve to public addresses only (unless
the setting allows internal ones), checked after DNS resolution and again on every redirect."""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket

import httpx

from .network import Deadline, FetchError

INTERNAL_ADDRESS_MESSAGE = (
    "That address points inside this server's own network, which newsreader does not fetch."
)

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
# getaddrinfo has no timeout of its own; asking on a worker lets fetch() give up at its deadline.
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsreader-resolver")


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


def checked_url(url: str) -> httpx.URL:
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


def checked_addresses(url: httpx.URL, *, allow_private: bool, deadline: Deadline) -> tuple[str, ...]:
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
