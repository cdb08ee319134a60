"""Readers' corrections as gold for the attribution scorer: each corrected article's text, and its
attributions as the readers left them, in the PolNeAR layout `../shared/eval/score_attributions.py` reads
(`text/<doc>.txt`, `attributions/<doc>_<annotator>.ann` in brat standoff, offsets into the text)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..models import Article, Correction
from .web_annotation import who_said_what

ANNOTATOR = "readers"


@dataclass(frozen=True)
class GoldDocument:
    name: str  # the document's name in the corpus: article-<id>
    text: str
    ann: str  # brat standoff: Source, Cue, Content and Attribution spans, one event per attribution
    attributions: int


def corrected_articles() -> Iterable[Article]:
    """Articles with a correction of what is said or by whom, in force: the readers' own reviewed articles."""
    corrected = Correction.objects.in_force().filter(kind__in=Correction.QUOTE_KINDS).values("article_id")
    return Article.objects.filter(pk__in=corrected, analysis_state=Article.Analysis.DONE).order_by("pk")


def _span_line(number: int, kind: str, text: str, spans: list[list[int]]) -> str:
    offsets = ";".join(f"{start} {end}" for start, end in spans)
    words = " ".join(text[start:end] for start, end in spans).replace("\n", " ")
    return f"T{number}\t{kind} {offsets}\t{words}"


def gold_document(article: Article) -> GoldDocument:
    """The article's attributions, corrections applied (they are in the stored rows). An attribution keeps its
    speaker as the text names them (Source); a speaker typed by a reader whom the text never names has no
    Source span, so the scorer can only count such a prediction wrong."""
    text, lines, number = article.text, [], 0
    attributions = who_said_what(article)["attributions"]
    for event, said in enumerate(attributions, 1):
        roles = []
        for role, spans in (
            (
                "Source",
                [[said["speaker_start"], said["speaker_end"]]] if said["speaker_start"] is not None else [],
            ),
            ("Cue", said["cue"]),
            ("Content", said["content"]),
        ):
            if spans:
                number += 1
                lines.append(_span_line(number, role, text, spans))
                roles.append(f"{role}:T{number}")
        number += 1
        anchor = said["cue"] or said["content"]
        lines.append(_span_line(number, "Attribution", text, anchor))
        lines.append(f"E{event}\tAttribution:T{number} " + " ".join(roles))
    ann = "\n".join(lines) + ("\n" if lines else "")
    return GoldDocument(f"article-{article.pk}", text, ann, len(attributions))


def gold_documents(articles: Iterable[Article] | None = None) -> Iterator[GoldDocument]:
    for article in corrected_articles() if articles is None else articles:
        yield gold_document(article)
