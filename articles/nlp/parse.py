"""Parse an article in the seed's plain-text form into typed blocks with offsets into the exact text.

Form: the first non-empty line is the headline; every other non-empty line is a block. A line glued to a
photo credit ("...on Thursday.CreditDoug Mills/The New York Times") is a caption plus its credit, and so is
a line an HTML page's figure became ("Caption: ... Credit: ..."); "Source: NYT" names the source,
"Published: 2019-02-28" its date, share-widget lines are boilerplate. Nothing is rewritten: the blocks
point into the text as given, so offsets stay valid for the original file.
"""

from __future__ import annotations

import datetime
import re

from .types import Block, ParsedArticle

# Share widgets and "Advertisement" are short lines; a longer line matching the pattern is prose.
BOILERPLATE_MAX_CHARS = 80
_LINE = re.compile(r"[^\r\n]+")
# "caption sentence.CreditName/Agency": the credit is glued right after the caption's final stop.
_CAPTION_CREDIT = re.compile(r"^(?P<caption>.*[.!?”\")])Credit:?\s*(?P<credit>\S.*?)\s*$")
# A photo caption taken from an HTML page's <figcaption> (articles/interchange/article_files.py), with the
# photo's credit when the page gives one. The "Caption:" label is not part of the caption.
_MARKED_CAPTION = re.compile(
    r"^Caption:[ \t]+(?P<caption>\S.*?)(?:[ \t]+Credit:[ \t]*(?P<credit>\S.*?))?[ \t]*$"
)
_SOURCE = re.compile(r"^\s*Source:\s*(?P<source>\S.*?)\s*$", re.IGNORECASE)
_PUBLISHED = re.compile(r"^\s*(?:Published|Date):\s*(?P<date>\S.*?)\s*$", re.IGNORECASE)
# The date forms a "Published:" line may take; anything else leaves the date unknown.
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def _date(value: str) -> datetime.date | None:
    value = " ".join(value.replace(".", " ").replace(",", ", ").split()).replace(" ,", ",")
    for form in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value[:10] if form == "%Y-%m-%d" else value, form).date()
        except ValueError:
            continue
    return None


_BOILERPLATE = re.compile(
    r"^\s*(please\s+)?(follow|like|share)\b.*\b(us|this)\b\s*:?\s*$"
    r"|^\s*(advertisement|supported by|share this( article)?|related coverage)\s*:?\s*$"
    r"|^\s*(read|see|continue reading) (the rest|more|the full story|the main story)\b.*$",
    re.IGNORECASE,
)
# "HANOI, Vietnam —" / "WASHINGTON —" / "LONDON (Reuters) -" at the head of the first paragraph.
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][A-Za-z.'’ -]+)?(?:\s*\([A-Za-z .]+\))?)\s+[—–-]{1,2}\s+"
)


def _stripped(match: re.Match[str]) -> tuple[int, int]:
    """Offsets of the line's text without surrounding white space."""
    line = match.group(0)
    left = len(line) - len(line.lstrip())
    right = len(line.rstrip())
    return match.start() + left, match.start() + right


def parse_article(text: str) -> ParsedArticle:
    blocks: list[Block] = []
    title = dateline = source = ""
    published: datetime.date | None = None
    for match in _LINE.finditer(text):
        start, end = _stripped(match)
        if start >= end:
            continue
        line = text[start:end]
        if not title:
            title = line
            blocks.append(Block("headline", start, end))
            continue
        source_match = _SOURCE.match(line)
        if source_match:
            source = source or source_match.group("source")
            blocks.append(Block("boilerplate", start, end))
            continue
        published_match = _PUBLISHED.match(line) if len(line) < BOILERPLATE_MAX_CHARS else None
        if published_match and _date(published_match.group("date")):
            published = published or _date(published_match.group("date"))
            blocks.append(Block("boilerplate", start, end))
            continue
        if len(line) < BOILERPLATE_MAX_CHARS and _BOILERPLATE.match(line):
            blocks.append(Block("boilerplate", start, end))
            continue
        marked = _MARKED_CAPTION.match(line)
        if marked:
            blocks.append(Block("caption", start + marked.start("caption"), start + marked.end("caption")))
            if marked.group("credit"):
                blocks.append(Block("credit", start + marked.start("credit"), start + marked.end("credit")))
            continue
        caption_match = _CAPTION_CREDIT.match(line)
        if caption_match:
            blocks.append(Block("caption", start, start + caption_match.end("caption")))
            credit = (start + caption_match.start("credit"), start + caption_match.end("credit"))
            blocks.append(Block("credit", *credit))
            continue
        if not dateline and not any(b.kind == "paragraph" for b in blocks):
            dateline_match = _DATELINE.match(line)
            if dateline_match:
                dateline = dateline_match.group("dateline").strip()
        blocks.append(Block("paragraph", start, end))
    return ParsedArticle(
        title=title, dateline=dateline, source=source, blocks=tuple(blocks), published=published
    )


# Credits and boilerplate carry no entities or quotes worth showing.
ANALYSED_KINDS = ("headline", "paragraph", "caption")


def analysed_blocks(parsed: ParsedArticle) -> tuple[Block, ...]:
    """The blocks the analysis reads, in text order."""
    return parsed.of_kind(*ANALYSED_KINDS)
