"""Dark mode: the system's scheme by default, or the reader's choice from the header's switch, kept (in a
cookie without an account, with the account otherwise), with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.browser.test_annotations import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
DARK_PAPER = "rgb(21, 23, 26)"
LIGHT_PAPER = "rgb(253, 252, 248)"
PAPER = "getComputedStyle(document.body).backgroundColor"
INK = "getComputedStyle(document.querySelector('h1')).color"


@pytest.mark.parametrize("scheme, paper", [("light", LIGHT_PAPER), ("dark", DARK_PAPER)])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_page_follows_the_system_scheme(browser, live_server, article, scheme, paper, screen):
    context = new_context(browser, viewport=SCREENS[screen], color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.evaluate(PAPER) == paper
    assert page.evaluate(INK) != page.evaluate(PAPER)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_an_anonymous_reader_switches_to_dark_and_it_stays(browser, live_server, article, javascript, screen):
    context = new_context(
        browser, viewport=SCREENS[screen], color_scheme="light", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    if screen == "phone":  # the switch is in the header's menu (it opens without JavaScript too)
        page.locator(".site-menu > summary").click()
    page.get_by_role("group", name="Theme").get_by_role("button", name="Dark").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    if screen == "phone" and not javascript:  # the form posted and the page came back, its menu closed
        page.locator(".site-menu > summary").click()
    expect(page.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    if javascript:
        assert page.evaluate(PAPER) == DARK_PAPER  # at once, without a reload
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")  # set by the server, before paint
    if screen == "phone":
        page.locator(".site-menu > summary").click()
    page.get_by_role("button", name="Auto").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "system")
    context.close()


def test_a_reader_with_an_account_keeps_the_theme_on_another_device(browser, live_server, article, alice):
    first = new_context(browser, color_scheme="dark")
    page = first.new_page()
    _log_in(page, live_server, article.get_absolute_url())
    page.get_by_role("button", name="Light").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page.evaluate(PAPER) == LIGHT_PAPER
    page.wait_for_load_state("networkidle")
    first.close()

    from articles.models import ReaderPreferences

    assert ReaderPreferences.objects.get(user=alice).theme == "light"
    second = new_context(browser, color_scheme="dark")
    other = second.new_page()
    _log_in(other, live_server, article.get_absolute_url())
    expect(other.locator("html")).to_have_attribute("data-theme", "light")
    assert other.evaluate(PAPER) == LIGHT_PAPER
    second.close()
