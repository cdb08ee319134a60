"""A large annotation import in the browser: queued at once, its progress shown, then its result and the
new highlights, with JavaScript and without."""

import json

import pytest
from playwright.sync_api import expect

from articles.models import AnnotationJob
from tests.browser.conftest import new_context, settled
from tests.browser.test_csp import WATCH_VIOLATIONS
from tests.helpers import PASSAGE, TEXT, run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _large_import() -> str:
    start = TEXT.index(PASSAGE)
    selectors = [
        {"type": "TextQuoteSelector", "exact": PASSAGE},
        {"type": "TextPositionSelector", "start": start, "end": start + len(PASSAGE)},
    ]
    return json.dumps(
        [
            {
                "type": "Annotation",
                "body": [{"type": "TextualBody", "value": f"Note {n}"}],
                "target": {"selector": selectors},
            }
            for n in range(30)
        ]
    )


def _log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1.headline")).to_be_visible()


def test_a_large_import_shows_its_progress_then_its_result_and_highlights(page, live_server, article, alice):
    page.add_init_script(WATCH_VIOLATIONS)  # the progress polls and swaps within the Content-Security-Policy
    _log_in(page, live_server, f"/articles/{article.pk}/annotations/import/")
    page.get_by_label("…or paste the JSON").fill(_large_import())
    page.get_by_role("button", name="Import").click()
    progress = page.locator("#job-progress")
    expect(progress).to_contain_text("Waiting for the worker to start: 0 of 30 done")
    expect(progress.locator("progress")).to_be_visible()
    job = AnnotationJob.objects.get(article=article)  # its id depends on the database's sequences
    expect(page).to_have_url(f"{live_server.url}/articles/{article.pk}/annotations/jobs/{job.pk}/")
    expect(page.locator("#article mark[data-annotation-id]")).to_have_count(0)

    run_tasks()  # the worker `make run` starts beside gunicorn

    expect(progress).to_contain_text("Imported 30 annotations.", timeout=10000)
    expect(page.get_by_text("Imported and placed in the text")).to_be_visible()
    expect(page.locator("#article mark[data-annotation-id]").first).to_be_visible()  # swapped in, no reload
    settled(page)
    page.get_by_role("link", name="See the annotations").click()
    expect(page.locator("#panel .annotation-item")).to_have_count(30)
    assert page.evaluate("window.__cspViolations") == []


def test_without_javascript_the_reload_link_shows_the_progress_and_the_result(
    browser, live_server, article, alice
):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, live_server, f"/articles/{article.pk}/annotations/import/")
        page.get_by_label("…or paste the JSON").fill(_large_import())
        page.get_by_role("button", name="Import").click()
        expect(page.locator("#job-progress")).to_contain_text("0 of 30 done")
        run_tasks()
        page.get_by_role("link", name="Reload").click()
        expect(page.locator("#job-progress")).to_contain_text("Imported 30 annotations.")
        expect(page.locator("#article mark[data-annotation-id]").first).to_be_visible()
    finally:
        context.close()
