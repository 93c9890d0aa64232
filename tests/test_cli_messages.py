"""Store commands refuse a store that does not exist, and messages count
their nouns right (issue 24)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord import cli

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def _accord(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accord", *map(str, args)], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=300)


@pytest.mark.parametrize("command", [("stories", "--store", "nothere.db"),
                                     ("dossier", "--store", "nothere.db", "--story", "s1"),
                                     ("serve", "--store", "nothere.db")])
def test_reading_commands_refuse_a_store_that_does_not_exist(command, tmp_path):
    result = _accord(*command, cwd=tmp_path)
    assert result.returncode == cli.EXIT_NOTHING
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothere.db" in lines[0]
    assert not (tmp_path / "nothere.db").exists()  # no empty store made


def test_counts_agree_with_their_nouns():
    assert cli._count(1, "document") == "1 document"
    assert cli._count(2, "document") == "2 documents"
    assert cli._count(1, "story", "stories") == "1 story" and cli._count(0, "story", "stories") == "0 stories"


def test_one_report_is_one_document_in_the_messages(tmp_path):
    (tmp_path / "a.txt").write_text("The council of Darrow approved the new flood barrier on Tuesday, the mayor said.\n")
    result = _accord("dossier", "a.txt", "-o", "d.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(1 document," in result.stderr and "1 documents" not in result.stderr


def test_dossier_writes_its_tables_as_csv(tmp_path):
    import csv

    (tmp_path / "a.txt").write_text("The council of Darrow approved the new flood barrier on Tuesday, the mayor said.\n")
    (tmp_path / "b.txt").write_text("Darrow's council approved the flood barrier on Tuesday, according to the mayor.\n")
    result = _accord("dossier", "a.txt", "b.txt", "--one-story", "-o", "d.json", "--csv", "tables", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in (tmp_path / "tables").iterdir()} >= {"facts.csv", "quotes.csv", "conflicts.csv",
                                                                  "coverage.csv"}
    with (tmp_path / "tables" / "coverage.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["outlet"] for r in rows] == ["a.txt", "b.txt"]
