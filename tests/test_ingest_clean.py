"""Ingest and clean on the five real reports (read from ../shared)."""

from __future__ import annotations

import re

import pytest

from accord.clean import clean
from accord.ingest import read
from accord.model import RawDocument

from conftest import corpus_file


def _document(prefix: str):
    [raw] = list(read([corpus_file(prefix)]))
    assert isinstance(raw, RawDocument)
    return raw, clean(raw, "d1")


def test_scraper_header_and_title_are_metadata_not_body():
    raw, document = _document("002")
    assert document.published == "2025-07-12"
    assert document.title and document.title.startswith("Rubio announces")
    assert document.text.startswith("(MENAFN) U.S. Secretary of State")
    assert document.outlet == "MENAFN"
    kinds = {r.kind for r in document.repairs}
    assert {"scraper-header", "title"} <= kinds
    header = next(r for r in document.repairs if r.kind == "scraper-header")
    assert raw.raw[header.raw[0]:header.raw[1]].strip() == "date 2025-07-12 403"


def test_title_wrapped_over_three_lines_is_whole_and_caption_dropped():
    _, document = _document("003")
    assert document.title == "Rubio and Lavrov Held ‘Frank Exchange’ on Sidelines of ASEAN Summit, Moscow Says"
    assert document.text.startswith("Russian and American top diplomats")
    assert "Russian Foreign Ministry\n" not in document.text[:200]
    assert any(r.kind == "caption" for r in document.repairs)


def test_pdf_text_is_unwrapped_and_the_url_split_quotation_rejoined():
    _, document = _document("003")
    for paragraph in document.text.split("\n\n"):
        assert "\n" not in paragraph, "a line break inside a paragraph"
    assert "http" not in document.text and "themoscowtimes" not in document.text
    assert "Related article" not in document.text
    assert ("“A substantive and frank exchange of views took place on the settlement of the "
            "situation in Ukraine,” Russia’s Foreign Ministry said") in document.text
    rejoin = next(r for r in document.repairs if r.kind == "rejoin")
    assert "quotation" in rejoin.note


def test_outlet_and_credits_from_author_page_and_wire_mentions():
    _, moscow = _document("003")
    assert moscow.outlet == "The Moscow Times"
    assert moscow.credits == ["AFP"] and moscow.wire == "AFP"
    _, intellinews = _document("004")
    assert {"AFP", "AP", "Axios", "The Washington Post", "The Guardian"} <= set(intellinews.credits)
    _, menafn = _document("002")
    assert "Reuters" in menafn.credits


def test_quotation_marks_are_normalised_and_unbalanced_ones_noted():
    raw, document = _document("004")
    assert '"' not in document.text and "´" not in document.text
    assert "wouldn’t characterize" in document.text
    unbalanced = [r for r in document.repairs if r.kind == "unbalanced-quote"]
    assert unbalanced and document.text[unbalanced[0].start:unbalanced[0].end] == "”"
    assert len(document.text) == len(raw.raw.rstrip()), "quotation marks are replaced one for one"


def test_garbled_tokens_are_flagged_not_rewritten():
    _, document = _document("003")
    flagged = {s.text for s in document.suspects}
    assert {"epde", "peopleto"} <= flagged
    assert "epde" in document.text
    note = next(r.note for r in document.repairs if r.kind == "suspect-token" and "peopleto" in r.note)
    assert "people to" in note


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_body_has_no_line_breaks_inside_sentences(prefix):
    _, document = _document(prefix)
    for match in re.finditer(r"\n", document.text):
        before = document.text[:match.start()].rstrip()
        assert re.search(r"[.!?”’\"…]$", before) or document.text[match.start():match.start() + 2] == "\n\n" or before.endswith("peopleto"), before[-60:]


def test_hyphenation_at_line_end_keeps_real_compounds():
    from accord.clean.repairs import unwrap_lines
    from accord.clean.edits import apply_edits
    from accord.model import OffsetMap

    text = "The peo-\nple of the well-\nknown city met.\n\nNext para-\ngraph here."
    out, _, _ = apply_edits(text, OffsetMap.identity(len(text)), unwrap_lines(text))
    assert "people of the well-known city" in out
    assert "paragraph here" in out


def test_mojibake_is_decoded_again_and_recorded():
    from accord.model import OffsetMap

    text = "The ministerâ€™s deal was signed at the cafÃ© in ZÃ¼rich on Tuesday, officials said.\n"
    raw = RawDocument(source="t", format="text", raw=text, sha256="", text=text, text_map=OffsetMap.identity(len(text)))
    document = clean(raw, "d1")
    assert "minister’s deal" in document.text and "café" in document.text and "Zürich" in document.text
    fixes = [r for r in document.repairs if r.kind == "mojibake"]
    assert len(fixes) == 3
    assert text[fixes[0].raw[0]:fixes[0].raw[1]] == "ministerâ€™s"
    assert document.text[fixes[0].start:fixes[0].end] == "minister’s"
    # Untouched words keep exact raw offsets.
    span = document.span(document.text.index("signed"), document.text.index("signed") + 6)
    assert text[span.raw[0]:span.raw[1]] == "signed"
