"""A rate-limited htmx form shows the limit's message at the top of the page (static/js/newsreader.js)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_past_the_limit_shows_its_message_and_keeps_the_panel(
    page, live_server, settings, article, alice
):
    settings.NEWSREADER_RATE_LIMITS = {**settings.NEWSREADER_RATE_LIMITS, "import": "0/hour"}
    page.goto(f"{live_server.url}/accounts/login/?next=/articles/{article.pk}/annotations/import/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("…or paste the JSON").fill('{"type": "Annotation"}')
    page.get_by_role("button", name="Import").click()
    notice = page.locator("#main > .limit-notice")
    expect(notice).to_contain_text("Too many imports from this account or address: the limit is 0 per hour.")
    expect(page.locator("#panel form")).to_be_visible()  # the panel is left as it was
