"""A reader's own library in a real browser: reading state and counts, reading time and resume, collections
with bulk actions, reading settings and the legend remembered; no Content-Security-Policy violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.helpers import TEXT, story

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""
LONG = story(
    "Harbour reopens after a long storm",
    *[
        f"Paragraph {n}: the harbour master walked the length of the quay and counted the boats again. " * 4
        for n in range(1, 41)
    ],
)


@pytest.fixture
def articles(transactional_db, alice):
    from articles.models import Article
    from tests.helpers import import_article

    first = import_article(text=TEXT, source="Gazette")
    second = import_article(
        text=story("Libraries to close", "Residents queued outside the hall. " * 6), source="Planet"
    )
    long = import_article(text=LONG, source="Planet")
    Article.objects.filter(pk__in=[first.pk, second.pk, long.pk]).update(added_by=alice)
    return first, second, long


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_VIOLATIONS)
    return page


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations.splice(0)")


def _log_in(page, live_server, next_url="/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def _until_stored(page, path, stored):
    """Waits, around what follows, for the page's POSTs to `path` until one has left `stored()` true (each
    response comes after its write is committed)."""
    return page.expect_response(
        lambda response: response.request.method == "POST" and path in response.url and stored()
    )


def _view(page, name):
    return page.locator(f'.library-view[data-state="{name}"] .count')


def test_reading_state_counts_views_and_sorts(watched, live_server, articles):
    page = watched
    first, _second, long = articles
    page.goto(live_server.url + "/")
    expect(page.locator(".library-views")).to_have_count(0)  # anonymous: the shared library as before
    expect(page.locator(".article-card")).to_have_count(3)
    expect(page.locator(".article-card .reading-time").first).to_have_text(re.compile(r"^\d+ min read$"))
    _log_in(page, live_server)
    expect(_view(page, "unread")).to_have_text("3")
    # On the article page, "Mark read" and "Favourite" answer at once (htmx) and stay.
    page.get_by_role("link", name=first.title).click()
    page.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("button", name="✓ Read")).to_be_visible()
    page.get_by_role("button", name="☆ Favourite").click()
    expect(page.get_by_role("button", name="★ Favourite")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(_view(page, "unread")).to_have_text("2")
    expect(_view(page, "read")).to_have_text("1")
    expect(_view(page, "favourites")).to_have_text("1")
    page.locator('.library-view[data-state="read"]').click()
    expect(page.locator(".article-card h2")).to_have_text([first.title])
    expect(page.locator(".article-card .badge--read")).to_have_text("Read")
    # Sorting keeps the view; "Longest" puts the long article first.
    page.goto(live_server.url + "/")
    page.get_by_label("Sort by").select_option("longest")
    page.get_by_role("button", name="Sort").click()
    expect(page.locator(".article-card h2").first).to_have_text(long.title)
    assert "sort=longest" in page.url
    assert _violations(page) == []


def test_reading_time_and_returning_where_the_reader_left_off(watched, live_server, articles):
    from articles.models import ReadingState

    page = watched
    long = articles[2]
    _log_in(page, live_server, long.get_absolute_url())
    expect(page.locator(".reading-time")).to_have_text(f"{long.reading_minutes} min read")
    reading_url = page.locator("[data-reading-url]").first.get_attribute("data-reading-url")
    target = page.locator(".para").nth(25)
    # The place is kept a moment after scrolling stops.
    with _until_stored(
        page, reading_url, lambda: ReadingState.objects.filter(article=long, position__gt=0).exists()
    ):
        target.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 5)")
    state = ReadingState.objects.get(article=long)
    assert state.position > 0 and 0 < state.progress < 100
    page.goto(live_server.url + "/")
    page.goto(live_server.url + long.get_absolute_url())
    expect(page.locator(".resume-note")).to_contain_text("Back where you left off")
    assert page.evaluate("window.scrollY") > 1000
    # Reaching the end marks the article read.
    with _until_stored(
        page, reading_url, lambda: ReadingState.objects.filter(article=long, read=True).exists()
    ):
        page.keyboard.press("End")
    assert ReadingState.objects.get(article=long).read
    assert _violations(page) == []


def test_bulk_select_labels_into_a_new_collection_shared_by_link(browser, watched, live_server, articles):
    page = watched
    first, second, _ = articles
    _log_in(page, live_server)
    page.get_by_label(f"Select “{first.title}”").check()
    page.get_by_label(f"Select “{second.title}”").check()
    page.get_by_label("or new").fill("Council watch")
    page.get_by_role("button", name="Add to collection").click()
    expect(page.locator("#library .message--success")).to_have_text("Added 2 articles to “Council watch”.")
    assert page.url.rstrip("/") == live_server.url  # htmx swapped the list in place
    # Archive one of them in bulk: it leaves the list, the counts follow.
    page.get_by_label(f"Select “{second.title}”").check()
    page.get_by_role("button", name="Archive").click()
    expect(page.locator("#library .message--success")).to_have_text("Archived: 1 article.")
    expect(_view(page, "archived")).to_have_text("1")
    expect(page.locator(".article-card h2", has_text=second.title)).to_have_count(0)
    # The collection's page, made public, is readable by anyone with the link.
    page.get_by_role("link", name="Collections").click()
    page.get_by_role("link", name="Council watch").click()
    expect(page.locator(".article-card")).to_have_count(2)
    page.get_by_text("Rename, share or delete").click()
    page.get_by_role("button", name="Make public (share link)").click()
    share = page.locator(".share-url").input_value()
    stranger = new_context(browser)
    other = stranger.new_page()
    other.goto(share)
    expect(other.locator("h1")).to_have_text("Council watch")
    expect(other.locator(".article-card")).to_have_count(2)
    stranger.close()
    # Renamed, it keeps its link.
    page.get_by_text("Rename, share or delete").click()
    page.get_by_label("Name", exact=True).fill("Budget watch")
    page.get_by_role("button", name="Rename").click()
    expect(page.locator("h1")).to_have_text("Budget watch")
    assert _violations(page) == []


def test_bulk_delete_asks_first_and_removes_the_articles(watched, live_server, articles):
    from articles.models import Article

    page = watched
    first = articles[0]
    _log_in(page, live_server)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.get_by_label(f"Select “{first.title}”").check()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete").click()
    assert Article.objects.filter(pk=first.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#library .message--success")).to_have_text("Deleted 1 article.")
    assert not Article.objects.filter(pk=first.pk).exists()
    # The dismissed click sent nothing: a request from it would have left before the accepted one.
    assert len(posts) == 1


def test_reading_settings_and_the_legend_are_remembered_across_articles(watched, live_server, articles):
    page = watched
    first, second, _ = articles
    # Without an account, in this browser.
    page.goto(live_server.url + first.get_absolute_url())
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")
    page.get_by_role("link", name="Reading settings").click()
    page.get_by_label("Larger").check()
    page.get_by_label("Sans-serif").check()
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url(re.compile(re.escape(first.get_absolute_url()) + "$"))
    bigger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article')).fontSize)")
    assert bigger > size * 1.2
    family = page.evaluate("getComputedStyle(document.querySelector('.article')).fontFamily")
    assert "serif" not in family.replace("sans-serif", "")
    # The legend: dates switched off here stay off on the next article.
    page.locator('.legend input[data-toggle="DATE"]').uncheck()
    page.goto(live_server.url + second.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("data-hidden-types", "DATE")
    page.goto(live_server.url + first.get_absolute_url())
    expect(page.locator('.legend input[data-toggle="DATE"]')).not_to_be_checked()
    decoration = page.evaluate(
        "getComputedStyle(document.querySelector('.para .ent[data-label=DATE]')).textDecorationLine"
    )
    assert decoration == "none"
    # With an account, kept on the server: another browser sees them.
    _log_in(page, live_server, first.get_absolute_url())
    from articles.models import ReaderPreferences

    alices = ReaderPreferences.objects.filter(user__username="alice")
    with _until_stored(page, "/preferences/", lambda: any("quote" in row.hidden_types for row in alices)):
        page.locator('.legend input[data-toggle="quote"]').uncheck()
    assert alices.get().hidden_types == ["quote"]
    assert _violations(page) == []


def test_without_javascript_the_buttons_and_bulk_actions_still_work(browser, live_server, articles):
    from articles.models import ReadingState

    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    first, second, _ = articles
    _log_in(page, live_server, first.get_absolute_url())
    page.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("button", name="✓ Read")).to_be_visible()
    page.goto(live_server.url + "/")
    page.get_by_label(f"Select “{second.title}”").check()
    page.get_by_role("button", name="Favourite").click()
    expect(page.locator(".messages")).to_contain_text("Made favourites: 1 article.")
    assert ReadingState.objects.get(article=first).read and ReadingState.objects.get(article=second).favourite
    context.close()
