"""Quotation attribution: forms of quotation, speaker resolution, quotation
marks, and the real reports of ../shared/corpora/rubio-lavrov-2025-07."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analyze.nlp import load
from accord.analyze.quotemarks import find_quoted, paragraphs
from accord.analyze.quotes import find_quotes
from accord.model import Document, OffsetMap, Quote

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "rubio-lavrov-2025-07"


def make_document(text: str, doc_id: str = "d1", source: str = "memory") -> Document:
    return Document(
        id=doc_id,
        source=source,
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
    )


def quotes_of(text: str) -> list[Quote]:
    document = make_document(text)
    return find_quotes(load()(text), document)


def only(quotes: list[Quote], kind: str) -> list[Quote]:
    return [q for q in quotes if q.kind == kind]


# --------------------------------------------------------------------------- quotation marks


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "Russia’s envoy said the ’90s don’t matter and the voters’ choice stands. It's the 'new' idea."
    found = [text[q.start : q.end] for q in find_quoted(text)]
    assert found == ["new"]


def test_curly_straight_and_single_marks() -> None:
    text = 'He said “one,” then "two," then ‘three’ and \'four\'.'
    assert [text[q.start : q.end] for q in find_quoted(text)] == ["one,", "two,", "three", "four"]


def test_two_apostrophes_are_a_double_mark() -> None:
    text = "''It is done,'' he said."
    (q,) = find_quoted(text)
    assert text[q.start : q.end] == "It is done,"
    assert q.outer_end == text.index(" he")


def test_unclosed_quotation_ends_with_its_paragraph() -> None:
    text = "“This never closes, he said.\n\nThe next paragraph is the reporter’s. Then “a phrase” here."
    quoted = find_quoted(text)
    assert text[quoted[0].start : quoted[0].end] == "This never closes, he said."
    assert quoted[0].close is None
    assert text[quoted[1].start : quoted[1].end] == "a phrase"


def test_quotation_of_several_paragraphs() -> None:
    text = "She said: “First part.\n\n“Second part.”\n\nAfter."
    (q,) = find_quoted(text)
    assert q.paragraphs == 2
    assert text[q.start : q.end] == "First part.\n\n“Second part."


def test_paragraph_opening_with_the_other_family_of_marks_starts_its_own_quotation() -> None:
    # A block quotation in straight marks, left open, then dialogue in curly
    # marks: the curly paragraph is not the block's continuation.
    text = '"The rally began late.\n\n“Here he is,” she said. “He is here.”\n\n"The crowd cheered.\n\n“Right,” he said.'
    quoted = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == [
        "The rally began late.", "Here he is,", "He is here.", "The crowd cheered.", "Right,",
    ]
    # Within one family the convention holds: the next paragraph continues it.
    same = '"First part.\n\n"Second part." He left.'
    (q,) = find_quoted(same)
    assert same[q.start : q.end] == 'First part.\n\n"Second part.'


def test_quotation_opening_on_an_ellipsis() -> None:
    # “ … or a closing mark curled the wrong way, then a space and an
    # ellipsis, at a paragraph's start: a quotation taken up part way.
    for mark in ("“", "”"):
        text = f"Okonkwo wrote about it.\n\n{mark} … she delivered a mix of caution,” Okonkwo wrote."
        (q,) = find_quoted(text)
        assert text[q.start : q.end] == "… she delivered a mix of caution,"


def test_missing_opening_mark_does_not_swallow_the_text() -> None:
    text = "He told his counterpart of his frustration” at the talks. Later “it works,” he said."
    quoted = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == ["it works,"]


def test_one_paragraph_a_line() -> None:
    text = "First line ends.\n“Second line opens,” he said.\nThird."
    assert len(paragraphs(text)) == 3


# --------------------------------------------------------------------------- forms of quotation


def test_direct_cue_after() -> None:
    (q,) = quotes_of("Marco Rubio met Sergei Lavrov on Thursday.\n\n“It was a frank conversation,” he said.")
    assert q.kind == "direct"
    assert q.text == "It was a frank conversation,"
    assert q.cue is not None and q.cue.text == "said"
    assert q.speaker_mention is not None and q.speaker_mention.text == "he"
    assert q.speaker_name == "Marco Rubio"
    assert q.speaker is None


def test_direct_cue_before() -> None:
    quotes = quotes_of("Marco Rubio spoke after the talks.\n\nRubio told reporters: “It is a new idea.”")
    (q,) = only(quotes, "direct")
    assert q.text == "It is a new idea."
    assert q.cue is not None and q.cue.text == "told reporters"
    assert q.speaker_name == "Marco Rubio"
    assert q.speaker_mention is not None and q.speaker_mention.text == "Rubio"


def test_direct_cue_inside_joins_the_two_parts() -> None:
    text = "“It is not a new approach,” Rubio said. “It is a new idea that I will take back.”"
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("It is not a new approach")
    assert q.text.endswith("I will take back.")
    assert q.speaker_mention is not None and q.speaker_mention.text == "Rubio"


def test_straight_and_single_marks_are_quotations() -> None:
    (a,) = only(quotes_of('"We will win," Donald Trump said.'), "direct")
    assert a.text == "We will win," and a.speaker_name == "Donald Trump"
    (b,) = only(quotes_of("‘We will win,’ Boris Johnson said."), "direct")
    assert b.text == "We will win," and b.speaker_name == "Boris Johnson"


def test_partial_quotation() -> None:
    quotes = quotes_of("Marco Rubio described the talks as “frank and important.”")
    (q,) = only(quotes, "partial")
    assert q.text == "frank and important."
    assert q.speaker_name == "Marco Rubio"


def test_scare_quotes_are_not_quotations() -> None:
    assert quotes_of("The so-called “peace plan” was on the table.") == []


def test_indirect_said_that() -> None:
    (q,) = quotes_of("Marco Rubio said that the talks had been useful.")
    assert q.kind == "indirect"
    assert q.text == "that the talks had been useful"
    assert q.cue is not None and q.cue.text == "said"
    assert q.speaker_name == "Marco Rubio"


def test_indirect_cue_after_clause() -> None:
    text = "The Russian Foreign Ministry hosted the talks.\n\nThe talks will go on, the ministry said."
    (q,) = quotes_of(text)
    assert q.kind == "indirect"
    assert q.text == "The talks will go on"
    assert q.speaker_mention is not None and q.speaker_mention.text == "the ministry"
    assert q.speaker_name == "Russian Foreign Ministry"


def test_according_to() -> None:
    (q,) = quotes_of("According to the Kremlin, the talks will continue next week.")
    assert q.kind == "indirect"
    assert q.cue is not None and q.cue.text == "According to"
    assert q.text == "the talks will continue next week"
    assert q.speaker_mention is not None and q.speaker_mention.text == "the Kremlin"


def test_stance_verb_with_an_object() -> None:
    # A stance or action verb whose content is a noun phrase, chosen by the
    # learned model of accord.analyze.attribution rather than a lexicon.
    (q,) = quotes_of("Senator Warren criticized the bank’s chief executive on Tuesday.")
    assert q.kind == "indirect"
    assert q.text == "the bank’s chief executive"
    assert q.speaker_mention is not None and q.speaker_mention.text == "Senator Warren"


def test_stance_of_an_adjective_is_its_subjects() -> None:
    (q,) = quotes_of("Trump is critical of the Iran deal.")
    assert q.text == "of the Iran deal"
    assert q.speaker_mention is not None and q.speaker_mention.text == "Trump"


def test_attribution_weights_ship_with_the_package() -> None:
    from accord.analyze import attribution

    assert attribution.WEIGHTS_FILE.is_file()
    w, threshold = attribution.weights()
    assert 0.0 < threshold < 1.0 and len(w) > 1000
    assert attribution.weights() is attribution.weights()  # read once


def test_quotation_after_a_short_aside_is_one_passage() -> None:
    text = (
        "“I am more skilled with my hands than with my brain,” said Robin Maynard, half joking. "
        "He holds two degrees. “But I like working with my hands.”"
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("I am more skilled") and q.text.endswith("working with my hands.")
    assert q.speaker_name == "Robin Maynard"


def test_subheading_in_single_marks_is_not_a_quotation() -> None:
    text = "The plant closed in 1999.\n\n'Legend in the Coal Fields.'\n\nMr. Barrett said the deal was good."
    assert not only(quotes_of(text), "direct")


def test_surname_and_title_resolution() -> None:
    text = (
        "President Donald Trump spoke to Secretary of State Marco Rubio.\n\n"
        "“We have a deal,” Rubio said.\n\n"
        "“It is a good deal,” the president said."
    )
    first, second = only(quotes_of(text), "direct")
    assert first.speaker_name == "Marco Rubio"
    assert second.speaker_name == "Donald Trump"


def test_organisation_speaker_stays_the_organisation() -> None:
    text = (
        "Marco Rubio met Sergei Lavrov.\n\n"
        "“Views were exchanged,” the Russian Foreign Ministry said in a statement."
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.speaker_name == "Russian Foreign Ministry"


def test_continuation_paragraph_keeps_the_speaker() -> None:
    # The paragraph goes on from the first quotation (PolNeAR takes both as
    # one); when the reporter goes on after the cue it is a quotation of its own.
    text = "“We met for an hour,” Marco Rubio said.\n\n“We will meet again soon.”"
    (q,) = only(quotes_of(text), "direct")
    assert q.text.endswith("meet again soon.") and q.speaker_name == "Marco Rubio"
    text = "“We met for an hour,” Marco Rubio said. The talks were held in Kuala Lumpur.\n\n“We will meet again soon.”"
    first, second = only(quotes_of(text), "direct")
    assert second.speaker_name == "Marco Rubio"
    assert second.speaker_mention == first.speaker_mention


def test_cue_leading_into_the_next_quotation_is_not_the_previous_ones() -> None:
    # The first quotation ends its sentence; "she said," leads into the second:
    # two quotations, the cue and speaker are the second's.
    text = (
        'Mary Jones got upset, so I had to change my answer: "Of course I believe it. '
        'I was just kidding." To which she said, "Thank God for that."'
    )
    first, second = only(quotes_of(text), "direct")
    assert first.text == "Of course I believe it. I was just kidding."
    assert second.text == "Thank God for that."


def test_split_quotation_is_still_one() -> None:
    text = "“We met for an hour,” Marco Rubio said. “We will meet again soon.”"
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("We met") and q.text.endswith("again soon.")
    assert q.speaker_name == "Marco Rubio"


def test_quotation_taken_up_part_way_is_direct() -> None:
    text = "Maria Holden spoke after the debate.\n\n“… overall, I think the winner tonight is the river,” Holden concluded."
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("… overall")
    assert q.speaker_name == "Maria Holden"


def test_split_quotation_around_a_title_is_one() -> None:
    # The title's own full stop ends the reporter's sentence; the next
    # quotation opens a sentence and continues the first.
    text = (
        "“She is absolutely right,” Tomas Okafor, a senior Ostmark adviser, said Thursday on "
        "Kelvar Radio’s “Morning Desk.” “I mean, there is a lot of worry.”"
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("She is absolutely right") and q.text.endswith("worry.")
    assert q.speaker_name == "Tomas Okafor"


def test_split_quotation_going_on_after_but_is_one() -> None:
    text = "“You know, I like Piet,” Anna Rudd said, but “when it comes to water, Piet has a history.”"
    (q,) = [q for q in quotes_of(text) if q.kind != "indirect"]
    assert q.text.startswith("You know") and q.text.endswith("a history.")


def test_reported_sentence_and_the_quotation_after_its_cue_are_one() -> None:
    text = (
        "The meeting achieved “too little,” Piet Laszlo added on the radio. "
        "“Without changing the plan, the valley risks a lot.”"
    )
    quotes = quotes_of(text)
    assert not only(quotes, "direct")
    (q,) = quotes
    assert q.text.startswith("The meeting") and q.text.endswith("risks a lot.")
    assert q.speaker_name == "Piet Laszlo"


def test_dash_signed_quotation() -> None:
    (q,) = only(quotes_of("“She is not ready to lead.” ― Mara Velt"), "direct")
    assert q.speaker_name == "Mara Velt"


def test_signed_quotation_is_not_continued_by_the_next() -> None:
    # Readers' comments one a line, each signed: the signature closes one.
    text = (
        "“She is not ready to lead. She is a bully.” ― Mara Velt\n"
        "“Nobody wants a bully as mayor. She insults everyone. To quote an old song ‘Some people are so poor all they "
        "have is money.” And that’s all she has “the root of all evil’.” ― Ines Rook.\n\nPhoto/Archive."
    )
    quotes = only(quotes_of(text), "direct")
    assert quotes[0].text == "She is not ready to lead. She is a bully."
    assert quotes[0].speaker_name == "Mara Velt"
    assert quotes[1].text.startswith("Nobody wants")


def test_speaker_labelled_by_name_and_colon() -> None:
    text = (
        "RIVER TOWNS OUTNUMBER HILL TOWNS - Susan T. Miller: “Our count finds that "
        "twenty towns lie on the river.”"
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.speaker_name == "Susan T. Miller"


def test_quotation_going_on_in_the_next_paragraph_is_one() -> None:
    text = (
        "The veteran organiser makes the case for the mayor.\n\n"
        "“Anna Rudd is the best candidate in a generation,” Piet Laszlo tells reporters.\n\n"
        "“She’s what we’ve waited for. She checks all our boxes.”\n\n"
        "The campaign did not comment."
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.text.startswith("Anna Rudd") and q.text.endswith("all our boxes.")
    assert q.speaker_name == "Piet Laszlo"


def test_ids_order_and_offsets() -> None:
    text = (
        "Marco Rubio said the talks were useful. “We will see,” he added.\n\n"
        "According to the ministry, nothing was agreed."
    )
    document = make_document(text, doc_id="r1")
    quotes = find_quotes(load()(text), document)
    assert [q.id for q in quotes] == [f"r1.q{n}" for n in range(1, len(quotes) + 1)]
    assert [q.span.start for q in quotes] == sorted(q.span.start for q in quotes)
    for q in quotes:
        for span in (q.span, q.cue, q.speaker_mention):
            if span is not None:
                assert text[span.start : span.end] == span.text
                assert span.raw == (span.start, span.end)


def test_parse_of_another_text_is_refused() -> None:
    with pytest.raises(ValueError, match="parse document.text"):
        find_quotes(load()("Other text."), make_document("This text."))


_PIECES = st.sampled_from(
    ["Rubio", "said", "he", "told reporters", "the ministry", "according to", "that", "it",
     "was", "new", ",", ".", ":", " ", "\n", "\n\n", "“", "”", "‘", "’", '"', "'", "''",
     "don’t", "Russia’s", "’90s", "—", "https://example.com/a"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_any_text_gives_well_formed_quotes(text: str) -> None:
    document = make_document(text)
    quotes = find_quotes(load()(text), document)
    assert [q.id for q in quotes] == [f"d1.q{n}" for n in range(1, len(quotes) + 1)]
    for q in quotes:
        assert q.kind in ("direct", "partial", "indirect")
        assert q.speaker is None
        for span in (q.span, q.cue, q.speaker_mention):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
                assert text[span.start : span.end] == span.text


@pytest.mark.slow
def test_run_on_texts_stay_linear() -> None:
    # Thousands of marks or cues in one run-on paragraph: work that grew with
    # the square of the length would take minutes here.
    for text in ('"a" ' * 3000, "He said 'a " * 2000 + "end.", "“Quote,” he said. " * 1000):
        sdoc = load()(text)
        started = time.perf_counter()
        find_quotes(sdoc, make_document(text))
        assert time.perf_counter() - started < 5.0


def test_no_quotation_in_plain_text_and_empty_text() -> None:
    assert quotes_of("") == []
    assert quotes_of("The weather in Kuala Lumpur was warm on Thursday.") == []


# --------------------------------------------------------------------------- real reports


@pytest.fixture(scope="module")
def reports() -> dict[str, list[Quote]]:
    """Quotes of each report of the corpus, built from the raw file text."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not there")
    files = sorted(CORPUS.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    out = {}
    for f, text, sdoc in zip(files, texts, load().pipe(texts)):
        out[f.name[:3]] = find_quotes(sdoc, make_document(text, doc_id=f.name[:3], source=str(f)))
    return out


def _direct_by(quotes: list[Quote], name: str) -> list[Quote]:
    return [q for q in quotes if q.kind == "direct" and q.speaker_name == name]


def _with(quotes: list[Quote], words: str) -> Quote:
    found = [q for q in quotes if words in q.text]
    assert found, f"no quotation holds {words!r}"
    return found[0]


def test_every_report_has_direct_quotations_of_rubio(reports: dict[str, list[Quote]]) -> None:
    for name, quotes in reports.items():
        if name == "002":
            continue  # 002 quotes Rubio once, checked below
        assert len(_direct_by(quotes, "Marco Rubio")) >= 2, name


def test_rubio_quotations_with_each_kind_of_cue(reports: dict[str, list[Quote]]) -> None:
    # "he said" after a quotation, in 003
    q = _with(reports["003"], "It’s not a new approach")
    assert (q.kind, q.speaker_name, q.speaker_mention.text if q.speaker_mention else None) == (
        "direct", "Marco Rubio", "he")
    # "Mr Rubio added:" before a quotation, in 001
    q = _with(reports["001"], "We need to see a road map")
    assert q.kind == "direct" and q.speaker_name == "Marco Rubio"
    # "Rubio told reporters" after a quotation, in 004
    q = _with(reports["004"], "I echoed what the president")
    assert q.kind == "direct" and q.speaker_name == "Marco Rubio"
    assert q.cue is not None and q.cue.text.startswith("told")
    # "Rubio said." in 000 and "he told" in 002
    assert _with(reports["000"], "I don’t want to overpromise").speaker_name == "Marco Rubio"
    assert _with(reports["002"], "Our strategy is to continue").speaker_name == "Marco Rubio"


def test_ministry_and_statement_quotations_are_not_rubio(reports: dict[str, list[Quote]]) -> None:
    q = _with(reports["004"], "Both countries reaffirmed")  # "…,” the statement said
    assert q.speaker_name != "Marco Rubio"
    q = _with(reports["003"], "A substantive and frank exchange")  # Russia’s Foreign Ministry said
    assert q.speaker_name is not None and "Ministry" in q.speaker_name
    q = _with(reports["001"], "Mr Lavrov and his Malaysian counterpart")  # the Russian Foreign Ministry said
    assert q.speaker_name is not None and "Ministry" in q.speaker_name


def test_quotation_split_by_a_url_line(reports: dict[str, list[Quote]]) -> None:
    q = _with(reports["003"], "A substantive and frank exchange")
    assert q.kind == "direct"
    assert q.text.rstrip(",").endswith("Ukraine")  # runs past the URL line to its closing mark
    assert q.cue is not None and q.cue.text == "said"
    # and the quotation after it is found on its own
    assert _with(reports["003"], "put forward something").speaker_name == "Marco Rubio"


def test_no_quotation_runs_away(reports: dict[str, list[Quote]]) -> None:
    for name, quotes in reports.items():
        for q in quotes:
            assert len(q.text) < 600, (name, q.text[:80])


def test_attribution_weights_of_another_version_are_refused(tmp_path: Path) -> None:
    import json

    from accord.analyze import attribution
    from accord.errors import ModelError

    data = json.loads(attribution.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert data["format"] == attribution.FORMAT and data["version"] == attribution.FEATURES_VERSION
    for changes in ({"version": attribution.FEATURES_VERSION + 1}, {"format": "something-else"}, {"threshold": 2.0}):
        path = tmp_path / "weights.json"
        path.write_text(json.dumps({**data, **changes}), encoding="utf-8")
        with pytest.raises(ModelError, match="weights"):
            attribution.read_weights(path)
    with pytest.raises(ModelError, match="cannot read"):
        attribution.read_weights(tmp_path / "missing.json")


def test_actions_and_wishes_are_not_quotations() -> None:
    text = (
        "House Democrats on Tuesday approved a budget that could enable sweeping changes to the tax laws. "
        "The administration wants a more stable relationship with Russia. "
        "The new ad shows soldiers jumping out of airplanes."
    )
    assert quotes_of(text) == []
    # The wider attribution finder (PolNeAR's sense) still takes the action.
    document = make_document(text)
    wide = find_quotes(load()(text), document, mode="attribution")
    assert any("budget" in q.text for q in wide)


def test_unattributed_passives_and_negations_are_not_quotations() -> None:
    text = (
        "Sleep deprivation has been shown to alter the levels of hormones that affect hunger. "
        "The ministry did not reveal the location of the crash."
    )
    assert quotes_of(text) == []


def test_a_study_that_finds_is_a_source() -> None:
    (q,) = quotes_of("One study in 50 adults found that eating breakfast reduced hunger later in the day.")
    assert q.kind == "indirect" and q.text.startswith("that eating breakfast")
    assert q.speaker_mention is not None and q.speaker_mention.text.startswith("One study")


def test_words_in_marks_with_no_cue_and_no_speaker_are_not_quotations() -> None:
    text = "The new policy was a “reset,” officials hoped.\n\n“Getting the balance right.”\n\nThe plan starts in May."
    assert not [q for q in quotes_of(text) if "balance" in q.text]


def test_the_mode_is_checked() -> None:
    text = "He said the talks were useful."
    with pytest.raises(ValueError, match="mode"):
        find_quotes(load()(text), make_document(text), mode="everything")  # type: ignore[arg-type]


def test_an_organisation_that_spoke_is_the_speaker_of_its_statement() -> None:
    text = (
        "Two soldiers were killed in a crash near the border, the army said in a statement on Monday.\n\n"
        "\u201cThe cause of the crash is under investigation,\u201d the statement said.\n\n"
        "It said it was withholding the names of the dead."
    )
    quotes = quotes_of(text)
    direct = only(quotes, "direct")
    assert direct and direct[0].speaker_name == "the army"
    later = [q for q in quotes if "withholding" in q.text]
    assert later and later[0].speaker_name == "the army"


def test_a_group_is_the_group_that_spoke_not_the_company_it_names() -> None:
    text = (
        "The Workers Coalition said that Acme had reached an agreement with Brightline Services.\n\n"
        "The group said that employees were told to sign the contract by Monday."
    )
    quotes = [q for q in quotes_of(text) if "employees" in q.text]
    assert quotes and quotes[0].speaker_name == "Workers Coalition"


def test_a_verb_the_tagger_ran_into_a_name_is_not_the_name() -> None:
    text = (
        "Dr. Owen Dempsey picked up the phone and rang Taylor Morgan. "
        "Morgan told Dempsey that he did not own any birds."
    )
    quotes = [q for q in quotes_of(text) if "birds" in q.text]
    assert quotes and quotes[0].speaker_name in {"Morgan", "Taylor Morgan"}


def test_vote_keep_and_be_are_not_cues() -> None:
    text = (
        "Developers keep updating their biggest hits with new maps. "
        "Senators will vote on the bill next week. "
        "They're both freshmen that the coach would prefer to rest."
    )
    assert quotes_of(text) == []


def test_a_shared_surname_goes_to_the_person_in_view() -> None:
    text = (
        "Senator Robert Hale proposed the bill in March.\n\n"
        "In Ohio, the farmer Daniel Hale has watched prices fall for three years. "
        "\u201cWe cannot plant at a loss,\u201d Hale said.\n\n"
        "Later that week, Robert Hale defended the plan in Washington. "
        "\u201cThe bill helps farmers,\u201d Hale said."
    )
    first, second = only(quotes_of(text), "direct")
    assert first.speaker_name == "Daniel Hale"
    assert second.speaker_name == "Robert Hale"


def test_a_speaker_introduced_before_is_the_speaker_of_the_next_quotation() -> None:
    text = (
        "Maria Lopez has run a bakery in Leeds for twenty years. She says the last winter was the hardest.\n\n"
        "\u201cBusiness has never been this slow. We had to let two bakers go.\u201d"
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.speaker_name == "Maria Lopez"


def test_an_english_document_with_an_empty_text_is_analysed_to_nothing() -> None:
    # A JSON record with an empty body can reach analysis marked English; it
    # has no piece to parse and must give an empty analysis, not a crash.
    import dataclasses

    from accord.analyze import analyze

    empty = dataclasses.replace(make_document("", "e1"), language="en")
    full = dataclasses.replace(make_document("The river rose on Thursday, officials said.", "e2"), language="en")
    analyses = list(analyze([empty, full]))
    assert [a.document.id for a in analyses] == ["e1", "e2"]
    assert analyses[0].quotes == [] and analyses[0].claims == []


# --------------------------------------------------------------------------- issue 22: speakers like a copy editor


def test_a_pronoun_goes_to_the_person_of_its_sex_in_view() -> None:
    # The last speaker is a man; "she" is the woman who is the subject just before.
    text = (
        "\u201cWe will build it,\u201d Mr. Tom Brandt said.\n\n"
        "Ms. Ellen Hart answered him within the hour. "
        "\u201cThe money is not there,\u201d she said."
    )
    first, second = only(quotes_of(text), "direct")
    assert first.speaker_name == "Tom Brandt"
    assert second.speaker_name == "Ellen Hart"


def test_a_pronoun_skips_names_inside_the_quotation() -> None:
    # "Rosa Vidal" is named inside the quoted words: "he" is still the speaker.
    text = (
        "\u201cRosa Vidal has no plan,\u201d George Fenwick said.\n\n"
        "\u201cIt is a desperate move,\u201d he added."
    )
    first, second = only(quotes_of(text), "direct")
    assert second.speaker_name == "George Fenwick"


def test_a_pronoun_with_no_one_to_refer_to_has_no_name() -> None:
    (q,) = only(quotes_of("\u201cIt will pass,\u201d she said."), "direct")
    assert q.speaker_mention is not None and q.speaker_mention.text == "she"
    assert q.speaker_name is None


def test_a_surname_goes_to_the_person_of_the_honorifics_sex() -> None:
    text = (
        "Among the critics was George T. Conway III, a lawyer and the husband of Kellyanne Conway. "
        "\u201cHe knows he will lose,\u201d Mr. Conway wrote."
    )
    (q,) = only(quotes_of(text), "direct")
    assert q.speaker_name == "George T. Conway III"


def test_a_description_with_a_name_in_apposition_is_the_name() -> None:
    text = "\u201cHis death could have been prevented,\u201d one of the women, Maureen Daly, said after the event."
    (q,) = only(quotes_of(text), "direct")
    assert q.speaker_name == "Maureen Daly"


def test_they_is_the_plural_subject_before() -> None:
    text = (
        "Investigators would not say when the shooting happened.\n\n"
        "They said they are waiting for the medical examiner."
    )
    (q,) = [q for q in quotes_of(text) if "waiting" in q.text]
    assert q.speaker_name == "Investigators"


def test_a_statement_from_someone_is_theirs() -> None:
    text = (
        "\u201cWe are disappointed,\u201d said the statement from the senator's attorney, William Bragg.\n\n"
        "The statement said the senator would be vindicated."
    )
    quotes = quotes_of(text)
    assert [q.speaker_name for q in quotes if "disappointed" in q.text] == ["William Bragg"]
    assert [q.speaker_name for q in quotes if "vindicated" in q.text] == ["William Bragg"]


def test_common_words_and_numbers_are_never_speakers() -> None:
    text = (
        "The rate of growth fell, and the jobs the plan says it would create never came. "
        "Time will tell whether the policy works."
    )
    for q in quotes_of(text):
        assert q.speaker_mention is None or q.speaker_mention.text.lower() not in {"rate", "time", "the rate"}


# --------------------------------------------------------------------------- issue 22: what is not a quotation


def test_a_nickname_in_marks_is_not_a_quotation_and_does_not_split_the_frame() -> None:
    text = (
        "\u201cThis is a big year for us!\u201d state Del. Marcia \u201cCia\u201d Price shouted to the crowd. "
        "\u201cThe nation is watching.\u201d"
    )
    quotes = quotes_of(text)
    assert not [q for q in quotes if q.text == "Cia"]
    first = only(quotes, "direct")[0]
    assert first.speaker_name is not None and "Price" in first.speaker_name


def test_the_title_of_a_work_is_not_a_quotation() -> None:
    text = "Check out the trailer for Ava Marsh\u2019s documentary, \u201c13th,\u201d which opens on Friday."
    assert not [q for q in quotes_of(text) if "13th" in q.text]


def test_declaring_pleading_and_answering_are_acts_not_quotations() -> None:
    text = (
        "President Lane declared a national emergency on Friday. "
        "The driver pleaded guilty to a fraud charge in August. "
        "Officials, who asked not to be identified, said the report was late. "
        "Responding to a question about the budget, the mayor smiled."
    )
    texts = [q.text for q in quotes_of(text)]
    assert not [t for t in texts if "emergency" in t or "fraud charge" in t or "identified" in t or "question about" in t]
    assert [t for t in texts if "report was late" in t]


def test_a_belief_is_not_what_was_said() -> None:
    text = "Investigators believe the shooting was accidental. Police said the gun was loaded."
    texts = [q.text for q in quotes_of(text)]
    assert not [t for t in texts if "accidental" in t]
    assert [t for t in texts if "gun was loaded" in t]


def test_a_dash_touching_the_closing_mark_signs_the_quotation() -> None:
    text = (
        "Readers wrote to us.\n"
        "\u201cHe is not ready to lead.\u201d\u2015 Karen Bobadilla\n"
        "\u201cWe deserve better than this.\u201d\u2015 Jorge Falcon"
    )
    quotes = only(quotes_of(text), "direct")
    assert [q.speaker_name for q in quotes] == ["Karen Bobadilla", "Jorge Falcon"]


def test_an_indirect_quotation_does_not_end_with_a_dangling_conjunction() -> None:
    text = (
        "Mr. Sestak first mentioned publicly in February that he had been offered a job but provided no details, "
        "and the White House for three months had refused to discuss it."
    )
    quotes = [q for q in quotes_of(text) if "offered a job" in q.text]
    assert quotes
    assert not quotes[0].text.rstrip(", ").endswith((" and", " but", " or"))


def test_who_police_said_is_the_police() -> None:
    text = "The girl was hurt when her father, who police said was playing with his gun, fired it."
    quotes = [q for q in quotes_of(text) if "playing" in q.text]
    assert quotes and quotes[0].speaker_mention is not None and quotes[0].speaker_mention.text == "police"


def test_tweets_criticizing_someone_are_their_authors() -> None:
    text = "Donald Trump unleashed a series of tweets criticizing Alicia Machado, the former beauty pageant winner."
    quotes = [q for q in quotes_of(text) if "Machado" in q.text]
    assert quotes and quotes[0].speaker_name == "Donald Trump"


def test_a_cue_hung_on_the_quoted_words_takes_the_reporters_subject() -> None:
    text = (
        "Mr. Trump hardly clarified the matter, treating her remark as a compliment -- ''That makes me smart'' -- "
        "and, when questioned after the debate, asserting, ''Of course, I pay federal taxes.''"
    )
    quotes = [q for q in quotes_of(text) if "federal taxes" in q.text]
    assert quotes and quotes[0].speaker_name == "Trump"
