"""One pipeline on every executor: the same inputs give the same stories and
dossiers in this process, in a pool of 2 workers and on a Dask LocalCluster
of 2 worker processes; an archive run resumes after a kill without redoing
finished shards; one input failing inside accord skips that input only."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import accord
import accord.analyze
import accord.archive
import accord.clean
import accord.ingest
from accord.pipeline import story_analyses

from conftest import CORPUS, EXAMPLE, ROOT


def _outputs(out: Path) -> dict[str, object]:
    """Everything a run wrote that must not depend on the executor."""
    found: dict[str, object] = {"stories.json": json.loads((out / "stories.json").read_text())}
    for path in sorted((out / "dossiers").glob("*.json")):
        found[f"dossiers/{path.name}"] = path.read_text()
    for path in sorted((out / "shards").glob("*.jsonl.gz")):
        found[f"shards/{path.name}"] = gzip.decompress(path.read_bytes()).decode()
    index = json.loads((out / "index.json").read_text())
    found["index.json"] = index
    return found


@pytest.mark.slow
def test_every_executor_gives_the_same_stories_and_dossiers(tmp_path):
    pytest.importorskip("distributed")
    items = [EXAMPLE, CORPUS]
    outputs = {}
    with accord.InProcessExecutor() as runner:
        accord.run(items, out=tmp_path / "inprocess", executor=runner, shard_size=4)
    outputs["inprocess"] = _outputs(tmp_path / "inprocess")
    with accord.PoolExecutor(2) as runner:
        assert runner.workers == 2
        accord.run(items, out=tmp_path / "pool", executor=runner, shard_size=4)
    outputs["pool"] = _outputs(tmp_path / "pool")
    # A real LocalCluster of 2 worker processes on 127.0.0.1, started here.
    with accord.DaskExecutor(workers=2) as runner:
        assert runner.address.startswith("tcp://127.0.0.1:") and runner.workers == 2
        accord.run(items, out=tmp_path / "dask", executor=runner, shard_size=4)
    outputs["dask"] = _outputs(tmp_path / "dask")

    reference = outputs["inprocess"]
    assert len([k for k in reference if k.startswith("dossiers/")]) == 2
    assert len([k for k in reference if k.startswith("shards/")]) == 3
    for name in ("pool", "dask"):
        assert outputs[name].keys() == reference.keys(), name
        for key in reference:
            assert outputs[name][key] == reference[key], f"{name}: {key} differs"

    # A story's dossier is the dossier of its documents made directly
    # (but for the story's id and title, which grouping gives).
    stories = reference["stories.json"]["stories"]  # type: ignore[index]
    darin = next(s for s in stories if any("darin" in src for src in s["sources"]))
    direct = json.loads(accord.dossier([EXAMPLE]).to_json())
    made = json.loads(reference[f"dossiers/{darin['id']}.json"])  # type: ignore[arg-type]
    assert {k: v for k, v in made.items() if k != "story"} == {k: v for k, v in direct.items() if k != "story"}


@pytest.mark.slow
def test_batch_api_is_the_same_in_process_and_in_a_pool():
    articles = [
        accord.Article(f"Officials of Town {n} met on Monday for {30 + n} minutes. The mayor said: “We agreed.”",
                       outlet=f"Outlet {n}", published="2026-01-0{}".format(1 + n % 5))
        for n in range(6)
    ]
    here = accord.analyze(articles, settings=accord.Settings(task_documents=2))
    with accord.PoolExecutor(2) as runner:
        there = accord.analyze(articles, executor=runner, settings=accord.Settings(task_documents=2))
    assert [a.to_dict() for a in there.analyses] == [a.to_dict() for a in here.analyses]
    assert [d.id for d in there.documents] == [f"d{n}" for n in range(1, 7)]
    assert there.counts.to_dict() == here.counts.to_dict() == {"read": 6, "skipped": {}, "analysed": 6, "stories": 0}


def _counting(monkeypatch) -> list[str]:
    """The ids of the documents the per-document map processes from now on."""
    seen: list[str] = []
    original = accord.archive.process_documents

    def counting(work):
        seen.extend(doc_id for doc_id, _ in work.documents)
        return original(work)

    monkeypatch.setattr(accord.archive, "process_documents", counting)
    return seen


def test_a_run_started_again_does_not_redo_finished_shards(tmp_path, monkeypatch):
    out = tmp_path / "run"
    # The inputs sit beside the other input made below, so where they stand in
    # the canonical order (by path) does not hang on where the checkout is.
    inputs = tmp_path / "in"
    inputs.mkdir()
    for example in sorted(EXAMPLE.glob("*.txt")):
        shutil.copy(example, inputs / example.name)
    items = sorted(inputs.glob("*.txt")) * 2  # 8 documents: 4 shards of 2
    first = accord.run(items, out=out, executor="inprocess", shard_size=2)
    assert first.shards == 4 and first.shards_done_before == 0 and first.processed == 8
    before = _outputs(out)
    # A crash after shards 0 and 2 were written, before 1 and 3 were: their
    # markers were never made (the shard file may or may not be there).
    (out / "shards" / "00001.done").unlink()
    (out / "shards" / "00003.done").unlink()
    (out / "shards" / "00003.jsonl.gz").unlink()
    kept = {p.name: p.stat().st_mtime_ns for p in (out / "shards").iterdir() if p.name.startswith(("00000", "00002"))}
    seen = _counting(monkeypatch)
    again = accord.run(items, out=out, executor="inprocess", shard_size=2)
    assert seen == ["d3", "d4", "d7", "d8"]
    assert again.shards_done_before == 2 and again.processed == 4 and again.dossiers_made == 0
    assert {p: (out / "shards" / p).stat().st_mtime_ns for p in kept} == kept
    assert _outputs(out) == before
    assert again.counts.to_dict() == first.counts.to_dict()
    # The same inputs given in another order are the same run (ids follow
    # the inputs' canonical order): nothing is redone.
    seen.clear()
    accord.run(list(reversed(items)), out=out, executor="inprocess", shard_size=2)
    assert seen == []
    # Other inputs under the same shard numbers are not taken for done.
    other = inputs / "00-other.txt"  # first in the canonical order: every id moves
    other.write_text("The Kelvar council met on Monday to discuss the harbour budget.\n", encoding="utf-8")
    accord.run([*items[:-1], other], out=out, executor="inprocess", shard_size=2)
    assert len(seen) == 8


@pytest.mark.slow
def test_a_killed_run_finishes_the_rest_when_started_again(tmp_path):
    out = tmp_path / "run"
    items = [str(p) for p in sorted(EXAMPLE.glob("*.txt"))] * 3  # 12 documents, 6 shards
    arguments = ["run", *items, "--out", str(out), "--shard-size", "2", "--executor", "inprocess", "-q"]
    command = [sys.executable, "-m", "accord.cli", *arguments]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # The first run is slowed down (each batch waits a little) so that the
    # kill lands midway however fast the machine is.
    slowed = ("import sys, time, accord.archive as a; work = a.process_documents; "
              "a.process_documents = lambda w: (time.sleep(0.5), work(w))[1]; "
              "from accord.cli import main; sys.exit(main(sys.argv[1:]))")
    process = subprocess.Popen([sys.executable, "-c", slowed, *arguments], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while not (out / "shards" / "00000.done").exists():
        assert process.poll() is None and time.monotonic() < deadline, "the run ended before its first shard"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = sorted(p.name for p in (out / "shards").glob("*.done"))
    assert 1 <= len(done) < 6 and not (out / "index.json").exists()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"6 shards ({len(done)} done before)" in result.stderr
    index = json.loads((out / "index.json").read_text())
    assert index["counts"]["read"] == 12 and index["counts"]["analysed"] == 12
    assert sorted(p.name for p in (out / "shards").glob("*.done")) == [f"{n:05d}.done" for n in range(6)]
    assert all((out / s["dossier"]).exists() for s in index["stories"])


_ARTICLES = [
    accord.Article("The council met on Monday for 40 minutes. The mayor said: “We agreed.”", outlet="A",
                   published="2026-01-05"),
    accord.Article("The council met on Monday for an hour. BOOM said the mayor.", outlet="B", published="2026-01-05"),
    accord.Article("The council met on Monday. The mayor said: “We agreed.”", outlet="C", published="2026-01-05"),
]


@pytest.mark.parametrize("stage", ["read", "clean", "analyze"])
def test_an_internal_error_skips_that_input_only(monkeypatch, tmp_path, stage):
    def boom(original):
        def wrapped(*args, **kwargs):
            text = repr(args[0])
            if "BOOM" in text:
                raise RuntimeError("boom\nsecond line")
            return original(*args, **kwargs)
        return wrapped

    if stage == "read":
        monkeypatch.setattr(accord.ingest, "read_input", boom(accord.ingest.read_input))
    elif stage == "clean":
        monkeypatch.setattr(accord.clean, "clean", boom(accord.clean.clean))
    else:
        original = accord.analyze.find_claims

        def claims(sdoc, document, *rest):
            if "BOOM" in document.text:
                raise RuntimeError("boom\nsecond line")
            return original(sdoc, document, *rest)

        monkeypatch.setattr(accord.analyze, "find_claims", claims)
    batch = accord.analyze(_ARTICLES)
    assert [d.outlet for d in batch.documents] == ["A", "C"]
    assert len(batch.skipped) == 1 and batch.skipped[0].reason == f"internal error in {stage}: RuntimeError: boom second line"
    assert len(batch.rejects) == 1 and "RuntimeError: boom" in batch.rejects[0].traceback
    assert batch.counts.skipped == {f"internal error in {stage}": 1}
    # The id of a document is its position among those read: one that fails
    # after reading keeps its number, so the others keep theirs.
    assert [d.id for d in batch.documents] == (["d1", "d2"] if stage == "read" else ["d1", "d3"])
    dossier = accord.dossier(batch)
    assert dossier.skipped == batch.skipped
    # An archive run goes on too, and keeps the traceback in rejects.jsonl.
    summary = accord.run(_ARTICLES, out=tmp_path / "run", executor="inprocess")
    assert summary.counts.read == (2 if stage == "read" else 3) and summary.counts.analysed == 2
    assert summary.counts.skipped == {f"internal error in {stage}": 1}
    rejects = [json.loads(line) for line in (tmp_path / "run" / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1 and rejects[0]["stage"] == stage and "Traceback" in rejects[0]["traceback"]


def test_stages_leave_their_inputs_as_they_were():
    batch = accord.analyze(_ARTICLES)
    before = [a.to_dict() for a in batch.analyses]
    dossier = accord.dossier(batch)
    assert [a.to_dict() for a in batch.analyses] == before
    assert [q.id for q in dossier.quotes] == [f"q{n}" for n in range(1, len(dossier.quotes) + 1)]
    assert all(q.id.startswith("d") for a in batch.analyses for q in a.quotes)


def test_undated_documents_are_resolved_in_their_story_not_in_analysis():
    undated = accord.Article("The Kelvar council met on Monday. Mayor Lena Brandt said so.", outlet="A")
    dated = accord.Article("The Kelvar council met on Monday, Mayor Lena Brandt said.", outlet="B",
                           published="2026-01-07")
    batch = accord.analyze([undated, dated])
    # Analysed alone, a document without a date has no day for "Monday"...
    assert all(t.precision != "day" for t in batch.analyses[0].times)
    # ...its story gives it one: the date of the story's dated document
    # nearest to it (sharing its names; see test_undated.py).
    resolved = story_analyses(batch.analyses)
    assert [t.date for t in resolved[0].times] == [t.date for t in resolved[1].times] == ["2026-01-05"]
    assert resolved[1] is batch.analyses[1]


def test_run_needs_one_target_and_sane_sizes(tmp_path):
    with pytest.raises(accord.UsageError):
        accord.run([EXAMPLE])
    with pytest.raises(accord.UsageError):
        accord.run([EXAMPLE], out=tmp_path / "a", store=tmp_path / "s.db")
    with pytest.raises(accord.UsageError):
        accord.run([EXAMPLE], out=tmp_path / "a", shard_size=0, executor="inprocess")
    result = subprocess.run([sys.executable, "-m", "accord.cli", "run", str(EXAMPLE), "--out", str(tmp_path / "b"),
                             "--executor", "pool", "--scheduler", "tcp://127.0.0.1:1"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 2 and "--scheduler" in result.stderr


def test_run_into_a_store(tmp_path):
    summary = accord.run([EXAMPLE], store=tmp_path / "s.db", executor="inprocess")
    assert summary.counts.read == 4 and len(summary.stories) == 1
    with accord.Store.open(tmp_path / "s.db") as store:
        assert len(store) == 4


def test_settings_reach_the_grouping_of_a_run(tmp_path):
    documents = accord.ingest(sorted(EXAMPLE.glob("*.txt"))).documents
    from accord.group import group_stories

    assert len(group_stories(documents)) == 1
    # A threshold no two reports reach: each is a story of its own, whether
    # the settings come to group_stories or through a run.
    strict = accord.Settings(story_threshold=1.0, story_pile_threshold=1.0)
    assert len(group_stories(documents, settings=strict)) == len(documents)
    summary = accord.run(sorted(EXAMPLE.glob("*.txt")), out=tmp_path / "run", executor="inprocess", settings=strict)
    assert summary.counts.stories == len(documents) == len(list((tmp_path / "run" / "dossiers").glob("*.json")))


def test_a_run_writes_the_index_page_beside_its_index(tmp_path):
    from html.parser import HTMLParser

    out = tmp_path / "run"
    hostile = accord.Article("<script>alert(1)</script> The pier of Velmora opened on Monday, officials said.",
                             title="<b>Velmora</b> pier", outlet="Velmora <i>Post</i>", published="2026-05-04")
    accord.run([EXAMPLE, hostile], out=out, executor="inprocess", shard_size=4)
    index = json.loads((out / "index.json").read_text())
    page = (out / "index.html").read_text(encoding="utf-8")

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.links: list[str] = []
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.links += [value for name, value in attrs if name == "href"]

    parsed = Links()
    parsed.feed(page)
    # each story once, linked to its dossier's page (not its JSON), which is there
    assert sorted(parsed.links) == sorted(s["html"] for s in index["stories"])
    assert all(link.endswith(".html") and (out / link).is_file() for link in parsed.links)
    assert all((out / s["dossier"]).is_file() for s in index["stories"])
    for story in index["stories"]:
        dossier = json.loads((out / story["dossier"]).read_text())
        assert story["counts"]["facts"] == len(dossier["facts"])
        assert story["counts"]["conflicts"] == len(dossier["conflicts"])
    darin = next(s for s in index["stories"] if "Darin" in (s["title"] or ""))
    assert darin["title"] in page.replace("&#x27;", "'") and len(darin["outlets"]) == 4
    # article text is shown as text
    assert "script" not in parsed.tags and "i" not in parsed.tags and "&lt;i&gt;Post&lt;/i&gt;" in page
