from __future__ import annotations

import pytest

from articles.nlp.types import Analysis, Quote

from .conftest import Run


def _quote(analysis: Analysis, starting: str) -> Quote:
    for quote in analysis.quotes:
        if quote.text.lstrip('“"').startswith(starting):
            return quote
    raise AssertionError(f"no quote starting {starting!r} in {[q.text for q in analysis.quotes]}")


def _spoken(text: str, analysis: Analysis, quote: Quote) -> str:
    assert quote.speaker_start is not None and quote.speaker_end is not None
    return text[quote.speaker_start : quote.speaker_end]


def test_quote_then_name_said(run: Run) -> None:
    text = "Budget news\n“The budget is balanced,” Maria Lopez said on Monday."
    quote = _quote(run(text), "The budget")
    assert quote.speaker == "Maria Lopez"
    assert quote.cue == "said"
    assert quote.kind == "speech"


def test_name_said_colon_then_quote(run: Run) -> None:
    text = "Budget news\nMaria Lopez said: “The budget is balanced.”"
    assert _quote(run(text), "The budget").speaker == "Maria Lopez"


def test_inverted_said_name(run: Run) -> None:
    text = "Budget news\n“The budget is balanced,” said Maria Lopez, the city treasurer."
    assert _quote(run(text), "The budget").speaker == "Maria Lopez"


def test_split_quote_around_cue_has_one_speaker(run: Run) -> None:
    text = (
        "Budget news\nMaria Lopez spoke first.\n“The budget is balanced,” she said, “and the city is safe.”"
    )
    analysis = run(text)
    first, second = _quote(analysis, "The budget"), _quote(analysis, "and the city")
    assert first.speaker == second.speaker == "Maria Lopez"


def test_speaker_named_only_in_the_sentence_after_the_quote(run: Run) -> None:
    text = "Budget news\n“The budget is balanced.” That was how Maria Lopez put it on Monday."
    assert _quote(run(text), "The budget").speaker == "Maria Lopez"


def test_appositive_gives_speaker_and_description(run: Run) -> None:
    text = "Talks news\n“We are hopeful,” John Park, a spokesman for the ministry, said on Friday."
    quote = _quote(run(text), "We are hopeful")
    assert quote.speaker == "John Park"
    assert quote.speaker_description == "a spokesman for the ministry"


def test_according_to_names_the_speaker(run: Run) -> None:
    text = "Talks news\nThe talks were “a waste of time,” according to Senator Mary Hill."
    assert _quote(run(text), "a waste").speaker == "Mary Hill"


def test_organisation_said_in_a_statement(run: Run) -> None:
    text = "Talks news\n“The meeting was productive,” the White House said in a statement."
    quote = _quote(run(text), "The meeting")
    assert quote.speaker == "White House"


def test_organisation_issued_a_statement_saying(run: Run) -> None:
    text = (
        "Talks news\nThe White House issued a statement saying that the leaders had held "
        "“very good and constructive meetings.”"
    )
    assert _quote(run(text), "very good").speaker == "White House"


def test_body_without_a_name_speaks_under_its_description(run: Run) -> None:
    text = "Talks news\n“No decision has been made,” the ministry said."
    assert _quote(run(text), "No decision").speaker == "ministry"


def test_role_only_speaker_keeps_the_role_as_name(run: Run) -> None:
    text = "Talks news\n“Nobody expected this,” a spokesman said."
    assert _quote(run(text), "Nobody expected").speaker == "a spokesman"


def test_continuation_paragraph_belongs_to_previous_speaker(run: Run) -> None:
    text = (
        "Budget news\n“The budget is balanced,” Maria Lopez said on Monday.\n"
        "“We did it without raising taxes.”\nThe council meets again next week."
    )
    assert _quote(run(text), "We did it").speaker == "Maria Lopez"


def test_continuation_sentence_in_same_paragraph_belongs_to_previous_speaker(run: Run) -> None:
    text = "Budget news\n“The budget is balanced,” Maria Lopez said. “We did it without raising taxes.”"
    assert _quote(run(text), "We did it").speaker == "Maria Lopez"


def test_partial_quote_inside_indirect_speech(run: Run) -> None:
    text = "Talks news\nJohn Park met the envoy.\nHe said the talks were “very productive” and would go on."
    analysis = run(text)
    quote = _quote(analysis, "very productive")
    assert quote.speaker == "John Park"
    assert _spoken(text, analysis, quote) == "He"


def test_question_with_asked(run: Run) -> None:
    text = "Talks news\n“Why would we stop now?” Maria Lopez asked."
    assert _quote(run(text), "Why would").speaker == "Maria Lopez"


def test_exclamation_with_other_cue_verbs(run: Run) -> None:
    text = (
        "Rally news\n“We will win!” Maria Lopez insisted.\n“Never again!” John Park replied.\n"
        "“Vote early,” Maria Lopez tweeted."
    )
    analysis = run(text)
    assert _quote(analysis, "We will win").cue == "insisted"
    assert _quote(analysis, "Never again").speaker == "John Park"
    assert _quote(analysis, "Vote early").cue == "tweeted"


def test_quote_running_over_paragraphs_is_one_quote_per_paragraph_with_one_speaker(run: Run) -> None:
    text = (
        "Budget news\n“The budget is balanced,” Maria Lopez said. “We kept our word.\n“And we will keep it.”"
    )
    quotes = run(text).quotes
    assert [q.text for q in quotes[-2:]] == ["“We kept our word.", "“And we will keep it.”"]
    assert [q.speaker for q in quotes[-2:]] == ["Maria Lopez", "Maria Lopez"]
    assert quotes[-2].speaker_start == quotes[-1].speaker_start


def test_quote_whose_speaker_follows_its_last_paragraph_gives_it_to_every_paragraph(run: Run) -> None:
    text = (
        "Harbour news\n“The old pier has to go.\n“We will rebuild it by spring,” the harbour master, "
        "Tomas Berg, said."
    )
    quotes = run(text).quotes
    assert [q.text for q in quotes] == ["“The old pier has to go.", "“We will rebuild it by spring,”"]
    assert {q.speaker for q in quotes} == {"Tomas Berg"}


def test_title_of_a_work_is_unattributed(run: Run) -> None:
    text = "Media news\nThe actor starred in “The Long Night of the City” last year."
    quote = _quote(run(text), "The Long Night")
    assert quote.speaker is None
    assert quote.kind == "unattributed"


def test_scare_quote_is_unattributed(run: Run) -> None:
    text = "Tech news\nThe company sells “smart” fridges to restaurants."
    quote = _quote(run(text), "smart")
    assert quote.speaker is None
    assert quote.kind == "unattributed"


def test_so_called_term_is_unattributed(run: Run) -> None:
    text = "Tech news\nThe so-called “sharing economy” grew quickly in the city."
    assert _quote(run(text), "sharing economy").speaker is None


def test_pronoun_speaker_resolves_to_previous_named_person(run: Run) -> None:
    text = "Budget news\nMaria Lopez presented the plan on Monday.\n“It is balanced,” she said."
    analysis = run(text)
    quote = _quote(analysis, "It is balanced")
    assert quote.speaker == "Maria Lopez"
    assert _spoken(text, analysis, quote) == "she"


def test_pronoun_speaker_agrees_in_gender(run: Run) -> None:
    text = (
        "Budget news\nMs. Lopez met Mr. Park on Monday, and Mr. Park left early.\n"
        "“It was a good meeting,” she said."
    )
    assert _quote(run(text), "It was a good").speaker == "Lopez"


def test_people_sharing_a_surname_are_told_apart_by_honorific(run: Run) -> None:
    text = (
        "Family news\nBill Clinton and Hillary Clinton arrived together.\n"
        "“It is good to be back,” Mrs. Clinton said.\n“We missed this place,” Mr. Clinton said."
    )
    analysis = run(text)
    assert _quote(analysis, "It is good").speaker == "Hillary Clinton"
    assert _quote(analysis, "We missed").speaker == "Bill Clinton"


def test_honorific_surname_goes_to_the_most_mentioned_full_name(run: Run) -> None:
    text = (
        "Kim Jong-un Meets Envoys\nKim Jong-un met the envoys. Kim Jong-un spoke first.\n"
        "Later Kim Yong Chol, a senior official, joined them.\n“We want peace,” Mr. Kim said."
    )
    assert _quote(run(text), "We want peace").speaker == "Kim Jong-un"


def test_quote_offsets_index_the_whole_document(run: Run) -> None:
    text = "Budget news\nFirst paragraph here.\n“The budget is balanced,” Maria Lopez said."
    analysis = run(text)
    quote = _quote(analysis, "The budget")
    assert text[quote.start : quote.end] == quote.text == "“The budget is balanced,”"
    assert text[quote.cue_start : quote.cue_end] == "said"


def test_show_title_in_a_cue_sentence_is_unattributed(run: Run) -> None:
    text = "Media news\n“It went well,” Maria Lopez said on ABC’s “This Week,” adding little else."
    analysis = run(text)
    assert _quote(analysis, "It went well").speaker == "Maria Lopez"
    assert _quote(analysis, "This Week").speaker is None


def test_nested_report_belongs_to_the_outer_speaker(run: Run) -> None:
    text = "Talks news\nMaria Lopez said that John Park called the plan “a disaster” on Monday."
    assert _quote(run(text), "a disaster").speaker == "Maria Lopez"


def test_according_to_an_outlet_owns_the_quote(run: Run) -> None:
    text = "Talks news\n“We will not resign,” the mayor said, according to Reuters."
    assert _quote(run(text), "We will not").speaker == "Reuters"


def test_scare_quote_in_a_persons_clause_is_theirs(run: Run) -> None:
    text = "Race news\nSenator Mary Hill questioned John Park’s “city values” on Monday."
    assert _quote(run(text), "city values").speaker == "Mary Hill"


def test_relative_who_speaker_keeps_its_span_and_takes_the_antecedents_name(run: Run) -> None:
    text = "Talks news\nThe plan came from Maria Lopez, who said it was “the only way forward.”"
    analysis = run(text)
    quote = _quote(analysis, "the only way")
    assert quote.speaker == "Maria Lopez"
    assert _spoken(text, analysis, quote) == "who"


def test_they_resolves_to_a_group_named_just_before(run: Run) -> None:
    text = "Union news\nThe Teamsters rejected the offer on Monday.\n“It is not enough,” they said."
    analysis = run(text)
    quote = _quote(analysis, "It is not enough")
    assert quote.speaker == "Teamsters"
    assert _spoken(text, analysis, quote) == "they"


def test_scare_quote_in_an_open_complement_takes_the_subject_it_hangs_on(run: Run) -> None:
    text = "Housing news\nMaria Lopez tried to stop the “land grab” by developers."
    assert _quote(run(text), "land grab").speaker == "Maria Lopez"


def test_verb_of_manner_right_after_a_quote_reports_it(run: Run) -> None:
    text = (
        "Budget news\n“Who is paying for this?” Maria Lopez grumbled at the hearing on Monday, "
        "before the vote."
    )
    assert _quote(run(text), "Who is paying").speaker == "Maria Lopez"


def test_verb_of_manner_before_a_colon_reports_the_quote(run: Run) -> None:
    text = "Rally news\nMaria Lopez leaned in and boomed: “We will win.”"
    assert _quote(run(text), "We will win").speaker == "Maria Lopez"


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ("Budget news\n“It is balanced,” Maria Lopez said on Monday.", "cue"),
        ("Rally news\nMaria Lopez leaned in and boomed: “It is balanced.”", "manner-verb"),
        ("Budget news\n“It is balanced.” That was how Maria Lopez put it on Monday.", "sentence-after"),
        ("Budget news\nMaria Lopez said so in a statement on Monday. “It is balanced.”", "sentence-before"),
        ("Budget news\nMaria Lopez spoke to the council and said:\n“It is balanced.”", "colon"),
        ("Budget news\n“We won,” Maria Lopez said.\n“It is balanced.”\nThe vote is next.", "continuation"),
        ("Housing news\nMaria Lopez tried to stop the “It is balanced” claims.", "clause-subject"),
    ],
)
def test_each_quote_names_the_strategy_that_found_its_speaker(run: Run, text: str, via: str) -> None:
    quote = _quote(run(text), "It is balanced")
    assert (quote.speaker, quote.via) == ("Maria Lopez", via)


def test_an_unattributed_quote_names_no_strategy(run: Run) -> None:
    quote = _quote(run("Tech news\nThe company sells “smart” fridges to restaurants."), "smart")
    assert (quote.kind, quote.via) == ("unattributed", None)


def test_quote_after_a_colon_goes_to_the_subject_of_the_clause_before_it(run: Run) -> None:
    text = "Budget news\nRosa Delgado has a different view of the plan: “The numbers do not add up.”"
    quote = _quote(run(text), "The numbers")
    assert (quote.speaker, quote.via) == ("Rosa Delgado", "colon")


def test_a_bare_name_before_a_colon_introduces_that_persons_words(run: Run) -> None:
    text = (
        "Budget news\nThe council heard from Rosa Delgado and Ben Okafor.\n"
        "Delgado: “The numbers do not add up.”\nOkafor: “They do.”"
    )
    analysis = run(text)
    assert _quote(analysis, "The numbers").speaker == "Rosa Delgado"
    assert _quote(analysis, "They do").speaker == "Ben Okafor"


def test_quote_paragraph_after_an_introduction_without_a_verb_of_saying_goes_to_the_introduced_person(
    run: Run,
) -> None:
    text = (
        "School news\nThe board met on Monday. Rosa Delgado, the treasurer, was blunt about the budget.\n"
        "“We cannot pay for this. Nobody can.”\n“The money is gone.”"
    )
    analysis = run(text)
    first = _quote(analysis, "We cannot")
    assert (first.speaker, first.via) == ("Rosa Delgado", "introduced")
    assert _quote(analysis, "The money").speaker == "Rosa Delgado"


def test_quote_paragraph_after_a_colon_introduction_goes_to_the_introduced_speaker(run: Run) -> None:
    text = "School news\nRosa Delgado had a message for the board:\n“We cannot pay for this.”"
    quote = _quote(run(text), "We cannot")
    assert (quote.speaker, quote.via) == ("Rosa Delgado", "colon")


@pytest.mark.parametrize(
    "after",
    ["That was the verdict of Rosa Delgado, the treasurer.", "That was Rosa Delgado's answer."],
)
def test_a_sentence_after_the_quote_naming_whose_judgement_it_was_names_the_speaker(
    run: Run, after: str
) -> None:
    text = f"School news\nThe board met on Monday.\n“We cannot pay for this.” {after}"
    quote = _quote(run(text), "We cannot")
    assert (quote.speaker, quote.via) == ("Rosa Delgado", "sentence-after")


def test_it_goes_to_the_organisation_named_as_the_subject_just_before(run: Run) -> None:
    text = "Union news\nThe Teamsters union rejected the offer on Monday. “It is not enough,” it said."
    analysis = run(text)
    quote = _quote(analysis, "It is not")
    assert quote.speaker == "Teamsters"
    assert _spoken(text, analysis, quote) == "it"


def test_they_goes_to_two_people_named_together_just_before(run: Run) -> None:
    text = "Union news\nMaria Lopez and John Park left the talks early. “It is not enough,” they said."
    assert _quote(run(text), "It is not").speaker == "Maria Lopez and John Park"


def test_a_newspaper_speaks_its_editorial_through_it_in_the_next_sentence(run: Run) -> None:
    text = (
        "Media news\nThe Daily Ledger published an editorial on Sunday. "
        "It called the plan a “giveaway to developers.”"
    )
    assert _quote(run(text), "giveaway").speaker == "Daily Ledger"


def test_scare_quote_inside_a_groups_reported_words_goes_to_the_group(run: Run) -> None:
    text = "Union news\nThe union said the plan was a “giveaway” to developers."
    assert _quote(run(text), "giveaway").speaker == "union"


def test_a_dash_and_a_name_after_a_quote_sign_it(run: Run) -> None:
    text = "Voices\n“We will vote.” ― Jorge Falcon\n“Build a wall around him.”\n— Maria Lopez, Texas"
    analysis = run(text)
    assert (_quote(analysis, "We will").speaker, _quote(analysis, "We will").via) == (
        "Jorge Falcon",
        "signed",
    )
    assert _quote(analysis, "Build a wall").speaker == "Maria Lopez"


def test_scare_quote_under_a_gerund_takes_the_subject_of_the_clause_it_hangs_on(run: Run) -> None:
    text = (
        "Euro news\nPaul Weber credited Angela Merkel with holding “the whole continent together” last year."
    )
    quote = _quote(run(text), "the whole continent")
    assert (quote.speaker, quote.via) == ("Paul Weber", "clause-subject")


def test_a_parenthetical_said_reports_the_clause_it_interrupts(run: Run) -> None:
    text = (
        "Net news\nMaria Lopez runs the network.\n"
        "The company just finished the work, she said, to “make sure everyone is connected.”"
    )
    analysis = run(text)
    quote = _quote(analysis, "make sure")
    assert quote.speaker == "Maria Lopez"
    assert _spoken(text, analysis, quote) == "she"


def test_the_clause_holding_the_quote_outranks_a_relative_clause_right_before_it(run: Run) -> None:
    text = "War news\nNothing the mayor said “will calm the voters,” the senator said."
    assert _quote(run(text), "will calm").speaker == "senator"


def test_a_report_nested_in_the_same_persons_report_keeps_the_nearer_mention(run: Run) -> None:
    text = (
        "Race news\nMaria Lopez said on Monday that she would stay, though she tweeted that she "
        "“will not run again.”"
    )
    analysis = run(text)
    quote = _quote(analysis, "will not run")
    assert quote.speaker == "Maria Lopez"
    assert _spoken(text, analysis, quote) == "she"


@pytest.mark.parametrize(
    "text",
    [
        "Talk news\nThe host pressed on. Dana Kessling interjected, “So there will be some flexibility?”",
        "Talk news\n“Not a chance,” opined the columnist Dana Kessling on Monday.",
    ],
)
def test_less_common_verbs_of_saying_report_the_quote(run: Run, text: str) -> None:
    quote = run(text).quotes[0]
    assert (quote.speaker, quote.via) == ("Dana Kessling", "cue")


def test_a_phrasal_verb_of_saying_read_as_verb_and_adverb_still_reports(run: Run) -> None:
    # the small model reads "back" as an adverb here, and the surname "Trump" as a verb
    text = (
        "Debate news\nDana Kessling and Tom Trump debated on Monday.\n"
        "“Dana wants to be a tough guy tonight,” Trump shot back."
    )
    quote = run(text).quotes[0]
    assert (quote.speaker, quote.cue) == ("Tom Trump", "shot")


def test_a_participle_after_the_clause_takes_its_subject(run: Run) -> None:
    text = (
        "Party news\nThe committee released a statement on Monday, offering "
        "“a deep and sincere apology” to the senator."
    )
    assert _quote(run(text), "a deep and sincere").speaker == "committee"


def test_signature_after_a_dash_and_a_non_breaking_space(run: Run) -> None:
    text = "Readers write\n“The new bridge changed my commute for the better.” ―\u00a0Lena Okafor"
    quote = _quote(run(text), "The new bridge")
    assert quote.speaker == "Lena Okafor"
    assert quote.via == "signed"


def test_place_marched_through_does_not_chant(run: Run) -> None:
    text = "Strike news\nNurses marching through the avenues chanted “Staff the wards!” until dawn."
    quote = _quote(run(text), "Staff the wards")
    assert quote.speaker != "avenues"
    assert "avenues" not in (quote.speaker or "")


def test_scare_quote_goes_to_the_name_beside_a_describing_subject(run: Run) -> None:
    text = "Budget news\nOne skeptic, Marta Kowalski, likened the plan to “pouring water into sand” at the hearing."
    quote = _quote(run(text), "pouring water")
    assert quote.speaker == "Marta Kowalski"
    assert quote.via == "clause-subject"


def test_a_nickname_inside_a_name_is_no_quote_of_anyone(run: Run) -> None:
    text = "Rally news\nThe organiser, Marta “Mim” Kowalski, shouted to the crowd outside the hall."
    quote = _quote(run(text), "Mim")
    assert quote.speaker is None
    assert quote.kind == "unattributed"


def test_a_long_sentence_whose_verb_of_saying_says_nothing_else_reports_the_quote_before(run: Run) -> None:
    text = (
        "Rally news\n“Nobody listens to us anymore!” The oldest member of the tenants' association, a retired "
        "teacher from the east side of the city, shouted from the back of the room."
    )
    quote = _quote(run(text), "Nobody listens")
    assert quote.speaker is not None and "oldest member" in quote.speaker
    assert quote.via == "sentence-after"


def test_scare_quote_under_a_second_verb_takes_the_subject_both_verbs_share(run: Run) -> None:
    text = (
        "Harbour news\nMarta Kowalski visited the shipyard and toured its “floating city” with the workers."
    )
    quote = _quote(run(text), "floating city")
    assert quote.speaker == "Marta Kowalski"
    assert quote.via == "clause-subject"


def test_a_saying_participle_takes_the_passive_subject_of_the_clause_it_hangs_on(run: Run) -> None:
    text = (
        "Health news\nMarta Kowalski fell ill in March.\nAfter saying her head felt “as heavy as a bucket of "
        "stones,” she was driven to the county hospital for tests."
    )
    quote = _quote(run(text), "as heavy")
    assert quote.speaker == "Marta Kowalski"
    assert quote.cue == "saying"


def test_a_signature_closing_the_paragraph_signs_its_quotes(run: Run) -> None:
    text = (
        "Readers write\n“The bridge is a gift to the whole valley and to every farmer who crosses it twice a "
        "day.” And we still say “thank you for the bridge.” ―\u00a0Odalys Verhoeven-Quist."
    )
    quote = _quote(run(text), "The bridge is a gift")
    assert quote.speaker == "Odalys Verhoeven-Quist"
    assert quote.via == "signed"


def test_a_quote_in_a_clause_of_time_belongs_to_that_clauses_subject(run: Run) -> None:
    text = (
        "Harbour news\nAna Ruiz described the harbour plan as sound after Tomas Berg attacked the council "
        "and blamed the delays on “lazy planning.”"
    )
    quote = _quote(run(text), "lazy planning")
    assert quote.speaker == "Tomas Berg"
    assert quote.via == "clause-subject"


def test_a_cue_in_a_clause_of_time_is_not_handed_to_the_verb_of_saying_above_it(run: Run) -> None:
    text = (
        "Harbour news\nAna Ruiz said yes, over and over, while Tomas Berg went on about “the cost of the "
        "whole thing.”"
    )
    quote = _quote(run(text), "the cost")
    assert quote.speaker == "Tomas Berg"
    assert quote.cue == "went"


def test_a_quote_in_a_clause_of_cause_stays_with_the_verb_of_saying(run: Run) -> None:
    text = "Harbour news\nAna Ruiz said the plan was sound, because the harbour is “the town's lungs.”"
    assert _quote(run(text), "the town").speaker == "Ana Ruiz"


def test_a_colon_introduces_the_subject_of_the_nearest_clause_before_it(run: Run) -> None:
    text = (
        "Harbour news\nAna Ruiz pressed him so hard that Tomas Berg finally changed his answer: “Fine, we "
        "will build the harbour.”"
    )
    quote = _quote(run(text), "Fine, we")
    assert quote.speaker == "Tomas Berg"
    assert quote.via == "colon"


def test_a_paragraph_running_on_from_an_unclosed_quote_keeps_the_speaker_its_own_cue_names(run: Run) -> None:
    text = (
        "Harbour news\n“The harbour matters to all of us,” Ana Ruiz said on Friday. “Without it the town has no "
        "work and no future.\n“I have been thinking about the harbour for years,” added Tomas Berg, the mayor."
    )
    analysis = run(text)
    assert _quote(analysis, "Without it").speaker == "Ana Ruiz"
    later = _quote(analysis, "I have been thinking")
    assert later.speaker == "Tomas Berg"
    assert later.cue == "added"


def test_a_surname_that_is_also_a_common_word_speaks_after_a_quote(run: Run) -> None:
    text = (
        "Harbour news\nThe columnist Harriet Will criticised the harbour plan in her Sunday column.\n“The "
        "harbour plan is a folly built on borrowed money,” Will wrote."
    )
    quote = _quote(run(text), "The harbour plan")
    assert _spoken(text, run(text), quote) == "Will"
    assert quote.speaker == "Harriet Will"
    assert quote.cue == "wrote"


def test_a_surname_read_as_a_preposition_joins_the_full_name_given_earlier(run: Run) -> None:
    text = (
        "Harbour news\nDaniel From, who ran the council for a decade, was unimpressed.\n"
        '"The circumstances are different now that the fishing is gone," From said.'
    )
    quote = _quote(run(text), "The circumstances")
    assert quote.speaker == "Daniel From"
    assert quote.speaker_index is not None


def test_a_party_and_state_tag_between_a_lawmaker_and_the_verb_does_not_hide_her(run: Run) -> None:
    text = (
        "Harbour news\nSunday at the Oregon Democratic party’s spring convention Sen. Ana Ruiz (D-Ore.) said "
        "presumptive Republican nominee Tomas Berg was a “proven failure” in business."
    )
    quote = _quote(run(text), "proven failure")
    assert quote.speaker == "Ana Ruiz"
    assert quote.cue == "said"


def test_a_paragraph_running_on_from_an_unclosed_quote_takes_its_own_he_added(run: Run) -> None:
    text = (
        "Harbour news\n“The council says the things people want to hear,” Berg said. “But mayors can’t just "
        "promise anything they like. It has consequences for the whole coast.\n“I'm not interested in being "
        "popular. I'm just interested in being right,” he continued. “We will have to work with the fishermen.”"
    )
    analysis = run(text)
    later = _quote(analysis, "I'm not interested")
    assert _spoken(text, analysis, later) == "he"
    assert later.speaker == "Berg"
    assert later.cue == "continued"


def test_they_goes_to_the_campaign_that_is_the_subject_just_before(run: Run) -> None:
    text = (
        "Harbour news\nAna Ruiz's campaign is contrasting her harbour plan with what they call the mayor's "
        "“vanity project.”"
    )
    analysis = run(text)
    quote = _quote(analysis, "vanity project")
    assert _spoken(text, analysis, quote) == "they"
    assert quote.speaker == "Ana Ruiz's campaign"


def test_it_goes_to_the_union_that_is_the_subject_just_before(run: Run) -> None:
    text = (
        "Harbour news\nThe fishermen's union rejected the harbour plan on Monday. It called the plan “a gift to "
        "the developers.”"
    )
    assert _quote(run(text), "a gift").speaker == "fishermen's union"
