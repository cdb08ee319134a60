import pytest


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Hashing is not under test here; a fast hasher keeps ~150 cases with two accounts each quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
