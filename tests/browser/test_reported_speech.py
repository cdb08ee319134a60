"""Reported speech in Chromium: marked quieter than a quote with its speaker's tag, its panel from the mouse,
the keyboard and without JavaScript, its legend switch, and no serious accessibility violation in either
scheme. The article with built statements goes through the real storing service; the last test adds a text
through the web form and lets the real analysis find the statement."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled
from tests.helpers import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def bridge(transactional_db):
    import datetime

    from tests.services.test_statements import stored

    return stored(published=datetime.date(2019, 2, 1))


@pytest.fixture(params=[("desktop", "light"), ("phone", "dark")], ids=["desktop-light", "phone-dark"])
def screen(request, browser):
    viewport, scheme = request.param
    context = new_context(browser, viewport=SCREENS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _reported_tag(page):
    return page.locator("#article .quote--reported a.quote-tag--said")


def test_reported_speech_is_quieter_than_a_quote_and_tagged_with_its_speaker(screen, live_server, bridge):
    screen.goto(live_server.url + bridge.get_absolute_url())
    reported = screen.locator("#article .quote--reported")
    expect(_reported_tag(screen)).to_have_text("Ana Ruiz")
    expect(_reported_tag(screen)).to_have_attribute("aria-label", "Reported speech by Ana Ruiz")
    said = reported.evaluate("e => getComputedStyle(e)")
    quote = screen.locator("#article .quote--speech").last.evaluate("e => getComputedStyle(e)")
    # Told apart by shape, not colour alone: a dotted underline and no tint against a quote's solid one.
    assert said["borderBottomStyle"] == "dotted" and quote["borderBottomStyle"] == "solid"
    assert said["backgroundColor"] == "rgba(0, 0, 0, 0)" != quote["backgroundColor"]


def test_reported_speech_from_the_keyboard_opens_and_closes_its_panel(screen, live_server, bridge):
    screen.goto(live_server.url + bridge.get_absolute_url())
    tag = _reported_tag(screen)
    screen.keyboard.press("j")  # the first statement in the text is the reported one
    expect(tag).to_be_focused()
    screen.keyboard.press("Enter")
    panel = screen.locator("#panel")
    expect(panel.locator(".speaker-name")).to_have_text("Ana Ruiz")
    expect(panel.locator("dd.statement-kind")).to_have_text("reported")
    expect(panel.locator(".cue")).to_have_text("“said”")
    expect(panel).to_be_focused()
    screen.keyboard.press("Escape")
    expect(panel.locator(".panel-quote")).to_have_count(0)
    expect(tag).to_be_focused()
    # Tab walks statements as it walks quotes: the next stop is the partly quoted statement's first part.
    screen.keyboard.press("Tab")
    expect(screen.locator("#article a.quote-tag").nth(1)).to_be_focused()


def test_reported_panel_works_without_javascript(browser, live_server, bridge):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + bridge.get_absolute_url())
    _reported_tag(page).click()
    expect(page).to_have_url(re.compile(r"/quotes/\d+/#quote-\d+$"))
    expect(page.locator("#panel .speaker-name")).to_have_text("Ana Ruiz")
    expect(page.locator("#panel dd.statement-kind")).to_have_text("reported")
    context.close()


def test_the_legend_switches_reported_speech_off_and_on_apart_from_quotes(page, live_server, bridge):
    page.goto(live_server.url + bridge.get_absolute_url())
    switch = page.get_by_role("checkbox", name="Reported speech")
    switch.uncheck()
    expect(_reported_tag(page)).to_be_hidden()
    expect(page.locator("#article .quote--speech a.quote-tag").last).to_be_visible()
    switch.check()
    expect(_reported_tag(page)).to_be_visible()
    page.get_by_role("checkbox", name="Quotes").uncheck()
    expect(page.locator("#article .quote--speech a.quote-tag").last).to_be_hidden()
    expect(_reported_tag(page)).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reported_speech_pages_have_no_serious_accessibility_violation(browser, live_server, bridge, scheme):
    from articles.models import Actor

    reported = bridge.quotes.get(form="reported")
    ruiz = Actor.objects.get(key="ana ruiz")
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for url in (
        bridge.get_absolute_url(),
        reported.get_absolute_url(),
        bridge.quotes.get(form="partly").get_absolute_url(),
        ruiz.get_absolute_url() + "?said=reported",
        reverse("articles:who_is_quoted") + "?said=all",
        reverse("articles:search") + "?said=reported",
    ):
        page.goto(live_server.url + url)
        violations = [
            f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:4]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        if violations:
            found[url] = violations
    assert found == {}
    context.close()


def test_a_text_without_quotation_marks_added_in_the_browser_shows_who_said_what(page, live_server):
    page.goto(live_server.url + reverse("articles:create"))
    page.get_by_label("Headline").fill("Bridge to reopen")
    page.get_by_label("…or paste the article text").fill("Ana Ruiz said the bridge would reopen in May.")
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator("h1.headline")).to_have_text("Bridge to reopen")

    run_tasks()  # the worker `make run` starts beside gunicorn: the real analysis, spaCy and all

    tag = _reported_tag(page)
    expect(tag).to_be_visible(timeout=10000)
    expect(tag).to_have_text("Ana Ruiz")
    expect(page.locator("#article .quote--reported")).to_contain_text("the bridge would reopen in May")
    settled(page)  # the analysed text swapped in
    tag.click()
    panel = page.locator("#panel")
    expect(panel.locator(".speaker-name")).to_have_text("Ana Ruiz")
    expect(panel.locator("dd.statement-kind")).to_have_text("reported")
    expect(panel.locator("dd.cue")).to_have_text("“said”")
    # The analysis's confidence in who said it, in the quotes' words (a plain "X said" is a sure one).
    expect(panel.locator("dd.speaker-confidence")).to_have_text(
        re.compile(r"^\d{1,3}% that the speaker is right$")
    )

    settled(page)
    panel.locator(".speaker-name").click()  # her panel in the article, then her page in the library
    expect(panel.locator(".entity-library-link a")).to_be_visible()
    settled(page)
    panel.locator(".entity-library-link a").click()
    expect(page.locator("h1")).to_have_text("Ana Ruiz")
    listed = page.locator('.actor-quotes li[data-form="reported"]')
    expect(listed).to_contain_text("the bridge would reopen in May")
    page.get_by_role("link", name=re.compile(r"^Quoted \(0\)")).click()
    expect(page.locator(".actor-quotes")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Reported \(1\)")).click()
    expect(listed).to_contain_text("the bridge would reopen in May")
