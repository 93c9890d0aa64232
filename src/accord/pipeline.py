"""The pipeline's API: ingest -> clean -> analyze -> group -> compare ->
synthesize, and the Dossier it produces (rendered by the render stage).

The work itself is driven by ``accord.runner`` (the per-document and
per-story steps, each input and story under a guard); this module gives it
the shapes a caller asks for: ``ingest`` and ``analyze`` (a Batch),
``dossier`` (one story) and ``dossiers`` (one per story).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from accord import group as group_stage
from accord.errors import UsageError
from accord.executors import Executor
from accord.ingest import Reading
from accord.model import Analysis, Skipped, Story
from accord.runner import (
    SCHEMA_ID,
    Batch,
    Counts,
    DocumentWork,
    Dossier,
    Item,
    Outlets,
    Progress,
    Reject,
    StoryDone,
    StoryFailure,
    StoryWork,
    Worked,
    documents,
    make_dossiers,
    process_documents,
    read_numbered,
    read_one,
    story_dossier,
)
from accord.settings import DEFAULT, Settings

__all__ = [
    "Batch", "Counts", "DocumentWork", "Dossier", "Outlets", "Progress", "Reject", "SCHEMA_ID", "Worked",
    "analyze", "dossier", "dossiers", "ingest", "process_documents", "read_numbered", "read_one",
    "several_stories", "stories_index", "story_analyses", "story_dossier", "story_results",
]


def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


def ingest(
    items: Iterable[Item] | Item, *, executor: Executor | str | None = None, workers: int | None = None,
    settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> Batch:
    """Read and clean every input: documents d1, d2, ... in the inputs' canonical order, and
    the inputs that could not be read, each with its reason. ``executor`` (an
    Executor, or "inprocess", "pool", "dask", "auto") runs the cleaning; the
    default is this process. ``reading`` says how to read the inputs (a field
    mapping for JSON, metadata the user gives, a manifest); ``outlets`` is the
    outlet registry or a file extending the shipped one (default: the file
    ``ACCORD_OUTLETS`` names, else the shipped registry)."""
    return documents(items, analyze=False, executor=executor, workers=workers, settings=settings,
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
    return documents(items, analyze=True, executor=executor, workers=workers, settings=settings,
                     progress=progress, reading=(reading or Reading()).with_outlets(outlets))


def story_analyses(analyses: Sequence[Analysis], *, settings: Settings = DEFAULT) -> list[Analysis]:
    """The analyses of one story's documents, with the relative times of each
    English document that has no date of its own resolved against the date of
    the story's dated document nearest to it (``analyze.anchor_undated``:
    the one sharing the most names with it, never one that shares too few;
    new Analysis objects; the others are returned as they are)."""
    from accord.analyze import anchor_undated

    return anchor_undated(analyses, settings=settings)


def _analysed(items: Iterable[Item] | Item | Batch, executor: Executor | str | None, workers: int | None,
              settings: Settings, progress: Progress, reading: Reading | None, outlets: Outlets) -> Batch:
    if isinstance(items, Batch) and items.analyses:
        return items
    return analyze(items, executor=executor, workers=workers, settings=settings, progress=progress,
                   reading=reading, outlets=outlets)


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
    batch = _analysed(items, executor, workers, settings, progress, reading, outlets)
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


def story_results(
    batch: Batch, stories: Sequence[Story] | None = None, *, executor: Executor | None = None,
    formats: Sequence[str] = (), settings: Settings = DEFAULT, progress: Progress = _quiet,
) -> list[StoryDone]:
    """The per-story step over an analysed pile: ``stories`` (default: the
    pile grouped as ``accord stories`` groups it), each made on ``executor``
    (here by default) and rendered in ``formats``; a story that fails comes
    back with its one-line reason, and the others go on."""
    if stories is None:
        progress("stories", 0, None)
        stories = group_stage.group_stories(batch.documents, settings=settings)
    by_id = {a.document.id: a for a in batch.analyses}
    tasks = [StoryWork(_kept(s, by_id), tuple(by_id[d] for d in s.documents if d in by_id), formats=tuple(formats),
                       settings=settings) for s in stories]
    return list(make_dossiers(tasks, executor=executor, total=len(tasks), progress=progress))


def _kept(story: Story, analysed: dict[str, Analysis]) -> Story:
    """The story without the documents whose analysis failed (grouped before
    the analysis, they are not in its dossier)."""
    if all(d in analysed for d in story.documents):
        return story
    return Story(story.id, story.title, [d for d in story.documents if d in analysed],
                 story.first_published, story.last_published)


def dossiers(
    items: Iterable[Item] | Item | Batch, *, executor: Executor | str | None = None, workers: int | None = None,
    settings: Settings = DEFAULT, progress: Progress = _quiet, reading: Reading | None = None,
    outlets: Outlets = None,
) -> list[Dossier]:
    """One dossier per story the reports tell: the documents are grouped into
    stories first (the stories ``accord stories`` finds, s1, s2... in order of
    their first document), then each story's dossier is made by the
    per-story step, on ``executor`` when one is given. Documents keep their
    ids in the pile (d1, d2... in the inputs' canonical order); inputs that could not be read
    are in the Batch of ``accord.analyze``, not in any story's dossier. A
    story whose dossier fails is left out (logged on the ``accord`` logger
    with its reason); the others are made."""
    batch = _analysed(items, executor, workers, settings, progress, reading, outlets)
    runner = executor if isinstance(executor, Executor) else None
    return [done.dossier for done in story_results(batch, executor=runner, settings=settings, progress=progress)
            if done.dossier is not None]


def stories_index(made: Sequence[Dossier], files: Sequence[str], *, skipped: Sequence[Skipped] = (),
                  failed: Sequence[StoryFailure] = ()) -> dict[str, Any]:
    """The index of a pile's dossiers (``index.json``, rendered as
    ``index.html``): each story with its dates, outlets, documents, counts of
    facts, corroborated facts and conflicts, and the file of its dossier
    (``files``, parallel to ``made``); stories whose dossier failed, with
    why, under ``failed`` (only when there are some)."""
    from accord import __version__
    from accord.render import INDEX_SCHEMA

    index: dict[str, Any] = {
        "schema": INDEX_SCHEMA,
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
    if failed:
        index["failed"] = [f.to_dict() for f in failed]
    return index
