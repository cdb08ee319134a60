"""gunicorn on a free loopback port for the benchmarks that time or probe a real server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, *, workers: int = 2, log: Path | None = None) -> subprocess.Popen:
    """gunicorn serving newsreader on 127.0.0.1:`port` with `env`, once it answers (any status) at /."""
    # This interpreter's gunicorn: a copied virtualenv's bin/gunicorn may name another environment's Python.
    command = [sys.executable, "-m", "gunicorn", "newsreader.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "60", "--log-level", "warning"]
    output = log.open("wb") if log else None
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if log else None
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).close()
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not start" + (f"; see {log}" if log else "")) from None
            time.sleep(0.5)
