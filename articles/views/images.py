"""An article's photos, served by the app from its storage: the Content-Security-Policy keeps `img-src
'self'`, and readers' browsers never load anything from the page's site. Whitenoise serves static files only,
so this small view serves the media (or a proxy may serve MEDIA_ROOT itself; see the README)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from ..models import ArticleImage
from .pages import HtmxHttpRequest, visible_article

# The file's name is its content's hash: the same address always serves the same bytes.
CACHE_CONTROL = "private, max-age=31536000, immutable"


@require_GET
def article_image(request: HtmxHttpRequest, pk: int, name: str) -> FileResponse:
    article = visible_article(request, pk)
    image = (
        ArticleImage.objects.filter(article=article, state=ArticleImage.State.KEPT, file__endswith=f"/{name}")
        .only("file", "content_type")
        .first()
    )
    if image is None or image.file_name != name:
        raise Http404("No such image.")
    try:
        handle = default_storage.open(image.file, "rb")
    except FileNotFoundError:
        raise Http404("The image's file is gone.") from None
    response = FileResponse(handle, content_type=image.content_type)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    # An image needs nothing else: opened on its own, it may run no script and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
