"""Readers correcting and undoing while the article is analysed again, each in its own connection: nothing
fails, nothing is lost, and the last word stands."""

import threading

import pytest
from django.db import connection

from articles.models import Article, Correction, Entity, Quote
from articles.services.analysis import article_reanalyze
from articles.services.corrections import CorrectionRejected, correction_create, correction_undo
from tests.services.test_corrections import BRIDGE, MAY_QUOTE

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def test_corrections_made_and_undone_during_reanalyses_all_land(django_user_model):
    from tests.helpers import import_article

    bridge = import_article(text=BRIDGE, source="Gazette")
    staff = django_user_model.objects.create_user("editor", password="a-long-password-3", is_staff=True)
    errors: list[BaseException] = []
    made_and_undone: list[int] = []
    start = threading.Barrier(2)

    def reanalyse() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                article_reanalyze(article=Article.objects.get(pk=bridge.pk))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def speaker_fix(article: Article) -> Correction | None:
        """Correct the May quote's speaker as a reader would; None when the page they read was analysed again
        meanwhile (refused in words, nothing written: they reload and try again)."""
        try:
            ruiz = article.entities.get(name="Ruiz").pk
            quote = article.quotes.get(text=MAY_QUOTE)
            return correction_create(
                user=staff, article=article, kind="speaker", quote=quote, values={"entity": ruiz}
            )
        except (CorrectionRejected, Entity.DoesNotExist, Quote.DoesNotExist):
            return None

    def correct() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                made = speaker_fix(Article.objects.get(pk=bridge.pk))
                if made is not None:
                    made_and_undone.append(made.pk)
                    correction_undo(correction=made, user=staff)
            while speaker_fix(Article.objects.get(pk=bridge.pk)) is None:
                pass  # the reanalyses end after ROUNDS
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reanalyse), threading.Thread(target=correct)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Correction.objects.filter(undone__isnull=True).count() == 1
    assert set(Correction.objects.filter(undone__isnull=False).values_list("pk", flat=True)) == set(
        made_and_undone
    )
    article_reanalyze(article=Article.objects.get(pk=bridge.pk))
    assert Article.objects.get(pk=bridge.pk).quotes.get(text=MAY_QUOTE).speaker_name == "Ruiz"
