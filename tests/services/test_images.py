"""A page's photos are kept with its article: fetched through the guarded fetch, re-encoded clean, stored,
served by the app; a broken, huge or hostile one is skipped with a note and never fails the save."""

import io
import re

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.interchange.article_files import html_candidate
from articles.models import Article, ArticleImage
from articles.services.articles import article_delete
from articles.services.images import images_keep
from articles.services.submissions import Submission, article_add
from tests.helpers import create_annotation, run_tasks
from tests.local_server import Reply
from tests.web import photo, photo_page

pytestmark = pytest.mark.django_db
JPEG, PNG = "image/jpeg", "image/png"
CAPTIONED = (
    "<figure><img src='/img/harbour.jpg' alt='The harbour at dawn'>"
    "<figcaption>Boats return to the harbour on Tuesday. Credit: Jo Lee</figcaption></figure>"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _alice_reads(client, alice):
    """What alice saves is in her library, private: she is the reader who opens it."""
    client.force_login(alice)


def _save(local_web, alice, figures, *, head="", images=()):
    for path, reply in images:
        local_web.route(path, reply)
    url = local_web.route("/2025/harbour", Reply(photo_page(figures=figures, head=head)))
    return article_add(submission=Submission(url=url), reader=alice).article


def _served(client, image):
    response = client.get(image.get_absolute_url())
    return response, b"".join(response.streaming_content)


def test_a_captioned_photo_and_a_loose_one_are_kept_and_shown_in_place(client, alice, local_web):
    loose = "<img src='/img/ferry.png' alt='A ferry at the quay'>"
    article = _save(
        local_web,
        alice,
        CAPTIONED
        + "<p>The first ferry of the day docked at noon, and its crew waved to the quay.</p>"
        + loose,
        images=[
            ("/img/harbour.jpg", Reply(photo(), content_type=JPEG)),
            ("/img/ferry.png", Reply(photo(kind="PNG"), content_type=PNG)),
        ],
    )
    assert [i.state for i in article.images.all()] == ["pending", "pending"]
    assert images_keep(article_id=article.pk) == "2 of 2 kept"
    harbour, ferry = article.images.all()
    assert (harbour.alt, harbour.content_type, harbour.width, harbour.height) == (
        "The harbour at dawn",
        "image/webp",
        120,
        80,
    )
    caption = article.blocks.get(start=harbour.offset)
    assert caption.kind == "caption" and ferry.offset == article.text.index("“We are open")
    page = client.get(article.get_absolute_url()).content.decode()
    figure = (
        f'<figure class="photo">\n        <img class="photo-image" src="{harbour.get_absolute_url()}" '
        'alt="The harbour at dawn" width="120" height="80" loading="lazy" decoding="async">'
    )
    assert figure in page and page.index(figure) < page.index("Boats return to the harbour")
    assert page.index("waved to the quay") < page.index(ferry.get_absolute_url()) < page.index("We are open")
    assert "127.0.0.1" not in page.split("original-link")[0].split("<article")[-1]  # nothing from the origin
    response, data = _served(client, harbour)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"] and "sandbox" in response["Content-Security-Policy"]
    assert Image.open(io.BytesIO(data)).format == "WEBP"


def test_images_leave_the_text_and_every_offset_as_they_were(alice, local_web):
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
    )
    without = html_candidate(photo_page(figures=CAPTIONED), origin="harbour.html")  # a file: no images
    assert article.text == without.text
    note = create_annotation(alice, article, passage="We are open for business again")
    images_keep(article_id=article.pk)
    note.refresh_from_db()
    article.refresh_from_db()
    assert article.text == without.text and article.text[note.start : note.end] == note.exact


def test_only_the_pixels_are_kept_metadata_goes_and_the_photo_is_turned_upright(client, alice, local_web):
    secret = "Taken at 51.5007 N, 0.1246 W by a Nikon"
    camera = photo(80, 40, exif={0x010E: secret, 0x010F: "Nikon", 0x0112: 6})  # description, make, rotated
    assert secret.encode() in camera
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(camera, content_type=JPEG))]
    )
    images_keep(article_id=article.pk)
    image = article.images.get()
    _response, data = _served(client, image)
    assert secret.encode() not in data and b"Nikon" not in data and b"Exif" not in data
    served = Image.open(io.BytesIO(data))
    assert served.size == (40, 80) == (image.width, image.height) and not served.getexif()


@pytest.mark.parametrize(
    "reply, note",
    [
        (
            Reply(
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                content_type="image/svg+xml",
            ),
            "an image (image/svg+xml)",
        ),
        (Reply(photo(kind="PNG")[:80], content_type=PNG), "could not be read"),
        (
            Reply(b"this is not an image at all, whatever its label says", content_type=JPEG),
            "not a JPEG, PNG, GIF or WebP",
        ),
        (Reply(photo(8000, 8000, "PNG", mode="1"), content_type=PNG), "more than the 40,000,000"),
        (Reply(photo(1, 1, "PNG"), content_type=PNG), "too small to be a photo"),
        (Reply(b"", status=404), "the server answered 404"),
    ],
    ids=["svg-with-script", "broken", "not-an-image", "decompression-bomb", "tracking-pixel", "missing"],
)
def test_a_bad_image_is_skipped_with_a_note_and_the_article_stays(client, alice, local_web, reply, note):
    article = _save(local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", reply)])
    assert images_keep(article_id=article.pk) == "0 of 1 kept"
    image = article.images.get()
    assert image.state == "skipped" and note in image.note and not image.file
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<p class="image-note">{image.note}' in page.replace("&#x27;", "'")
    assert "Boats return to the harbour" in page


def test_an_image_over_the_size_limit_is_not_read_whole(settings, alice, local_web):
    settings.NEWSREADER_IMAGE_MAX_BYTES = 20 * 1024
    article = _save(
        local_web,
        alice,
        CAPTIONED,
        images=[("/img/harbour.jpg", Reply(photo(2000, 1500), content_type=JPEG))],
    )
    images_keep(article_id=article.pk)
    assert "the image is larger than the 20 KB limit" in article.images.get().note


def test_images_go_through_the_same_address_checks_as_pages(settings, alice, local_web):
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
    )
    requests = len(local_web.requests)
    settings.NEWSREADER_FETCH_ALLOW_PRIVATE = False  # the image's server is inside this network
    images_keep(article_id=article.pk)
    assert "on the public internet" in article.images.get().note or "own network" in article.images.get().note
    assert len(local_web.requests) == requests


def test_a_pages_lead_image_shows_before_the_text_when_it_has_no_photo_of_its_own(client, alice, local_web):
    lead = (
        "<meta property='og:image' content='/img/lead.jpg'><meta property='og:image:alt' content='The quay'>"
    )
    article = _save(
        local_web, alice, "", head=lead, images=[("/img/lead.jpg", Reply(photo(), content_type=JPEG))]
    )
    images_keep(article_id=article.pk)
    image = article.images.get()
    assert image.lead and image.alt == "The quay" and image.state == "kept"
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index('class="legend') < page.index(image.get_absolute_url()) < page.index('<p class="para"')


def test_the_worker_keeps_the_images_after_a_save_by_address(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = _save(
            local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
        )
    run_tasks()
    article.refresh_from_db()
    assert article.images.get().state == "kept" and article.analysis_state == Article.Analysis.DONE


def test_an_image_is_served_only_for_its_own_article_and_goes_with_it(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
    )
    images_keep(article_id=article.pk)
    image = article.images.get()
    other = Article.objects.create(title="Other", text="Other\n\nText.", content_hash="x")
    assert client.get(reverse("articles:image", args=[other.pk, image.file_name])).status_code == 404
    assert client.get(reverse("articles:image", args=[article.pk, "nothing.webp"])).status_code == 404
    assert default_storage.exists(image.file)
    with django_capture_on_commit_callbacks(execute=True):
        article_delete(article=article)
    assert not default_storage.exists(image.file) and not ArticleImage.objects.exists()


def test_an_uploaded_html_file_fetches_no_images(alice, local_web):
    from articles.interchange.article_files import upload_input

    found = upload_input(
        "harbour.html", photo_page(figures=CAPTIONED.replace("/img/", "http://127.0.0.1:9/img/"))
    )
    assert found.images == ()


def test_a_page_imported_on_the_command_line_keeps_its_photos_too(
    local_web, django_capture_on_commit_callbacks
):
    from articles.interchange.web_pages import page_input
    from articles.services.analysis import article_import

    local_web.route("/img/harbour.jpg", Reply(photo(), content_type=JPEG))
    url = local_web.route("/2025/harbour", Reply(photo_page(figures=CAPTIONED)))
    with django_capture_on_commit_callbacks(execute=True):
        article = article_import(incoming=page_input(url))  # what `import_articles https://…` does
    run_tasks()
    assert article.images.get().state == "kept"


def test_a_private_article_s_photos_are_not_found_for_another_reader(
    client, alice, local_web, django_user_model
):
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
    )
    images_keep(article_id=article.pk)
    image = article.images.get()
    assert _served(client, image)[0].status_code == 200
    client.force_login(django_user_model.objects.create_user("bob", password="a-long-password-2"))
    assert client.get(image.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(image.get_absolute_url()).status_code == 404


FERRY = "<img src='/img/ferry.png' alt='A ferry at the quay'>"
TIMETABLE = "<p>The ferry timetable returns to normal on Monday, the port authority added.</p>"


def _saved_with_its_photo(local_web, alice):
    """An article saved by its address, its one photo (the harbour's) kept."""
    article = _save(
        local_web, alice, CAPTIONED, images=[("/img/harbour.jpg", Reply(photo(), content_type=JPEG))]
    )
    images_keep(article_id=article.pk)
    return article, article.images.get()


def _offer(client, local_web, figures):
    """The page changed to `figures`, checked for a newer version: the page offering the update."""
    url = local_web.route("/2025/harbour", Reply(photo_page(figures=figures)))
    offer = client.post(reverse("articles:create"), {"url": url, "refresh": "1"})
    assert offer.status_code == 409
    return offer


def _update_to(client, local_web, figures, *, photos=True):
    """ "Update the article" pressed with the fields the offer's form holds (`photos=False`: all but those)."""
    offer = _offer(client, local_web, figures)
    action = reverse("articles:article_update", args=[offer.context["existing"].pk])
    form = re.search(f'<form method="post" action="{action}".*?</form>', offer.content.decode(), re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0)))
    fields["text"] = offer.context["new_text"]
    if not photos:
        del fields["photos"]
    return client.post(action, fields)


def test_updating_to_a_new_version_plans_its_photos_and_keeps_those_already_kept(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    local_web.route("/img/ferry.png", Reply(photo(kind="PNG"), content_type=PNG))
    article, harbour = _saved_with_its_photo(local_web, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _update_to(client, local_web, CAPTIONED + TIMETABLE + FERRY)
    assert response.status_code == 302
    article.refresh_from_db()
    assert "ferry timetable" in article.text
    kept, ferry = article.images.all()
    assert (kept.source_url, kept.state, kept.file) == (harbour.source_url, "kept", harbour.file)
    assert article.blocks.get(start=kept.offset).kind == "caption"
    assert (ferry.state, ferry.alt) == ("pending", "A ferry at the quay")
    assert ferry.offset == article.text.index("“We are open")
    run_tasks()  # the worker was asked to keep the new photo
    ferry.refresh_from_db()
    assert ferry.state == "kept"
    assert local_web.paths_requested.count("/img/harbour.jpg") == 1  # once, when the article was saved
    page = client.get(article.get_absolute_url()).content.decode()
    assert harbour.get_absolute_url() in page and ferry.get_absolute_url() in page


def test_a_photo_the_new_version_no_longer_has_goes_with_its_file(
    client, alice, local_web, django_capture_on_commit_callbacks
):
    article, harbour = _saved_with_its_photo(local_web, alice)
    assert default_storage.exists(harbour.file)
    with django_capture_on_commit_callbacks(execute=True):
        assert _update_to(client, local_web, TIMETABLE).status_code == 302
    assert not article.images.exists() and not default_storage.exists(harbour.file)
    assert harbour.get_absolute_url() not in client.get(article.get_absolute_url()).content.decode()


def test_a_version_without_the_pages_photos_keeps_the_articles_photos(client, alice, local_web):
    """A pasted or uploaded version says nothing of photos: those the article has stay."""
    article, harbour = _saved_with_its_photo(local_web, alice)
    assert _update_to(client, local_web, TIMETABLE, photos=False).status_code == 302
    article.refresh_from_db()
    assert "ferry timetable" in article.text and list(article.images.all()) == [harbour]
    assert article.images.get().file == harbour.file


def test_photos_changed_on_the_way_refuse_the_update_and_nothing_changes(client, alice, local_web):
    article, harbour = _saved_with_its_photo(local_web, alice)
    offer = _offer(client, local_web, CAPTIONED + TIMETABLE)
    forged = signing.dumps([["http://127.0.0.1:9/secret.png", "", "", False]])
    response = client.post(
        reverse("articles:article_update", args=[article.pk]),
        {"text": offer.context["new_text"], "url": article.url, "photos": forged},
    )
    assert response.status_code == 400 and "photos were changed on the way" in response.content.decode()
    article.refresh_from_db()
    assert "ferry timetable" not in article.text and list(article.images.all()) == [harbour]
