"""The summary tells the story: garbled words are never quoted unmarked,
sentences end at paragraph breaks, a disagreement is told once, and what
happened comes before what named sources claim (issue 24)."""

from __future__ import annotations

import re

import accord
from accord import synthesize

_FACT = ("The city council of Darrow approved the new flood barrier on Tuesday after a vote of "
         "nine to two, ending a year of debate over the river wall.")
_MORE = ("The barrier will cost about 40 million dollars and should be finished within three years, "
         "the council said in a statement.")


def _garbled(sentence: str, word: str) -> str:
    """``sentence`` with a word no English word list knows run into it."""
    return sentence.replace("a year of debate", f"a year of {word} debate")


def _words_marked(dossier: accord.Dossier) -> None:
    """Every word a document flags as garbled that a summary sentence
    quotes is followed there by the "[sic]" mark."""
    suspects = {s.text for d in dossier.documents for s in d.suspects}
    assert suspects, "the test needs a garbled word the clean stage flags"
    for sentence in dossier.summary:
        for word in suspects:
            for match in re.finditer(rf"\b{re.escape(word)}\b", sentence.text):
                assert sentence.text[match.end():].startswith(" [sic]"), sentence.text


def test_a_garbled_word_is_never_quoted_unmarked_and_a_clean_wording_is_preferred():
    articles = [
        accord.Article(_garbled(_FACT, "epdeq") + "\n\n" + _MORE, outlet="Darrow Courier", title="Barrier approved"),
        accord.Article(_FACT + "\n\n" + _MORE, outlet="River Daily", title="Council backs barrier"),
    ]
    dossier = accord.dossier(articles)
    _words_marked(dossier)
    told = " ".join(s.text for s in dossier.summary)
    assert "flood barrier" in told
    # One outlet's wording is clean: it is the one told, so nothing needs a mark.
    assert "epdeq" not in told and "[sic]" not in told


def test_a_garbled_word_every_outlet_carries_is_marked():
    articles = [
        accord.Article(_garbled(_FACT, "epdeq") + "\n\n" + _MORE, outlet="Darrow Courier"),
        accord.Article(_garbled(_FACT, "epdeq") + "\n\n" + _MORE, outlet="River Daily"),
    ]
    dossier = accord.dossier(articles)
    _words_marked(dossier)
    assert any("epdeq [sic]" in s.text for s in dossier.summary)


def test_the_real_reports_quote_no_garbled_word_unmarked(corpus_dossier):
    _words_marked(corpus_dossier)


def test_summary_sentences_end_at_paragraph_breaks(corpus_dossier, example_dossier):
    for dossier in (corpus_dossier, example_dossier):
        texts = {d.id: d.text for d in dossier.documents}
        for sentence in dossier.summary:
            if sentence.text.startswith("Reports differ"):
                continue
            words = sentence.text.replace(" [sic]", "").rstrip(".").split()
            # The sentence's words stand together in one paragraph of a cited document.
            pattern = r"[ \t]+".join(re.escape(w) for w in words)
            assert any(re.search(pattern, p) for s in sentence.support
                       for p in re.split(r"\s*\n\s*", texts[s.doc])), sentence.text


def test_a_heading_is_not_glued_to_the_sentence_under_it():
    assert synthesize._paragraph_piece("Talks in Geneva\nThe two ministers met for three hours on Monday.") == \
        "The two ministers met for three hours on Monday."
    assert synthesize._paragraph_piece("One line only.") == "One line only."


def test_each_disagreement_is_told_once(corpus_dossier):
    told = [s.text for s in corpus_dossier.summary if s.text.startswith("Reports differ")]
    assert len(told) == len(set(told)) and len(told) <= synthesize.MAX_CONFLICTS


def test_what_happened_comes_before_what_named_sources_claim(corpus_dossier):
    by_text = {f.text: f for f in corpus_dossier.facts}
    kinds = []
    for sentence in corpus_dossier.summary:
        if sentence.text.startswith("Reports differ"):
            kinds.append(2)
            continue
        cited = {(s.doc, s.start) for s in sentence.support}
        # The fact told: the one whose stating passages are what the sentence cites.
        fact = next((f for f in corpus_dossier.facts if cited == {(s.doc, s.start) for i, s in enumerate(f.support)
                                                                  if f.stance_of(i) == "asserts" or s.text == f.text}
                     or cited == {(s.doc, s.start) for s in f.support}), None)
        assert fact is not None, sentence.text
        kinds.append(1 if synthesize._named_source(fact) else 0)
    assert kinds == sorted(kinds)
    assert by_text  # the corpus has facts


# Three invented one-sentence leads: two tell the migrants' arrival (joined
# into one fact), the second adding what the first does not say.
_LEADS = (
    ("Harbor Post", "Nearly 200 migrants from Central America reached the border crossing at Tijuana on Sunday, "
                    "where officials said the station was full and could not process asylum seekers."),
    ("Valley News", "Nearly 200 migrants from Central America are stuck at the border crossing, where volunteers "
                    "handed out blankets and water to families waiting in the cold rain."),
    ("Coast Daily", "Organizers of the caravan vowed on Sunday that the migrants would stay outside the processing "
                    "center until every last one is admitted."),
)


def test_a_small_story_tells_each_outlets_new_words_up_to_the_least_sentences():
    dossier = accord.dossier([accord.Article(text, outlet=outlet) for outlet, text in _LEADS])
    texts = {d.id: d.text for d in dossier.documents}
    told = [s.text for s in dossier.summary]
    assert len(facts := dossier.facts) < synthesize.MIN_SENTENCES, [f.text for f in facts]
    # Fewer facts than the summary's least sentences: each lead's own words are told, once.
    assert len(told) == len(set(told)) == synthesize.MIN_SENTENCES, told
    assert any("blankets" in t for t in told) and any("vowed" in t for t in told)
    for sentence in dossier.summary:
        # Each sentence is a passage of a document it cites.
        assert any(sentence.text.rstrip(".") in texts[s.doc] for s in sentence.support), sentence.text


def test_a_sentence_many_sentences_echo_is_more_central_than_a_lone_one():
    batch = accord.analyze([accord.Article(text, outlet=outlet) for outlet, text in _LEADS])
    central = synthesize._Centrality(batch.analyses, 0.1)
    echoed = central.of("Nearly 200 migrants from Central America are at the border crossing.")
    lone = central.of("The museum opened a new wing of medieval tapestries.")
    assert 0.0 < echoed <= 1.0 and lone == 0.0
    assert synthesize._Centrality([], 0.1).of("anything") == 0.0


def test_a_story_of_short_reports_is_told_in_fewer_words():
    import dataclasses

    from accord.settings import DEFAULT

    batch = accord.analyze([accord.Article(text, outlet=outlet) for outlet, text in _LEADS])
    told = {}
    for share in (0.3, 3.0):
        settings = dataclasses.replace(DEFAULT, summary_min_sentences=1, summary_story_share=share)
        told[share] = accord.dossier(batch, settings=settings).summary
    # Reports of ~25 words: a share of 0.3 allows one sentence, 3.0 all three leads' words.
    assert len(told[0.3]) == 1 and len(told[3.0]) == 3, told



def test_a_quotation_is_told_with_its_speaker():
    # Why: basil-12's summary told "“Governor Perry has a superior border
    # security record…”" alone: the speaker was named only in the sentence
    # before. (A long-form dev story, read from ../shared.)
    import sys
    from pathlib import Path

    import pytest

    bench = Path(__file__).resolve().parents[1] / "bench"
    sys.path.insert(0, str(bench))
    devset = pytest.importorskip("devset")
    try:
        items = devset.sources("basil-12")
    except (FileNotFoundError, KeyError, StopIteration, ValueError):
        pytest.skip("the long-form dev set is not in ../shared")
    dossier = accord.dossier([s.item for s in items])
    assert dossier.summary
    for sentence in dossier.summary:
        assert not synthesize._speakerless(sentence.text), sentence.text
    assert synthesize._speakerless("“The barrier will hold.”")
    assert not synthesize._speakerless("“The barrier will hold,” the mayor said. “It is built.”")
