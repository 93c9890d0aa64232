"""The runner: the one place where the stages are driven, for every entry
point (the API in ``accord.pipeline``, the CLI, the store, archive runs and
``accord watch``).

It has three shapes, so that an executor can run the work anywhere:

- the per-input read (``read_one``, numbered by ``read_numbered``): extraction
  and metadata of one input;
- the **per-document step** (``process_documents``): clean, then analyse, a
  batch of documents. A document's id is its position among the documents
  read (d1, d2, ... in the inputs' canonical order), given before any work is shipped, so ids
  are the same on every executor;
- the **per-story step** (``story_step``): the story's reference dates, then
  compare, synthesize and (when asked) render one story's dossier.

Every piece of work on one input or one story runs under ``attempt``: an
unexpected exception becomes that input's ``Skipped`` entry ("internal error
in STAGE: ...", its traceback kept as a ``Reject``) or that story's
``StoryFailure`` (one line), and the batch goes on. ``attempt`` also holds
each document's cleaning and analysis to its time budget
(``Settings.input_seconds``): an overrun is that input's skip ("took over
N s in STAGE; not analysed"), as is a MemoryError. In this process the
budget interrupts Python code only (``accord.budget``); the pool executor
also stops a worker whose task runs past its deadline (``DocumentWork.deadline``)
and retries the task's other documents, so there it is enforced strictly.

Both steps take ``Settings`` whole and count what each stage kept and
rejected (``Counts``).
"""

from __future__ import annotations

import base64
import functools
import glob
import hashlib
import json
import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from accord import clean as clean_stage
from accord import group as group_stage
from accord import ingest as ingest_stage
from accord.budget import time_limit
from accord.errors import BudgetExceeded, InputError, UsageError
from accord.executors import Executor, InProcessExecutor, make_executor
from accord.ingest import Reading
from accord.ingest.outlets import OutletRegistry, registry_for
from accord.ingest.sources import Input, expand
from accord.model import (
    Analysis,
    Article,
    Conflict,
    Coverage,
    Document,
    Entity,
    Fact,
    OffsetMap,
    Quote,
    RawDocument,
    Skipped,
    Statement,
    Story,
    SummarySentence,
    TimelineEntry,
)
from accord.settings import DEFAULT, Settings

__all__ = [
    "Batch", "Counts", "DocumentWork", "Dossier", "Failure", "Item", "Outlets", "Progress", "Reject", "SCHEMA_ID",
    "StoryDone", "StoryFailure", "StoryWork", "Worked", "attempt", "check_manifest", "clean_one", "document_line", "documents", "from_line",
    "make_dossiers", "process_documents", "read_numbered", "read_one", "render_dossier", "stories_listing", "story_dossier", "input_key", "story_entry", "story_step",
]

SCHEMA_ID = "accord.dossier/1"
Item = str | os.PathLike[str] | Article
#: An outlet registry, or the path of a file that extends the shipped one.
Outlets = OutletRegistry | str | os.PathLike[str] | None
#: Called as ``progress(stage, done, total)`` while long work goes on.
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")

log = logging.getLogger("accord")



def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


# --------------------------------------------------------------------------- what a run counts


@dataclass(frozen=True, slots=True)
class Reject:
    """An input skipped because of an internal error: the stage it failed in
    and the traceback (shown with ``-v``, kept in a run's rejects file)."""

    source: str
    stage: str
    reason: str
    traceback: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "stage": self.stage, "reason": self.reason, "traceback": self.traceback}


@dataclass(slots=True)
class Counts:
    """What a run did, stage by stage, summed over every worker: documents
    read from the inputs, cleaned and analysed (what each stage kept), inputs
    skipped by reason (what a stage rejected: "internal error in clean"
    names the stage), stories made, dossiers made and stories whose dossier
    failed."""

    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    analysed: int = 0
    stories: int = 0
    cleaned: int = 0
    dossiers: int = 0
    failed_stories: int = 0

    def skip(self, entry: Skipped) -> None:
        reason = _reason_kind(entry.reason)
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, other: "Counts") -> None:
        self.read += other.read
        self.cleaned += other.cleaned
        self.analysed += other.analysed
        self.stories += other.stories
        self.dossiers += other.dossiers
        self.failed_stories += other.failed_stories
        for reason, n in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + n

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "skipped": dict(sorted(self.skipped.items())),
                "analysed": self.analysed, "stories": self.stories}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Counts":
        return cls(data["read"], dict(data["skipped"]), data["analysed"], data.get("stories", 0))

    def line(self) -> str:
        """One line for a person: ``read 12, analysed 11, skipped 1 (empty 1)``."""
        skipped = sum(self.skipped.values())
        parts = [f"read {self.read}", f"analysed {self.analysed}"]
        if self.stories:
            parts.append(f"stories {self.stories}")
        if self.failed_stories:
            parts.append(f"stories failed {self.failed_stories}")
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.skipped.items()))
        parts.append(f"skipped {skipped}" + (f" ({reasons})" if reasons else ""))
        return ", ".join(parts)


def _reason_kind(reason: str) -> str:
    """A skip reason without its particulars ("file too large (12 MB; ...)"
    -> "file too large"), to count skips by kind."""
    if reason.startswith("internal error in "):
        return reason.split(":", 1)[0]
    return reason.split("(", 1)[0].split(":", 1)[0].split(";", 1)[0].strip() or "unknown"


@dataclass(slots=True)
class Batch:
    """The documents read from some inputs, what was skipped, and (after
    analysis) what was found in each document; ``counts`` and ``rejects`` say
    what each stage did and which inputs failed inside accord."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    analyses: list[Analysis] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    rejects: list[Reject] = field(default_factory=list)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


@dataclass(slots=True)
class Dossier:
    """What a story's reports say together, with every sentence cited."""

    story: Story
    documents: list[Document]
    skipped: list[Skipped]
    entities: list[Entity]
    quotes: list[Quote]
    statements: list[Statement]
    facts: list[Fact]
    conflicts: list[Conflict]
    timeline: list[TimelineEntry]
    summary: list[SummarySentence]
    coverage: list[Coverage]

    def to_dict(self) -> dict[str, Any]:
        """The dossier in the JSON contract ``accord.dossier/1``."""
        from accord import __version__

        return {
            "schema": SCHEMA_ID,
            "accord_version": __version__,
            "story": self.story.to_dict(),
            "documents": [d.to_dict() for d in self.documents],
            "skipped": [s.to_dict() for s in self.skipped],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "statements": [s.to_dict() for s in self.statements],
            "facts": [f.to_dict() for f in self.facts],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "timeline": [t.to_dict() for t in self.timeline],
            "summary": [s.to_dict() for s in self.summary],
            "coverage": [c.to_dict() for c in self.coverage],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_markdown(self, *, fact_matrix: bool = False) -> str:
        """The Markdown report (with ``fact_matrix`` also the outlet × fact coverage table)."""
        from accord import render

        return render.to_markdown(self.to_dict(), fact_matrix=fact_matrix)

    def to_html(self, *, fact_matrix: bool = False) -> str:
        """The self-contained HTML report (with ``fact_matrix`` the outlet × fact
        coverage table shown unfolded)."""
        from accord import render

        return render.to_html(self.to_dict(), fact_matrix=fact_matrix)

    def _repr_html_(self) -> str:
        """Jupyter's view: a compact summary, conflicts first, lists folded."""
        from accord import render

        return render.notebook_html(self.to_dict())

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Conflicts, facts, statements, quotes, documents and coverage as
        lists of rows (outlets by name; several values in a list)."""
        from accord import render

        return render.rows(self.to_dict())

    def to_pandas(self) -> dict[str, Any]:
        """The ``tables`` as pandas DataFrames, keyed by their names (needs
        the ``accord[pandas]`` extra)."""
        from accord import render

        return render.frames(self.to_dict())

    def to_csv(self, folder: str | Path) -> list[Path]:
        """Write the facts, quotations, conflicts and coverage (and the
        statements and documents) as one CSV file each in ``folder``
        (created); returns the files written."""
        from accord import render
        from accord.render.tables import csv_text

        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in render.rows(self.to_dict()).items():
            path = target / f"{name}.csv"
            path.write_text(csv_text(table), encoding="utf-8")
            written.append(path)
        return written


# --------------------------------------------------------------------------- the guard


@dataclass(frozen=True, slots=True)
class Failure:
    """Work on one input (or story) that raised: the entry it leaves in the
    output and the traceback for the log."""

    skipped: Skipped
    reject: Reject


def _failure(source: str, stage: str, error: BaseException, reason: str | None = None) -> Failure:
    """The Failure of ``source`` in ``stage``: ``reason`` (by default "internal
    error in STAGE: ERROR: MESSAGE"), and the traceback, which shows where
    the work was when it failed or was stopped."""
    if reason is None:
        message = " ".join(str(error).split())[:300]
        reason = f"internal error in {stage}: {type(error).__name__}" + (f": {message}" if message else "")
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Failure(Skipped(source, reason), Reject(source, stage, reason, trace))


def attempt(source: str, stage: str, call: Callable[[], T], seconds: float | None = None,
            budget: float | None = None, grace: float = 0.0) -> T | Failure:
    """``call()``, or the Failure of ``source`` in ``stage`` when it raises:
    the guard that isolates every input's and every story's work, so one
    failure never stops the others. With ``seconds`` the call has that long
    (``budget.time_limit``): past it, it is stopped and ``source`` is skipped
    with "took over N s in STAGE; not analysed", N the input's whole
    ``budget`` (default ``seconds``: what was left of it); ``grace`` more
    and a pool stops the worker (``budget.time_limit``). A MemoryError is likewise
    that input's skip ("ran out of memory"), and the batch goes on."""
    try:
        with time_limit(seconds, grace=grace):
            return call()
    except BudgetExceeded as error:
        return _failure(source, stage, error, f"took over {budget or seconds:g} s in {stage}; not analysed "
                                              "(the per-input time budget, Settings.input_seconds)")
    except MemoryError as error:
        # A pool worker's address space is capped (Settings.input_memory_mb),
        # so that one huge input fails here rather than the machine.
        return _failure(source, stage, error, f"ran out of memory in {stage}; not analysed "
                                              "(the per-input memory budget, Settings.input_memory_mb)")
    except Exception as error:  # isolation: one input's failure is its own
        return _failure(source, stage, error)


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Read:
    """What reading one input gave: its entries in order, or (for an input
    too large to hold, read as a stream of records) the input itself, to be
    read record by record by the caller."""

    entries: list[RawDocument | Skipped]
    rejects: list[Reject]
    stream: Input | None = None


def read_one(entry: Input | InputError, reading: Reading | None = None) -> _Read:
    """The per-input map of reading: every document and skipped part of one
    input, with what the user says of it (``reading``) applied. An internal
    error skips that input, as does reading past the time budget
    (``Settings.input_seconds``, with ``input_kill_seconds`` of grace)."""
    if isinstance(entry, InputError):  # expand names what it could not open
        return _Read([Skipped(entry.source, entry.reason)], [])
    if entry.path is not None:
        return _Read([], [], stream=entry)
    how = reading or Reading()
    # The reader checks its own budget between the documents it gives
    # (ingest.read_input: the documents read so far are kept); this limit,
    # past it by input_kill_seconds, stops one document's extraction stuck
    # in Python code (the whole input is then skipped).
    found = attempt(entry.source, "read", lambda: list(_read_input(entry, how)),
                    seconds=DEFAULT.input_seconds + DEFAULT.input_kill_seconds, budget=DEFAULT.input_seconds)
    if isinstance(found, Failure):
        return _Read([found.skipped], [found.reject])
    return _Read(found, [])


def _read_input(entry: Input, reading: Reading) -> Iterator[RawDocument | Skipped]:
    try:
        given = ingest_stage.metadata_for(entry, reading)  # the real file name finds its sidecar
    except InputError as error:  # a sidecar that cannot be taken: the input is skipped, with why
        return iter([Skipped(error.source, error.reason)])
    return ingest_stage.read_input(entry, fields=reading.fields, outlets=reading.outlets, given=given)


def _streamed(entry: Input, rejects: list[Reject], reading: Reading) -> Iterator[RawDocument | Skipped]:
    """The records of an input too large to hold, one at a time; an internal
    error skips the rest of that input."""
    try:
        yield from _read_input(entry, reading)
    except Exception as error:  # isolation, as in ``attempt`` (a generator cannot be wrapped whole)
        failure = _failure(entry.source, "read", error)
        rejects.append(failure.reject)
        yield failure.skipped


def read_numbered(
    items: Iterable[Item] | Item, rejects: list[Reject], *, executor: Executor | None = None,
    reading: Reading | None = None,
) -> Iterator[tuple[str, RawDocument] | Skipped]:
    """Every document the items hold with its id (d1, d2, ... by its position
    among the documents read), and a Skipped for what could not be read, in
    the inputs' canonical order (``_as_items``). Inputs are read on ``executor`` (here by default), one task
    each, and numbered here as they come back in order; an input too large to
    hold in memory (a big WARC or JSON Lines file) is read here, record by
    record. An internal error while reading an input skips the rest of that
    input (its traceback goes to ``rejects``) and reading goes on."""
    how = reading or Reading()
    check_manifest(items, how)
    position = 0
    reader = executor if executor is not None else InProcessExecutor()
    if how.outlets is None:
        # Resolved once here (the shipped registry, or ACCORD_OUTLETS's file),
        # so that every worker reads with the same registry.
        how = how.with_outlets(registry_for(None))
    for result in reader.map(functools.partial(read_one, reading=how), expand(_as_items(items))):
        rejects.extend(result.rejects)
        entries = _streamed(result.stream, rejects, how) if result.stream is not None else result.entries
        for read in entries:
            if isinstance(read, Skipped):
                yield read
            else:
                position += 1
                yield f"d{position}", read


def check_manifest(items: Iterable[Item] | Item, reading: Reading) -> None:
    """Refuse a manifest that names none of the inputs (a manifest written
    for other paths, or relative to another folder), before anything is
    read: UsageError naming the paths it tried. Folders and globs are
    listed without reading a file."""
    if not reading.manifest:
        return
    listed = set(reading.manifest)
    tried: list[str] = []
    for item in _as_items(items):
        if isinstance(item, Article):
            continue
        name = os.fspath(item)
        if name == "-" or name.startswith(("http://", "https://")):
            continue
        for path in _local_files(name):
            if str(path.resolve()) in listed:
                return
            tried.append(str(path.resolve()))
    shown = sorted(listed)
    raise UsageError(
        f"the manifest matches no input: it lists {len(shown)} path(s) ({', '.join(shown[:3])}"
        f"{', ...' if len(shown) > 3 else ''}) and the inputs are {len(tried)} file(s) "
        f"({', '.join(tried[:3]) or 'none on disk'}{', ...' if len(tried) > 3 else ''}); "
        "a manifest's relative paths count from the manifest's folder")


def _local_files(name: str) -> Iterator[Path]:
    """The files a path, folder or glob names, without reading them."""
    path = Path(name)
    if path.is_dir():
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            yield from (Path(folder) / f for f in sorted(files) if not f.startswith("."))
    elif path.exists() or not (set("*?[") & set(name)):
        yield path
    else:
        yield from (Path(p) for p in sorted(glob.glob(name, recursive=True)))


def _as_items(items: Iterable[Item] | Item) -> list[Item]:
    """The items in their canonical order: paths (and URLs) sorted by name,
    then articles in memory by address, outlet, title, date and a digest of
    their text. Document ids are positions in this order, so the same inputs
    given in another order make the same dossier."""
    if isinstance(items, (str, os.PathLike, Article)):
        return [items]
    return sorted(items, key=input_key)


def input_key(item: Item) -> tuple[int, str, str, str, str, str]:
    """Where an input stands in the canonical order the documents are
    numbered in: paths by name, then articles in memory by address, outlet,
    title, date and a digest of their text. Sort inputs by it to pair them
    with the documents a run gives back."""
    if isinstance(item, Article):
        digest = hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()
        return (1, item.url or "", item.outlet or "", item.title or "", item.published or "", digest)
    return (0, os.fspath(item), "", "", "", "")


# --------------------------------------------------------------------------- the per-document step


@dataclass(frozen=True, slots=True)
class DocumentWork:
    """One task of the per-document step: documents with their ids, in order
    (raw, to be cleaned, or already clean), whether to analyse them (else
    clean only), and the settings of every stage.

    It also tells an executor that stops overrunning workers (the pool) how
    long the task may run (``deadline``), how to retry it one document at a
    time (``parts``, ``joined``) and what a stopped document leaves
    (``overrun``): the ``executors.Budgeted`` protocol."""

    documents: tuple[tuple[str, RawDocument | Document], ...]
    analyze: bool = True
    settings: Settings = DEFAULT

    def deadline(self) -> float:
        """Seconds a worker may spend on this task before it is stopped: each
        document's budget, one more for the batch parse (retried one document
        at a time when it overruns), and ``input_kill_seconds`` for the
        guard inside the worker to act first. A pool worker also tells the
        parent of each piece's own limit as it starts it (one document's
        cleaning, the batch parse: ``budget.announce_to``), and is stopped
        ``input_kill_seconds`` past that limit."""
        return (len(self.documents) + 1) * self.settings.input_seconds + self.settings.input_kill_seconds

    def parts(self) -> tuple["DocumentWork", ...]:
        """The task as one task per document (none for a single document)."""
        if len(self.documents) <= 1:
            return ()
        return tuple(DocumentWork((entry,), self.analyze, self.settings) for entry in self.documents)

    def joined(self, results: Sequence["Worked"]) -> "Worked":
        """The results of ``parts`` as the result of the whole task."""
        joined = Worked([], [], Counts())
        for worked in results:
            joined.entries.extend(worked.entries)
            joined.rejects.extend(worked.rejects)
            joined.counts.add(worked.counts)
        return joined

    def overrun(self, died: str | None) -> "Worked":
        """What the task gives when its worker was stopped past ``deadline``
        (``died`` None) or died (``died`` says how): each document skipped
        with why, in order."""
        if died is None:
            why = (f"took over {self.settings.input_seconds:g} s; not analysed (its worker was stopped: "
                   "the per-input time budget, Settings.input_seconds)")
        else:
            why = f"its worker process died ({died}); not analysed"
        counts = Counts(read=sum(1 for _, d in self.documents if isinstance(d, RawDocument)))
        entries: list[tuple[Document, Analysis | None] | Skipped] = []
        for _, document in self.documents:
            skipped = Skipped(document.source, why)
            counts.skip(skipped)
            entries.append(skipped)
        return Worked(entries, [], counts)


@dataclass(slots=True)
class Worked:
    """What a task of the per-document step gives back, in the order of its
    documents: each document (with its analysis) or why it was skipped."""

    entries: list[tuple[Document, Analysis | None] | Skipped]
    rejects: list[Reject]
    counts: Counts


def clean_one(doc_id: str, entry: RawDocument | Document) -> Document:
    """The clean document of one input (one already clean is kept as it is)."""
    if isinstance(entry, Document):
        return entry
    return clean_stage.clean(entry, doc_id)


def _analyses(documents: Sequence[Document], settings: Settings, left: dict[str, float]) -> dict[str, Analysis | Failure]:
    """Each document's analysis, or its Failure. The documents are parsed in
    one batch, as spaCy parses fastest, with the time its documents have left
    of their budgets between them; when the batch
    fails or overruns, each document is analysed on its own under the guard,
    with what is ``left`` of its budget, to find the one at fault."""
    found: dict[str, Analysis | Failure] = {}
    from accord import analyze as analyze_stage
    from accord.analyze.nlp import load

    # Loading the model (once per process) is no input's work: it is done
    # outside their budgets. If it fails, the analyses below fail with it.
    attempt("", "analyze", load)
    if len(documents) > 1:
        # The batch has what its documents have left between them: a batch
        # that merely took long on a loaded machine is not redone one by one
        # (and none of its documents skipped) unless it ran past their sum.
        batch_seconds = sum(max(0.0, left[d.id]) for d in documents)
        batched = attempt("", "analyze", lambda: list(analyze_stage.analyze(
            documents, batch_size=settings.parse_batch, settings=settings)), seconds=batch_seconds,
            grace=settings.input_kill_seconds)
        if not isinstance(batched, Failure):
            for analysis in batched:
                found[analysis.document.id] = analysis
            return found
    for document in documents:
        found[document.id] = attempt(document.source, "analyze", functools.partial(_analyse_one, document, settings),
                                     seconds=left[document.id], budget=settings.input_seconds,
                                     grace=settings.input_kill_seconds)
    return found


def _analyse_one(document: Document, settings: Settings) -> Analysis:
    from accord import analyze as analyze_stage

    return next(iter(analyze_stage.analyze([document], batch_size=1, settings=settings)))


def process_documents(work: DocumentWork) -> Worked:
    """The per-document step: clean (and analyse) a batch of documents, each
    under the guard, and each held to its time budget
    (``Settings.input_seconds`` for its cleaning and analysis together): an
    input past it is skipped with why, and the others go on. Pure: depends
    on nothing but its argument, so any executor may run it anywhere.
    Relative times of a document without a date stay unresolved here; the
    per-story step resolves them once the story is known."""
    rejects: list[Reject] = []
    counts = Counts(read=sum(1 for _, d in work.documents if isinstance(d, RawDocument)))
    cleaned: list[Document | Skipped] = []
    left: dict[str, float] = {}
    for doc_id, raw in work.documents:
        started = time.monotonic()
        made = attempt(raw.source, "clean", functools.partial(clean_one, doc_id, raw),
                       seconds=work.settings.input_seconds, grace=work.settings.input_kill_seconds)
        left[doc_id] = work.settings.input_seconds - (time.monotonic() - started)
        if isinstance(made, Failure):
            cleaned.append(made.skipped)
            rejects.append(made.reject)
        else:
            cleaned.append(made)
            counts.cleaned += 1
    analyses: dict[str, Analysis | Failure] = {}
    if work.analyze:
        analyses = _analyses([d for d in cleaned if isinstance(d, Document)], work.settings, left)
    entries: list[tuple[Document, Analysis | None] | Skipped] = []
    for document in cleaned:
        if isinstance(document, Skipped):
            entries.append(document)
            counts.skip(document)
            continue
        found = analyses.get(document.id)
        if isinstance(found, Failure):
            entries.append(found.skipped)
            rejects.append(found.reject)
            counts.skip(found.skipped)
            continue
        if found is not None:
            counts.analysed += 1
        entries.append((document, found))
    return Worked(entries, rejects, counts)


def chunks(numbered: Iterable[tuple[str, T]], size: int) -> Iterator[tuple[tuple[str, T], ...]]:
    """Numbered documents in tasks of ``size``, in order."""
    chunk: list[tuple[str, T]] = []
    for entry in numbered:
        chunk.append(entry)
        if len(chunk) >= size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def task_size(total: int, workers: int, settings: Settings) -> int:
    """Documents per task: a parse batch, or less when the batch is too small
    to give every worker ``tasks_per_worker`` tasks."""
    if workers <= 1:
        return settings.task_documents
    share = -(-total // (workers * settings.tasks_per_worker))
    return max(1, min(settings.task_documents, share))


def documents(
    items: Iterable[Item] | Item | Batch, *, analyze: bool, executor: Executor | str | None, workers: int | None,
    settings: Settings, progress: Progress = _quiet, reading: Reading | None = None,
) -> Batch:
    """The inputs read, cleaned and (with ``analyze``) analysed by the
    per-document step, as a Batch in input order. ``items`` may be a Batch of
    clean documents: they are analysed only. Inputs are read on the executor
    asked for; with none, or "auto", here (then "auto" chooses by the number
    of documents read)."""
    stage = "analyze" if analyze else "clean"
    batch = Batch()
    numbered: list[tuple[str, RawDocument | Document]] = []
    owned = not isinstance(executor, Executor)
    runner: Executor | None = (executor if isinstance(executor, Executor) else
                               InProcessExecutor() if executor is None else
                               None if executor == "auto" else make_executor(executor, workers=workers,
                                                                             memory_mb=settings.input_memory_mb))
    try:
        if isinstance(items, Batch):
            batch.skipped, batch.rejects = list(items.skipped), list(items.rejects)
            batch.counts = Counts(read=items.counts.read, skipped=dict(items.counts.skipped),
                                  cleaned=items.counts.cleaned)
            numbered = [(d.id, d) for d in items.documents]
        else:
            for read in read_numbered(items, batch.rejects, executor=runner, reading=reading):
                if isinstance(read, Skipped):
                    batch.skipped.append(read)
                    batch.counts.skip(read)
                else:
                    numbered.append(read)
                    progress("read", len(numbered), None)
        total = len(numbered)
        if runner is None:
            runner = make_executor(None, workers=workers, documents=total, pool_from=settings.pool_from,
                                   memory_mb=settings.input_memory_mb)
        progress(stage, 0, total)
        done = 0
        size = task_size(total, runner.workers, settings)
        tasks = (DocumentWork(chunk, analyze, settings) for chunk in chunks(numbered, size))
        for worked in runner.map(process_documents, tasks):
            batch.rejects.extend(worked.rejects)
            batch.counts.add(worked.counts)
            for entry in worked.entries:
                done += 1
                if isinstance(entry, Skipped):
                    batch.skipped.append(entry)
                    continue
                document, analysis = entry
                batch.documents.append(document)
                if analysis is not None:
                    batch.analyses.append(analysis)
            progress(stage, done, total)
    finally:
        if owned and runner is not None:
            runner.close()
    return batch


# --------------------------------------------------------------------------- shard lines


def document_line(document: Document, analysis: Analysis | None) -> str:
    """One document (with its analysis) as a line of a shard file."""
    from accord.store.records import analysis_record, document_record, pack_offsets

    record = {
        "id": document.id,
        "document": document_record(document),
        "offsets": base64.b64encode(pack_offsets(document.offsets)).decode("ascii"),
        "analysis": analysis_record(analysis) if analysis is not None else None,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


_NO_OFFSETS = OffsetMap(())


def from_line(
    data: dict[str, Any], new_id: str | None, offsets: bool, analyses: bool = True
) -> tuple[Document, Analysis | None]:
    """The document (and analysis) of a decoded shard line; ``new_id``
    renames it, without ``offsets`` or ``analyses`` those are left out."""
    from accord.store.records import analysis_from_record, document_from_record, unpack_offsets

    mapping = unpack_offsets(base64.b64decode(data["offsets"])) if offsets else _NO_OFFSETS
    document = document_from_record(data["document"], mapping, doc_id=new_id)
    found = data["analysis"] is not None and analyses
    return document, analysis_from_record(data["analysis"], document) if found else None


# --------------------------------------------------------------------------- the per-story step


def story_dossier(
    analyses: Sequence[Analysis], *, story: Story | None = None, skipped: Sequence[Skipped] = (),
    settings: Settings = DEFAULT, progress: Progress = _quiet,
) -> Dossier:
    """The dossier of one story from its documents' analyses: the relative
    times of undated documents resolved against the story's dates, then
    compare and synthesize. Without ``story`` the documents are story s1,
    titled by the first document with a title (else the lead fact)."""
    # The later stages are imported when first needed: reading, cleaning and
    # grouping (accord ingest, accord stories) never load spaCy or the vectors.
    from accord import analyze as analyze_stage
    from accord import compare as compare_stage
    from accord import synthesize

    analyses = analyze_stage.anchor_undated(analyses, settings=settings)
    documents = [a.document for a in analyses]
    progress("compare", 0, None)
    # Sentences a site repeats under unrelated articles are its boilerplate.
    analyses = group_stage.mark_boilerplate(analyses, group_stage.repeated_sentences(analyses, settings=settings))
    comparison = compare_stage.compare(analyses, settings=settings)
    progress("synthesize", 0, None)
    if story is None:
        dates = sorted(d.published for d in documents if d.published)
        lead = comparison.facts[0].text if comparison.facts else None
        story = Story(
            id="s1",
            title=next((d.title for d in documents if d.title), lead),
            documents=[d.id for d in documents],
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
        )
    return Dossier(
        story=story,
        documents=documents,
        skipped=list(skipped),
        entities=comparison.entities,
        quotes=comparison.quotes,
        statements=comparison.statements,
        facts=comparison.facts,
        conflicts=comparison.conflicts,
        timeline=synthesize.timeline(analyses, comparison.facts),
        summary=synthesize.summary(comparison.facts, comparison.conflicts, analyses, settings=settings),
        coverage=synthesize.coverage(comparison.facts, documents),
    )


@dataclass(frozen=True, slots=True)
class StoryWork:
    """One task of the per-story step: a story and its documents' analyses
    (or, for an archive run, their shard lines, renumbered d1, d2... in story
    order), the formats to render the dossier in, and the settings."""

    story: Story
    analyses: tuple[Analysis, ...] = ()
    lines: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    settings: Settings = DEFAULT


@dataclass(frozen=True, slots=True)
class StoryFailure:
    """A story whose dossier could not be made: its id and one line saying why."""

    story: str
    reason: str
    traceback: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"story": self.story, "reason": self.reason}


@dataclass(slots=True)
class StoryDone:
    """What the per-story step gives back: the dossier and its renderings
    (format -> text), or why the story was skipped."""

    story: str
    dossier: Dossier | None = None
    rendered: dict[str, str] = field(default_factory=dict)
    failure: StoryFailure | None = None


#: How each format renders a dossier.
_RENDER: dict[str, Callable[[Dossier], str]] = {
    "json": lambda d: d.to_json(),
    "markdown": lambda d: d.to_markdown(),
    "html": lambda d: d.to_html(),
}


def render_dossier(made: Dossier, fmt: str) -> str:
    """The dossier in ``fmt`` ("json", "markdown" or "html")."""
    return _RENDER[fmt](made)


def _story(work: StoryWork) -> StoryDone:
    analyses = list(work.analyses)
    story = work.story
    if work.lines:
        for n, line in enumerate(work.lines, 1):
            document, analysis = from_line(json.loads(line), f"d{n}", True)
            analyses.append(analysis if analysis is not None else Analysis(document))
        story = Story(story.id, story.title, [a.document.id for a in analyses],
                      story.first_published, story.last_published)
    made = story_dossier(analyses, story=story, settings=work.settings)
    return StoryDone(story.id, made, {fmt: _RENDER[fmt](made) for fmt in work.formats})


def story_step(work: StoryWork) -> StoryDone:
    """The per-story step: compare, synthesize and render one story's
    dossier, under the guard: a story that fails comes back with a one-line
    reason and no dossier. Pure, so any executor may run it anywhere."""
    done = attempt(work.story.id, "dossier", functools.partial(_story, work))
    if isinstance(done, Failure):
        return StoryDone(work.story.id, failure=StoryFailure(work.story.id, done.skipped.reason,
                                                             done.reject.traceback))
    return done


def make_dossiers(
    tasks: Iterable[StoryWork], *, executor: Executor | None = None, total: int | None = None,
    progress: Progress = _quiet,
) -> Iterator[StoryDone]:
    """The per-story step over every task, on ``executor`` (here by
    default), in task order; a story that fails is logged (one line) and
    given back with its failure, and the others go on."""
    runner: Executor = executor if executor is not None else InProcessExecutor()
    made = 0
    progress("dossiers", 0, total)
    for done in runner.map(story_step, tasks):
        made += 1
        if done.failure is not None:
            log.warning("story %s skipped: %s", done.story, done.failure.reason)
            log.debug("the traceback of story %s:\n%s", done.story, done.failure.traceback.rstrip("\n"))
        progress("dossiers", made, total)
        yield done


# --------------------------------------------------------------------------- stories of a pile


def stories_listing(
    items: Iterable[Item] | Item, *, counts: bool = False, executor: Executor | str | None = None,
    workers: int | None = None, settings: Settings = DEFAULT, progress: Progress = _quiet,
    reading: Reading | None = None,
) -> tuple[list[dict[str, Any]], Batch]:
    """The stories of a pile as ``accord stories`` lists them, and the Batch
    read. Grouping needs the clean documents only: nothing is analysed
    unless ``counts`` asks for each story's counts of facts and conflicts
    (then every document is analysed and each story's dossier made, on
    ``executor``; a story whose dossier fails keeps its count of documents
    only)."""
    batch = documents(items, analyze=False, executor=None, workers=workers, settings=settings,
                      progress=progress, reading=reading)
    progress("stories", 0, None)
    stories = group_stage.group_stories(batch.documents, settings=settings)
    found: dict[str, dict[str, int]] = {s.id: {"documents": len(s.documents)} for s in stories}
    if counts and batch.documents:
        analysed = documents(batch, analyze=True, executor=executor, workers=workers, settings=settings,
                             progress=progress)
        batch.skipped, batch.rejects, batch.counts = analysed.skipped, analysed.rejects, analysed.counts
        by_id = {a.document.id: a for a in analysed.analyses}
        tasks = [StoryWork(s, tuple(by_id[d] for d in s.documents if d in by_id), settings=settings)
                 for s in stories]
        for done in make_dossiers(tasks, total=len(tasks), progress=progress):
            if done.dossier is not None:
                found[done.story] = {"documents": len(done.dossier.documents), "facts": len(done.dossier.facts),
                                     "conflicts": len(done.dossier.conflicts)}
    by_doc = {d.id: d for d in batch.documents}
    listing = [story_entry(story, [by_doc[d] for d in story.documents], found[story.id]) for story in stories]
    return listing, batch


def story_entry(story: Story, members: Sequence[Document], counts: dict[str, int] | None) -> dict[str, Any]:
    """One story as ``accord stories`` lists it: id, title, first and last
    dates, outlets, its documents and (when asked for) its counts."""
    return {
        "id": story.id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "outlets": sorted({d.outlet for d in members if d.outlet}),
        "documents": [
            {"id": d.id, "source": d.source, "outlet": d.outlet, "title": d.title, "published": d.published}
            for d in members
        ],
        "counts": counts,
    }
