"""Storing articles: checks, one transaction, re-analysis, text edits, what search may see."""

import pytest

from articles.interchange.article_files import ArticleRejected, text_from_bytes
from articles.models import Annotation, Article, Quote
from articles.services.analysis import article_reanalyze
from tests.helpers import (
    PASSAGE,
    TEXT,
    create_annotation,
    disk_full,
    import_article,
    nothing_written,
    run_tasks,
    story,
)

pytestmark = pytest.mark.django_db


def test_updating_an_articles_text_queues_analysis_and_reanchors_without_losing_annotations(
    article, alice, django_capture_on_commit_callbacks
):
    from articles.interchange.article_files import ArticleRejected
    from articles.models import Article
    from articles.services.articles import article_update_text

    kept = create_annotation(alice, article, passage="Residents queued outside the hall", visibility="public")
    gone = create_annotation(alice, article, passage=PASSAGE, note="about the quote", visibility="public")
    edited = TEXT.replace(
        "“" + PASSAGE + ",” said Ana Ruiz, the treasurer.", "“The numbers work,” said Ben Ode, the mayor."
    ).replace("Residents queued", "By evening, residents queued")
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text=edited)
    article.refresh_from_db()
    # Stored and re-anchored at once; the old analysis (offsets into the old text) is gone until the worker runs.
    assert article.text == edited and article.analysis_state == Article.Analysis.PENDING
    assert not article.quotes.exists() and not article.mentions.exists()
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == Article.Analysis.DONE
    assert [q.speaker_name for q in article.quotes.all()] == ["Ben Ode"]
    assert all(article.text[q.start : q.end] == q.text for q in article.quotes.all())
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert article.text[kept.start : kept.end] == kept.exact == "residents queued outside the hall"
    assert gone.orphaned and gone.exact == PASSAGE
    with pytest.raises(ArticleRejected):
        article_update_text(article=article, text="   ")
    article.refresh_from_db()
    assert article.text == edited and Annotation.objects.count() == 2


def test_seed_import_stores_blocks_entities_and_quotes(seed_article):
    assert seed_article.title.startswith("Trump’s Talks With Kim Jong-un")
    assert seed_article.source == "NYT"
    assert seed_article.dateline == "HANOI, Vietnam"
    assert seed_article.blocks.filter(kind="caption").count() == 4
    assert seed_article.quotes.count() >= 17
    assert seed_article.entities.filter(label="PERSON", name="Kim Jong-un").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\t  \n", "empty"),
        ("Just a headline", "no text"),
        ("Title\n\n" + "\x01\x02\x03\x04" * 40, "binary"),
    ],
)
def test_bad_text_is_rejected_and_nothing_is_written(text, message):
    with pytest.raises(ArticleRejected, match=message):
        import_article(text=text)
    assert nothing_written()


def test_text_over_the_size_limit_is_rejected(settings):
    settings.NEWSREADER_MAX_ARTICLE_CHARS = 1000
    with pytest.raises(ArticleRejected, match="too long: 1,507 characters, and the limit is 1,000"):
        import_article(text="Title\n\n" + "word " * 300)
    assert nothing_written()


def test_binary_and_non_utf8_files_are_refused_with_a_reason():
    with pytest.raises(ArticleRejected, match="binary"):
        text_from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleRejected, match="not UTF-8"):
        text_from_bytes("Título\n\nEl señor dijo.".encode("latin-1"))
    with pytest.raises(ArticleRejected, match="empty"):
        text_from_bytes(b"")


def test_the_same_article_twice_is_reported_not_stored_twice(seed_text):
    import_article(text=seed_text)
    with pytest.raises(ArticleRejected, match="already in the library"):
        import_article(text=seed_text.replace("\n", "\r\n"))
    assert Article.objects.count() == 1


def test_a_failure_during_storage_leaves_nothing_half_written(monkeypatch, seed_text):
    monkeypatch.setattr(Quote.objects, "bulk_create", disk_full)
    with pytest.raises(RuntimeError):
        import_article(text=seed_text)
    assert nothing_written()


def test_headline_field_becomes_the_first_line():
    article = import_article(title="  Council   votes  ", text="The council voted on Monday, officials said.")
    assert article.title == "Council votes"
    assert article.text.startswith("Council votes\n\nThe council voted")


def test_reanalyse_replaces_the_analysis_rows_and_keeps_the_article(seed_article):

    before = (seed_article.quotes.count(), seed_article.entities.count(), seed_article.blocks.count())
    old_quote_ids = set(seed_article.quotes.values_list("pk", flat=True))
    article_reanalyze(article=seed_article)
    assert Article.objects.get().pk == seed_article.pk
    assert (seed_article.quotes.count(), seed_article.entities.count(), seed_article.blocks.count()) == before
    assert not old_quote_ids & set(seed_article.quotes.values_list("pk", flat=True))


def test_standfirst_is_one_short_line_without_the_dateline(seed_article):
    assert seed_article.standfirst.startswith("President Trump and Kim Jong-un")
    assert len(seed_article.standfirst) <= 161 and seed_article.standfirst.endswith("…")


def test_private_use_characters_never_reach_the_text_so_search_marks_only_matches(db):
    from articles.rendering.snippets import shown_hit
    from articles.search import SearchResults

    article = import_article(
        text=story("Harbour reopens", "The \ue000cranes\ue001 were fixed near the steel works.")
    )
    assert "\ue000" not in article.text and "\ue001" not in article.text
    [hit] = [shown_hit(found) for found in SearchResults("steel")[0:1]]
    assert hit.snippet_html.count("<mark>") == 1 and "<mark>steel</mark>" in hit.snippet_html


def test_analysis_is_queued_only_once_the_article_is_committed(db, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from articles.interchange.article_files import ArticleInput
    from articles.services.articles import article_submit

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = article_submit(incoming=ArticleInput(text=TEXT))
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [article.pk]


def test_the_parser_s_sentences_are_kept_with_the_blocks_and_give_the_standfirst(db):
    from tests.helpers import import_article, story

    article = import_article(
        text=story("Ferry returns", "Dr. Ana Ruiz opened the ferry on Monday. She said it would run daily.")
    )
    paragraph = article.blocks.get(kind="paragraph")
    shown = [article.text[start:end] for start, end in paragraph.sentences]
    # "Dr." does not end a sentence: the parser's sentences, not a full stop followed by a capital.
    assert shown == ["Dr. Ana Ruiz opened the ferry on Monday.", "She said it would run daily."]
    assert article.standfirst == "Dr. Ana Ruiz opened the ferry on Monday."


def test_an_article_waiting_for_its_analysis_has_no_sentences_and_shows_its_first_paragraph(db):
    from articles.interchange.article_files import ArticleInput
    from articles.services.articles import article_submit

    article = article_submit(
        incoming=ArticleInput(text="Ferry returns\n\nDr. Ana Ruiz opened the ferry. She said it would run.")
    )
    assert [block.sentences for block in article.blocks.all()] == [[], []]
    assert article.standfirst == "Dr. Ana Ruiz opened the ferry. She said it would run."
