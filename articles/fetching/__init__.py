"""The one place newsreader reads from the network: a guarded GET of a web page or a feed.

Every address a user gives is fetched with the same limits: http and https only, a connect and a total
timeout, a size cap counted while streaming, at most five redirects (each one checked again), page and feed
content types only, and no address inside the server's own network unless the setting allows it. The
connection goes to the very address that was checked, so a name that changes its answer between the check
and the connection (DNS rebinding) cannot slip past.

The package is split by job: `client.py` (fetch itself), `addresses.py` (which addresses may be fetched),
`network.py` (connections held to the checked addresses and the deadline), `bodies.py` (content types and
bounded unpacking). An article's photos come through the same fetch, as the kind "image".
"""

from .addresses import INTERNAL_ADDRESS_MESSAGE, is_public_address
from .bodies import FEED_CONTENT_TYPES, KINDS, PAGE_CONTENT_TYPES
from .client import MAX_REDIRECTS, USER_AGENT, Fetched, fetch
from .network import FetchError, tls_context

__all__ = [
    "FEED_CONTENT_TYPES",
    "INTERNAL_ADDRESS_MESSAGE",
    "KINDS",
    "MAX_REDIRECTS",
    "PAGE_CONTENT_TYPES",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "fetch",
    "is_public_address",
    "tls_context",
]
