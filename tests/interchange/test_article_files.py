"""Reading article files: bad HTML is a reported failure, never an exception."""

import pytest

from articles.interchange.article_files import ImportFailure, html_candidate

pytestmark = pytest.mark.django_db


def test_html_without_an_article_is_a_failure_not_an_exception():
    assert isinstance(html_candidate(b"", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"<html><body><p>Hi</p></body></html>", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"\x00\xff<<<>>>", "x.html"), ImportFailure)
