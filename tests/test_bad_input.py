"""Bad input mixed with good: each bad one reported in one line and listed
under skipped; the dossier of the good ones is still written."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import time

import pytest

from accord.ingest import read
from accord.model import Skipped

from conftest import EXAMPLE


@pytest.fixture()
def mixed(tmp_path):
    for report in sorted(EXAMPLE.iterdir()):
        shutil.copy(report, tmp_path / report.name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    (tmp_path / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 4)
    (tmp_path / "nothing-here").mkdir()
    return tmp_path


def test_bad_inputs_are_skipped_with_reasons(mixed):
    entries = list(read([mixed, mixed / "nothing-here", mixed / "missing.txt"]))
    skipped = {e.source.rsplit("/", 1)[-1]: e.reason for e in entries if isinstance(e, Skipped)}
    assert skipped["empty.txt"] == "empty file"
    assert skipped["blank.txt"] == "empty file"
    assert "binary" in skipped["photo.jpg"]
    assert "undecodable" in skipped["undecodable.txt"]
    assert "no files" in skipped["nothing-here"]
    assert "no such file" in skipped["missing.txt"]
    assert sum(1 for e in entries if not isinstance(e, Skipped)) == 4


@pytest.mark.slow
def test_cli_writes_the_dossier_of_the_good_ones_and_exits_1(mixed, tmp_path):
    out = tmp_path / "out" / "d.json"
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", "dossier", str(mixed), str(mixed / "nothing-here"), "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith("accord: skipped")]
    assert len(lines) == 5  # empty, blank, binary, undecodable, empty folder (listed twice? no: once)
    for line in lines:
        source, reason = line.removeprefix("accord: skipped ").split(": ", 1)
        assert source and reason
    dossier = json.loads(out.read_text())
    assert len(dossier["documents"]) == 4
    assert {s["source"].rsplit("/", 1)[-1] for s in dossier["skipped"]} == {
        "empty.txt", "blank.txt", "photo.jpg", "undecodable.txt", "nothing-here"}


def test_nothing_readable_exits_3(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "accord.cli", "dossier", str(tmp_path), "-o", str(tmp_path / "x.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert not (tmp_path / "x.json").exists()


def test_encodings_are_read(tmp_path):
    text = "Le ministre a déclaré: «C’est un accord équitable», a-t-il dit. Café naïve résumé."
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "cp1252.txt").write_bytes("The minister’s “fair” deal: café, naïve.".encode("cp1252"))
    entries = {e.source.rsplit("/", 1)[-1]: e for e in read([tmp_path])}
    assert "équitable" in entries["utf16.txt"].raw
    assert "’s “fair” deal: café, naïve" in entries["cp1252.txt"].raw
    assert entries["utf16.txt"].language == "fr"


def test_every_kind_of_bad_input_in_one_batch(tmp_path):
    """Each bad input gets one line saying why; the good ones around it are read."""
    from pypdf import PdfWriter

    article = "\n\n".join([
        "River accord approved",
        "The Darin river council approved the water accord on Tuesday after a long debate, and the "
        "upstream farmers said they would abide by the new quotas that the accord sets for them.",
        "The minister for water said the agreement was fair to both banks of the river and would be "
        "reviewed by a joint commission every year.",
    ])
    page = ("<html><head><title>Café accord</title></head><body><article>"
            + "".join(f"<p>{p} Café “naïve” résumé.</p>" for p in article.split("\n\n")[1:])
            + "</article></body></html>")
    (tmp_path / "good.txt").write_text(article)
    (tmp_path / "cp1252.html").write_bytes(page.encode("cp1252"))
    (tmp_path / "utf16.html").write_bytes(page.encode("utf-16"))
    (tmp_path / "truncated.txt.gz").write_bytes(gzip.compress(article.encode() * 20)[:200])
    bomb = gzip.compress(b"\0" * (1 << 20))
    (tmp_path / "bomb.txt.gz").write_bytes(bomb * 200)  # 200 MB once inflated
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>")
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    with open(tmp_path / "scan.pdf", "wb") as pdf:
        writer.write(pdf)
    (tmp_path / "export.jsonl").write_text("\n".join([
        json.dumps({"title": "One", "text": article}), "{not json", json.dumps({"title": "Two", "body": article})]))
    with open(tmp_path / "huge.txt", "wb") as huge:
        huge.seek(200 * 1024 * 1024 - 1)  # a sparse file: 200 MB that take no room or time
        huge.write(b"\n")
    started = time.monotonic()
    entries = list(read([tmp_path]))
    assert time.monotonic() - started < 20
    skipped = {e.source.removeprefix(f"{tmp_path}/"): e.reason for e in entries if isinstance(e, Skipped)}
    read_ok = {e.source.removeprefix(f"{tmp_path}/"): e for e in entries if not isinstance(e, Skipped)}
    assert skipped == {
        "bomb.txt.gz": "gzip content too large (expands past the 64 MB limit; a gzip bomb?)",
        "export.jsonl:2": "line 2 is not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "huge.txt": "file too large (200 MB; the limit is 64 MB)",
        "menu.html": "no article text found in the HTML",
        "scan.pdf": "PDF has no text layer (scanned image?)",
        "truncated.txt.gz": "truncated gzip data (the file ends inside the compressed stream)",
    }
    assert all("\n" not in reason for reason in skipped.values())
    assert set(read_ok) == {"good.txt", "cp1252.html", "utf16.html", "export.jsonl:1", "export.jsonl:3"}
    for name in ("cp1252.html", "utf16.html"):
        assert "Café “naïve” résumé." in read_ok[name].text, name
        assert read_ok[name].format == "html"


def test_a_region_tag_does_not_stop_english_analysis(tmp_path):
    import accord

    page = ("<html lang='en-US'><head><title>Council votes</title></head><body><article>"
            + "<p>The city council voted on Tuesday to close the old bridge to cars, the mayor said.</p>" * 3
            + "<p>“We had no choice,” the mayor told reporters after the vote on Tuesday evening.</p></article></body></html>")
    (tmp_path / "page.html").write_text(page)
    batch = accord.analyze([tmp_path / "page.html"])
    assert batch.documents[0].language == "en"
    assert batch.analyses[0].quotes and batch.analyses[0].claims


def test_a_report_not_in_english_is_kept_and_marked_not_analysed(tmp_path):
    import accord

    for report in sorted(EXAMPLE.iterdir()):
        shutil.copy(report, tmp_path / report.name)
    (tmp_path / "05-le-courrier.txt").write_text(
        "Source: Le Courrier\nLe Veltria et l’Ostmark ont signé mardi un accord sur le partage des eaux du fleuve. "
        "« C’est un accord équitable pour nos deux peuples », a déclaré la ministre Lena Brandt. "
        "Les deux ministres se sont rencontrés pendant deux heures à Kelvar.\n", encoding="utf-8")
    dossier = accord.dossier([tmp_path])
    french = next(d for d in dossier.documents if d.outlet == "Le Courrier")
    assert french.language == "fr" and "équitable" in french.text
    assert not [q for q in dossier.quotes if q.doc == french.id]
    assert all(s.doc != french.id for f in dossier.facts for s in f.support)
    assert len(dossier.documents) == 5 and not dossier.skipped
