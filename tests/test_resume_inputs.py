"""Issue 25, the rest: ``accord run`` started again notices inputs and
sidecars that changed since; a byte-identical copy is accounted for, never
silently dropped; damaged store rows are one line and exit 2 (or skipped and
listed where the command can go on)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import accord
import accord.archive
from accord import cli

from conftest import EXAMPLE


def _inputs(folder: Path) -> list[Path]:
    """The example's reports copied into ``folder`` (so their place in the
    canonical order does not hang on where the checkout is)."""
    folder.mkdir()
    for example in sorted(EXAMPLE.glob("*.txt")):
        shutil.copy(example, folder / example.name)
    return sorted(folder.glob("*.txt"))


def _processed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents the per-document map processes from now on."""
    seen: list[str] = []
    original = accord.archive.process_documents

    def counting(work):  # type: ignore[no-untyped-def]
        seen.extend(doc_id for doc_id, _ in work.documents)
        return original(work)

    monkeypatch.setattr(accord.archive, "process_documents", counting)
    return seen


def test_a_run_started_again_redoes_the_shards_whose_inputs_or_sidecars_changed(tmp_path, monkeypatch):
    items = _inputs(tmp_path / "in")
    assert len(items) == 4
    out = tmp_path / "run"
    first = accord.run(items, out=out, executor="inprocess", shard_size=1)  # one shard per report
    assert first.shards == 4 and first.shards_changed == 0
    outlets_before = {d["source"]: d["outlet"] for d in
                      json.loads((out / "dossiers" / "s1.json").read_text(encoding="utf-8"))["documents"]}
    assert "The Sidecar Gazette" not in outlets_before.values()

    # After the finished run: a sidecar added beside the first report, and the
    # third report's text edited (the same size, so only its bytes tell).
    sidecar = items[0].with_name(items[0].name + ".meta.json")
    sidecar.write_text(json.dumps({"outlet": "The Sidecar Gazette"}), encoding="utf-8")
    text = items[2].read_text(encoding="utf-8")
    edited = text.replace("a", "e", 1)
    assert edited != text and len(edited) == len(text)
    items[2].write_text(edited, encoding="utf-8")

    seen = _processed(monkeypatch)
    again = accord.run(items, out=out, executor="inprocess", shard_size=1)
    assert seen == ["d1", "d3"]  # the two changed shards, and only they
    assert again.shards_done_before == 2 and again.shards_changed == 2 and again.processed == 2
    assert again.to_dict()["shards_changed"] == 2
    dossier = json.loads((out / "dossiers" / "s1.json").read_text(encoding="utf-8"))
    outlets = {d["source"]: d["outlet"] for d in dossier["documents"]}
    assert outlets[str(items[0])] == "The Sidecar Gazette"
    assert {s: o for s, o in outlets.items() if s != str(items[0])} == \
        {s: o for s, o in outlets_before.items() if s != str(items[0])}
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert "The Sidecar Gazette" in index["stories"][0]["outlets"]

    # The sidecar edited: that shard again, nothing else.
    seen.clear()
    sidecar.write_text(json.dumps({"outlet": "The Other Gazette"}), encoding="utf-8")
    third = accord.run(items, out=out, executor="inprocess", shard_size=1)
    assert seen == ["d1"] and third.shards_changed == 1 and third.shards_done_before == 3
    dossier = json.loads((out / "dossiers" / "s1.json").read_text(encoding="utf-8"))
    assert {d["source"]: d["outlet"] for d in dossier["documents"]}[str(items[0])] == "The Other Gazette"

    # Nothing changed: nothing redone, and the command line says none changed.
    seen.clear()
    assert cli.main(["run", *map(str, items), "--out", str(out), "--executor", "inprocess",
                     "--shard-size", "1", "-q"]) == 0
    assert seen == []
