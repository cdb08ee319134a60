"""Highlights that overlap keep their own colours: a blue note inside a yellow highlight is drawn blue, as its
panel names it, not the olive the two would mix to."""

import base64

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)

PAPER = (0xFD, 0xFC, 0xF8)  # --paper: in the light scheme a highlight tints the page (multiply)


def _on_paper(colour):
    return tuple(round(c * p / 255) for c, p in zip(colour, PAPER, strict=True))


# --hl-blue and --hl-yellow as drawn alone on the page (static/css/annotations.css, newsreader.css).
DRAWN = {
    "light": {"blue": _on_paper((0xCF, 0xE3, 0xFB)), "yellow": _on_paper((0xFF, 0xF1, 0xA8))},
    "dark": {"blue": (0x1D, 0x3B, 0x60), "yellow": (0x5A, 0x4C, 0x00)},
}

# The commonest colour of a PNG, decoded by the browser on a blank page (the app's pages allow no data: images).
COMMONEST_COLOUR = """async (png) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = data[i] + ',' + data[i + 1] + ',' + data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(',').map(Number);
}"""


@pytest.fixture
def overlapping(transactional_db, seed_text, alice):
    from articles.services.annotations import annotation_create
    from tests.helpers import import_article

    article = import_article(text=seed_text)
    outer = "It also undermines the image Mr. Trump has long cultivated"
    inner = "undermines the image"
    start = article.text.index(outer)
    for passage, colour in [(outer, "yellow"), (inner, "blue")]:
        at = article.text.index(passage, start)
        annotation_create(
            user=alice,
            article=article,
            start=at,
            end=at + len(passage),
            exact=passage,
            note="A note." if colour == "blue" else "",
            colour=colour,
            visibility="public",
        )
    return article


def _colour_of(page, blank, locator):
    png = base64.b64encode(page.screenshot(clip=locator.bounding_box())).decode()
    return tuple(blank.evaluate(COMMONEST_COLOUR, png))


def _close(found, expected):
    return all(abs(a - b) <= 3 for a, b in zip(found, expected, strict=True))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_blue_note_inside_a_yellow_highlight_is_drawn_blue(browser, live_server, overlapping, scheme):
    context = new_context(browser, viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    blank = context.new_page()
    page.goto(live_server.url + overlapping.get_absolute_url())
    page.bring_to_front()
    inner = page.locator("#article mark.hl--blue").first
    expect(inner).to_have_text("undermines the image")
    inner.scroll_into_view_if_needed()
    outer_alone = page.locator("#article mark.hl--yellow").last  # the yellow after the blue one ends
    found = _colour_of(page, blank, inner)
    assert _close(found, DRAWN[scheme]["blue"]), f"the blue note is drawn {found}"
    found = _colour_of(page, blank, outer_alone)
    assert _close(found, DRAWN[scheme]["yellow"]), f"the yellow highlight is drawn {found}"
    context.close()
