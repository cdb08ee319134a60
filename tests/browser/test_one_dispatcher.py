"""The front end listens once: one keydown and one htmx:afterSettle listener on the document for the whole site
(static/js/newsreader.js dispatches to the handlers the other scripts register), counted by Chromium itself."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _document_listeners(page) -> list[str]:
    session = page.context.new_cdp_session(page)
    document = session.send("Runtime.evaluate", {"expression": "document"})["result"]["objectId"]
    listeners = session.send("DOMDebugger.getEventListeners", {"objectId": document})["listeners"]
    return [listener["type"] for listener in listeners]


def test_one_keydown_and_one_after_settle_listener_serve_the_article_page(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_function("window.newsreader && document.readyState === 'complete'")
    types = _document_listeners(page)
    assert types.count("keydown") == 1
    assert types.count("htmx:afterSettle") == 1
    # Every script registered its handlers with the dispatcher (newsreader, annotate, keyboard, reading,
    # library).
    assert page.evaluate("window.newsreader.handlerCount('keydown')") == 4
    assert page.evaluate("window.newsreader.handlerCount('htmx:afterSettle')") == 7
