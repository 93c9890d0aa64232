"""Stories and near-duplicates on small documents written for these tests."""

from __future__ import annotations

import hashlib

import pytest

import accord.group
from accord.errors import UsageError
from accord.group import DuplicateIndex, StoryIndex, group_stories, near_duplicates
from accord.group.stories import stream_stories
from accord.group.duplicates import resemblance, sketch
from accord.group.features import capitalised_names, profile, stated_day
from accord.model import Document, OffsetMap


def doc(doc_id: str, text: str, *, title: str | None = None, published: str | None = None) -> Document:
    return Document(
        id=doc_id,
        source=f"{doc_id}.txt",
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
        published=published,
        title=title,
    )


PERU_1 = doc(
    "peru-1",
    "A magnitude 6.8 earthquake struck southern Peru near the city of Arequipa on "
    "Monday, killing at least 12 people and damaging hundreds of adobe homes, the "
    "national civil defence institute said. The quake was centred 40 kilometres "
    "south of Arequipa at a depth of 35 kilometres. President Dina Boluarte flew to "
    "the region and promised aid for families left homeless in Caylloma province.",
    title="Earthquake kills 12 in southern Peru",
    published="2024-03-11",
)
PERU_FOLLOW_UP = doc(
    "peru-2",
    "Rescue teams in Arequipa pulled two more bodies from collapsed adobe homes on "
    "Wednesday, raising the death toll from Monday's magnitude 6.8 earthquake in "
    "southern Peru to 17. Dina Boluarte declared a state of emergency in Caylloma "
    "province, where aftershocks kept families sleeping in tents, civil defence said.",
    title="Peru quake toll rises to 17 as Arequipa digs out",
    published="2024-03-13",
)
TURKEY = doc(
    "turkey-1",
    "A magnitude 5.9 earthquake shook eastern Turkey on Thursday, collapsing a mosque "
    "minaret in Malatya and injuring 23 people, the disaster agency AFAD said. The "
    "quake was centred in the Yesilyurt district of Malatya province at a depth of "
    "seven kilometres. Interior Minister Ali Yerlikaya said search teams had reached "
    "every village in Yesilyurt.",
    title="Quake injures 23 in Malatya, eastern Turkey",
    published="2024-03-14",
)
ELECTION = doc(
    "vote-1",
    "Voters in Portugal went to the polls on Sunday in a snap parliamentary election "
    "called after Prime Minister Antonio Costa resigned over a lobbying inquiry. Luis "
    "Montenegro's Democratic Alliance led the Socialists narrowly in the final count, "
    "while the far-right Chega party of Andre Ventura tripled its seats in Lisbon.",
    title="Portugal votes in snap election",
    published="2024-03-10",
)

ORIGINAL_PARAGRAPHS = [
    "The city council of Rivermouth voted 7 to 2 on Tuesday night to close the "
    "Harbour Street library branch at the end of June, citing a budget gap of "
    "1.4 million dollars in the coming fiscal year.",
    "Residents packed the council chamber for more than three hours, and dozens "
    "spoke against the closure, many of them parents whose children use the "
    "branch's after-school reading programme.",
    "Council member Grace Adeyemi, who voted against the plan, said the branch was "
    "the only public space within walking distance for many families in the "
    "eastern neighbourhoods of the city.",
    "The library's collection will be moved to the central branch, and the "
    "building will be offered for lease, according to the city manager's office.",
    "Library staff at the branch will be offered positions elsewhere in the city "
    "system, a spokesperson for the workers' union said after the vote.",
    "A petition to keep the branch open has gathered more than four thousand "
    "signatures since the plan was first announced in March.",
]
ORIGINAL = doc("wire", "\n\n".join(ORIGINAL_PARAGRAPHS), title="Council votes to close Harbour Street library")
REPRINT = doc(
    "reprint",
    "\n\n".join(
        ORIGINAL_PARAGRAPHS
        + ["The mayor is expected to sign the budget, including the closure, next week."]
    ),
    title="Rivermouth library branch to shut in June after council vote",
)
OTHER_REPORT = doc(
    "own-report",
    "Rivermouth will lose its Harbour Street library this summer. After a long and "
    "angry meeting on Tuesday, councillors approved the closure by seven votes to "
    "two, pointing to a shortfall of 1.4 million dollars. Grace Adeyemi opposed it.",
    title="Harbour Street library to close",
)


def test_exported_names() -> None:
    assert set(accord.group.__all__) == {
        "DuplicateIndex",
        "StoryIndex",
        "group_stories",
        "mark_boilerplate",
        "near_duplicates",
        "repeated_sentences",
    }


def test_two_earthquakes_in_one_week_are_two_stories() -> None:
    stories = group_stories([PERU_1, TURKEY])
    assert [s.documents for s in stories] == [["peru-1"], ["turkey-1"]]


def test_follow_up_two_days_later_joins_the_story() -> None:
    stories = group_stories([PERU_1, TURKEY, ELECTION, PERU_FOLLOW_UP])
    assert [s.documents for s in stories] == [["peru-1", "peru-2"], ["turkey-1"], ["vote-1"]]
    peru = stories[0]
    assert peru.id == "s1"
    assert peru.first_published == "2024-03-11"
    assert peru.last_published == "2024-03-13"
    assert peru.title in {PERU_1.title, PERU_FOLLOW_UP.title}


def test_the_same_event_a_year_apart_is_not_one_story() -> None:
    a_year_later = doc(
        "peru-3", PERU_FOLLOW_UP.text, title=PERU_FOLLOW_UP.title, published="2025-03-13"
    )
    stories = group_stories([PERU_1, a_year_later])
    assert len(stories) == 2


def test_story_ids_follow_first_documents_and_title_falls_back_to_first_sentence() -> None:
    untitled = doc("untitled", ELECTION.text)
    stories = group_stories([untitled, PERU_1])
    assert [s.id for s in stories] == ["s1", "s2"]
    assert stories[0].title == "Voters in Portugal went to the polls on Sunday in a snap " \
        "parliamentary election called after Prime Minister Antonio Costa resigned over a " \
        "lobbying inquiry."


def test_online_add_equals_batch() -> None:
    documents = [PERU_1, ELECTION, TURKEY, PERU_FOLLOW_UP, ORIGINAL, REPRINT, OTHER_REPORT]
    index = StoryIndex()
    keys = [index.add(d) for d in documents]
    assert keys[0] == keys[3]
    assert index.story_of("peru-2") == keys[0]
    online = [(s.id, s.title, s.documents) for s in index.stories()]
    assert online == [(s.id, s.title, s.documents) for s in stream_stories(documents)]
    # The pile, clustered as a whole, finds the same stories here.
    assert [s.documents for s in group_stories(documents)] == [s[2] for s in online]
    # One story's record by its key is the same as in the full list.
    for key in set(keys):
        one = index.story(key)
        assert (one.id, one.title, one.documents) in online


def test_precomputed_entity_names_are_used() -> None:
    with_names = profile(TURKEY, names=["Malatya", "AFAD", "Ali Yerlikaya"])
    assert "@malatya" in with_names.vector
    assert "@yerlikaya" in with_names.vector
    with pytest.raises(UsageError):
        group_stories([PERU_1, TURKEY], names=[["Arequipa"]])


def test_capitalised_runs_stand_in_for_entities() -> None:
    text = "Another quake hit.\nPresident Dina Boluarte visited the Gulf of Aden on Monday."
    names = [name for name, _ in capitalised_names(text)]
    assert "Dina Boluarte" in names
    assert "Gulf of Aden" in names
    assert "Another" not in names and "Monday" not in names


def test_dateline_stands_in_for_missing_publication_date() -> None:
    from datetime import date

    assert stated_day("Published : July 29 , 2004\nFrederick LaRue") == date(2004, 7, 29).toordinal()
    assert stated_day("21 July 2013 Last updated at 11:11 GMT") == date(2013, 7, 21).toordinal()
    assert stated_day("No date here.") is None


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(UsageError):
        group_stories([PERU_1], threshold=0.0)


def test_reprint_with_new_headline_and_added_paragraph_is_a_near_duplicate() -> None:
    groups = near_duplicates([ORIGINAL, PERU_1, REPRINT, OTHER_REPORT])
    assert groups == [["wire", "reprint"]]


def test_independent_report_of_the_same_event_is_not_a_duplicate() -> None:
    assert resemblance(sketch(ORIGINAL.text), sketch(OTHER_REPORT.text)) < 0.2
    assert near_duplicates([ORIGINAL, OTHER_REPORT]) == []


def test_duplicate_groups_are_transitive_and_online() -> None:
    second_reprint = doc("reprint-2", REPRINT.text + "\n\nThis story was updated.")
    index = DuplicateIndex()
    assert index.add(ORIGINAL) == []
    assert index.add(REPRINT) == ["wire"]
    assert sorted(index.add(second_reprint)) == ["reprint", "wire"]
    assert index.groups() == [["wire", "reprint", "reprint-2"]]


def test_empty_and_tiny_documents() -> None:
    empty = doc("empty", "")
    tiny = doc("tiny", "Breaking news.")
    assert near_duplicates([empty, tiny]) == []
    stories = group_stories([empty, tiny])
    assert [s.documents for s in stories] == [["empty"], ["tiny"]]
