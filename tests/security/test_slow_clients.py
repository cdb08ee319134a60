"""gunicorn as `make run` starts it (gunicorn.conf.py, newsreader/serving.py) keeps answering while slow clients
hold connections open sending their headers a line at a time, and disconnects them when their time is up.

The server gets one worker of 4 threads here and 20 slow clients, five times as many as it has threads: a
worker that gave each a thread (gunicorn's own gthread, or the sync workers `make run` had) answers nobody."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response:  # a bound on a hang, not a timing
        response.read()
        return response.status


@pytest.fixture
def served():
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "throwaway-key-for-slow-clients",
        "DEBUG": "false",
        "NEWSREADER_WEB_WORKERS": "1",
        "NEWSREADER_WEB_THREADS": "4",
        "NEWSREADER_HEADER_TIMEOUT": "3",
    }
    # As `make run` starts it: gunicorn reads gunicorn.conf.py from the project folder.
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "newsreader.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = (
        f"http://127.0.0.1:{port}/feeds/newsreader-feeds.opml"  # a page that needs no collected static files
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(url)
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
    try:
        yield port, url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_pages_are_answered_while_slow_clients_send_headers_and_the_slow_ones_are_cut_off(served):
    port, url = served
    slow = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(SLOW_CLIENTS)]
    for connection in slow:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    sending = threading.Event()
    sending.set()

    def trickle() -> None:  # one header line every half second from each, never the blank line that ends them
        while sending.is_set():
            for connection in slow:
                try:
                    connection.sendall(b"X-a: b\r\n")
                except OSError:
                    pass
            time.sleep(0.5)

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        assert [_get(url) for _ in range(5)] == [200] * 5  # answered while all 20 are open and sending

        # Each slow client is disconnected once its headers are overdue, though it never stopped sending.
        for connection in slow:
            assert connection.recv(1024) == b""  # the server closed it (recv waits at most 30 s)
    finally:
        sending.clear()
        sender.join(timeout=10)
        for connection in slow:
            connection.close()
