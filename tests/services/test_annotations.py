"""Storing annotations: checks, anchoring, re-anchoring when the text changes, imports."""

import json
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import anchoring
from articles.models import Annotation, AnnotationJob, Article
from articles.services.analysis import article_reanalyze
from articles.services.annotation_imports import IMPORT_MAX_BYTES, IMPORT_MAX_ITEMS, annotations_import
from articles.services.annotation_jobs import BACKGROUND_BUDGET_STEPS
from articles.services.annotations import (
    NOTE_MAX_CHARS,
    AnnotationRejected,
    annotation_create,
    annotations_reanchor,
)
from articles.services.articles import article_update_text
from tests.helpers import PASSAGE, TEXT, create_annotation, logged_in, run_tasks

pytestmark = pytest.mark.django_db


def _retext(article, text):
    old = article.text
    Article.objects.filter(pk=article.pk).update(text=text)
    article.refresh_from_db()
    return annotations_reanchor(article=article, old_text=old)


def test_annotation_keeps_quote_and_position_selectors(article, alice):
    annotation = create_annotation(alice, article, note="Key line", tags="budget, Libraries", colour="green")
    assert article.text[annotation.start : annotation.end] == PASSAGE == annotation.exact
    assert annotation.prefix == article.text[annotation.start - 32 : annotation.start]
    assert annotation.suffix == article.text[annotation.end : annotation.end + 32]
    assert annotation.tags == ["budget", "Libraries"] and annotation.colour == "green"
    assert annotation.visibility == Annotation.Visibility.PRIVATE


@pytest.mark.parametrize(
    "change, message",
    [
        ({"exact": ""}, "empty"),
        ({"exact": "   ", "end_shift": -len(PASSAGE) + 3}, "empty"),
        ({"start": -5}, "outside"),
        ({"end": 10_000}, "outside"),
        ({"start": 50, "end": 40}, "outside"),
        ({"exact": "We cannot keep the museums open on these numbers"}, "does not match"),
        ({"note": "x" * (NOTE_MAX_CHARS + 1)}, "too long"),
        ({"note": "Look <script>alert(1)</script>"}, "script"),
        ({"note": "[click](javascript:alert(1))"}, "script"),
        ({"note": '<img src=x onerror="alert(1)">'}, "script"),
        ({"tags": "<script>alert(1)</script>"}, "characters tags cannot hold"),
        ({"tags": ", ".join(f"t{i}" for i in range(11))}, "Too many tags"),
        ({"tags": "x" * 41}, "too long"),
        ({"colour": "octarine"}, "Unknown colour"),
        ({"visibility": "friends"}, "Visibility"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_error_and_stores_nothing(article, alice, change, message):
    start = article.text.index(PASSAGE)
    fields = {"start": start, "end": start + len(PASSAGE), "exact": PASSAGE}
    if "end_shift" in change:
        change = dict(change)
        fields["end"] += change.pop("end_shift")
        fields["exact"] = change.pop("exact")
        fields["start"] = fields["end"] - len(fields["exact"])
        # Offsets over blank space between two paragraphs
        fields["start"] = article.text.index("\n\n“We")
        fields["end"] = fields["start"] + 2
        fields["exact"] = "\n\n"
    fields.update(change)
    with pytest.raises(AnnotationRejected, match=message):
        annotation_create(user=alice, article=article, **fields)
    assert not Annotation.objects.exists()


def test_annotating_needs_an_account(article):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        create_annotation(AnonymousUser(), article)


def test_a_pasted_passage_is_found_without_offsets(article, alice):
    annotation = annotation_create(user=alice, article=article, start=None, end=None, exact="signs about the")
    assert article.text[annotation.start : annotation.end] == "signs about the"
    with pytest.raises(AnnotationRejected, match="appears 2 times"):
        annotation_create(user=alice, article=article, start=None, end=None, exact="the libraries")
    with pytest.raises(AnnotationRejected, match="not in the article"):
        annotation_create(user=alice, article=article, start=None, end=None, exact="museums")


def test_a_selection_across_paragraphs_is_stored_whole(article, alice):
    start = article.text.index("the coming year.")
    end = article.text.index(",” said Ana")
    annotation = annotation_create(
        user=alice, article=article, start=start, end=end, exact=article.text[start:end]
    )
    assert "\n\n" in annotation.exact


def test_reanchoring_follows_text_inserted_before_inside_and_after(article, alice):
    before = create_annotation(alice, article, passage="The council met on Tuesday")
    inside = create_annotation(alice, article, passage=PASSAGE)
    after = create_annotation(alice, article, passage="Some carried signs about the libraries.")
    text = (
        article.text.replace("The council met", "Late on Monday evening, the council met").replace(
            "these numbers", "these new numbers"
        )
        + "\n\nCorrection appended."
    )
    report = _retext(article, text)
    assert report.orphaned == 0 and report.total == 3
    for annotation in (before, inside, after):
        annotation.refresh_from_db()
        assert not annotation.orphaned and article.text[annotation.start : annotation.end] == annotation.exact
    assert before.exact == "the council met on Tuesday"
    assert inside.exact == "We cannot keep the libraries open on these new numbers"
    assert after.exact == "Some carried signs about the libraries."


def test_deleted_passage_becomes_an_orphan_that_is_kept_and_listed(client, article, alice):
    annotation = create_annotation(alice, article, note="keep me", visibility="public")
    text = article.text.replace(
        "“" + PASSAGE + ",” said Ana Ruiz, the treasurer.", "Ana Ruiz declined to comment."
    )
    report = _retext(article, text)
    assert report.orphaned == 1
    annotation.refresh_from_db()
    assert annotation.orphaned and annotation.exact == PASSAGE and annotation.note == "keep me"
    listing = client.get(reverse("articles:annotations", args=[article.pk])).content.decode()
    assert "orphaned" in listing and PASSAGE in listing
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-annotation-id="{annotation.pk}"' not in page  # no highlight where it no longer is
    assert "orphaned" in client.get(annotation.get_absolute_url()).content.decode()
    _retext(article, TEXT)
    annotation.refresh_from_db()
    assert not annotation.orphaned


def test_reanalysis_keeps_annotations(article, alice):
    annotation = create_annotation(alice, article)
    article_reanalyze(article=article)
    annotation.refresh_from_db()
    assert Annotation.objects.count() == 1 and article.text[annotation.start : annotation.end] == PASSAGE


def test_hypothesis_api_rows_import_too(article, alice):
    start = article.text.index(PASSAGE)
    rows = {
        "total": 1,
        "rows": [
            {
                "uri": "https://example.org/story",
                "text": "From Hypothesis",
                "tags": ["budget"],
                "target": [
                    {
                        "source": "https://example.org/story",
                        "selector": [
                            {"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 1},
                            {
                                "type": "TextPositionSelector",
                                "start": start + 40,
                                "end": start + 40 + len(PASSAGE),
                            },
                            {"type": "TextQuoteSelector", "exact": PASSAGE, "prefix": "“", "suffix": ",”"},
                        ],
                    }
                ],
            }
        ],
    }
    report = annotations_import(user=alice, article=article, raw=json.dumps(rows))
    annotation = Annotation.objects.get()
    assert report.created == 1 and annotation.note == "From Hypothesis" and annotation.tags == ["budget"]
    assert (annotation.start, annotation.end) == (start, start + len(PASSAGE))


def _longest_unbroken_article():
    """The longest text allowed, one paragraph of three words over and over: where fuzzy search costs most."""
    from django.conf import settings

    from articles.interchange.article_files import ArticleInput
    from articles.services.articles import article_prepare, article_store

    text = "Lorem\n\n" + ("lorem ipsum dolor " * 12_000)[: settings.NEWSREADER_MAX_ARTICLE_CHARS - 7].strip()
    return article_store(
        prepared=article_prepare(incoming=ArticleInput(text=text)), analysis=None, public=True
    )


def _web_annotation(exact: str, start: int) -> dict:
    selectors = [
        {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
        {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
    ]
    return {"type": "Annotation", "target": {"selector": selectors}}


def _anchoring_steps_spent(monkeypatch) -> dict[int, tuple[int, int]]:
    """Steps each anchoring budget granted and refused from now on, by budget."""
    spent: dict[int, tuple[int, int]] = {}
    real_spend = anchoring.Budget.spend

    def spend(budget: anchoring.Budget, steps: int) -> bool:
        paid = real_spend(budget, steps)
        granted, refused = spent.get(id(budget), (0, 0))
        spent[id(budget)] = (granted + steps, refused) if paid else (granted, refused + steps)
        return paid

    monkeypatch.setattr(anchoring.Budget, "spend", spend)
    return spent


def test_the_worst_import_within_the_limits_is_queued_at_once_and_comes_in_as_orphans(
    client, alice, django_capture_on_commit_callbacks, monkeypatch
):
    """The audit's import: passages of random letters that match nothing, as many as the limits allow (one
    must match, or the import is refused), into the longest text. The request checks the file and queues it;
    the worker's fuzzy searches each scan the whole text until one shared budget stops them, and the rest are
    orphans at once."""
    article = _longest_unbroken_article()
    rng = random.Random(5)
    items = [_web_annotation(article.text[100:140], 100)]
    passage_chars = (IMPORT_MAX_BYTES - 2_000) // IMPORT_MAX_ITEMS - len(
        json.dumps(_web_annotation("", 10**5))
    )
    while len(items) < IMPORT_MAX_ITEMS:
        items.append(_web_annotation("".join(rng.choice("qzxjkvwy") for _ in range(passage_chars)), 10**5))
    raw = json.dumps(items)
    assert len(raw) <= IMPORT_MAX_BYTES and passage_chars > 1_800
    logged_in(client, alice)
    spent = _anchoring_steps_spent(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued once it is committed
        response = client.post(reverse("articles:annotations_import", args=[article.pk]), {"json": raw})
    assert spent == {}  # the request searched for nothing
    job = AnnotationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert not Annotation.objects.exists() and job.state == AnnotationJob.State.QUEUED
    run_tasks()
    # The worker's searches were stopped by one budget of its size, which ran out, not by the passages.
    assert len(spent) == 1
    [(granted, refused)] = spent.values()
    assert granted <= BACKGROUND_BUDGET_STEPS < granted + refused
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.placed, job.orphaned) == ("done", 500, 500, 1, 499)
    assert job.message.startswith("Imported 500 annotations. 499 could not be placed") and job.payload == []
    placed = Annotation.objects.get(orphaned=False)
    assert (placed.start, placed.exact) == (100, article.text[100:140])
    assert Annotation.objects.filter(orphaned=True).count() == 499


def test_a_reanchoring_run_shares_one_budget_and_keeps_what_did_not_move(alice):
    article = _longest_unbroken_article()
    rng = random.Random(6)
    gone = [
        Annotation(
            article=article,
            user=alice,
            start=i,
            end=i + 1_900,
            exact="".join(rng.choices("qzxjkvwy", k=1_900)),
        )
        for i in range(0, 40 * 1_900, 1_900)
    ]
    Annotation.objects.bulk_create(gone)
    kept = annotation_create(
        user=alice, article=article, start=150_000, end=150_040, exact=article.text[150_000:150_040]
    )
    report = _retext(article, article.text + "\n\nA correction.")
    assert report.orphaned == 40 and report.methods == {"position": 1}
    kept.refresh_from_db()
    assert not kept.orphaned and kept.start == 150_000


def test_an_annotation_on_a_text_edited_meanwhile_is_stored_where_the_passage_now_is(article, alice):
    seen_by_reader = Article.objects.get(pk=article.pk)
    article_update_text(
        article=article, text=article.text.replace("The council met", "Late on Monday, the council met")
    )
    annotation = create_annotation(alice, seen_by_reader)  # offsets into the text before the edit
    text = Article.objects.get(pk=article.pk).text
    assert text[annotation.start : annotation.end] == PASSAGE == annotation.exact
    assert annotation.prefix == text[annotation.start - 32 : annotation.start]
    assert seen_by_reader.text == text


def test_an_annotation_on_a_passage_an_edit_removed_meanwhile_is_refused(article, alice):
    seen_by_reader = Article.objects.get(pk=article.pk)
    article_update_text(article=article, text=article.text.replace(PASSAGE, "Ana Ruiz declined to comment"))
    with pytest.raises(AnnotationRejected, match="edited while you were reading"):
        create_annotation(alice, seen_by_reader)
    assert not Annotation.objects.exists()


def test_an_edit_from_a_stale_page_replaces_the_stored_text_and_its_index_entry(article):
    from articles.models import Filters
    from articles.search import SearchResults

    stale = Article.objects.get(pk=article.pk)
    article_update_text(article=article, text=article.text.replace("budget", "spending plan"))
    article_update_text(article=stale, text=stale.text.replace("libraries", "reading rooms"))
    assert "reading rooms" in Article.objects.get(pk=article.pk).text
    assert [hit.article.pk for hit in SearchResults("reading rooms", Filters())[0:5]] == [article.pk]
    assert SearchResults("spending plan", Filters())[0:5] == []


def test_a_notebook_import_spends_one_budget_across_all_its_articles(alice):
    """The first article's passages, which match nothing, use up the request's anchoring; a changed passage
    in the second article, which a search of its whole text would place, then comes in as an orphan instead
    of another article's worth of searching."""
    from django.conf import settings

    from articles.interchange.article_files import ArticleInput
    from articles.services.articles import article_prepare, article_store
    from articles.services.notebook import notebook_import

    first = _longest_unbroken_article()
    sentence = "The treasurer said the libraries would close on Friday."
    filler = ("dolor sit amet " * 14_000)[: settings.NEWSREADER_MAX_ARTICLE_CHARS - 200].strip()
    text = "Another\n\n" + filler[:150_000] + " " + sentence + " " + filler[150_000:]
    second = article_store(
        prepared=article_prepare(incoming=ArticleInput(text=text)), analysis=None, public=True
    )
    rng = random.Random(7)

    def item(article, exact: str, start: int) -> dict:
        selectors = [
            {"type": "TextQuoteSelector", "exact": exact},
            {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
        ]
        target = {"source": f"http://testserver/articles/{article.pk}/", "selector": selectors}
        return {"type": "Annotation", "target": target}

    items = [item(first, first.text[100:140], 100)]
    items += [item(first, "".join(rng.choices("qzxjkvwy", k=1_900)), 10**5) for _ in range(20)]
    # As in an older version of the second article, far from where the sentence is now (and, so that the file
    # fits the article, a passage still at its place, which costs nothing to check).
    items.append(item(second, sentence.replace("libraries", "librarys"), 10))
    items.append(item(second, second.text[20:60], 20))

    def imported(items) -> object:
        raw = json.dumps(items).encode()
        return notebook_import(user=alice, raw=raw, name="notebook.jsonld", host="testserver")

    report = imported(items)
    assert (report.created, report.orphaned) == (23, 21)
    assert Annotation.objects.get(article=second, orphaned=True).exact.endswith(
        "librarys would close on Friday."
    )
    # On its own, the same passage is placed by a search of the whole text.
    Annotation.objects.all().delete()
    assert imported(items[-2:]).orphaned == 0
    assert Annotation.objects.filter(article=second, exact=sentence).exists()
