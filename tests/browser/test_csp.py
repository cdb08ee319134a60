"""Every page works under the Content-Security-Policy: Chromium reports no violation on any of them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settled

pytestmark = pytest.mark.django_db(transaction=True)

# Collects what Chromium blocks, from the page's first moment (the console message is the other witness).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text, source="NYT")


@pytest.fixture
def watched(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH_VIOLATIONS)

    def violations() -> list[str]:
        reported = page.evaluate("window.__cspViolations.splice(0)")
        reported += [text for text in console if "Content Security Policy" in text]
        console.clear()
        return reported

    return page, violations


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1").first).to_have_text("Library")


def test_the_watch_sees_a_blocked_inline_script(watched, live_server, db):
    page, violations = watched
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => document.body.append(Object.assign(document.createElement('script'), {text: 'window.x = 1'}))"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")  # the violation event is queued
    assert any("script-src" in v for v in violations())
    assert page.evaluate("window.x") is None


def test_no_page_breaks_the_policy(watched, live_server, seeded, alice):
    from articles.models import Actor
    from tests.helpers import create_annotation

    page, violations = watched
    base = live_server.url
    quote = next(q for q in seeded.quotes.all() if "He lied a lot." in q.text)
    entity = seeded.entities.filter(label="PERSON").first()
    person = Actor.objects.filter(label="PERSON").first()
    note = create_annotation(
        alice, seeded, passage=quote.text[:30], note="A **note**, [a link](https://example.org)"
    )
    visited = []  # (what, violations seen there)

    def visit(path: str, ready: str) -> None:
        page.goto(base + path)
        expect(page.locator(ready).first).to_be_visible()
        assert page.evaluate(
            "htmx.config.includeIndicatorStyles === false && htmx.config.allowEval === false"
        )
        visited.append((path, violations()))

    # Anonymous pages.
    visit("/", "h1")
    visit(seeded.get_absolute_url(), "h1.headline")
    page.locator(f'.quote[data-quote-id="{quote.pk}"]').first.click(position={"x": 5, "y": 5})
    expect(page.locator("#panel .speaker-name")).to_be_visible()  # the quote panel by click (htmx)
    page.keyboard.press("Escape")
    expect(page.locator("#panel .speaker-name")).to_have_count(0)  # the page before the panel, put back
    settled(page)  # and the quote's tag given the focus back and kept in view
    page.locator(".ent[data-label='PERSON']").first.click()
    expect(page.locator("#panel .panel-entity-name")).to_be_visible()  # the entity panel by click
    visited.append(("panels opened by click", violations()))
    visit(quote.get_absolute_url(), "#panel .speaker-name")
    visit(entity.get_absolute_url(), "#panel .panel-entity-name")
    visit("/search/?q=Trump", ".page")
    visit(person.get_absolute_url(), "h1")
    visit("/who-is-quoted/", "svg.chart-svg rect.chart-bar")
    bar = page.locator("svg.chart-svg rect.chart-bar").first.bounding_box()
    assert bar["width"] > 1 and bar["height"] > 1  # the charts still draw, styled from the stylesheet
    fill = page.locator("svg.chart-svg rect.chart-bar").first.evaluate("rect => getComputedStyle(rect).fill")
    assert fill != "rgb(0, 0, 0)"
    visit("/accounts/login/", "form")
    visit("/accounts/signup/", "form")
    visit("/articles/new/", "form")
    visit("/no/such/page/", "h1")

    # A reader's pages, with the article text as a json_script data block for the annotation toolbar.
    _log_in(page, live_server)
    visited.append(("logging in", violations()))
    visit(seeded.get_absolute_url(), "h1.headline")
    assert page.locator("script#article-text").count() == 1
    visit(f"/articles/{seeded.pk}/annotations/", "#panel")
    start = seeded.text.index(quote.text)
    visit(f"/articles/{seeded.pk}/annotations/new/?start={start}&end={start + 20}", "#panel form")
    visit(note.get_absolute_url(), "#panel .note")
    visit(f"/annotations/{note.pk}/edit/", "#panel form")
    visit(f"/articles/{seeded.pk}/annotations/import/", "#panel form")

    assert [(what, found) for what, found in visited if found] == []
    assert len(visited) == 19


def test_favicon_ico_and_the_pages_icon_load_under_the_policy(watched, live_server):
    page, violations = watched
    response = page.goto(live_server.url + "/favicon.ico")
    assert response.ok and response.url.endswith("/static/icons/favicon.ico")
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file, not a page
    page.goto(live_server.url + "/")
    # The icons the page names load as images under its img-src: each reports its size.
    sizes = page.evaluate(
        """() => Promise.all([...document.querySelectorAll('link[rel="icon"]')].map((link) =>
             new Promise((resolve) => { const image = new Image(); image.onload = () => resolve(image.naturalWidth);
               image.onerror = () => resolve(0); image.src = link.href; })))"""
    )
    assert len(sizes) == 2 and all(size > 0 for size in sizes)
    assert violations() == []
