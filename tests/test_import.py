"""Bad input gets a clear message and writes nothing; good input lands as one analysed article."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Block, Entity, Mention, Quote
from articles.services import ArticleRejected, article_import, text_from_bytes

pytestmark = pytest.mark.django_db


def _nothing_written():
    return not any(m.objects.exists() for m in (Article, Block, Entity, Mention, Quote))


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
        article_import(text=text)
    assert _nothing_written()


def test_text_over_the_size_limit_is_rejected(settings):
    settings.NEWSREADER_MAX_ARTICLE_CHARS = 1000
    with pytest.raises(ArticleRejected, match="too long: 1,507 characters, and the limit is 1,000"):
        article_import(text="Title\n\n" + "word " * 300)
    assert _nothing_written()


def test_binary_and_non_utf8_files_are_refused_with_a_reason():
    with pytest.raises(ArticleRejected, match="binary"):
        text_from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ArticleRejected, match="not UTF-8"):
        text_from_bytes("Título\n\nEl señor dijo.".encode("latin-1"))
    with pytest.raises(ArticleRejected, match="empty"):
        text_from_bytes(b"")


def test_the_same_article_twice_is_reported_not_stored_twice(seed_text):
    article_import(text=seed_text)
    with pytest.raises(ArticleRejected, match="already in the library"):
        article_import(text=seed_text.replace("\n", "\r\n"))
    assert Article.objects.count() == 1


def test_a_failure_during_storage_leaves_nothing_half_written(monkeypatch, seed_text):
    import articles.services as services

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Quote.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        article_import(text=seed_text)
    assert _nothing_written()


def test_headline_field_becomes_the_first_line():
    article = article_import(title="  Council   votes  ", text="The council voted on Monday, officials said.")
    assert article.title == "Council votes"
    assert article.text.startswith("Council votes\n\nThe council voted")


def test_import_command_reports_bad_file_on_stderr_and_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Título\n\nEl señor dijo.".encode("latin-1"))
    with pytest.raises(CommandError):
        call_command("import_article", str(bad))
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not UTF-8" in err[0]
    assert _nothing_written()


def test_load_seeds_is_idempotent():
    call_command("load_seeds")
    call_command("load_seeds")
    assert Article.objects.count() == 1


def test_reanalyse_replaces_the_analysis_rows_and_keeps_the_article(seed_article):
    from articles.services import article_reanalyse

    before = (seed_article.quotes.count(), seed_article.entities.count(), seed_article.blocks.count())
    old_quote_ids = set(seed_article.quotes.values_list("pk", flat=True))
    article_reanalyse(article=seed_article)
    assert Article.objects.get().pk == seed_article.pk
    assert (seed_article.quotes.count(), seed_article.entities.count(), seed_article.blocks.count()) == before
    assert not old_quote_ids & set(seed_article.quotes.values_list("pk", flat=True))


def test_standfirst_is_one_short_line_without_the_dateline(seed_article):
    assert seed_article.standfirst.startswith("President Trump and Kim Jong-un")
    assert len(seed_article.standfirst) <= 161 and seed_article.standfirst.endswith("…")
