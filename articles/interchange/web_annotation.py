"""Annotations in and out as bytes: Markdown and W3C Web Annotation JSON-LD exports, JSON-LD (and Hypothesis
API rows) imports, and the `#:~:text=` fragments share links carry. Nothing here writes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import quote as url_quote

from django.conf import settings
from django.urls import reverse

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# A fragment names a passage up to this long whole, a longer one by its first and last few words.
FRAGMENT_WHOLE_CHARS = 80
FRAGMENT_EDGE_WORDS = 5
# At most this many words either side of a passage found more than once.
FRAGMENT_CONTEXT_WORDS = 6
_WORD = re.compile(r"\S+")
# Markdown viewers show raw HTML as HTML: a "<" that opens a tag (<svg/onload=...>, </a>), a comment or a
# declaration (<!...>, <?...>) is escaped in an export so it shows as text. Autolinks (<https://...>,
# <name@host>) open no tag and stay links; code (fenced blocks, `spans`) shows as text already and is kept.
_RAW_HTML_START = re.compile(r"<(?=[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|/[A-Za-z]|[!?])", re.MULTILINE)
_MARKDOWN_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)


def _fragment_term(term: str) -> str:
    # "-", "," and "&" are the directive's own syntax (prefix-, ,-suffix, separators): percent-encode them too.
    return url_quote(term, safe="").replace("-", "%2D")


def _context_words(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The words before `start` and after `end` on the same line (a fragment's context may not cross a block),
    as literal slices of the text: each prefix ends at `start`, each suffix begins at `end`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    # Only the nearest few are wanted: the others are never sliced (a 200,000-character line has 30,000).
    starts = [m.start() for m in _WORD.finditer(text, line_start, start)][-FRAGMENT_CONTEXT_WORDS:]
    ends = [m.end() for m in islice(_WORD.finditer(text, end, line_end), FRAGMENT_CONTEXT_WORDS)]
    before = [text[at:start] for at in reversed(starts)]
    after = [text[end:at] for at in ends]
    return before, after  # nearest first


def text_fragment(text: str, start: int, end: int) -> str:
    """A `#:~:text=` fragment that browsers highlight natively when our own script is not there.

    A fragment's start or end term must sit inside one block, so long or multi-paragraph passages are
    named by their first and last few words. A passage found more than once in the text also carries the
    words around it (`prefix-,` and `,-suffix`), as few as make it unique, so the link lands on this one.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    passage = text[start:end]
    if not passage:
        return ""
    lines = [line.strip() for line in passage.split("\n") if line.strip()]
    if len(lines) == 1 and len(passage) <= FRAGMENT_WHOLE_CHARS:
        terms = [passage]
        head = passage
    else:
        first_words = " ".join(lines[0].split()[:FRAGMENT_EDGE_WORDS])
        last_words = " ".join(lines[-1].split()[-FRAGMENT_EDGE_WORDS:])
        terms = [first_words, last_words]
        head = first_words
    prefix = suffix = ""
    if text.count(head) > 1:
        before, after = _context_words(text, start, end)
        for words in range(1, FRAGMENT_CONTEXT_WORDS + 1):
            prefix_text = before[min(words, len(before)) - 1] if before else ""
            suffix_text = after[min(words, len(after)) - 1] if after else ""
            prefix, suffix = prefix_text.strip(), suffix_text.strip()
            if text.count(prefix_text + text[start:end] + suffix_text) <= 1:
                break
    parts = [_fragment_term(term) for term in terms]
    if prefix:
        parts.insert(0, _fragment_term(prefix) + "-")
    if suffix:
        parts.append("-" + _fragment_term(suffix))
    return "#:~:text=" + ",".join(parts)


def inert_markdown(text: str) -> str:
    """`text` for a Markdown file, with no raw HTML left in it: each "<" that would open a tag, comment or
    declaration is backslash-escaped (Markdown shows "\\<" as "<"), outside code (shown as text anyway)."""
    if "<" not in text:
        return text  # most notes: nothing that could open a tag
    if "`" not in text and "~" not in text:
        return _RAW_HTML_START.sub(r"\\<", text)  # no code to keep as it is
    out, done = [], 0
    for code in _MARKDOWN_CODE.finditer(text):
        out += [_RAW_HTML_START.sub(r"\\<", text[done : code.start()]), code.group()]
        done = code.end()
    out.append(_RAW_HTML_START.sub(r"\\<", text[done:]))
    return "".join(out)


def who_said_what(article) -> dict:
    """The article's quotes and attributions as `analyze --format jsonl` and the attribution scorer
    (../shared/eval/score_attributions.py) read them: offsets into the article's text. "quotes" are the
    quotations the page marks; "attributions" every attributed statement once, quoted or reported."""
    quotes, attributions = [], []
    rows = list(article.quotes.order_by("start", "-end"))
    # A direct statement in several pieces ("“…,” she said, “…”") is its first quote's row, whose content holds
    # every piece; the later pieces keep rows of their own (the page marks each quote) but are not attributions
    # of their own.
    pieces = {
        tuple(span)
        for row in rows
        if row.is_quoted and len(row.content_spans) > 1
        for span in row.content_spans[1:]
    }
    for row in rows:
        speaker = row.speaker_name if row.kind == row.Kind.SPEECH and row.speaker_name else None
        if row.is_quoted:
            quotes.append(
                {
                    "start": row.start,
                    "end": row.end,
                    "text": row.text,
                    "speaker": speaker,
                    "speaker_start": row.speaker_start,
                    "speaker_end": row.speaker_end,
                    "cue": row.cue or None,
                }
            )
        later_piece = row.is_quoted and any(start < row.end and row.start < end for start, end in pieces)
        if speaker and not row.fragment and not later_piece:
            attributions.append(
                {
                    "content": [list(span) for span in row.content_spans],
                    "cue": [list(span) for span in row.cue_spans],
                    "kind": row.statement_kind,
                    "speaker": speaker,
                    "speaker_start": row.speaker_start,
                    "speaker_end": row.speaker_end,
                }
            )
    return {"quotes": quotes, "attributions": attributions}


def export_markdown(article, annotations, base_url: str) -> str:
    """The article's annotations as Markdown: quote, note, tags and link for each, in text order; then who
    said what, for reading and, in a JSON block, for tools."""
    article_url = base_url + article.get_absolute_url()
    out = [f"# Annotations: {inert_markdown(article.title)}", "", f"<{article_url}>", ""]
    if not annotations:
        out += ["No annotations.", ""]
    for annotation in annotations:
        heading = f"## {annotation.colour_name} highlight by {annotation.user.get_username()}"
        if annotation.orphaned:
            heading += " (orphaned: the passage is no longer in the text)"
        out += [heading, ""] + annotation_markdown_body(annotation, base_url)
    said = who_said_what(article)
    out += ["# Who said what", ""]
    kinds = {"direct": "quoted", "mixed": "partly quoted", "reported": "reported"}
    for item in said["attributions"]:
        content = " … ".join(article.text[start:end] for start, end in item["content"])
        out.append(
            f"- {inert_markdown(item['speaker'])} ({kinds[item['kind']]}): {inert_markdown(' '.join(content.split()))}"
        )
    if not said["attributions"]:
        out.append("Nobody is quoted or reported.")
    # Offsets into the article's text, in the attribution scorer's form.
    # A backtick is written as its JSON escape, so no speaker's name or text can close the code block early.
    out += ["", "```json", json.dumps(said, ensure_ascii=False).replace("`", "\\u0060"), "```", ""]
    return "\n".join(out)


def annotation_markdown_body(annotation, base_url: str) -> list[str]:
    """An annotation's passage as a blockquote, then its note, tags and link: the lines under its heading."""
    out = ["> " + line if line else ">" for line in inert_markdown(annotation.exact).split("\n")]
    out.append("")
    if annotation.note.strip():
        out += [inert_markdown(annotation.note.strip()), ""]
    if annotation.tags:
        out += ["Tags: " + ", ".join(f"#{tag}" for tag in annotation.tags), ""]
    out += [f"Link: <{base_url}{annotation.get_absolute_url()}>", ""]
    return out


def web_annotation(annotation, base_url: str) -> dict:
    """One annotation in the W3C Web Annotation Data Model (JSON-LD)."""
    body = []
    if annotation.note.strip():
        body.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags]
    item = {
        "@context": W3C_CONTEXT,
        "id": base_url + annotation.get_absolute_url(),
        "type": "Annotation",
        "motivation": "commenting" if annotation.note.strip() else "highlighting",
        "created": annotation.created.isoformat(),
        "modified": annotation.updated.isoformat(),
        "creator": {"type": "Person", "nickname": annotation.user.get_username()},
        "target": {
            "source": base_url + annotation.article.get_absolute_url(),
            "styleClass": annotation.colour,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.exact,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                },
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
            ],
        },
    }
    if body:
        item["body"] = body
    return item


def export_web_annotations(article, annotations, base_url: str) -> dict:
    """An AnnotationCollection holding one AnnotationPage with every annotation."""
    url = base_url + reverse("articles:annotations_export", args=[article.pk, "jsonld"])
    return {
        "@context": W3C_CONTEXT,
        "id": url,
        "type": "AnnotationCollection",
        "label": f"Annotations on “{article.title}”",
        "total": len(annotations),
        **who_said_what(article),
        "first": {
            "id": url + "#page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [web_annotation(a, base_url) for a in annotations],
        },
    }


class ImportRejected(ValueError):
    """A file that is not Web Annotation JSON we can read; the message is for the person who sent it."""


@dataclass(frozen=True)
class ImportedAnnotation:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    note: str = ""
    tags: tuple[str, ...] = field(default=())
    colour: str = ""


def parse_web_annotations(raw: bytes | str) -> list[ImportedAnnotation]:
    """Annotations from W3C JSON-LD: one Annotation, a list, an AnnotationPage or an AnnotationCollection."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRejected(f"That is not JSON ({error}).") from None
    except RecursionError:
        raise ImportRejected("That JSON is nested too deeply to be Web Annotations.") from None
    items = _items_of(data)
    if not items:
        raise ImportRejected("The file holds no annotations.")
    return [_parse_one(item, number) for number, item in enumerate(items, 1)]


def _items_of(data) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("rows"), list):  # a Hypothesis search result
        return data["rows"]
    if not isinstance(data, dict):
        raise ImportRejected("Expected a JSON object or list of Web Annotations.")
    kind = data.get("type")
    if kind == "Annotation":
        return [data]
    if kind == "AnnotationPage":
        return list(data.get("items") or [])
    if kind == "AnnotationCollection":
        first = data.get("first")
        if isinstance(first, dict):
            return list(first.get("items") or [])
        return list(data.get("items") or [])
    raise ImportRejected(
        "Expected a Web Annotation (type Annotation, AnnotationPage or AnnotationCollection); "
        f"found type {kind!r}."
    )


def _parse_one(item, number: int) -> ImportedAnnotation:
    where = f"Annotation {number}"
    # Hypothesis's API rows carry the same selectors without a type, with the note in "text".
    hypothesis_row = isinstance(item, dict) and "type" not in item and "target" in item
    if not isinstance(item, dict) or (item.get("type") != "Annotation" and not hypothesis_row):
        raise ImportRejected(f"{where} is not of type Annotation.")
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    if not isinstance(target, dict):
        raise ImportRejected(f"{where} has no target with selectors.")
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
        raise ImportRejected(f"{where} has no TextQuoteSelector with the quoted text.")
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), {}
    )
    start, end = position.get("start"), position.get("end")
    if not (type(start) is int and type(end) is int):  # not bool, which is an int too
        start = end = None
    elif not 0 <= start <= end <= settings.NEWSREADER_MAX_ARTICLE_CHARS:
        raise ImportRejected(
            f"{where} has a TextPositionSelector ({start}–{end}) that is not a place in any article: start "
            f"and end must be from 0 to {settings.NEWSREADER_MAX_ARTICLE_CHARS:,}, start first."
        )
    notes, tags = [], []
    if hypothesis_row:
        notes += [item["text"]] if isinstance(item.get("text"), str) and item["text"].strip() else []
        tags += [tag for tag in item.get("tags") or [] if isinstance(tag, str)]
    bodies = item.get("body") or []
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, str):
            notes.append(body)
        elif isinstance(body, dict) and isinstance(body.get("value"), str):
            (tags if body.get("purpose") == "tagging" else notes).append(body["value"])
    return ImportedAnnotation(
        exact=quote["exact"],
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        start=start,
        end=end,
        note="\n\n".join(notes),
        tags=tuple(tags),
        colour=str(target.get("styleClass") or ""),
    )
