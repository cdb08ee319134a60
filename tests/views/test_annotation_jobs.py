"""Large annotation imports and the re-anchoring of many annotations run as background jobs: the request
checks and queues, the task worker places the passages, the owner (and staff, for a re-anchoring) watch it."""

import datetime
import html
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from articles.models import Annotation, AnnotationJob, Article
from articles.services import annotation_imports, annotation_jobs
from articles.services.annotation_imports import IMPORT_NOW_MAX_ITEMS
from articles.services.annotations import REANCHOR_NOW_MAX
from articles.services.articles import article_update_text
from tests.conftest import ROOT
from tests.helpers import HTMX, PASSAGE, TEXT, create_annotation, logged_in, run_tasks

pytestmark = pytest.mark.django_db

MOVED = "Residents queued outside the hall"


def _item(exact: str, start: int | None, note: str = "") -> dict:
    selectors = [{"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""}]
    if start is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": start + len(exact)})
    body = [{"type": "TextualBody", "value": note, "purpose": "commenting"}] if note else []
    return {"type": "Annotation", "body": body, "target": {"selector": selectors}}


def _large_import(article, count: int = IMPORT_NOW_MAX_ITEMS + 5) -> str:
    """`count` notes on the article's passages, one not in the text at all."""
    start = article.text.index(PASSAGE)
    items = [_item(PASSAGE, start, note=f"Note {n}") for n in range(count - 1)]
    items.append(_item("words this article never had", 3, note="Lost"))
    return json.dumps(items)


@pytest.fixture
def queued(client, article, alice, django_capture_on_commit_callbacks):
    """Alice's large import, queued and not yet run."""
    logged_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:annotations_import", args=[article.pk]), {"json": _large_import(article)}
        )
    job = AnnotationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    return job


def test_a_large_import_is_queued_and_the_worker_imports_it(client, article, alice, queued):
    assert not Annotation.objects.exists()  # nothing until the worker has placed them
    page = client.get(queued.get_absolute_url()).content.decode()
    assert "Waiting for the worker to start" in page and "0 of 30" in page
    assert 'hx-trigger="every 1s"' in page and f'href="{queued.get_absolute_url()}">Reload</a>' in page
    run_tasks()
    queued.refresh_from_db()
    assert (queued.state, queued.done, queued.placed, queued.orphaned, queued.failed) == (
        "done",
        30,
        29,
        1,
        0,
    )
    assert Annotation.objects.filter(user=alice, orphaned=False).count() == 29
    lost = Annotation.objects.get(orphaned=True)
    assert lost.note == "Lost" and lost.visibility == Annotation.Visibility.PRIVATE
    page = client.get(queued.get_absolute_url()).content.decode()
    assert "Imported 30 annotations. 1 could not be placed in the text and are listed as orphaned." in page
    assert "Annotation 30</span>: “words this article never had” — not found in the text" in page
    assert "hx-trigger" not in page.split('id="job-progress"')[1].split(">")[0]  # no more asking


def test_the_progress_poll_gets_the_progress_then_the_result_with_the_new_highlights(client, queued):
    fragment = client.get(queued.get_absolute_url(), **HTMX).content.decode()
    assert fragment.lstrip().startswith('<aside id="panel"') and 'id="article"' not in fragment
    assert "0 of 30" in fragment
    run_tasks()
    fragment = client.get(queued.get_absolute_url(), **HTMX).content.decode()
    assert "Imported 30 annotations" in fragment
    assert 'id="article"' in fragment and 'hx-swap-oob="true"' in fragment  # the text, with its highlights
    assert fragment.count("data-annotation-id=") >= 29


def test_the_article_page_shows_the_owner_how_far_a_job_has_got(client, article, alice, bob, queued):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Importing annotations" in page and f'href="{queued.get_absolute_url()}">0 of 30 done' in page
    assert (
        "Importing annotations" not in logged_in(client, bob).get(article.get_absolute_url()).content.decode()
    )
    client.logout()
    assert "Importing annotations" not in client.get(article.get_absolute_url()).content.decode()
    logged_in(client, alice)
    run_tasks()
    assert "Importing annotations" not in client.get(article.get_absolute_url()).content.decode()


def test_only_its_owner_sees_an_import(client, alice, bob, queued):
    url = queued.get_absolute_url()
    staff = User.objects.create_user("carol", password="a-long-password-3", is_staff=True)
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert logged_in(client, bob).get(url).status_code == 404
    assert logged_in(client, staff).get(url).status_code == 404
    wrong_article = reverse("articles:annotation_job", args=[queued.article_id + 1, queued.pk])
    assert logged_in(client, alice).get(wrong_article).status_code == 404
    assert client.get(url).status_code == 200


def test_a_small_import_is_still_imported_at_once(client, article, alice):
    raw = _large_import(article, count=IMPORT_NOW_MAX_ITEMS)
    response = logged_in(client, alice).post(
        reverse("articles:annotations_import", args=[article.pk]), {"json": raw}
    )
    assert response.status_code == 302 and "imported=25&orphaned=1" in response["Location"]
    assert Annotation.objects.count() == 25 and not AnnotationJob.objects.exists()


def test_a_bad_large_file_is_refused_at_once_and_nothing_is_queued(client, article, alice):
    items = json.loads(_large_import(article))
    items[17]["body"] = [{"type": "TextualBody", "value": "<script>alert(1)</script>"}]
    response = logged_in(client, alice).post(
        reverse("articles:annotations_import", args=[article.pk]), {"json": json.dumps(items)}
    )
    assert response.status_code == 422
    assert "Annotation 18: The note contains script" in response.content.decode()
    assert not AnnotationJob.objects.exists() and not Annotation.objects.exists()


def test_a_large_import_that_matches_nothing_fails_with_its_reason_and_writes_nothing(
    client, article, alice, django_capture_on_commit_callbacks
):
    raw = json.dumps([_item(f"words this article never had, number {n}", None) for n in range(40)])
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(client, alice).post(
            reverse("articles:annotations_import", args=[article.pk]), {"json": raw}
        )
    run_tasks()
    job = AnnotationJob.objects.get()
    assert job.state == AnnotationJob.State.FAILED and not Annotation.objects.exists()
    assert job.message == (
        "None of the 40 annotations match this article's text: is it the right article? Nothing was imported."
    )
    assert html.escape(job.message) in client.get(job.get_absolute_url()).content.decode()


def test_importing_the_same_file_twice_reports_each_line_already_here(client, article, alice, queued):
    run_tasks()
    again = annotation_imports.annotations_import_submit(
        user=alice, article=article, raw=_large_import(article)
    )
    annotation_jobs.annotation_job_run(job_id=again.pk)
    again.refresh_from_db()
    assert again.message == "Imported 0 annotations. 30 were already here." and again.failed == 30
    assert again.problems[0] == {
        "number": 1,
        "passage": PASSAGE,
        "reason": "already among your annotations here",
    }
    assert Annotation.objects.count() == 30


def _many_annotations(article, users):
    for n in range(REANCHOR_NOW_MAX + 5):
        create_annotation(
            users[n % len(users)], article, note=f"Note {n}", visibility="public" if n % 2 else "private"
        )
        create_annotation(users[n % len(users)], article, passage=MOVED, note=f"Note {n}")


def _staff():
    return User.objects.create_user("carol", password="a-long-password-3", is_staff=True)


def test_a_staff_edit_leaves_many_annotations_to_the_worker_and_loses_none(
    client, article, alice, bob, django_capture_on_commit_callbacks
):
    _many_annotations(article, [alice, bob])
    edited = article.text.replace("Residents queued", "Late on Monday, residents queued").replace(
        "residents queued outside", "Residents queued outside"
    )
    assert edited.index(MOVED) > article.text.index(MOVED)
    editor = _staff()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, editor).post(
            reverse("articles:article_text_edit", args=[article.pk]), {"text": edited}
        )
    job = AnnotationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.owner, job.total) == (AnnotationJob.Kind.REANCHOR, editor, 30)
    # Meanwhile: those still at their offsets stay placed; the moved ones are kept, listed as orphans.
    assert Annotation.objects.count() == 60
    assert Annotation.objects.filter(exact=PASSAGE, orphaned=False).count() == 30
    assert Annotation.objects.filter(exact=MOVED, orphaned=True).count() == 30
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Placing annotations in the edited text" in page and "0 of 30 done" in page
    assert (
        "Placing annotations" not in logged_in(client, alice).get(article.get_absolute_url()).content.decode()
    )
    run_tasks()
    job.refresh_from_db()
    assert (job.state, job.done, job.placed, job.orphaned) == ("done", 30, 30, 0)
    text = Article.objects.get(pk=article.pk).text
    for annotation in Annotation.objects.filter(exact=MOVED):
        assert not annotation.orphaned and text[annotation.start : annotation.end] == MOVED
    page = logged_in(client, editor).get(job.get_absolute_url()).content.decode()
    assert "Placed 30 of 30 annotations in the edited text." in page
    assert "Note 1" not in page  # staff see counts, never other readers' (private) passages or notes


def test_a_reanchoring_is_shown_to_staff_and_its_editor_only(
    client, article, alice, bob, django_capture_on_commit_callbacks
):
    _many_annotations(article, [alice])
    editor, other_staff = (
        _staff(),
        User.objects.create_user("dan", password="a-long-password-4", is_staff=True),
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text="Late news\n\n" + article.text, by=editor)
    job = AnnotationJob.objects.get()
    url = job.get_absolute_url()
    assert logged_in(client, editor).get(url).status_code == 200
    assert logged_in(client, other_staff).get(url).status_code == 200
    assert (
        logged_in(client, alice).get(url).status_code == 404
    )  # her annotations are listed as orphans meanwhile
    assert logged_in(client, bob).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_whoever_updated_their_article_sees_a_reanchoring_s_progress_but_no_counts_of_private_annotations(
    client, article, alice, bob, django_capture_on_commit_callbacks
):
    _many_annotations(article, [alice])  # some of them private
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text="Late news\n\n" + article.text, by=bob)  # a newer version
    job = AnnotationJob.objects.get()
    logged_in(client, bob)
    for page in (client.get(article.get_absolute_url()), client.get(job.get_absolute_url())):
        body = page.content.decode()
        assert "0% done" in body and "of 60" not in body
    run_tasks()
    body = client.get(job.get_absolute_url()).content.decode()
    assert "in place again" in body and "Placed 60" not in body and "<dd>60</dd>" not in body
    assert "Placed 60 of 60" in logged_in(client, _staff()).get(job.get_absolute_url()).content.decode()


def test_a_reanchoring_still_runs_when_its_editor_s_account_is_deleted(
    article, alice, django_capture_on_commit_callbacks
):
    _many_annotations(article, [alice])
    editor = _staff()
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text="Late news\n\n" + article.text, by=editor)
    editor.delete()
    run_tasks()
    job = AnnotationJob.objects.get()
    assert job.owner is None and (job.state, job.placed) == (AnnotationJob.State.DONE, 60)
    assert not Annotation.objects.filter(orphaned=True).exists()


def test_an_import_whose_owner_is_gone_stores_nothing(queued, alice):
    alice.delete()
    run_tasks()
    queued.refresh_from_db()
    assert queued.state == AnnotationJob.State.FAILED and not Annotation.objects.exists()


def test_a_reanchoring_for_an_older_text_gives_way_to_the_newer_one(
    article, alice, django_capture_on_commit_callbacks
):
    _many_annotations(article, [alice])
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text="Late news\n\n" + article.text)
        article_update_text(article=article, text="Later news\n\n" + Article.objects.get(pk=article.pk).text)
    run_tasks()
    older, newer = AnnotationJob.objects.order_by("pk")
    assert older.message.startswith("The text was edited again") and newer.placed == 60
    text = Article.objects.get(pk=article.pk).text
    assert all(text[a.start : a.end] == a.exact for a in Annotation.objects.all())
    assert not Annotation.objects.filter(orphaned=True).exists()


def test_a_few_annotations_are_still_reanchored_at_once(article, alice, django_capture_on_commit_callbacks):
    for n in range(REANCHOR_NOW_MAX):
        create_annotation(alice, article, passage=MOVED, note=f"Note {n}")
    with django_capture_on_commit_callbacks(execute=True):
        article_update_text(article=article, text="Late news\n\n" + article.text)
    assert not AnnotationJob.objects.exists() and not Annotation.objects.filter(orphaned=True).exists()


def test_a_job_whose_worker_died_is_queued_again_then_given_up(queued, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    assert annotation_jobs._job_begin(queued.pk) is not None  # a worker took it, then died
    later = timezone.now() + annotation_jobs.JOB_STALE + datetime.timedelta(seconds=5)
    assert annotation_jobs.annotation_jobs_recover() == []  # still fresh
    with django_capture_on_commit_callbacks(execute=True):
        assert annotation_jobs.annotation_jobs_recover(now=later) == [queued.pk]
    assert annotation_jobs.annotation_jobs_recover(now=later) == []
    assert DBTaskResult.objects.count() == 2
    run_tasks()  # the next worker finishes it
    queued.refresh_from_db()
    assert queued.state == AnnotationJob.State.DONE and Annotation.objects.count() == 30


def test_a_job_started_too_often_is_marked_failed(queued):
    for _ in range(annotation_jobs.JOB_ATTEMPTS):
        assert annotation_jobs._job_begin(queued.pk) is not None
        AnnotationJob.objects.filter(pk=queued.pk).update(state=AnnotationJob.State.QUEUED)
    assert annotation_jobs._job_begin(queued.pk) is None
    queued.refresh_from_db()
    assert queued.state == AnnotationJob.State.FAILED and "stopped 3 times" in queued.message
    assert not Annotation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_imports_a_large_file_queued_from_the_web(client):
    from tests.helpers import database_url, import_article

    article = import_article(text=TEXT)
    alice = User.objects.create_user("alice", password="a-long-password-1")
    response = logged_in(client, alice).post(
        reverse("articles:annotations_import", args=[article.pk]), {"json": _large_import(article)}
    )
    job = AnnotationJob.objects.get()
    assert response["Location"] == job.get_absolute_url() and not Annotation.objects.exists()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--batch", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker.wait(timeout=120)
    finally:
        worker.kill()
    job.refresh_from_db()
    assert (job.state, job.placed, job.orphaned) == (AnnotationJob.State.DONE, 29, 1)
    assert Annotation.objects.filter(user=alice).count() == 30
    assert "Imported 30 annotations." in client.get(job.get_absolute_url()).content.decode()
