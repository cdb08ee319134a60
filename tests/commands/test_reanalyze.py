"""`reanalyze`: the library analysed again, articles and annotations kept."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Quote
from tests.conftest import SEED
from tests.helpers import story

pytestmark = pytest.mark.django_db


def test_reanalyze_reanalyses_the_library_and_keeps_the_articles(capsys):
    from tests.helpers import import_article

    first = import_article(text=SEED.read_text())
    second = import_article(text=story("Dam report", "“The dam is safe,” said Ana Ruiz, the engineer."))
    old_quotes = set(Quote.objects.values_list("pk", flat=True))
    call_command("reanalyze", "--all", "--no-progress")
    assert "Re-analysed 2 article(s)" in capsys.readouterr().out
    assert set(Article.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert Quote.objects.count() == len(old_quotes) and not old_quotes & set(
        Quote.objects.values_list("pk", flat=True)
    )
    call_command("reanalyze", "--article", str(second.pk), "--no-progress")
    with pytest.raises(CommandError, match="no article with id 999"):
        call_command("reanalyze", "--article", "999", "--no-progress")
