import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settled
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_added_article_shows_analysing_then_swaps_in_the_highlights(page, live_server):
    page.goto(live_server.url + "/articles/new/")
    page.get_by_label("Headline").fill("Bridge to reopen")
    page.get_by_label("Article text").fill(
        "“We are nearly there,” said Ana Ruiz, the city engineer of Springfield.\n\n"
        "The bridge has been closed since March, officials said."
    )
    page.get_by_role("button", name="Add and analyse").click()
    status = page.locator(".analysis-status")
    expect(status).to_contain_text("Analysing")
    expect(page.locator("[data-quote-id]")).to_have_count(0)
    url_before = page.url

    run_tasks()  # the worker `make run` starts beside gunicorn

    expect(page.locator('.quote[data-speaker="Ana Ruiz"]')).to_be_visible(timeout=10000)
    expect(status).to_have_count(0)
    assert page.url == url_before  # polling does not push addresses
    settled(page)  # the analysed text swapped in
    page.locator('.quote[data-speaker="Ana Ruiz"]').click(position={"x": 5, "y": 5})
    expect(page.locator("#panel .speaker-name")).to_have_text("Ana Ruiz")


def test_search_box_in_the_header_finds_an_article(page, live_server, transactional_db):
    from tests.helpers import import_article

    import_article(text="Harbour reopens\n\nSteel cranes were repaired, said Mike Pompeo on Friday.")
    page.goto(live_server.url + "/")
    page.get_by_label("Search the library").fill("cranes")
    page.get_by_label("Search the library").press("Enter")
    hit = page.locator(".search-hit").first
    expect(hit).to_contain_text("Harbour reopens")
    expect(hit.locator("mark")).to_have_text("cranes")
