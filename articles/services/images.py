"""An article's photos: planned when the article is stored (a row for each, where it goes), then fetched by
the task worker through the same guarded fetch as pages (address checks, size, time and type limits),
re-encoded (`interchange/images.py`) and stored with Django's storage API. A broken, huge or hostile image is
skipped with a note in its place; it never fails the save. Readers' browsers only ever load our copy."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F

from ..fetching import FetchError, fetch
from ..interchange.page_images import ImageRef
from ..models import Article, ArticleImage, Block, fit
from ..nlp.types import Block as ParsedBlock
from ..queues import enqueue_on_commit

logger = logging.getLogger("newsreader.images")
STORAGE_FOLDER = "article-images"
# Before the article's analysis (a photo is a quick fetch); a feed's articles wait behind a reader's own.
IMAGES_PRIORITY = 20
FEED_PRIORITY_DROP = 50


def _offset(text: str, blocks: Iterable[ParsedBlock | Block], line: str, cursor: int) -> int:
    """Where an image tied to `line` goes: the start of the block holding that line (never the headline),
    else the end of the text (after the last block)."""
    at = text.find(line, cursor) if line else -1
    if at < 0 and line:
        at = text.find(line)
    if at < 0:
        return len(text)
    block = next((b for b in blocks if b.end > at and b.kind != Block.Kind.HEADLINE), None)
    return block.start if block is not None else len(text)


def _planned_rows(
    article: Article, blocks: Sequence[ParsedBlock | Block], refs: Iterable[ImageRef]
) -> list[ArticleImage]:
    """A pending row for each image, at its place in the article's text (not saved)."""
    rows, cursor = [], 0
    for position, ref in enumerate(refs):
        offset = _offset(article.text, blocks, ref.line, cursor)
        cursor = min(offset, len(article.text))
        rows.append(
            ArticleImage(
                article=article,
                position=position,
                offset=offset,
                source_url=ref.url,
                alt=fit(ArticleImage, "alt", ref.alt),
                lead=ref.lead,
            )
        )
    return rows


def images_plan(
    *, article: Article, blocks: tuple[ParsedBlock, ...], refs: Iterable[ImageRef], from_feed: bool = False
) -> int:
    """Inside the caller's transaction: a pending row for each image, at its place in the stored text, and
    the task that keeps them queued for when the transaction commits."""
    rows = _planned_rows(article, blocks, refs)
    if rows:
        ArticleImage.objects.bulk_create(rows)
        priority = IMAGES_PRIORITY - (FEED_PRIORITY_DROP if from_feed else 0)
        enqueue_on_commit("keep_article_images", article.pk, priority=priority)
    return len(rows)


def images_replan(*, article: Article, refs: Iterable[ImageRef]) -> int:
    """Inside the caller's transaction, once `article` holds a new version's text and blocks: its photos become
    the new version's, planned as `images_plan` does. A photo kept before under the same address keeps its
    file (it is not fetched again) and moves to its new place; one skipped before is tried again; the files of
    photos the new version no longer has go once the transaction commits. Returns how many are to fetch."""
    blocks = tuple(Block.objects.filter(article=article).order_by("position"))
    rows = _planned_rows(article, blocks, refs)
    before = {
        image.source_url: image for image in ArticleImage.objects.select_for_update().filter(article=article)
    }
    carried = set()
    for row in rows:
        old = before.get(row.source_url)
        if old is not None and old.state == ArticleImage.State.KEPT:
            row.state, row.file, row.content_type = old.state, old.file, old.content_type
            row.width, row.height = old.width, old.height
            carried.add(old.file)
    gone = [image.file for image in before.values() if image.file and image.file not in carried]
    # Made anew (positions are unique per article); a worker still busy with an old pending row finds it
    # gone and drops what it fetched.
    ArticleImage.objects.filter(article=article).delete()
    ArticleImage.objects.bulk_create(rows)
    if gone:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in gone])
    pending = sum(row.state == ArticleImage.State.PENDING for row in rows)
    if pending:
        enqueue_on_commit("keep_article_images", article.pk, priority=IMAGES_PRIORITY)
    return pending


def _note(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    return fit(ArticleImage, "note", f"The image was not kept: {reason[:1].lower()}{reason[1:]}.")


def _keep_one(image: ArticleImage) -> bool:
    """Fetch, clean and store one image; a refusal is written as its note. True when kept."""
    # Imported here: only the task worker decodes images, so web processes never load Pillow.
    from ..interchange.images import ImageRejected, clean_image

    try:
        fetched = fetch(image.source_url, kinds=("image",), max_bytes=settings.NEWSREADER_IMAGE_MAX_BYTES)
        clean = clean_image(fetched.body)
    except (FetchError, ImageRejected) as refused:
        ArticleImage.objects.filter(pk=image.pk).update(
            state=ArticleImage.State.SKIPPED, note=_note(str(refused))
        )
        logger.info("Image %s of article %s not kept: %s", image.source_url, image.article_id, refused)
        return False
    digest = hashlib.sha256(clean.data).hexdigest()[:24]
    name = default_storage.save(
        f"{STORAGE_FOLDER}/{image.article_id}/{digest}.{clean.extension}", ContentFile(clean.data)
    )
    with transaction.atomic():
        kept = ArticleImage.objects.filter(pk=image.pk, state=ArticleImage.State.PENDING).update(
            state=ArticleImage.State.KEPT,
            file=name,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
        )
    if not kept:  # the article was deleted (or the image kept by another worker) meanwhile
        default_storage.delete(name)
    return bool(kept)


def images_keep(*, article_id: int) -> str:
    """The task's work: every pending image of the article fetched and kept, or skipped with its note; then
    the article's revision moves on, so its cached page shows them."""
    pending = list(ArticleImage.objects.filter(article_id=article_id, state=ArticleImage.State.PENDING))
    kept = 0
    for image in pending:
        try:
            kept += _keep_one(image)
        except (
            Exception
        ) as error:  # whatever goes wrong with one image, the article and its other images stay
            logger.exception("Image %s of article %s failed", image.source_url, article_id)
            ArticleImage.objects.filter(pk=image.pk).update(
                state=ArticleImage.State.SKIPPED,
                note=_note(f"it could not be stored ({type(error).__name__})"),
            )
    if pending:
        Article.objects.filter(pk=article_id).update(revision=F("revision") + 1)
    return f"{kept} of {len(pending)} kept"


def images_stopped(*, article_id: int, reason: str) -> None:
    """The worker keeping the article's images was stopped: those still pending are skipped with the reason,
    so none waits for ever, and the article's page is drawn again without them."""
    if ArticleImage.objects.filter(article_id=article_id, state=ArticleImage.State.PENDING).update(
        state=ArticleImage.State.SKIPPED, note=_note(reason)
    ):
        Article.objects.filter(pk=article_id).update(revision=F("revision") + 1)


def images_forget(*, article: Article) -> None:
    """Inside the caller's transaction (deleting the article): its image files go once the deletion commits."""
    names = [name for name in article.images.exclude(file="").values_list("file", flat=True)]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
