"""The library's bulk actions from the keyboard: Tab reaches them after the tick boxes, where they show (at
the foot of the screen), neither the box just ticked nor a card Tab reaches is hidden under them, and after
an action the focus is on its message."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_context
from tests.helpers import story

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 320, "height": 640}}
# Where the focused element is (in the list, in the bulk bar, or elsewhere), and whether it is in sight: inside
# the window and clear of the bar held over the foot of the screen. (The pages are opened with reduced motion,
# so the browser's scroll to what has focus is done when the key press is.)
WHERE = """() => {
  const focused = document.activeElement;
  const box = focused.getBoundingClientRect();
  const bar = document.getElementById('bulk-form');
  const inBar = bar.contains(focused);
  return {
    place: inBar ? 'bar' : focused.closest('.article-list') ? 'list' : 'elsewhere',
    name: focused.getAttribute('aria-label') || focused.textContent.trim(),
    shown: box.top >= 0 && box.bottom <= window.innerHeight
      && (inBar || box.bottom <= bar.getBoundingClientRect().top + 1),
  };
}"""


@pytest.fixture
def session(transactional_db, django_user_model):
    from django.test import Client

    from tests.helpers import import_article

    for n in range(1, 7):
        import_article(text=story(f"Harbour news, day {n}", f"The ferry ran {n} times on day {n}. " * 4))
    user = django_user_model.objects.create_user("reader", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_tab_reaches_the_bulk_actions_right_after_the_tick_boxes(
    browser, live_server, session, screen, javascript
):
    context = new_context(browser, viewport=SCREENS[screen], java_script_enabled=javascript)
    context.set_default_timeout(15000)
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    ticks = page.locator(".bulk-select")
    bar = page.get_by_role("group", name="With the selected articles")
    ticks.first.focus()
    page.keyboard.press("Space")
    expect(ticks.first).to_be_checked()
    expect(bar).to_be_visible()
    if javascript:
        assert page.evaluate(WHERE)["shown"]  # the bar, appearing, does not cover the box just ticked
    # Going back from the first tick box leaves the list upwards, not into the bar (its Delete button).
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(WHERE)["place"] == "elsewhere"
    page.keyboard.press("Tab")
    expect(ticks.first).to_be_focused()
    # Forwards: every card's headline and tick box, each in sight above the bar, then the bar's first button.
    met = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate(WHERE)
        if where["place"] != "list":
            break
        assert where["shown"], f"{where['name']} is hidden under the bulk actions"
        met.append(where["name"])
    assert where == {"place": "bar", "name": "Mark read", "shown": True}
    assert met[-2] == ticks.last.get_attribute("aria-label")  # the last tick box, then the last headline
    # Its place on the screen is as before: under the list, held at the foot of the screen.
    box, height = bar.bounding_box(), SCREENS[screen]["height"]
    last_card = page.locator(".article-card").last.bounding_box()
    assert box["y"] + box["height"] <= height + 1
    assert box["y"] >= min(last_card["y"] + last_card["height"], height - box["height"] - 1)
    page.keyboard.press("Enter")
    expect(page.locator(".library-view[data-state='read'] .count")).to_have_text("1")
    if javascript:  # the list is redrawn in place: its message has the focus, and Tab goes on to the cards
        done = page.locator("#library .message--success")
        expect(done).to_have_text("Marked read: 1 article.")
        expect(done).to_be_focused()
        page.keyboard.press("Tab")
        expect(ticks.first).to_be_focused()
    context.close()
