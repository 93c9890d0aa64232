"""The pipeline end to end: ingest -> clean -> analyze -> compare ->
synthesize, and the Dossier it produces (rendered by the render stage)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, TypeVar

from accord import analyze as analyze_stage
from accord import clean as clean_stage
from accord import compare as compare_stage
from accord import group as group_stage
from accord import ingest as ingest_stage
from accord import render
from accord import synthesize
from accord.analyze.times import resolve_reference
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

__all__ = ["Batch", "Dossier", "Progress", "SCHEMA_ID", "analyze", "dossier", "ingest"]

SCHEMA_ID = "accord.dossier/1"
Item = str | os.PathLike[str] | Article
#: Called as ``progress(stage, done, total)`` while long work goes on.
Progress = Callable[[str, int, int | None], None]
T = TypeVar("T")


@dataclass(slots=True)
class Batch:
    """The documents read from some inputs, what was skipped, and (after
    analysis) what was found in each document."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    analyses: list[Analysis] = field(default_factory=list)

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

    def to_markdown(self) -> str:
        return render.to_markdown(self.to_dict())

    def to_html(self) -> str:
        return render.to_html(self.to_dict())


def _quiet(stage: str, done: int, total: int | None) -> None:
    """Progress that shows nothing."""


def ingest(items: Iterable[Item] | Item, *, progress: Progress = _quiet) -> Batch:
    """Read and clean every input: documents d1, d2, ... in input order, and
    the inputs that could not be read, each with its reason."""
    batch = Batch()
    for entry in ingest_stage.read(_as_items(items)):
        if isinstance(entry, Skipped):
            batch.skipped.append(entry)
            continue
        assert isinstance(entry, RawDocument)
        batch.documents.append(clean_stage.clean(entry, f"d{len(batch.documents) + 1}"))
        progress("read", len(batch.documents), None)
    return batch


def analyze(items: Iterable[Item] | Item | Batch, *, progress: Progress = _quiet) -> Batch:
    """As ingest, plus entities, quotations, quantities, times and claims of
    every document. Relative dates of documents with no date of their own are
    resolved against the latest date of the others."""
    batch = items if isinstance(items, Batch) else ingest(items, progress=progress)
    fallback = resolve_reference(None, [d.published for d in batch.documents])
    total = len(batch.documents)
    batch.analyses = []
    progress("analyze", 0, total)
    for analysis in analyze_stage.analyze(batch.documents, fallback_date=fallback):
        batch.analyses.append(analysis)
        progress("analyze", len(batch.analyses), total)
    return batch


def dossier(items: Iterable[Item] | Item | Batch, *, progress: Progress = _quiet) -> Dossier:
    """The dossier of the story that the given reports tell."""
    batch = items if isinstance(items, Batch) and items.analyses else analyze(items, progress=progress)
    documents = batch.documents
    progress("compare", 0, None)
    comparison = compare_stage.compare(group_stage.mark_boilerplate(batch.analyses, group_stage.repeated_sentences(batch.analyses)))
    progress("synthesize", 0, None)
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
        skipped=batch.skipped,
        entities=comparison.entities,
        quotes=comparison.quotes,
        statements=comparison.statements,
        facts=comparison.facts,
        conflicts=comparison.conflicts,
        timeline=synthesize.timeline(batch.analyses, comparison.facts),
        summary=synthesize.summary(comparison.facts, comparison.conflicts, batch.analyses),
        coverage=synthesize.coverage(comparison.facts, documents),
    )


def _as_items(items: Iterable[Item] | Item) -> list[Item]:
    if isinstance(items, (str, os.PathLike, Article)):
        return [items]
    return list(items)
