"""`move_library`: a whole library into another database, SQLite and PostgreSQL either way, checked on
arrival.

The test library moves to a SQLite file, then from that file to a new database on the test database's own
server: on SQLite both hops are SQLite, and on PostgreSQL the second is the move a reader makes, SQLite to
PostgreSQL (and the first the way back)."""

import sqlite3
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from articles.models import Annotation, Article, Filters, Quote
from articles.rendering.snippets import shown_hit
from articles.search import SearchResults
from tests.helpers import (
    PASSAGE,
    TEXT,
    create_annotation,
    database_url,
    import_article,
    scratch_database,
    story,
)

pytestmark = pytest.mark.django_db(transaction=True)
TARGET = "library_target"


def _move(source: str, target: str, *extra: str) -> str:
    out = StringIO()
    call_command("move_library", "--from", source, "--to", target, *extra, stdout=out)
    return out.getvalue()


def test_a_library_moves_with_its_readers_annotations_and_search_and_the_copy_is_checked():
    alice = User.objects.create_user("alice", password="a-long-password-1")
    article = import_article(text=TEXT, source="Gazette")
    import_article(
        text=story("Café owners protest", "“The who of it matters,” said Ana Ruiz outside the café.")
    )
    create_annotation(alice, article, PASSAGE, note="check the figures", tags="budget")
    quotes, article_created = Quote.objects.count(), article.created

    with scratch_database("sqlite") as on_the_way, scratch_database() as arrived:
        out = _move(database_url(), on_the_way)
        assert "row counts agree" in out and "find the same articles on both sides" in out
        out = _move(on_the_way, arrived)
        assert "row counts agree" in out and "find the same articles on both sides" in out

        moved = Article.objects.using(TARGET).get(pk=article.pk)
        assert (moved.title, moved.source, moved.created) == (article.title, "Gazette", article_created)
        assert Quote.objects.using(TARGET).count() == quotes
        note = Annotation.objects.using(TARGET).get()
        assert (note.user.username, note.note, note.tags, note.article_id) == (
            "alice",
            "check the figures",
            ["budget"],
            article.pk,
        )
        assert User.objects.using(TARGET).get(username="alice").check_password("a-long-password-1")
        # The index is rebuilt there: accents folded, every word kept, headline matches marked.
        for words in ("cafe", "café", '"the who"', "libraries"):
            assert [h.article.pk for h in SearchResults(words, Filters(), using=TARGET)[0:5]] == [
                h.article.pk for h in SearchResults(words, Filters())[0:5]
            ]
        [hit] = SearchResults("cafe owners", Filters(), using=TARGET)[0:5]
        assert shown_hit(hit).title_html == "<mark>Café</mark> <mark>owners</mark> protest"

        # A target that holds a library is refused, and replaced only when asked.
        with pytest.raises(CommandError, match="not empty"):
            _move(on_the_way, arrived)
        assert "row counts agree" in _move(on_the_way, arrived, "--force")
        assert Article.objects.using(TARGET).count() == 2


def test_an_address_that_is_no_database_is_refused():
    with pytest.raises(CommandError, match="not a database address"):
        _move(database_url(), "gopher://nowhere/library")
    with pytest.raises(CommandError, match="the same database"):
        _move(database_url(), database_url())


def test_values_postgresql_cannot_hold_are_made_storable_and_times_are_kept():
    article = import_article(text=TEXT, source="Gazette")
    alice = User.objects.create_user("alice", password="a-long-password-1")
    note = create_annotation(alice, article, PASSAGE, note="check the figures")
    with scratch_database("sqlite") as on_the_way, scratch_database() as arrived:
        _move(database_url(), on_the_way)
        # SQLite holds a NUL character in text; PostgreSQL does not.
        with sqlite3.connect(on_the_way.removeprefix("sqlite:///")) as db:
            db.execute("UPDATE articles_article SET byline = ? WHERE id = ?", ["Ana\x00 Ruiz", article.pk])
        out = _move(on_the_way, arrived)
        assert "1 values were made storable" in out
        assert Article.objects.using(TARGET).get(pk=article.pk).byline == "Ana Ruiz"
        moved = Annotation.objects.using(TARGET).get()
        assert (moved.created, moved.updated) == (note.created, note.updated)
