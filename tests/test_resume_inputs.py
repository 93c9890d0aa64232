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
from accord.errors import UsageError
from accord.model import Analysis
from accord.store import Store

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


@pytest.mark.slow  # about 17 s: four runs that parse the example's reports
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


# --------------------------------------------------------------------------- identical copies

HARBOUR = ("Harbour crane collapses in Kelvar\n\nA crane at the Kelvar container harbour collapsed on Monday "
           "morning, the port authority said. Nobody was hurt, and the quay stays closed until Thursday.\n")
SCHOOL = ("New school opens in Ostmark\n\nThe Ostmark district opened its new primary school on Tuesday with "
          "240 pupils, the mayor said. Lessons begin next week after a ceremony in the main hall.\n")


def test_a_byte_identical_copy_is_listed_as_a_duplicate_naming_both(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "b.txt").write_bytes((folder / "a.txt").read_bytes())
    a, b = str(folder / "a.txt"), str(folder / "b.txt")

    # Without a store each input is its own document.
    out = tmp_path / "pile.json"
    assert cli.main(["stories", str(folder), "-o", str(out), "-q"]) == 0
    pile = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(d["source"] for s in pile["stories"] for d in s["documents"]) == [a, b]
    assert pile["duplicates"] == []

    # A store keeps the content once: the copy is listed, naming both, and counted.
    out = tmp_path / "stored.json"
    db = tmp_path / "s.db"
    assert cli.main(["stories", str(folder), "--store", str(db), "-o", str(out), "-q"]) == 0
    stored = json.loads(out.read_text(encoding="utf-8"))
    assert [d["source"] for s in stored["stories"] for d in s["documents"]] == [a]
    assert stored["duplicates"] == [{"source": b, "same_as": a, "document": "d1"}]
    err = capsys.readouterr().err
    assert "1 duplicate kept once" in err and f"{b}: duplicate: the same content as {a}" in err

    # Added again (the store knows both names): still listed, not dropped.
    assert cli.main(["stories", str(folder), "--store", str(db), "-o", str(out), "-q"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["duplicates"] == stored["duplicates"]

    # The dossier of a store lists the copy among its skipped inputs.
    out = tmp_path / "d.json"
    assert cli.main(["dossier", str(folder), "--store", str(db), "-o", str(out), "-q"]) == 0
    dossier = json.loads(out.read_text(encoding="utf-8"))
    assert [d["source"] for d in dossier["documents"]] == [a]
    assert [(s["source"], a in s["reason"]) for s in dossier["skipped"]] == [(b, True)]


# --------------------------------------------------------------------------- damaged store rows


def _nothing_found(documents):  # type: ignore[no-untyped-def]
    """An analyzer that finds nothing (no spaCy): the rows are what is tested."""
    for document in documents:
        yield Analysis(document)


def _store(tmp_path: Path, damage: str) -> Path:
    """A store of two stories (d1 in s1, d2 in s2), then ``damage`` done to
    its rows with sqlite3, as a hand edit or a cut-short write would."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "school.txt").write_text(SCHOOL, encoding="utf-8")
    db = tmp_path / "s.db"
    with Store.open(db, analyzer=_nothing_found) as store:
        store.add(sorted(folder.glob("*.txt")))
        assert [s.documents for s in store.stories()] == [["d1"], ["d2"]]
    with sqlite3.connect(db) as connection:
        connection.executescript(damage)
    return db


def _one_line(err: str, db: Path, row: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert str(db) in lines[0] and row in lines[0], lines[0]


@pytest.mark.parametrize(("damage", "row"), [
    ("UPDATE documents SET record = substr(record, 1, 40) WHERE id = 'd1'", "document d1"),
    ("UPDATE documents SET offsets = x'0102' WHERE id = 'd1'", "document d1"),  # was exit 70
])
def test_a_damaged_document_row_is_one_line_and_exit_2(tmp_path, capsys, damage, row):
    db = _store(tmp_path, damage)
    capsys.readouterr()
    assert cli.main(["dossier", "--store", str(db), "--story", "s1", "-o", str(tmp_path / "d.json"), "-q"]) == 2
    _one_line(capsys.readouterr().err, db, row)
    assert cli.main(["stories", "--store", str(db), "-o", str(tmp_path / "s.json"), "-q"]) == 2
    _one_line(capsys.readouterr().err, db, row)
    # The web app: an error page naming the row, not a traceback; the rest is served.
    from accord.serve import create_app

    client = create_app(str(db)).test_client()
    for url in ("/stories/s1", "/documents/d1", "/api/stories/s1"):
        page = client.get(url)
        text = page.get_data(as_text=True)
        assert page.status_code == 500 and row in text and "Traceback" not in text, url
    assert client.get("/").status_code == 200
    assert client.get("/documents/d2").status_code == 200


def test_a_damaged_analysis_row_is_skipped_and_listed_where_the_listing_can_go_on(tmp_path, capsys):
    db = _store(tmp_path, "UPDATE analyses SET record = substr(record, 1, 20) WHERE document = 'd1';"
                          "DELETE FROM dossiers")
    out = tmp_path / "s.json"
    assert cli.main(["stories", "--store", str(db), "-o", str(out), "-q"]) == 1  # written, with a row skipped
    listing = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["id"], s["counts"] is None) for s in listing["stories"]] == [("s1", True), ("s2", False)]
    assert len(listing["skipped"]) == 1 and "analysis of d1" in listing["skipped"][0]["source"]
    assert "Traceback" not in capsys.readouterr().err
    # The story that needs the row cannot be made: one line, exit 2.
    assert cli.main(["dossier", "--store", str(db), "--story", "s1", "-o", str(tmp_path / "d.json"), "-q"]) == 2
    _one_line(capsys.readouterr().err, db, "analysis of d1")


def test_a_damaged_cached_dossier_is_made_again(tmp_path, capsys):
    db = _store(tmp_path, "")
    out = tmp_path / "d.json"
    assert cli.main(["dossier", "--store", str(db), "--story", "s2", "-o", str(out), "-q"]) == 0
    made = json.loads(out.read_text(encoding="utf-8"))
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE dossiers SET record = substr(record, 1, 30) WHERE story = 's2'")
    capsys.readouterr()
    assert cli.main(["dossier", "--store", str(db), "--story", "s2", "-o", str(out), "-q"]) == 0
    again = json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in again.items() if k != "accord_version"} == \
        {k: v for k, v in made.items() if k != "accord_version"}
    err = capsys.readouterr().err
    assert "dossier of s2" in err and "made again" in err and "Traceback" not in err


# --------------------------------------------------------------------------- one run per folder


def test_a_second_run_on_the_same_out_is_refused_while_the_first_goes_on(tmp_path, capsys):
    items = _inputs(tmp_path / "in")
    out = tmp_path / "run"
    out.mkdir()
    with accord.archive._only_run(out):  # a run holding the folder (the lock is per open file)
        with pytest.raises(UsageError, match="another accord run is writing to"):
            accord.run(items, out=out, executor="inprocess")
        assert cli.main(["run", *map(str, items), "--out", str(out), "--executor", "inprocess", "-q"]) == 2
        err = capsys.readouterr().err
        assert "another accord run is writing to" in err and "standard output" not in err
    assert not (out / "shards" / "00000.done").exists()  # refused before any work
