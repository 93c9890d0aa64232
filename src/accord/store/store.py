"""The store: inputs, clean documents, their analyses, stories and dossiers in
one SQLite file, so that a month of feeds is read once and analysed once.

- An input whose content (sha256) the store holds is never analysed again.
- New documents are committed with their analyses and their places in stories,
  a chunk per transaction: a run killed at any point keeps every document
  committed before, and the next run resumes where it stopped.
- The story index lives in the store's ``grouping_*`` tables (see
  ``grouping``): opening a store replays nothing, and placing a document reads
  and writes only the rows it needs.
- Stories are revised as documents arrive: a document that shows two stories
  to be one merges them (the older id is kept, the other recorded as an alias
  that still resolves); ``split`` separates a wrongly joined story; every
  change is a row of ``story_changes`` (``changes()``).
- A story's dossier is cached under a key made of the story id and its
  documents' hashes; adding documents recomputes only the dossiers of the
  stories they joined.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
import typing
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from accord.ingest import Reading
from accord.errors import UsageError
from accord.group import StoryIndex
from accord.group.stories import grouping_signature
from accord.model import Analysis, Article, Document, OffsetMap, RawDocument, Skipped, Story
from accord.pipeline import Batch, Dossier, Outlets, Progress
from accord.pipeline import dossier as build_dossier
from accord.runner import DocumentWork, Failure, Reject, attempt, clean_one, process_documents, read_numbered
from accord.settings import DEFAULT, Settings

from .records import (
    analysis_from_record,
    analysis_record,
    document_from_record,
    document_record,
    dossier_parts,
    pack_offsets,
    unpack_offsets,
)
from .versions import changes_between, version_keys
from .grouping import StoredState, save_index, sync_split_rows
from .schema import connect

__all__ = ["AddSummary", "Analyzer", "DamagedStore", "Duplicate", "Store", "CHUNK"]

log = logging.getLogger("accord")


class DamagedStore(UsageError):
    """A stored row that cannot be decoded (cut short, altered by hand): one
    line naming the store and the row. A usage error (exit 2), as for any
    store that cannot be used; where a command can go on without the row, it
    skips it and lists it."""

    def __init__(self, path: str, what: str, error: BaseException) -> None:
        detail = str(error).splitlines()[0][:120] if str(error) else ""
        super().__init__(f"the store {path} holds a damaged record ({what}: {type(error).__name__}: "
                         f"{detail}); add to a new store")
        self.path = path
        self.what = what

#: Called with new documents, yields their analyses in the same order.
Analyzer = Callable[[Sequence[Document]], Iterator[Analysis]]
#: The default of ``Settings.store_chunk`` (where its value comes from is
#: said there), under its old name.
CHUNK = DEFAULT.store_chunk
Item = str | os.PathLike[str] | Article


def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


def _spacy(documents: Sequence[Document], settings: Settings = DEFAULT,
           rejects: list[Reject] | None = None) -> Iterator[Analysis]:
    """The analyses of clean documents by the runner's per-document step. A
    store keeps every document it takes: one whose analysis failed is kept
    with nothing found in it, its traceback added to ``rejects``. No
    fallback date: a document without a date of its own has its relative
    times resolved when its story is known (see Store.batch)."""
    worked = process_documents(DocumentWork(tuple((d.id, d) for d in documents), True, settings))
    if rejects is not None:
        rejects.extend(worked.rejects)
    by_id = {entry[0].id: entry[1] for entry in worked.entries if not isinstance(entry, Skipped)}
    for document in documents:
        yield by_id.get(document.id) or Analysis(document)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An input whose bytes are those of a document the store holds under
    another name: kept once, as ``document`` (read from ``same_as``). Listed,
    so that no input the user gave goes unaccounted for."""

    source: str
    same_as: str
    document: str

    @property
    def reason(self) -> str:
        """One line naming both inputs."""
        return f"duplicate: the same content as {self.same_as}, kept once as document {self.document}"

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "same_as": self.same_as, "document": self.document}


@dataclass(slots=True)
class AddSummary:
    """What one ``Store.add`` did: the documents the items hold (new or known),
    which were new, which inputs were already known, what could not be read,
    and the stories the new documents joined or started."""

    documents: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    analysed: int = 0
    #: Known inputs whose document the store holds under another name (a
    #: byte-identical copy): each names the input its document was read from.
    duplicates: list[Duplicate] = field(default_factory=list)
    #: Inputs that failed inside accord (cleaning: skipped; analysis: kept
    #: with nothing found in them), with their tracebacks.
    rejects: list[Reject] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": list(self.documents),
            "new": list(self.new),
            "known": list(self.known),
            "skipped": [s.to_dict() for s in self.skipped],
            "stories": list(self.stories),
            "analysed": self.analysed,
            "duplicates": [d.to_dict() for d in self.duplicates],
        }


class Store:
    """An embedded store of documents, analyses, stories and dossiers.

    Open one with ``Store.open(path)`` (":memory:" for a store that lives as
    long as the object). ``analysed`` counts the documents this object sent to
    the analyzer."""

    def __init__(
        self, connection: sqlite3.Connection, path: str, *, analyzer: Analyzer | None = None,
        settings: Settings = DEFAULT,
    ) -> None:
        self._db = connection
        self.settings = settings
        self.path = path
        self._analyzer: Analyzer | None = analyzer
        self._index: StoryIndex | None = None
        self._state: StoredState | None = None
        self.analysed = 0

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        analyzer: Analyzer | None = None,
        settings: Settings = DEFAULT,
        readonly: bool = False,
    ) -> "Store":
        """The store at ``path``, created when missing (with ``readonly`` it
        must exist, and nothing is ever written to it: dossiers not cached are
        made without being kept). Raises UsageError when the file is not an
        accord store. ``settings`` tune grouping, chunks and dossiers; a store
        built with other grouping settings (or another version of accord) has
        its documents re-placed the first time it is written to, or by
        ``regroup()``, every move recorded in ``changes()``."""
        name = os.fspath(path)
        store = cls(connect(name, readonly=readonly), name, analyzer=analyzer, settings=settings)
        store.readonly = readonly
        return store

    readonly: bool = False

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ adding

    def add(
        self,
        items: Iterable[Item] | Item,
        *,
        progress: Progress = _quiet,
        reading: Reading | None = None,
        outlets: Outlets = None,
    ) -> AddSummary:
        """Read the items (paths, folders, globs, URLs, articles; ``reading``
        says how, ``outlets`` as for ``accord.ingest``) and add what is new;
        see ``add_read``."""
        if isinstance(items, (str, os.PathLike, Article)):
            items = [items]
        # The runner reads (each input under its guard; a manifest that
        # matches no input refused first); the store numbers its own ids.
        rejects: list[Reject] = []
        entries = (entry if isinstance(entry, Skipped) else entry[1]
                   for entry in read_numbered(items, rejects, reading=(reading or Reading()).with_outlets(outlets)))
        summary = self.add_read(entries, progress=progress)
        summary.rejects[:0] = rejects
        return summary

    def add_read(self, entries: Iterable[RawDocument | Skipped], *, progress: Progress = _quiet) -> AddSummary:
        """Add documents as ingest read them. A document whose content the store
        holds is not cleaned or analysed again; a new one is cleaned, analysed
        (in chunks of ``settings.store_chunk``), placed in a story and committed
        with its chunk."""
        summary = AddSummary()
        pending: list[tuple[RawDocument, Document]] = []
        for entry in entries:
            if isinstance(entry, Skipped):
                summary.skipped.append(entry)
                continue
            known = self._document_of(entry.source, entry.sha256)
            if known is None and (known := self._document_with(entry.sha256)) is not None:
                # The same content under a new name: remember the name only.
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.execute("INSERT OR IGNORE INTO inputs(source, sha256, document) VALUES (?, ?, ?)",
                                     (entry.source, entry.sha256, known))
            if known is None and any(p[1].sha256 == entry.sha256 for p in pending):
                self._commit(pending, summary, progress)
                pending.clear()
                known = self._document_with(entry.sha256)
                assert known is not None  # committed just above
                with self._db:
                    self._db.execute("BEGIN")
                    self._db.execute("INSERT OR IGNORE INTO inputs(source, sha256, document) VALUES (?, ?, ?)",
                                     (entry.source, entry.sha256, known))
            if known is not None:
                self._known(summary, entry.source, known)
                continue
            doc_id = f"d{self._next_seq() + len(pending)}"
            # Under the runner's guard: an input that breaks the cleaner is
            # skipped, and the others go on.
            document = attempt(entry.source, "clean", functools.partial(clean_one, doc_id, entry))
            if isinstance(document, Failure):
                summary.skipped.append(document.skipped)
                summary.rejects.append(document.reject)
                continue
            pending.append((entry, document))
            if len(pending) >= self.settings.store_chunk:
                self._commit(pending, summary, progress)
                pending.clear()
        self._commit(pending, summary, progress)
        # A story merged later in this add is named by the story kept.
        summary.stories = sorted({self.resolve(s) for s in summary.stories}, key=lambda s: int(s[1:]))
        return summary

    def _known(self, summary: AddSummary, source: str, doc_id: str) -> None:
        """An input whose content the store holds as ``doc_id``: counted as
        known, and listed as a duplicate when that document was read from
        another input (the same bytes under another name)."""
        summary.known.append(source)
        summary.documents.append(doc_id)
        try:
            row = self._db.execute("SELECT CASE WHEN json_valid(record) THEN json_extract(record, '$.source') END "
                                   "FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
        except sqlite3.Error:  # a damaged record: named by its id, which the store has
            row = None
        same_as = row[0] if row is not None and isinstance(row[0], str) else doc_id
        if same_as != source:
            summary.duplicates.append(Duplicate(source, same_as, doc_id))

    def knows(self, source: str) -> bool:
        """Whether an input of this name was ever added (whatever its content)."""
        return self._db.execute("SELECT 1 FROM inputs WHERE source = ? LIMIT 1", (source,)).fetchone() is not None

    def _commit(self, pending: list[tuple[RawDocument, Document]], summary: AddSummary, progress: Progress) -> None:
        """Analyse the pending documents together, then place each in a story
        and commit them in one transaction, with the story changes their
        placing made (a story started or joined; stories merged) and the
        story index's rows they changed."""
        if not pending:
            return
        documents = [document for _, document in pending]
        analyses = list(self._analyzer(documents) if self._analyzer is not None else
                        _spacy(documents, self.settings, summary.rejects))
        if len(analyses) != len(documents):
            raise UsageError(f"the analyzer returned {len(analyses)} analyses for {len(documents)} documents")
        self.analysed += len(documents)
        summary.analysed += len(documents)
        placed: list[tuple[RawDocument, Document, str | None, str | None]] = []
        try:
            with self._db:
                # IMMEDIATE: the write lock is taken first (another process
                # adding to this store waits for it, up to the busy timeout),
                # so the ids, the duplicate check and the story placement
                # below see every document committed before, and the story
                # index reads what the other process wrote.
                self._db.execute("BEGIN IMMEDIATE")
                index = self._story_index()
                for (raw, document), analysis in zip(pending, analyses):
                    known = self._document_with(document.sha256)
                    if known is not None:
                        # Stored meanwhile (by another process, or earlier in this chunk).
                        self._db.execute("INSERT OR IGNORE INTO inputs(source, sha256, document) VALUES (?, ?, ?)",
                                         (raw.source, raw.sha256, known))
                        placed.append((raw, document, None, known))
                        continue
                    doc_id = f"d{self._next_seq()}"
                    if document.id != doc_id:
                        document, analysis = _renumbered(document, analysis, doc_id)
                    seen, made = len(index.changes), index.keys_made
                    story = index.story(index.add(document))
                    self._insert(raw, document, analysis, story, started=index.keys_made > made,
                                 merges=index.changes[seen:])
                    placed.append((raw, document, story.id, None))
                assert self._state is not None
                self._state.flush()
        except BaseException:
            # Rolled back: the index's cache may hold placements the file does
            # not; read it again from the file.
            self._drop_index()
            raise
        for raw, document, story_id, known in placed:
            if story_id is None:
                assert known is not None  # placed above with the document that holds it
                self._known(summary, raw.source, known)
                continue
            summary.documents.append(document.id)
            summary.new.append(document.id)
            summary.stories.append(story_id)
            progress("analyze", len(summary.new), None)

    def _drop_index(self) -> None:
        if self._state is not None:
            self._state.forget()
        self._index = self._state = None

    def _insert(self, raw: RawDocument, document: Document, analysis: Analysis, story: Story, *,
                started: bool = False, merges: Sequence[tuple[str, int, int]] = ()) -> None:
        """Write one document with its input, its analysis, its story and the
        merges its placing made, inside the caller's transaction."""
        seq = int(document.id[1:])
        self._db.execute(
            "INSERT INTO documents(seq, id, sha256, record, offsets, story) VALUES (?, ?, ?, ?, ?, ?)",
            (seq, document.id, document.sha256, document_record(document),
             pack_offsets(document.offsets), story.id),
        )
        self._db.execute("INSERT INTO analyses(document, record) VALUES (?, ?)",
                         (document.id, analysis_record(analysis)))
        self._db.execute("INSERT INTO inputs(source, sha256, document) VALUES (?, ?, ?)",
                         (raw.source, raw.sha256, document.id))
        self._upsert_story(story)
        self._change("start" if started else "join", story.id, None, [document.id], seq)
        for kind, kept, merged in merges:
            if kind == "merge":
                self._merge_rows(f"s{kept}", f"s{merged}", seq)
        if self._index is not None and any(kind == "split" for kind, _, _ in merges):  # issue 21: a neighbourhood re-clustered
            sync_split_rows(self._db, self._index, merges, self._upsert_story, self._change, seq)

    def _upsert_story(self, story: Story) -> None:
        self._db.execute(
            "INSERT INTO stories(seq, id, title, first_published, last_published) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
            "first_published = excluded.first_published, last_published = excluded.last_published",
            (int(story.id[1:]), story.id, story.title, story.first_published, story.last_published),
        )

    def _change(self, kind: str, story: str, other: str | None, documents: Sequence[str], after: int) -> None:
        self._db.execute("INSERT INTO story_changes(kind, story, other, documents, after) VALUES (?, ?, ?, ?, ?)",
                         (kind, story, other, json.dumps(list(documents)), after))

    def _merge_rows(self, kept: str, merged: str, after: int) -> None:
        """Inside a transaction: story ``merged`` becomes an alias of ``kept``
        (and so do its own aliases), its documents move, its row goes."""
        moved = [r[0] for r in self._db.execute("SELECT id FROM documents WHERE story = ? ORDER BY seq", (merged,))]
        self._db.execute("UPDATE documents SET story = ? WHERE story = ?", (kept, merged))
        self._db.execute("DELETE FROM dossiers WHERE story = ?", (merged,))
        self._db.execute("DELETE FROM stories WHERE id = ?", (merged,))
        self._db.execute("UPDATE story_aliases SET story = ? WHERE story = ?", (kept, merged))
        self._db.execute("INSERT OR REPLACE INTO story_aliases(alias, story) VALUES (?, ?)", (merged, kept))
        if self._index is not None:
            self._upsert_story(self._index.story(int(kept[1:])))
        self._change("merge", kept, merged, moved, after)

    def split(self, story_id: str, documents: Sequence[str]) -> Story:
        """Split a wrongly joined story: ``documents`` (ids, some of the
        story's) leave it for a new story, which is returned. The split is
        recorded (and replayed whenever the story index is rebuilt)."""
        story = self.story(story_id)
        if not set(documents) < set(story.documents) or not documents:
            raise UsageError(f"a split of {story.id} takes some of its documents ({', '.join(story.documents)}), "
                             "not all of them nor others")
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                index = self._story_index()
                after = self._next_seq() - 1
                key = index.split(int(story.id[1:]), documents)
                new, rest = index.story(key), index.story(int(story.id[1:]))
                self._upsert_story(rest)
                self._upsert_story(new)
                for doc_id in new.documents:
                    self._db.execute("UPDATE documents SET story = ? WHERE id = ?", (new.id, doc_id))
                self._change("split", rest.id, new.id, new.documents, after)
                assert self._state is not None
                self._state.flush()
        except BaseException:
            self._drop_index()
            raise
        return self.story(new.id)

    def changes(self) -> list[dict[str, Any]]:
        """Every change to the stories, oldest first: ``{kind, story, other,
        documents, after}`` with kind start, join, merge, split or replace."""
        return [
            {"kind": kind, "story": story, "other": other, "documents": json.loads(documents), "after": after}
            for kind, story, other, documents, after in self._db.execute(
                "SELECT kind, story, other, documents, after FROM story_changes ORDER BY seq")
        ]

    def _story_index(self) -> StoryIndex:
        """The story index, inside the caller's write transaction. It lives in
        the store's ``grouping_*`` tables, so opening reads nothing until a
        document is placed. When the tables were built by another grouping
        (other settings, another version of accord) or not at all (a store
        made before they existed), the index is rebuilt once by ``_rebuild``."""
        assert self._db.in_transaction
        if self._index is None:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'grouping'").fetchone()
            if row is None or row[0] != grouping_signature(self.settings):
                self._rebuild()
            self._state = StoredState(self._db, settings=self.settings)
            self._index = StoryIndex(settings=self.settings, state=self._state)
        assert self._state is not None
        self._state.begin()
        return self._index

    def _rebuild(self) -> None:
        """Inside the caller's write transaction: build the story index of
        every stored document by adding them in their order of arrival and
        replaying recorded splits where they were made, and write it to the
        ``grouping_*`` tables. Where this grouping places documents elsewhere
        than the stored stories, the stories are re-placed to agree with it,
        each move recorded as a change; a story id that no longer holds
        documents becomes an alias of the story that took most of them."""
        index = StoryIndex(settings=self.settings)
        splits: dict[int, list[list[str]]] = {}
        for story, documents, after in self._db.execute(
                "SELECT story, documents, after FROM story_changes WHERE kind = 'split' ORDER BY seq"):
            splits.setdefault(after, []).append([story, *json.loads(documents)])
        stored: dict[str, str] = {}
        for seq, doc_id, record, story in self._db.execute("SELECT seq, id, record, story FROM documents ORDER BY seq"):
            with self._damaged(f"document {doc_id}"):
                document = document_from_record(record, _NO_OFFSETS)
            index.add(document)
            stored[doc_id] = story
            for story_id, *moved in splits.get(seq, []):
                try:
                    index.split(index.story_of(moved[0]), moved)
                except UsageError:
                    pass  # the newer grouping no longer joined them
        placed = {doc_id: index.story(index.story_of(doc_id)).id for doc_id in stored}
        if placed != stored:
            self._replace(index, stored, placed)
        save_index(self._db, index)
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('grouping', ?)",
                         (grouping_signature(self.settings),))

    def _replace(self, index: StoryIndex, stored: dict[str, str], placed: dict[str, str]) -> None:
        """Move documents to the stories grouping now places them in, inside
        the caller's transaction, recording each move."""
        after = self._next_seq() - 1
        moves: dict[tuple[str, str], list[str]] = {}
        for doc_id, story in placed.items():
            if stored[doc_id] != story:
                moves.setdefault((stored[doc_id], story), []).append(doc_id)
        for (old, new), documents in moves.items():
            for doc_id in documents:
                self._db.execute("UPDATE documents SET story = ? WHERE id = ?", (new, doc_id))
            self._change("replace", new, old, documents, after)
        live = set(placed.values())
        for story_id in live:
            self._upsert_story(index.story(int(story_id[1:])))
        for (old,) in self._db.execute("SELECT id FROM stories").fetchall():
            if old not in live:
                # Its id resolves to the story holding most of its old documents.
                heirs = [placed[d] for d, s in stored.items() if s == old]
                self._db.execute("DELETE FROM dossiers WHERE story = ?", (old,))
                self._db.execute("DELETE FROM stories WHERE id = ?", (old,))
                if not heirs:
                    continue
                heir = max(sorted(set(heirs)), key=heirs.count)
                self._db.execute("UPDATE story_aliases SET story = ? WHERE story = ?", (heir, old))
                self._db.execute("INSERT OR REPLACE INTO story_aliases(alias, story) VALUES (?, ?)", (old, heir))

    def regroup(self) -> int:
        """Re-place every stored document as the current grouping places it
        (done on its own when the store is first written to); returns how
        many documents moved. The story index is rebuilt from the documents
        (the one time opening a store costs a pass over it)."""
        before = self._db.execute("SELECT coalesce(max(seq), 0) FROM story_changes").fetchone()[0]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._drop_index()
                self._rebuild()
        except BaseException:
            self._drop_index()
            raise
        return sum(len(json.loads(documents)) for (documents,) in self._db.execute(
            "SELECT documents FROM story_changes WHERE seq > ? AND kind = 'replace'", (before,)))

    def _document_of(self, source: str, sha256: str) -> str | None:
        row = self._db.execute("SELECT document FROM inputs WHERE source = ? AND sha256 = ?", (source, sha256)).fetchone()
        return row[0] if row else None

    def _document_with(self, sha256: str) -> str | None:
        row = self._db.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def _next_seq(self) -> int:
        return (self._db.execute("SELECT max(seq) FROM documents").fetchone()[0] or 0) + 1

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        """How many documents the store holds."""
        count: int = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
        return count

    def stories(self, documents: Iterable[str] | None = None) -> list[Story]:
        """Every story in the store in order of its first document, or only
        those holding one of ``documents`` (ids)."""
        members: dict[str, list[str]] = {}
        for doc_id, story in self._db.execute("SELECT id, story FROM documents ORDER BY seq"):
            members.setdefault(story, []).append(doc_id)
        wanted = None if documents is None else {self._story_of(d) for d in documents}
        return [
            Story(story_id, title, members.get(story_id, []), first, last)
            for story_id, title, first, last in self._db.execute(
                "SELECT id, title, first_published, last_published FROM stories ORDER BY seq")
            if wanted is None or story_id in wanted
        ]

    def resolve(self, story_id: str) -> str:
        """The id a story is known by now: a merged story's id resolves to the
        story it was merged into."""
        row = self._db.execute("SELECT story FROM story_aliases WHERE alias = ?", (story_id,)).fetchone()
        return row[0] if row else story_id

    def story(self, story_id: str) -> Story:
        """One story (an alias gives the story it was merged into). Raises
        UsageError when the store has no such story."""
        story_id = self.resolve(story_id)
        row = self._db.execute(
            "SELECT id, title, first_published, last_published FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            count = self._db.execute("SELECT count(*) FROM stories").fetchone()[0]
            raise UsageError(f"the store {self.path} has no story {story_id!r} (it holds s1…s{count})")
        members = [r[0] for r in self._db.execute("SELECT id FROM documents WHERE story = ? ORDER BY seq", (story_id,))]
        return Story(row[0], row[1], members, row[2], row[3])

    def _story_of(self, doc_id: str) -> str:
        row = self._db.execute("SELECT story FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise UsageError(f"the store {self.path} has no document {doc_id!r}")
        story: str = row[0]
        return story

    def documents(self, ids: Sequence[str] | None = None, *, local: bool = False) -> list[Document]:
        """Stored documents (all, or ``ids`` in that order) with their offset
        maps; with ``local`` they are renumbered d1, d2… in that order."""
        if ids is None:
            ids = [r[0] for r in self._db.execute("SELECT id FROM documents ORDER BY seq")]
        out = []
        for n, doc_id in enumerate(ids, 1):
            row = self._db.execute("SELECT record, offsets FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise UsageError(f"the store {self.path} has no document {doc_id!r}")
            with self._damaged(f"document {doc_id}"):
                out.append(document_from_record(row[0], unpack_offsets(row[1]), doc_id=f"d{n}" if local else None))
        return out

    @contextmanager
    def _damaged(self, what: str) -> Iterator[None]:
        """Turns the errors of decoding a stored record into one
        DamagedStore that names the store and the record."""
        try:
            yield
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, zlib.error,
                sqlite3.DataError, sqlite3.OperationalError) as error:
            # zlib: a damaged offsets blob; sqlite: json_extract on a damaged record.
            raise DamagedStore(self.path, what, error) from None

    def batch(self, story_id: str) -> Batch:
        """A story's documents and their stored analyses, numbered d1, d2… in
        order of arrival as ``accord.analyze`` on those inputs would number them.
        Relative times of undated documents are resolved against the story's
        dated document nearest to each, as when the story is analysed in one
        batch."""
        return self.batch_of(self.story(story_id).documents)

    def batch_of(self, ids: Sequence[str]) -> Batch:
        """Stored documents (each once, in the order given) and their stored
        analyses, numbered d1, d2… as ``batch`` does."""
        ids = list(dict.fromkeys(ids))
        documents = self.documents(ids, local=True)
        analyses = []
        for stored_id, document in zip(ids, documents):
            row = self._db.execute("SELECT record FROM analyses WHERE document = ?", (stored_id,)).fetchone()
            with self._damaged(f"analysis of {stored_id}"):
                if row is None:
                    raise KeyError("no analysis")
                analysis = analysis_from_record(row[0], document)
            analyses.append(analysis)
        # Undated documents take the date of the story's dated document
        # nearest to them, as in a batch (accord.analyze.anchor_undated).
        from accord.analyze import anchor_undated

        return Batch(documents=documents, analyses=anchor_undated(analyses, settings=self.settings))

    def dossier(self, story_id: str) -> Dossier:
        """The dossier of one story: from the cache while the story's documents
        are those it was made from, else made from the stored analyses (no
        spaCy) and cached."""
        story = self.story(story_id)
        key = self._dossier_key(story)
        row = self._db.execute("SELECT key, record FROM dossiers WHERE story = ?", (story.id,)).fetchone()
        if row is not None and row[0] == key:
            documents = self.documents(story.documents, local=True)
            try:
                with self._damaged(f"dossier of {story.id}"):
                    return Dossier(documents=documents, **dossier_parts(json.loads(row[1]), _dossier_fields()))
            except DamagedStore as error:
                # A cache: made again from the analyses (and cached again
                # unless read-only), the damaged row named once.
                log.warning("%s; made again", str(error).removesuffix("; add to a new store"))
        batch = self.batch(story_id)
        result = build_dossier(batch, settings=self.settings)
        result.story = Story(story.id, story.title, [d.id for d in batch.documents],
                             story.first_published, story.last_published)
        if self.readonly:
            return result
        corroborated = sum(1 for fact in result.facts if fact.status == "corroborated")
        data = result.to_dict()
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO dossiers(story, key, record, facts, conflicts, corroborated) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(story) DO UPDATE SET key = excluded.key, record = excluded.record, "
                "facts = excluded.facts, conflicts = excluded.conflicts, corroborated = excluded.corroborated",
                (story.id, key, json.dumps(data, ensure_ascii=False), len(result.facts), len(result.conflicts),
                 corroborated),
            )
            self._record_version(story, key, data)
        return result

    def _record_version(self, story: Story, key: str, data: dict[str, Any]) -> None:
        """Inside the caller's transaction: keep a new version of the story's
        dossier when its documents or what it holds differ from its last
        version (a dossier made again from the same documents and settings
        adds none)."""
        keys = json.dumps(version_keys(data), ensure_ascii=False, separators=(",", ":"))
        last = self._db.execute(
            "SELECT version, key, keys FROM dossier_versions WHERE story = ? ORDER BY version DESC LIMIT 1",
            (story.id,)).fetchone()
        if last is not None and last[1] == key and last[2] == keys:
            return
        after = max((int(d[1:]) for d in story.documents), default=0)
        self._db.execute(
            "INSERT INTO dossier_versions(story, version, made, after, key, documents, keys) "
            "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)",
            (story.id, (last[0] if last else 0) + 1, after, key, json.dumps(list(story.documents)), keys))

    def versions(self, story_id: str) -> list[dict[str, Any]]:
        """The versions of a story's dossier, oldest first: ``{version, made,
        documents}`` (made: UTC time it was recorded; documents: how many).
        A version is recorded whenever the story's dossier is made in a
        writable store and differs from the last one; a store opened
        read-only from before versions were kept has none."""
        story = self.story(story_id)
        if not self._has_versions():
            return []
        return [
            {"version": version, "made": made, "documents": len(json.loads(documents))}
            for version, made, documents in self._db.execute(
                "SELECT version, made, documents FROM dossier_versions WHERE story = ? ORDER BY version",
                (story.id,))
        ]

    def dossier_changes(self, story_id: str, since: int, dossier: Dossier | None = None) -> dict[str, Any]:
        """What the story's dossier (``dossier`` when given, else the current
        one) holds that its version ``since`` did not, and what went away
        (``accord.store.versions.changes_between``), with ``since`` and
        ``version`` saying which versions are compared (``version`` is None
        when the current dossier is not recorded: a read-only store) and
        ``documents`` how many documents each had. Raises UsageError when
        the story has no version ``since``."""
        story = self.story(story_id)
        row = self._version_row(story.id, since)
        if dossier is None:
            dossier = self.dossier(story.id)
        data = dossier.to_dict()
        current = self._db.execute(
            "SELECT version, made FROM dossier_versions WHERE story = ? AND key = ? AND keys = ? "
            "ORDER BY version DESC LIMIT 1",
            (story.id, self._dossier_key(story),
             json.dumps(version_keys(data), ensure_ascii=False, separators=(",", ":")))).fetchone()
        with self._damaged(f"version {since} of {story.id}"):
            before = json.loads(row[2])
            changes = changes_between(before, data)
        return {
            "since": {"version": since, "made": row[0], "documents": len(json.loads(row[1]))},
            "version": {"version": current[0] if current else None, "made": current[1] if current else None,
                        "documents": len(data.get("documents", []))},
            **changes,
        }

    def dossier_version(self, story_id: str, number: int) -> dict[str, Any]:
        """Version ``number`` of a story's dossier as ``versions`` lists it.
        Raises UsageError when the story has no such version."""
        story = self.story(story_id)
        made, documents, _ = self._version_row(story.id, number)
        return {"version": number, "made": made, "documents": len(json.loads(documents))}

    def _version_row(self, story_id: str, number: int) -> tuple[str, str, str]:
        """(made, documents, keys) of a version; UsageError when there is none."""
        row = None
        if self._has_versions():
            row = self._db.execute(
                "SELECT made, documents, keys FROM dossier_versions WHERE story = ? AND version = ?",
                (story_id, number)).fetchone()
        if row is None:
            known = self.versions(story_id)
            have = (f"it has version{'s 1…' if len(known) > 1 else ' '}{known[-1]['version']}" if known
                    else "it has none yet: a version is kept each time its dossier is made in a writable store")
            raise UsageError(f"story {story_id} has no version {number} ({have})")
        return row[0], row[1], row[2]

    def _has_versions(self) -> bool:
        """Whether the file has the versions table (a store of schema 1 or 2
        opened read-only has not)."""
        return self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dossier_versions'").fetchone() is not None

    def counts(self, story_id: str) -> dict[str, int]:
        """How many documents, facts and conflicts a story's dossier holds
        (the dossier is made only when its cached one is out of date)."""
        story = self.story(story_id)
        row = self._db.execute("SELECT key, facts, conflicts FROM dossiers WHERE story = ?", (story.id,)).fetchone()
        if row is None or row[0] != self._dossier_key(story):
            self.dossier(story_id)
            row = self._db.execute("SELECT key, facts, conflicts FROM dossiers WHERE story = ?", (story.id,)).fetchone()
        return {"documents": len(story.documents), "facts": row[1], "conflicts": row[2]}

    def catalog(self) -> list[dict[str, Any]]:
        """One row per story, in order of its first document, for listing many
        stories at once without making any dossier: id, title, dates, document
        count, outlets, and the counts of its cached dossier (facts,
        corroborated, conflicts; None when no up-to-date dossier is cached)."""
        outlets: dict[str, set[str]] = {}
        hashes: dict[str, list[str]] = {}
        for story, outlet, sha256 in self._db.execute(
                # A damaged record gives no outlet here (its story is still
                # listed); reading that document names it (DamagedStore).
                "SELECT story, CASE WHEN json_valid(record) THEN json_extract(record, '$.outlet') END, sha256 "
                "FROM documents"):
            hashes.setdefault(story, []).append(sha256)
            if outlet:
                outlets.setdefault(story, set()).add(outlet)
        cached = {
            story: (key, facts, corroborated, conflicts)
            for story, key, facts, corroborated, conflicts in self._db.execute(
                "SELECT story, key, facts, corroborated, conflicts FROM dossiers")
        }
        rows = []
        for story_id, title, first, last in self._db.execute(
                "SELECT id, title, first_published, last_published FROM stories ORDER BY seq"):
            members = hashes.get(story_id, [])
            counts = cached.get(story_id)
            fresh = counts if counts is not None and counts[0] == _key(story_id, members) else None
            rows.append({
                "id": story_id,
                "title": title,
                "first_published": first,
                "last_published": last,
                "documents": len(members),
                "outlets": sorted(outlets.get(story_id, ())),
                "facts": fresh[1] if fresh else None,
                "corroborated": fresh[2] if fresh else None,
                "conflicts": fresh[3] if fresh else None,
            })
        return rows

    def version(self) -> tuple[int, int]:
        """A value that changes whenever any connection commits to the store
        (SQLite's data_version counts the others' commits, total_changes this
        connection's), so a reader knows when to look again."""
        return (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)

    def record_poll(self, feed: str, *, ok: bool, new: int, known: int, error: str | None = None) -> None:
        """Remember what a poll of ``feed`` saw (``accord watch`` calls it)."""
        if self.readonly:
            return
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO feeds(url, polls, last_poll, status, new, known, error) "
                "VALUES (?, 1, datetime('now'), ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "polls = polls + 1, last_poll = excluded.last_poll, status = excluded.status, "
                "new = excluded.new, known = excluded.known, error = excluded.error",
                (feed, "ok" if ok else "down", new, known, error),
            )

    def feeds(self) -> list[dict[str, Any]]:
        """Every feed ``accord watch`` polled into this store, with its last poll."""
        columns = ("url", "polls", "last_poll", "status", "new", "known", "error")
        return [dict(zip(columns, row)) for row in self._db.execute(
            f"SELECT {', '.join(columns)} FROM feeds ORDER BY url")]

    def cached(self, story_id: str) -> bool:
        """Whether the story's dossier is cached and up to date."""
        story = self.story(story_id)
        row = self._db.execute("SELECT key FROM dossiers WHERE story = ?", (story.id,)).fetchone()
        return row is not None and row[0] == self._dossier_key(story)

    def _dossier_key(self, story: Story) -> str:
        return _key(story.id, [r[0] for r in self._db.execute("SELECT sha256 FROM documents WHERE story = ?", (story.id,))])

    def check(self) -> list[str]:
        """What is wrong with the file: SQLite's integrity check, plus documents
        without an analysis or a story. Empty when all is well."""
        problems = [r[0] for r in self._db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"document {r[0]} has no analysis" for r in self._db.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT document FROM analyses)")]
        problems += [f"document {r[0]} is in no known story" for r in self._db.execute(
            "SELECT id FROM documents WHERE story IS NULL OR story NOT IN (SELECT id FROM stories)")]
        return problems


def _key(story_id: str, hashes: Sequence[str]) -> str:
    """The cache key of a story's dossier: its id and its documents' hashes."""
    return hashlib.sha256("\n".join([story_id, *sorted(hashes)]).encode()).hexdigest()


#: Grouping reads text, title and date only; an empty map spares unpacking.
_NO_OFFSETS = OffsetMap(())


def _renumbered(document: Document, analysis: Analysis, doc_id: str) -> tuple[Document, Analysis]:
    """The document and its analysis under another id (another process took
    the id it was cleaned under), through the store's own records."""
    renamed = document_from_record(document_record(document), document.offsets, doc_id=doc_id)
    return renamed, analysis_from_record(analysis_record(analysis), renamed)




def _dossier_fields() -> dict[str, Any]:
    """The fields of a Dossier and their types."""
    import accord.runner

    return typing.get_type_hints(Dossier, vars(accord.runner))
