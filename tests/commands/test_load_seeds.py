"""`load_seeds`: the seed article once, however often it runs."""

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_load_seeds_is_idempotent():
    call_command("load_seeds")
    call_command("load_seeds")
    assert Article.objects.count() == 1
