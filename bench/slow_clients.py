"""Slow clients against gunicorn as `make run` starts it: N connections send a request's header lines one a
second (and, when the server closes one, open another at once), while a probe asks for the home page again and
again. Prints how long the probe waited, and how the slow connections ended.

    .venv/bin/python bench/slow_clients.py                     # 50 slow connections for 30 s
    .venv/bin/python bench/slow_clients.py --connections 200 --seconds 60
    .venv/bin/python bench/slow_clients.py --sync              # the old way: 2 sync workers, no bound
    .venv/bin/python bench/slow_clients.py --nginx /usr/sbin/nginx   # through docs/nginx.conf in front

It builds its own database in a temporary folder (migrated, empty library) and serves it on a free port.
"""

from __future__ import annotations

import argparse
import os
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import ROOT, free_port

REQUEST_START = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"


class SlowClients:
    """N connections, each sending one header line a second and never the blank line that ends them."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.count = count
        self.selector = selectors.DefaultSelector()
        self.sockets: list[socket.socket] = []
        self.closed_by_server = 0
        self.opened = 0
        self.stop = threading.Event()

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.sendall(REQUEST_START)
        sock.setblocking(False)
        self.selector.register(sock, selectors.EVENT_READ)
        self.opened += 1
        return sock

    def run(self) -> None:
        self.sockets = [self._open() for _ in range(self.count)]
        next_line = time.monotonic() + 1
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.1):
                self._replace(key.fileobj)  # readable: the server answered or closed it
            if time.monotonic() >= next_line:
                next_line += 1
                for sock in list(self.sockets):
                    try:
                        sock.send(b"X-a: b\r\n")
                    except OSError:
                        self._replace(sock)

    def _replace(self, sock: socket.socket) -> None:
        if sock not in self.sockets:
            return
        self.selector.unregister(sock)
        sock.close()
        self.sockets.remove(sock)
        self.closed_by_server += 1
        self.sockets.append(self._open())

    def close(self) -> None:
        """After run() has returned: every connection closed."""
        for sock in self.sockets:
            sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sync", action="store_true", help="serve as make run did before: 2 sync workers")
    parser.add_argument("--nginx", metavar="BINARY", help="put nginx with docs/nginx.conf in front")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsreader-slow-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SECRET_KEY": "bench-slow-clients-key",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    # Pages name the hashed static files, as after `make run`'s collectstatic.
    collect = [python, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "newsreader.wsgi", "--bind", f"127.0.0.1:{port}"]
    if arguments.sync:
        command += ["--worker-class", "sync", "--threads", "1", "--workers", "2", "--timeout", "120"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    proxy = None
    if arguments.nginx:
        gunicorn_port, port = port, free_port()
        proxy = _start_nginx(arguments.nginx, folder, port, gunicorn_port)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        quiet = [_probe(url) for _ in range(20)]

        slow = SlowClients(port, arguments.connections)
        thread = threading.Thread(target=slow.run, daemon=True)
        thread.start()
        time.sleep(2)  # every slow connection open and sending
        latencies, failures = [], 0
        ends = time.monotonic() + arguments.seconds
        while time.monotonic() < ends:
            seconds = _probe(url, timeout=max(1.0, ends - time.monotonic() + 5))
            if seconds is None:
                failures += 1
            else:
                latencies.append(seconds)
            time.sleep(0.2)
        slow.stop.set()
        thread.join(timeout=10)
        slow.close()
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)

    mode = "2 sync workers, --timeout 120 (as before)" if arguments.sync else "gunicorn.conf.py (make run)"
    if arguments.nginx:
        mode += ", behind nginx with docs/nginx.conf"
    print(f"gunicorn: {mode}")
    print(
        f"slow connections held open: {arguments.connections} for {arguments.seconds:g} s,"
        " one header line a second"
    )
    print(f"  closed by the server (and opened again at once): {slow.closed_by_server}")
    print(f"home page alone: median {_ms(statistics.median(quiet))}")
    if latencies:
        print(
            f"home page with them open: {len(latencies)} answered, {failures} not;"
            f" median {_ms(statistics.median(latencies))}, p95 {_ms(_p95(latencies))},"
            f" max {_ms(max(latencies))}"
        )
    else:
        print(f"home page with them open: 0 answered, {failures} not")


def _start_nginx(binary: str, folder: Path, port: int, upstream_port: int) -> subprocess.Popen:
    """nginx in the foreground with docs/nginx.conf, listening on `port`, passing to gunicorn's port."""
    config = (ROOT / "docs" / "nginx.conf").read_text()
    config = config.replace("listen 80;", f"listen 127.0.0.1:{port};")
    config = config.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    config = config.replace("/srv/newsreader/staticfiles/", f"{ROOT / 'staticfiles'}/")
    config = config.replace("worker_processes auto;", "worker_processes 1;")
    if not Path("/etc/nginx/mime.types").exists():
        config = config.replace("include /etc/nginx/mime.types;", "")
    names = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp_paths = "".join(f"    {name}_temp_path {folder / name};\n" for name in names)
    for name in names:
        (folder / name).mkdir(exist_ok=True)
    config = config.replace("http {\n", "http {\n" + temp_paths + "    access_log off;\n", 1)
    (folder / "nginx.conf").write_text(config)
    globals_ = f"daemon off; pid {folder / 'nginx.pid'}; error_log {folder / 'nginx-error.log'};"
    proxy = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", globals_])
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return proxy
        except OSError:
            if time.monotonic() > deadline or proxy.poll() is not None:
                raise RuntimeError(f"nginx did not start; see {folder / 'nginx-error.log'}") from None
            time.sleep(0.2)


def _probe(url: str, timeout: float = 60) -> float | None:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except OSError:
        return None
    return time.monotonic() - started


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


if __name__ == "__main__":
    main()
