"""In a real browser: the notebook (filters, search, export and import), accounts (account page, password
change and reset, who may add and which files), finding people by part of a name, and updating an article to
a changed version with its annotations kept; no Content-Security-Policy violation."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.helpers import PASSAGE, TEXT, create_annotation, import_article, story

pytestmark = pytest.mark.django_db(transaction=True)

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""
OTHER = story(
    "Libraries to close",
    "Residents queued outside the hall on Wednesday morning.",
    "The mayor said the branches would shut in spring unless money was found.",
)


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_VIOLATIONS)
    return page


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations.splice(0)")


def _log_in(page, live_server, next_url="/", username="alice", password="a-long-password-1"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def notebook(transactional_db, alice):
    first = import_article(text=TEXT)
    second = import_article(text=OTHER)
    create_annotation(
        alice, first, PASSAGE, note="The treasurer warns", tags="budget, libraries", colour="green"
    )
    create_annotation(alice, second, "Residents queued outside the hall", note="Crowds", tags="libraries")
    create_annotation(alice, second, "the branches would shut in spring", colour="pink")
    return first, second


def test_the_notebook_filters_by_tag_and_colour_searches_and_exports(
    watched, live_server, notebook, tmp_path
):
    page = watched
    _log_in(page, live_server)
    page.get_by_role("link", name="Notebook").click()
    entries = page.locator(".notebook-entry")
    expect(entries).to_have_count(3)
    expect(entries.first).to_contain_text("the branches would shut in spring")  # newest first
    # A tag is a link.
    page.locator(".notebook-tags").get_by_role("link", name="#budget").click()
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("The treasurer warns")
    # The colour menu filters at once (htmx), the address follows.
    page.goto(live_server.url + "/notebook/")
    page.get_by_label("Colour").select_option("pink")
    expect(entries).to_have_count(1)
    expect(page).to_have_url(re.compile(r"colour=pink"))
    # Search by words of a note or a passage.
    page.goto(live_server.url + "/notebook/")
    page.get_by_label("Search notes and passages").fill("queued")
    page.get_by_role("button", name="Filter").click()
    expect(entries).to_have_count(1)
    expect(entries.first.locator("mark")).to_have_text("queued")
    # Export: one Markdown file with everything.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as Markdown").click()
    path = tmp_path / "notebook.md"
    download.value.save_as(path)
    text = path.read_text()
    assert text.startswith("# Notebook of alice") and "3 annotations on 2 articles" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Export as W3C JSON-LD").click()
    download.value.save_as(tmp_path / "notebook.jsonld")
    assert json.loads((tmp_path / "notebook.jsonld").read_text())["total"] == 3
    assert _violations(page) == []


def test_another_reader_imports_an_exported_notebook(browser, watched, live_server, notebook, bob, tmp_path):
    from articles.models import Annotation

    page = watched
    _log_in(page, live_server)
    with page.expect_download() as download:
        page.goto(live_server.url + "/notebook/")
        page.get_by_role("link", name="Export as W3C JSON-LD").click()
    path = tmp_path / "alice.jsonld"
    download.value.save_as(path)
    context = new_context(browser)
    other = context.new_page()
    other.add_init_script(WATCH_VIOLATIONS)
    _log_in(other, live_server, "/notebook/import/", "bob", "a-long-password-2")
    assert other.get_by_label("Notebook file").get_attribute("accept").startswith(".md")
    other.get_by_label("Notebook file").set_input_files(str(path))
    other.get_by_role("button", name="Import").click()
    expect(other.locator(".message--success")).to_contain_text("Imported 3 annotations on 2 articles")
    assert Annotation.objects.filter(user=bob).count() == 3
    # A PDF is refused, and nothing more is written.
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(b"%PDF-1.4 binary")
    other.get_by_label("Notebook file").set_input_files(str(pdf))
    other.get_by_role("button", name="Import").click()
    expect(other.locator(".form-errors")).to_contain_text("is not a notebook file")
    assert Annotation.objects.filter(user=bob).count() == 3
    assert _violations(other) == []
    context.close()


def test_account_page_password_change_and_reset_by_email(watched, live_server, alice):
    from django.core import mail

    page = watched
    _log_in(page, live_server)
    page.locator("a.account-name").click()
    expect(page.locator("h1")).to_have_text("Your account")
    page.get_by_label("Email address").fill("alice@example.com")
    page.get_by_role("button", name="Save email").click()
    expect(page.locator(".message")).to_contain_text("We sent a link to alice@example.com.")
    confirm = re.search(r"https?://\S+/accounts/email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(confirm)
    page.get_by_role("button", name="Use this address").click()
    expect(page.locator(".message")).to_contain_text("Email address saved: reset links now go to")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Old password").fill("a-long-password-1")
    page.get_by_label("New password", exact=True).fill("brand-new-pass-42")
    page.get_by_label("New password confirmation").fill("brand-new-pass-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Password changed")
    # Forgotten: the reset link comes by email (the test runner's outbox stands in for the console).
    page.get_by_role("button", name="Log out").first.click()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("after-reset-pass-77")
    page.get_by_label("New password confirmation").fill("after-reset-pass-77")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator("h1")).to_have_text("Password set")
    _log_in(page, live_server, "/", "alice", "after-reset-pass-77")
    expect(page.locator("a.account-name")).to_have_text("alice")
    assert _violations(page) == []


def test_adding_needs_an_account_and_a_pdf_is_refused_with_a_message(
    watched, live_server, alice, settings, tmp_path
):
    from articles.models import Article

    settings.NEWSREADER_OPEN_SUBMISSIONS = False
    page = watched
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Add article").click()
    expect(page.locator("h1")).to_have_text("Log in")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Add article")
    upload = page.locator('input[type="file"]')
    assert upload.get_attribute("accept") == ".txt,.html,.htm,.jsonl"
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\n")
    upload.set_input_files(str(pdf))
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator(".form-errors")).to_contain_text(
        "That file is a PDF document, a binary file, not text"
    )
    assert not Article.objects.exists()
    assert _violations(page) == []


def test_a_part_of_a_name_is_suggested_and_finds_the_person(watched, live_server, two_pompeo_articles):
    page = watched
    page.goto(live_server.url + "/search/")
    person = page.get_by_label("Person")
    person.press_sequentially("Pomp", delay=50)
    expect(page.locator("#person-names option")).to_have_count(1)
    assert page.locator("#person-names option").get_attribute("value") == "Mike Pompeo"
    page.get_by_label("Words or “a phrase”").fill("talks")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator(".search-count")).to_contain_text("mentioning Mike Pompeo")
    expect(page.locator(".form-errors")).to_have_count(0)
    assert _violations(page) == []


def test_re_adding_a_changed_version_updates_the_article_and_keeps_the_highlight(watched, live_server, alice):
    from articles.models import Annotation, Article

    original = import_article(text=TEXT, source="Gazette")
    Article.objects.filter(pk=original.pk).update(added_by=alice)
    create_annotation(alice, original, PASSAGE, note="Keep me")
    page = watched
    _log_in(page, live_server, "/articles/new/")
    page.get_by_label("…or paste the article text").fill(TEXT.replace("on Tuesday", "on Tuesday evening"))
    page.get_by_label("Source").fill("Gazette")
    page.get_by_role("button", name="Add and analyse").click()
    expect(page.locator("h1")).to_have_text("This article is already in the library")
    page.get_by_role("button", name="Update the article").click()
    expect(page.locator(".message")).to_contain_text("Updated to the new version")
    expect(page.locator(".para").first).to_contain_text("on Tuesday evening")
    assert Article.objects.count() == 1
    note = Annotation.objects.get()
    assert not note.orphaned and Article.objects.get().text[note.start : note.end] == PASSAGE
    assert _violations(page) == []


LONG_TITLE = story(
    "Council approves the budget for the libraries, the buses and the new harbour wall after a long night",
    "The council met on Tuesday to settle the budget for the coming year and argued until after midnight.",
)


@pytest.mark.parametrize(("width", "scheme"), [(320, "dark"), (390, "light")])
def test_the_notebook_renders_notes_and_its_filters_fit_a_phone(browser, live_server, alice, width, scheme):
    from tests.browser.test_accessibility import _violations as axe_violations
    from tests.browser.test_screens import OVERFLOWING

    article = import_article(text=LONG_TITLE)
    create_annotation(
        alice,
        article,
        "argued until after midnight",
        note="**structural deficit**\n\n- also ask the treasurer",
    )
    context = new_context(browser, viewport={"width": width, "height": 640}, color_scheme=scheme)
    page = context.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    _log_in(page, live_server, "/notebook/")
    note = page.locator(".notebook-note")
    # Rendered as the annotation's panel renders it, not shown as Markdown.
    expect(note.locator("strong")).to_have_text("structural deficit")
    expect(note.locator("li")).to_have_text("also ask the treasurer")
    expect(note).not_to_contain_text("**")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING) == []
    # Each filter's label sits with its own control, and no two filters overlap.
    boxes = [
        page.get_by_label(name, exact=True).bounding_box()
        for name in ("Tag", "Colour", "Visibility", "Article")
    ]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            apart = (
                one["x"] + one["width"] <= other["x"]
                or other["x"] + other["width"] <= one["x"]
                or one["y"] + one["height"] <= other["y"]
                or other["y"] + other["height"] <= one["y"]
            )
            assert apart, (one, other)
    # Searching marks the words in the rendered note.
    page.get_by_label("Search notes and passages").fill("treasurer")
    page.get_by_role("button", name="Filter").click()
    expect(note.locator("li mark")).to_have_text("treasurer")
    expect(note.locator("strong")).to_have_text("structural deficit")
    assert _violations(page) == []
    assert axe_violations(page) == []  # no serious or critical accessibility violation
    context.close()
