"""Facts know who asserts what: invented passages of each stance and kind,
claims built directly (the analyze stage fills the same fields)."""

from __future__ import annotations

import hashlib

from accord.analyze.claims import spelling_key
from accord.compare.facts import align_facts, joined_keys
from accord.compare.independence import Sources
from accord.model import Analysis, Claim, Document, OffsetMap


def _document(doc_id: str, text: str, outlet: str) -> Document:
    return Document(id=doc_id, source=doc_id, format="text", text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(),
                    offsets=OffsetMap.identity(len(text)), outlet=outlet)


def _story(*reports: tuple[str, list[tuple[str, tuple[str, ...], dict]]]) -> tuple[list[Analysis], Sources]:
    """Analyses of invented reports: per report its outlet and its sentences,
    each with its keys and the Claim fields to set (stance, passage...)."""
    analyses = []
    for number, (outlet, sentences) in enumerate(reports, 1):
        text = " ".join(s for s, _k, _f in sentences)
        document = _document(f"d{number}", text, outlet)
        claims, start = [], 0
        for sentence, keys, fields in sentences:
            claims.append(Claim(span=document.span(start, start + len(sentence)), keys=keys, **fields))
            start += len(sentence) + 1
        analyses.append(Analysis(document, claims=claims))
    return analyses, Sources({a.document.id: a.document for a in analyses})


FLOOD = ("river", "flood", "village", "@marren", "evacuate", "night")
CURE = ("drug", "cure", "disease", "trial", "@halvex", "patient")


def _fact_with(facts, doc_id):
    return [f for f in facts if any(s.doc == doc_id for s in f.support)]


def test_two_outlets_asserting_a_fact_corroborate_it():
    analyses, sources = _story(
        ("Alder Post", [("The river flooded the village of Marren and it was evacuated overnight.", FLOOD, {})]),
        ("Birch Times", [("Marren village was evacuated in the night after the river flood.", FLOOD, {})]),
    )
    fact, = align_facts(analyses, sources)
    assert fact.status == "corroborated" and fact.outlets == 2 and fact.independent == 2
    assert fact.stances == ["asserts", "asserts"]
    assert fact.to_dict()["support"][0]["stance"] == "asserts"


def test_a_claim_and_a_question_of_it_are_a_disputed_fact_not_corroboration():
    analyses, sources = _story(
        ("Alder Post", [("The drug Halvex is a cure for the disease, its trial patients show.", CURE,
                         {"stance": "asserts"})]),
        ("Birch Times", [("Researchers question whether the Halvex drug trial shows a cure for patients of the disease.", CURE,
                          {"stance": "questions", "assertor": "researchers"})]),
    )
    facts = align_facts(analyses, sources)
    assert all(f.status != "corroborated" for f in facts)
    joined = [f for f in facts if len(f.support) == 2]
    if joined:  # joined as one fact: both sides are shown and it is disputed
        fact = joined[0]
        assert fact.status == "disputed"
        assert sorted(fact.stances) == ["asserts", "questions"]
        assert fact.assertors[fact.stances.index("questions")] == "researchers"
        assert fact.outlets == 1 and fact.independent == 1


def test_denial_by_a_third_outlet_makes_the_fact_disputed():
    analyses, sources = _story(
        ("Alder Post", [("The river flooded the village of Marren and it was evacuated overnight.", FLOOD, {})]),
        ("Birch Times", [("Marren village was evacuated in the night after the river flood.", FLOOD, {})]),
        ("Cedar News", [("Marren village was not evacuated in the night, the river flood notwithstanding.", FLOOD,
                         {"stance": "denies"})]),
    )
    fact = next(f for f in align_facts(analyses, sources) if len(f.support) == 3)
    assert fact.status == "disputed"
    assert fact.outlets == 2  # only asserting passages count


def test_attributed_and_hedged_passages_alone_never_corroborate():
    analyses, sources = _story(
        ("Alder Post", [("Officials claim the Halvex drug is a cure for the disease in trial patients.", CURE,
                         {"stance": "hedges", "assertor": "officials"})]),
        ("Birch Times", [("The maker says Halvex may be a drug cure for the disease, after a trial on patients.", CURE,
                          {"stance": "hedges", "assertor": "the maker"})]),
    )
    for fact in align_facts(analyses, sources):
        # No origin asserts it; outlets counts those that carry it (issue 19:
        # a fact is never shown as told by no outlet).
        assert fact.status == "single-source" and fact.independent == 0
        assert fact.outlets == len({span.doc for span in fact.support}) >= 1


def test_boilerplate_headlines_and_questions_never_become_facts():
    footer = ("Subscribe to our newsletter for daily news alerts delivered to your inbox.",
              ("subscribe", "newsletter", "daily", "news", "alert", "deliver", "inbox"))
    analyses, sources = _story(
        ("Alder Post", [(footer[0], footer[1], {"passage": "boilerplate"}),
                        ("Was the village of Marren flooded by the river overnight?", FLOOD, {"passage": "question"})]),
        ("Birch Times", [(footer[0], footer[1], {"passage": "boilerplate"}),
                         ("River flood: Marren village evacuated in the night", FLOOD, {"passage": "headline"})]),
    )
    assert align_facts(analyses, sources) == []


def test_reprints_collapse_into_one_fact_and_a_repeated_sentence_stays_apart():
    sentence = "The river flooded the village of Marren and it was evacuated overnight."
    reports = [(f"Outlet {n}", [(sentence, FLOOD, {})]) for n in range(60)]
    reports.append(("Repeater", [(sentence, FLOOD, {}), (sentence, FLOOD, {})]))
    analyses, sources = _story(*reports)
    facts = align_facts(analyses, sources)
    biggest = max(facts, key=lambda f: len(f.support))
    assert len(biggest.support) == 61
    assert all(len({s.doc for s in f.support}) == len(f.support) for f in facts)
    # The second copy never joins the first's fact, and makes no second fact
    # of the same text (issue 19: one fact is never listed twice).
    assert len({f.text for f in facts}) == len(facts)
    assert sum(len(f.support) for f in facts) == 61


def test_spelling_variants_share_one_key():
    for british, american in (("characterise", "characterize"), ("colour", "color"), ("centre", "center"),
                              ("analyse", "analyze"), ("dialogue", "dialog"), ("defence", "defense"),
                              ("organisation", "organization")):
        assert spelling_key(british) == spelling_key(american)
    assert spelling_key("four") != spelling_key("for")


def test_a_compound_written_as_one_word_matches_its_two_words():
    vocabulary = {"roadmap", "road", "map", "peace"}
    assert "roadmap" in joined_keys(("peace", "road", "map"), vocabulary)
    assert "road" not in joined_keys(("peace", "road", "map"), vocabulary)


def test_reports_show_each_side_of_a_disputed_fact():
    from accord import render

    analyses, sources = _story(
        ("Alder Post", [("Marren village was evacuated in the night after the river flood.", FLOOD, {})]),
        ("Birch <b>Times</b>", [("The mayor questioned whether Marren village was evacuated in the night after the river flood.",
                                 FLOOD, {"stance": "questions", "assertor": "the <mayor>"})]),
    )
    facts = align_facts(analyses, sources)
    dossier = {"documents": [a.document.to_dict() for a in analyses], "facts": [f.to_dict() for f in facts]}
    disputed = [f for f in facts if f.status == "disputed"]
    assert disputed, "an asserted and a questioned passage of one fact"
    markdown = render.to_markdown(dossier)
    assert "questions" in markdown and "the <mayor>" not in markdown
    page = render.to_html(dossier)
    assert 'class="stance">questions (the &lt;mayor&gt;)' in page and "<mayor>" not in page


def test_a_denial_relayed_from_a_source_does_not_dispute_what_outlets_assert():
    # A negation inside a source's words is the quotation conflicts' matter;
    # an outlet's own denial disputes (test_denial_by_a_third_outlet...).
    analyses, sources = _story(
        ("Alder Post", [("Marren village was evacuated in the night after the river flood.", FLOOD, {})]),
        ("Birch Times", [("Marren village was not evacuated in the night, the river flood notwithstanding.", FLOOD,
                          {"stance": "denies", "assertor": "the mayor"})]),
    )
    assert all(f.status != "disputed" for f in align_facts(analyses, sources))


def test_two_outlets_relaying_one_source_do_not_corroborate_its_claim():
    analyses, sources = _story(
        ("Alder Post", [("The Halvex drug is a cure for the disease, its maker said of the trial patients.", CURE,
                         {"assertor": "its maker"})]),
        ("Birch Times", [("According to its maker, the Halvex drug cured the disease in trial patients.", CURE,
                          {"assertor": "its maker"})]),
    )
    for fact in align_facts(analyses, sources):
        assert fact.status != "corroborated"
        assert set(fact.stances) == {"attributes"} and set(fact.assertors) == {"its maker"}


def test_work_grows_linearly_with_reprints(monkeypatch):
    """Sentences compared for a story of n reprints (plus one own sentence per
    outlet) grow no faster than n: reprints are compared once and each
    sentence has a bounded list of candidates."""
    import accord.compare.facts as facts_module

    calls = []
    original = facts_module.claim_similarity
    monkeypatch.setattr(facts_module, "claim_similarity", lambda *a, **k: calls.append(1) or original(*a, **k))

    def work(n: int) -> int:
        calls.clear()
        reports = [(f"Outlet {k}", [
            ("The river flooded the village of Marren and it was evacuated overnight.", FLOOD, {}),
            ("The drug Halvex is a cure for the disease, its trial patients show.", CURE, {}),
            (f"Outlet {k} spoke to farmer number {k} about the river flood in the village.",
             ("outlet", str(k), "speak", "farmer", "number", "river", "flood", "village"), {}),
        ]) for k in range(n)]
        align_facts(*_story(*reports))
        return len(calls)

    small, large = work(100), work(400)
    assert large <= 4.5 * small
    assert large <= 400 * 35


def test_sentence_vectors_place_a_paraphrase_closer_than_another_fact():
    from accord.compare import meaning

    if not meaning.available():
        import pytest

        pytest.skip("wordllama not installed")
    a, b, c = meaning.sentence_vectors([
        "flood evacuate village night",
        "inundation force residents leave town overnight",
        "parliament pass budget tax vote",
    ])
    assert float(a @ b) > float(a @ c)
