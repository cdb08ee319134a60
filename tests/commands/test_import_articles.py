"""`import_articles`: every file kind, bad inputs reported, interruptions, one spaCy stream."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles import search
from articles.interchange.article_files import (
    read_inputs,
)
from articles.models import Article
from articles.nlp.model import load_model
from articles.services.analysis import articles_import_many
from tests.helpers import PAGE, nothing_half_written, nothing_written, story

pytestmark = pytest.mark.django_db


def test_import_command_reports_bad_file_on_stderr_and_exits_non_zero(tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Título\n\nEl señor dijo.".encode("latin-1"))
    with pytest.raises(CommandError):
        call_command("import_articles", str(bad), "--no-progress", "--public")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "latin1.txt: failed:" in err[0] and "not UTF-8" in err[0]
    assert nothing_written()


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
    call_command("import_articles", str(folder), str(tmp_path / "more.jsonl"), "--no-progress", "--public")
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
    call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    call_command("import_articles", str(tmp_path), "--no-progress", "--public")
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
    real_open = os.open

    def open_file(path, flags, *args, **kwargs):  # as root, a chmod would not keep the file from being read
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_file)
    with pytest.raises(CommandError, match="7 input"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--public")
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
    assert nothing_half_written()


def test_an_interrupted_import_leaves_no_half_article_and_a_rerun_finishes(tmp_path, monkeypatch, capsys):
    _articles(4, tmp_path)
    real_index = search.index_article
    indexed = []

    def index_then_interrupt(article):
        if len(indexed) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the third article is being stored
        indexed.append(article)
        real_index(article)

    monkeypatch.setattr(search, "index_article", index_then_interrupt)
    with pytest.raises(CommandError, match="interrupted"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    assert Article.objects.count() == 2 and nothing_half_written()
    monkeypatch.setattr(search, "index_article", real_index)
    call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    assert "Imported 2, skipped 2" in capsys.readouterr().out
    assert Article.objects.count() == 4 and nothing_half_written()


def test_a_batch_is_analysed_through_one_spacy_stream(tmp_path, monkeypatch, settings):
    _articles(5, tmp_path)
    nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
    streams, depth = [], []
    real_pipe = nlp.pipe

    def counting(*args, **kwargs):
        if not depth:  # spaCy's pipe calls itself for (text, context) pairs: count the outer stream only
            streams.append(1)
        depth.append(1)
        try:
            yield from real_pipe(*args, **kwargs)
        finally:
            depth.pop()

    monkeypatch.setattr(nlp, "pipe", counting)
    outcomes = list(articles_import_many(inputs=read_inputs([str(tmp_path)])))
    assert [o.status for o in outcomes] == ["imported"] * 5 and len(streams) == 1
    assert all(o.article.quotes.count() == 1 for o in outcomes)


def test_a_deeply_nested_jsonl_line_is_reported_and_the_rest_are_imported(tmp_path, capsys):
    nested = "[" * 100_000 + "]" * 100_000
    good = json.dumps(
        {"title": "Harbour reopens", "text": story("Harbour reopens", "Ships came back today.")}
    )
    (tmp_path / "nested.jsonl").write_text(f"{nested}\n{good}\n")
    (tmp_path / "dam.txt").write_text(story("Dam report", "The dam held through the storm."))
    with pytest.raises(CommandError, match="1 input"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    captured = capsys.readouterr()
    assert "Imported 2, skipped 0 (already in the library), failed 1." in captured.out
    assert "nested.jsonl:1: failed: JSON nested too deeply to be an article" in captured.err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Dam report", "Harbour reopens"]


def test_a_5001_digit_number_in_a_jsonl_line_is_reported_and_the_other_lines_are_imported(tmp_path, capsys):
    good = [
        json.dumps({"title": f"Harbour {i}", "text": story(f"Harbour {i}", f"Ships came on day {i}.")})
        for i in range(6)
    ]
    huge = '{"title": "Big", "text": "Some words here.", "count": ' + "7" * 5001 + "}"
    (tmp_path / "lines.jsonl").write_text("\n".join([good[0], huge, *good[1:]]) + "\n")
    with pytest.raises(CommandError, match="1 input"):
        call_command("import_articles", str(tmp_path / "lines.jsonl"), "--no-progress", "--public")
    captured = capsys.readouterr()
    assert "Imported 6, skipped 0 (already in the library), failed 1." in captured.out
    assert "lines.jsonl:2: failed: JSON with a number thousands of digits long" in captured.err
    assert Article.objects.count() == 6


def test_only_regular_files_are_read_never_links_pipes_or_devices(tmp_path, capsys):
    (tmp_path / "passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "urandom.html").symlink_to("/dev/urandom")
    (tmp_path / "story.jsonl").symlink_to(tmp_path / "elsewhere")  # a link, even to a regular file
    (tmp_path / "elsewhere").write_text(json.dumps({"title": "Linked", "text": "Words of the linked file."}))
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "dam.txt").write_text(story("Dam report", "The dam held through the storm."))
    with pytest.raises(CommandError, match="4 input"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--public")
    captured = capsys.readouterr()
    assert "Imported 1, skipped 0 (already in the library), failed 4." in captured.out
    for name, kind in [
        ("fifo.txt", "a named pipe"),
        ("passwd.txt", "a symbolic link"),
        ("story.jsonl", "a symbolic link"),
        ("urandom.html", "a symbolic link"),
    ]:
        assert f"{name}: failed: {kind}, not a regular file: only regular files are imported" in captured.err
    assert list(Article.objects.values_list("title", flat=True)) == ["Dam report"]
    # Named on the command line, a link is refused the same way.
    with pytest.raises(CommandError, match="1 input"):
        call_command("import_articles", str(tmp_path / "passwd.txt"), "--no-progress", "--public")
    assert Article.objects.count() == 1


def test_a_jsonl_line_over_the_limit_is_reported_and_never_read_whole(
    tmp_path, capsys, settings, monkeypatch
):
    from articles.interchange import article_files

    settings.NEWSREADER_MAX_ARTICLE_CHARS = 2_000  # lines of up to 8,000 bytes
    good = json.dumps({"title": "Harbour", "text": story("Harbour", "Ships came back to the harbour today.")})
    (tmp_path / "long.jsonl").write_bytes(b'{"text": "' + b"x" * 3_000_000 + b'"}\n' + good.encode() + b"\n")
    largest_read = []
    real_lines = article_files._lines

    def watched_lines(handle, limit):
        real_readline = handle.readline
        handle.readline = lambda size=-1: largest_read.append(size) or real_readline(size)
        return real_lines(handle, limit)

    monkeypatch.setattr(article_files, "_lines", watched_lines)
    with pytest.raises(CommandError, match="1 input"):
        call_command("import_articles", str(tmp_path / "long.jsonl"), "--no-progress", "--public")
    captured = capsys.readouterr()
    assert "long.jsonl:1: failed: the line is too long (3,000,013 bytes; the limit is 8,000)" in captured.err
    assert "Imported 1, skipped 0 (already in the library), failed 1." in captured.out
    assert 0 < max(largest_read) <= 1024 * 1024  # read in bounded pieces, never the whole line at once
