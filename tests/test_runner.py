"""The runner (``accord.runner``): one per-document step and one per-story
step for every entry point, each input and story under one guard, Settings
passed whole, and ``accord stories`` grouping clean documents only."""

from __future__ import annotations

import dataclasses
import json

import pytest

import accord
import accord.clean
import accord.compare
import accord.runner
from accord import cli
from accord.settings import DEFAULT
from accord.store import Store

from conftest import CORPUS, EXAMPLE, SHARED

ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
ALLSIDES = "text=news.*.newBody,title=news.*.newsTitle,outlet=news.*.newsSource,url=news.*.newsLink,date=date"


def _failing_compare(monkeypatch, marker: str) -> None:
    """compare raises for any story one of whose documents' outlet is ``marker``."""
    original = accord.compare.compare

    def compare(analyses, **kwargs):
        if any(a.document.outlet == marker for a in analyses):
            raise RuntimeError("a bug in compare\nsecond line")
        return original(analyses, **kwargs)

    monkeypatch.setattr(accord.compare, "compare", compare)


_PILE = [
    accord.Article("The council of Velmora met on Monday and approved the pier budget of 40 million.",
                   outlet="Coast Herald", published="2026-01-05", title="Velmora pier budget"),
    accord.Article("Velmora's council approved the pier budget of 40 million on Monday.",
                   outlet="Harbour Ledger", published="2026-01-05", title="Pier budget approved"),
    accord.Article("Floods closed the Darrow bridge in Kestrel County on Friday, police said.",
                   outlet="BROKEN", published="2026-02-06", title="Darrow bridge closed"),
]


def test_a_story_that_fails_is_skipped_with_one_line_and_the_others_are_made(monkeypatch, tmp_path, capsys):
    _failing_compare(monkeypatch, "BROKEN")
    batch = accord.analyze(_PILE)
    stories = accord.pipeline.story_results(batch)
    assert len(stories) == 2
    failed = [s for s in stories if s.failure is not None]
    made = [s for s in stories if s.dossier is not None]
    assert len(failed) == 1 and len(made) == 1
    assert failed[0].failure.reason == "internal error in dossier: RuntimeError: a bug in compare second line"
    assert "Traceback" in failed[0].failure.traceback
    assert [d.story.id for d in accord.dossiers(batch)] == [made[0].story]
    # An archive run goes on too and names the story in its index.
    summary = accord.run(_PILE, out=tmp_path / "run", executor="inprocess")
    assert summary.dossiers_made == 1 and [f.story for f in summary.failed] == [failed[0].story]
    index = json.loads((tmp_path / "run" / "index.json").read_text())
    assert index["failed"] == [{"story": failed[0].story, "reason": failed[0].failure.reason}]
    # The command line writes the other dossiers, lists the failure, exits 1.
    pile = tmp_path / "pile"
    pile.mkdir()
    # Files named in the articles' canonical order, so that the stories are
    # numbered as they were for the articles in memory.
    for n, article in enumerate(sorted(_PILE, key=accord.runner.input_key)):
        (pile / f"{n}.txt").write_text(f"---\noutlet: {article.outlet}\ndate: {article.published}\n"
                                       f"title: {article.title}\n---\n\n{article.text}\n", encoding="utf-8")
    capsys.readouterr()
    out = tmp_path / "out"
    assert cli.main(["dossier", str(pile), "-o", f"{out}/", "--format", "json", "-q",
                     "--executor", "inprocess"]) == 1
    assert f"story {failed[0].story} skipped: internal error in dossier" in capsys.readouterr().err
    index = json.loads((out / "index.json").read_text())
    assert [s["id"] for s in index["stories"]] == [made[0].story] and len(index["failed"]) == 1


def test_settings_reach_the_analysis(monkeypatch):
    seen = []
    original = accord.analyze.analyze

    def analyze(documents, **kwargs):
        seen.append(kwargs.get("settings"))
        return original(documents, **kwargs)

    monkeypatch.setattr(accord.analyze, "analyze", analyze)
    tuned = dataclasses.replace(DEFAULT, parse_batch=3)
    accord.analyze(_PILE[:1], settings=tuned)
    assert seen and all(s is tuned for s in seen)
    seen.clear()
    with Store.open(":memory:", settings=tuned) as store:
        store.add(_PILE[:1])
    assert seen and all(s is tuned for s in seen)


def test_a_store_skips_an_input_that_breaks_the_cleaner_and_keeps_the_others(monkeypatch):
    original = accord.clean.clean

    def clean(raw, doc_id):
        if raw.outlet == "BROKEN":
            raise ValueError("a bug in clean")
        return original(raw, doc_id)

    monkeypatch.setattr(accord.clean, "clean", clean)
    with Store.open(":memory:") as store:
        summary = store.add(_PILE)
        assert len(summary.new) == 2 and len(store) == 2
    assert [s.reason for s in summary.skipped] == ["internal error in clean: ValueError: a bug in clean"]
    assert len(summary.rejects) == 1 and "Traceback" in summary.rejects[0].traceback


def test_stories_groups_clean_documents_without_analysis(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("accord stories analysed a document")

    monkeypatch.setattr(accord.analyze, "analyze", refuse)
    out = tmp_path / "stories.json"
    assert cli.main(["stories", str(EXAMPLE), str(CORPUS), "-q", "-o", str(out)]) == 0
    listed = json.loads(out.read_text())["stories"]
    monkeypatch.undo()
    # The same groups as the store (which analyses and counts) finds.
    with_store = tmp_path / "with-store.json"
    assert cli.main(["stories", str(EXAMPLE), str(CORPUS), "--store", str(tmp_path / "s.db"), "-q",
                     "-o", str(with_store)]) == 0
    stored = json.loads(with_store.read_text())["stories"]

    def groups(stories):
        return [[d["source"] for d in s["documents"]] for s in stories]

    assert groups(listed) == groups(stored) and len(listed) == 2
    assert [s["counts"] for s in listed] == [{"documents": len(s["documents"])} for s in listed]
    assert all(s["counts"]["facts"] > 0 for s in stored)


@pytest.mark.slow
def test_stories_counts_facts_when_asked(tmp_path):
    out = tmp_path / "stories.json"
    assert cli.main(["stories", str(EXAMPLE), "--counts", "-q", "-o", str(out), "--workers", "1"]) == 0
    story = json.loads(out.read_text())["stories"][0]
    assert set(story["counts"]) == {"documents", "facts", "conflicts"} and story["counts"]["facts"] > 0


def test_run_reads_json_records_with_fields_and_links_html_dossiers(tmp_path):
    if not ROUNDUPS.is_file():
        pytest.fail(f"the shared AllSides file is missing: {ROUNDUPS}")
    pile = tmp_path / "two.jsonl"
    pile.write_text("".join(ROUNDUPS.read_text(encoding="utf-8").splitlines(keepends=True)[:1]), encoding="utf-8")
    out = tmp_path / "run"
    # Without --fields every record is skipped; with them each article is read.
    assert cli.main(["run", str(pile), "--out", str(out), "--executor", "inprocess", "-q"]) == 3
    assert cli.main(["run", str(pile), "--out", str(tmp_path / "run2"), "--executor", "inprocess", "-q",
                     "--fields", ALLSIDES]) == 0
    index = json.loads((tmp_path / "run2" / "index.json").read_text())
    assert index["counts"]["read"] >= 2 and index["stories"]
    page = (tmp_path / "run2" / "index.html").read_text(encoding="utf-8")
    for story in index["stories"]:
        assert f'href="{story["html"]}"' in page and (tmp_path / "run2" / story["html"]).is_file()
        assert f'href="{story["dossier"]}"' not in page


def test_a_manifest_that_matches_no_input_is_refused_naming_the_paths(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text("The pier in Velmora opened on Monday, the mayor said.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,outlet\nelsewhere/other.txt,Coast Herald\n", encoding="utf-8")
    for command in (["ingest", str(report)], ["stories", str(report)],
                    ["run", str(report), "--out", str(tmp_path / "o"), "--executor", "inprocess"]):
        assert cli.main([*command, "--manifest", str(manifest), "-q"]) == 2, command
        err = capsys.readouterr().err
        assert "the manifest matches no input" in err and "other.txt" in err and str(report) in err
    # A manifest that names the input is used.
    manifest.write_text("path,outlet\nreport.txt,Coast Herald\n", encoding="utf-8")
    batch = accord.ingest([report], reading=accord.ingest.Reading.from_options(manifest=manifest))
    assert batch.documents[0].outlet == "Coast Herald"
