"""The bundled example story: what its dossier must say."""

from __future__ import annotations

import re


def test_outlets_titles_and_credits(example_dossier):
    outlets = [d.outlet for d in example_dossier.documents]
    assert outlets == ["The Harbour Ledger", "Kelvar Morning Post", "Northern Dispatch", "Riverside Times"]
    post = example_dossier.documents[1]
    assert post.title == "Ministers Seal Darin River Deal in Kelvar After Years of Dispute"
    assert post.credits == ["AFP"]
    assert example_dossier.documents[2].wire == "AFP"
    assert example_dossier.documents[3].authors == ["Mara Quist"]
    assert "Related article" not in post.text and "\nthe Darin River" not in post.text


def test_the_talks_duration_conflict(example_dossier):
    [conflict] = [c for c in example_dossier.conflicts if c.topic.startswith("how long")]
    sides = {side.normalized: {s.doc for s in side.support} for side in conflict.sides}
    assert sides == {"90 minutes": {"d1", "d4"}, "120 minutes": {"d2", "d3"}}


def test_the_reworded_quotation_is_a_divergent_statement(example_dossier):
    statement = next(s for s in example_dossier.statements if s.text.startswith("This is a fair agreement"))
    assert statement.speaker_name == "Lena Brandt"
    assert statement.outlets == 4
    assert statement.agreement == "divergent"
    assert any("negation" in d["note"] for d in statement.differences)


def test_wire_copy_counts_once(example_dossier):
    signed = next(f for f in example_dossier.facts if f.text.startswith("Veltria and Ostmark signed an agreement"))
    assert signed.outlets == 4
    # The Kelvar Morning Post and the Northern Dispatch both credit AFP, and the
    # Harbour Ledger reprints the same sentence word for word.
    assert signed.independent == 2
    # Two of the three outlets that give the 40 percent only relay what Okafor
    # said would happen: relaying a source is not asserting, so the fact is
    # not corroborated, and its support shows who says so.
    farmers = next(f for f in example_dossier.facts if "40 percent" in f.text)
    assert len({s.doc for s in farmers.support}) == 3
    assert farmers.status != "corroborated" and farmers.outlets == 1
    assert "Okafor" in " ".join(a for a in farmers.assertors if a)


def test_exclusives_and_summary(example_dossier):
    exclusive = {c.doc: c.exclusive for c in example_dossier.coverage}
    fish = next(f for f in example_dossier.facts if "fish" in f.text)
    assert fish.status == "single-source" and fish.id in exclusive["d4"]
    texts = [s.text for s in example_dossier.summary]
    assert any(t.startswith("Reports differ on how long the talks lasted") for t in texts)
    assert any(re.search(r"what (Ms |Lena )?Brandt said", t) for t in texts)
