"""Conflicts on invented passages: each kind, and each false alarm issue 10 names."""

from __future__ import annotations

import re

import accord
from accord.compare.conflicts import find_conflicts, mark_disputed
from accord.model import Fact, Span


def _dossier(*texts: str, outlets: tuple[str, ...] = ("Daily Ledger", "Evening Post", "Coast Times")):
    return accord.dossier([accord.Article(t, outlet=o) for t, o in zip(texts, outlets)])


def _values(dossier):
    return [c for c in dossier.conflicts if c.kind == "value"]


def _normalized(conflict) -> set[str | None]:
    return {side.normalized for side in conflict.sides}


# --------------------------------------------------------------------------- values


def test_durations_of_two_different_events_do_not_conflict():
    dossier = _dossier(
        "Foreign ministers Anna Rudd and Piet Laszlo held a 30-minute meeting in Vienna on Monday. "
        "They discussed grain exports.",
        "Piet Laszlo flew for two hours to Oslo after the summit. His plane landed late in the evening.",
    )
    assert _values(dossier) == []


def test_one_document_giving_two_durations_tells_two_things():
    dossier = _dossier(
        "Anna Rudd and Piet Laszlo held 30-minute talks in Vienna. Laszlo then took a two-hour flight.",
        "Anna Rudd and Piet Laszlo held two-hour talks in Vienna.",
    )
    [conflict] = _values(dossier)
    assert _normalized(conflict) == {"30 minutes", "120 minutes"}
    # The document that gives both values is the side of its talks only.
    sides = {side.normalized: {s.text for s in side.support} for side in conflict.sides}
    assert sides["30 minutes"] == {"30-minute"}


def test_the_same_event_named_in_other_words_conflicts():
    dossier = _dossier(
        "Anna Rudd and Piet Laszlo met for 40 minutes in Vienna on Monday.",
        "Anna Rudd said after her two-hour discussion with Piet Laszlo in Vienna that progress was made.",
    )
    [conflict] = _values(dossier)
    assert _normalized(conflict) == {"40 minutes", "120 minutes"}
    assert conflict.topic.startswith("how long the discussion")  # named from the parse, not a fixed word
    assert "Daily Ledger" in conflict.description and "Evening Post" in conflict.description


def test_a_paraphrase_with_about_is_not_a_conflict_but_beyond_about_is():
    within = _dossier(
        "The talks between Moreau and Ibsen in Geneva lasted about an hour.",
        "Moreau and Ibsen held 58-minute talks in Geneva.",
    )
    assert _values(within) == []
    beyond = _dossier(
        "The talks between Moreau and Ibsen in Geneva lasted about an hour.",
        "Moreau and Ibsen held 40-minute talks in Geneva.",
    )
    [conflict] = _values(beyond)
    assert _normalized(conflict) == {"60 minutes", "40 minutes"}


def test_units_are_converted_before_values_are_compared():
    same = _dossier(
        "The lab said the synthesis temperature of the crystal was 400 °C, according to the paper by Kim and Lee.",
        "Kim and Lee reported a synthesis temperature of 752 °F for the crystal.",
        "The talks between Moreau and Ibsen lasted 1.5 hours, aides of Moreau said.",
    )
    assert _values(same) == []
    hours = _dossier(
        "Moreau and Ibsen held 1.5-hour talks in Geneva.",
        "Moreau and Ibsen held 90-minute talks in Geneva.",
    )
    assert _values(hours) == []
    differ = _dossier(
        "The lab said the synthesis temperature of the crystal was 400 °C, according to the paper by Kim and Lee.",
        "Kim and Lee reported a synthesis temperature of 932 °F for the crystal.",
    )
    [conflict] = _values(differ)
    assert conflict.topic == "the synthesis temperature"
    assert _normalized(conflict) == {"400 °C", "500 °C"}


def test_two_amounts_for_the_same_bill_conflict():
    dossier = _dossier(
        "Speaker Mary Holt said the House would vote this week on a $1 trillion infrastructure bill backed by Senator Dean.",
        "The House under Speaker Mary Holt will vote on the $1.2 trillion infrastructure bill written by Senator Dean.",
    )
    [conflict] = _values(dossier)
    assert "bill" in conflict.topic
    assert {s.value for s in conflict.sides} == {"$1 trillion", "$1.2 trillion"}


def test_amounts_of_two_different_bills_do_not_conflict():
    dossier = _dossier(
        "Speaker Mary Holt said the House would vote this week on a $1 trillion infrastructure bill.",
        "Progressives under Mary Holt want the $3.5 trillion spending bill passed first.",
    )
    assert _values(dossier) == []


def test_a_measurement_reported_at_two_times():
    dossier = _dossier(
        "After five months, the Norvax vaccine is just 47% effective against infection, the Lancet study by Norvax found.",
        "The Norvax vaccine fell to 47% six months later, according to the Lancet study of Norvax.",
    )
    [conflict] = _values(dossier)
    assert "47%" in conflict.topic


# --------------------------------------------------------------------------- quotations


_SAID = "“We will build the new bridge before the winter comes, and the river will not stop us,” Mayor Ilse Berg said on Monday."


def test_a_negation_added_is_a_severe_quotation_conflict():
    dossier = _dossier(
        _SAID,
        "“We will build the new bridge before the winter comes, and the river will not stop us,” Mayor Ilse Berg said.",
        "“We will not build the new bridge before the winter comes, and the river will not stop us,” Mayor Ilse Berg said.",
    )
    [conflict] = [c for c in dossier.conflicts if c.kind == "quotation"]
    assert conflict.severity >= 0.8
    assert "Coast Times" in conflict.description
    denying = next(d.id for d in dossier.documents if "will not build" in d.text)
    assert any(f.status == "disputed" for f in dossier.facts) or conflict.sides[1].support[0].doc == denying


def test_a_hesitation_is_not_a_divergence():
    dossier = _dossier(
        _SAID,
        "“Maybe, erm, yes. We will build the new bridge before the winter comes, and the river will not stop us,” "
        "Mayor Ilse Berg said.",
    )
    assert [c for c in dossier.conflicts if c.kind in ("quotation", "attribution")] == []
    assert all(s.agreement != "divergent" for s in dossier.statements)


def test_a_censored_word_is_not_a_conflict_of_meaning():
    dossier = _dossier(
        "“This whole plan is a lot of bullshit and the council knows it,” councillor Tom Reyes said on Monday.",
        "“This whole plan is a lot of bulls*** and the council knows it,” councillor Tom Reyes said.",
    )
    assert [c for c in dossier.conflicts if c.kind in ("quotation", "attribution")] == []


def test_a_changed_connective_is_a_minor_quotation_conflict():
    dossier = _dossier(
        "“I think it is a new and a different approach to the war,” Senator Paula Grant told reporters on Monday.",
        "“I think it is a new or a different approach to the war,” Senator Paula Grant told reporters.",
    )
    [conflict] = [c for c in dossier.conflicts if c.kind == "quotation"]
    assert conflict.severity < 0.3
    # A minor difference is listed, but the summary does not tell it.
    assert not any(s.text.startswith("Reports differ") for s in dossier.summary)


def test_the_same_words_in_different_mouths_are_an_attribution_conflict():
    words = "“The dam will hold through the spring floods and every farmer downstream will get water,”"
    dossier = _dossier(
        f"{words} Minister Lena Moss said on Tuesday.",
        f"{words} engineer Karl Voss said on Tuesday.",
    )
    [conflict] = [c for c in dossier.conflicts if c.kind == "attribution"]
    names = " ".join(side.value for side in conflict.sides)
    assert "Moss" in names and "Voss" in names


# --------------------------------------------------------------------------- stance


def _span(doc: str, text: str) -> Span:
    return Span(doc, 0, len(text), text)


def test_a_fact_asserted_by_some_and_questioned_by_others_is_disputed():
    texts = {
        "d1": "The sample became a superconductor at room temperature.",
        "d2": "The sample became a superconductor at room temperature, the authors said.",
        "d3": "Other labs questioned whether the sample became a superconductor at room temperature.",
    }
    support = [_span(doc, text) for doc, text in texts.items()]
    fact = Fact("f1", texts["d1"], support, 3, 3, "corroborated",
                stances=["asserts", "attributes", "questions"], assertors=[None, "the authors", "other labs"])
    conflicts = find_conflicts([], [], [], [fact])
    [conflict] = conflicts
    assert conflict.kind == "stance"
    against = conflict.sides[1]
    assert [s.doc for s in against.support] == ["d3"] and "other labs" in against.value
    assert {s.doc for s in conflict.sides[0].support} == {"d1", "d2"} and "the authors" in conflict.sides[0].value
    mark_disputed([fact], conflicts)
    assert fact.status == "disputed"


def test_a_fact_all_documents_assert_is_not_disputed():
    support = [_span("d1", "The bridge opened."), _span("d2", "The bridge opened.")]
    fact = Fact("f1", "The bridge opened.", support, 2, 2, "corroborated", stances=["asserts", "asserts"])
    assert find_conflicts([], [], [], [fact]) == []


# --------------------------------------------------------------------------- ranking


def test_conflicts_are_ranked_by_severity_with_ids_in_that_order():
    dossier = _dossier(
        "Anna Rudd and Piet Laszlo held 30-minute talks in Vienna on Monday. “I think it is a new and a different "
        "approach to the war,” Anna Rudd told reporters on Monday.",
        "Anna Rudd and Piet Laszlo held two-hour talks in Vienna. “I think it is a new or a different approach to "
        "the war,” Anna Rudd told reporters.",
        "Anna Rudd and Piet Laszlo held two-hour talks in Vienna, officials said.",
    )
    severities = [c.severity for c in dossier.conflicts]
    assert len(severities) == 2 and severities == sorted(severities, reverse=True)
    assert [c.id for c in dossier.conflicts] == ["c1", "c2"]
    assert dossier.conflicts[0].kind == "value" and all(c.description for c in dossier.conflicts)
    as_json = dossier.conflicts[0].to_dict()
    assert {"kind", "severity", "description"} <= set(as_json)


def test_a_rate_and_a_stretch_of_history_are_not_lengths():
    dossier = _dossier(
        "The panel led by Judge Ana Ruiz will sit three days a week for six months in Denver.",
        "The panel led by Judge Ana Ruiz will sit for four days a week in Denver, and Ruiz has ruled it for the last 44 years.",
    )
    assert _values(dossier) == []


def test_a_repeated_phrase_is_not_a_negation_added():
    dossier = _dossier(
        "“We will not stand by and let them abuse those rights in the region,” Mayor Ilse Berg said on Monday.",
        "“We will not, we will not stand by and let them abuse those rights in the region,” Mayor Ilse Berg said.",
    )
    assert [c for c in dossier.conflicts if c.kind == "quotation"] == []


def test_a_quotation_that_goes_on_further_is_not_a_divergence():
    dossier = _dossier(
        "“The sentence is a legal analysis of the facts of this specific case,” Judge Omar Hale said on Friday.",
        "“The sentence is a legal analysis of the facts of this specific case, it is not based on emotion or "
        "sympathy,” Judge Omar Hale said.",
    )
    assert [c for c in dossier.conflicts if c.kind == "quotation"] == []


def test_a_count_told_on_two_days_is_not_a_conflict():
    first = "The flood in Lorn killed 18 people, the mayor of Lorn, Ada Penn, said."
    later = "The flood in Lorn killed 25 people, Ada Penn, the mayor of Lorn, said."
    apart = accord.dossier([accord.Article(first, outlet="Daily Ledger", published="2026-03-01"),
                            accord.Article(later, outlet="Evening Post", published="2026-03-03")])
    assert _values(apart) == []
    same_day = accord.dossier([accord.Article(first, outlet="Daily Ledger", published="2026-03-01"),
                               accord.Article(later, outlet="Evening Post", published="2026-03-01")])
    [conflict] = _values(same_day)
    assert conflict.topic.startswith("how many people")


# --------------------------------------------------------------------------- issue 20: one fact, real disputes


def _fact(texts: dict[str, str], stances: list[str], assertors: list[str | None] | None = None) -> Fact:
    support = [_span(doc, text) for doc, text in texts.items()]
    return Fact("f1", next(iter(texts.values())), support, len(texts), len(texts), "corroborated",
                stances=stances, assertors=assertors or [None] * len(texts))


def test_two_negative_sentences_that_say_the_same_thing_agree():
    fact = _fact({"d1": "The Qufu team did not observe zero resistance in the sample.",
                  "d2": "The Qufu team observed no zero resistance in the sample, and no superconductivity."},
                 ["asserts", "denies"])
    assert find_conflicts([], [], [], [fact]) == []


def test_a_negation_of_another_predicate_is_not_a_denial():
    fact = _fact({"d1": "Talks on the budget ended with no end in sight for the shutdown.",
                  "d2": "Talks on the budget could not break an impasse over the shutdown."},
                 ["asserts", "denies"])
    assert find_conflicts([], [], [], [fact]) == []


def test_a_denial_of_the_same_predicate_in_an_outlets_own_voice_is_a_stance_conflict():
    fact = _fact({"d1": "The lab in Seoul replicated the levitation of the sample.",
                  "d2": "The lab in Seoul has not replicated the levitation of the sample."},
                 ["asserts", "denies"])
    [conflict] = find_conflicts([], [], [], [fact])
    assert conflict.kind == "stance"
    mark_disputed([fact], [conflict])
    assert fact.status == "disputed" and fact.disputed_by == [conflict.id]


def test_a_relayed_denial_by_another_source_does_not_dispute():
    fact = _fact({"d1": "The lab in Seoul replicated the levitation of the sample.",
                  "d2": "The lab in Seoul has not replicated the levitation of the sample, a rival said."},
                 ["asserts", "denies"], [None, "a rival"])
    assert find_conflicts([], [], [], [fact]) == []


def test_an_inquiry_is_not_doubt():
    fact = _fact({"d1": "Police are holding the man who fired the shot.",
                  "d2": "Police are questioning the man who fired the shot."},
                 ["attributes", "questions"], ["police", "police"])
    assert find_conflicts([], [], [], [fact]) == []


def test_mark_disputed_marks_only_the_fact_a_conflict_is_about():
    a, b = "The talks lasted 50 minutes.", "The talks lasted an hour."
    about = Fact("f1", a, [_span("d1", a), _span("d2", b)], 2, 2, "corroborated")
    beside = Fact("f2", a, [_span("d1", a)], 1, 1, "single-source")
    stale = Fact("f3", "The sky is blue.", [_span("d3", "The sky is blue.")], 2, 2, "disputed")
    from accord.model import Conflict, ConflictSide

    conflict = Conflict("c1", "how long the talks lasted", [
        ConflictSide("50 minutes", None, [Span("d1", 16, 26, "50 minutes")]),
        ConflictSide("an hour", None, [Span("d2", 16, 23, "an hour")])], severity=0.8)
    mark_disputed([about, beside, stale], [conflict])
    assert about.status == "disputed" and about.disputed_by == ["c1"]
    assert beside.status == "single-source" and beside.disputed_by == []
    # Disputed by the facts stage with nothing that disputes it: two origins assert it.
    assert stale.status == "corroborated" and stale.disputed_by == []
    assert about.to_dict()["disputed_by"] == ["c1"]


def test_one_persons_age_told_differently_conflicts_and_two_people_do_not():
    dossier = _dossier(
        "Warrants were issued for Marcus Bell, 23, and Ralph Dunn, 25, on Friday.",
        "Marcus Bell, 24, was shot in the chest and Ralph Dunn, 25, in the leg, police said.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic == "the age of Marcus Bell" and _normalized(conflict) == {"23 years", "24 years"}
    sons = _dossier(
        "Dean Hale's 24-year-old son and 12-year-old daughter were at the range.",
        "Hale came with his 12-year-old daughter, 24-year-old son and 14-year-old son.",
    )
    assert _values(sons) == []


def test_precise_figures_one_digit_apart_conflict():
    dossier = _dossier(
        "Records show the couple spent $5,687.75 on a retreat at a resort on the island, according to Ada Penn.",
        "According to Ada Penn, the couple used the money for a $5,587.75 vacation on the island.",
    )
    [conflict] = _values(dossier)
    assert {s.value for s in conflict.sides} == {"$5,687.75", "$5,587.75"}


def test_times_of_day_of_one_event():
    dossier = _dossier(
        "Dale Ruiz was shot in the chest at 11:35 a.m. Friday on Parnell Avenue, police said.",
        "Dale Ruiz was shot in the chest at 11:52 a.m. Friday on Parnell Avenue.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic.startswith("the time of day")
    rounded = _dossier(
        "The shooting happened around 5:30 a.m. Saturday on Parnell Avenue.",
        "It happened at 5:38 a.m. Saturday on Parnell Avenue, police said.",
    )
    assert _values(rounded) == []


def test_every_disputed_fact_links_to_a_conflict_of_the_dossier(corpus_dossier, example_dossier):
    for dossier in (corpus_dossier, example_dossier):
        ids = {c.id for c in dossier.conflicts}
        for fact in dossier.facts:
            assert (fact.status == "disputed") == bool(fact.disputed_by), fact.text
            assert set(fact.disputed_by) <= ids


def test_the_five_reports_tell_each_disagreement_once_with_each_outlet_on_one_side(corpus_dossier):
    conflicts = corpus_dossier.conflicts
    length = [c for c in conflicts if c.kind == "value" and "50" in " ".join(s.value for s in c.sides)
              and any("hour" in s.value or "60" in s.value for s in c.sides)]
    approach = [c for c in conflicts if any("not a new approach" in s.value for s in c.sides)
                and any(re.search(r"new and (a )?different approach", s.value) for s in c.sides)]
    assert len(length) == 1 and len(approach) == 1
    placed: dict[str, set[str]] = {}
    for conflict in conflicts:
        docs = [{s.doc for s in side.support} for side in conflict.sides]
        assert all(not (a & b) for i, a in enumerate(docs) for b in docs[i + 1:]), conflict.description
        for side, side_docs in zip(conflict.sides, docs):
            for doc in side_docs if conflict.severity >= 0.3 else ():
                placed.setdefault(doc, set()).add(" ".join(re.findall(r"\w+", side.value.lower())))
    # No outlet is put on two sides that one conflict opposes (a minor
    # difference of wording is no opposition: one report may quote both).
    for conflict in [c for c in conflicts if c.severity >= 0.3]:
        wordings = [" ".join(re.findall(r"\w+", s.value.lower())) for s in conflict.sides]
        for doc, values in placed.items():
            assert sum(w in values for w in set(wordings)) <= 1, (doc, conflict.description)


def test_the_summary_tells_the_top_conflicts_and_how_many_more():
    from accord.synthesize import MAX_CONFLICTS

    parts = [f"The {name} talks between Anna Rudd and Piet Laszlo in Vienna lasted {minutes} minutes."
             for name, minutes in (("trade", 30), ("water", 40), ("grain", 50), ("border", 70), ("power", 80))]
    other = [f"The {name} talks between Anna Rudd and Piet Laszlo in Vienna lasted {minutes} minutes."
             for name, minutes in (("trade", 90), ("water", 100), ("grain", 110), ("border", 130), ("power", 140))]
    dossier = _dossier(" ".join(parts), " ".join(other))
    told = [s for s in dossier.summary if s.text.startswith("Reports differ")]
    worth = [c for c in dossier.conflicts if c.severity >= 0.3]
    assert len(worth) > MAX_CONFLICTS
    assert len(told) == MAX_CONFLICTS
    assert told[-1].text.endswith(f"The dossier lists {len(worth) - MAX_CONFLICTS} more disagreements.")


def test_where_the_victim_was_hit():
    dossier = _dossier(
        "Police found the boy with a gunshot wound to the shoulder on Alder Road.",
        "The boy was shot in the chest on Alder Road, police said.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic == "where the victim was hit"
    within = _dossier("The girl was shot in the eye on Alder Road.", "The girl was shot in the head on Alder Road.")
    assert _values(within) == []
    several = _dossier("One man was shot in the leg and another in the chest, and a third was shot in the arm.",
                       "A man was shot in the head on Alder Road.")
    assert _values(several) == []


def test_a_date_told_with_had_to_is_of_a_done_event_and_a_plan_is_not():
    first = "A Senate aide on Friday apologized for a post about Ana Ruiz and Ben Ortiz."
    done = "The Senate aide had to apologize Saturday for a post about Ana Ruiz and Ben Ortiz."
    planned = "The Senate aide will apologize Saturday for a post about Ana Ruiz and Ben Ortiz."
    dated = [accord.Article(t, outlet=o, published="2026-03-09") for t, o in ((first, "Daily Ledger"), (done, "Evening Post"))]
    [conflict] = _values(accord.dossier(dated))
    assert conflict.topic.startswith("the date")
    plan = [accord.Article(t, outlet=o, published="2026-03-09") for t, o in ((first, "Daily Ledger"), (planned, "Evening Post"))]
    assert _values(accord.dossier(plan)) == []


def test_one_block_on_two_streets_conflicts():
    dossier = _dossier("Shots were fired in the 700 block of West 68th Street early Friday.",
                       "Officers responded to the 700 block of Central Street after the shots.")
    [conflict] = _values(dossier)
    assert conflict.topic == "the street of the 700 block"
    same = _dossier("Shots were fired in the 700 block of West 68th Street early Friday.",
                    "Officers responded to the 700 block of 68th St. after the shots.")
    assert _values(same) == []


def test_a_child_told_as_a_boy_and_as_a_girl():
    dossier = _dossier("A two-year-old boy was hurt at the Alder Court apartments on Tuesday.",
                       "The girl was taken to the children's hospital from Alder Court on Tuesday.")
    [conflict] = _values(dossier)
    assert {s.normalized for s in conflict.sides} == {"boy", "girl"}
    several = _dossier("A boy and his sister were hurt at Alder Court on Tuesday.",
                       "The girl was taken to the children's hospital from Alder Court on Tuesday.")
    assert _values(several) == []


def test_the_report_shows_the_top_conflicts_and_how_many_more():
    from accord.render import to_html, to_markdown
    from accord.render.report import MAX_CONFLICTS

    names = ["trade", "water", "grain", "border", "power", "fishing", "railway", "pipeline", "airport", "tariff",
             "visa", "wheat", "cotton", "bridge"]
    short = [f"The {n} talks between Anna Rudd and Piet Laszlo in Vienna lasted {m} minutes."
             for n, m in zip(names, range(30, 300, 10))]
    long = [f"The {n} talks between Anna Rudd and Piet Laszlo in Vienna lasted {m} minutes."
            for n, m in zip(names, range(400, 2000, 50))]
    dossier = _dossier(" ".join(short), " ".join(long)).to_dict()
    more = len(dossier["conflicts"]) - MAX_CONFLICTS
    assert more > 0
    markdown = to_markdown(dossier)
    assert markdown.count("\n### ") == MAX_CONFLICTS and f"…and {more} more" in markdown
    html = to_html(dossier)
    assert html.count('<article class="conflict"') == MAX_CONFLICTS and f"…and {more} more" in html


# --------------------------------------------------------------------------- issue 20, second round


def test_days_of_the_week_of_one_done_event():
    dossier = _dossier(
        "The Senate voted on Wednesday on a measure that renames the Harbor Bridge.",
        "Senators mocked the Senate for passing a measure on Tuesday that renames the Harbor Bridge.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic == "the day of the passing"
    assert {s.value for s in conflict.sides} == {"Wednesday", "Tuesday"}


def test_days_of_two_peoples_acts_or_of_a_plan_do_not_conflict():
    two_people = _dossier(
        "In a statement issued Thursday, Ada Penn said the firm represents the campaign.",
        "On Sunday, Mara Voss issued a statement about the inquiry.",
    )
    assert _values(two_people) == []
    plan = _dossier(
        "The Senate voted Wednesday on the Harbor Bridge measure.",
        "The Senate will vote Thursday on the Harbor Bridge measure.",
    )
    assert _values(plan) == []


def test_ages_of_a_child_of_one_sex():
    dossier = _dossier(
        "Officers found the man with his 5-year-old daughter in the house on Elm Road.",
        "Officers found the man and a 3-year-old girl in the house on Elm Road.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic == "the age of the girl"
    assert _normalized(conflict) == {"5 years", "3 years"}
    # A document with a sister of another age tells of two girls.
    sisters = _dossier(
        "Officers found a 5-year-old girl in the house on Elm Road.",
        "A 3-year-old girl and her 5-year-old sister were in the house on Elm Road.",
    )
    assert _values(sisters) == []


def test_a_time_after_an_event_noun_is_that_events():
    dossier = _dossier(
        "The shooting took place about 1:45 a.m. on Tennessee Street.",
        "Ray Dunn, 18, was charged in connection with the fatal shooting of his brother Lee Dunn around 1:54 a.m.",
    )
    [conflict] = _values(dossier)
    assert conflict.topic == "the time of day it happened"
    close = _dossier(
        "The shooting took place about 1:45 a.m. on Tennessee Street.",
        "Ray Dunn, 18, was charged in connection with the fatal shooting of his brother Lee Dunn around 1:47 a.m.",
    )
    assert _values(close) == []


def test_an_address_and_a_block_on_streets_of_two_kinds():
    dossier = _dossier("Four men were leaving the apartments at 8800 Willow Square when the gun went off.",
                       "Police got a call for the shooting in the 8800 block of Willow Drive.")
    [conflict] = _values(dossier)
    assert conflict.topic == "the street of the 8800 block"
    same = _dossier("Four men were leaving the apartments at 8812 Willow Drive when the gun went off.",
                    "Police got a call for the shooting in the 8800 block of Willow.")
    assert _values(same) == []


def test_a_part_of_the_day_against_a_clock_time():
    dossier = _dossier(
        "The shooting occurred about 9:12 p.m. on Elm Street.",
        "Officers responded to a shots fired call on Elm Street that morning.",
    )
    [conflict] = _values(dossier)
    assert {s.value for s in conflict.sides} == {"about 9:12 p.m.", "that morning"}
    agreeing = _dossier(
        "The shooting occurred about 9:12 p.m. on Elm Street.",
        "Officers responded to a shots fired call on Elm Street that evening.",
    )
    assert _values(agreeing) == []


def test_a_wide_time_that_allows_both_sides_takes_neither():
    dossier = _dossier(
        "The shooting took place about 1:45 a.m. on Tennessee Street.",
        "Ray Dunn, 18, was charged in connection with the fatal shooting of his brother Lee Dunn around 1:54 a.m.",
        "The shooting happened early this morning on Tennessee Street.",
    )
    [conflict] = _values(dossier)
    assert {s.value for s in conflict.sides} == {"about 1:45 a.m.", "around 1:54 a.m."}


def test_two_reports_of_one_paper_are_told_apart_on_the_sides_of_a_conflict():
    # gvc-571210 put "Chicago Tribune says 11:35; Chicago Tribune says 11:37":
    # a reader could not tell which report said which.
    from accord.model import Document, OffsetMap, distinct_labels

    def document(doc_id: str, outlet: str, published: str | None) -> Document:
        return Document(doc_id, f"{doc_id}.txt", "text", "x", "0", OffsetMap([0, 1]), outlet=outlet,
                        published=published)

    names = distinct_labels([document("d1", "Tribune", "2016-06-03"), document("d2", "Tribune", "2016-06-05"),
                             document("d3", "Sun-Times", "2016-06-03")])
    assert names == {"d1": "Tribune, 2016-06-03", "d2": "Tribune, 2016-06-05", "d3": "Sun-Times"}
    same_day = distinct_labels([document("d1", "Tribune", "2016-06-03"), document("d2", "Tribune", "2016-06-03")])
    assert same_day == {"d1": "Tribune (d1)", "d2": "Tribune (d2)"}


def test_one_person_placed_in_two_cities():
    dossier = _dossier(
        "The leaked letter was mailed to a nursing student in Tulsa by a clerk of Senator Marlow.",
        "Senator Marlow said he never met the recipient, Dana Fisk, a nursing student at Redbud College in Norman.",
    )
    [conflict] = [c for c in _values(dossier) if c.topic.startswith("where")]
    assert {side.normalized for side in conflict.sides} == {"tulsa", "norman"}
    assert "student" in conflict.topic


def test_places_a_document_names_together_or_of_two_events_do_not_conflict():
    # The second report names both cities: one lies in the other's county, or both are told.
    both = _dossier(
        "The leaked letter was mailed to a nursing student in Tulsa by a clerk of Senator Marlow.",
        "The recipient, a nursing student in Norman, had grown up near Tulsa, Senator Marlow's office said.",
    )
    assert [c for c in _values(both) if c.topic.startswith("where")] == []
    # Two meetings of other people, each in its city.
    other_people = _dossier(
        "Ministers Anna Rudd and Piet Laszlo met in Vienna on Monday to discuss grain exports.",
        "Envoys Ada Okafor and Lena Brandt met in Lisbon to discuss grain exports and shipping.",
    )
    assert [c for c in _values(other_people) if c.topic.startswith("where")] == []
    # The same people meeting in two cities do conflict.
    same_people = _dossier(
        "Ministers Anna Rudd and Piet Laszlo met in Vienna on Monday to discuss grain exports.",
        "Anna Rudd and Piet Laszlo met in Lisbon to discuss grain exports and shipping.",
    )
    [conflict] = [c for c in _values(same_people) if c.topic.startswith("where")]
    assert {side.normalized for side in conflict.sides} == {"vienna", "lisbon"}


def test_days_of_the_week_told_by_reports_a_week_apart_do_not_conflict():
    first = "Police arrested Tom Reyes on Tuesday in connection with the Alder Road shooting."
    second = "Police say Tom Reyes was arrested Monday in connection with the Alder Road shooting."
    near = [accord.Article(first, outlet="Daily Ledger", published="2026-03-12"),
            accord.Article(second, outlet="Evening Post", published="2026-03-13")]
    [conflict] = _values(accord.dossier(near))
    assert {s.value for s in conflict.sides} == {"Tuesday", "Monday"}
    apart = [accord.Article(first, outlet="Daily Ledger", published="2026-03-12"),
             accord.Article(second, outlet="Evening Post", published="2026-03-17")]
    assert _values(accord.dossier(apart)) == []


def test_a_negation_traded_for_other_words_where_two_quotations_open_is_a_quotation_conflict():
    dossier = _dossier(
        "“If they don’t fund the levee this spring it will raise the risk that the river floods the lower town,” "
        "engineer Ruth Alder told reporters.",
        "“To fund the levee this spring would raise the risk that the river floods the lower town,” "
        "engineer Ruth Alder told reporters.",
    )
    [conflict] = [c for c in dossier.conflicts if c.kind == "quotation"]
    assert len({s.doc for side in conflict.sides for s in side.support}) == 2
    # A quotation that only starts earlier, with a negation of its own, does not conflict.
    longer = _dossier(
        "“We cannot wait. To fund the levee this spring would raise the risk that the river floods the lower town,” "
        "engineer Ruth Alder told reporters.",
        "“To fund the levee this spring would raise the risk that the river floods the lower town,” "
        "engineer Ruth Alder told reporters.",
    )
    assert [c for c in longer.conflicts if c.kind == "quotation"] == []


def test_a_wound_beside_a_part_is_not_in_it_and_lies_in_what_holds_it():
    beside = _dossier("The girl was shot in the right eye inside her home on Alder Road.",
                      "The girl died of a bullet wound just above one eye, police said.")
    [conflict] = _values(beside)
    assert conflict.topic == "where the victim was hit"
    assert {s.normalized for s in conflict.sides} == {"eye", "above the eye"}
    holds = _dossier("The girl was shot in the head inside her home on Alder Road.",
                     "The girl died of a bullet wound just above one eye, police said.")
    assert _values(holds) == []


def test_the_neighbourhood_a_shooting_happened_in():
    dossier = _dossier(
        "A neighbour saw two teens run from a three-flat in Harwick Park on Friday after the shot rang out.",
        "A boy was wounded in the head early Friday in Glenwood Heights, police said, after teens found a gun.",
    )
    [conflict] = [c for c in _values(dossier) if c.topic == "where it happened"]
    assert {side.normalized for side in conflict.sides} == {"harwick park", "glenwood heights"}
    # A county holds the town another report names.
    county = _dossier(
        "A boy was wounded in the head early Friday in Fenwick County, police said, after teens found a gun.",
        "A boy was wounded in the head early Friday in Glenwood Heights, police said, after teens found a gun.",
    )
    assert [c for c in _values(county) if c.topic == "where it happened"] == []


def test_a_victim_told_as_an_adult_and_as_a_minor():
    dossier = _dossier(
        "A quarrel among teens on Alder Road led to the fatal shooting of a 16-year-old boy, police say.",
        "A man sitting in his parked car on Alder Road was shot and killed Thursday, police said.",
    )
    [conflict] = [c for c in _values(dossier) if "adult" in c.topic]
    assert {side.normalized for side in conflict.sides} == {"adult", "minor"}
    # "another man" is a second person; a report telling of a man and a boy tells of two victims.
    other = _dossier(
        "A quarrel among teens on Alder Road led to the fatal shooting of a 16-year-old boy, police say.",
        "Police say the gunman also shot another man on Alder Road on Thursday.",
    )
    assert [c for c in _values(other) if "adult" in c.topic] == []
    both = _dossier(
        "A quarrel among teens on Alder Road led to the fatal shooting of a 16-year-old boy, police say.",
        "A man was shot and killed on Alder Road Thursday, and a boy was wounded, police said.",
    )
    assert [c for c in _values(both) if "adult" in c.topic] == []


def test_a_place_named_with_stops_in_the_other_report_is_named_there():
    # The second report names St. Louis too: the suburb lies in it, no disagreement.
    dossier = _dossier(
        "A boy was wounded in the head early Friday in St. Louis, police said, after teens found a gun.",
        "A boy was wounded in the head early Friday in Glenwood Heights, police said; the St. Louis "
        "police are looking for the gun's owner.",
    )
    assert [c for c in _values(dossier) if c.topic == "where it happened"] == []
