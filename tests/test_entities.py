"""One entity for every form of a name across documents — and never two
people merged on a shared surname without evidence."""

from __future__ import annotations

import accord
from accord.compare.entities import name_key


def _entities(*texts: str):
    batch = accord.analyze([accord.Article(t, outlet=f"Outlet {i}") for i, t in enumerate(texts)])
    from accord.compare import compare

    return compare(batch.analyses).entities


def _with(entities, form):
    return [e for e in entities if form == e.name or form in e.aliases]


def test_transliterations_share_a_key():
    assert name_key("Zelenskiy") == name_key("Zelenskyy") == name_key("Zelensky")
    assert name_key("Sergey") == name_key("Sergei")
    assert name_key("Dmitry") == name_key("Dmitri")


def test_spellings_across_documents_are_one_person():
    entities = _entities(
        "Ukrainian President Volodymyr Zelenskiy met the delegation in Kyiv on Monday.",
        "President Volodymyr Zelenskyy said the talks were useful. Zelenskyy thanked the envoys.",
        "Volodymyr Zelensky spoke to reporters after the meeting in Kyiv.",
    )
    people = [e for e in entities if e.type == "PERSON" and "Volodymyr" in e.name]
    assert len(people) == 1
    assert {"Volodymyr Zelenskiy", "Volodymyr Zelenskyy", "Volodymyr Zelensky"} <= {people[0].name, *people[0].aliases}


def test_surname_and_title_join_the_full_name():
    entities = _entities(
        "US Secretary of State Marco Rubio met his counterpart on Thursday. Mr Rubio said the talks were frank.",
        "Rubio told reporters the meeting was useful.",
    )
    rubio = _with(entities, "Marco Rubio")
    assert len(rubio) == 1 and {m.doc for m in rubio[0].mentions} == {"d1", "d2"}


def test_two_people_sharing_a_surname_stay_apart():
    entities = _entities(
        "Hillary Clinton addressed the rally in Ohio on Tuesday.",
        "Former President Bill Clinton campaigned in Florida on Tuesday. Clinton spoke for an hour.",
    )
    hillary, bill = _with(entities, "Hillary Clinton"), _with(entities, "Bill Clinton")
    assert len(hillary) == 1 and len(bill) == 1 and hillary[0].id != bill[0].id
    # The bare "Clinton" in the second report is Bill Clinton (same document).
    assert any(m.text == "Clinton" for m in bill[0].mentions)


def test_acronyms_and_case_variants_are_one_organisation():
    entities = _entities(
        "Ministers of the Association of Southeast Asian Nations (ASEAN) met in Kuala Lumpur.",
        "The Asean summit opened on Thursday.",
        "ASEAN ministers agreed on a statement.",
    )
    asean = [e for e in entities if e.type != "PERSON" and ("ASEAN" in [e.name, *e.aliases] or "Asean" in [e.name, *e.aliases])]
    assert len(asean) == 1
    assert "Association of Southeast Asian Nations" in [asean[0].name, *asean[0].aliases]


def test_name_order_variants_are_one_person():
    entities = _entities(
        "Kim Hyun-Tak, a physicist in Seoul, said the sample was not a superconductor.",
        "Hyun-Tak Kim told reporters the replication had failed.",
    )
    kim = [e for e in entities if e.type == "PERSON" and "Kim" in e.name]
    assert len(kim) == 1 and {m.doc for m in kim[0].mentions} == {"d1", "d2"}


def test_a_name_tagged_as_an_organisation_joins_the_person():
    # The tagger may call a full name an organisation; the surname alone
    # tagged as a person is evidence that it is a person's name.
    entities = _entities(
        "The talks were hosted by Volodymyr Zelenskiy in Kyiv. Zelenskyy thanked the envoys.",
        "Zelensky said the meeting was useful.",
    )
    people = [e for e in entities if "Zelensk" in e.name or any("Zelensk" in a for a in e.aliases)]
    assert len(people) == 1


def test_a_city_never_absorbs_its_country():
    entities = _entities(
        "The mayor of New York met officials from the United States Treasury in New York.",
        "U.S. officials said the United States would respond. New York was quiet.",
    )
    ny = _with(entities, "New York")
    assert len(ny) == 1
    forms = {ny[0].name, *ny[0].aliases}
    assert not forms & {"United States", "the United States", "U.S.", "US"}


def test_dotted_and_plain_acronyms_are_one_place():
    entities = _entities(
        "The United States said on Monday it would send aid.",
        "U.S. officials said the aid would arrive within days.",
    )
    us = [e for e in entities if {"United States", "U.S."} <= {e.name, *e.aliases}]
    assert len(us) == 1


def test_a_byline_author_is_not_a_person_of_the_story():
    batch = accord.analyze([
        accord.Article("Jane Holloway wrote this. Minister Paul Ndlovu said the plan would pass.", outlet="A", authors=["Jane Holloway"]),
        accord.Article("Paul Ndlovu said the plan would pass on Friday.", outlet="B"),
    ])
    from accord.compare import compare

    names = {e.name for e in compare(batch.analyses).entities if e.type == "PERSON"}
    assert "Paul Ndlovu" in names and "Jane Holloway" not in names
