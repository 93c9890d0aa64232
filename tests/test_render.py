"""The Markdown and HTML reports, rendered from a dossier dict built by hand.

The story is invented for these tests: a flood in the town of Valmont reported by
three outlets, one of which carries hostile markup in its text.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from html import unescape as html_unescape
from html.parser import HTMLParser
from typing import Any

import pytest

from accord.render import DossierSchemaError, to_html, to_markdown, validate
from accord.render.html import word_diff

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }}"

TEXTS = {
    "d1": (
        "VALMONT, March 10 (AFP) - The river Lenne burst its banks on Tuesday night, "
        "flooding the old town of Valmont.\n\n"
        "About 1,200 residents were evacuated before dawn, the prefecture said.\n\n"
        '"We will not leave anyone behind, and every family will have a roof tonight," '
        "Mayor Ana Ruiz said at the town hall."
    ),
    "d2": (
        "The Lenne river burst its banks in Valmont on Tuesday night.\n\n"
        "Some 2,000 people were evacuated, according to the fire service.\n\n"
        '"We will not leave anyone behind and every family will have shelter tonight," '
        "Mayor Ana Ruiz told reporters.\n\n"
        "Shops on rue | Basse and the #1 market hall stayed shut."
    ),
    "d3": (
        "Readers sent us this note, pasted as they wrote it: "
        + HOSTILE
        + "\n\nA school gym on rue Haute was opened as a shelter on Wednesday, "
        "café owner Léa Brun said. Émile 🌊 helped."
    ),
}


def _span(doc: str, needle: str, occurrence: int = 0) -> dict[str, Any]:
    """The Span dict of ``needle`` in document ``doc`` (identity raw offsets)."""
    text = TEXTS[doc]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return {
        "doc": doc,
        "start": start,
        "end": start + len(needle),
        "text": needle,
        "raw": [start, start + len(needle)],
    }


def _document(
    doc: str, outlet: str, title: str, published: str | None, credits: list[str]
) -> dict[str, Any]:
    text = TEXTS[doc]
    return {
        "id": doc,
        "source": f"corpus/valmont/{doc}.txt",
        "format": "text",
        "outlet": outlet,
        "title": title,
        "authors": ["Staff"] if doc != "d3" else [],
        "published": published,
        "language": "en",
        "credits": credits,
        "url": f"https://example.org/{doc}" if doc != "d3" else "javascript:alert(1)",
        "text": text,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "repairs": [
            {
                "kind": "unwrap",
                "note": "joined a hard-wrapped line",
                "raw": [40, 42],
                "start": 40,
                "end": 41,
            }
        ]
        if doc == "d1"
        else [],
        "suspects": [_span("d3", "🌊")] if doc == "d3" else [],
    }


def make_dossier() -> dict[str, Any]:
    """A small but complete dossier of the Valmont flood."""
    flood_d1 = _span("d1", "The river Lenne burst its banks on Tuesday night")
    flood_d2 = _span("d2", "The Lenne river burst its banks in Valmont on Tuesday night.")
    count_d1 = _span("d1", "About 1,200 residents were evacuated before dawn")
    count_d2 = _span("d2", "Some 2,000 people were evacuated")
    quote_d1 = _span(
        "d1", "We will not leave anyone behind, and every family will have a roof tonight,"
    )
    quote_d2 = _span(
        "d2", "We will not leave anyone behind and every family will have shelter tonight,"
    )
    shelter_d3 = _span("d3", "A school gym on rue Haute was opened as a shelter on Wednesday")
    hostile_d3 = _span("d3", "pasted as they wrote it: " + HOSTILE)
    shops_d2 = _span("d2", "Shops on rue | Basse and the #1 market hall stayed shut.")
    return {
        "schema": "accord.dossier/1",
        "accord_version": "0.1.0",
        "story": {
            "id": "s1",
            "title": "Flood in Valmont <i>old town</i>",
            "first_published": "2026-03-10",
            "last_published": "2026-03-11",
        },
        "documents": [
            _document("d1", "Harbour Gazette", "Lenne floods Valmont", "2026-03-10", ["AFP"]),
            _document(
                "d2", "Valley Courier", "Thousands leave Valmont as river rises", "2026-03-10", []
            ),
            _document("d3", "Evening <b>Post</b>", "Readers' notes " + HOSTILE, "2026-03-11", []),
        ],
        "skipped": [
            {"source": "corpus/valmont/broken.pdf", "reason": "not a PDF: the file is empty"}
        ],
        "entities": [
            {
                "id": "e1",
                "name": "Ana Ruiz",
                "type": "PERSON",
                "aliases": ["Mayor Ana Ruiz"],
                "mentions": [_span("d1", "Mayor Ana Ruiz"), _span("d2", "Mayor Ana Ruiz")],
            }
        ],
        "quotes": [
            {
                "id": "q1",
                "doc": "d1",
                "kind": "direct",
                "span": quote_d1,
                "text": quote_d1["text"],
                "speaker": "e1",
                "speaker_name": "Ana Ruiz",
                "speaker_mention": _span("d1", "Mayor Ana Ruiz"),
                "cue": _span("d1", "said", 1),
            },
            {
                "id": "q2",
                "doc": "d2",
                "kind": "direct",
                "span": quote_d2,
                "text": quote_d2["text"],
                "speaker": "e1",
                "speaker_name": "Ana Ruiz",
                "speaker_mention": _span("d2", "Mayor Ana Ruiz"),
                "cue": _span("d2", "told"),
            },
        ],
        "statements": [
            {
                "id": "st1",
                "speaker": "e1",
                "speaker_name": "Ana Ruiz",
                "text": quote_d1["text"],
                "quotes": ["q1", "q2"],
                "outlets": 2,
                "independent": 2,
                "agreement": "divergent",
                "differences": [{"quote": "q2", "note": "“shelter” where the other says “a roof”"}],
            }
        ],
        "facts": [
            {
                "id": "f1",
                "text": "The river Lenne burst its banks in Valmont on Tuesday night.",
                "support": [flood_d1, flood_d2],
                "outlets": 2,
                "independent": 2,
                "status": "corroborated",
            },
            {
                "id": "f2",
                "text": "Residents were evacuated; the numbers differ.",
                "support": [count_d1, count_d2],
                "outlets": 2,
                "independent": 2,
                "status": "disputed",
            },
            {
                "id": "f3",
                "text": "A school gym was opened as a shelter.",
                "support": [shelter_d3],
                "outlets": 1,
                "independent": 1,
                "status": "single-source",
            },
            {
                "id": "f4",
                "text": "# Shops on rue | Basse stayed shut.",
                "support": [shops_d2],
                "outlets": 1,
                "independent": 1,
                "status": "single-source",
            },
        ],
        "conflicts": [
            {
                "id": "c1",
                "topic": "people evacuated",
                "sides": [
                    {"value": "1,200", "normalized": "1200", "support": [count_d1]},
                    {"value": "2,000", "normalized": "2000", "support": [count_d2]},
                ],
            }
        ],
        "timeline": [
            {
                "date": "2026-03-10",
                "precision": "day",
                "text": "The Lenne bursts its banks.",
                "support": [flood_d1, flood_d2],
            },
            {
                "date": "2026-03-11",
                "precision": "day",
                "text": "A school gym opens as a shelter.",
                "support": [shelter_d3],
            },
            {"date": "2026-03-01", "precision": "month", "text": "Flood season.", "support": []},
        ],
        "summary": [
            {
                "text": "The river Lenne flooded the old town of Valmont on Tuesday night.",
                "support": [flood_d1, flood_d2],
            },
            {
                "text": "Outlets disagree on how many people were evacuated: 1,200 or 2,000.",
                "support": [count_d1, count_d2],
            },
            {"text": "One reader note carried pasted markup.", "support": [hostile_d3]},
        ],
        "coverage": [
            {"doc": "d1", "facts": ["f1", "f2"], "exclusive": []},
            {"doc": "d2", "facts": ["f1", "f2", "f4"], "exclusive": ["f4"]},
            {"doc": "d3", "facts": ["f3"], "exclusive": ["f3"]},
        ],
    }


def _all_spans(node: Any) -> list[dict[str, Any]]:
    """Every Span dict anywhere in ``node``."""
    if isinstance(node, dict):
        if {"doc", "start", "end", "text", "raw"} <= node.keys():
            return [node]
        return [s for value in node.values() for s in _all_spans(value)]
    if isinstance(node, list):
        return [s for value in node for s in _all_spans(value)]
    return []


@pytest.fixture
def dossier() -> dict[str, Any]:
    return make_dossier()


# --------------------------------------------------------------------------- parsing the page


class Page(HTMLParser):
    """Records what a browser would build: elements with their attributes, the
    text of each document's clean text and the offsets of every <mark> in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self.texts: dict[str, str] = {}
        # doc id -> [(start, end, citation classes)]
        self.marks: dict[str, list[tuple[int, int, set[str]]]] = {}
        self.anchor_doc: dict[str, str] = {}
        self._doc: str | None = None
        self._depth = 0
        self._open_marks: list[tuple[int, set[str]]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = True
            self.script_bodies.append("")
        if self._doc is not None:
            if tag in ("div", "span", "mark"):
                self._depth += 1
            if tag == "mark":
                self._open_marks.append(
                    (len(self.texts[self._doc]), set((attributes.get("data-c") or "").split()))
                )
            if attributes.get("id", "").startswith("cite-"):
                self.anchor_doc[attributes["id"]] = self._doc
        elif tag == "div" and "doctext" in (attributes.get("class") or "").split():
            self._doc = attributes["data-doc"]
            self.texts[self._doc] = ""
            self.marks[self._doc] = []
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if self._doc is None or tag not in ("div", "span", "mark"):
            return
        if tag == "mark":
            start, classes = self._open_marks.pop()
            self.marks[self._doc].append((start, len(self.texts[self._doc]), classes))
        self._depth -= 1
        if self._depth == 0:
            self._doc = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_bodies[-1] += data
        if self._doc is not None:
            self.texts[self._doc] += data

    def highlighted(self, doc: str, number: int) -> tuple[int, int] | None:
        """The offsets that the marks of citation ``number`` cover in ``doc``,
        which must be one unbroken run."""
        pieces = sorted((s, e) for s, e, classes in self.marks[doc] if f"c{number}" in classes)
        if not pieces:
            return None
        for (_, end), (start, _) in itertools.pairwise(pieces):
            assert end == start, f"citation {number} is highlighted in pieces with a gap"
        return pieces[0][0], pieces[-1][1]


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def _summary_links(page: str) -> list[int]:
    summary = page[
        page.index('<section id="summary">') : page.index(
            "</section>", page.index('<section id="summary">')
        )
    ]
    return [int(n) for n in re.findall(r'data-cite="(\d+)"', summary)]


# --------------------------------------------------------------------------- the dossier itself


def test_hand_built_dossier_matches_the_schema_and_the_provenance_invariant(
    dossier: dict[str, Any],
) -> None:
    validate(dossier)
    texts = {d["id"]: d["text"] for d in dossier["documents"]}
    for span in _all_spans(dossier):
        assert texts[span["doc"]][span["start"] : span["end"]] == span["text"]


# --------------------------------------------------------------------------- HTML


def test_html_citations_show_the_cited_document_and_highlight_exactly_the_cited_characters(
    dossier: dict[str, Any],
) -> None:
    page = to_html(dossier)
    parsed = parse(page)
    expected: list[dict[str, Any]] = []
    for sentence in dossier["summary"]:
        for span in sentence["support"]:
            if span not in expected:
                expected.append(span)
    links = _summary_links(page)
    assert links == list(range(1, len(expected) + 1))
    for number, span in zip(links, expected):
        # the link's anchor sits in the cited document, and the marks of this
        # citation cover exactly its characters there
        assert parsed.anchor_doc[f"cite-{number}"] == span["doc"]
        assert parsed.texts[span["doc"]] == dossier["documents"][int(span["doc"][1:]) - 1]["text"]
        assert parsed.highlighted(span["doc"], number) == (span["start"], span["end"])
        start, end = parsed.highlighted(span["doc"], number)
        assert parsed.texts[span["doc"]][start:end] == span["text"]
        assert f'href="#cite-{number}"' in page


def test_html_offsets_count_code_points_after_non_ascii_text(dossier: dict[str, Any]) -> None:
    # "café", "Émile" and an emoji come before or around the cited passage; the
    # highlight must still land on the span's code-point offsets
    span = _span("d3", "Émile 🌊 helped.")
    dossier["summary"].append({"text": "Émile helped.", "support": [span]})
    parsed = parse(to_html(dossier))
    number = _summary_links(to_html(dossier))[-1]
    assert parsed.highlighted("d3", number) == (span["start"], span["end"])


def test_html_shows_hostile_article_text_as_text_and_runs_only_its_own_script(
    dossier: dict[str, Any],
) -> None:
    page = to_html(dossier)
    parsed = parse(page)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}" in page
    assert "<i>old town</i>" not in page and "&lt;i&gt;old town&lt;/i&gt;" in page
    assert "<b>Post</b>" not in page
    tags = [tag for tag, _ in parsed.elements]
    assert "img" not in tags and "b" in tags  # <b> only from accord's own stats
    assert not any(name.startswith("on") for _, attrs in parsed.elements for name in attrs)
    scripts = [attrs for tag, attrs in parsed.elements if tag == "script"]
    assert scripts == [{}]  # one inline script, no src
    assert len(parsed.script_bodies) == 1 and "alert" not in parsed.script_bodies[0]
    # the text of the hostile document, as a browser reads it, is the article text
    assert HOSTILE in parsed.texts["d3"]
    # no resource from the network; a javascript: URL does not become a link
    assert not any("src" in attrs for _, attrs in parsed.elements)
    assert tags.count("link") == 0
    assert 'href="javascript:' not in page
    assert any(
        tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
        for tag, attrs in parsed.elements
    )


def test_html_script_hash_in_the_policy_matches_the_script(dossier: dict[str, Any]) -> None:
    import base64

    page = to_html(dossier)
    parsed = parse(page)
    policy = next(a["content"] for t, a in parsed.elements if t == "meta" and a.get("http-equiv"))
    digest = base64.b64encode(hashlib.sha256(parsed.script_bodies[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_html_has_every_section_with_its_content(dossier: dict[str, Any]) -> None:
    page = to_html(dossier)
    for section in (
        "summary",
        "facts",
        "conflicts",
        "statements",
        "timeline",
        "coverage",
        "documents",
        "skipped",
    ):
        assert f'<section id="{section}">' in page
    assert "Flood in Valmont &lt;i&gt;old town&lt;/i&gt;</h1>" in page
    assert "10 March 2026" in page and "11 March 2026" in page and "March 2026</time>" in page
    assert 'class="badge status-corroborated"' in page and 'class="badge status-disputed"' in page
    assert 'class="badge agreement-divergent"' in page
    assert '<p class="value">1,200</p>' in page and '<p class="value">2,000</p>' in page
    assert "not a PDF: the file is empty" in page
    assert "joined a hard-wrapped line" in page and "1 repair</span>" in page
    assert '<td class="only" title="only this outlet">★</td>' in page
    assert "corpus/valmont/broken.pdf" in page


def test_html_statement_versions_mark_word_differences(dossier: dict[str, Any]) -> None:
    page = to_html(dossier)
    assert "<del>a roof</del><ins>shelter</ins>" in page.replace("</del> <ins>", "</del><ins>")
    # punctuation and case alone are not a difference between versions
    assert "<del>behind,</del>" not in page


def test_word_diff_marks_inserted_and_deleted_words_and_escapes_them() -> None:
    assert word_diff("the cat sat", "the cat sat") == "the cat sat"
    assert word_diff("the cat sat", "the big cat sat") == "the <ins>big</ins> cat sat"
    assert word_diff("the big cat", "the cat") == "the <del>big</del> cat"
    assert word_diff("say <b>", "say <i>") == "say <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"


def test_html_renders_a_saved_dossier_the_same(dossier: dict[str, Any]) -> None:
    saved = json.loads(json.dumps(dossier))
    assert to_html(saved) == to_html(dossier)
    assert to_markdown(saved) == to_markdown(dossier)


def test_overlapping_citations_each_highlight_their_own_characters(dossier: dict[str, Any]) -> None:
    outer = _span("d1", "About 1,200 residents were evacuated before dawn, the prefecture said.")
    inner = _span("d1", "1,200 residents")
    dossier["summary"] = [{"text": "Evacuation.", "support": [outer, inner]}]
    parsed = parse(to_html(dossier))
    assert parsed.highlighted("d1", 1) == (outer["start"], outer["end"])
    assert parsed.highlighted("d1", 2) == (inner["start"], inner["end"])


def test_citation_of_a_document_not_in_the_dossier_renders_without_a_target(
    dossier: dict[str, Any],
) -> None:
    dossier["summary"] = [
        {
            "text": "Gone.",
            "support": [{"doc": "d9", "start": 0, "end": 4, "text": "Gone", "raw": None}],
        }
    ]
    page = to_html(dossier)
    assert 'class="cite missing"' in page and 'id="cite-1"' not in page


def test_empty_dossier_renders_in_both_formats() -> None:
    empty = {
        "schema": "accord.dossier/1",
        "accord_version": "0.1.0",
        "story": {"id": "s0", "title": None, "first_published": None, "last_published": None},
        **{
            key: []
            for key in (
                "documents",
                "skipped",
                "entities",
                "quotes",
                "statements",
                "facts",
                "conflicts",
                "timeline",
                "summary",
                "coverage",
            )
        },
    }
    validate(empty)
    assert "Untitled story" in to_html(empty)
    assert to_markdown(empty).startswith("# Untitled story\n")


# --------------------------------------------------------------------------- Markdown


def test_markdown_has_summary_citations_and_the_numbered_cited_passages(
    dossier: dict[str, Any],
) -> None:
    text = to_markdown(dossier)
    assert (
        "The river Lenne flooded the old town of Valmont on Tuesday night. "
        "[\\[1\\]](#cite-1) [\\[2\\]](#cite-2)" in text
    )
    assert (
        '1. <a id="cite-1"></a>**Harbour Gazette** (d1, characters 26–74): '
        "“The river Lenne burst its banks on Tuesday night”" in text
    )
    assert "## Cited passages" in text


def test_markdown_has_facts_conflicts_statements_timeline_coverage_documents_skipped(
    dossier: dict[str, Any],
) -> None:
    text = to_markdown(dossier)
    assert (
        "| f1 | The river Lenne burst its banks in Valmont on Tuesday night. | corroborated | 2 | 2 |"
        in text
    )
    assert "| f3 | A school gym was opened as a shelter. | single-source | 1 | 1 |" in text
    assert "### people evacuated" in text
    assert "- **1,200** (normalized: 1200)" in text and "- **2,000** (normalized: 2000)" in text
    assert "### Ana Ruiz — divergent" in text
    assert "- Valley Courier: “shelter” where the other says “a roof”" in text
    assert "- **10 March 2026** — The Lenne bursts its banks." in text
    assert "- **March 2026** — Flood season." in text
    assert "| Valley Courier | 3 | 1 | 1 | 1 |" in text  # facts, corroborated, exclusive, disputed
    assert "| d1 | Harbour Gazette | Lenne floods Valmont | 10 March 2026 | AFP | 1 |" in text
    assert "- corpus/valmont/broken.pdf: not a PDF: the file is empty" in text


def test_markdown_escapes_what_would_change_the_rendering(dossier: dict[str, Any]) -> None:
    text = to_markdown(dossier)
    assert "<script>" not in text and "<img" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "{{ 7\\*7 }}" in text
    assert "| f4 | \\# Shops on rue \\| Basse stayed shut. |" in text
    # every table row keeps its column count although article text holds "|"
    for line in text.splitlines():
        if line.startswith("| f"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 7, line


def test_schema_errors_are_accord_errors_and_value_errors(dossier: dict[str, Any]) -> None:
    broken = copy.deepcopy(dossier)
    broken["facts"][0]["status"] = "confirmed"
    with pytest.raises(DossierSchemaError) as caught:
        validate(broken)
    assert isinstance(caught.value, ValueError)
    assert caught.value.path == "/facts/0/status"


def test_markdown_rendered_by_a_commonmark_renderer_shows_article_markup_as_text(
    dossier: dict[str, Any],
) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    # raw HTML on, as on most Markdown hosts: escaping must not rely on it being off
    page = (
        markdown_it.MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .render(to_markdown(dossier))
    )
    parsed = parse(page)
    tags = [tag for tag, _ in parsed.elements]
    assert "script" not in tags and "img" not in tags and "i" not in tags
    assert not any(name.startswith("on") for _, attrs in parsed.elements for name in attrs)
    text = re.sub(r"<[^>]+>", "", page)
    assert "<script>alert(1)</script>" in html_unescape(text)
    assert "{{ 7*7 }}" in html_unescape(text)
    # the fact with "|" and a leading "#" stays one row of six cells, and no heading
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.DOTALL) if "Basse stayed shut" in r)
    assert row.count("<td") == 6
    assert "# Shops on rue | Basse stayed shut." in html_unescape(row)
    assert "Shops on rue" not in "".join(re.findall(r"<h\d>.*?</h\d>", page))


def test_render_exports_what_it_promises() -> None:
    import accord.render

    assert sorted(accord.render.__all__) == [
        "DossierSchemaError",
        "INDEX_SCHEMA",
        "frames",
        "load_schema",
        "notebook_html",
        "rows",
        "to_html",
        "to_index_html",
        "to_markdown",
        "validate",
    ]
    assert all(callable(getattr(accord.render, name)) for name in accord.render.__all__ if name != "INDEX_SCHEMA")
    assert accord.render.INDEX_SCHEMA.startswith("accord.")


def test_coverage_is_one_row_an_outlet_and_the_fact_matrix_is_on_demand(corpus_dossier) -> None:
    data = corpus_dossier.to_dict()
    markdown = to_markdown(data)
    coverage = markdown.split("## Coverage", 1)[1].split("\n## ", 1)[0]
    header = next(line for line in coverage.splitlines() if line.startswith("| Outlet"))
    # outlet, facts, corroborated, exclusive, disputed, owner, kind, country (a lean only when given)
    assert header.count("|") == 9 and "Lean" not in header
    rows = [line for line in coverage.splitlines()
            if line.startswith("| ") and not line.startswith(("| Outlet", "| ---"))]
    assert len(rows) == len(data["coverage"])
    page = to_html(data)
    assert 'class="coverage-summary"' in page
    matrix = page.index('<table class="coverage">')
    assert page.rfind("<details>", 0, matrix) > page.rfind("</details>", 0, matrix)


def test_statement_notes_name_no_internal_ids_and_one_version_gets_no_badge(corpus_dossier) -> None:
    data = corpus_dossier.to_dict()
    notes = [d["note"] for s in data["statements"] for d in s["differences"]]
    assert notes and not any(re.search(r"\bq\d+\b", note) for note in notes)
    assert any(len(s["quotes"]) == 1 for s in data["statements"])
    markdown = to_markdown(data)
    badged = sum(1 for line in markdown.splitlines() if line.startswith("### ")
                 and line.endswith((" — identical", " — consistent", " — divergent")))
    assert badged == sum(1 for s in data["statements"] if len(s["quotes"]) > 1)


def test_markdown_citations_are_links_to_their_cited_passage(dossier: dict[str, Any]) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    dossier["documents"][0]["url"] = "https://gazette.example/valmont (flood)"
    page = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(to_markdown(dossier))
    targets = set(re.findall(r'<a id="(cite-\d+)"></a>', page))
    links = re.findall(r'<a href="#(cite-\d+)">\[(\d+)\]</a>', page)
    assert links and {f"cite-{n}" for _, n in links} == {target for target, _ in links}
    assert {target for target, _ in links} <= targets
    # the summary and the facts table cite by links, not plain "[1]"
    summary = page.split("<h2>Summary</h2>", 1)[1].split("<h2>", 1)[0]
    assert '<a href="#cite-1">[1]</a>' in summary
    # the page of a document with a web address is linked, its ")" kept inside the link
    assert 'href="https://gazette.example/valmont%20(flood)"' in page


def test_the_fact_matrix_is_an_option_of_both_reports(dossier: dict[str, Any]) -> None:
    folded, shown = to_html(dossier), to_html(dossier, fact_matrix=True)
    assert "<details><summary>Fact by fact" in folded and "<details open><summary>Fact by fact" in shown
    assert "| Outlet | f1 |" not in to_markdown(dossier)
    matrix = to_markdown(dossier, fact_matrix=True)
    header = next(line for line in matrix.splitlines() if line.startswith("| Outlet | f1 |"))
    assert header.count("|") == len(dossier["facts"]) + 2
    assert "★" in matrix.split("## Coverage", 1)[1].split("\n## ", 1)[0]


def test_report_templates_styles_and_script_are_package_files() -> None:
    from importlib import resources

    from accord.render.html import environment, static_file

    root = resources.files("accord.render")
    for name in ("templates/report.html.j2", "templates/report.md.j2", "templates/index.html.j2",
                 "static/report.css", "static/report.js", "static/index.css"):
        assert root.joinpath(name).is_file(), name
    # the page inlines the package's CSS and script, so it opens without network
    page = to_html({"story": {"id": "s0"}, "documents": []})
    assert static_file("report.css") in page and static_file("report.js") in page
    assert environment().autoescape("report.html.j2") is True


def test_statement_notes_quote_the_words_as_written_not_as_tokens() -> None:
    from accord.compare.statements import compare_versions
    from accord.model import Quote, Span

    def quote(qid: str, doc: str, text: str) -> Quote:
        return Quote(qid, doc, "direct", Span(doc, 0, len(text), text), speaker_name="Ana Ruiz")

    said = "We won't leave anyone behind, and Mayor Ruiz's team can't rest tonight."
    versions = [quote("q1", "d1", said), quote("q2", "d2", said),
                quote("q3", "d3", "We will leave everyone behind, and the team doesn't rest tonight.")]
    agreement, differences, reference = compare_versions(versions)
    assert reference.text == said and agreement == "divergent"
    (note,) = [d["note"] for d in differences]
    # runs of words as the quotation writes them: contractions whole, case kept
    assert "won't" in note and "doesn't" in note and "Mayor Ruiz's" in note
    assert not re.search(r"\b(wo|ca|does|do) n[’']t\b", note) and "q1" not in note


def test_agreement_badge_only_where_outlets_are_compared(dossier: dict[str, Any]) -> None:
    statement = dossier["statements"][0]
    for quotes, outlets, agreement, shown in [
        (["q1"], 1, "identical", False),  # one version agrees with nothing
        (["q1", "q2"], 1, "identical", False),  # one outlet repeating itself
        (["q1", "q2"], 2, "identical", True),
        (["q1", "q2"], 1, "divergent", True),  # an outlet's two versions that differ
    ]:
        statement.update(quotes=quotes, outlets=outlets, agreement=agreement, differences=[])
        page, markdown = to_html(dossier), to_markdown(dossier)
        assert (f'class="badge agreement-{agreement}"' in page) is shown
        assert (f"### Ana Ruiz — {agreement}" in markdown) is shown


def test_coverage_counts_the_facts_an_outlet_asserts_not_those_it_denies(dossier: dict[str, Any]) -> None:
    # Valley Courier (d2) reports f1, f2 and f4; its passage on f2 denies it
    dossier["facts"][1]["support"][1]["stance"] = "denies"
    markdown = to_markdown(dossier)
    assert "| Outlet | Facts asserted | Corroborated | Exclusive | Disputed |" in markdown
    assert "| Valley Courier | 2 | 1 | 1 | 1 |" in markdown  # asserted, corroborated, exclusive, disputed
    assert "| Harbour Gazette | 2 | 1 | 0 | 1 |" in markdown
    page = to_html(dossier)
    row = re.search(r'<tr><th scope="row">Valley Courier</th>(.*?)</tr>', page).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "1", "1", "1"]
