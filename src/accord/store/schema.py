"""The tables of a store and how a connection to one is opened.

One SQLite file in WAL mode: readers (another ``accord`` reading stories)
never wait for the writer, and a writer killed mid-transaction leaves the file
as it was at its last commit.
"""

from __future__ import annotations

import os
import sqlite3
import time

from accord.errors import UsageError

__all__ = ["SCHEMA_VERSION", "connect"]

#: Bumped whenever a table changes shape; a store of another version is
#: refused, except an older one this accord upgrades in place (``_UPGRADES``).
SCHEMA_VERSION = "3"
#: Older versions upgraded on opening: version 1 had no ``grouping_*`` tables
#: (its story index was replayed from the documents at every opening); they
#: are created empty and filled once, the first time the store is written to.
#: A version-1 accord refuses a version-2 store, which it would not keep indexed.
#: Versions 1 and 2 had no ``dossier_versions``: the table is created and each
#: cached dossier becomes its story's version 1 (``_first_versions``). An
#: older accord refuses a version-3 store, whose dossiers it would not version.
_UPGRADES = ("1", "2")

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Every input read: its name and the hash of its content. One document may be
-- behind several inputs (the same article saved twice).
CREATE TABLE IF NOT EXISTS inputs (
    source   TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    document TEXT NOT NULL REFERENCES documents(id),
    PRIMARY KEY (source, sha256)
);
CREATE INDEX IF NOT EXISTS inputs_by_source ON inputs(source);
-- Clean documents in order of arrival: d<seq>.
CREATE TABLE IF NOT EXISTS documents (
    seq     INTEGER PRIMARY KEY,
    id      TEXT NOT NULL UNIQUE,
    sha256  TEXT NOT NULL UNIQUE,
    record  TEXT NOT NULL,
    offsets BLOB NOT NULL,
    story   TEXT
);
CREATE INDEX IF NOT EXISTS documents_by_story ON documents(story);
CREATE TABLE IF NOT EXISTS analyses (
    document TEXT PRIMARY KEY REFERENCES documents(id),
    record   TEXT NOT NULL
);
-- Stories in order of their first document: s<seq>.
CREATE TABLE IF NOT EXISTS stories (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    title           TEXT,
    first_published TEXT,
    last_published  TEXT
);
-- A story merged into another keeps resolving: its id -> the id kept.
CREATE TABLE IF NOT EXISTS story_aliases (
    alias TEXT PRIMARY KEY,
    story TEXT NOT NULL
);
-- Every change to the stories, in order: a document that starts or joins a
-- story, two stories merged (other = the id that became an alias), a story
-- split (other = the new story), a document re-placed by newer grouping.
-- ``after`` is the seq of the last document added when the change was made.
CREATE TABLE IF NOT EXISTS story_changes (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    story     TEXT NOT NULL,
    other     TEXT,
    documents TEXT NOT NULL,
    after     INTEGER NOT NULL
);
-- A story's dossier, valid while ``key`` (a hash of the story id and its
-- documents' hashes) still matches.
CREATE TABLE IF NOT EXISTS dossiers (
    story     TEXT PRIMARY KEY REFERENCES stories(id),
    key       TEXT NOT NULL,
    record    TEXT NOT NULL,
    facts     INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    corroborated INTEGER
);
-- The story index (accord.store.grouping): what grouping needs to place the
-- next document, so that opening a store never replays its documents. Each
-- is a mapping of accord.group.stories.IndexState; ``meta.grouping`` holds
-- the signature of the grouping that built them (none: not built yet).
CREATE TABLE IF NOT EXISTS grouping_stories (      -- story key -> its state (JSON)
    key   INTEGER PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grouping_postings (     -- feature -> story keys oldest first (int64), their weights (float64)
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grouping_frequency (    -- feature -> documents carrying it
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grouping_documents (    -- document id -> story key
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grouping_aliases (      -- merged story key -> key kept
    key   INTEGER PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS grouping_counters (     -- "keys", "documents"
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grouping_tables (       -- further named mappings (JSON values)
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, key)
) WITHOUT ROWID;
-- What a story's dossier held each time it changed (accord.store.versions):
-- ``keys`` is the compact JSON of its facts, conflicts and outlets that a diff
-- needs, ``key`` the dossier's cache key then, ``documents`` the stored ids of
-- its documents (JSON), ``after`` the seq of the last document stored then.
CREATE TABLE IF NOT EXISTS dossier_versions (
    story     TEXT NOT NULL,
    version   INTEGER NOT NULL,
    made      TEXT NOT NULL,
    after     INTEGER NOT NULL,
    key       TEXT NOT NULL,
    documents TEXT NOT NULL,
    keys      TEXT NOT NULL,
    PRIMARY KEY (story, version)
);
-- What ``accord watch`` saw of each feed at its last poll.
CREATE TABLE IF NOT EXISTS feeds (
    url       TEXT PRIMARY KEY,
    polls     INTEGER NOT NULL,
    last_poll TEXT NOT NULL,
    status    TEXT NOT NULL,
    new       INTEGER NOT NULL,
    known     INTEGER NOT NULL,
    error     TEXT
);
"""
# Columns added after version 1 was published: added in place when missing, so
# older stores open without a rebuild (a new store has them in _TABLES). (table, column, declaration)
_ADDED_COLUMNS = (("dossiers", "corroborated", "INTEGER"),)


#: How long a process waits for another that is writing to the same store,
#: in seconds, before it gives up (SQLite's busy timeout).
BUSY_TIMEOUT = 60.0


def _settle(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode. Changing the journal mode needs the file to
    itself, and SQLite does not wait for that with the busy timeout: another
    process opening the same new store at that moment makes it try again."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(path: str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the store at ``path`` (":memory:" for one that lives
    as long as the connection), its tables created when new; with
    ``readonly`` the file must exist and is never written. Raises UsageError
    when the file is not a store of this version."""
    if readonly:
        return _connect_readonly(path)
    if path != ":memory:" and os.path.isfile(path) and os.path.getsize(path) > 0:
        # Checked read-only before anything is written: another program's
        # SQLite file must not get accord's tables or WAL mode (issue 25).
        # A store another process is making this moment (no schema row, or
        # only some of accord's tables yet) is no other program's file.
        try:
            _connect_readonly(path).close()
        except UsageError:
            if not _being_made(path):
                raise
    try:
        # One Store may move between threads (the web app's request threads),
        # used by one at a time under its owner's lock.
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False)
        _settle(connection)
        # In WAL mode NORMAL survives a killed process (only a power cut can
        # lose the last commits), at a fraction of FULL's fsyncs.
        connection.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache (SQLite's default is 2 MB): the story index's
        # hot rows (recent stories, common features) stay in memory in a
        # store of a million documents.
        connection.execute("PRAGMA cache_size=-65536")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.executescript(_TABLES)
        for table, column, declaration in _ADDED_COLUMNS:
            if column not in _columns(connection, table):
                try:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                except sqlite3.OperationalError as error:
                    # Another process opening the same old store added it
                    # between our look and our change.
                    if "duplicate column" not in str(error):
                        raise
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as error:
        raise UsageError(f"cannot open the store {path}: {error} (is it an accord store?)") from error
    if row is None:
        connection.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
    elif row[0] in _UPGRADES:
        # The new tables exist now (created above); the index is built on
        # the first write (Store._story_index); cached dossiers become
        # their stories' first versions, in the same transaction.
        connection.execute("BEGIN IMMEDIATE")
        try:
            _first_versions(connection)
            connection.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    elif row[0] != SCHEMA_VERSION:
        connection.close()
        raise UsageError(f"the store {path} has schema version {row[0]}; this accord reads version {SCHEMA_VERSION}")
    return connection


def _first_versions(connection: sqlite3.Connection) -> None:
    """Inside the caller's transaction: each cached dossier of a store made
    before versions were kept becomes version 1 of its story (its documents
    found by their hashes), so ``--since 1`` shows what came after it."""
    import json

    from .versions import version_keys

    if connection.execute("SELECT 1 FROM dossier_versions LIMIT 1").fetchone() is not None:
        return  # upgraded by another process meanwhile
    rows = connection.execute("SELECT story, key, record FROM dossiers ORDER BY story").fetchall()
    for story, key, record in rows:
        try:
            data = json.loads(record)
        except ValueError:
            continue  # a damaged record: the story's next dossier is its first version
        stored = []
        for document in data.get("documents", []):
            found = connection.execute("SELECT id, seq FROM documents WHERE sha256 = ?",
                                       (document.get("sha256"),)).fetchone()
            if found is not None:
                stored.append(found)
        connection.execute(
            "INSERT INTO dossier_versions(story, version, made, after, key, documents, keys) "
            "VALUES (?, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)",
            (story, max((seq for _, seq in stored), default=0), key,
             json.dumps([doc_id for doc_id, _ in sorted(stored, key=lambda r: r[1])]),
             json.dumps(version_keys(data), ensure_ascii=False, separators=(",", ":"))))


def _being_made(path: str) -> bool:
    """Whether the SQLite file at ``path`` holds nothing but (some of)
    accord's own tables: a store being made by another process."""
    import re
    from pathlib import Path

    ours = set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", _TABLES))
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return tables <= ours


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _connect_readonly(path: str) -> sqlite3.Connection:
    """A connection that can only read an existing store."""
    from pathlib import Path

    if not Path(path).is_file():
        raise UsageError(f"cannot open the store {path}: no such file")
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                     isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False)
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError as error:
        raise UsageError(f"cannot open the store {path}: {error} (is it an accord store?)") from error
    if row is None or row[0] not in (SCHEMA_VERSION, *_UPGRADES):
        connection.close()
        found = "no schema version" if row is None else f"schema version {row[0]}"
        raise UsageError(f"the store {path} has {found}; this accord reads version {SCHEMA_VERSION}")
    return connection
