"""Readers' Markdown notes rendered inert."""

import re

import pytest

from articles.rendering.notes import render_note

pytestmark = pytest.mark.django_db


def test_markdown_notes_render_and_stay_inert():
    html = render_note(
        "**Bold** and [a link](https://example.org/x) and <script>alert(1)</script>\n\n"
        "[bad](javascript:alert(1)) [data](data:text/html,hi) ![img](https://example.org/i.png) "
        '<a href="javascript:alert(2)">raw</a> <img src=x onerror=alert(3)> <mailto:me@example.org>'
    )
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">a link</a>' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r'<a [^>]*href="(javascript|data):', html)
    assert not re.search(r"<img|<[^>]+\son\w+=", html)
    assert 'href="mailto:me@example.org"' in html
