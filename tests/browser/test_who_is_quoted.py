"""Who is quoted, read to its last speaker: the ranking's pages are plain links, with or without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_ranking_pages_to_the_speakers_after_the_first_25(
    browser, live_server, transactional_db, javascript
):
    from tests.views.test_library import thirty_speakers

    thirty_speakers()
    context = new_context(browser, viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/who-is-quoted/")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(25)
    page.get_by_role("link", name="Less quoted →").click()
    expect(rows).to_have_count(5)
    expect(rows.first.locator("td").first).to_have_text("26")
    expect(page.get_by_role("navigation", name="Speaker pages")).to_contain_text("Page 2 of 2")
    page.get_by_role("link", name="← More quoted").click()
    expect(rows).to_have_count(25)
    context.close()
