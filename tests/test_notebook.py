"""The dossier in a notebook: the compact HTML view and the tables."""

from __future__ import annotations

import html.parser

import pandas as pd

import accord
import accord.render


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_notebook_view_is_compact_and_puts_conflicts_first(corpus_dossier):
    view = corpus_dossier._repr_html_()
    full = corpus_dossier.to_json()
    assert len(view) < len(full) / 5
    parser = _Collect()
    parser.feed(view)
    text = "".join(parser.text)
    assert "Where outlets disagree" in text
    assert text.index("Where outlets disagree") < text.index("Corroborated facts")
    folded = _Collect()
    folded.feed(accord.render.notebook_html(corpus_dossier.to_dict(), limit=1))
    assert "details" in folded.tags  # lists longer than the limit fold


def test_notebook_view_escapes_article_text():
    hostile = accord.Article("<script>alert(1)</script> The mayor of Velmora said the pier opened on Monday. "
                             "Officials said it cost 40 million.", title="<b>Pier</b>", outlet="Velmora Post")
    other = accord.Article("The pier in Velmora opened on Monday, the mayor said. It cost 40 million, "
                           "officials said.", title="Pier opens", outlet="Coast Herald")
    view = accord.dossier([hostile, other])._repr_html_()
    assert "<script>" not in view and "<b>Pier</b>" not in view


def test_tables_hold_every_fact_quote_statement_and_conflict(corpus_dossier):
    frames = corpus_dossier.to_pandas()
    data = corpus_dossier.to_dict()
    assert set(frames) == {"facts", "quotes", "statements", "conflicts", "documents", "coverage"}
    assert all(isinstance(frame, pd.DataFrame) for frame in frames.values())
    assert len(frames["facts"]) == len(data["facts"])
    assert len(frames["quotes"]) == len(data["quotes"])
    assert len(frames["statements"]) == len(data["statements"])
    assert len(frames["conflicts"]) == len(data["conflicts"])
    facts = frames["facts"].set_index("id")
    first = data["facts"][0]
    assert facts.loc[first["id"], "status"] == first["status"]
    assert facts.loc[first["id"], "independent"] == first["independent"]
    quotes = frames["quotes"]
    assert (quotes["end"] > quotes["start"]).all()
    assert corpus_dossier.tables()["facts"][0]["id"] == first["id"]


def test_tables_name_outlets_and_hold_lists(corpus_dossier):
    tables = corpus_dossier.tables()
    data = corpus_dossier.to_dict()
    labels = {row["id"]: row["outlet"] for row in tables["documents"]}
    ids = set(labels)
    for fact in tables["facts"]:
        assert isinstance(fact["sources"], list) and isinstance(fact["documents"], list)
        assert set(fact["documents"]) <= ids
        assert fact["sources"] == list(dict.fromkeys(labels[d] for d in fact["documents"]))
        assert not set(fact["sources"]) & ids  # names (outlet, else file name), not document ids
    for conflict in tables["conflicts"]:
        assert isinstance(conflict["sides"], list) and len(conflict["sides"]) == len(conflict["side_outlets"]) >= 2
    assert len(tables["documents"]) == len(data["documents"])
    assert not {row["outlet"] for row in tables["documents"]} & ids
    assert all(row["outlet"] in labels.values() for row in tables["quotes"])
    assert [row["doc"] for row in tables["coverage"]] == [row["doc"] for row in data["coverage"]]


def test_coverage_never_shows_more_exclusive_than_asserted(corpus_dossier, example_dossier):
    for dossier in (corpus_dossier, example_dossier):
        for row in dossier.tables()["coverage"]:
            assert 0 <= row["exclusive"] <= row["asserted"]
            assert len(row["exclusive_facts"]) >= row["exclusive"]


def test_csv_export_writes_one_file_a_table(corpus_dossier, tmp_path):
    import csv

    written = corpus_dossier.to_csv(tmp_path / "csv")
    assert {p.name for p in written} >= {"facts.csv", "quotes.csv", "conflicts.csv", "coverage.csv"}
    with (tmp_path / "csv" / "facts.csv").open(encoding="utf-8") as stream:
        facts = list(csv.DictReader(stream))
    assert len(facts) == len(corpus_dossier.facts)
    assert facts[0]["id"] == corpus_dossier.facts[0].id and facts[0]["text"] == corpus_dossier.facts[0].text


def test_help_for_the_dossier_function_is_short():
    import pydoc

    from accord.settings import Settings

    assert repr(Settings()) == "Settings()"
    assert len(pydoc.render_doc(accord.dossier)) < 1500


def test_coverage_rows_say_owner_kind_and_who_published_first(corpus_dossier):
    from accord.render import to_html
    from accord.render.report import coverage_rows

    data = corpus_dossier.to_dict()
    for n, document in enumerate(data["documents"]):
        document["published"] = f"2025-07-{10 + n:02d}"
        document["owner"] = "Owner A" if n % 2 else "Owner B"
        document["outlet_kind"] = "news"
    rows = {row["doc"]: row for row in coverage_rows(data)}
    first = data["documents"][0]["id"]
    assert rows[first]["first"] and not any(r["first"] for d, r in rows.items() if d != first)
    assert {r["owner"] for r in rows.values()} == {"Owner A", "Owner B"} and {r["kind"] for r in rows.values()} == {"news"}
    assert "Owner A" in to_html(data)
