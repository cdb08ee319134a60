"""Deleting a note asks nothing and offers Undo, which brings it back with its text, colour and place."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context, settled
from tests.browser.test_annotations import _log_in
from tests.helpers import create_annotation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_deleted_note_comes_back_with_undo(browser, live_server, article, alice, javascript):
    from articles.models import Annotation

    annotation = create_annotation(alice, article, note="Ask the **treasurer**.", colour="blue")
    context = new_context(browser, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _log_in(page, live_server, annotation.get_absolute_url())
    mark = page.locator(f'#article mark[data-annotation-id="{annotation.pk}"]')
    expect(mark).to_have_class(re.compile(r"\bhl--blue\b"))
    settled(page)  # scrolled to the open highlight, once the page has loaded
    page.locator("#panel").get_by_role("button", name="Delete").click()

    status = page.locator("#panel [role=status]")
    expect(status).to_contain_text("Annotation deleted.")
    expect(mark).to_have_count(0)
    assert not Annotation.objects.exists()
    assert dialogs == []  # no confirm(): the delete happens, and can be undone
    settled(page)
    status.get_by_role("button", name="Undo").click()

    expect(page.locator("#panel .note")).to_contain_text("Ask the treasurer.")
    expect(page.locator("#panel strong")).to_have_text("treasurer")
    expect(mark).to_have_class(re.compile(r"\bhl--blue\b"))
    expect(mark).to_have_text(annotation.exact)
    assert page.url == live_server.url + annotation.get_absolute_url()
    restored = Annotation.objects.get()
    assert (restored.pk, restored.start, restored.end, restored.colour) == (
        annotation.pk,
        annotation.start,
        annotation.end,
        "blue",
    )
    context.close()
