"""The pipeline end to end: ingest -> clean -> analyze -> group -> compare ->
synthesize, and the Dossier it produces (rendered by the render stage).

It has three shapes, so that an executor can run the work anywhere:

- a per-document map: ``read_one`` reads one input (extraction, metadata),
  ``process_documents`` cleans and analyses a batch of documents. A document's id is its position among the
  documents read (d1, d2, ... in input order; a record of a multi-record input
  counts at its place), given before any work is shipped, so ids are the same
  on every executor. Nothing here looks at other documents.
- a grouping reduce (``accord.group``): stories and near-duplicates, which
  need every document.
- a per-story map (``story_dossier``): what needs the story, such as the
  reference date of documents without one of their own, then compare and
  synthesize.

An unexpected exception while reading, cleaning or analysing one input
becomes that input's ``Skipped`` entry ("internal error in STAGE: ..."), its
traceback kept in ``Batch.rejects``; the batch goes on.
"""

from __future__ import annotations

import functools
import json
import os
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from accord import analyze as analyze_stage
from accord import clean as clean_stage
from accord import compare as compare_stage
from accord import group as group_stage
from accord import ingest as ingest_stage
from accord import render
from accord import synthesize
from accord.executors import Executor, InProcessExecutor, make_executor
from accord.errors import InputError, UsageError
from accord.ingest import Reading
from accord.ingest.outlets import OutletRegistry, registry_for
from accord.ingest.sources import Input, expand
from accord.settings import DEFAULT, Settings
from accord.model import (
    Analysis,
    Article,
    Conflict,
    Coverage,
    Document,
    Entity,
    Fact,
    Quote,
    RawDocument,
    Skipped,
    Statement,
    Story,
    SummarySentence,
    TimelineEntry,
)

__all__ = [
    "Batch", "Counts", "DocumentWork", "Dossier", "Outlets", "Progress", "Reject", "SCHEMA_ID", "Worked",
    "analyze", "dossier", "dossiers", "ingest", "process_documents", "read_numbered", "read_one",
    "several_stories", "stories_index", "story_analyses", "story_dossier",
]

SCHEMA_ID = "accord.dossier/1"
Item = str | os.PathLike[str] | Article
#: An outlet registry, or the path of a file that extends the shipped one.
Outlets = OutletRegistry | str | os.PathLike[str] | None
#: Called as ``progress(stage, done, total)`` while long work goes on.
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")


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
    read from the inputs, inputs skipped by reason (while reading or later),
    documents analysed, stories made."""

    read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    analysed: int = 0
    stories: int = 0

    def skip(self, entry: Skipped) -> None:
        reason = _reason_kind(entry.reason)
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, other: "Counts") -> None:
        self.read += other.read
        self.analysed += other.analysed
        self.stories += other.stories
        for reason, n in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + n

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "skipped": dict(sorted(self.skipped.items())),
                "analysed": self.analysed, "stories": self.stories}

    def line(self) -> str:
        """One line for a person: ``read 12, analysed 11, skipped 1 (empty 1)``."""
        skipped = sum(self.skipped.values())
        parts = [f"read {self.read}", f"analysed {self.analysed}"]
        if self.stories:
            parts.append(f"stories {self.stories}")
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
        return render.to_markdown(self.to_dict(), fact_matrix=fact_matrix)

    def to_html(self, *, fact_matrix: bool = False) -> str:
        """The self-contained HTML report (with ``fact_matrix`` the outlet × fact
        coverage table shown unfolded)."""
        return render.to_html(self.to_dict(), fact_matrix=fact_matrix)

    def _repr_html_(self) -> str:
        """Jupyter's view: a compact summary, conflicts first, lists folded."""
        return render.notebook_html(self.to_dict())

    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """Facts, quotes, statements and conflicts as lists of flat rows."""
        return render.rows(self.to_dict())

    def to_pandas(self) -> dict[str, Any]:
        """Facts, quotes, statements and conflicts as pandas DataFrames, keyed
        by those names (needs the ``accord[pandas]`` extra)."""
        return render.frames(self.to_dict())


def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


# --------------------------------------------------------------------------- per document


def _failure(source: str, stage: str, error: BaseException) -> tuple[Skipped, Reject]:
    message = " ".join(str(error).split())[:300]
    reason = f"internal error in {stage}: {type(error).__name__}" + (f": {message}" if message else "")
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Skipped(source, reason), Reject(source, stage, reason, trace)


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
    error skips the rest of that input."""
    if isinstance(entry, InputError):  # expand names what it could not open
        return _Read([Skipped(entry.source, entry.reason)], [])
    if entry.path is not None:
        return _Read([], [], stream=entry)
    found: list[RawDocument | Skipped] = []
    try:
        found.extend(_read_input(entry, reading or Reading()))
    except Exception as error:  # isolation: one input's failure is its own
        skipped, reject = _failure(entry.source, "read", error)
        return _Read([*found, skipped], [reject])
    return _Read(found, [])


def _read_input(entry: Input, reading: Reading) -> Iterator[RawDocument | Skipped]:
    try:
        given = ingest_stage.metadata_for(entry, reading)  # the real file name finds its sidecar
    except InputError as error:  # a sidecar that cannot be taken: the input is skipped, with why
        return iter([Skipped(error.source, error.reason)])
    return ingest_stage.read_input(entry, fields=reading.fields, outlets=reading.outlets, given=given)


def _streamed(entry: Input, rejects: list[Reject], reading: Reading) -> Iterator[RawDocument | Skipped]:
    try:
        yield from _read_input(entry, reading)
    except Exception as error:
        skipped, reject = _failure(entry.source, "read", error)
        rejects.append(reject)
        yield skipped


def read_numbered(
    items: Iterable[Item] | Item, rejects: list[Reject], *, executor: Executor | None = None,
    reading: Reading | None = None,
) -> Iterator[tuple[str, RawDocument] | Skipped]:
    """Every document the items hold with its id (d1, d2, ... by its position
    among the documents read), and a Skipped for what could not be read, in
    input order. Inputs are read on ``executor`` (here by default), one task
    each, and numbered here as they come back in order; an input too large to
    hold in memory (a big WARC or JSON Lines file) is read here, record by
    record. An internal error while reading an input skips the rest of that
    input (its traceback goes to ``rejects``) and reading goes on."""
    position = 0
    reader = executor if executor is not None else InProcessExecutor()
    how = reading or Reading()
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


@dataclass(frozen=True, slots=True)
class DocumentWork:
    """One task of the per-document map: documents with their ids, in order,
    and whether to analyse them (else clean only)."""

    documents: tuple[tuple[str, RawDocument], ...]
    analyze: bool = True
    settings: Settings = DEFAULT


@dataclass(slots=True)
class Worked:
    """What a task of the per-document map gives back, in the order of its
    documents: each document (with its analysis) or why it was skipped."""

    entries: list[tuple[Document, Analysis | None] | Skipped]
    rejects: list[Reject]
    counts: Counts


def process_documents(work: DocumentWork) -> Worked:
    """Clean (and analyse) a batch of documents. Pure: depends on nothing but
    its argument, so any executor may run it anywhere. Relative times of a
    document without a date stay unresolved here; ``story_analyses`` resolves
    them once the story is known."""
    rejects: list[Reject] = []
    counts = Counts(read=len(work.documents))
    cleaned: list[Document | Skipped] = []
    for doc_id, raw in work.documents:
        try:
            cleaned.append(clean_stage.clean(raw, doc_id))
        except Exception as error:
            skipped, reject = _failure(raw.source, "clean", error)
            cleaned.append(skipped)
            rejects.append(reject)
    analyses: dict[str, Analysis | Skipped] = {}
    if work.analyze:
        documents = [d for d in cleaned if isinstance(d, Document)]
        try:
            # One parse batch for the task, as spaCy parses fastest.
            for analysis in analyze_stage.analyze(documents, batch_size=work.settings.parse_batch):
                analyses[analysis.document.id] = analysis
        except Exception:
            # Find the document that failed: analyse them one at a time.
            analyses.clear()
            for document in documents:
                try:
                    analyses[document.id] = next(iter(analyze_stage.analyze([document], batch_size=1)))
                except Exception as error:
                    skipped, reject = _failure(document.source, "analyze", error)
                    analyses[document.id] = skipped
                    rejects.append(reject)
    entries: list[tuple[Document, Analysis | None] | Skipped] = []
    for document in cleaned:
        if isinstance(document, Skipped):
            entries.append(document)
            counts.skip(document)
            continue
        found = analyses.get(document.id)
        if isinstance(found, Skipped):
            entries.append(found)
            counts.skip(found)
            continue
        if found is not None:
            counts.analysed += 1
        entries.append((document, found))
    return Worked(entries, rejects, counts)


def _chunks(numbered: Iterable[tuple[str, RawDocument]], size: int) -> Iterator[tuple[tuple[str, RawDocument], ...]]:
    chunk: list[tuple[str, RawDocument]] = []
    for entry in numbered:
        chunk.append(entry)
        if len(chunk) >= size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def _task_size(total: int, workers: int, settings: Settings) -> int:
    """Documents per task: a parse batch, or less when the batch is too small
    to give every worker ``tasks_per_worker`` tasks."""
    if workers <= 1:
        return settings.task_documents
    share = -(-total // (workers * settings.tasks_per_worker))
    return max(1, min(settings.task_documents, share))


def _documents(
    items: Iterable[Item] | Item, *, analyze: bool, executor: Executor | str | None, workers: int | None,
    settings: Settings, progress: Progress, reading: Reading | None = None,
) -> Batch:
    batch = Batch()
    numbered: list[tuple[str, RawDocument]] = []
    # Inputs are read on the executor asked for; with none, or "auto", here
    # (then "auto" chooses by the number of documents read).
    owned = not isinstance(executor, Executor)
    runner: Executor | None = (executor if isinstance(executor, Executor) else
                               InProcessExecutor() if executor is None else
                               None if executor == "auto" else make_executor(executor, workers=workers))
    try:
        for entry in read_numbered(items, batch.rejects, executor=runner, reading=reading):
            if isinstance(entry, Skipped):
                batch.skipped.append(entry)
                batch.counts.skip(entry)
            else:
                numbered.append(entry)
                progress("read", len(numbered), None)
        total = len(numbered)
        if runner is None:
            runner = make_executor(None, workers=workers, documents=total, pool_from=settings.pool_from)
        progress("analyze" if analyze else "clean", 0, total)
        done = 0
        size = _task_size(total, runner.workers, settings)
        tasks = (DocumentWork(chunk, analyze, settings) for chunk in _chunks(numbered, size))
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
            progress("analyze" if analyze else "clean", done, total)
    finally:
        if owned and runner is not None:
            runner.close()
    return batch


def ingest(
    items: Iterable[Item] | Item, *, executor: Executor | str | None = None, workers: int | None = None,
    settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> Batch:
    """Read and clean every input: documents d1, d2, ... in input order, and
    the inputs that could not be read, each with its reason. ``executor`` (an
    Executor, or "inprocess", "pool", "dask", "auto") runs the cleaning; the
    default is this process. ``reading`` says how to read the inputs (a field
    mapping for JSON, metadata the user gives, a manifest); ``outlets`` is the
    outlet registry or a file extending the shipped one (default: the file
    ``ACCORD_OUTLETS`` names, else the shipped registry)."""
    return _documents(items, analyze=False, executor=executor, workers=workers, settings=settings,
                      progress=progress, reading=(reading or Reading()).with_outlets(outlets))


def analyze(
    items: Iterable[Item] | Item | Batch, *, executor: Executor | str | None = None, workers: int | None = None,
    settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> Batch:
    """As ingest, plus entities, quotations, quantities, times and claims of
    every document. Each document is analysed on its own: relative dates of a
    document with no date of its own stay unresolved until ``dossier`` knows
    its story. Given a Batch (of ``ingest``), returns a new Batch."""
    if not isinstance(items, Batch):
        return _documents(items, analyze=True, executor=executor, workers=workers, settings=settings,
                          progress=progress, reading=(reading or Reading()).with_outlets(outlets))
    batch = Batch(documents=[], skipped=list(items.skipped), counts=Counts(skipped=dict(items.counts.skipped)),
                  rejects=list(items.rejects))
    total = len(items.documents)
    progress("analyze", 0, total)
    owned = not isinstance(executor, Executor)
    runner = (executor if not owned else
              InProcessExecutor() if executor is None else
              make_executor(None if executor == "auto" else executor, workers=workers, documents=total,
                            pool_from=settings.pool_from))
    try:
        chunks = _chunks(((d.id, d) for d in items.documents), _task_size(total, runner.workers, settings))
        tasks = (_AnalysisWork(tuple(d for _, d in chunk), settings) for chunk in chunks)
        for worked in runner.map(_analyze_documents, tasks):
            batch.rejects.extend(worked.rejects)
            for entry in worked.entries:
                if isinstance(entry, Skipped):
                    batch.skipped.append(entry)
                    batch.counts.skip(entry)
                    continue
                document, analysis = entry
                batch.documents.append(document)
                batch.analyses.append(analysis)  # type: ignore[arg-type]
                batch.counts.read += 1
                batch.counts.analysed += 1
            progress("analyze", len(batch.documents), total)
    finally:
        if owned:
            runner.close()
    return batch


@dataclass(frozen=True, slots=True)
class _AnalysisWork:
    documents: tuple[Document, ...]
    settings: Settings = DEFAULT


def _analyze_documents(work: _AnalysisWork) -> Worked:
    """Analyse documents already clean (the per-document map of ``analyze``
    given a Batch)."""
    rejects: list[Reject] = []
    entries: list[tuple[Document, Analysis | None] | Skipped] = []
    try:
        analyses = list(analyze_stage.analyze(work.documents, batch_size=work.settings.parse_batch))
        entries = [(a.document, a) for a in analyses]
    except Exception:
        for document in work.documents:
            try:
                analysis = next(iter(analyze_stage.analyze([document], batch_size=1)))
                entries.append((document, analysis))
            except Exception as error:
                skipped, reject = _failure(document.source, "analyze", error)
                entries.append(skipped)
                rejects.append(reject)
    return Worked(entries, rejects, Counts())


# --------------------------------------------------------------------------- per story


def story_analyses(analyses: Sequence[Analysis], *, settings: Settings = DEFAULT) -> list[Analysis]:
    """The analyses of one story's documents, with the relative times of each
    English document that has no date of its own resolved against the date of
    the story's dated document nearest to it (``analyze.anchor_undated``:
    the one sharing the most names with it, never one that shares too few;
    new Analysis objects; the others are returned as they are)."""
    return analyze_stage.anchor_undated(analyses, settings=settings)


def story_dossier(
    analyses: Sequence[Analysis], *, story: Story | None = None, skipped: Sequence[Skipped] = (),
    settings: Settings = DEFAULT, progress: Progress = _quiet,
) -> Dossier:
    """The per-story map: the dossier of one story from its documents'
    analyses. Without ``story`` the documents are story s1, titled by the
    first document with a title (else the lead fact)."""
    analyses = story_analyses(analyses, settings=settings)
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
        summary=synthesize.summary(comparison.facts, comparison.conflicts, analyses),
        coverage=synthesize.coverage(comparison.facts, documents),
    )


def dossier(
    items: Iterable[Item] | Item | Batch, *, executor: Executor | str | None = None, workers: int | None = None,
    one_story: bool = True, settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> Dossier:
    """The dossier of the story that the given reports tell. With
    ``one_story`` (the default) every document given is taken as one story,
    as ``accord dossier --one-story`` does; with ``one_story=False`` the
    documents are grouped first and a pile of several stories raises
    UsageError (``dossiers`` makes one dossier per story)."""
    batch = (items if isinstance(items, Batch) and items.analyses else
             analyze(items, executor=executor, workers=workers, settings=settings, progress=progress,
                     reading=reading, outlets=outlets))
    if not one_story:
        stories = group_stage.group_stories(batch.documents, settings=settings)
        if len(stories) > 1:
            raise UsageError(several_stories(stories, api=True))
    return story_dossier(batch.analyses, skipped=batch.skipped, settings=settings, progress=progress)


def several_stories(stories: Sequence[Story], *, api: bool = False) -> str:
    """The one-line message for a pile that tells several stories, naming the
    ways on (the options of the command, or the functions of the API)."""
    named = ", ".join(f"{s.id} ({len(s.documents)} document{'s' if len(s.documents) > 1 else ''})"
                      for s in stories[:5])
    more = f" and {len(stories) - 5} more" if len(stories) > 5 else ""
    ways = ("use accord.dossiers(...) for one dossier per story, or one_story=True to force one dossier" if api else
            "write one dossier per story with -o DIR/, choose one with --story ID, or force one dossier with --one-story")
    return f"the reports tell {len(stories)} stories: {named}{more}; {ways}"


@dataclass(frozen=True, slots=True)
class _StoryTask:
    """A task of the per-story map over a pile held in memory."""

    story: Story
    analyses: tuple[Analysis, ...]
    settings: Settings


def _pile_story_dossier(task: _StoryTask) -> Dossier:
    return story_dossier(task.analyses, story=task.story, settings=task.settings)


def dossiers(
    items: Iterable[Item] | Item | Batch, *, executor: Executor | str | None = None, workers: int | None = None,
    settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> list[Dossier]:
    """One dossier per story the reports tell: the documents are grouped into
    stories first (the stories ``accord stories`` finds, s1, s2... in order of
    their first document), then each story's dossier is made by the
    per-story map (``story_dossier``), on ``executor`` when one is given.
    Documents keep their ids in the pile (d1, d2... in input order); inputs
    that could not be read are in the Batch of ``accord.analyze``, not in any
    story's dossier."""
    batch = (items if isinstance(items, Batch) and items.analyses else
             analyze(items, executor=executor, workers=workers, settings=settings, progress=progress,
                     reading=reading, outlets=outlets))
    progress("stories", 0, None)
    stories = group_stage.group_stories(batch.documents, settings=settings)
    by_id = {a.document.id: a for a in batch.analyses}
    tasks = [_StoryTask(s, tuple(by_id[d] for d in s.documents if d in by_id), settings) for s in stories]
    owned = not isinstance(executor, Executor)
    runner: Executor = executor if isinstance(executor, Executor) else InProcessExecutor()
    made: list[Dossier] = []
    try:
        progress("dossiers", 0, len(tasks))
        for result in runner.map(_pile_story_dossier, iter(tasks)):
            made.append(result)
            progress("dossiers", len(made), len(tasks))
    finally:
        if owned:
            runner.close()
    return made


def stories_index(made: Sequence[Dossier], files: Sequence[str], *, skipped: Sequence[Skipped] = ()) -> dict[str, Any]:
    """The index of a pile's dossiers (``index.json``, rendered as
    ``index.html``): each story with its dates, outlets, documents, counts of
    facts, corroborated facts and conflicts, and the file of its dossier
    (``files``, parallel to ``made``)."""
    from accord import __version__

    return {
        "schema": render.INDEX_SCHEMA,
        "accord_version": __version__,
        "stories": [
            {
                **d.story.to_dict(),
                "outlets": sorted({doc.outlet for doc in d.documents if doc.outlet}),
                "documents": [doc.id for doc in d.documents],
                "sources": [doc.source for doc in d.documents],
                "counts": {
                    "documents": len(d.documents),
                    "facts": len(d.facts),
                    "corroborated": sum(1 for f in d.facts if f.status == "corroborated"),
                    "conflicts": len(d.conflicts),
                },
                "dossier": file,
            }
            for d, file in zip(made, files)
        ],
        "skipped": [s.to_dict() for s in skipped],
    }


def _as_items(items: Iterable[Item] | Item) -> list[Item]:
    if isinstance(items, (str, os.PathLike, Article)):
        return [items]
    return list(items)
