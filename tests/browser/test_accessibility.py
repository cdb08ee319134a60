"""axe-core on every page, logged out and in, with panels open, in the light and the dark scheme: no serious
or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}


@pytest.fixture
def library(transactional_db, seed_text, alice):
    """The seed, a public annotation with a note, a feed-less library and a staff reader."""
    import datetime

    from django.contrib.auth.models import User

    from articles.services.annotations import annotation_create
    from tests.helpers import import_article

    article = import_article(text=seed_text)
    start = article.text.index("Sometimes you have to walk")
    annotation = annotation_create(
        user=alice,
        article=article,
        start=start,
        end=start + 26,
        exact="Sometimes you have to walk",
        note="A **walk-out**, not a failure.",
        colour="green",
        visibility="public",
    )
    import_article(
        text="Harbour plan approved\n\n“We will build the pier,” said Mike Pompeo on Monday.",
        source="Gazette",
        published=datetime.date(2019, 3, 1),
    )
    User.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    return article, annotation


def _pages(article, annotation, *, logged_in):
    quote = article.quotes.exclude(speaker=None).first()
    person = article.entities.filter(label="PERSON").exclude(actor=None).first()
    pages = [
        reverse("articles:list"),
        article.get_absolute_url(),
        quote.get_absolute_url(),
        person.get_absolute_url(),
        reverse("articles:annotations", args=[article.pk]),
        reverse("articles:corrections", args=[article.pk]),
        annotation.get_absolute_url(),
        reverse("articles:search") + "?q=Trump",
        reverse("articles:search"),
        reverse("articles:who_is_quoted"),
        reverse("articles:actor", args=[person.actor_id]),
        reverse("articles:feeds"),
        reverse("articles:create"),
        reverse("preferences"),
        "/no-such-page/",
    ]
    if logged_in:
        pages += [
            reverse("articles:annotation_new", args=[article.pk]),
            reverse("articles:annotation_edit", args=[annotation.pk]),
            reverse("articles:annotations_import", args=[article.pk]),
            reverse("articles:article_text_edit", args=[article.pk]),
            reverse("account"),
            reverse("password_change"),
        ]
    else:
        pages += [reverse("login"), reverse("signup"), reverse("password_reset")]
    return pages


def _violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_no_page_has_a_serious_accessibility_violation(browser, live_server, library, scheme, who):
    article, annotation = library
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15000)
    if who == "editor":
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("a-long-password-3")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    found = {}
    for url in _pages(article, annotation, logged_in=who == "editor"):
        page.goto(live_server.url + url)
        violations = _violations(page)
        if violations:
            found[url] = violations
    assert found == {}
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_saving_pages_and_an_article_with_photos_have_no_serious_violation(
    browser, live_server, local_web, alice, settings, tmp_path, scheme
):
    from tests.helpers import run_tasks
    from tests.local_server import Reply
    from tests.web import front_page, photo, photo_page

    settings.MEDIA_ROOT = tmp_path / "media"
    local_web.route("/img/harbour.jpg", Reply(photo(600, 400), content_type="image/jpeg"))
    figures = (
        "<figure><img src='/img/harbour.jpg' alt='Boats in the harbour'><figcaption>Boats return.</figcaption>"
        "</figure><figure><img src='/img/gone.jpg' alt='Gone'><figcaption>A photo that is gone.</figcaption></figure>"
    )
    story = local_web.route("/2025/harbour", Reply(photo_page(figures=figures)))
    home = local_web.route("/", Reply(front_page()))
    planted = local_web.route(
        "/lure", Reply(f"<a href='{live_server.url}/articles/save/?url={story}'>Save</a>".encode())
    )
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + reverse("login") + "?next=/articles/new/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    found = {}
    page.get_by_label("Address of the article").fill(home)
    page.get_by_role("button", name="Add and analyse").click()
    page.get_by_role("button", name="Save anyway").wait_for()
    found["front page question"] = _violations(page)
    page.goto(planted)
    page.get_by_role("link", name="Save").click()
    page.get_by_role("button", name="Save now").wait_for()
    found["save now question"] = _violations(page)
    page.get_by_role("button", name="Save now").click()
    page.locator("h1.headline").wait_for()
    run_tasks()  # the photos: one kept, one skipped with its note
    page.reload()
    page.locator(".image-note").wait_for()
    found["article with photos"] = _violations(page)
    assert found == {"front page question": [], "save now question": [], "article with photos": []}
    context.close()
