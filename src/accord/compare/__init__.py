"""Compare: per story, one entity for every spelling of a name, statements
aligned across outlets, facts with their support and independence, and
conflicts between values."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from accord.model import Analysis, Conflict, Entity, Fact, Quote, Statement
from accord.settings import DEFAULT, Settings

from accord.group import near_duplicates

from .conflicts import find_conflicts, mark_disputed
from .entities import EntityIndex, resolve_entities
from .facts import align_facts
from .independence import Sources
from .statements import align_statements

__all__ = ["Comparison", "compare"]


@dataclass(slots=True)
class Comparison:
    """What the documents of one story say together."""

    entities: list[Entity]
    quotes: list[Quote]
    statements: list[Statement]
    facts: list[Fact]
    conflicts: list[Conflict]
    index: EntityIndex


def compare(analyses: Sequence[Analysis], *, settings: Settings = DEFAULT) -> Comparison:
    """Compare the analysed documents of one story. Quotes get story-wide ids
    (q1, q2, ...) and their speaker's entity id (new Quote objects: the
    analyses are left as they were)."""
    documents = [a.document for a in analyses]
    reprint_of = {doc_id: group[0] for group in near_duplicates(documents, settings=settings) for doc_id in group}
    sources = Sources({d.id: d for d in documents}, reprint_of)
    index = resolve_entities(analyses)
    quotes: list[Quote] = []
    for analysis in analyses:
        for quote in analysis.quotes:
            speaker = index.entity_for(quote.speaker_name, quote.speaker_mention)
            quotes.append(replace(quote, id=f"q{len(quotes) + 1}", speaker=speaker))
    statements = align_statements(quotes, sources)
    facts = align_facts(analyses, sources)
    conflicts = find_conflicts(analyses, statements, quotes, facts, settings=settings)
    mark_disputed(facts, conflicts)
    return Comparison(index.entities, quotes, statements, facts, conflicts, index)
