"""Each stage of the pipeline on the five real reports (read from ../shared)."""

from __future__ import annotations

import re


def _doc(dossier, prefix):
    return next(d for d in dossier.documents if d.source.rsplit("/", 1)[-1].startswith(prefix))


def _entity(dossier, name):
    return next(e for e in dossier.entities if e.name == name)


def test_one_entity_for_every_spelling_of_a_person(corpus_dossier):
    names = [e.name for e in corpus_dossier.entities if e.type == "PERSON"]
    lavrov = [e for e in corpus_dossier.entities if "Lavrov" in e.name or "Lavrov" in e.aliases]
    assert len(lavrov) == 1, [(e.name, e.aliases, e.type) for e in lavrov]
    assert {"Sergey Lavrov", "Sergei Lavrov"} <= {lavrov[0].name, *lavrov[0].aliases}
    rubio = _entity(corpus_dossier, "Marco Rubio")
    assert {m.doc for m in rubio.mentions} == {d.id for d in corpus_dossier.documents}
    assert names.count("Marco Rubio") == 1
    asean = [e for e in corpus_dossier.entities if "ASEAN" in [e.name, *e.aliases] or "Asean" in [e.name, *e.aliases]]
    assert len(asean) == 1 and "Association of Southeast Asian Nations" in [asean[0].name, *asean[0].aliases]


def test_quotes_have_speakers_resolved_to_entities(corpus_dossier):
    rubio = _entity(corpus_dossier, "Marco Rubio").id
    direct = [q for q in corpus_dossier.quotes if q.kind == "direct"]
    assert len(direct) >= 15
    overpromise = next(q for q in direct if "overpromise" in q.text)
    assert overpromise.speaker == rubio and overpromise.cue is not None
    # "... ,” he said." resolves the pronoun to Rubio
    he_said = next(q for q in direct if q.text.startswith("It’s not a new approach"))
    assert he_said.speaker == rubio and he_said.speaker_mention.text == "he"
    ministry = next(q for q in direct if "substantive and frank exchange" in q.text)
    assert ministry.speaker != rubio


def test_the_same_quotation_from_several_reports_is_one_statement(corpus_dossier):
    rubio = _entity(corpus_dossier, "Marco Rubio").id
    echoed = next(s for s in corpus_dossier.statements if "echoed what the president" in s.text)
    assert echoed.speaker == rubio and echoed.outlets == 2
    # Both outlets credit AFP for this passage: one independent origin.
    assert echoed.independent == 1
    approach = next(s for s in corpus_dossier.statements if "new and" in s.text and "approach" in s.text)
    assert approach.outlets >= 3
    assert approach.agreement == "divergent"
    assert any("not" in d["note"] for d in approach.differences)


def test_facts_count_outlets_and_independent_origins(corpus_dossier):
    corroborated = [f for f in corpus_dossier.facts if f.status == "corroborated"]
    assert corroborated
    for fact in corpus_dossier.facts:
        # Only passages that assert the fact count toward outlets; a fact
        # none asserts counts the outlets that carry it (issue 19: never 0).
        asserting = {s.doc for n, s in enumerate(fact.support) if fact.stance_of(n) == "asserts"}
        docs = asserting or {s.doc for s in fact.support}
        assert fact.outlets == len(docs) >= 1
        assert min(1, len(asserting)) <= fact.independent <= fact.outlets
        assert (fact.status == "corroborated") == (fact.independent >= 2) or fact.status == "disputed"
        if fact.status == "attributed":
            assert fact.source and fact.reported_by >= 2
    # Moscow's statement, relayed by several outlets: what the ministry said,
    # reported by two or more independent origins.
    assert any(f.status == "attributed" and "Ministry" in (f.source or "") for f in corpus_dossier.facts)
    sidelines = next(f for f in corpus_dossier.facts if "sidelines" in f.text and "Kuala Lumpur" in f.text or "sidelines" in f.text and f.outlets >= 3)
    # Three outlets assert it in their own voice ("talked on the sidelines",
    # "spoke after meeting Lavrov on the margins", "the meeting, which took
    # place on the sidelines"): each links to the others, so it is
    # corroborated. (Until a paragraph started a sentence, the third was run
    # together with Moscow's denial of something else in the paragraph
    # before, and accord abstained: one origin confirmed.) The passage on the
    # two ministers' earlier meeting in Riyadh names another place and is not
    # part of it.
    asserting = [s for n, s in enumerate(sidelines.support) if sidelines.stance_of(n) == "asserts"]
    assert sidelines.status == "corroborated" and sidelines.independent == len(asserting) == 3
    assert all("Moscow" not in span.text for span in asserting)
    assert not any("Riyadh" in span.text for span in sidelines.support)


def test_the_duration_of_the_meeting_is_a_conflict_with_both_sides(corpus_dossier):
    conflict = next(c for c in corpus_dossier.conflicts if c.topic.startswith("how long"))
    values = {side.normalized for side in conflict.sides}
    assert values == {"50 minutes", "60 minutes"}
    fifty = next(s for s in conflict.sides if s.normalized == "50 minutes")
    sixty = next(s for s in conflict.sides if s.normalized == "60 minutes")
    assert {s.doc for s in fifty.support} == {_doc(corpus_dossier, "001").id, _doc(corpus_dossier, "004").id}
    assert {s.doc for s in sixty.support} == {_doc(corpus_dossier, "002").id}


def test_summary_sentences_cite_spans_that_say_them(corpus_dossier):
    assert 3 <= len(corpus_dossier.summary) <= 10
    for sentence in corpus_dossier.summary:
        assert sentence.support
        cited = " ".join(s.text for s in sentence.support).lower()
        words = [w for w in re.findall(r"\w+", sentence.text.lower()) if len(w) > 3]
        covered = [w for w in words if w in cited]
        assert len(covered) >= 0.8 * len(words) or sentence.text.startswith("Reports differ"), sentence.text
    assert any(s.text.startswith("Reports differ on how long") for s in corpus_dossier.summary)


def test_timeline_dates_the_meeting_and_the_earlier_one(corpus_dossier):
    dates = {(t.date, t.precision) for t in corpus_dossier.timeline}
    assert ("2025-07-10", "day") in dates  # Thursday, July 10: the meeting
    assert ("2025-02-18", "day") in dates  # the first meeting, in Riyadh
    dates_only = [t.date for t in corpus_dossier.timeline]
    assert dates_only == sorted(dates_only)


def test_coverage_lists_exclusives(corpus_dossier):
    by_doc = {c.doc: c for c in corpus_dossier.coverage}
    assert set(by_doc) == {d.id for d in corpus_dossier.documents}
    facts = {f.id: f for f in corpus_dossier.facts}
    for coverage in corpus_dossier.coverage:
        for fact_id in coverage.exclusive:
            assert {s.doc for s in facts[fact_id].support} == {coverage.doc}
        assert set(coverage.exclusive) <= set(coverage.facts)
