"""Claims as frames (issue 19): each claim carries one frame per clause it
tells, read off the parse, and the facts stage keeps two passages apart when
their related clauses name other people or the other polarity. Invented
sentences, analysed by the real pipeline."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from accord.analyze import analyze
from accord.compare.facts import align_facts
from accord.compare.independence import Sources
from accord.model import Document, OffsetMap
from accord.settings import DEFAULT


def _document(doc_id: str, text: str, outlet: str) -> Document:
    return Document(id=doc_id, source=doc_id, format="text", text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                    offsets=OffsetMap.identity(len(text)), outlet=outlet)


@pytest.fixture(scope="module")
def analysed():
    def run(*texts: str) -> list:
        documents = [_document(f"d{n}", text, f"Outlet {n}") for n, text in enumerate(texts)]
        return list(analyze(documents))
    return run


def _frames(analysis, fragment: str):
    claim = next(c for c in analysis.claims if fragment in c.span.text)
    return {f.predicate: f for f in claim.frames}


def test_each_clause_is_a_frame_with_its_participants(analysed):
    analysis, = analysed("A 12-year-old girl was badly hurt and the driver was arrested near the Orrin bridge on Sunday.\n\n"
                         "Deputies said the driver was not carrying a licence.\n\n"
                         "Marta Kovell, who has coached the team since 2009, resigned from the club.")
    frames = _frames(analysis, "badly hurt")
    assert {"hurt", "arrest"} <= set(frames)
    # Passives: the subject is who it happens to.
    assert frames["hurt"].patient == "girl" and frames["arrest"].patient == "driver"
    assert frames["arrest"].span.text.startswith("the driver was arrested")
    # A verb of saying is not the frame: the clause it reports is, negated.
    reported = _frames(analysis, "Deputies said")
    assert "say" not in reported and reported["carry"].negated and reported["carry"].agent == "driver"
    # A relative clause tells a fact of the noun it describes.
    coach = _frames(analysis, "Kovell")
    assert coach["coach"].agent == "@kovell" and coach["resign"].agent == "@kovell"


def test_a_pronoun_stands_for_the_person_named_before_it(analysed):
    analysis, = analysed("Mr. Miller's sister, Maria, came to court with him, and later she pleaded guilty to fraud.")
    assert _frames(analysis, "Maria")["plead"].agent == "@maria"
    # A name that only modifies another noun is nobody "he" can stand for.
    analysis, = analysed("The White House asked Bill Clinton to talk to Joe Varga about a senior post in the Obama "
                         "administration if he would drop out of the race.")
    assert _frames(analysis, "Varga")["drop"].agent == "@varga"


def test_clauses_about_other_people_do_not_corroborate(analysed):
    one, two = analysed(
        "Former mayor David Miller pleaded guilty on Tuesday to a fraud charge in the Marlow court.\n\n"
        "The hearing lasted an hour.",
        "Miller's brother, Robert, also went to the Marlow court, and on Tuesday he pleaded guilty to a fraud charge.\n\n"
        "Reporters waited outside.")
    sources = Sources({a.document.id: a.document for a in (one, two)})
    with_frames = align_facts([one, two], sources)
    without = align_facts([one, two], sources, settings=dataclasses.replace(DEFAULT, fact_frames=False))
    assert not any(f.status == "corroborated" for f in with_frames), [(f.text, f.status) for f in with_frames]
    # The words alone (the method before frames) made them one fact.
    assert any(f.status == "corroborated" for f in without)


def test_the_same_event_in_other_words_still_corroborates(analysed):
    one, two = analysed(
        "Former mayor David Miller pleaded guilty on Tuesday to a fraud charge in the Marlow court.",
        "On Tuesday, ex-mayor David Miller pleaded guilty to one fraud charge at the court in Marlow.")
    facts = align_facts([one, two], Sources({a.document.id: a.document for a in (one, two)}))
    assert [f.status for f in facts] == ["corroborated"]


def test_a_quotation_with_a_named_speaker_is_an_attributed_claim(analysed):
    quote = "“We will rebuild the eastern pier before the winter storms arrive,” said harbour chief Lena Brandt."
    one, two = analysed(quote + "\n\nThe pier collapsed last week.", quote.replace("said harbour chief Lena Brandt", "Brandt said")
                        + "\n\nWork starts in May.")
    claim = next(c for c in one.claims if "rebuild" in c.span.text)
    assert claim.assertor and "Brandt" in claim.assertor and claim.passage == "quotation"
    facts = align_facts([one, two], Sources({a.document.id: a.document for a in (one, two)}))
    fact = next(f for f in facts if "rebuild" in f.text)
    # Two outlets relaying one speaker's words confirm that she said them,
    # never the words themselves.
    assert fact.status == "attributed" and "Brandt" in (fact.source or "") and fact.reported_by == 2


def test_one_speakers_two_quotations_are_two_facts(analysed):
    # Why: two outlets quoting one spokesman on one subject in other words
    # were one attributed fact (they share the subject's words and the name).
    one, two = analysed(
        "“In recent days, these harbour e-mails have been selectively and inaccurately read out to the press,” "
        "said a Port Authority spokesman, Eric Vance.",
        "“To make clear what is and is not in these harbour e-mails, today the Port Authority took the "
        "extraordinary step of releasing these harbour e-mails,” Vance said.")
    facts = align_facts([one, two], Sources({a.document.id: a.document for a in (one, two)}))
    assert not [f for f in facts if len({s.doc for s in f.support}) > 1]
    # The same quotation relayed by both is still one attributed fact.
    three, four = analysed(
        "“In recent days these harbour e-mails have been read out selectively to the press,” said spokesman Eric Vance.",
        "“These harbour e-mails have been read out selectively to the press in recent days,” Vance said on Friday.")
    facts = align_facts([three, four], Sources({a.document.id: a.document for a in (three, four)}))
    assert [f.status for f in facts if len({s.doc for s in f.support}) > 1] == ["attributed"]


def test_a_short_caption_in_the_present_passive_is_no_claim(analysed):
    analysis, = analysed("The flooded lanes of the Orrin bridge are seen.\n\n"
                         "The bridge was closed on Sunday after the river rose two metres.")
    caption = next(c for c in analysis.claims if "are seen" in c.span.text)
    assert caption.passage == "boilerplate"
    report = next(c for c in analysis.claims if "closed" in c.span.text)
    assert report.passage != "boilerplate"


def test_two_sources_sharing_a_place_word_are_two_sources():
    from accord.compare.independence import same_source as _same_source

    # A place in both names is not one voice: the police and a newspaper of
    # one city relay a fact independently.
    assert not _same_source("Marlow Police", "the Marlow Herald")
    assert _same_source("Lena Brandt", "Brandt") and _same_source("the harbour office", "harbour office")


def test_a_caption_glued_to_a_paragraph_is_cut_and_the_paragraph_kept():
    from accord.clean.repairs import glued_captions

    text = ("The crash closed the road.\n\nNora Vail Provided by family Nora Vail, of Elm Street, was taken to hospital."
            "\n\nAid Provided By Volunteers Reached the camp on Sunday.")
    edits = glued_captions(text)
    assert [text[e.start:e.end] for e in edits] == ["Nora Vail Provided by family "]
    assert all(e.kind == "caption" for e in edits)


def test_a_page_carrying_its_story_twice_gives_each_fact_once(analysed):
    # Why: a page with an update above its original story repeats each
    # sentence with a word changed; each copy made the fact again, so one
    # corroborated fact was counted twice.
    story = ("Mara Quist, 19, was charged with arson on Monday after the fire at the Orrin boathouse.\n\n"
             "The boathouse on Pier Road burned for three hours before firefighters put it out.\n\n")
    update = story.replace("was charged with arson on Monday", "was later charged with arson on Monday")
    page, other = analysed("UPDATE\n\n" + update + "Original story:\n\n" + story,
                           "Quist, 19, was charged with arson on Monday over the fire that destroyed the Orrin boathouse.")
    facts = align_facts([page, other], Sources({a.document.id: a.document for a in (page, other)}))
    shared = [f for f in facts if len({s.doc for s in f.support}) > 1]
    assert len(shared) == 1 and shared[0].status == "corroborated", [(f.text, f.status) for f in shared]


def test_a_sentence_never_runs_across_a_paragraph_break(analysed):
    # Why: the parser ran a sentence on from a closing quotation mark or a
    # time stamp into the next paragraph, so one claim told two things.
    analysis, = analysed("The mayor said, “Nor should we.”\n\n"
                         "Mr. Brandt’s visit with the harbour board is likely to be contentious.\n\n"
                         "5:07 AM - 29 Jun 2016\n\n"
                         "A barge struck the pier on Monday and the cargo was\n\nlost in the river.")
    texts = [analysis.document.text[s:e] for s, e in analysis.sentences]
    assert any(t.startswith("Mr. Brandt’s visit") for t in texts), texts
    assert any(t.startswith("A barge struck") for t in texts), texts
    # A lower-case word after a blank line continues its sentence (a page
    # break in text copied out of a PDF).
    assert any("cargo was\n\nlost in the river" in t for t in texts)
    assert not [c for c in analysis.claims if "\n\n" in c.span.text.strip() and "cargo" not in c.span.text]


def test_an_embedded_post_and_a_verbless_line_are_no_claims_of_the_outlet(analysed):
    # Why: once paragraphs start sentences, a tweet's embed ("… — Jane Roe
    # (@janeroe) August 25, 2015") and list lines ("- 1 tsp cinnamon") stood
    # alone as claims, and the summary told a tweet's signature.
    analysis, = analysed("The Orrin bridge was closed on Sunday after the river rose two metres.\n\n"
                         "Police closed the bridge at noon @harbourpost — Jane Roe (@janeroe) August 25, 2015\n\n"
                         "- 1 tsp cinnamon and nutmeg\n\n"
                         "Engineers will inspect the pier on Monday.")
    embed = next(c for c in analysis.claims if "@janeroe" in c.span.text)
    assert embed.passage == "boilerplate"
    assert not [c for c in analysis.claims if "cinnamon" in c.span.text]
    assert [c.passage for c in analysis.claims if "Engineers" in c.span.text] == ["reporting"]
