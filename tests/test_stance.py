"""Claims know who asserts what, and how: stance, assertor and passage kind
on invented passages of each kind, and boilerplate that never becomes a fact."""

from __future__ import annotations

from functools import cache

import pytest

import accord
from accord.analyze.stance import UNNAMED
from accord.group import mark_boilerplate, repeated_sentences
from accord.model import Claim


@cache
def _claims(text: str, url: str | None = None) -> tuple[Claim, ...]:
    batch = accord.analyze([accord.Article(text, url=url, published="2024-05-02")])
    return tuple(batch.analyses[0].claims)


def claim(text: str, sentence_start: str, *, url: str | None = None) -> Claim:
    """The claim of ``text`` whose sentence starts with ``sentence_start``."""
    found = [c for c in _claims(text, url) if c.span.text.startswith(sentence_start)]
    assert found, f"no claim starts with {sentence_start!r}: {[c.span.text for c in _claims(text, url)]}"
    return found[0]


STORY = "Floodwater reached the old mill in Darin on Tuesday, and the council closed the river road to traffic."


# ------------------------------------------------------------------ stance and assertor


def test_denial_by_a_named_source() -> None:
    c = claim(STORY + " The ministry denied that soldiers had crossed the border during the night.", "The ministry")
    assert c.stance == "denies"
    assert c.assertor is not None and "ministry" in c.assertor.lower()


def test_negated_main_predicate_denies() -> None:
    c = claim(STORY + " The company did not release the inspection report to its investors.", "The company")
    assert c.stance == "denies"
    assert c.assertor is None  # the outlet's own voice


def test_doubt_questions() -> None:
    c = claim(STORY + " Independent engineers questioned whether the river gauge readings were accurate.", "Independent")
    assert c.stance == "questions"
    assert c.assertor is not None and "engineers" in c.assertor.lower()


def test_question_in_a_paragraph_of_reporting() -> None:
    c = claim(STORY + " But will the temporary barriers hold through the spring floods?", "But will")
    assert c.stance == "questions"
    assert c.passage == "question"


def test_question_heading_is_boilerplate() -> None:
    text = STORY + "\n\nWhat happens to the mill workers now?\n\nThe owners said the mill would reopen in June."
    c = claim(text, "What happens")
    assert c.passage == "boilerplate"
    assert c.stance == "questions"


def test_hedge_with_a_modal() -> None:
    c = claim(STORY + " The storm may have destroyed hundreds of homes in the lower valley.", "The storm")
    assert c.stance == "hedges"
    assert c.assertor is None


def test_reportedly_is_an_unnamed_source() -> None:
    c = claim(STORY + " The regional minister reportedly resigned after the emergency vote.", "The regional")
    assert c.stance == "hedges"
    assert c.assertor == UNNAMED


def test_said_to_is_an_unnamed_source() -> None:
    c = claim(STORY + " The dam's operator is said to have ignored three earlier warnings.", "The dam")
    assert c.assertor == UNNAMED
    assert c.stance == "hedges"


def test_attribution_x_claims_p() -> None:
    c = claim(STORY + " Mayor Anna Berg claims the bridge was closed for safety reasons.", "Mayor Anna Berg")
    assert c.stance == "asserts"
    assert c.assertor is not None and "Berg" in c.assertor
    assert c.passage == "quotation"


def test_according_to_names_the_source() -> None:
    c = claim(STORY + " Two people drowned near the weir, according to the regional police.", "Two people")
    assert c.assertor is not None and "police" in c.assertor.lower()


def test_predictions() -> None:
    text = STORY + (" The council will vote on an emergency budget next Tuesday."
                    " The insurer is expected to announce its first payments next week.")
    assert claim(text, "The council will").stance == "predicts"
    assert claim(text, "The insurer").stance == "predicts"


def test_plain_report_asserts_in_the_outlet_voice() -> None:
    c = claim(STORY, "Floodwater")
    assert (c.stance, c.assertor, c.passage) == ("asserts", None, "reporting")


def test_a_request_is_the_outlet_own_report() -> None:
    # "asked X to V" is a request, not a report of what X said: the outlet
    # itself asserts that the request was made.
    c = claim(STORY + " The governor asked the army to send boats to the flooded villages.", "The governor")
    assert (c.stance, c.assertor) == ("asserts", None)
    # A report of speech stays attributed.
    c = claim(STORY + " The governor said the army would send boats to the flooded villages.", "The governor")
    assert c.assertor is not None and "governor" in c.assertor.lower()


def test_relayed_words_are_attributed() -> None:
    c = claim(STORY + " Officials relayed that the inspectors had found cracks in the bridge.", "Officials relayed")
    assert c.assertor is not None and "officials" in c.assertor.lower()


def test_a_parenthetical_cue_before_the_verb_names_the_source() -> None:
    c = claim(STORY + " The mayor, officials said, closed the bridge after the inspection.", "The mayor")
    assert c.assertor is not None and "officials" in c.assertor.lower()


@pytest.mark.parametrize("sentence", [
    "The Darin Rowing Club, which said the weir was unsafe last year, posted the footage on Tuesday.",
    "The Darin Rowing Club posted the footage on Tuesday, saying the weir was unsafe.",
])
def test_a_reporting_verb_in_a_side_clause_leaves_the_main_clause_asserted(sentence: str) -> None:
    c = claim(STORY + " " + sentence, "The Darin Rowing Club")
    assert (c.stance, c.assertor) == ("asserts", None)


# ------------------------------------------------------------------ boilerplate by form


@pytest.mark.parametrize(
    "sentence",
    [
        "We use cookies to improve your experience on our site and to show you relevant advertising.",
        "If you buy something through links in this article, we may earn a small commission.",
        "Sign up for our morning newsletter to get the latest news delivered to your inbox.",
        "Jane Holloway is a senior reporter for the Darin Ledger.",
        "Related: Floodwater reaches the old mill as residents leave their homes",
        "© 2024 Darin Ledger Media Group. All rights reserved.",
        "Follow us on Twitter and Facebook for the latest updates from the valley.",
        "Email the reporter at jane.holloway@darinledger.example or follow her @jholloway.",
        "Visit our corporate site to learn more about Ledger Media Group and its brands.",
        "Photo by Tom Reyes / Getty Images",
    ],
)
def test_boilerplate_by_form(sentence: str) -> None:
    text = STORY + "\n\n" + sentence + "\n\nThe council met again on Wednesday to review the damage to the bridge."
    found = [c for c in _claims(text) if c.span.text.strip() == sentence.strip() or sentence.startswith(c.span.text[:30])]
    for c in found:
        assert c.passage == "boilerplate", c.span.text
    reporting = claim(text, "The council met")
    assert reporting.passage != "boilerplate"
    assert claim(text, "Floodwater").passage != "boilerplate"


def test_news_about_newsletters_is_not_boilerplate() -> None:
    c = claim(STORY + " The publisher closed three local newsletters after advertising revenue fell by half.", "The publisher")
    assert c.passage != "boilerplate"


# ------------------------------------------------------------------ boilerplate by repetition


FOOTER = "Ledger Media Group is a family-owned publisher of regional newspapers in the valley."


def _site_articles() -> list[accord.Article]:
    bodies = [
        "The river rose two metres overnight and flooded the old mill in Darin. Residents were moved to the school.",
        "The city council approved a new budget for schools on Monday. Teachers will receive a raise in the autumn.",
        "A local bakery won a national prize for its rye bread this week. The owners plan to open a second shop.",
    ]
    return [
        accord.Article(f"{body}\n\n{FOOTER}", url=f"https://www.darinledger.example/news/{n}", outlet="Darin Ledger")
        for n, body in enumerate(bodies)
    ]


def test_repeated_sentences_of_one_site_are_boilerplate() -> None:
    batch = accord.analyze(_site_articles())
    repeated = repeated_sentences(batch.analyses)
    assert list(repeated) == ["darinledger.example"]
    marked = mark_boilerplate(batch.analyses, repeated)
    for before, after in zip(batch.analyses, marked):
        for old, new in zip(before.claims, after.claims):
            assert (new.passage == "boilerplate") == (old.span.text == FOOTER)
            assert old.passage != "boilerplate"  # the inputs are not changed


def test_reprints_do_not_make_boilerplate() -> None:
    body = "The river rose two metres overnight and flooded the old mill in Darin. Residents were moved to the school."
    articles = [accord.Article(body, url=f"https://www.darinledger.example/news/{n}") for n in range(2)]
    assert repeated_sentences(accord.analyze(articles).analyses) == {}


def test_other_outlets_do_not_share_a_site_template() -> None:
    articles = _site_articles()[:1] + [
        accord.Article(f"The mill was flooded on Tuesday.\n\n{FOOTER}", url="https://valleynews.example/a")
    ]
    assert repeated_sentences(accord.analyze(articles).analyses) == {}


def test_boilerplate_never_in_dossier_facts() -> None:
    notice = "Sign up for our morning newsletter to get the latest flood news delivered to your inbox."
    affiliate = "If you buy something through links in this article, we may earn a small commission."
    fact = "Floodwater reached the old mill in Darin on Tuesday and the council closed the river road."
    articles = [
        accord.Article(f"{fact}\n\n{notice}\n\n{affiliate}\n\n{FOOTER}", outlet="Darin Ledger", url="https://darinledger.example/flood"),
        accord.Article(f"{fact}\n\n{notice}\n\n{affiliate}", outlet="Valley News", url="https://valleynews.example/flood"),
    ] + [
        accord.Article(f"A bakery in Darin won a prize for rye bread.\n\n{FOOTER}", outlet="Darin Ledger", url="https://darinledger.example/bakery")
    ]
    dossier = accord.dossier(articles)
    texts = [span.text for f in dossier.facts for span in f.support]
    assert not any(notice in t or affiliate in t or FOOTER in t for t in texts)
    assert any("old mill" in t for t in texts)


def test_a_caption_paragraph_is_boilerplate():
    import accord

    text = ("Police said a man was shot on Harrow Street on Tuesday night.\n\n"
            "A detective stands outside the home where the man was found. (Photo: Jan Roe/Valley Post)\n\n"
            "The man was taken to a hospital, police said.")
    analysis = accord.analyze([accord.Article(text, outlet="Valley Post")]).analyses[0]
    kinds = {c.span.text.strip()[:20]: c.passage for c in analysis.claims}
    # The caption is the page's: cleaned out as a caption, or its sentences
    # (the credit only in the last) all boilerplate; the report's sentences stay.
    cleaned_out = any(r.kind == "caption" for r in analysis.document.repairs)
    captions = [kind for start, kind in kinds.items() if start.startswith("A detective")]
    assert cleaned_out or captions
    assert all(kind == "boilerplate" for kind in captions)
    assert kinds.get("The man was taken to") not in (None, "boilerplate")
    # The paragraph rule itself, on a caption the clean stage keeps (no credit
    # at its end): marked by the gallery count.
    kept = accord.analyze([accord.Article(
        "Police said a man was shot on Harrow Street.\n\nImage 2 of 5 A detective stands outside the home.\n\n"
        "The man was taken to a hospital, police said.", outlet="Valley Post")]).analyses[0]
    assert [c.passage for c in kept.claims if c.span.text.startswith("Image 2 of 5")] == ["boilerplate"]


def test_a_gallery_caption_is_boilerplate():
    import accord

    text = ("Police found a woman dead in her home on Friday, officials said.\n\n"
            "more Photo: Jan Roe, Valley Post Image 4 of 9 A woman reacts as police investigate the scene on Friday.\n\n"
            "The woman was 24, police said.")
    analysis = accord.analyze([accord.Article(text, outlet="Valley Post")]).analyses[0]
    kinds = {c.span.text.strip()[:20]: c.passage for c in analysis.claims}
    assert all(kind == "boilerplate" for text, kind in kinds.items() if text.startswith("more Photo"))
    assert "The woman was 24, po" in kinds and kinds["The woman was 24, po"] != "boilerplate"
