from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_3b9154728874597f.txt"
GOLD = Path(__file__).resolve().parent / "data" / "hanoi-summit.json"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests don't run collectstatic; the manifest storage is for served deployments.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_article(db, seed_text):
    from articles.services import article_import

    return article_import(text=seed_text)
