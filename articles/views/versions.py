"""Adding an article that is a changed version of one in the library (the same canonical address, or the same
headline and source) offers to update that one instead of making a second: its annotations are re-anchored."""

from __future__ import annotations

import datetime
from dataclasses import astuple

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..interchange.article_files import ArticleInput, ArticleRejected
from ..interchange.page_images import ImageRef
from ..interchange.web_pages import is_web_address
from ..services.library import article_update_version
from ..services.submissions import Submitted
from ..throttling import limit
from .pages import HtmxHttpRequest, login_first, visible_article

FIELDS = ("text", "title", "source", "url", "byline", "published")
# The photos of a version fetched from its page ride along in the form, signed: the update plans exactly
# the photos that page had, never addresses typed into the form.
PHOTOS_SALT = "newsreader.update.photos"


def photos_field(incoming: ArticleInput) -> str:
    """The signed photos of a version fetched by its address ("" for a pasted or uploaded one)."""
    if not is_web_address(incoming.origin):
        return ""
    return signing.dumps([astuple(ref) for ref in incoming.images], salt=PHOTOS_SALT, compress=True)


def _posted_photos(request: HtmxHttpRequest) -> tuple[ImageRef, ...] | None:
    """The photos the offer page carried; None when it carried none (the version was not fetched)."""
    field = request.POST.get("photos", "")
    if not field:
        return None
    try:
        return tuple(
            ImageRef(str(url), str(alt), str(line), bool(lead))
            for url, alt, line, lead in signing.loads(field, salt=PHOTOS_SALT)
        )
    except (signing.BadSignature, TypeError, ValueError):
        raise ArticleRejected(
            "The new version's photos were changed on the way: bring the page again to update the article."
        ) from None


def offer_update(request: HtmxHttpRequest, submitted: Submitted) -> HttpResponse:
    """The page that asks before anything is written: the article already here, and the new version."""
    existing, incoming, new_text = submitted.article, submitted.incoming, submitted.new_text
    context = {
        "existing": existing,
        "incoming": incoming,
        "new_text": new_text,
        "same_address": bool(incoming.url.strip()) and incoming.url.strip() == existing.url,
        "annotation_total": existing.annotations.count(),
        "may_update": existing.may_delete(request.user),
        "published": incoming.published.isoformat() if incoming.published else "",
        "photos": photos_field(incoming),
    }
    return render(request, "articles/reading/update_offer.html", context, status=409)


def _posted_input(request: HtmxHttpRequest, photos: tuple[ImageRef, ...] | None) -> ArticleInput:
    data = {name: request.POST.get(name, "") for name in FIELDS}
    try:
        published = datetime.date.fromisoformat(data["published"]) if data["published"] else None
    except ValueError:
        published = None
    return ArticleInput(
        text=data["text"],
        title="",  # the headline is already the text's first line (version_text put it there)
        source=data["source"],
        url=data["url"],
        byline=data["byline"],
        published=published,
        images=photos or (),
    )


@require_POST
@login_first(lambda request, pk: f"/articles/{pk}/")
@limit("add")
def article_update(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Replace the article's text with the version the reader confirmed (who added it, or staff)."""
    article = visible_article(request, pk)
    if not article.may_delete(request.user):
        raise PermissionDenied("Only the person who added this article, or staff, can update it.")
    try:
        photos = _posted_photos(request)
        incoming = _posted_input(request, photos)
        article_update_version(
            article=article, incoming=incoming, user=request.user, page_photos=photos is not None
        )
    except ArticleRejected as refused:
        incoming = _posted_input(request, None)
        context = {
            "existing": article,
            "error": str(refused),
            "incoming": incoming,
            "new_text": incoming.text,
        }
        return render(request, "articles/reading/update_offer.html", context, status=400)
    messages.success(
        request,
        "Updated to the new version. Your annotations were found again in the new text; any whose passage is "
        "gone are kept, listed as orphaned.",
    )
    return redirect(article)
