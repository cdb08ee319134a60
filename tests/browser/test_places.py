"""Places, locations and buildings are one type for the reader: one Place in the legend, its switch, the
settings page and the badges, with the analysis's own label kept on each name."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db, seed_text):
    from tests.helpers import import_article

    article = import_article(text=seed_text)
    # The seed names a country (GPE), a region (LOC) and a hotel (FAC).
    assert {"GPE", "LOC", "FAC"} <= set(article.entities.values_list("label", flat=True))
    return article


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_legend_has_one_place_whose_switch_covers_every_kind_of_place(
    browser, live_server, seeded, javascript
):
    context = new_context(browser, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + seeded.get_absolute_url())
    legend = page.locator(".legend")
    expect(legend.get_by_text("Place", exact=True)).to_have_count(1)
    expect(legend).not_to_contain_text("Location")
    expect(legend).not_to_contain_text("Facility")

    hotel = page.locator("#article .ent[data-analysis-label='FAC']").first
    region = page.locator("#article .ent[data-analysis-label='LOC']").first
    country = page.locator("#article .ent[data-analysis-label='GPE']").first
    for mention in (hotel, region, country):
        expect(mention).to_have_attribute("data-label", "GPE")
        expect(mention).to_have_attribute("title", re.compile(r"^Place: "))
        assert mention.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"

    page.get_by_label("Place").uncheck()
    for mention in (hotel, region, country):
        assert mention.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    context.close()


def test_a_building_is_a_place_in_its_panel_and_on_the_settings_page(page, live_server, seeded):
    hotel = seeded.entities.filter(label="FAC").first()
    page.goto(live_server.url + hotel.get_absolute_url())
    badge = page.locator("#panel .badge")
    expect(badge).to_have_text("Place")
    expect(badge).to_have_attribute("data-analysis-label", "FAC")

    page.goto(live_server.url + "/preferences/")
    types = page.locator("input[name=shown_types]")
    expect(page.get_by_label("Place", exact=True)).to_have_count(1)
    assert "LOC" not in [types.nth(i).get_attribute("value") for i in range(types.count())]
    expect(page.locator("main")).not_to_contain_text("Facility")
