"""The provenance invariant: every span names a document and offsets into its
clean text that give exactly its text, and raw offsets into the decoded input."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.clean import apply_edits, clean
from accord.clean.edits import Edit
from accord.ingest import read
from accord.model import OffsetMap, RawDocument
from accord.render import validate


def _spans(node):
    """Every Span object anywhere in a dossier dict."""
    if isinstance(node, dict):
        if {"doc", "start", "end", "text", "raw"} <= node.keys():
            yield node
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spans(value)


def _raw_inputs(dossier) -> dict[str, str]:
    raws = {}
    for number, entry in enumerate(read([d.source for d in dossier.documents]), 1):
        assert isinstance(entry, RawDocument)
        raws[f"d{number}"] = entry.raw
    return raws


@pytest.mark.parametrize("fixture", ["corpus_dossier", "example_dossier"])
def test_every_span_of_the_dossier_holds_the_invariant(fixture, request):
    dossier = request.getfixturevalue(fixture)
    data = json.loads(dossier.to_json())
    validate(data)
    texts = {d["id"]: d["text"] for d in data["documents"]}
    raws = _raw_inputs(dossier)
    spans = list(_spans(data))
    assert len(spans) > 100
    for span in spans:
        assert texts[span["doc"]][span["start"]:span["end"]] == span["text"]
        assert span["raw"] is not None, span  # plain text maps exactly
        raw = raws[span["doc"]][span["raw"][0]:span["raw"][1]]
        # The raw characters are the same words; only line breaks, quotation
        # marks and removed junk differ.
        first, last = span["text"][:1], span["text"][-1:]
        assert _same_char(raw[:1], first) and _same_char(raw[-1:], last), (span, raw)


def test_repairs_carry_raw_spans_and_clean_points(corpus_dossier):
    for document in corpus_dossier.documents:
        for repair in document.repairs:
            assert 0 <= repair.raw[0] <= repair.raw[1]
            assert repair.start is not None and 0 <= repair.start <= repair.end <= len(document.text)


def _same_char(a: str, b: str) -> bool:
    quotes = set("\"'“”‘’´`")
    return a == b or (a in quotes and b in quotes) or (a.isspace() and b.isspace())


# --------------------------------------------------------------------------- property-based

_alphabet = st.sampled_from(list("abcde XYZ.,\n\"'’“”-") + ["https://x.example/a", "\n\n"])


@st.composite
def text_and_edits(draw):
    text = "".join(draw(st.lists(_alphabet, min_size=0, max_size=60)))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits = []
    position = 0
    for a, b in zip(cuts[0::2], cuts[1::2]):
        if a < position or b < a:
            continue
        kind = draw(st.sampled_from(["delete", "same", "other"]))
        if kind == "delete":
            replacement = ""
        elif kind == "same":
            replacement = draw(st.text(alphabet="xyz", min_size=b - a, max_size=b - a))
        else:
            replacement = draw(st.text(alphabet="xyz", min_size=0, max_size=3))
        edits.append(Edit(a, b, replacement, kind, "test"))
        position = b
    return text, edits


@given(text_and_edits())
@settings(max_examples=300, deadline=None)
def test_edits_keep_an_exact_map(case):
    text, edits = case
    result, mapping, repairs = apply_edits(text, OffsetMap.identity(len(text)), edits)
    assert len(mapping) == len(result)
    mapped = [p for p in mapping.positions if p >= 0]
    assert mapped == sorted(set(mapped)), "mapped positions strictly increase"
    for index, position in enumerate(mapping.positions):
        if position < 0:
            continue
        inside = [e for e in edits if e.start <= position < e.end]
        if not inside:
            assert result[index] == text[position]
        elif len(inside[0].replacement) != inside[0].end - inside[0].start:
            # another length: only its ends keep the ends of what it replaced
            assert position in (inside[0].start, inside[0].end - 1)
    for repair in repairs:
        assert 0 <= repair.raw[0] <= repair.raw[1] <= len(text)


@given(text_and_edits(), text_and_edits())
@example(  # found by this test: a replacement whose first replaced character was inserted
    ("https://x.example/a", [Edit(0, 0, "x", "other", "test")] + [Edit(0, 0, "", "delete", "test")] * 3),
    ("aaa", [Edit(0, 3, "xx", "other", "test")]),
)
@settings(max_examples=150, deadline=None)
def test_maps_compose(first, second):
    text, edits = first
    middle, map1, _ = apply_edits(text, OffsetMap.identity(len(text)), edits)
    _, second_edits = second
    second_edits = [e for e in second_edits if e.end <= len(middle)]
    final, map2, _ = apply_edits(middle, map1, second_edits)
    direct = map1.compose(apply_edits(middle, OffsetMap.identity(len(middle)), second_edits)[1])
    assert list(direct.positions) == list(map2.positions)
    for index, position in enumerate(map2.positions):
        if position >= 0 and final[index] in "abcdeXYZ.,":
            assert text[position] == final[index]


_pieces = st.sampled_from(list("Ab c.\n\"'“”’-") + ["http://u.example/x", "\n\n", "Related article: more", " date 2025-01-02 200\n"])


@given(st.lists(_pieces, max_size=120).map("".join))
@settings(max_examples=200, deadline=None)
def test_clean_keeps_the_invariant_on_any_text(text):
    raw = RawDocument(source="t", format="text", raw=text, sha256="", text=text, text_map=OffsetMap.identity(len(text)))
    document = clean(raw, "d1")
    assert len(document.offsets) == len(document.text)
    for start in range(0, len(document.text), 7):
        end = min(len(document.text), start + 5)
        span = document.span(start, end)
        assert span.text == document.text[start:end]
        if span.raw is not None:
            assert 0 <= span.raw[0] < span.raw[1] <= len(text)
    for index, position in enumerate(document.offsets.positions):
        if position >= 0:
            original, cleaned = text[position], document.text[index]
            assert original == cleaned or _same_char(original, cleaned)


def test_a_replacement_never_gives_an_inserted_character_a_source():
    # "x" is inserted before "ht"; replacing "xht" by "xx" keeps "t" as the
    # source of the last character and gives the first one no source.
    middle, first, _ = apply_edits("ht", OffsetMap.identity(2), [Edit(0, 0, "x", "other", "test")])
    final, second, _ = apply_edits(middle, first, [Edit(0, 3, "xx", "other", "test")])
    assert final == "xx"
    assert list(second.positions) == [-1, 1]
