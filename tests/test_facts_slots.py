"""Facts whose typed slots disagree are not one fact: invented passages that
share their words but speak of different places, dates or actors, and
passages that name one place in other words (claims built directly; the
analyze stage fills the same fields)."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from accord.compare import meaning
from accord.compare.facts import _Slots, align_facts, compatible
from accord.compare.independence import Sources
from accord.model import Analysis, Claim, Document, Mention, OffsetMap
from accord.settings import DEFAULT

TALKS = ("minister", "meet", "talk", "water", "treaty", "border", "sign")


def _document(doc_id: str, text: str, outlet: str) -> Document:
    return Document(id=doc_id, source=doc_id, format="text", text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                    offsets=OffsetMap.identity(len(text)), outlet=outlet)


def _report(number: int, outlet: str, sentence: str, *, places: tuple[str, ...] = (),
            who: str | None = None, people: tuple[str, ...] = ()) -> Analysis:
    document = _document(f"d{number}", sentence, outlet)

    def span(word: str):
        start = sentence.index(word)
        return document.span(start, start + len(word))

    claim = Claim(span=document.span(0, len(sentence)), keys=TALKS, where=tuple(span(p) for p in places),
                  who=span(who) if who else None)
    mentions = [Mention(p, "PERSON", span(p)) for p in people] + [Mention(p, "GPE", span(p)) for p in places]
    return Analysis(document, claims=[claim], entities=mentions)


def _facts(*analyses: Analysis, **settings):
    chosen = dataclasses.replace(DEFAULT, **settings) if settings else DEFAULT
    return align_facts(list(analyses), Sources({a.document.id: a.document for a in analyses}), settings=chosen)


def test_the_same_words_about_two_places_are_two_facts():
    one = _report(1, "Alder Post", "The ministers met in Lisbon to talk and signed the water treaty on the border.",
                  places=("Lisbon",))
    two = _report(2, "Birch Times", "In Nairobi on Monday, both ministers held talks, then signed a border water treaty.",
                  places=("Nairobi",))
    facts = _facts(one, two)
    assert len(facts) == 2 and all(f.status == "single-source" for f in facts)
    # Without the check (the method before) the shared words made one fact.
    fact, = _facts(one, two, fact_slot_checks=())
    assert fact.status == "corroborated"


def test_a_place_named_in_the_other_sentence_or_in_other_words_is_one_place():
    one = _report(1, "Alder Post", "The ministers met in Lisbon, Portugal to talk and signed the water treaty.",
                  places=("Lisbon", "Portugal"))
    two = _report(2, "Birch Times", "In Portugal the ministers met to talk and signed the water treaty at the border.",
                  places=("Portugal",))
    fact, = _facts(one, two)
    assert fact.status == "corroborated"


@pytest.mark.skipif(not meaning.available(), reason="sentence vectors not installed")
def test_two_names_of_one_country_agree_and_two_cities_do_not():
    uk = _Slots("the ministers met in the uk", (), ("the uk",), ())
    britain = _Slots("the ministers met in britain", (), ("britain",), ())
    riyadh = _Slots("the ministers met in riyadh", (), ("riyadh",), ())
    lumpur = _Slots("the ministers met in kuala lumpur", (), ("kuala lumpur",), ())
    names = ["the uk", "britain", "riyadh", "kuala lumpur"]
    vectors = dict(zip(names, meaning.sentence_vectors(names)))
    checks = frozenset({"places"})
    assert compatible(uk, britain, checks, place_vectors=vectors)
    assert not compatible(riyadh, lumpur, checks, place_vectors=vectors)


def test_different_people_acting_are_two_facts_but_a_possessor_is_not_who_acts():
    one = _report(1, "Alder Post", "Adler met the ministers to talk and signed the water treaty at the border.",
                  who="Adler", people=("Adler",))
    two = _report(2, "Birch Times", "On Monday Brandt held talks with ministers, then signed a border water treaty.",
                  who="Brandt", people=("Brandt",))
    assert len(_facts(one, two)) == 2
    three = _report(3, "Cedar News", "Brandt’s envoy Adler met ministers to talk and signed the water treaty.",
                    who="Brandt’s envoy Adler", people=("Brandt", "Adler"))
    fact, = _facts(one, three)
    assert fact.status == "corroborated"


def test_dates_disagree_only_when_both_give_days_that_differ():
    friday = _Slots("", ("2021-07-16",), (), ())
    saturday = _Slots("", ("2021-07-17",), (), ())
    undated = _Slots("", (), (), ())
    checks = frozenset({"dates"})
    assert not compatible(friday, saturday, checks)
    assert compatible(friday, undated, checks) and compatible(friday, friday, checks)
    assert "dates" in DEFAULT.fact_slot_checks


def test_the_day_a_source_spoke_is_not_the_day_of_what_it_told():
    """"An official told CNN Thursday" may tell of Wednesday's calls: a
    relayed claim's dates are not compared."""
    from accord.compare.facts import _slots
    from accord.model import TimeExpression

    document = _document("d1", "Governors were told on Wednesday, an official told CNN Thursday.", "Alder Post")
    thursday = document.span(document.text.index("Thursday"), document.text.index("Thursday") + 8)
    claim = Claim(span=document.span(0, len(document.text)), keys=TALKS, when=(thursday,),
                  according_to=document.span(document.text.index("an official"), document.text.index("an official") + 11))
    times = {(thursday.start, thursday.end): TimeExpression(thursday, "2021-09-16", "day")}
    assert _slots(claim, times, []).dates == ()
    assert _slots(dataclasses.replace(claim, according_to=None), times, []).dates == ("2021-09-16",)


def test_a_sentence_cut_short_by_an_excerpt_joins_its_fact_but_never_supports_or_disputes_it():
    whole = _report(1, "Alder Post", "The ministers met in Lisbon to talk and signed the water treaty at the border.")
    cut = _report(2, "Birch Times", "After talks, both ministers signed a border water treaty but did not...")
    fact, = _facts(whole, cut)
    assert fact.stances == ["asserts", "hedges"] and fact.status == "single-source"
    # Left out of facts altogether when asked (the value of issue 10).
    facts = _facts(whole, cut, fact_cut_short_passages=False)
    assert [len(f.support) for f in facts] == [1]


def test_two_outlets_joined_only_through_a_relayed_sentence_of_several_facts_do_not_corroborate():
    """A asserts one fact, C another; B relays a source's sentence that
    states both. A and C end in one fact through B, but never state the same
    thing: no corroboration."""
    def report(number, outlet, sentence, keys, **fields):
        document = _document(f"d{number}", sentence, outlet)
        return Analysis(document, claims=[Claim(span=document.span(0, len(sentence)), keys=keys, **fields)])

    first = ("vaccine", "effective", "hospitalization", "month", "remain")
    second = ("study", "fund", "@pfizer", "evaluate", "aim")
    a = report(1, "Alder Post", "The vaccine remains effective against hospitalization for months.", first)
    b = report(2, "Birch Times", "It remains effective against hospitalization for months, says the study funded "
               "by Pfizer that aimed to evaluate it.", first + second, assertor="the study")
    c = report(3, "Cedar News", "The study, funded by Pfizer, aimed to evaluate the shot.", second)
    # Without frames and a corroboration threshold (the method before) the
    # chain corroborated.
    before = _facts(a, b, c, fact_frames=False)
    joined = [f for f in before if {s.doc for s in f.support} == {"d1", "d2", "d3"}]
    if not joined:
        pytest.skip("the three passages did not make one fact here")
    assert joined[0].status == "corroborated"
    for settings in ({"fact_frames": False, "fact_corroboration_threshold": 0.5}, {}):
        # Asserting passages must link to each other directly: with a
        # threshold, and by default (a pair of passages is checked clause by
        # clause, and only passages linked to each other are).
        fact = next(f for f in _facts(a, b, c, **settings) if {s.doc for s in f.support} == {"d1", "d2", "d3"})
        assert fact.status == "single-source" and fact.outlets == 2 and fact.independent == 1, settings


def test_a_sentence_cut_short_alone_makes_no_fact_and_never_gives_a_fact_its_words():
    whole = _report(1, "Alder Post", "The ministers met in Lisbon to talk and signed the water treaty at the border.")
    cut = _report(2, "Birch Times", "After long talks, both ministers signed a border water treaty and the...")
    fact, = _facts(whole, cut)
    assert not fact.text.endswith("...")
    assert _facts(cut) == []


def test_without_a_parsed_subject_the_people_of_the_sentence_are_who_acts():
    one = _report(1, "Alder Post", "Adler met the ministers to talk and signed the water treaty at the border.",
                  who="Adler", people=("Adler",))
    two = _report(2, "Birch Times", "In a parallel meeting, Brandt held talks with ministers and signed a border water "
                  "treaty.", people=("Brandt",))
    assert len(_facts(one, two)) == 2
    assert len(_facts(one, two, fact_slot_checks=())) == 1
