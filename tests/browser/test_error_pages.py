"""The pages a reader lands on when something is refused (not found, a private annotation, not allowed, an
expired form, too many requests, a log-in lockout, log in first) in the light and the dark scheme: no serious
axe-core violation, the site's header, a skip link shown on focus, and the way on reached from the keyboard
with a visible focus ring."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}
# The focused element's ring (style, width, colour) and the page's colour behind it.
FOCUS_RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return { tag: e.tagName.toLowerCase(), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
           colour: s.outlineColor, page: getComputedStyle(document.body).backgroundColor };
}"""


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _ringed(ring: dict) -> bool:
    """A ring a reader sees: drawn, at least 2 px, and 3:1 against the page (WCAG 1.4.11)."""
    return ring["style"] != "none" and ring["width"] >= 2 and _contrast(ring["colour"], ring["page"]) >= 3


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def _log_in(page, live_server, username, password):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.fixture
def refusals(transactional_db, article, alice):
    from tests.helpers import create_annotation

    private = create_annotation(alice, article)
    public = create_annotation(
        alice, article, passage="Residents queued outside the hall", visibility="public"
    )
    return private, public


def _open(kind, page, live_server, refusals, settings):
    """Opens the page of `kind` and returns its status and the name of its heading."""
    private, public = refusals
    if kind == "not found":
        response = page.goto(live_server.url + "/no/such/page/")
        return response.status, "Not found"
    if kind == "private annotation":
        response = page.goto(live_server.url + private.get_absolute_url())
        return response.status, "Not found"
    if kind == "not allowed":
        _log_in(page, live_server, "bob", "a-long-password-2")
        response = page.goto(live_server.url + reverse("articles:annotation_edit", args=[public.pk]))
        return response.status, "Not allowed"
    if kind == "expired form":
        page.goto(live_server.url + reverse("login"))
        page.locator("input[name=csrfmiddlewaretoken]").evaluate("e => e.remove()")
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill("a-long-password-1")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return sent.value.status, "This form could not be sent"
    if kind == "too many":
        settings.NEWSREADER_RATE_LIMITS = {**settings.NEWSREADER_RATE_LIMITS, "signup": "0/hour"}
        page.goto(live_server.url + reverse("signup"))
        page.get_by_label("Username").fill("carol")
        page.get_by_label("Password", exact=True).fill("a-long-password-9")
        page.get_by_label("Password confirmation").fill("a-long-password-9")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Sign up").click()
        page.wait_for_load_state()
        return sent.value.status, "Too many requests"
    if kind == "locked out":
        settings.AXES_FAILURE_LIMIT = 1
        for _ in range(2):
            page.goto(live_server.url + reverse("login"))
            page.get_by_label("Username").fill("alice")
            page.get_by_label("Password").fill("not-the-password")
            with page.expect_response(lambda r: r.request.method == "POST") as sent:
                page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
        return sent.value.status, None
    if kind == "log in first":
        response = page.goto(live_server.url + reverse("articles:notebook"))
        assert page.url.startswith(live_server.url + reverse("login"))
        return response.status, "Log in"
    raise AssertionError(kind)


KINDS = [
    ("not found", 404),
    ("private annotation", 404),
    ("not allowed", 403),
    ("expired form", 403),
    ("too many", 429),
    ("locked out", 429),
    ("log in first", 200),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("kind", "status"), KINDS, ids=[kind for kind, _ in KINDS])
def test_refusal_pages_pass_axe_and_work_from_the_keyboard(
    browser, live_server, refusals, bob, settings, scheme, kind, status
):
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    got, heading = _open(kind, page, live_server, refusals, settings)
    assert got == status
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("header.site-header")).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.theme") in ("system", "light", "dark")
    assert _violations(page) == []

    if kind == "log in first":
        # The log-in form starts in its first field, ringed.
        expect(page.get_by_label("Username")).to_be_focused()
        ring = page.evaluate(FOCUS_RING)
        assert _ringed(ring), ring
        page.goto(page.url)  # the rest as on the other pages, from the top
        expect(page.get_by_label("Username")).to_be_focused()  # the form's own focus first, then away from it
        page.evaluate("document.activeElement.blur()")
        page.mouse.click(1, 790)  # on the empty page below the form: Tab starts again from the top
        page.evaluate("window.scrollTo(0, 0)")

    # From the top: the skip link shows, lands in the page's own content, and the next Tab reaches its way on
    # (a link or a field) with a visible focus ring.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    ring = page.evaluate(FOCUS_RING)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), ring
    assert ring["tag"] in ("a", "input", "button") and _ringed(ring), ring
    context.close()
