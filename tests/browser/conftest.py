"""Real Chromium through Playwright; the browser is Debian's, installed by `make test`."""

import os
import shutil
import threading
import time

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_context(browser, **options):
    """A browser context whose reader asks for reduced motion, unless a test says otherwise. The site scrolls
    smoothly for other readers (to a #fragment, to the open quote or highlight, back after a panel closes), and
    a mouse click sent while the page is still moving lands where the element was a moment before: between
    the button going down and coming up the link moves away, and nothing happens. With reduced motion every
    such scroll is done in one step, so once the state it leads to is there (see `settled`), nothing moves."""
    options.setdefault("reduced_motion", "reduce")
    return browser.new_context(**options)


def settled(page):
    """Waits until nothing the page has started will still move it: htmx has no request, swap or settle under
    way (its afterSettle handlers, which scroll to the open quote or highlight, have run) and the page's own
    zero-delay timers queued so far (its scroll after `load`, focus given back when a panel closes) have run,
    as a timer queued after them runs after them. Call it before a mouse click that follows such a change.
    Without JavaScript the page runs no scripts (and no timer of ours would fire): nothing to wait for."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    if page.evaluate("() => 'htmx' in window"):
        page.evaluate("() => new Promise((done) => setTimeout(done))")


@pytest.fixture
def page(browser):
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _empty_search_index(django_db_setup, django_db_blocker):
    """Browser tests commit their rows, and flushing the tables after each one leaves the FTS5 index over the
    article table full (it is not a model's table): the next test's articles would then be read against the
    last one's index entries under the same ids ("database disk image is malformed")."""
    yield
    from articles.search import index_clear

    with django_db_blocker.unblock():
        index_clear()


def _serving_requests() -> bool:
    # The live server answers each connection in a thread running socketserver's process_request_thread.
    return any(
        "process_request_thread" in thread.name for thread in threading.enumerate() if thread.is_alive()
    )


@pytest.fixture(autouse=True)
def _live_server_idle(browser):
    """A closing page still sends requests (the reading position is saved on `pagehide`). The tables are
    emptied after each browser test, and a request still writing then would hold row locks the emptying
    waits for, while it waits for the tables being emptied: PostgreSQL ends that as a deadlock, SQLite
    waits. So teardown waits, after the test's pages are closed, until the server has been idle a moment
    (at most 10 s). A context that a failing test left open is closed first: its kept-alive connections
    would otherwise keep the server busy, and every later test on this worker would wait the whole 10 s."""
    yield
    for context in browser.contexts:
        context.close()
    deadline = time.monotonic() + 10
    idle_since = None
    while time.monotonic() < deadline:
        if _serving_requests():
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= 0.1:
            return
        time.sleep(0.02)
