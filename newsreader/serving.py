"""gunicorn's threaded worker, changed so that a slow client never holds a thread while it sends its headers.

gunicorn's sync workers give a whole process to each connection, so two clients sending a header line a second
held both of `make run`'s workers for two minutes. gunicorn's threaded worker (`gthread`) waits for a
connection's first bytes in its event loop, but once a request has begun, a thread reads its headers for as
long as the client takes: a few dozen slow clients hold every thread. Here a thread only takes the bytes
that have arrived and hands the connection back to the event loop until more come; the request goes to a
thread once its headers are complete. A client that has not finished its headers HEADER_SECONDS after it began, or whose
headers pass HEADER_BYTES, is disconnected. gunicorn.conf.py selects this worker.
"""

from __future__ import annotations

import os
import time

from gunicorn.workers.gthread import _DEFER, ThreadWorker

HEADER_SECONDS = float(os.environ.get("NEWSREADER_HEADER_TIMEOUT", "10"))
HEADER_BYTES = 64 * 1024  # more than any browser sends; gunicorn's own limits apply within it
_HEADERS_END = b"\r\n\r\n"


class HeaderTimeoutThreadWorker(ThreadWorker):
    def handle(self, conn):
        if self.cfg.is_ssl or conn.is_http2 or (conn.parser is not None and conn.parser.unreader.buf.tell()):
            # TLS belongs to the proxy in front (README, "Serving"); bytes already buffered are a request's.
            return super().handle(conn)
        received = getattr(conn, "newsreader_headers", None)
        if received is None:
            received = conn.newsreader_headers = bytearray()
            conn.newsreader_deadline = time.monotonic() + HEADER_SECONDS
        conn.sock.setblocking(False)
        while _HEADERS_END not in received and len(received) < HEADER_BYTES:
            try:
                data = conn.sock.recv(HEADER_BYTES)
            except BlockingIOError:
                break
            except OSError:
                return False  # the client is gone
            if not data:
                return False
            received += data
        if _HEADERS_END not in received:
            if len(received) >= HEADER_BYTES or time.monotonic() > conn.newsreader_deadline:
                self.log.info(
                    "Closed a connection from %s: its request headers were not complete in time", conn.client
                )
                # Closed here, at once: gunicorn's own graceful close would read what the client still
                # sends for up to 2 s on the thread that runs the event loop.
                conn.close()
                return False
            return _DEFER  # back to the event loop until more bytes come, no thread held
        conn.newsreader_headers = None  # the next request on this connection starts a new deadline
        if conn.parser is None:
            conn.init()
        conn.parser.unreader.unread(bytes(received))
        conn.data_ready = True
        return super().handle(conn)
