"""The story index kept in the store's own tables, so that opening a store
never replays its documents.

``StoredState`` gives a ``StoryIndex`` the mappings of an ``IndexState``
backed by tables (``grouping_*``, see ``schema``). An entry is read from its
table when first asked for and kept in a cache; entries the index writes stay
in the cache, marked, until ``flush`` writes them inside the caller's
transaction. The cache outlives a transaction only while no other connection
has committed to the file (SQLite's ``data_version`` says so); otherwise it is
dropped at the next ``begin``, and the index reads what the other process
wrote. Each cache is bounded, so memory does not grow with the store.

An ``add`` thus reads and writes the rows of its heaviest features (a posting
list is bounded by ``story_postings_kept``), of its features' document
counts, and of the stories it is compared with: the same work at a thousand
documents as at a million.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from typing import Any, Callable, Iterator, MutableMapping, Sequence

from accord.group.stories import IndexState, StoryIndex, story_from_state, story_state
from accord.settings import DEFAULT, Settings

__all__ = ["StoredState", "save_index", "sync_split_rows"]

_MISSING = object()


class _Table(MutableMapping[Any, Any]):
    """One table as a mapping, with a bounded read cache and write-back.

    ``table`` has a primary key ``key`` and a column ``value`` (plus
    ``name = ?`` when ``name`` is given, for the shared extra table)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        table: str,
        *,
        encode: Callable[[Any], Any] = lambda v: v,
        decode: Callable[[Any], Any] = lambda v: v,
        limit: int = 100_000,
        name: str | None = None,
    ) -> None:
        self._db = db
        self._encode, self._decode = encode, decode
        self._limit = limit
        self._cache: dict[Any, Any] = {}
        self._dirty: set[Any] = set()
        where = "key = ?" if name is None else "name = ? AND key = ?"
        self._prefix: tuple[Any, ...] = () if name is None else (name,)
        self._select = f"SELECT value FROM {table} WHERE {where}"
        columns = "key, value" if name is None else "name, key, value"
        marks = "?, ?" if name is None else "?, ?, ?"
        self._upsert = f"INSERT OR REPLACE INTO {table}({columns}) VALUES ({marks})"
        self._delete = f"DELETE FROM {table} WHERE {where}"
        self._count = f"SELECT count(*) FROM {table}" + ("" if name is None else " WHERE name = ?")
        self._keys = f"SELECT key FROM {table}" + ("" if name is None else " WHERE name = ?") + " ORDER BY key"
        #: Rows read from the file (not from the cache): what tests count.
        self.reads = 0

    def _load(self, key: Any) -> Any:
        value = self._cache.get(key, _MISSING)
        if value is _MISSING and key not in self._cache:
            row = self._db.execute(self._select, (*self._prefix, key)).fetchone()
            self.reads += 1
            value = _MISSING if row is None else self._decode(row[0])
            if len(self._cache) >= self._limit:
                self._evict()
            self._cache[key] = value
        return value

    def _evict(self) -> None:
        """Drop the older half of the clean entries (the cache keeps its
        insertion order: the newest stories and features are the hot ones)."""
        clean = [k for k in self._cache if k not in self._dirty]
        for key in clean[: max(1, len(clean) // 2)]:
            del self._cache[key]


    def __getitem__(self, key: Any) -> Any:
        value = self._load(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._load(key)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        return self._load(key) is not _MISSING

    def __setitem__(self, key: Any, value: Any) -> None:
        self._cache[key] = value
        self._dirty.add(key)

    def __delitem__(self, key: Any) -> None:
        if self._load(key) is _MISSING:
            raise KeyError(key)
        self._cache[key] = _MISSING
        self._dirty.add(key)

    def __len__(self) -> int:
        self.flush()
        return self._db.execute(self._count, self._prefix).fetchone()[0]

    def __iter__(self) -> Iterator[Any]:
        self.flush()
        return iter([row[0] for row in self._db.execute(self._keys, self._prefix).fetchall()])

    def flush(self) -> None:
        """Write every changed entry (inside the caller's transaction)."""
        if not self._dirty:
            return
        upserts, deletes = [], []
        for key in self._dirty:
            value = self._cache.get(key, _MISSING)
            if value is _MISSING:
                deletes.append((*self._prefix, key))
            else:
                upserts.append((*self._prefix, key, self._encode(value)))
        if upserts:
            self._db.executemany(self._upsert, upserts)
        if deletes:
            self._db.executemany(self._delete, deletes)
        self._dirty.clear()
        # Entries written stay cached (they are the hot ones) up to the bound.
        if len(self._cache) > self._limit:
            self._evict()

    def forget(self) -> None:
        """Drop the cache, written or not (another process wrote the file,
        or the transaction was rolled back)."""
        self._cache.clear()
        self._dirty.clear()


def _pack_posting(posting: dict[int, float]) -> bytes:
    """A posting list as its story keys (int64) then their weights (float64)."""
    return array("q", posting).tobytes() + array("d", posting.values()).tobytes()


def _unpack_posting(blob: bytes) -> dict[int, float]:
    half = len(blob) // 2
    keys, weights = array("q"), array("d")
    keys.frombytes(blob[:half])
    weights.frombytes(blob[half:])
    return dict(zip(keys.tolist(), weights.tolist()))


def _encode_story(story: Any) -> str:
    return json.dumps(story_state(story), separators=(",", ":"), ensure_ascii=False)


def _decode_story(text: str) -> Any:
    return story_from_state(json.loads(text))


class StoredState(IndexState):
    """An ``IndexState`` whose mappings read and write the store's tables."""

    def __init__(self, db: sqlite3.Connection, *, settings: Settings = DEFAULT) -> None:
        self._db = db
        self.stories = _Table(db, "grouping_stories", encode=_encode_story, decode=_decode_story,
                              limit=settings.store_cached_stories)
        self.postings = _Table(db, "grouping_postings", encode=_pack_posting, decode=_unpack_posting,
                               limit=settings.store_cached_postings)
        self.frequency = _Table(db, "grouping_frequency", limit=400_000)
        self.documents = _Table(db, "grouping_documents", limit=50_000)
        self.aliases = _Table(db, "grouping_aliases", limit=50_000)
        self.counters = _Table(db, "grouping_counters", limit=100)
        self._tables: dict[str, MutableMapping[str, Any]] = {}
        self._version: int | None = None

    def table(self, name: str) -> MutableMapping[str, Any]:
        if name not in self._tables:
            # A document's pile features (``pile_raw``) are large and read
            # only for the neighbourhood of a new document: keep fewer.
            limit = 5_000 if name == "pile_raw" else 100_000
            self._tables[name] = _Table(self._db, "grouping_tables", encode=json.dumps, decode=json.loads,
                                        limit=limit, name=name)
        return self._tables[name]

    def _all(self) -> list[_Table]:
        return [self.stories, self.postings, self.frequency, self.documents, self.aliases, self.counters,
                *self._tables.values()]  # type: ignore[list-item]

    def begin(self) -> None:
        """Call inside a transaction before the index is used: the cache is
        dropped when another connection has committed since the last call."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self.forget()
            self._version = version

    def flush(self) -> None:
        """Write what the index changed, inside the caller's transaction."""
        for table in self._all():
            table.flush()

    def forget(self) -> None:
        """Drop every cache (after a rollback, or another process's commit)."""
        for table in self._all():
            table.forget()

    @property
    def reads(self) -> int:
        """Rows read from the file since this state was made."""
        return sum(table.reads for table in self._all())


def save_index(db: sqlite3.Connection, index: StoryIndex) -> None:
    """Write a whole in-memory index into the (emptied) ``grouping_*``
    tables, inside the caller's transaction: the index of a store built by
    older code or other grouping, made once by replaying its documents."""
    state = index.state
    for table in ("stories", "postings", "frequency", "documents", "aliases", "counters", "tables"):
        db.execute(f"DELETE FROM grouping_{table}")
    db.executemany("INSERT INTO grouping_stories(key, value) VALUES (?, ?)",
                   ((k, _encode_story(s)) for k, s in state.stories.items()))
    db.executemany("INSERT INTO grouping_postings(key, value) VALUES (?, ?)",
                   ((k, _pack_posting(v)) for k, v in state.postings.items()))
    db.executemany("INSERT INTO grouping_frequency(key, value) VALUES (?, ?)", state.frequency.items())
    db.executemany("INSERT INTO grouping_documents(key, value) VALUES (?, ?)", state.documents.items())
    db.executemany("INSERT INTO grouping_aliases(key, value) VALUES (?, ?)", state.aliases.items())
    db.executemany("INSERT INTO grouping_counters(key, value) VALUES (?, ?)", state.counters.items())
    for name, mapping in state._tables.items():
        db.executemany("INSERT INTO grouping_tables(name, key, value) VALUES (?, ?, ?)",
                       ((name, k, json.dumps(v)) for k, v in mapping.items()))


def sync_split_rows(
    db: sqlite3.Connection,
    index: StoryIndex,
    changes: Sequence[tuple[str, int, int]],
    upsert: Callable[[Any], None],
    record: Callable[[str, str, str | None, Sequence[str], int], None],
    after: int,
) -> None:
    """Inside the caller's transaction, after the merges of ``changes`` were
    written: record each split (``story_changes``) and set the story of
    every document of each story the changes touched as the index has it
    now (a re-clustered neighbourhood splits and merges in one add)."""
    touched: list[int] = []
    for kind, key, other in changes:
        if kind == "split":
            record("split", f"s{key}", f"s{other}", index.story(index.resolve(other)).documents, after)
        for k in (key, other):
            k = index.resolve(k)
            if k not in touched:
                touched.append(k)
    for key in touched:
        story = index.story(key)
        upsert(story)
        db.executemany("UPDATE documents SET story = ? WHERE id = ?", [(story.id, d) for d in story.documents])
