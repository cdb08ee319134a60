import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.importers import html_candidate, read_inputs
from articles.models import Article, Block, Entity, Mention, Quote
from articles.services import ImportFailure
from tests.conftest import SEED
from tests.library_helpers import run_tasks, story

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><title>Senate passes the bill | Example Times</title>
<meta property="og:site_name" content="Example Times"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Senate passes the bill</h1>
<p>WASHINGTON — The Senate passed the infrastructure bill on Tuesday, a long-awaited step that lawmakers of
both parties had sought for months.</p>
<figure><img src="/senate.jpg" alt=""><figcaption>Senators leave the chamber after the vote on Tuesday.</figcaption></figure>
<p>“This is a good day for the country,” said Senator Mary Smith, a Democrat from Ohio, after the vote.</p>
<p>Opponents said the measure would cost too much and promised to fight it in the House next week.</p>
</article><footer>© Example Times</footer></body></html>"""


def _articles(n: int, folder: Path) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"story-{i}.txt"
        path.write_text(
            story(
                f"Dam report {i}",
                f"“The dam is safe,” said Ana Ruiz, the engineer, on day {i} of the inspection.",
            )
        )
        paths.append(path)
    return paths


def _nothing_half_written() -> bool:
    """Every stored article has its blocks; no analysis row belongs to a missing article."""
    ids = set(Article.objects.values_list("pk", flat=True))
    return all(
        set(model.objects.values_list("article_id", flat=True)) <= ids
        for model in (Block, Entity, Mention, Quote)
    ) and all(Block.objects.filter(article_id=i).exists() for i in ids)


def test_import_takes_txt_html_and_jsonl_files_and_folders(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _articles(2, folder)
    (folder / "page.html").write_text(PAGE)
    (tmp_path / "more.jsonl").write_text(
        json.dumps(
            {
                "title": "Port strike ends",
                "text": "Dock workers returned on Monday, said Luis Gomez, a union leader.",
                "source": "Harbour News",
                "published": "2019-02-28",
                "url": "https://example.org/port",
            }
        )
        + "\n"
    )
    call_command("import_articles", str(folder), str(tmp_path / "more.jsonl"), "--no-progress")
    out = capsys.readouterr().out
    assert "Imported 4, skipped 0 (already in the library), failed 0." in out
    page = Article.objects.get(title="Senate passes the bill")
    assert (page.source, page.byline, str(page.published)) == ("Example Times", "Jane Roe", "2024-03-05")
    assert page.blocks.filter(kind="paragraph").count() >= 3 and "Senators leave the chamber" in page.text
    assert "Home" not in page.text and "©" not in page.text
    port = Article.objects.get(title="Port strike ends")
    assert (port.source, str(port.published), str(port.dated), port.url) == (
        "Harbour News",
        "2019-02-28",
        "2019-02-28",
        "https://example.org/port",
    )
    assert port.quotes.exists() or port.entities.filter(label="PERSON").exists()


def test_running_the_import_again_skips_what_is_already_there(tmp_path, capsys):
    _articles(3, tmp_path)
    call_command("import_articles", str(tmp_path), "--no-progress")
    call_command("import_articles", str(tmp_path), "--no-progress")
    out = capsys.readouterr().out
    assert "Imported 0, skipped 3" in out and Article.objects.count() == 3


def test_bad_inputs_are_reported_with_reasons_and_the_rest_are_imported(tmp_path, capsys, monkeypatch):
    good = _articles(2, tmp_path)[0]
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav><p>Subscribe</p></body></html>")
    (tmp_path / "lines.jsonl").write_text(
        'not json\n{"title": "No text"}\n{"text": "Short", "published": "soon"}\n'
    )
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    unreadable = tmp_path / "locked.txt"
    unreadable.write_text("Locked\n\nA paragraph.")
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(CommandError, match="7 input"):
        call_command("import_articles", str(tmp_path), "--no-progress")
    captured = capsys.readouterr()
    assert "Imported 2, skipped 0 (already in the library), failed 7." in captured.out
    err = captured.err
    assert "empty.html: failed: no article text found in the HTML page" in err
    assert "lines.jsonl:1: failed: not JSON" in err
    assert 'lines.jsonl:2: failed: no "text" in the record' in err
    assert "lines.jsonl:3: failed: published is not a date" in err
    assert "binary.txt: failed: That looks like a binary file" in err
    assert "huge.txt: failed: the file is too large (52,428,800 bytes" in err
    assert "locked.txt: failed: cannot read the file (Permission denied)" in err
    assert Article.objects.filter(title="Dam report 0").exists() and good.exists()
    assert _nothing_half_written()


def test_an_interrupted_import_leaves_no_half_article_and_a_rerun_finishes(tmp_path, monkeypatch, capsys):
    _articles(4, tmp_path)
    real_store = services._store_analysis
    stored = []

    def store_then_interrupt(article, parsed, analysis):
        if len(stored) == 2:
            raise KeyboardInterrupt
        stored.append(article)
        real_store(article, parsed, analysis)

    monkeypatch.setattr(services, "_store_analysis", store_then_interrupt)
    with pytest.raises(CommandError, match="interrupted"):
        call_command("import_articles", str(tmp_path), "--no-progress")
    assert Article.objects.count() == 2 and _nothing_half_written()
    monkeypatch.setattr(services, "_store_analysis", real_store)
    call_command("import_articles", str(tmp_path), "--no-progress")
    assert "Imported 2, skipped 2" in capsys.readouterr().out
    assert Article.objects.count() == 4 and _nothing_half_written()


def test_a_batch_is_analysed_through_one_spacy_stream(tmp_path, monkeypatch):
    _articles(5, tmp_path)
    calls = []
    real = services.analyze_many

    def counting(items, nlp, batch_size=64):
        calls.append(batch_size)
        return real(items, nlp, batch_size=batch_size)

    monkeypatch.setattr(services, "analyze_many", counting)
    outcomes = list(services.articles_import_many(read_inputs([str(tmp_path)])))
    assert [o.status for o in outcomes] == ["imported"] * 5 and len(calls) == 1
    assert all(o.article.quotes.count() == 1 for o in outcomes)


def test_html_without_an_article_is_a_failure_not_an_exception():
    assert isinstance(html_candidate(b"", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"<html><body><p>Hi</p></body></html>", "x.html"), ImportFailure)
    assert isinstance(html_candidate(b"\x00\xff<<<>>>", "x.html"), ImportFailure)


def test_reprocess_reanalyses_the_library_and_keeps_the_articles(capsys):
    from articles.services import article_import

    first = article_import(text=SEED.read_text())
    second = article_import(text=story("Dam report", "“The dam is safe,” said Ana Ruiz, the engineer."))
    old_quotes = set(Quote.objects.values_list("pk", flat=True))
    call_command("reprocess", "--all", "--no-progress")
    assert "Re-analysed 2 article(s)" in capsys.readouterr().out
    assert set(Article.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Quote.objects.count() == len(old_quotes) and not old_quotes & set(
        Quote.objects.values_list("pk", flat=True)
    )
    call_command("reprocess", "--article", str(second.pk), "--no-progress")
    with pytest.raises(CommandError, match="no article with id 999"):
        call_command("reprocess", "--article", "999", "--no-progress")


def test_web_form_stores_the_article_and_the_worker_analyses_it(client):
    response = client.post(
        reverse("articles:create"),
        {"title": "Bridge to reopen", "text": "“We are nearly there,” said Ana Ruiz, the city engineer."},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and article.analysis_state == "pending" and not article.quotes.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" in page and 'hx-trigger="every 1s"' in page
    run_tasks()
    article.refresh_from_db()
    assert article.analysis_state == "done" and article.quotes.get().speaker_name == "Ana Ruiz"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Analysing…" not in page and 'data-speaker="Ana Ruiz"' in page


def test_web_form_takes_an_html_upload(client):
    upload = SimpleUploadedFile("senate.html", PAGE.encode(), content_type="text/html")
    response = client.post(reverse("articles:create"), {"file": upload})
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.source, str(article.published)) == (
        "Senate passes the bill",
        "Example Times",
        "2024-03-05",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "By Jane Roe" in page and "5 Mar 2024" in page


def test_a_failed_background_analysis_is_shown(client, monkeypatch):
    client.post(reverse("articles:create"), {"text": story("Bridge", "“Nearly there,” said Ana Ruiz.")})

    def broken(*args, **kwargs):
        raise RuntimeError("model missing")

    monkeypatch.setattr(services, "analyze", broken)
    run_tasks()
    article = Article.objects.get()
    assert article.analysis_state == "failed" and "model missing" in article.analysis_error
    assert "analysis of this article failed" in client.get(article.get_absolute_url()).content.decode()
