"""The store: analyses made once, stories re-checked only where documents
arrive, and a run killed mid-way that loses nothing committed."""

from __future__ import annotations

import pytest
import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


import accord
from accord.pipeline import story_analyses
from accord.cli import main
from accord.render import validate
from accord.store import Store
from accord.store import store as store_module

from conftest import CORPUS, EXAMPLE

_NAMES = ["Halvorsen", "Okonkwo", "Brandt", "Castellanos", "Ivanova", "Takeda", "Moreau", "Lindqvist"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def _variants(folder: Path, count: int, *, seed: int = 7) -> list[Path]:
    """``count`` articles written from the real reports: sentences shuffled,
    a name and the numbers changed, so each is new content but reads as news."""
    rng = random.Random(seed)
    reports = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.iterdir())]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        sentences = _SENTENCE.split(rng.choice(reports).strip())
        rng.shuffle(sentences)
        text = " ".join(sentences[: max(4, len(sentences) // 2)])
        text = text.replace("Rubio", rng.choice(_NAMES)).replace("Lavrov", rng.choice(_NAMES))
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + n + 1), text)
        path = folder / f"variant-{n:03d}.txt"
        path.write_text(f"Variant report {n}\n\n{text}\n", encoding="utf-8")
        paths.append(path)
    return paths


class Counting:
    """The real analyzer, counting the documents it is given."""

    def __init__(self) -> None:
        self.documents = 0

    def __call__(self, documents):
        self.documents += len(documents)
        return store_module._spacy(documents)


def _refuse(documents):
    raise AssertionError(f"analysed {len(documents)} documents again")


@pytest.mark.slow
def test_a_second_run_on_the_same_inputs_does_no_new_analysis(tmp_path, monkeypatch):
    path = tmp_path / "news.db"
    counting = Counting()
    with Store.open(path, analyzer=counting) as store:
        first = store.add([EXAMPLE, CORPUS])
        stories = [s.to_dict() | {"documents": s.documents} for s in store.stories()]
    assert counting.documents == 9 and first.analysed == 9 and len(first.new) == 9
    assert len(stories) == 2

    counting = Counting()
    with Store.open(path, analyzer=counting) as store:
        second = store.add([EXAMPLE, CORPUS])
        assert [s.to_dict() | {"documents": s.documents} for s in store.stories()] == stories
        assert store.check() == []
    assert counting.documents == 0 and second.analysed == 0
    assert second.new == [] and len(second.known) == 9 and second.documents == first.documents

    # The command line reads through the same store: no analysis at all.
    monkeypatch.setattr(store_module, "_spacy", _refuse)
    out = tmp_path / "stories.json"
    assert main(["stories", str(EXAMPLE), str(CORPUS), "--store", str(path), "-q", "-o", str(out)]) == 0
    listed = json.loads(out.read_text())
    assert [s["id"] for s in listed["stories"]] == ["s1", "s2"]
    # Which story is s1 follows the inputs' canonical order (by path), which
    # hangs on where the checkout sits beside ../shared: compare as a set.
    assert sorted(s["counts"]["documents"] for s in listed["stories"]) == [4, 5]
    assert all(s["counts"]["facts"] > 0 for s in listed["stories"])


def test_the_same_content_under_another_name_is_not_analysed_again(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((EXAMPLE / "01-harbour-ledger.txt").read_bytes())
    counting = Counting()
    with Store.open(tmp_path / "s.db", analyzer=counting) as store:
        summary = store.add([EXAMPLE / "01-harbour-ledger.txt", copy])
        # Inputs are read in their canonical order (by name): the first of the
        # two is new, the second known by its content.
        first, second = sorted([str(EXAMPLE / "01-harbour-ledger.txt"), str(copy)])
        assert summary.new == ["d1"] and summary.documents == ["d1", "d1"] and summary.known == [second]
        assert len(store) == 1 and store.knows(first) and store.knows(second)
    assert counting.documents == 1


@pytest.mark.slow
def test_adding_articles_rechecks_only_the_stories_they_touch(tmp_path):
    counting = Counting()
    with Store.open(tmp_path / "s.db", analyzer=counting) as store:
        store.add([CORPUS, *sorted(EXAMPLE.iterdir())[:3]])
        # Told apart by their documents (stories are numbered in the inputs' canonical order).
        sources = {s.id: " ".join(d.source for d in store.documents(s.documents)) for s in store.stories()}
        darin = next(sid for sid, names in sources.items() if "darin-river" in names)
        rubio = next(sid for sid in sources if sid != darin)
        before = {sid: store.counts(sid) for sid in (rubio, darin)}
        assert store.cached(rubio) and store.cached(darin)
        summary = store.add([EXAMPLE / "04-riverside-times.txt"])
        assert summary.stories == [darin] and counting.documents == 9
        # Only the story that grew has an out-of-date dossier.
        assert store.cached(rubio) and not store.cached(darin)
        after = store.counts(darin)
        assert after["documents"] == before[darin]["documents"] + 1
        assert store.counts(rubio) == before[rubio]


@pytest.mark.slow
def test_stored_documents_and_analyses_come_back_as_they_were(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        store.add([CORPUS])
        stored = store.batch("s1")
    fresh = accord.analyze([CORPUS])
    assert [d.to_dict() for d in stored.documents] == [d.to_dict() for d in fresh.documents]
    assert [list(d.offsets.positions) for d in stored.documents] == [list(d.offsets.positions) for d in fresh.documents]
    # A story's batch has the relative times of undated documents resolved
    # against the story's dates, as the per-story step of the pipeline does.
    story = story_analyses(fresh.analyses)
    assert [a.to_dict() for a in stored.analyses] == [a.to_dict() for a in story]
    assert [a.sentences for a in stored.analyses] == [a.sentences for a in fresh.analyses]


@pytest.mark.slow
def test_the_dossier_of_a_stored_story_is_the_dossier_of_its_documents(tmp_path):
    db = str(tmp_path / "s.db")
    assert main(["stories", str(EXAMPLE), str(CORPUS), "--store", db, "-q", "-o", str(tmp_path / "st.json")]) == 0
    listed = json.loads((tmp_path / "st.json").read_text())["stories"]
    rubio = next(s for s in listed if "Lavrov" in json.dumps(s) or "Rubio" in json.dumps(s))
    assert main(["dossier", "--store", db, "--story", rubio["id"], "-q", "-o", str(tmp_path / "x.json")]) == 0
    sources = [d["source"] for d in rubio["documents"]]
    assert main(["dossier", *sources, "-q", "-o", str(tmp_path / "y.json")]) == 0
    stored = json.loads((tmp_path / "x.json").read_text())
    direct = json.loads((tmp_path / "y.json").read_text())
    validate(stored)
    assert stored["story"]["id"] == rubio["id"] and stored["story"]["title"] == rubio["title"]
    # Everything but the story's id and title (the store names its stories).
    assert {k: v for k, v in stored.items() if k != "story"} == {k: v for k, v in direct.items() if k != "story"}
    assert len(stored["facts"]) == rubio["counts"]["facts"]
    # The second time it comes from the cache, unchanged.
    assert main(["dossier", "--store", db, "--story", rubio["id"], "-q", "-o", str(tmp_path / "z.json")]) == 0
    assert json.loads((tmp_path / "z.json").read_text()) == stored


def test_usage_errors_of_the_store_commands(tmp_path, capsys):
    assert main(["dossier", "--story", "s1"]) == 2
    assert main(["dossier"]) == 2
    db = str(tmp_path / "s.db")
    assert main(["stories", str(EXAMPLE), "--store", db, "-q", "-o", str(tmp_path / "a.json")]) == 0
    assert main(["dossier", "--store", db, "--story", "s7", "-o", str(tmp_path / "d.json")]) == 2
    assert "no story 's7'" in capsys.readouterr().err
    assert main(["stories", str(tmp_path / "missing.txt"), "-q", "-o", str(tmp_path / "b.json")]) == 3
    (tmp_path / "not-a-store.db").write_text("hello")
    assert main(["stories", "--store", str(tmp_path / "not-a-store.db"), "-q"]) == 2


def _committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow
def test_a_run_killed_mid_way_keeps_what_it_committed_and_the_next_run_completes_it(tmp_path):
    variants = _variants(tmp_path / "generated", 56)
    inputs = [str(EXAMPLE), str(CORPUS), str(tmp_path / "generated")]
    total = 4 + 5 + len(variants)
    db = tmp_path / "news.db"
    command = [sys.executable, "-m", "accord.cli", "stories", *inputs, "--store", str(db), "-q",
               "-o", str(tmp_path / "out.json")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while _committed(db) < 17 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    seen = _committed(db)
    assert 17 <= seen < total

    counting = Counting()
    with Store.open(db, analyzer=counting) as store:
        assert store.check() == []
        assert len(store) == seen
        committed = {d.id: d.sha256 for d in store.documents()}
        # The next run analyses only what the killed one had not committed.
        summary = store.add(inputs)
        assert counting.documents == total - seen == len(summary.new)
        assert len(store) == total and store.check() == []
        documents = store.documents()
        assert [d.id for d in documents] == [f"d{n}" for n in range(1, total + 1)]
        assert len({d.sha256 for d in documents}) == total
        assert all(committed[d.id] == d.sha256 for d in documents if d.id in committed)
        assert sum(len(s.documents) for s in store.stories()) == total



def _open_and_close(path: str, start, results) -> None:
    from accord.store.schema import connect

    start.wait()
    try:
        connect(path).close()
    except Exception as error:  # reported to the parent, which asserts none
        results.put(f"{path}: {type(error).__name__}: {error}")
    else:
        results.put("")


def test_processes_opening_one_store_at_once_all_succeed(tmp_path):
    # Why: two processes opening a new store at once both added a column the
    # other had just added, and one stopped with "duplicate column name".
    import multiprocessing

    context = multiprocessing.get_context("fork")
    old = tmp_path / "old.db"
    Store.open(old).close()
    with sqlite3.connect(old) as connection:  # as a store made before the column was added
        connection.execute("ALTER TABLE dossiers DROP COLUMN corroborated")
    errors = []
    for path in [old, *(tmp_path / f"new-{n}.db" for n in range(8))]:
        start, results = context.Event(), context.Queue()
        processes = [context.Process(target=_open_and_close, args=(str(path), start, results)) for _ in range(5)]
        for process in processes:
            process.start()
        start.set()  # all at once
        errors += [results.get(timeout=120) for _ in processes]
        for process in processes:
            process.join()
    assert [e for e in errors if e] == []
    with sqlite3.connect(old) as connection:
        assert "corroborated" in {row[1] for row in connection.execute("PRAGMA table_info(dossiers)")}
