import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from articles.models import Actor, Article, Filters, Quote
from articles.rendering.snippets import shown_hit
from articles.search import MAX_QUERY_CHARS, MAX_TERMS, SearchResults, Terms, match_expression, query_terms
from articles.search.windows import WINDOW_AFTER, WINDOW_BEFORE, window
from articles.services.analysis import article_reanalyze
from articles.services.articles import article_delete
from tests.helpers import day, disk_full, import_article, story

pytestmark = pytest.mark.django_db


def _titles(query: str, **filters) -> list[str]:
    return [hit.article.title for hit in SearchResults(query, Filters(**filters))[0:50]]


@pytest.fixture
def library_articles():
    return [
        import_article(
            text=story("Tariffs on steel rise again", "The White House raised tariffs on steel on Monday."),
            source="Gazette",
            published=day("2019-01-15"),
        ),
        import_article(
            text=story(
                "Harbour reopens after storm",
                "Mike Pompeo visited the harbour, where steel cranes were damaged, officials at Maersk said.",
            ),
            source="Daily Planet",
            published=day("2019-06-01"),
        ),
        import_article(
            text=story(
                "Farmers wait for rain", "Wheat farmers in Kansas say the drought is the worst in years."
            ),
            source="Gazette",
        ),
    ]


def test_user_input_is_quoted_so_fts_syntax_is_plain_text():
    assert match_expression('steel "white house" OR NOT') == '"steel" "white house" "OR" "NOT"'
    assert match_expression('"unbalanced (*') == '"unbalanced"'
    assert match_expression("--- ***") == ""


def test_search_ranks_headline_matches_first_and_marks_the_words(library_articles):
    hits = SearchResults("steel", Filters())[0:20]
    assert [h.article.title for h in hits] == ["Tariffs on steel rise again", "Harbour reopens after storm"]
    assert shown_hit(hits[0]).title_html == "Tariffs on <mark>steel</mark> rise again"
    assert "<mark>steel</mark> cranes" in shown_hit(hits[1]).snippet_html


def test_phrases_and_stemmed_words_match(library_articles):
    assert _titles('"white house"') == ["Tariffs on steel rise again"]
    assert _titles("farmer") == ["Farmers wait for rain"]
    assert _titles('"house white"') == []


def test_snippets_escape_the_article_text(client):
    import_article(
        text=story("Odd markup", "The page said <script>alert('steel')</script> and <b>steel</b> twice.")
    )
    page = client.get(reverse("articles:search"), {"q": "steel"}).content.decode()
    assert "<script>alert" not in page and "<b>" not in page
    assert (
        "&lt;script&gt;alert(&#x27;<mark>steel</mark>&#x27;)" in page
        or "&lt;script&gt;alert('<mark>steel</mark>')" in page
    )


def test_filters_by_person_organisation_source_and_date(library_articles):
    pompeo = Actor.objects.get(key="mike pompeo")
    maersk = Actor.objects.get(label="ORG", key="maersk")
    assert _titles("steel", person_id=pompeo.pk) == ["Harbour reopens after storm"]
    assert _titles("steel", org_id=maersk.pk) == ["Harbour reopens after storm"]
    assert _titles("steel", source="Gazette") == ["Tariffs on steel rise again"]
    assert _titles("steel", date_from=day("2019-03-01")) == ["Harbour reopens after storm"]
    assert _titles("steel", date_to=day("2019-03-01")) == ["Tariffs on steel rise again"]


def test_search_page_filters_by_names_typed_by_the_reader(client, library_articles):
    page = client.get(
        reverse("articles:search"), {"q": "steel", "person": "Secretary Mike Pompeo"}
    ).content.decode()
    assert "1 article matches" in page and "Harbour reopens" in page and "Tariffs on" not in page
    page = client.get(reverse("articles:search"), {"q": "steel", "person": "Nobody Here"}).content.decode()
    assert "No person whose name holds" in page


def test_filters_without_words_list_the_articles_newest_first(client, library_articles):
    page = client.get(reverse("articles:search"), {"source": "Gazette"}).content.decode()
    assert "2 articles" in page
    # "Farmers wait for rain" has no publication date: it comes after the dated ones, not as today's news.
    assert page.index("Tariffs on steel rise again") < page.index("Farmers wait for rain")


def test_results_are_paginated(client):
    for i in range(23):
        import_article(text=story(f"Steel report {i}", f"Output of steel rose by {i} percent."))
    first = client.get(reverse("articles:search"), {"q": "steel"}).content.decode()
    second = client.get(reverse("articles:search"), {"q": "steel", "page": 2}).content.decode()
    assert "23 articles match" in first and first.count("search-hit") == 20
    assert second.count("search-hit") == 3 and "Page 2 of 2" in second
    assert "q=steel&amp;page=2" in first


def test_search_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for i in range(25):
        import_article(text=story(f"Steel report {i}", f"Output of steel rose, said Mike Pompeo on day {i}."))
    # Two of them on PostgreSQL set and reset its planner for the matching query, and one keeps the matches
    # the reader may read (articles/search/postgres.py).
    with django_assert_max_num_queries(8 if connection.vendor == "sqlite" else 11):
        page = client.get(reverse("articles:search"), {"q": "steel", "person": "Mike Pompeo"})
    assert page.status_code == 200 and b"25 articles match" in page.content


def test_the_index_follows_reanalysis_and_deletes(library_articles):
    article = library_articles[0]
    article_reanalyze(article=article)
    assert _titles("tariffs") == ["Tariffs on steel rise again"]
    article_delete(article=article)
    assert _titles("tariffs") == [] and _titles("steel") == ["Harbour reopens after storm"]


def test_a_failed_import_leaves_no_index_entry(monkeypatch):
    monkeypatch.setattr(Quote.objects, "bulk_create", disk_full)
    with pytest.raises(RuntimeError):
        import_article(text=story("Zinc shortage", "“We are out of zinc,” said Ana Ruiz."))
    assert _titles("zinc") == []


def test_search_box_is_on_every_page(client, library_articles):
    for url in ["/", library_articles[0].get_absolute_url(), reverse("articles:who_is_quoted")]:
        assert 'role="search"' in client.get(url).content.decode()


def test_deleting_in_the_admin_also_removes_the_index_entry(admin_client, library_articles):
    article = library_articles[0]
    response = admin_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert _titles("tariffs") == [] and _titles("steel") == ["Harbour reopens after storm"]


def test_a_word_in_most_articles_ranks_the_newest_matches_and_lists_the_rest(monkeypatch):
    monkeypatch.setattr("articles.search.fts5.RANKED_MATCHES", 3)
    monkeypatch.setattr("articles.search.postgres.RANKED_MATCHES", 3)
    for i in range(5):
        import_article(text=story(f"Report {i}", f"Output of steel rose by {i} percent."))
    import_article(text=story("Steel steel steel", "Steel mills, steel prices and steel jobs."))
    results = SearchResults("steel", Filters())
    assert results.count() == 6
    titles = [hit.article.title for hit in results[0:6]]
    assert titles[0] == "Steel steel steel" and sorted(titles) == sorted({*titles})
    assert titles[3:] == ["Report 2", "Report 1", "Report 0"]


def _stored(headline: str, paragraph: str):
    """An article stored and indexed without its analysis (search reads the index alone): quick to make."""
    from articles.interchange.article_files import ArticleInput
    from articles.services.articles import article_prepare, article_store

    prepared = article_prepare(incoming=ArticleInput(text=story(headline, paragraph)))
    return article_store(prepared=prepared, analysis=None, public=True)


def test_a_term_repeated_in_any_case_or_accent_is_searched_once():
    assert match_expression("the THE thé The") == '"the"'
    assert match_expression('"White House" steel "white  house" Steel') == '"White House" "steel"'
    assert match_expression("Müller muller MULLER") == '"Müller"'
    # The index takes accents off Latin letters only: on a Greek letter an accent makes another word.
    assert match_expression("ά α") == '"ά" "α"'


def test_a_query_beyond_the_limits_is_cut_to_its_first_terms():
    words = [f"word{i}" for i in range(MAX_TERMS + 3)]
    terms = query_terms(" ".join(words))
    assert terms.expression == " ".join(f'"{w}"' for w in words[:MAX_TERMS]) and terms.shortened
    assert query_terms("the " * 900) == Terms('"the"', shortened=True)
    assert query_terms("tariffs " * 20) == Terms('"tariffs"', shortened=False)
    long_word = "x" * (MAX_QUERY_CHARS + 50)
    assert query_terms(long_word) == Terms(f'"{long_word[:MAX_QUERY_CHARS]}"', shortened=True)


def test_the_worst_queries_over_a_library_answer_with_the_right_articles(client):
    common = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as"]
    assert len(common) == MAX_TERMS
    every_word = " ".join(common)
    for i in range(36):
        paragraph = f"Report {i}: {every_word}." if i % 3 else f"Report {i} on the harbour and the port."
        _stored(f"Harbour report {i}", paragraph)
    search_url = reverse("articles:search")

    page = client.get(search_url, {"q": "the " * 900}).content.decode()
    assert "36 articles match" in page and "The search was shortened" in page

    worst = " ".join(common * 20)[:MAX_QUERY_CHARS]
    page = client.get(search_url, {"q": worst}).content.decode()
    assert "24 articles match" in page and "The search was shortened" not in page

    page = client.get(search_url, {"q": every_word + " harbour port"}).content.decode()
    assert "24 articles match" in page and "The search was shortened" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "steel", "person": "²"}, "No person whose name holds “²”"),
        ({"q": "steel", "org": "³"}, "No organisation whose name holds “³”"),
        ({"q": "steel", "person": "9" * 30}, "No person whose name holds"),
        ({"q": "steel", "from": "2019-13-45"}, "“2019-13-45” is not a date"),
        ({"source": "Gazette", "to": "yesterday"}, "“yesterday” is not a date"),
        ({"q": "steel", "page": "²"}, "2 articles match"),
        ({"q": "steel", "page": "-3"}, "2 articles match"),
        ({"q": "steel", "page": "9" * 40}, "2 articles match"),
        ({"q": "steel", "page": "1e400"}, "2 articles match"),
    ],
)
def test_bad_filter_and_page_values_get_a_page_with_a_message(client, library_articles, params, message):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200 and message in response.content.decode()


def test_a_part_of_a_name_finds_the_one_person_or_organisation_holding_it(client, library_articles):
    page = client.get(reverse("articles:search"), {"q": "steel", "person": "pompeo"}).content.decode()
    assert "1 article matches" in page and "Harbour reopens" in page and "No person" not in page
    page = client.get(reverse("articles:search"), {"org": "Maers"}).content.decode()
    assert "Harbour reopens after storm" in page and "No organisation" not in page


def test_a_name_held_by_several_offers_each_as_a_search_and_an_unknown_one_a_way_on(client, library_articles):
    from articles.models import Actor, Entity

    junior = Actor.objects.create(name="Mike Pompeo Jr.", label="PERSON", key="mike pompeo jr")
    # Named in an article anyone may read (a name in nobody's readable article is suggested to no one).
    Entity.objects.create(article=library_articles[0], name="Mike Pompeo Jr.", label="PERSON", actor=junior)
    page = client.get(reverse("articles:search"), {"q": "steel", "person": "Pompeo"}).content.decode()
    assert "More than one person&#x27;s name holds “Pompeo”" in page
    assert "Did you mean:" in page and ">Mike Pompeo</a>" in page and ">Mike Pompeo Jr.</a>" in page
    page = client.get(reverse("articles:search"), {"q": "steel", "person": "Zzyzx"}).content.decode()
    assert "Search without the filters" in page


def test_suggestions_fill_a_datalist_with_names_holding_what_was_typed(client, library_articles):
    response = client.get(
        reverse("articles:suggest", args=["person"]), {"person": "pomp"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith('<datalist id="person-names">') and '<option value="Mike Pompeo">' in body
    assert (
        client.get(reverse("articles:suggest", args=["person"]), {"person": "p"})
        .content.decode()
        .count("<option")
        == 0
    )
    hostile = client.get(reverse("articles:suggest", args=["org"]), {"org": "<script>"}).content.decode()
    assert "<script>" not in hostile
    assert client.get(reverse("articles:suggest", args=["weapon"])).status_code == 404
    page = client.get(reverse("articles:search")).content.decode()
    assert 'list="person-names"' in page and 'hx-get="/search/suggest/person/"' in page


def test_every_word_counts_accents_fold_and_operators_are_words_on_every_database():
    # The same on SQLite (FTS5) and PostgreSQL (the "newsreader" text-search configuration): no stopwords,
    # accents folded on Latin letters, and words that would be operators searched as words.
    _stored("The Who play the café", "Fans of The Who met at a cafe by the river, steel or iron.")
    _stored("Who cares", "Nobody at the Café Müller said anything about steel.")
    assert _titles('"the who"') == ["The Who play the café"]
    assert sorted(_titles("cafe")) == sorted(_titles("café")) == ["The Who play the café", "Who cares"]
    assert _titles("muller") == ["Who cares"]
    assert _titles("steel OR iron") == ["The Who play the café"]
    assert _titles("steel -iron") == ["The Who play the café"]  # "-" excludes nothing: iron is a word here
    assert _titles("iron AND NOT") == []


def test_markup_in_the_text_is_searched_as_words_and_snippeted_verbatim():
    _stored("Odd page", "The page said <b>tariffs</b> & <i>duties</i> rose.")
    [hit] = [shown_hit(found) for found in SearchResults("tariffs duties", Filters())[0:5]]
    assert hit.snippet_html.endswith(
        "The page said &lt;b&gt;<mark>tariffs</mark>&lt;/b&gt; &amp; &lt;i&gt;<mark>duties</mark>&lt;/i&gt; rose."
    )
    assert _titles("b") == ["Odd page"]


def test_source_lists_sort_by_code_point_whatever_the_server_collation():
    for number, source in enumerate(["apple", "Zeta", "Éclair", "de Volkskrant", "Dean"]):
        _stored(f"Story {number}", f"A story from {source}.")
        Article.objects.filter(title=f"Story {number}").update(source=source)
    assert Article.objects.sources() == ["Dean", "Zeta", "apple", "de Volkskrant", "Éclair"]


def _search_plans(run) -> list[str]:
    """The database's plan of each full-text query `run()` makes, explained just before it runs, on the same
    connection and in the same transaction (so with whatever settings the search made for it)."""
    plans: list[str] = []
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "

    def explained(execute, sql, params, many, context):
        if sql.lstrip().startswith("SELECT") and (" MATCH " in sql or " @@ " in sql):
            context["cursor"].execute(explain + sql, params)
            plans.append("\n".join(str(row[-1]) for row in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        run()
    return plans


def test_matches_come_from_one_pass_over_the_index_also_with_a_filter():
    # A filter must not turn into a lookup of the index per filtered article (SQLite: the filter as the FTS5
    # table's rowid constraint), nor a word in most articles into reading every article's stored vector
    # (PostgreSQL: a scan of the table rather than of its GIN index).
    for i in range(30):
        _stored(f"Steel report {i}", f"Steel output rose by {i} percent." if i % 3 else "Wheat prices fell.")
    Article.objects.filter(title__endswith=("0")).update(source="Gazette")
    for filters in (Filters(), Filters(source="Gazette")):
        results = SearchResults("steel output", filters)
        plans = _search_plans(results.count)
        assert results.count() == (20 if not filters else 2) and plans
        for plan in plans:
            if connection.vendor == "sqlite":
                [index] = re.findall(r"VIRTUAL TABLE INDEX \d+:(\S*)", plan)
                assert "=" not in index, plan  # "=": the index is searched once per given rowid
            elif not filters:
                assert "Bitmap Index Scan on article_search_vector" in plan and "Seq Scan" not in plan, plan


def test_a_long_article_matched_only_far_from_its_start_still_gets_a_snippet_around_the_match():
    opening = " ".join(f"Paragraph {i} is about wheat and the harvest." for i in range(120))
    _stored("Harvest notes", opening + " At the very end the mill bought new turbines.")
    [hit] = [shown_hit(found) for found in SearchResults("turbines", Filters())[0:5]]
    assert "<mark>turbines</mark>" in hit.snippet_html and hit.snippet_html.startswith("…")


def test_a_snippet_is_around_the_word_searched_not_one_that_only_starts_like_it():
    opening = "Syrian refugees crossed the border. " + " ".join(
        f"Paragraph {i} is about wheat and the harvest." for i in range(60)
    )
    _stored("Border notes", opening + " Later the talks on Syria resumed in Geneva.")
    [hit] = [shown_hit(found) for found in SearchResults("Syria", Filters())[0:5]]
    assert "<mark>Syria</mark> resumed" in hit.snippet_html and "Syrian" not in hit.snippet_html


def test_a_word_met_only_with_an_accent_far_into_a_long_article_is_marked_in_its_snippet():
    opening = " ".join(f"Paragraph {i} is about wheat and the harvest." for i in range(60))
    _stored("Town notes", opening + " The old Café Müller reopened on Sunday.")
    [hit] = [shown_hit(found) for found in SearchResults("cafe muller", Filters())[0:5]]
    assert "<mark>Café</mark> <mark>Müller</mark> reopened" in hit.snippet_html


def test_the_stretch_of_text_given_to_postgresql_for_a_snippet_holds_the_words_searched():
    # Pure Python: which part of an article PostgreSQL's ts_headline is given, from the query's lexemes.
    text = "Syrian refugees crossed. " + "Filler words. " * 40 + "Talks on Syria resumed. " + "More. " * 200
    start, end = window(text, ([["syria"]]))
    assert "Talks on Syria resumed" in text[start:end] and "Syrian" not in text[start:end]
    assert text[start - 1].isspace() and text[end].isspace()  # cut between words
    assert end - start <= WINDOW_BEFORE + WINDOW_AFTER
    # The stemmer's endings: "elections" for elect, "policies" for polici, "hoping" for hope.
    for lexeme, word in [
        ("elect", "elections"),
        ("polici", "policies"),
        ("hope", "hoping"),
        ("run", "running"),
    ]:
        text = f"{'Nothing here. ' * 30}They were {word} again."
        found = window(text, ([[lexeme]]))
        assert found is not None and word in text[slice(*found)]
    # A phrase's words one after another, and every term of the query inside the stretch.
    text = "White paint. " * 40 + "The White House said so. " + "Filler. " * 30 + "The campaign began."
    start, end = window(text, ([["white", "hous"], ["campaign"]]))
    assert "The White House said" in text[start:end] and "campaign began" in text[start:end]
    assert text.index("White House") - start <= WINDOW_BEFORE
    # Failing a word with an ending the stemmer drops, the first that starts like the term ("Café" for cafe,
    # which the server then folds); a term found nowhere gives no stretch, and the article is read as before.
    assert window("The Café Müller reopened.", ([["cafe"]])) == (0, 25)
    assert window("The bakery reopened.", ([["cafe"]])) is None
    assert window("The Café reopened.", ([["cafe"], ["bakeri"]])) is None


def test_looking_for_a_snippet_reads_a_long_run_of_separators_once():
    # A hostile text ("white" and a hundred thousand underscores, searched for "White House") must not make
    # the pattern try every way of splitting the run: run apart, so a regression fails at the 60 s timeout
    # instead of hanging (a bound on how long it may take, not a measurement: timings belong in bench/).
    code = (
        "import django; django.setup()\n"
        "from articles.search.windows import window\n"
        "for text in ('The white' + '_' * 100_000 + ' paper.', 'white ' * 100_000, 'white ' + 'a_' * 100_000):\n"
        "    assert window(text, [['white', 'hous'], ['campaign']]) is None\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsreader.settings"}
    subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, timeout=60, check=True)


def test_the_snippet_window_stems_words_as_the_index_does():
    # The window is found by stemming the text's words (snowballstemmer); on PostgreSQL each must be the
    # lexeme the index's own configuration (unaccent, then english_stem) makes of the word.
    from articles.search.windows import stem

    words = ["elections", "policies", "hoping", "running", "Syrian", "Syria", "Café", "generously", "agreed"]
    words += ["skies", "news", "organisation", "quietly", "tariffs", "I'm", "won't", "the"]
    for word in words:
        text = "Nothing here. " * 30 + f"They said {word} again."
        found = window(text, [[stem(w) for w in re.findall(r"[^\W_]+", word)]])
        assert found is not None and word in text[slice(*found)], word
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, array(SELECT lexeme FROM unnest(to_tsvector('newsreader', word)) ORDER BY lexeme) "
                "FROM unnest(%s::text[]) AS word",
                [[*words, "Müller", "naïve", "dying"]],
            )
            index = dict(cursor.fetchall())
        for word in [*words, "Müller", "naïve", "dying"]:
            assert sorted(stem(w) for w in re.findall(r"[^\W_]+", word)) == index[word], word
