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
    assert set(frames) == {"facts", "quotes", "statements", "conflicts"}
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
