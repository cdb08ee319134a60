"""An article's photos come through the same guarded fetch as pages, as the kind "image": raster types only,
recognised by their first bytes when unlabelled, and never taken where a page or feed is wanted."""

import pytest

from articles.fetching import FetchError, fetch
from tests.local_server import LocalServer, Reply
from tests.web import photo


def test_a_labelled_photo_is_fetched_as_an_image(local_server: LocalServer) -> None:
    url = local_server.route("/harbour.jpg", Reply(photo(), content_type="image/jpeg"))
    fetched = fetch(url, kinds=("image",), allow_private=True)
    assert fetched.kind == "image" and fetched.body == photo()
    assert local_server.requests[0].headers["accept"].startswith("image/webp")


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_an_unlabelled_photo_is_known_by_its_first_bytes(local_server: LocalServer, kind: str) -> None:
    url = local_server.route("/photo", Reply(photo(kind=kind), content_type="application/octet-stream"))
    assert fetch(url, kinds=("image",), allow_private=True).kind == "image"


def test_an_svg_and_a_page_are_not_images_and_an_image_is_not_a_page(local_server: LocalServer) -> None:
    svg = local_server.route(
        "/logo.svg", Reply(b"<svg><script>alert(1)</script></svg>", content_type="image/svg+xml")
    )
    with pytest.raises(FetchError, match=r"an image \(image/svg\+xml\), not a JPEG, PNG, GIF or WebP image"):
        fetch(svg, kinds=("image",), allow_private=True)
    page = local_server.route("/page", Reply(b"<!doctype html><p>Hi</p>"))
    with pytest.raises(FetchError, match="not a JPEG, PNG, GIF or WebP image"):
        fetch(page, kinds=("image",), allow_private=True)
    jpeg = local_server.route("/photo.jpg", Reply(photo(), content_type="image/jpeg"))
    with pytest.raises(FetchError, match=r"an image \(image/jpeg\), not a web page"):
        fetch(jpeg, kinds=("page",), allow_private=True)
