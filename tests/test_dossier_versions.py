"""What changed (issue 24): a story in the store keeps its dossier's versions;
``accord dossier --store --story ID --since N`` and the web app's ``?since=N``
show what is new since a version, and what went away."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import accord
from accord.cli import main
from accord.render import validate
from accord.store import Store
from accord.store.schema import SCHEMA_VERSION
from accord.store.versions import changes_between, version_keys

from conftest import CORPUS

REPORTS = sorted(str(p) for p in CORPUS.iterdir()) if CORPUS.is_dir() else []


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> tuple[Path, str, list[str], list[str]]:
    """A store whose story had three reports at its first version and all
    five at its second: (path, story id, outlets of version 1, outlets now)."""
    path = tmp_path_factory.mktemp("versions") / "news.db"
    with Store.open(path) as store:
        store.add(REPORTS[:3])
        (story,) = store.stories()
        first = store.dossier(story.id)
        store.dossier(story.id)  # made again from the same documents: no new version
        store.add(REPORTS[3:])
        (story,) = store.stories()
        now = store.dossier(story.id)
    return path, story.id, _outlets(first.to_dict()), _outlets(now.to_dict())


def _outlets(dossier: dict) -> list[str]:
    return version_keys(dossier)["outlets"]


def _keys_of(path: Path, story: str, version: int) -> dict:
    with sqlite3.connect(path) as connection:
        (keys,) = connection.execute("SELECT keys FROM dossier_versions WHERE story = ? AND version = ?",
                                     (story, version)).fetchone()
    return json.loads(keys)


def test_each_change_of_a_story_s_dossier_is_a_version(grown):
    path, story, _, _ = grown
    with Store.open(path, readonly=True) as store:
        versions = store.versions(story)
        assert [v["version"] for v in versions] == [1, 2]
        assert [v["documents"] for v in versions] == [3, len(REPORTS)]
        assert all(v["made"].endswith("Z") for v in versions)
    # Compact: the keys a diff needs, far smaller than the cached dossier.
    with sqlite3.connect(path) as connection:
        keys, record = connection.execute(
            "SELECT v.keys, d.record FROM dossier_versions v JOIN dossiers d ON d.story = v.story "
            "WHERE v.story = ? AND v.version = 2", (story,)).fetchone()
    assert len(keys) * 5 < len(record)


def test_changes_since_a_version_name_what_is_new_and_what_went(grown):
    path, story, before, after = grown
    with Store.open(path, readonly=True) as store:
        dossier = store.dossier(story)
        changes = store.dossier_changes(story, 1)
    data = dossier.to_dict()
    assert changes["since"]["version"] == 1 and changes["version"]["version"] == 2
    assert changes["since"]["documents"] == 3 and changes["version"]["documents"] == len(REPORTS)
    assert changes["outlets"]["new"] == sorted(set(after) - set(before))
    assert changes["outlets"]["gone"] == sorted(set(before) - set(after))
    ids = {f["id"]: f for f in data["facts"]}
    old = _keys_of(path, story, 1)
    old_texts = {" ".join(f["text"].split()).casefold() for f in old["facts"]}
    assert changes["facts"]["new"], "two more reports added no fact"
    for fact in changes["facts"]["new"]:
        assert fact["id"] in ids and ids[fact["id"]]["text"] == fact["text"]
        assert " ".join(fact["text"].split()).casefold() not in old_texts
    for fact in changes["facts"]["more_support"]:
        assert fact["gained"] or fact["status"] != fact["status_before"]
        assert set(fact["gained"]) <= set(fact["outlets"])
    for fact in changes["facts"]["gone"]:
        assert " ".join(fact["text"].split()).casefold() in old_texts
    # Every fact now is new, held before, or with more support: none is lost.
    told = {f["id"] for f in changes["facts"]["new"]} | {f["id"] for f in changes["facts"]["more_support"]}
    assert told <= set(ids)
    validate({**data, "changes": changes})


def test_nothing_changed_since_the_latest_version(grown):
    path, story, _, _ = grown
    with Store.open(path, readonly=True) as store:
        changes = store.dossier_changes(story, 2)
    assert changes["version"]["version"] == 2
    for part in ("facts", "conflicts", "outlets"):
        assert not any(changes[part].values()), part


def test_a_version_that_does_not_exist_is_refused(grown):
    path, story, _, _ = grown
    with Store.open(path, readonly=True) as store, pytest.raises(Exception, match="no version 7"):
        store.dossier_changes(story, 7)


def test_keys_and_changes_do_not_hang_on_the_order_of_the_dossier(grown):
    path, story, _, _ = grown
    with Store.open(path, readonly=True) as store:
        data = store.dossier(story).to_dict()
    shuffled = dict(data)
    for part in ("facts", "conflicts", "documents"):
        items = list(data[part])
        random.Random(3).shuffle(items)
        shuffled[part] = items
    assert version_keys(shuffled) == version_keys(data)
    before = _keys_of(path, story, 1)
    assert changes_between(before, data) == changes_between(before, data)


def test_a_fact_worded_anew_is_the_fact_it_was_and_a_renamed_conflict_too():
    def dossier(fact_text: str, outlets: list[str], topic: str) -> dict:
        documents = [{"id": f"d{n}", "outlet": o, "source": f"/x/{o}.txt"} for n, o in enumerate(outlets, 1)]
        support = [{"doc": f"d{n}", "text": "The pier opens in May."} for n in range(1, len(outlets) + 1)]
        return {"documents": documents,
                "facts": [{"id": "f1", "text": fact_text, "status": "corroborated" if len(outlets) > 1 else
                           "single-source", "support": support}],
                "conflicts": [{"id": "c1", "topic": topic, "sides": [{"value": "May"}, {"value": "June"}]}]}

    before = version_keys(dossier("The pier opens in May.", ["Post"], "when the pier opens"))
    changes = changes_between(before, dossier("The new pier opens in May, officials said.", ["Post", "Ledger"],
                                              "the opening date"))
    assert changes["facts"]["new"] == [] and changes["facts"]["gone"] == []
    (more,) = changes["facts"]["more_support"]
    assert more["gained"] == ["Ledger"] and (more["status_before"], more["status"]) == ("single-source",
                                                                                      "corroborated")
    assert changes["conflicts"] == {"new": [], "changed": [], "gone": []}
    assert changes["outlets"] == {"new": ["Ledger"], "gone": []}
    # A document without an outlet counts as its file's name, never its path.
    assert version_keys({"documents": [{"id": "d1", "source": "/somewhere/deep/report.txt"}]})["outlets"] == [
        "report.txt"]


def test_an_older_store_is_upgraded_and_its_cached_dossiers_become_version_1(grown, tmp_path):
    path, story, _, _ = grown
    old = tmp_path / "old.db"
    with sqlite3.connect(path) as source, sqlite3.connect(old) as target:
        source.backup(target)
    with sqlite3.connect(old) as connection:
        connection.execute("DROP TABLE dossier_versions")
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    with Store.open(old, readonly=True) as store:
        assert store.versions(story) == []  # read as it is: nothing written
    with Store.open(old) as store:
        assert [v["version"] for v in store.versions(story)] == [1]
        assert store.versions(story)[0]["documents"] == len(REPORTS)
        assert not any(store.dossier_changes(story, 1)["facts"].values())
    with sqlite3.connect(old) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)


def test_cli_since_in_every_format(grown, tmp_path, capsys):
    path, story, _, _ = grown
    out = tmp_path / "s.json"
    assert main(["dossier", "--store", str(path), "--story", story, "--since", "1", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    validate(data)
    assert data["changes"]["since"]["version"] == 1 and data["changes"]["facts"]["new"]
    first_new = data["changes"]["facts"]["new"][0]
    for suffix in (".md", ".html"):
        report = tmp_path / f"s{suffix}"
        assert main(["dossier", "--store", str(path), "--story", story, "--since", "1", "-o", str(report)]) == 0
        text = report.read_text(encoding="utf-8")
        assert "What changed since version 1" in text
        assert first_new["id"] in text.split("What changed since version 1", 1)[1]
    plain = tmp_path / "plain.md"
    assert main(["dossier", "--store", str(path), "--story", story, "-o", str(plain)]) == 0
    assert "What changed" not in plain.read_text(encoding="utf-8")


def test_cli_refuses_an_unknown_version_and_since_without_a_stored_story(grown, tmp_path, capsys):
    path, story, _, _ = grown
    capsys.readouterr()
    assert main(["dossier", "--store", str(path), "--story", story, "--since", "9"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no version 9" in err
    assert main(["dossier", "--store", str(path), "--since", "1", REPORTS[0]]) == 2
    assert "--since" in capsys.readouterr().err


@pytest.mark.slow
def test_stories_adding_to_a_store_keeps_a_version_each_time_a_story_grows(tmp_path):
    store = tmp_path / "news.db"
    listing = tmp_path / "stories.json"
    assert main(["stories", *REPORTS[:2], "--store", str(store), "-o", str(listing)]) == 0
    assert main(["stories", *REPORTS[2:], "--store", str(store), "-o", str(listing)]) == 0
    assert main(["stories", "--store", str(store), "-o", str(listing)]) == 0  # nothing new: no new version
    with Store.open(store, readonly=True) as opened:
        (story,) = opened.stories()
        assert [v["documents"] for v in opened.versions(story.id)] == [2, len(REPORTS)]


@pytest.mark.slow
def test_what_changed_is_the_same_whatever_the_hash_seed(grown, tmp_path):
    path, story, _, _ = grown
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=os.pathsep.join(
            [str(Path(accord.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")]))
        out = tmp_path / f"changes-{seed}.md"
        done = subprocess.run([sys.executable, "-m", "accord", "-q", "dossier", "--store", str(path), "--story", story,
                               "--since", "1", "-o", str(out)], env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and "What changed since version 1" in outputs[0]
