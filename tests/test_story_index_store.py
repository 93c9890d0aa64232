"""The story index kept in the store (issue 12): opening a store replays
nothing, the index read back from the file places documents exactly as an
index kept in memory, a store made before the index was kept is indexed once,
and regrouping rebuilds the kept index."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

import accord
from accord.group import StoryIndex
from accord.group.stories import stream_stories
from accord.model import Analysis
from accord.settings import DEFAULT
from accord.store import Store
from accord.store import grouping as grouping_module
from accord.store import store as store_module
from accord.store.schema import SCHEMA_VERSION

from conftest import SHARED

ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"


def _nothing_found(documents):
    return (Analysis(d) for d in documents)


def _roundup_articles(count: int) -> list[accord.Article]:
    """The articles of the first ``count`` AllSides roundups (read from
    ../shared): several stories of a few reports each, dated."""
    if not ROUNDUPS.is_file():
        pytest.fail(f"the shared roundups are missing: {ROUNDUPS}")
    articles = []
    with ROUNDUPS.open(encoding="utf-8") as lines:
        for line in lines:
            roundup = json.loads(line)
            for side in ("left", "center", "right"):
                article = (roundup.get("news") or {}).get(side)
                if article and article.get("newBody"):
                    text = "\n".join(p.strip() for p in article["newBody"] if p.strip())
                    articles.append(accord.Article(text, title=article.get("newsTitle"),
                                                   outlet=article.get("newsSource"),
                                                   published=(roundup.get("date") or "")[:10] or None))
            count -= 1
            if not count:
                break
    return articles


def _placements(store: Store) -> list[list[str]]:
    """The stored stories' documents (each sorted, stories by first id): a
    re-clustered neighbourhood may list a story's members in another order."""
    return _grouping([s.documents for s in store.stories()])


def _grouping(groups: list[list[str]]) -> list[list[str]]:
    return sorted(sorted(g) for g in groups)


def _no_replay(monkeypatch) -> None:
    """Make any replay of the stored documents fail the test."""

    def refuse(self):
        raise AssertionError("the story index was rebuilt from the documents")

    monkeypatch.setattr(store_module.Store, "_rebuild", refuse)


def test_the_index_read_back_from_the_store_places_documents_as_one_in_memory(tmp_path, monkeypatch):
    articles = _roundup_articles(40)
    path = tmp_path / "news.db"
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles[:30])
    # Every later session reads the index from the file: none replays.
    _no_replay(monkeypatch)
    for start in range(30, len(articles), 25):
        with Store.open(path, analyzer=_nothing_found) as store:
            store.add(articles[start:start + 25])
    with Store.open(path, analyzer=_nothing_found) as store:
        stored = _placements(store)
        documents = store.documents()
        assert store.check() == []
    assert len(documents) == len(articles)
    in_memory = _grouping([s.documents for s in stream_stories(documents)])
    assert stored == in_memory
    assert len(stored) > 10  # several stories, so the comparison can fail


def test_opening_reads_no_row_of_the_index_and_an_add_reads_a_bounded_number(tmp_path, monkeypatch):
    articles = _roundup_articles(60)
    reads = {}
    for size in (20, len(articles) - 1):
        path = tmp_path / f"s{size}.db"
        with Store.open(path, analyzer=_nothing_found) as store:
            store.add(articles[:size])
        with monkeypatch.context() as patched:
            _no_replay(patched)
            # No stored document is decoded to open the store or to add one.
            patched.setattr(store_module, "document_from_record",
                            lambda *a, **k: pytest.fail("a stored document was read"))
            with Store.open(path, analyzer=_nothing_found) as store:
                with store._db:
                    store._db.execute("BEGIN IMMEDIATE")
                    store._story_index()
                assert store._state is not None and store._state.reads == 0
                store.add(articles[-1])
                reads[size] = store._state.reads
    # What one add reads is bounded by the index's settings (features probed,
    # stories offered per feature, the document's features), not by the
    # number of documents or stories in the store.
    settings = DEFAULT
    bound = (settings.story_probe_keys * (1 + settings.story_postings_per_key)  # postings, stories
             + 2 * settings.feature_keep + 1000  # features' counts (every word of the text is weighed)
             + 10)  # counters, the document's own entry, aliases
    assert all(0 < r < bound for r in reads.values()), reads


def test_two_stores_on_one_file_take_turns_and_see_each_others_documents(tmp_path):
    articles = _roundup_articles(24)
    path = tmp_path / "news.db"
    first = Store.open(path, analyzer=_nothing_found)
    second = Store.open(path, analyzer=_nothing_found)
    try:
        for n, article in enumerate(articles):
            (first if n % 3 else second).add(article)
        stored = _placements(first)
        documents = first.documents()
    finally:
        first.close()
        second.close()
    assert stored == _grouping([s.documents for s in stream_stories(documents)])


def _as_version_1(path: Path) -> None:
    """Turn a store into what the accord before the kept index made: no
    grouping tables, schema version 1."""
    with sqlite3.connect(path) as connection:
        for (table,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'grouping_%'").fetchall():
            connection.execute(f"DROP TABLE {table}")
        connection.execute("DELETE FROM meta WHERE key = 'grouping'")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")


def test_a_store_made_before_the_index_was_kept_is_indexed_once(tmp_path, monkeypatch):
    articles = _roundup_articles(30)
    path = tmp_path / "old.db"
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles[:-5])
        before = _placements(store)
    _as_version_1(path)
    # Read-only, a version-1 store is read as it is.
    with Store.open(path, readonly=True) as store:
        assert _placements(store) == before
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles[-5:-2])  # the first write builds the index
        assert not [c for c in store.changes() if c["kind"] == "replace"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
        assert connection.execute("SELECT count(*) FROM grouping_documents").fetchone()[0] == len(articles) - 2
    _no_replay(monkeypatch)
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles[-2:])
        assert _placements(store) == _grouping([s.documents for s in stream_stories(store.documents())])


def test_regroup_rebuilds_the_kept_index_under_the_new_settings(tmp_path, monkeypatch):
    articles = _roundup_articles(20)
    path = tmp_path / "news.db"
    strict = dataclasses.replace(DEFAULT, story_threshold=0.9, story_merge_threshold=0.0, story_recluster=False)
    with Store.open(path, analyzer=_nothing_found, settings=strict) as store:
        store.add(articles[:-3])
        assert len(store.stories()) == len(articles) - 3
    with Store.open(path, analyzer=_nothing_found) as store:
        assert store.regroup() > 0
        assert _placements(store) == _grouping([s.documents for s in stream_stories(store.documents())])
    # The rebuilt index is kept: the next sessions do not replay.
    _no_replay(monkeypatch)
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles[-3:])
        assert _placements(store) == _grouping([s.documents for s in stream_stories(store.documents())])
    # Opened under the strict settings again, the store is re-placed once more
    # (not refused), on its first write.
    monkeypatch.undo()
    with Store.open(path, analyzer=_nothing_found, settings=strict) as store:
        assert store.regroup() > 0
        assert len(store.stories()) == len(articles)


def test_a_split_is_kept_in_the_index_without_a_replay(tmp_path, monkeypatch):
    articles = _roundup_articles(12)
    path = tmp_path / "news.db"
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(articles)
        story = next(s for s in store.stories() if len(s.documents) >= 2)
        new = store.split(story.id, story.documents[-1:])
    _no_replay(monkeypatch)
    with Store.open(path, analyzer=_nothing_found) as store:
        assert store.story(new.id).documents == story.documents[-1:]
        store.add(accord.Article("Astronomers at the Calder observatory found a comet passing close to Jupiter.",
                                 outlet="Sky Weekly", published="2021-03-01"))
        assert store.story(new.id).documents == story.documents[-1:]
        assert not [c for c in store.changes() if c["kind"] == "replace"]


def test_an_index_state_in_memory_and_in_sqlite_agree_entry_by_entry(tmp_path):
    documents = accord.ingest(_roundup_articles(15)).documents
    memory = StoryIndex()
    for document in documents:
        memory.add(document)
    connection = store_module.connect(str(tmp_path / "s.db"))
    state = grouping_module.StoredState(connection)
    stored = StoryIndex(state=state)
    for document in documents:
        connection.execute("BEGIN")
        state.begin()
        stored.add(document)
        state.flush()
        connection.execute("COMMIT")
        state.forget()  # read everything back from the file
    assert [s.documents for s in stored.stories()] == [s.documents for s in memory.stories()]
    assert dict(state.postings) == dict(memory.state.postings)
    assert dict(state.frequency) == dict(memory.state.frequency)
    assert dict(state.counters) == dict(memory.state.counters)
    assert all(grouping_module.story_state(state.stories[k]) == grouping_module.story_state(s)
               for k, s in memory.state.stories.items())
