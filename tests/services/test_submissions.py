"""Adding what a reader sent: one service answers "stored", "already here" or "a changed version of"."""

import pytest

from articles.interchange.article_files import ArticleRejected
from articles.models import Article
from articles.services.submissions import Outcome, Submission, article_add
from tests.helpers import TEXT, import_article, nothing_written
from tests.local_server import Reply
from tests.web import HARBOUR, front_page, story_page

pytestmark = pytest.mark.django_db


def test_pasted_text_is_stored_and_its_analysis_queued(alice):
    submitted = article_add(submission=Submission(text=TEXT, source="Gazette"), reader=alice)
    assert submitted.outcome == Outcome.STORED
    article = Article.objects.get()
    assert submitted.article == article and article.added_by == alice
    assert article.analysis_state == Article.Analysis.PENDING


def test_the_same_text_again_is_already_in_your_library_and_writes_nothing(settings, alice):
    settings.NEWSREADER_LIBRARY = "personal"
    first = article_add(submission=Submission(text=TEXT), reader=alice).article
    again = article_add(submission=Submission(text="  " + TEXT + "\n"), reader=alice)
    assert again.outcome == Outcome.ALREADY_HERE and again.article == first
    assert "already in your library" in again.message
    assert Article.objects.count() == 1 and first.library_entries.count() == 1


def test_another_reader_s_text_joins_the_second_reader_s_library_without_a_second_copy(settings, alice, bob):
    settings.NEWSREADER_LIBRARY = "personal"
    first = article_add(submission=Submission(text=TEXT), reader=alice).article
    again = article_add(submission=Submission(text="  " + TEXT + "\n"), reader=bob)
    # Bob lands on it, as if he had stored it: nothing says someone else saved it first.
    assert again.outcome == Outcome.STORED and again.article == first and not again.message
    assert Article.objects.count() == 1
    assert set(first.library_entries.values_list("reader__username", flat=True)) == {"alice", "bob"}


def test_in_a_shared_library_the_same_text_again_is_already_here(settings, alice, bob):
    settings.NEWSREADER_LIBRARY = "shared"
    first = article_add(submission=Submission(text=TEXT), reader=alice).article
    again = article_add(submission=Submission(text="  " + TEXT + "\n"), reader=bob)
    assert again.outcome == Outcome.ALREADY_HERE and again.article == first
    assert "already in the library" in again.message
    assert Article.objects.count() == 1


def test_a_new_text_under_the_same_headline_and_source_is_a_changed_version_and_writes_nothing(alice):
    original = import_article(text=TEXT, source="Gazette")
    changed = TEXT + "\n\nThe vote is expected next week."
    submitted = article_add(submission=Submission(text=changed, source="Gazette"), reader=alice)
    assert submitted.outcome == Outcome.CHANGED and submitted.article == original
    assert submitted.new_text.endswith("The vote is expected next week.")
    assert Article.objects.count() == 1 and Article.objects.get().text == TEXT


def test_a_saved_address_is_already_here_without_fetching_it_and_a_recheck_finds_the_change(alice, local_web):
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR)))
    first = article_add(submission=Submission(url=url), reader=alice)
    assert first.outcome == Outcome.STORED and first.article.title == HARBOUR[0]
    again = article_add(submission=Submission(url=url), reader=alice)
    assert again.outcome == Outcome.ALREADY_HERE and again.article == first.article
    assert len(local_web.requests) == 1
    local_web.route("/harbour", Reply(story_page(*HARBOUR, "A new paragraph was added at noon today.")))
    rechecked = article_add(submission=Submission(url=url, recheck=True), reader=alice)
    assert rechecked.outcome == Outcome.CHANGED and rechecked.article == first.article
    assert "added at noon" in rechecked.new_text and Article.objects.count() == 1


def test_an_address_needs_a_reader_and_bad_input_is_refused_with_nothing_written(local_web):
    url = local_web.route("/harbour", Reply(story_page(*HARBOUR)))
    with pytest.raises(ArticleRejected, match="Log in to save a page"):
        article_add(submission=Submission(url=url), reader=None)
    with pytest.raises(ArticleRejected, match="binary"):
        article_add(submission=Submission(file_name="a.txt", file_data=b"\x00\x01\x02" * 50), reader=None)
    assert local_web.requests == [] and nothing_written()


def test_a_sites_front_page_is_asked_about_and_saved_only_when_the_reader_says_so(alice, local_web):
    url = local_web.route("/", Reply(front_page()))
    asked = article_add(submission=Submission(url=url), reader=alice)
    assert asked.outcome == Outcome.NOT_AN_ARTICLE and asked.article is None
    assert asked.message == "This looks like a site's front page, not an article."
    assert "most of its text is the titles of links" in asked.incoming.not_an_article and nothing_written()
    anyway = article_add(submission=Submission(url=url, anyway=True), reader=alice)
    assert anyway.outcome == Outcome.STORED and anyway.article.title == "The Springfield Herald"
    assert anyway.article.published is None  # not a date guessed from the links' addresses
