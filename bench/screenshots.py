"""The README's screenshots, from the seeded app served by gunicorn: an article with a quote's panel open in
the light and the dark scheme on a desktop, on a phone with the panel as a sheet, and a phone's first screen
of the article.

    .venv/bin/python bench/screenshots.py        # writes docs/screenshots/{light,dark,phone,phone-start}.png
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.served import free_port, start_gunicorn  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = [
    # name, viewport, scheme, what is open
    ("light", {"width": 1280, "height": 800}, "light", "quote"),
    ("dark", {"width": 1280, "height": 800}, "dark", "annotation"),
    ("phone", {"width": 390, "height": 844}, "light", "quote"),
    ("phone-start", {"width": 390, "height": 844}, "dark", "article"),  # the first screen: menu folded
]


def seeded_library(database: Path) -> dict:
    """A fresh database with the seeds (`manage.py load_seeds`, as `make run` does) and one reader's public
    note; returns the addresses to photograph."""
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "DEBUG": "false"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from articles.models import Article
    from articles.services.annotations import annotation_create

    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    article = Article.objects.order_by("pk").first()
    reader = User.objects.create_user("reader", password="a-long-password-1")
    passage = "Sometimes you have to walk"
    start = article.text.index(passage)
    note = annotation_create(
        user=reader,
        article=article,
        start=start,
        end=start + len(passage),
        exact=passage,
        note="The line of the day: a **walk-out**, not a failure.",
        colour="green",
        visibility="public",
    )
    quote = next(q for q in article.quotes.all() if "He lied a lot." in q.text)
    return {
        "quote": quote.get_absolute_url(),
        "annotation": note.get_absolute_url(),
        "article": article.get_absolute_url(),
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pages = seeded_library(Path(tmp) / "library.sqlite3")
        port = free_port()
        server = start_gunicorn({**os.environ}, port, workers=1)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name, viewport, scheme, panel in SHOTS:
                    context = browser.new_context(
                        viewport=viewport, color_scheme=scheme, device_scale_factor=1, reduced_motion="reduce"
                    )
                    page = context.new_page()
                    page.goto(f"http://127.0.0.1:{port}{pages[panel]}")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    path = OUT / f"{name}.png"
                    page.screenshot(path=str(path))
                    print(f"{path.relative_to(ROOT)}: {viewport['width']}x{viewport['height']}, {scheme}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
