"""Archive runs (``accord run``): any number of inputs through the pipeline in
shards, on any executor, with a result that survives a kill.

Under the output folder::

    shards/00000.jsonl.gz   each document of the shard with its analysis (or
                            why it was skipped), one JSON object a line
    shards/00000.done       the shard's completion marker: its documents'
                            ids and hashes, counts and rejects
    stories.json            the stories (grouping over every shard)
    dossiers/s1.json        one dossier per story (+ s1.done: its key), and
    dossiers/s1.html        the same dossier as a page
    index.json              counts, stories (with their outlets and counts of
                            facts and conflicts), dossier files, what was skipped
    index.html              the same stories as a page, each linked to its
                            dossier's page (as ``accord dossier -o DIR/``)
    rejects.jsonl           inputs that failed inside accord, with tracebacks

Running the same command again reads the inputs again (ids are positions in
the stream of documents, so they must be counted), but a shard whose marker
names the same documents with the same fingerprint is not cleaned or analysed
again, and a dossier whose story has the same documents (content and
metadata) is not made again. A document's fingerprint covers its source, the
digest of its bytes and every field of metadata it was read with (what a
sidecar, a manifest, the run's options or the outlet registry said), and a
shard's covers its inputs skipped too: an input edited, or a sidecar added
or edited, after a finished run makes its shard (and its story's dossier)
be redone, counted in ``RunSummary.shards_changed``.

The per-input work (read: extraction, metadata), the per-document step
(clean, analyse) and the per-story step (dossiers) are those of
``accord.runner``, and run on the executor;
opening files, numbering, grouping and writing stay here, so a remote Dask
cluster needs no access to the input or output folders. An input too large
to hold in memory (a big WARC or JSON Lines file) is read here, record by
record.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from accord.errors import UsageError
from accord.executors import Executor, make_executor
from accord.ingest import Reading
from accord.model import Analysis, Article, Document, RawDocument, Skipped, Story
from accord.runner import (
    Counts,
    DocumentWork,
    Progress,
    Reject,
    StoryFailure,
    StoryWork,
    Worked,
    document_line,
    from_line,
    make_dossiers,
    process_documents,
    read_numbered,
)
from accord.settings import DEFAULT, Settings

__all__ = ["INDEX_SCHEMA", "RunSummary", "run", "read_shard"]

INDEX_SCHEMA = "accord.run/1"
Item = str | os.PathLike[str] | Article


def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


@dataclass(slots=True)
class RunSummary:
    """What a run did: counts per stage (summed over every worker), the
    inputs skipped (with reasons) and the rejects (internal errors, with
    tracebacks), shards done now and shards found done before, stories."""

    counts: Counts = field(default_factory=Counts)
    skipped: list[Skipped] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    shards: int = 0
    shards_done_before: int = 0
    #: Shards found with a marker whose inputs changed since (an input's
    #: bytes, its sidecar, the documents the shard holds): redone.
    shards_changed: int = 0
    stories: list[Story] = field(default_factory=list)
    dossiers_made: int = 0
    documents: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Documents cleaned and analysed by this run (not found done before).
    processed: int = 0
    #: Wall seconds of each phase: "documents" (read, clean, analyse, write
    #: shards), "stories" (grouping), "dossiers".
    timings: dict[str, float] = field(default_factory=dict)
    #: Stories whose dossier failed (each with a one-line reason); the others were made.
    failed: list[StoryFailure] = field(default_factory=list)
    #: With a store: inputs kept once because their bytes are another's
    #: (``accord.store.Duplicate``, naming both). A folder run keeps each.
    duplicates: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts.to_dict(),
            "shards": self.shards,
            "shards_done_before": self.shards_done_before,
            "shards_changed": self.shards_changed,
            "processed": self.processed,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "dossiers_made": self.dossiers_made,
            "skipped": [s.to_dict() for s in self.skipped],
            "rejects": [{"source": r.source, "reason": r.reason} for r in self.rejects],
            "failed": [f.to_dict() for f in self.failed],
            "duplicates": [d.to_dict() for d in self.duplicates],
        }


# --------------------------------------------------------------------------- shards


@dataclass(frozen=True, slots=True)
class _ShardPiece:
    """A task of the per-document map for a run: a batch of documents whose
    results come back as the lines of a shard file."""

    work: DocumentWork

    # The executors' Budgeted protocol, as its DocumentWork answers it.
    def deadline(self) -> float:
        return self.work.deadline()

    def parts(self) -> tuple["_ShardPiece", ...]:
        return tuple(_ShardPiece(part) for part in self.work.parts())

    def joined(self, results: Sequence["_PieceDone"]) -> "_PieceDone":
        joined = _PieceDone([], [], [], [], Counts())
        for done in results:
            joined.lines.extend(done.lines)
            joined.ids.extend(done.ids)
            joined.skipped.extend(done.skipped)
            joined.rejects.extend(done.rejects)
            joined.counts.add(done.counts)
        return joined

    def overrun(self, died: str | None) -> "_PieceDone":
        return _piece_done(self.work.overrun(died))


@dataclass(slots=True)
class _PieceDone:
    lines: list[str]
    ids: list[tuple[str, str]]
    skipped: list[Skipped]
    rejects: list[Reject]
    counts: Counts


def _process_piece(piece: _ShardPiece) -> _PieceDone:
    """Clean and analyse a batch and write each result as a shard line, on
    the worker (so the driver only compresses and writes)."""
    return _piece_done(process_documents(piece.work))


def _piece_done(worked: Worked) -> _PieceDone:
    """A batch's results as the lines of a shard file."""
    lines: list[str] = []
    ids: list[tuple[str, str]] = []
    skipped: list[Skipped] = []
    for entry in worked.entries:
        if isinstance(entry, Skipped):
            skipped.append(entry)
            lines.append(json.dumps({"skipped": entry.to_dict()}, ensure_ascii=False))
            continue
        document, analysis = entry
        ids.append((document.id, document.sha256))
        lines.append(document_line(document, analysis))
    return _PieceDone(lines, ids, skipped, worked.rejects, worked.counts)


def read_shard(path: str | os.PathLike[str], *, doc_id: Callable[[str], str | None] = lambda stored: None,
               offsets: bool = True, analyses: bool = True) -> Iterator[tuple[Document, Analysis | None] | Skipped]:
    """The documents (with their analyses) and the skipped inputs of one
    shard file, in order. ``doc_id`` renames a document (None keeps its id);
    without ``offsets`` documents come without their offset maps, without
    ``analyses`` without their analyses (cheaper, enough for grouping)."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            data = json.loads(line)
            if "skipped" in data:
                yield Skipped(data["skipped"]["source"], data["skipped"]["reason"])
                continue
            yield from_line(data, doc_id(data["id"]), offsets, analyses)


@dataclass(slots=True)
class _Shard:
    number: int
    documents: list[tuple[str, RawDocument]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def key(self) -> list[list[str]]:
        return [[doc_id, raw.sha256] for doc_id, raw in self.documents]

    def fingerprint(self) -> str:
        """A digest of everything read into this shard: each document's id
        and ``raw_fingerprint``, and each input skipped with its reason (a
        sidecar made bad skips its input; made good, reads it)."""
        record = {"documents": [[doc_id, raw_fingerprint(raw)] for doc_id, raw in self.documents],
                  "skipped": [[s.source, s.reason] for s in self.skipped]}
        return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


#: The fields of a RawDocument that say where it came from and what is
#: known of it; what a sidecar, a manifest or the outlet registry sets is
#: among them, so a change there changes the fingerprint.
_READ_FIELDS = ("source", "format", "sha256", "title", "outlet", "authors", "published", "language", "credits",
                "wire", "url", "owner", "outlet_kind")


def raw_fingerprint(raw: RawDocument) -> str:
    """A digest of a document as read: its source, the digest of its bytes
    and its metadata. Equal fingerprints read the same document."""
    record = {name: getattr(raw, name) for name in _READ_FIELDS}
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _shards(entries: Iterable[tuple[str, RawDocument] | Skipped], size: int) -> Iterator[_Shard]:
    """The stream of documents cut into shards of ``size`` documents; inputs
    skipped while reading go to the shard being filled."""
    shard = _Shard(0)
    for entry in entries:
        if isinstance(entry, Skipped):
            shard.skipped.append(entry)
            continue
        shard.documents.append(entry)
        if len(shard.documents) >= size:
            yield shard
            shard = _Shard(shard.number + 1)
    if shard.documents or shard.skipped:
        yield shard


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a kill leaves no half file under the
    final name."""
    # A name of its own (issue 25: two runs on one --out shared one ".partial").
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    partial = Path(name)
    mask = os.umask(0)
    os.umask(mask)
    os.fchmod(descriptor, 0o666 & ~mask)  # as open() would have made it, not mkstemp's 0600
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, path)


# --------------------------------------------------------------------------- the run


def run(
    items: Iterable[Item] | Item,
    *,
    out: str | os.PathLike[str] | None = None,
    store: str | os.PathLike[str] | None = None,
    executor: Executor | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    shard_size: int | None = None,
    settings: Settings = DEFAULT,
    progress: Progress = _quiet,
    reading: Reading | None = None,
) -> RunSummary:
    """Run an archive through the pipeline: documents cleaned and analysed in
    shards (on ``executor``: an Executor, or "inprocess", "pool", "dask"; by
    default a pool of the machine's cores), grouped into stories, one
    dossier per story, all written under ``out`` (see the module's
    docstring). With ``store`` instead, the documents go into that store
    (``accord.Store``), analysed on the executor. ``reading`` says how to
    read the inputs (field mapping, metadata, manifest, outlets), as for
    ``accord.ingest``. Returns what was done."""
    if (out is None) == (store is None):
        raise UsageError("accord run writes to a folder (--out DIR) or a store (--store FILE): give one of them")
    size = settings.shard_documents if shard_size is None else shard_size
    if size < 1:
        raise UsageError(f"--shard-size takes a count of 1 or more, not {size}")
    owned = not isinstance(executor, Executor)
    runner: Executor = executor if isinstance(executor, Executor) else make_executor(
        executor, workers=workers, scheduler=scheduler, memory_mb=settings.input_memory_mb)
    started = time.monotonic()
    try:
        if store is not None:
            summary = _into_store(items, Path(store), runner, settings, progress, reading)
        else:
            assert out is not None  # one of the two, checked above
            summary = _into_folder(items, Path(out), runner, size, settings, progress, reading)
    finally:
        if owned:
            runner.close()
    summary.seconds = time.monotonic() - started
    return summary


def _into_folder(
    items: Iterable[Item] | Item, out: Path, runner: Executor, size: int, settings: Settings, progress: Progress,
    reading: Reading | None = None,
) -> RunSummary:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder (created when missing)")
    shard_dir = out / "shards"
    shard_dir.mkdir(parents=True, exist_ok=True)
    with _only_run(out):
        return _fill_folder(items, out, shard_dir, runner, size, settings, progress, reading)


@contextmanager
def _only_run(out: Path) -> Iterator[None]:
    """Hold ``out`` for this run: a second run on the same folder while this
    one goes on is refused with one line (UsageError), instead of both
    doing the same work and writing over each other's files. The lock is
    the kernel's (released when the process ends, however it ends)."""
    path = out / ".accord-run.lock"
    try:
        stream = open(path, "a+", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--out {out}: cannot make its lock file ({error.strerror or error})") from None
    with stream:
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another accord run is writing to {out}; wait for it to end, or give "
                             "another --out") from None
        try:
            yield
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


def _fill_folder(
    items: Iterable[Item] | Item, out: Path, shard_dir: Path, runner: Executor, size: int, settings: Settings,
    progress: Progress, reading: Reading | None,
) -> RunSummary:
    summary = RunSummary()
    reading_rejects: list[Reject] = []
    started = time.monotonic()
    documents_done = 0
    # Which pieces belong to which shard, in the order the executor returns them.
    open_shards: dict[int, dict[str, Any]] = {}

    def pieces() -> Iterator[_ShardPiece]:
        nonlocal documents_done
        for shard in _shards(read_numbered(items, reading_rejects, executor=runner, reading=reading), size):
            summary.shards += 1
            marker = shard_dir / f"{shard.number:05d}.done"
            done = _marker(marker)
            if done is not None:
                if (done.get("documents") == shard.key() and done.get("fingerprint") == shard.fingerprint()
                        and (shard_dir / f"{shard.number:05d}.jsonl.gz").exists()):
                    summary.shards_done_before += 1
                    _count_marker(summary, done)
                    documents_done += len(shard.documents)
                    _show(progress, summary, documents_done, started)
                    continue
                # Finished before on other inputs (or on these before they
                # changed): redone, and the run says how many.
                summary.shards_changed += 1
            chunks = [tuple(shard.documents[i:i + settings.task_documents])
                      for i in range(0, len(shard.documents), settings.task_documents)] or [()]
            open_shards[shard.number] = {"shard": shard, "left": len(chunks), "done": []}
            for chunk in chunks:
                yield _ShardPiece(DocumentWork(chunk, True, settings))

    # Pieces come back in the order they were made, so the shards complete in
    # order: each is written when its last piece is back.
    order: list[int] = []

    def tagged() -> Iterator[_ShardPiece]:
        for piece in pieces():
            order.append(max(open_shards))
            yield piece

    shard_numbers = iter(order)
    for done in runner.map(_process_piece, tagged()):
        number = next(shard_numbers)
        state = open_shards[number]
        state["done"].append(done)
        state["left"] -= 1
        documents_done += len(done.ids) + len(done.skipped)
        if state["left"] == 0:
            _finish_shard(shard_dir, state["shard"], state["done"], summary)
            del open_shards[number]
        _show(progress, summary, documents_done, started)
    for reject in reading_rejects:
        summary.rejects.append(reject)
    summary.timings["documents"] = time.monotonic() - started
    _stories_and_dossiers(out, summary, runner, settings, progress)
    _write_index(out, summary)
    return summary


def _show(progress: Progress, summary: RunSummary, documents: int, started: float) -> None:
    # The stage names the shard only: a callback keys on the stage name, and
    # the rate is the display's to compute from the counts (it changed on
    # every call when it was part of the name).
    progress(f"shard {summary.shards} ({summary.shards_done_before} done before)", documents, None)


def _marker(path: Path) -> dict[str, Any] | None:
    """A shard's completion marker, or None when there is none (the shard
    was never finished) or it cannot be read (then the shard is redone)."""
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # a marker there but unreadable: not done, and counted as changed
    return done if isinstance(done, dict) else {}


def _count_marker(summary: RunSummary, done: dict[str, Any]) -> None:
    counts = done["counts"]
    summary.counts.add(Counts.from_dict({**counts, "stories": 0}))
    summary.skipped.extend(Skipped(s["source"], s["reason"]) for s in done["skipped"])
    summary.rejects.extend(Reject(r["source"], r["stage"], r["reason"], r["traceback"]) for r in done["rejects"])


def _finish_shard(shard_dir: Path, shard: _Shard, pieces: list[_PieceDone], summary: RunSummary) -> None:
    """Write a shard's file, then its marker (the marker last: a shard with a
    marker is complete)."""
    counts = Counts()
    for entry in shard.skipped:
        counts.skip(entry)
    skipped = list(shard.skipped)
    rejects: list[Reject] = []
    lines = [json.dumps({"skipped": s.to_dict()}, ensure_ascii=False) for s in shard.skipped]
    for piece in pieces:
        lines.extend(piece.lines)
        counts.add(piece.counts)
        skipped.extend(piece.skipped)
        rejects.extend(piece.rejects)
    body = gzip.compress(("\n".join(lines) + "\n").encode("utf-8") if lines else b"", compresslevel=6, mtime=0)
    _write_atomic(shard_dir / f"{shard.number:05d}.jsonl.gz", body)
    marker = {
        "shard": shard.number,
        "documents": shard.key(),
        "fingerprint": shard.fingerprint(),
        "counts": counts.to_dict(),
        "skipped": [s.to_dict() for s in skipped],
        "rejects": [r.to_dict() for r in rejects],
    }
    _write_atomic(shard_dir / f"{shard.number:05d}.done", json.dumps(marker, ensure_ascii=False).encode("utf-8"))
    summary.counts.add(counts)
    summary.processed += len(shard.documents)
    summary.skipped.extend(skipped)
    summary.rejects.extend(rejects)


# --------------------------------------------------------------------------- stories and dossiers


def _shard_files(out: Path) -> list[Path]:
    return sorted((out / "shards").glob("*.jsonl.gz"), key=lambda p: int(p.name.split(".")[0]))


def _stories_and_dossiers(out: Path, summary: RunSummary, runner: Executor, settings: Settings,
                          progress: Progress) -> None:
    """The grouping reduce over every shard, then the per-story map."""
    from accord.group import StoryIndex

    started = time.monotonic()
    index = StoryIndex(settings=settings)
    member_of: dict[str, int] = {}
    shas: dict[str, str] = {}
    sources: dict[str, str] = {}
    files = _shard_files(out)[: summary.shards]
    progress("stories", 0, None)
    for path in files:
        for entry in read_shard(path, offsets=False, analyses=False):
            if isinstance(entry, Skipped):
                continue
            document, _ = entry
            member_of[document.id] = index.add(document)
            shas[document.id] = _document_digest(document)
            sources[document.id] = document.source
            summary.documents.append(document.id)
            progress("stories", len(member_of), None)
    stories = index.stories()
    summary.stories = stories
    summary.counts.stories = len(stories)
    listing = [{**s.to_dict(), "sources": [sources[d] for d in s.documents]} for s in stories]
    _write_atomic(out / "stories.json", (json.dumps({"stories": listing}, ensure_ascii=False, indent=2) + "\n").encode())

    summary.timings["stories"] = time.monotonic() - started
    started = time.monotonic()
    dossier_dir = out / "dossiers"
    dossier_dir.mkdir(exist_ok=True)
    keys = {s.id: _story_key(s, shas) for s in stories}
    todo = [s for s in stories if not _dossier_current(dossier_dir, s.id, keys[s.id])]
    # One pass over the shards fills each story; a story's task is made when
    # its last document is read, so only stories still open are in memory.
    wanted = {d: s.id for s in todo for d in s.documents}

    def tasks() -> Iterator[StoryWork]:
        lines: dict[str, dict[str, str]] = {s.id: {} for s in todo}
        by_id = {s.id: s for s in todo}
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8") as stream:
                for line in stream:
                    if not line.startswith('{"id":"'):
                        continue  # a skipped input
                    story_id = wanted.get(line[7:line.index('"', 7)])
                    if story_id is None:
                        continue
                    held = lines[story_id]
                    held[line[7:line.index('"', 7)]] = line
                    story = by_id[story_id]
                    if len(held) == len(story.documents):
                        del lines[story_id]
                        # Numbered d1, d2... in story order, as ``accord
                        # dossier`` on the same inputs numbers them.
                        yield StoryWork(story, lines=tuple(held[d] for d in story.documents),
                                        formats=("json", "html"), settings=settings)

    made = 0
    for done in make_dossiers(tasks(), executor=runner, total=len(todo), progress=progress):
        if done.failure is not None:
            summary.failed.append(done.failure)
            summary.counts.failed_stories += 1
            continue
        _write_atomic(dossier_dir / f"{done.story}.json", done.rendered["json"].encode("utf-8"))
        _write_atomic(dossier_dir / f"{done.story}.html", done.rendered["html"].encode("utf-8"))
        # The marker last: a story with a marker has both files.
        _write_atomic(dossier_dir / f"{done.story}.done", keys[done.story].encode("ascii"))
        made += 1
    summary.dossiers_made = made
    summary.counts.dossiers = made
    summary.timings["dossiers"] = time.monotonic() - started


def _document_digest(document: Document) -> str:
    """A digest of a clean document but for its id (its content and its
    metadata): a dossier is made again when any of its documents' changes."""
    record = {k: v for k, v in document.to_dict().items() if k != "id"}
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _story_key(story: Story, shas: dict[str, str]) -> str:
    return hashlib.sha256("\n".join([story.id, *(shas[d] for d in story.documents)]).encode()).hexdigest()


def _dossier_current(dossier_dir: Path, story_id: str, key: str) -> bool:
    marker = dossier_dir / f"{story_id}.done"
    return (marker.exists() and (dossier_dir / f"{story_id}.json").exists()
            and (dossier_dir / f"{story_id}.html").exists() and marker.read_text() == key)


def _story_entry(out: Path, story: Story) -> dict[str, Any]:
    """A story of the index: its fields, documents and dossier file, and
    from the dossier (when it was made) its outlets and counts, as
    ``accord dossier -o DIR/`` lists them."""
    entry: dict[str, Any] = {**story.to_dict(), "documents": list(story.documents),
                             "dossier": f"dossiers/{story.id}.json", "html": f"dossiers/{story.id}.html"}
    try:
        dossier = json.loads((out / entry["dossier"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return entry  # no dossier (yet): the story is listed without counts
    facts = dossier.get("facts") or []
    entry["outlets"] = sorted({d["outlet"] for d in dossier.get("documents") or [] if d.get("outlet")})
    entry["counts"] = {
        "documents": len(dossier.get("documents") or []),
        "facts": len(facts),
        "corroborated": sum(1 for f in facts if f.get("status") == "corroborated"),
        "conflicts": len(dossier.get("conflicts") or []),
    }
    return entry


def _write_index(out: Path, summary: RunSummary) -> None:
    """``index.json``, ``index.html`` (the same stories as a page) and
    ``rejects.jsonl``."""
    from accord import __version__
    from accord.render import to_index_html

    stories = [_story_entry(out, s) for s in summary.stories]
    index: dict[str, Any] = {
        "schema": INDEX_SCHEMA,
        "accord_version": __version__,
        "counts": summary.counts.to_dict(),
        "shards": summary.shards,
        "stories": stories,
        "skipped": [s.to_dict() for s in summary.skipped],
        "rejects": len(summary.rejects),
    }
    if summary.failed:
        index["failed"] = [f.to_dict() for f in summary.failed]
    _write_atomic(out / "index.json", (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode())
    # The page links each story to its dossier's page, not to its JSON.
    page = {**index, "stories": [{**s, "dossier": s["html"]} for s in stories]}
    _write_atomic(out / "index.html", to_index_html(page).encode("utf-8"))
    _write_atomic(out / "rejects.jsonl", "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n"
                                                 for r in summary.rejects).encode("utf-8"))


# --------------------------------------------------------------------------- into a store


def _into_store(items: Iterable[Item] | Item, path: Path, runner: Executor, settings: Settings,
                progress: Progress, reading: Reading | None = None) -> RunSummary:
    """Feed the store: it reads, dedupes, cleans, groups and commits; the
    executor analyses each chunk of new documents by the runner's
    per-document step."""
    from accord.store import Store

    summary = RunSummary()

    def analyzer(documents: Sequence[Document]) -> Iterator[Analysis]:
        chunks = [tuple(documents[i:i + settings.task_documents])
                  for i in range(0, len(documents), settings.task_documents)]
        work = (DocumentWork(tuple((d.id, d) for d in chunk), True, settings) for chunk in chunks)
        for chunk, worked in zip(chunks, runner.map(process_documents, work)):
            summary.rejects.extend(worked.rejects)
            for document, entry in zip(chunk, worked.entries):
                # A store keeps every document it takes: one whose analysis
                # failed is kept with nothing found in it (see rejects).
                found = None if isinstance(entry, Skipped) else entry[1]
                yield found if found is not None else Analysis(document)

    with Store.open(path, analyzer=analyzer, settings=settings) as store:
        added = store.add(items, progress=progress, reading=reading)
        summary.skipped = added.skipped
        summary.duplicates = added.duplicates
        summary.rejects.extend(added.rejects)
        summary.documents = added.documents
        summary.counts.read = len(added.documents)
        summary.counts.analysed = added.analysed
        summary.processed = added.analysed
        for entry in added.skipped:
            summary.counts.skip(entry)
        summary.stories = store.stories(added.documents)
        summary.counts.stories = len(summary.stories)
    return summary
