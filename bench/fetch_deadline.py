"""How long a fetch from a stalling server takes to give up, against the timeout it was given.

usage (from the project root):
  .venv/bin/python bench/fetch_deadline.py               # timeout 0.8 s, 5 runs of each stall
  .venv/bin/python bench/fetch_deadline.py --timeout 2 --runs 3

Serves two stalls on 127.0.0.1 (a server that has not answered yet, and one that sends a byte every 50 ms and
never ends, so that no single read waits long) and prints, for each, the fastest, median and slowest time
fetch() took to raise "took too long" and how far past the timeout that is. The tests check that the fetch is
cut off (tests/fetching/test_fetching.py); this prints how promptly.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")

released = threading.Event()


class _Stalling(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        try:
            if self.path == "/silent":
                released.wait(60)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            while not released.is_set():
                self.wfile.write(b".")
                self.wfile.flush()
                released.wait(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetch hung up, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--timeout", type=float, default=0.8)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from articles.fetching import FetchError, fetch

    server = _Server(("127.0.0.1", 0), _Stalling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"fetch(timeout={args.timeout}), {args.runs} runs each")
    try:
        for path, stall in [("/silent", "no answer yet"), ("/trickle", "one byte every 50 ms")]:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                try:
                    fetch(base + path, allow_private=True, timeout=args.timeout)
                except FetchError:
                    times.append(time.perf_counter() - started)
                else:
                    raise SystemExit(f"{stall}: the fetch was not cut off")
            print(
                f"{stall:22} min {min(times):.3f} s  median {statistics.median(times):.3f} s  "
                f"max {max(times):.3f} s  (max {max(times) - args.timeout:+.3f} s past the timeout)"
            )
    finally:
        released.set()
        server.shutdown()


if __name__ == "__main__":
    main()
