"""Metadata a user gives for any input: front matter, sidecar files, a
manifest, options for every input, and field mappings for nested JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import accord
from accord.errors import UsageError
from accord.ingest import Reading
from accord.ingest.records import parse_fields

from conftest import SHARED

ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
BODY = "The pier in Velmora opened on Monday, the mayor said. It cost 40 million, officials said.\n"
ALLSIDES = "text=news.*.newBody,title=news.*.newsTitle,outlet=news.*.newsSource,url=news.*.newsLink,date=date"


def test_front_matter_is_metadata_not_body(tmp_path):
    path = tmp_path / "pier.txt"
    path.write_text("---\noutlet: Coast Herald\ndate: 2026-03-05\nurl: https://coast.example/pier\n"
                    "title: Velmora pier opens\n---\n\n" + BODY, encoding="utf-8")
    document = accord.ingest([path]).documents[0]
    assert (document.outlet, document.published, document.url, document.title) == (
        "Coast Herald", "2026-03-05", "https://coast.example/pier", "Velmora pier opens")
    assert document.text.startswith("The pier in Velmora")
    front = [r for r in document.repairs if r.kind == "front-matter"]
    assert front and front[0].raw[0] == 0


def test_sidecar_gives_metadata_and_is_not_read_as_a_report(tmp_path):
    (tmp_path / "pier.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "pier.txt.meta.json").write_text(json.dumps({"outlet": "Coast Herald", "date": "2026-03-05"}),
                                                 encoding="utf-8")
    batch = accord.ingest([tmp_path])
    assert len(batch.documents) == 1 and not batch.skipped
    assert (batch.documents[0].outlet, batch.documents[0].published) == ("Coast Herald", "2026-03-05")


def test_manifest_then_options_win_over_the_input(tmp_path):
    (tmp_path / "a.txt").write_text("Outlet: Wrong Name\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY.replace("Monday", "Tuesday"), encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,outlet,date,url\na.txt,Coast Herald,2026-03-05,https://coast.example/a\n"
                        "b.txt,Velmora Post,2026-03-06,\n", encoding="utf-8")
    reading = Reading.from_options(manifest=manifest)
    batch = accord.ingest([tmp_path / "a.txt", tmp_path / "b.txt"], reading=reading)
    assert [(d.outlet, d.published) for d in batch.documents] == [
        ("Coast Herald", "2026-03-05"), ("Velmora Post", "2026-03-06")]
    assert batch.documents[0].url == "https://coast.example/a"
    forced = accord.ingest([tmp_path / "a.txt"], reading=Reading.from_options(manifest=manifest, outlet="Forced"))
    assert forced.documents[0].outlet == "Forced" and forced.documents[0].published == "2026-03-05"


def test_bad_metadata_is_a_usage_error(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,outlet\nx.txt,A\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no 'path' column"):
        Reading.from_options(manifest=manifest)
    with pytest.raises(UsageError, match="not a date"):
        Reading.from_options(published="next Tuesday")
    with pytest.raises(UsageError, match="FIELD=PATH"):
        parse_fields("text")
    with pytest.raises(UsageError, match="unknown field"):
        parse_fields("body=news.*.text")


@pytest.mark.slow
def test_field_mapping_reads_the_allsides_roundups_into_their_articles():
    reading = Reading.from_options(fields=ALLSIDES)
    batch = accord.ingest([ROUNDUPS], reading=reading)
    rows = [json.loads(line) for line in ROUNDUPS.open(encoding="utf-8")]
    expected = sum(1 for r in rows for n in r["news"].values() if n and n.get("newBody"))
    assert len(batch.documents) == expected > 1400
    # The one roundup with no article at all is listed, not dropped.
    assert [s.reason for s in batch.skipped] == ["record has no articles under news"] * len(batch.skipped)
    assert len(batch.skipped) == sum(1 for r in rows if not any(n and n.get("newBody") for n in r["news"].values()))
    first = batch.documents[0]
    news = rows[0]["news"]["center"]
    assert first.source.endswith(":1#center")
    assert (first.outlet, first.title, first.url, first.published) == (
        news["newsSource"], news["newsTitle"], news["newsLink"], rows[0]["date"][:10])


@pytest.mark.slow
def test_cli_options_reach_every_command(tmp_path):
    path = tmp_path / "pier.txt"
    path.write_text(BODY, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "accord", "ingest", str(path), "--outlet", "Coast Herald",
                          "--date", "2026-03-05", "--url", "https://coast.example/pier"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout.splitlines()[0])
    assert (record["outlet"], record["published"], record["url"]) == (
        "Coast Herald", "2026-03-05", "https://coast.example/pier")
    bad = subprocess.run([sys.executable, "-m", "accord", "ingest", str(path), "--date", "soon"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "not a date" in bad.stderr
