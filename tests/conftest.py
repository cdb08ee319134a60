from pathlib import Path

import pytest

pytest_plugins = ["tests.local_server"]

# Which tests run on PostgreSQL too (`make test-postgres`), decided here and nowhere else: every test that may
# touch the database, that is every test with a `django_db` mark or a fixture that needs the database (db,
# transactional_db, live_server, and any fixture built on them such as `article` or `alice`), and every test
# marked `both_databases` (one that reaches the database some other way, say through a process it starts).
# pytest-django refuses any other test a connection, so the rest (nlp/, rendering a given text, anchoring,
# parsing, fetching) cannot depend on the database and run on SQLite only. A new test that uses the database
# is on both sides by default.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def uses_the_database(item: pytest.Item) -> bool:
    return (
        item.get_closest_marker("django_db") is not None
        or item.get_closest_marker("both_databases") is not None
        or not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        return
    independent = [item for item in items if not uses_the_database(item)]
    if independent:
        config.hook.pytest_deselected(items=independent)
        items[:] = [item for item in items if uses_the_database(item)]


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


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Django's default hasher spends about 0.4 s on every account made and every log-in, on purpose; no test is
    # about the hash, and hundreds make accounts or log in (the live server reads the same settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _open_submissions(settings):
    # Most tests add articles without logging in, to test what happens to the article; who may add one is
    # tested where it matters (tests/views/test_accounts_and_submissions.py), with submissions closed as
    # they are by default.
    settings.NEWSREADER_OPEN_SUBMISSIONS = True


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counts are rows (articles/throttling.py), gone with each test's transaction or flush; the
    # cache holds cached pages and axes' lockouts, emptied so that no test sees another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_search_index(request, django_db_blocker):
    """Tests that commit their rows (transaction=True) are cleaned up by flushing the tables, which leaves the
    search index full where it is not a model's table (SQLite's FTS5): the next test's articles would then
    be read against the last one's index entries under the same ids ("database disk image is malformed")."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return  # rolled back with the test's transaction
    from articles.search import index_clear

    with django_db_blocker.unblock():
        index_clear()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_article(db, seed_text):
    from tests.helpers import import_article

    return import_article(text=seed_text)


@pytest.fixture
def article(db):
    from tests.helpers import TEXT, import_article

    return import_article(text=TEXT)


@pytest.fixture
def alice(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("alice", password="a-long-password-1")


@pytest.fixture
def bob(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("bob", password="a-long-password-2")


POMPEO_ONE = (
    "Pompeo heads to Asia\n\n"
    "Secretary of State Mike Pompeo flew to Tokyo on Monday for talks on trade.\n\n"
    "“We will not back down,” Mr. Pompeo said after meeting officials from Toyota."
)
POMPEO_TWO = (
    "Talks stall in Seoul\n\n"
    "Mike Pompeo met South Korean officials on Friday as the talks stalled.\n\n"
    "“There is more work to do,” Pompeo told reporters at the airport.\n\n"
    "“We remain hopeful,” said Jane Roe, a spokeswoman for Toyota."
)


@pytest.fixture
def two_pompeo_articles(db):
    """One person named three ways in two sources and months, quoted three times."""
    import datetime

    from tests.helpers import import_article

    first = import_article(text=POMPEO_ONE, source="Daily Planet", published=datetime.date(2019, 1, 10))
    second = import_article(text=POMPEO_TWO, source="Gazette", published=datetime.date(2019, 3, 2))
    return first, second


@pytest.fixture
def local_web(settings, local_server):
    """The local test server, with the internal-address guard off for it (on by default, as
    tests/fetching/test_fetching.py shows)."""
    settings.NEWSREADER_FETCH_ALLOW_PRIVATE = True
    return local_server
