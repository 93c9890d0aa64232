"""The labelled dev set (bench/facts/labels) is well formed: every label names
sentences that exist in its story's input texts, with valid stances and kinds,
and holds no article text (notes are short, own-word summaries)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import devset  # noqa: E402

STANCES = {"asserts", "attributes", "hedges", "questions", "denies", "predicts"}
KINDS = {"value", "stance", "quotation", "attribution"}
LABELLED = sorted(devset.LABELS.glob("*.json")) + sorted(devset.LONGFORM_LABELS.glob("*.json"))


def _input_texts(key: str) -> dict[str, str]:
    texts = {}
    for source in devset.sources(key):
        item = source.item
        texts[source.name] = Path(item).read_bytes().decode("utf-8") if isinstance(item, str) else item.text
    return texts


def test_at_least_forty_stories_are_labelled():
    roundup = sorted(devset.LABELS.glob("*.json"))
    assert len(roundup) >= 40
    assert {p.stem for p in roundup} <= set(devset.keys())
    assert {p.stem for p in devset.LONGFORM_LABELS.glob("*.json")} <= set(devset.longform_keys())


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.stem)
def test_label_file_is_well_formed(path: Path):
    label = json.loads(path.read_text(encoding="utf-8"))
    assert label["story"] == path.stem
    texts = _input_texts(path.stem)
    spans = label["sentences"]
    for sid, (start, end) in spans.items():
        doc = sid.rpartition(":")[0]
        assert doc in texts, f"{sid}: no document {doc}"
        assert 0 <= start < end <= len(texts[doc]), f"{sid}: offsets outside the input text"
        assert texts[doc][start:end].strip(), f"{sid}: blank span"
    named = set()
    for fact in label["facts"]:
        assert fact["passages"] and len(fact["note"].split()) <= 10
        for passage in fact["passages"]:
            assert passage["sent"] in spans and passage["stance"] in STANCES
            named.add(passage["sent"])
    for sid in label["boilerplate"]:
        assert sid in spans
        named.add(sid)
    for conflict in label["conflicts"]:
        assert conflict["kind"] in KINDS and len(conflict["note"].split()) <= 10
        assert len(conflict["sides"]) >= 2
        docs = {sid.rpartition(":")[0] for side in conflict["sides"] for sid in side["sents"]}
        assert len(docs) >= 2, f"{conflict['id']}: a conflict is between documents"
        for side in conflict["sides"]:
            assert side["sents"] and all(s in spans for s in side["sents"])
            named.update(side["sents"])
    assert named == set(spans), "every listed sentence is used, every used sentence listed"
