"""Real Chromium through Playwright; the browser is Debian's, installed by `make test`."""

import os
import shutil

import pytest

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


@pytest.fixture
def page(browser):
    context = browser.new_context()
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
