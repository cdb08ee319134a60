"""Undo after deleting an annotation: it comes back as it was (id, passage, note, colour, tags, visibility,
date), found again in a changed text or kept as an orphan, and only for its owner."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import Annotation, Article
from articles.services.annotations import AnnotationRejected, annotation_delete, annotation_restore
from tests.helpers import PASSAGE, create_annotation

pytestmark = pytest.mark.django_db


def _made(alice, article):
    return create_annotation(
        alice, article, note="Why **now**?", colour="blue", tags=["budget", "libraries"], visibility="public"
    )


def _as_it_was(annotation):
    return (
        annotation.pk,
        annotation.article_id,
        annotation.user_id,
        annotation.start,
        annotation.end,
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.orphaned,
        annotation.note,
        annotation.colour,
        annotation.tags,
        annotation.visibility,
        annotation.created,
    )


def test_an_undone_delete_brings_the_annotation_back_as_it_was(article, alice):
    annotation = _made(alice, article)
    before = _as_it_was(annotation)
    kept = annotation_delete(annotation=annotation, user=alice)
    assert not Annotation.objects.exists()
    restored = annotation_restore(user=alice, kept=kept)
    assert _as_it_was(Annotation.objects.get()) == before
    assert restored.pk == before[0]
    # Undone twice (a double click): still one annotation.
    assert annotation_restore(user=alice, kept=kept).pk == restored.pk
    assert Annotation.objects.count() == 1


def test_an_undone_delete_after_the_text_changed_finds_the_passage_again_or_keeps_an_orphan(article, alice):
    kept = annotation_delete(annotation=_made(alice, article), user=alice)
    Article.objects.filter(pk=article.pk).update(text="A new first line.\n\n" + article.text)
    moved = annotation_restore(user=alice, kept=kept)
    text = Article.objects.get(pk=article.pk).text
    assert text[moved.start : moved.end] == PASSAGE and not moved.orphaned

    kept = annotation_delete(annotation=moved, user=alice)
    Article.objects.filter(pk=article.pk).update(
        text="Council budget talks collapse\n\nNothing else is left."
    )
    orphan = annotation_restore(user=alice, kept=kept)
    assert orphan.orphaned and orphan.exact == PASSAGE and orphan.note == "Why **now**?"


def test_only_the_owner_undoes_and_a_deleted_article_brings_nothing_back(article, alice, bob):
    kept = annotation_delete(annotation=_made(alice, article), user=alice)
    with pytest.raises(PermissionDenied):
        annotation_restore(user=bob, kept=kept)
    assert not Annotation.objects.exists()
    # Another article under the same id (SQLite may give a deleted article's id to the next one).
    Article.objects.filter(pk=article.pk).update(created=article.created - datetime.timedelta(days=1))
    with pytest.raises(AnnotationRejected, match="has been deleted"):
        annotation_restore(user=alice, kept=kept)
    Article.objects.filter(pk=article.pk).delete()
    with pytest.raises(AnnotationRejected, match="has been deleted"):
        annotation_restore(user=alice, kept=kept)
    assert not Annotation.objects.exists()
