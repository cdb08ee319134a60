"""Article files in: plain text, HTML pages and JSON lines, read into ArticleInput.

Each reader yields ArticleInput (an article's text and metadata) or ImportFailure (which input, and why) and
never raises for bad input, so one bad file or line is reported and the rest carry on. Nothing here writes.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin

from django.conf import settings

from .page_images import ImagePlacer, ImageRef, image_line
from .page_kind import front_page_reasons

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
# A news page is rarely over a few megabytes of HTML; anything larger is refused before it is read.
# Extraction runs in the request that brings a page (an upload, an address), so what it reads is bounded: the
# bytes (as a fetched page's) and the elements, which its time grows with (163,000 links took 50 s and more).
MAX_HTML_BYTES = 5 * 1024 * 1024
MAX_HTML_ELEMENTS = 20_000
MIN_ARTICLE_CHARS = 80

# Bytes this far into a file are enough to tell text from a binary.
BINARY_SNIFF_BYTES = 8192


# A photo's credit inside its <figcaption>: an element named for it, or the words that introduce it.
_CREDIT_CLASS = re.compile(r"credit|copyright|attribution|photographer", re.IGNORECASE)
# "Credit", "Credit:", "Photo:", "Photograph by", "Image:" before the name.
_CREDIT_WORDS = r"(?:Credits?:?|(?:Photo(?:graph)?|Image|Picture)s?(?::|\s+by\b))"
_CREDIT_LABEL = re.compile(rf"^\s*{_CREDIT_WORDS}\s*", re.IGNORECASE)
_CREDIT_AFTER = re.compile(rf"^(?P<caption>.*[.!?”\"’)])\s*{_CREDIT_WORDS}\s*(?P<credit>\S.*)$")


def _words(text: str) -> str:
    return " ".join(text.split())


def caption_line(figcaption) -> str:
    """The line a photo's caption becomes in the plain-text form, "Caption: text Credit: name", which
    articles/nlp/parse.py reads as a caption (never a paragraph) and its credit; empty without a caption."""
    from copy import deepcopy

    figcaption = deepcopy(figcaption)
    credits = []
    for element in list(figcaption.iter()):
        if element is figcaption or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _CREDIT_CLASS.search(element.get("class") or "") or element.tag in ("small", "cite"):
            credits.append(_words(" ".join(element.itertext())))
            element.drop_tree()
    caption = _words(" ".join(figcaption.itertext()))
    credit = _words(" ".join(credits))
    if not credit:
        glued = _CREDIT_AFTER.match(caption)
        if glued:
            caption, credit = glued.group("caption"), glued.group("credit")
    credit = _CREDIT_LABEL.sub("", credit)
    if not caption:
        return ""
    return f"Caption: {caption}" + (f" Credit: {credit}" if credit else "")


class ArticleRejected(ValueError):
    """Input that cannot become an article; the message is written for the person who sent it."""


class ArticleDuplicate(ArticleRejected):
    """The article is already in the library (`existing`, when it is stored) or twice in one import."""

    def __init__(self, message: str, existing: object = None):
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True)
class ArticleInput:
    """One article as it arrives, before any check: its text and what the file or form says about it."""

    text: str
    title: str = ""
    source: str = ""
    published: datetime.date | None = None
    url: str = ""
    byline: str = ""
    # Where it came from (a file, a line of a file, a form), for messages.
    origin: str = ""
    # Why a web page looks like a site's front page rather than an article (empty when it looks like one).
    not_an_article: tuple[str, ...] = ()
    # A web page's photos, fetched and kept once the article is stored.
    images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True)
class ImportFailure:
    origin: str
    reason: str


Item = ArticleInput | ImportFailure


# The first bytes of files people upload by mistake, and what they are, so the refusal can name them.
FILE_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Excel document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)


def text_from_bytes(data: bytes) -> str:
    """Decode an uploaded file, refusing binaries and anything that is not UTF-8 text."""
    if not data.strip():
        raise ArticleRejected("The file is empty.")
    for signature, kind in FILE_SIGNATURES:
        if data.lstrip()[: len(signature)] == signature:
            raise ArticleRejected(
                f"That file is {kind}, a binary file, not text: save the article as plain text (.txt) or as "
                "a web page (.html) and upload that."
            )
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise ArticleRejected("That looks like a binary file, not text. Upload a plain-text (.txt) article.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleRejected(
            f"The file is not UTF-8 text (undecodable byte at position {error.start}). Save it as UTF-8 and try again."
        ) from None


def max_text_bytes() -> int:
    return 4 * settings.NEWSREADER_MAX_ARTICLE_CHARS


def parse_date(value: object) -> datetime.date | None:
    """A date from "2019-02-28", "2019-02-28T10:00:00Z" and the like; None when there is none."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("published must be a date written as YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"published is not a date (YYYY-MM-DD): {value[:40]!r}") from None


def paths_in(names: Iterable[str]) -> Iterator[tuple[Path, str | None]]:
    """Every importable file under the given files and folders, with an error for names that are neither."""
    for name in names:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for file in sorted(files):
                    child = Path(root) / file
                    if child.suffix.lower() in SUFFIXES:
                        yield child, None
        elif path.suffix.lower() not in SUFFIXES and path.exists():
            yield path, f"not an article file: use .txt, .html or .jsonl ({path.suffix or 'no suffix'})"
        else:
            yield path, None


def _too_large(size: int, limit: int) -> str:
    return f"the file is too large ({size:,} bytes; the limit is {limit:,} bytes)"


_NOT_REGULAR = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: only regular files are imported"


@contextmanager
def _regular_file(path: Path) -> Iterator[BinaryIO]:
    """`path` open for reading if it is a regular file. A symbolic link (which may lead to /etc/passwd), a
    named pipe (which would hold the import until something writes to it) or a device (/dev/urandom never
    ends) is refused with ArticleRejected. The file is opened without following a link and without waiting,
    and checked once open, so what is read is what was checked."""
    mode = path.lstat().st_mode
    if not stat.S_ISREG(mode):
        raise ArticleRejected(_not_regular(mode))
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):  # replaced by something else between the look and the open
            raise ArticleRejected(_not_regular(mode))
        os.set_blocking(descriptor, True)
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        yield handle


def _read(path: Path, limit: int) -> bytes:
    with _regular_file(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(limit + 1) if size <= limit else b""
        if size > limit or len(data) > limit:
            raise ArticleRejected(_too_large(max(size, len(data)), limit))
        return data


def html_candidate(data: bytes, origin: str, url: str = "") -> Item:
    """Article text and metadata from an HTML page, in the plain-text form the parser reads.

    The headline is the first line; photo captions are kept as their own lines, marked as captions
    ("Caption: ... Credit: Name", see caption_line), so they are neither paragraphs nor the summary.
    """
    import trafilatura
    from lxml import html as lxml_html

    if not data.strip():
        return ImportFailure(origin, "the file is empty")
    # Counted without parsing: every "<" that does not close an element opens one (or a comment, a doctype).
    elements = data.count(b"<") - data.count(b"</")
    if elements > MAX_HTML_ELEMENTS:
        return ImportFailure(
            origin,
            f"the page has about {elements:,} HTML elements, more than the {MAX_HTML_ELEMENTS:,} newsreader "
            "reads from one page",
        )
    try:
        document = trafilatura.bare_extraction(
            data,
            url=url or None,
            with_metadata=True,
            include_images=True,
            include_comments=False,
            include_tables=False,
        )
    except Exception as error:  # trafilatura raises assorted parser errors on broken markup
        return ImportFailure(origin, f"the HTML could not be read ({type(error).__name__})")
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(body) < MIN_ARTICLE_CHARS:
        return ImportFailure(origin, "no article text found in the HTML page")
    captions: dict[str, str] = {}
    tree = None
    try:
        try:
            data.decode("utf-8")
            # Read as trafilatura read it: lxml alone takes a page without a declared charset for Latin-1.
            tree = lxml_html.fromstring(data, parser=lxml_html.HTMLParser(encoding="utf-8"))
        except UnicodeDecodeError:
            tree = lxml_html.fromstring(data)
        for figure in tree.iter("figure"):
            figcaptions = figure.xpath(".//figcaption")
            caption = caption_line(figcaptions[0]) if figcaptions else ""
            images = [address for image in figure.iter("img") if (address := _image_address(image, url))]
            if caption and images:
                captions[images[0]] = caption
    except Exception:
        captions = {}
    title = " ".join((document.title or "").split())
    lines: list[str] = []
    placer = ImagePlacer()  # a page fetched by its address keeps its photos; a file's are not fetched
    for line in body.split("\n"):
        line = line.strip()
        if (image := image_line(line)) is not None:
            line = captions.get(image[1], "")
            if url:
                placer.image(*image, caption=line)
        if not line or (not lines and line == title):
            continue
        placer.line(line)
        lines.append(line)
    if not title:
        title, lines = lines[0], lines[1:]
    if not lines:
        return ImportFailure(origin, "no article text found in the HTML page")
    lead_alt = tree.xpath("string(//meta[@property='og:image:alt']/@content)") if tree is not None else ""
    images = placer.refs(
        lead_url=urljoin(url, document.image or "") if url and document.image else "",
        lead_alt=lead_alt,
        first_line=lines[0],
    )
    reasons = (
        front_page_reasons(tree, lines, page_type=document.pagetype or "", url=url)
        if tree is not None
        else ()
    )
    try:
        # A front page's date is guessed from its links' addresses (the walk's "1 Dec 2026" that appears
        # nowhere on the page): saved anyway, it stays undated.
        published = None if reasons else parse_date(document.date)
    except ValueError:
        published = None
    return ArticleInput(
        origin=origin,
        text="\n\n".join([title, *lines]),
        source=document.sitename or document.hostname or "",
        published=published,
        # The page's own canonical address (<link rel="canonical">, og:url) names it best; else where it was found.
        url=_web_address(document.url) or url,
        byline=" ".join((document.author or "").split()),
        not_an_article=reasons,
        images=images,
    )


def _image_address(image, page_url: str) -> str:
    """An image's address as trafilatura writes it into the text (`![](address)`): the same attribute it reads
    (data-src before src), made absolute against the page's address the way it does, so a figure whose
    `src` is relative still finds its caption."""
    from trafilatura.utils import image_src

    address = image_src(image) or ""
    if address and not address.startswith("http"):
        address = urljoin(page_url, address) if page_url else re.sub(r"^//", "http://", address)
    return address


def _web_address(url: str | None) -> str:
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def _txt(path: Path) -> Iterator[Item]:
    try:
        yield ArticleInput(origin=str(path), text=text_from_bytes(_read(path, max_text_bytes())))
    except OSError as error:
        yield ImportFailure(str(path), f"cannot read the file ({error.strerror or error})")
    except ArticleRejected as error:
        yield ImportFailure(str(path), str(error))


def _html(path: Path) -> Iterator[Item]:
    try:
        data = _read(path, MAX_HTML_BYTES)
    except OSError as error:
        yield ImportFailure(str(path), f"cannot read the file ({error.strerror or error})")
        return
    except ArticleRejected as error:
        yield ImportFailure(str(path), str(error))
        return
    yield html_candidate(data, str(path))


def jsonl_candidate(line: str, origin: str) -> Item:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return ImportFailure(origin, f"not JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return ImportFailure(origin, "JSON nested too deeply to be an article")
    except ValueError:  # an integer past Python's limit on digits (sys.get_int_max_str_digits)
        return ImportFailure(origin, "JSON with a number thousands of digits long, which no article needs")
    if not isinstance(record, dict):
        return ImportFailure(origin, "not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ImportFailure(origin, 'no "text" in the record')
    try:
        published = parse_date(record.get("published"))
    except ValueError as error:
        return ImportFailure(origin, str(error))
    fields = {name: record.get(name) or "" for name in ("title", "source", "url", "byline")}
    if not all(isinstance(value, str) for value in fields.values()):
        return ImportFailure(origin, "title, source, url and byline must be strings")
    return ArticleInput(origin=origin, text=text, published=published, **fields)


def _lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, length) for each line of `handle`; the line is None when it is longer than `limit`
    bytes, and then only its length is counted: no more than `limit` + 1 bytes of a line are ever held, so a
    file of one endless line cannot fill the memory."""
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) <= limit:
            yield number, raw, len(raw)
            continue
        length = len(raw)
        while not raw.endswith(b"\n") and (raw := handle.readline(1024 * 1024)):
            length += len(raw)
        yield number, None, length


def _jsonl(path: Path) -> Iterator[Item]:
    limit = max_text_bytes()
    try:
        with _regular_file(path) as handle:
            for number, raw, length in _lines(handle, limit):
                origin = f"{path}:{number}"
                if raw is None:
                    yield ImportFailure(
                        origin, f"the line is too long ({length:,} bytes; the limit is {limit:,})"
                    )
                    continue
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8-sig")
                except UnicodeDecodeError as error:
                    yield ImportFailure(
                        origin, f"not UTF-8 text (undecodable byte at position {error.start})"
                    )
                    continue
                yield jsonl_candidate(line, origin)
    except OSError as error:
        yield ImportFailure(str(path), f"cannot read the file ({error.strerror or error})")
    except ArticleRejected as error:
        yield ImportFailure(str(path), str(error))


READERS = {"txt": _txt, "html": _html, "jsonl": _jsonl}


def read_inputs(names: Iterable[str]) -> Iterator[Item]:
    """Candidates and failures from every file under `names`, in order."""
    for path, problem in paths_in(names):
        if problem:
            yield ImportFailure(str(path), problem)
            continue
        if not path.exists() and not path.is_symlink():
            yield ImportFailure(str(path), "no such file or folder")
            continue
        yield from READERS[SUFFIXES[path.suffix.lower()]](path)


def upload_input(name: str, data: bytes) -> ArticleInput:
    """An uploaded file (the "Add article" form) as an article; raise ArticleRejected with the reason."""
    if name.lower().endswith((".html", ".htm")):
        if len(data) > MAX_HTML_BYTES:
            raise ArticleRejected(_too_large(len(data), MAX_HTML_BYTES))
        item = html_candidate(data, name)
        if isinstance(item, ImportFailure):
            raise ArticleRejected(item.reason[:1].upper() + item.reason[1:] + ".")
        return item
    if name.lower().endswith(".jsonl"):
        return _single_jsonl(name, data)
    return ArticleInput(origin=name, text=text_from_bytes(data))


def _single_jsonl(name: str, data: bytes) -> ArticleInput:
    """A .jsonl upload holding one article (a line with "text", and "title", "source", ... if known)."""
    lines = [line for line in text_from_bytes(data).split("\n") if line.strip()]
    if len(lines) != 1:
        raise ArticleRejected(
            f"This .jsonl file holds {len(lines)} lines: the form adds one article at a time "
            "(`manage.py import_articles` reads a file of many)."
        )
    item = jsonl_candidate(lines[0], name)
    if isinstance(item, ImportFailure):
        raise ArticleRejected(f"The .jsonl line is {item.reason}.")
    return item


def upload_limit(name: str) -> int:
    return MAX_HTML_BYTES if name.lower().endswith((".html", ".htm")) else max_text_bytes()
