"""A reader's whole notebook in one file and back: Markdown (grouped by article) and W3C Web Annotation
JSON-LD (one AnnotationCollection). Reading a file back finds, for each annotation, the article it belongs
to: by its address on this site, else by the article's own web address. Nothing here writes."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from .web_annotation import (
    W3C_CONTEXT,
    ImportRejected,
    annotation_markdown_body,
    inert_markdown,
    web_annotation,
)

COLOURS = ("yellow", "green", "blue", "pink", "purple")


def _articles_in_order(annotations) -> list:
    """The articles of `annotations` (newest annotation first), each once, in the order first met."""
    seen: dict[int, object] = {}
    for annotation in annotations:
        seen.setdefault(annotation.article_id, annotation.article)
    return list(seen.values())


def export_notebook_markdown(user, annotations, base_url: str, today: datetime.date) -> str:
    """Every annotation, grouped under its article: heading, links, quote, note, tags."""
    annotations = list(annotations)
    articles = _articles_in_order(annotations)
    out = [
        f"# Notebook of {user.get_username()}",
        "",
        (
            f"Exported {today.isoformat()} from <{base_url}{reverse('articles:notebook')}>: "
            f"{len(annotations)} annotation{'s' if len(annotations) != 1 else ''} "
            f"on {len(articles)} article{'s' if len(articles) != 1 else ''}."
        ),
        "",
    ]
    for article in articles:
        title = inert_markdown(" ".join(article.title.split()))
        out += [f"## {title}", "", f"<{base_url}{article.get_absolute_url()}>", ""]
        if article.url:
            out += [f"Original: <{article.url}>", ""]
        for annotation in (a for a in annotations if a.article_id == article.pk):
            heading = f"### {annotation.colour_name} highlight ({annotation.visibility})"
            if annotation.orphaned:
                heading += ", orphaned: the passage is no longer in the text"
            out += [heading, ""] + annotation_markdown_body(annotation, base_url)
    return "\n".join(out)


def export_notebook_jsonld(user, annotations, base_url: str) -> dict:
    """One AnnotationCollection with every annotation; each target names the article here and, as `scope`,
    the article's own web address when it has one."""
    url = base_url + reverse("articles:notebook_export", args=["jsonld"])
    items = []
    for annotation in annotations:
        item = web_annotation(annotation, base_url)
        if annotation.article.url:
            item["target"]["scope"] = annotation.article.url
        item["target"]["title"] = annotation.article.title
        items.append(item)
    return {
        "@context": W3C_CONTEXT,
        "id": url,
        "type": "AnnotationCollection",
        "label": f"Notebook of {user.get_username()}",
        "total": len(items),
        "first": {"id": url + "#page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


@dataclass
class ArticleRef:
    """Where a file says an annotation belongs: this site's article address, and/or the article's own."""

    site_url: str = ""
    web_url: str = ""
    title: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.site_url, self.web_url)


@dataclass
class NotebookGroup:
    """The annotations of one article, as W3C Web Annotations the article import reads."""

    ref: ArticleRef
    items: list[dict] = field(default_factory=list)


def article_pk_from(url: str, host: str) -> int | None:
    """The article id of one of this site's article addresses (another site's address names none)."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != host:
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name != "articles:detail":
        return None
    return match.kwargs.get("pk")


def _grouped(items: list[tuple[ArticleRef, dict]]) -> list[NotebookGroup]:
    groups: dict[tuple[str, str], NotebookGroup] = {}
    for ref, item in items:
        groups.setdefault(ref.key, NotebookGroup(ref)).items.append(item)
    return list(groups.values())


def parse_notebook_jsonld(raw: bytes | str) -> list[NotebookGroup]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRejected(f"That is not JSON ({error}).") from None
    except RecursionError:
        raise ImportRejected("That JSON is nested too deeply to be Web Annotations.") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        items = first.get("items") if isinstance(first, dict) else data.get("items")
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items = data.get("items")
    elif isinstance(data, dict) and data.get("type") == "Annotation":
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ImportRejected("Expected a W3C Web Annotation file: an AnnotationCollection, a page or a list.")
    if not isinstance(items, list) or not items:
        raise ImportRejected("The file holds no annotations.")
    found = []
    for number, item in enumerate(items, 1):
        target = item.get("target") if isinstance(item, dict) else None
        target = target[0] if isinstance(target, list) and target else target
        if not isinstance(target, dict):
            raise ImportRejected(f"Annotation {number} has no target naming its article.")
        source, scope = target.get("source"), target.get("scope")
        ref = ArticleRef(
            site_url=source if isinstance(source, str) else "",
            web_url=scope if isinstance(scope, str) else "",
            title=target.get("title") if isinstance(target.get("title"), str) else "",
        )
        if not (ref.site_url or ref.web_url):
            raise ImportRejected(
                f"Annotation {number} does not say which article it belongs to (target source)."
            )
        found.append((ref, item))
    return _grouped(found)


_ARTICLE = re.compile(r"^## (.+)$")
_LINK = re.compile(r"^<(https?://[^>\s]+)>$")
_ORIGINAL = re.compile(r"^Original: <(https?://[^>\s]+)>$")
_HIGHLIGHT = re.compile(r"^### (\w+) highlight\b", re.IGNORECASE)
_TAGS = re.compile(r"^Tags: (.+)$")
_ANNOTATION_LINK = re.compile(r"^Link: <[^>]*>$")


def parse_notebook_markdown(text: str) -> list[NotebookGroup]:
    """The notebook Markdown export read back: `## Title`, the article's `<address>`, then for each
    highlight `### Colour highlight`, the quoted passage (`> ` lines), the note, `Tags: #a, #b`."""
    found: list[tuple[ArticleRef, dict]] = []
    ref: ArticleRef | None = None
    current: dict | None = None

    def finish() -> None:
        if current is None:
            return
        exact = "\n".join(current["quote"]).strip("\n")
        if not exact.strip():
            raise ImportRejected(
                f"The highlight under “{current['heading']}” has no quoted passage (“> ” lines)."
            )
        note = "\n".join(current["note"]).strip()
        body = (
            [{"type": "TextualBody", "value": note, "format": "text/markdown", "purpose": "commenting"}]
            if note
            else []
        )
        body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in current["tags"]]
        item = {
            "type": "Annotation",
            "target": {
                "source": current["ref"].site_url,
                "styleClass": current["colour"],
                "selector": [{"type": "TextQuoteSelector", "exact": exact}],
            },
        }
        if body:
            item["body"] = body
        found.append((current["ref"], item))

    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if match := _ARTICLE.match(line):
            finish()
            current = None
            ref = ArticleRef(title=match.group(1).strip())
            continue
        if match := _HIGHLIGHT.match(line):
            finish()
            if ref is None or not (ref.site_url or ref.web_url):
                raise ImportRejected(
                    f"Line {number}: a highlight before its article's heading (## Title) and address (<https://...>)."
                )
            colour = match.group(1).lower()
            current = {
                "ref": ref,
                "heading": line[4:].strip(),
                "colour": colour if colour in COLOURS else "yellow",
                "quote": [],
                "note": [],
                "tags": [],
            }
            continue
        if current is None:
            if ref is not None and (match := _LINK.match(line.strip())) and not ref.site_url:
                ref.site_url = match.group(1)
            elif ref is not None and (match := _ORIGINAL.match(line.strip())):
                ref.web_url = match.group(1)
            continue
        if line.startswith(">"):
            current["quote"].append(line[2:] if line.startswith("> ") else line[1:])
        elif match := _TAGS.match(line):
            current["tags"] += [tag.strip().lstrip("#") for tag in match.group(1).split(",") if tag.strip()]
        elif _ANNOTATION_LINK.match(line.strip()):
            continue
        else:
            current["note"].append(line)
    finish()
    if not found:
        raise ImportRejected(
            "No highlights found: a notebook in Markdown has “## Title”, the article's <address>, then "
            "“### Yellow highlight” and the passage as “> ” lines under it."
        )
    return _grouped(found)
