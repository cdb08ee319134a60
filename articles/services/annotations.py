"""Every write to one annotation goes through here: check the input, anchor the passage, store in one
transaction; and finding annotations again after their article's text changed.

Imports of annotation files are in `annotation_imports.py`, background jobs in `annotation_jobs.py`. The limits
below are stated in the README and shown by the forms.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import anchoring
from ..models import Annotation, AnnotationJob, Article
from ..queues import enqueue_on_commit

PASSAGE_MAX_CHARS = 10_000
NOTE_MAX_CHARS = 10_000
TAGS_MAX = 10
TAG_MAX_CHARS = 40
# Edits that leave more annotations than this to find again run in the background (an AnnotationJob) with
# their progress shown; smaller ones at once.
REANCHOR_NOW_MAX = 25

# Script has no business in a Markdown note; it would render inert, but refusing it says so at once.
_SCRIPT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style)\b|\b(javascript|vbscript)\s*:|<[^>]*[\s/]on\w+\s*=",
    re.IGNORECASE,
)
_TAG_CHARS = re.compile(r"^[\w][\w .'&+#/-]*$")


class AnnotationRejected(ValueError):
    """Input that cannot become an annotation; the message is written for the person who sent it."""


def require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to annotate.")


def _require_owner(annotation: Annotation, user) -> None:
    require_user(user)
    if annotation.user_id != user.pk:
        raise PermissionDenied("Only the person who wrote an annotation can change it.")


def plain_line_breaks(text: str) -> str:
    """A form sends line breaks as CRLF; stored text (articles, notes) only ever holds \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Code in a note (`<script>` in backquotes, a fenced block) is shown as text, escaped: it is not script.
_FENCED_CODE = re.compile(
    r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def _outside_code(note: str) -> str:
    return _CODE_SPAN.sub("", _FENCED_CODE.sub("", note))


def clean_note(note: str) -> str:
    # A NUL is stored as the replacement character a browser shows for it anyway: PostgreSQL holds no NUL.
    note = plain_line_breaks(note or "").replace("\x00", "\ufffd").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise AnnotationRejected(
            f"The note is too long: {len(note):,} characters, and the limit is {NOTE_MAX_CHARS:,}."
        )
    if _SCRIPT.search(_outside_code(note)):
        raise AnnotationRejected(
            "The note contains script (a <script> tag, a javascript: link or an event handler). "
            "Notes are Markdown: write the text and links (http, https or mailto) without code."
        )
    return note


def clean_tags(tags: str | list[str] | tuple[str, ...] = ()) -> list[str]:
    """Tags from a comma-separated string or a list: trimmed, single-spaced, without repeats."""
    raw = tags.split(",") if isinstance(tags, str) else list(tags)
    cleaned: list[str] = []
    for tag in raw:
        tag = " ".join(str(tag).split()).lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_MAX_CHARS:
            raise AnnotationRejected(
                f"The tag “{tag[:50]}” is too long: the limit is {TAG_MAX_CHARS} characters."
            )
        if not _TAG_CHARS.match(tag):
            raise AnnotationRejected(
                f"The tag “{tag}” has characters tags cannot hold: use letters, digits, spaces and . ' & + # / -"
            )
        if tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise AnnotationRejected(f"Too many tags: {len(cleaned)}, and the limit is {TAGS_MAX}.")
    return cleaned


def clean_colour(colour: str) -> str:
    colour = (colour or Annotation.Colour.YELLOW).strip().lower()
    if colour not in Annotation.Colour.values:
        raise AnnotationRejected(
            f"Unknown colour “{colour}”: choose one of {', '.join(Annotation.Colour.values)}."
        )
    return colour


def clean_visibility(visibility: str) -> str:
    visibility = (visibility or Annotation.Visibility.PRIVATE).strip().lower()
    if visibility not in Annotation.Visibility.values:
        raise AnnotationRejected("Visibility must be private (only me) or public (anyone with the link).")
    return visibility


def locate_passage(*, article: Article, exact: str) -> tuple[int, int]:
    """Offsets of a passage typed or pasted without a selection (the form that works without JavaScript)."""
    if not exact.strip():
        raise AnnotationRejected("The selection is empty: select (or paste) some words of the article.")
    found = anchoring.find_all(article.text, exact)
    if not found:
        raise AnnotationRejected(
            "That passage is not in the article: paste it exactly as it appears (one paragraph at most)."
        )
    if len(found) > 1:
        raise AnnotationRejected(
            f"That passage appears {len(found)} times in the article: add a few words around it."
        )
    return found[0], found[0] + len(exact)


def check_passage(*, article: Article, start: int, end: int, exact: str) -> None:
    text = article.text
    if not exact or not exact.strip():
        raise AnnotationRejected("The selection is empty: select some words of the article first.")
    if not (0 <= start < end <= len(text)):
        raise AnnotationRejected(
            f"The selection ({start}–{end}) is outside the article, which has {len(text):,} characters."
        )
    if end - start > PASSAGE_MAX_CHARS:
        raise AnnotationRejected(
            f"The passage is too long: {end - start:,} characters, and the limit is {PASSAGE_MAX_CHARS:,}."
        )
    if text[start:end] != exact:
        raise AnnotationRejected(
            "The selected text does not match the article at those offsets (has the article changed?). "
            "Reload the page and select the passage again."
        )


def annotation_create(
    *,
    user,
    article: Article,
    start: int | None,
    end: int | None,
    exact: str,
    note: str = "",
    colour: str = Annotation.Colour.YELLOW,
    tags: str | list[str] | tuple[str, ...] = (),
    visibility: str = Annotation.Visibility.PRIVATE,
) -> Annotation:
    """Store a highlight (with an optional note); raise AnnotationRejected, storing nothing, on bad input."""
    require_user(user)
    if start is None or end is None:
        start, end = locate_passage(article=article, exact=exact)
    check_passage(article=article, start=start, end=end, exact=exact)
    fields = {
        "note": clean_note(note),
        "colour": clean_colour(colour),
        "tags": clean_tags(tags),
        "visibility": clean_visibility(visibility),
    }
    with transaction.atomic():
        # The text read again inside the write transaction (IMMEDIATE on SQLite, so no edit commits between
        # this read and the insert): an edit since the reader's page was loaded moves or removes the passage.
        text = Article.objects.select_for_update().values_list("text", flat=True).get(pk=article.pk)
        if text != article.text:
            start, end = _passage_after_edit(
                text,
                anchoring.quote_selector(article.text, start, end),
                anchoring.TextPositionSelector(start, end),
            )
            article.refresh_from_db()
        quote = anchoring.quote_selector(text, start, end)
        return Annotation.objects.create(
            article=article,
            user=user,
            start=start,
            end=end,
            exact=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            **fields,
        )


def _passage_after_edit(
    text: str, selected: anchoring.TextQuoteSelector, position: anchoring.TextPositionSelector
) -> tuple[int, int]:
    """Where a passage selected in the text before an edit is in the edited `text`, as re-anchoring
    would place an annotation made a moment earlier; refused when it is gone."""
    found = anchoring.anchor(text, selected, position)
    if found is None:
        raise AnnotationRejected(
            "The article was edited while you were reading it, and the passage you selected is no longer "
            "in it. Reload the page and select it again."
        )
    return found.start, found.end


def annotation_update(
    *,
    annotation: Annotation,
    user,
    note: str,
    colour: str,
    tags: str | list[str] | tuple[str, ...],
    visibility: str,
) -> Annotation:
    _require_owner(annotation, user)
    annotation.note = clean_note(note)
    annotation.colour = clean_colour(colour)
    annotation.tags = clean_tags(tags)
    annotation.visibility = clean_visibility(visibility)
    with transaction.atomic():
        annotation.save(update_fields=["note", "colour", "tags", "visibility", "updated"])
    return annotation


# What an annotation is made of, kept when it is deleted so that Undo can put it back as it was.
KEPT_FIELDS = (
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "orphaned",
    "note",
    "colour",
    "tags",
    "visibility",
)


def annotation_delete(*, annotation: Annotation, user) -> dict:
    """Delete the reader's own annotation; return what `annotation_restore` needs to bring it back (Undo):
    plain JSON data, to be kept where only this reader can reach it (their session)."""
    _require_owner(annotation, user)
    kept = {
        "id": annotation.pk,
        "article": annotation.article_id,
        # Names the article itself: SQLite may give a deleted article's id to the next one.
        "article_created": annotation.article.created.isoformat(),
        "user": annotation.user_id,
        "created": annotation.created.isoformat(),
        **{name: getattr(annotation, name) for name in KEPT_FIELDS},
    }
    with transaction.atomic():
        annotation.delete()
    return kept


def annotation_restore(*, user, kept: dict) -> Annotation:
    """Undo a delete: the annotation back under its old id (so links to it work again) with its passage, note,
    colour, tags and visibility. If the article's text changed since, the passage is found again, or the
    annotation comes back as an orphan; it is never dropped. Refused when the article is gone."""
    require_user(user)
    if kept.get("user") != user.pk:
        raise PermissionDenied("Only the person who wrote an annotation can bring it back.")
    fields = {name: kept[name] for name in KEPT_FIELDS}
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(pk=kept["article"])
            .values_list("text", "created")
            .first()
        )
        if article is None or article[1].isoformat() != kept["article_created"]:
            raise AnnotationRejected(
                "The article this annotation was on has been deleted, so it cannot come back."
            )
        text = article[0]
        already = Annotation.objects.filter(pk=kept["id"]).first()
        if already is not None:
            if already.user_id != user.pk:
                raise AnnotationRejected("This annotation cannot be brought back.")
            return already  # undone twice (two tabs, a double click): it is back once
        start, end = fields["start"], fields["end"]
        if not fields["orphaned"] and text[start:end] != fields["exact"]:
            found = anchoring.anchor(
                text,
                anchoring.TextQuoteSelector(fields["exact"], fields["prefix"], fields["suffix"]),
                anchoring.TextPositionSelector(start, end),
            )
            if found is None:
                fields["orphaned"] = True
            else:
                quote = anchoring.quote_selector(text, found.start, found.end)
                fields.update(start=found.start, end=found.end, prefix=quote.prefix, suffix=quote.suffix)
        annotation = Annotation(pk=kept["id"], article_id=kept["article"], user=user, **fields)
        annotation.save(force_insert=True)
        # Its first date stays (auto_now_add set it to now on the insert).
        created = datetime.datetime.fromisoformat(kept["created"])
        Annotation.objects.filter(pk=annotation.pk).update(created=created)
        annotation.created = created
    return annotation


@dataclass
class ReanchorReport:
    methods: dict[str, int] = field(default_factory=dict)
    orphaned: int = 0

    @property
    def total(self) -> int:
        return sum(self.methods.values()) + self.orphaned


def annotations_reanchor(*, article: Article, old_text: str | None = None) -> ReanchorReport:
    """Find every annotation of `article` again in its current text; those that cannot be placed are orphaned.

    Nothing is deleted: an orphan keeps its quote (and its last offsets) and is tried again on the next change.
    The run shares one anchoring budget: once it is spent, an annotation not at its old place is orphaned.
    """
    report, budget = ReanchorReport(), anchoring.Budget()
    if old_text is not None and old_text == article.text:
        return report
    text = article.text
    changed = []
    with transaction.atomic():
        for annotation in Annotation.objects.select_for_update().filter(article=article):
            quote = anchoring.TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
            position = anchoring.TextPositionSelector(annotation.start, annotation.end)
            found = anchoring.anchor(text, quote, position, budget)
            if found is None:
                report.orphaned += 1
                if not annotation.orphaned:
                    annotation.orphaned = True
                    changed.append(annotation)
                continue
            report.methods[found.method] = report.methods.get(found.method, 0) + 1
            fresh = anchoring.quote_selector(text, found.start, found.end)
            annotation.start, annotation.end = found.start, found.end
            annotation.exact, annotation.prefix, annotation.suffix = fresh.exact, fresh.prefix, fresh.suffix
            annotation.orphaned = False
            changed.append(annotation)
        touch(changed)
        Annotation.objects.bulk_update(changed, PLACE_FIELDS, batch_size=100)
    return report


# What placing an annotation again changes; `updated` too, so cached pages that show it are not served.
PLACE_FIELDS = ["start", "end", "exact", "prefix", "suffix", "orphaned", "updated"]


def touch(annotations: list[Annotation]) -> None:
    now = timezone.now()
    for annotation in annotations:
        annotation.updated = now


def place_again(annotation: Annotation, text: str, budget: anchoring.Budget) -> bool:
    """Find `annotation` in `text` and move it there (unsaved); False, and unchanged, when it cannot be placed."""
    quote = anchoring.TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
    position = anchoring.TextPositionSelector(annotation.start, annotation.end)
    found = anchoring.anchor(text, quote, position, budget)
    if found is None:
        return False
    fresh = anchoring.quote_selector(text, found.start, found.end)
    annotation.start, annotation.end = found.start, found.end
    annotation.exact, annotation.prefix, annotation.suffix = fresh.exact, fresh.prefix, fresh.suffix
    annotation.orphaned = False
    return True


def annotations_reanchor_after_edit(
    *, article: Article, old_text: str, by=None
) -> ReanchorReport | AnnotationJob | None:
    """After `article`'s text changed (inside the edit's transaction): a few annotations are re-anchored now;
    with more, those still at their old offsets stay, the rest wait as orphans (kept, listed as such) for a
    background job that places them and shows its progress to `by` and to staff. None when nothing moved."""
    if Annotation.objects.filter(article=article).count() <= REANCHOR_NOW_MAX:
        return annotations_reanchor(article=article, old_text=old_text)
    text, placed, orphaned, waiting = article.text, [], [], 0
    rows = Annotation.objects.select_for_update().filter(article=article)
    for annotation in rows.only("pk", "start", "end", "exact", "prefix", "suffix", "orphaned"):
        if text.startswith(annotation.exact, annotation.start):  # unmoved: costs nothing to check
            fresh = anchoring.quote_selector(text, annotation.start, annotation.start + len(annotation.exact))
            before = (annotation.end, annotation.prefix, annotation.suffix, annotation.orphaned)
            annotation.end = annotation.start + len(annotation.exact)
            annotation.prefix, annotation.suffix, annotation.orphaned = fresh.prefix, fresh.suffix, False
            if before != (annotation.end, annotation.prefix, annotation.suffix, False):
                placed.append(annotation)
            continue
        waiting += 1
        if not annotation.orphaned:
            orphaned.append(annotation.pk)
    touch(placed)
    Annotation.objects.bulk_update(placed, PLACE_FIELDS, batch_size=100)
    for at in range(0, len(orphaned), 500):  # one UPDATE per few hundred, however many there are
        Annotation.objects.filter(pk__in=orphaned[at : at + 500]).update(
            orphaned=True, updated=timezone.now()
        )
    if not waiting:
        return None
    job = AnnotationJob.objects.create(
        kind=AnnotationJob.Kind.REANCHOR,
        article=article,
        owner=by if by is not None and by.is_authenticated else None,
        total=waiting,
        text_hash=article.content_hash,
    )
    annotation_job_queue(job)
    return job


def annotation_job_queue(job: AnnotationJob) -> None:
    """Hand a stored job to the task worker, once the transaction that stored it commits."""
    enqueue_on_commit("run_annotation_job", job.pk)
