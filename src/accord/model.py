"""The data model every stage shares: documents, spans, repairs and what the
pipeline finds in them.

Records are plain dataclasses. Each has ``to_dict()`` giving its form in the
dossier JSON contract (``schema/dossier.schema.json``); nothing here knows about
spaCy, HTML or files.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Sequence

__all__ = [
    "Article",
    "Analysis",
    "Claim",
    "Conflict",
    "ConflictSide",
    "Coverage",
    "Document",
    "Entity",
    "Fact",
    "Frame",
    "Mention",
    "OffsetMap",
    "distinct_labels",
    "PassageKind",
    "Quantity",
    "Quote",
    "RawDocument",
    "Repair",
    "Skipped",
    "Span",
    "Stance",
    "Statement",
    "Story",
    "SummarySentence",
    "TimeExpression",
    "TimelineEntry",
]


# --------------------------------------------------------------------------- offsets


class OffsetMap:
    """Maps every character of a derived text to the character of the source text
    it was taken from.

    ``positions[i]`` is the source offset of derived character ``i``, or -1 when
    the character was inserted and has no source. Positions of mapped characters
    strictly increase, so a derived span maps to one source span.
    """

    __slots__ = ("_positions",)

    def __init__(self, positions: Iterable[int]) -> None:
        self._positions = array("q", positions)

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        """The map of a text onto itself."""
        return cls(range(length))

    @classmethod
    def unmapped(cls, length: int) -> "OffsetMap":
        """The map of a text that was rebuilt and has no exact source characters."""
        return cls(array("q", [-1]) * length)

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index: int) -> int:
        return self._positions[index]

    @property
    def positions(self) -> array[int]:
        return self._positions

    def source_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Source offsets of the derived span ``[start, end)``, or None when an end
        of it has no exact source character (or the span is empty)."""
        if not 0 <= start < end <= len(self._positions):
            return None
        first = self._positions[start]
        last = self._positions[end - 1]
        if first < 0 or last < 0:
            return None
        return (first, last + 1)

    def source_offset(self, index: int) -> int | None:
        """Source offset of the derived boundary ``index`` (0..len): where a
        zero-width point of the derived text sits in the source."""
        if index < len(self._positions) and self._positions[index] >= 0:
            return self._positions[index]
        if index > 0 and self._positions[index - 1] >= 0:
            return self._positions[index - 1] + 1
        return None

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """Given ``self`` mapping text B onto A and ``inner`` mapping C onto B,
        return the map of C onto A."""
        outer = self._positions
        return OffsetMap(outer[p] if p >= 0 else -1 for p in inner._positions)


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character offsets into a document's clean text, with the text
    they cover and the same characters' offsets in the decoded input."""

    doc: str
    start: int
    end: int
    text: str
    raw: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "raw": list(self.raw) if self.raw is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Repair:
    """One change the cleaner made: what, why, where in the input, where in the
    clean text (None for both ends when the repaired characters were removed
    and nothing stands in their place... an empty clean span keeps the point)."""

    kind: str
    note: str
    raw: tuple[int, int]
    start: int | None
    end: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "note": self.note,
            "raw": list(self.raw),
            "start": self.start,
            "end": self.end,
        }


# --------------------------------------------------------------------------- inputs


@dataclass(slots=True)
class Article:
    """An article given in memory rather than as a file."""

    text: str
    title: str | None = field(default=None, kw_only=True)
    outlet: str | None = field(default=None, kw_only=True)
    published: str | None = field(default=None, kw_only=True)
    url: str | None = field(default=None, kw_only=True)
    authors: list[str] = field(default_factory=list, kw_only=True)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be read, and why (one line)."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}


@dataclass(slots=True)
class RawDocument:
    """What ingest read: the decoded input, the text the cleaner starts from, and
    the metadata found around it.

    ``text_map`` maps ``text`` onto ``raw``; for plain text ``text`` is ``raw``
    itself, for HTML it is the extracted body and its map is mostly unmapped.
    ``drops`` are the raw spans that ingest recognised as not body (scraper
    header lines, the title lines, captions), as repairs for the cleaner to apply.
    """

    source: str
    format: str
    raw: str
    sha256: str
    text: str
    text_map: OffsetMap
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    credits: list[str] = field(default_factory=list)
    wire: str | None = None
    url: str | None = None
    drops: list[Repair] = field(default_factory=list)
    owner: str | None = None
    outlet_kind: str | None = None
    outlet_country: str | None = None
    outlet_lean: str | None = None


@dataclass(slots=True)
class Document:
    """A clean document: its body text, its metadata, every repair made to reach
    it, and the map of its text back onto the decoded input."""

    id: str
    source: str
    format: str
    text: str
    sha256: str
    offsets: OffsetMap
    outlet: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    credits: list[str] = field(default_factory=list)
    wire: str | None = None
    url: str | None = None
    repairs: list[Repair] = field(default_factory=list)
    suspects: list[Span] = field(default_factory=list)
    #: Who owns the outlet, and what kind of source it is (wire, newspaper,
    #: encyclopedia, press-release...), from the outlet registry.
    owner: str | None = None
    outlet_kind: str | None = None
    #: The outlet's home country (ISO 3166 code) from the registry, and its
    #: lean or rating when the user's registry gives one (accord ships none).
    outlet_country: str | None = None
    outlet_lean: str | None = None

    def span(self, start: int, end: int) -> Span:
        """The span ``[start, end)`` of this document's clean text, with its raw
        offsets. Raises ValueError for offsets outside the text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span [{start}, {end}) is outside document {self.id} "
                f"({len(self.text)} characters)"
            )
        return Span(self.id, start, end, self.text[start:end], self.offsets.source_span(start, end))

    @property
    def label(self) -> str:
        """How a person names this document: its outlet, else its file name."""
        return self.outlet or self.source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "outlet": self.outlet,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "language": self.language,
            "credits": list(self.credits),
            "wire": self.wire,
            "url": self.url,
            "text": self.text,
            "sha256": self.sha256,
            "repairs": [r.to_dict() for r in self.repairs],
            "suspects": [s.to_dict() for s in self.suspects],
            "owner": self.owner,
            "outlet_kind": self.outlet_kind,
            "outlet_country": self.outlet_country,
            "outlet_lean": self.outlet_lean,
        }


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention in one document."""

    text: str
    label: str
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "label": self.label, "span": self.span.to_dict()}


QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(slots=True)
class Quote:
    """A quotation: the words reported, who said them and the verb that says so."""

    id: str
    doc: str
    kind: QuoteKind
    span: Span
    speaker_name: str | None = None
    speaker_mention: Span | None = None
    cue: Span | None = None
    speaker: str | None = None

    @property
    def text(self) -> str:
        return self.span.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "kind": self.kind,
            "span": self.span.to_dict(),
            "text": self.span.text,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "speaker_mention": self.speaker_mention.to_dict() if self.speaker_mention else None,
            "cue": self.cue.to_dict() if self.cue else None,
        }


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, normalised (durations in minutes, shares in percent)."""

    span: Span
    value: float
    unit: str
    kind: str
    approximate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.span.text,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "approximate": self.approximate,
            "span": self.span.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression resolved to a date of some precision."""

    span: Span
    date: str
    precision: Literal["day", "month", "year"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.span.text,
            "date": self.date,
            "precision": self.precision,
            "span": self.span.to_dict(),
        }


Stance = Literal["asserts", "denies", "questions", "hedges", "predicts"]
PassageKind = Literal["reporting", "quotation", "background", "opinion", "headline", "question", "boilerplate"]


@dataclass(frozen=True, slots=True)
class Frame:
    """One clause of a claim as a frame: its predicate (the lemma of its main
    verb, or of the complement of "be"), who acts and on what or whom (the
    keys of their head words, names as ``@name``), whether it is negated, and
    the clause's own content keys and characters."""

    predicate: str
    span: Span
    keys: tuple[str, ...] = ()
    agent: str | None = None
    patient: str | None = None
    negated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"predicate": self.predicate, "agent": self.agent, "patient": self.patient, "negated": self.negated,
                "span": self.span.to_dict(), "keys": list(self.keys)}


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence that asserts something: who did what to whom, where, when and
    how many (each a span of the sentence, or empty), who it is attributed to,
    and the words that carry its content (lemmas of content words)."""

    span: Span
    keys: tuple[str, ...]
    attributed: bool = False
    who: Span | None = None
    did: Span | None = None
    whom: Span | None = None
    where: tuple[Span, ...] = ()
    when: tuple[Span, ...] = ()
    how_many: tuple[Span, ...] = ()
    according_to: Span | None = None
    #: How the passage holds its content: asserts, denies, questions, hedges
    #: or predicts it.
    stance: "Stance" = "asserts"
    #: Who asserts the content: None for the outlet's own voice, else the
    #: name of the source it is attributed to ("Rubio", "officials",
    #: "reportedly").
    assertor: str | None = None
    #: What kind of passage the sentence is: reporting, quotation,
    #: background, opinion, headline, question or boilerplate.
    passage: "PassageKind" = "reporting"
    #: The clauses it tells, one frame each (the reported clause of "X said
    #: P", not the saying).
    frames: tuple[Frame, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def one(span: Span | None) -> dict[str, Any] | None:
            return span.to_dict() if span is not None else None

        return {
            "text": self.span.text,
            "span": self.span.to_dict(),
            "who": one(self.who),
            "did": one(self.did),
            "whom": one(self.whom),
            "where": [s.to_dict() for s in self.where],
            "when": [s.to_dict() for s in self.when],
            "how_many": [s.to_dict() for s in self.how_many],
            "according_to": one(self.according_to),
            "attributed": self.attributed,
            "stance": self.stance,
            "assertor": self.assertor,
            "passage": self.passage,
            "keys": list(self.keys),
            "frames": [f.to_dict() for f in self.frames],
        }


@dataclass(slots=True)
class Analysis:
    """Everything the analyze stage found in one document."""

    document: Document
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = self.document.to_dict()
        out["entities"] = [m.to_dict() for m in self.entities]
        out["quotes"] = [q.to_dict() for q in self.quotes]
        out["quantities"] = [q.to_dict() for q in self.quantities]
        out["times"] = [t.to_dict() for t in self.times]
        out["claims"] = [c.to_dict() for c in self.claims]
        return out


# --------------------------------------------------------------------------- across documents


@dataclass(slots=True)
class Story:
    """Documents that report the same events."""

    id: str
    title: str | None
    documents: list[str]
    first_published: str | None = None
    last_published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "first_published": self.first_published,
            "last_published": self.last_published,
        }


@dataclass(slots=True)
class Entity:
    """One person, organisation or place, under every name the documents use."""

    id: str
    name: str
    type: str
    aliases: list[str]
    mentions: list[Span]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
        }


Agreement = Literal["identical", "consistent", "divergent"]


@dataclass(slots=True)
class Statement:
    """One utterance as reported by one or more documents."""

    id: str
    speaker: str | None
    quotes: list[str]
    outlets: int
    independent: int
    agreement: Agreement
    differences: list[dict[str, str]] = field(default_factory=list)
    speaker_name: str | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "text": self.text,
            "quotes": list(self.quotes),
            "outlets": self.outlets,
            "independent": self.independent,
            "agreement": self.agreement,
            "differences": [dict(d) for d in self.differences],
        }


FactStatus = Literal["corroborated", "attributed", "single-source", "disputed"]


@dataclass(slots=True)
class Fact:
    """One claim as made by one or more documents, with how many outlets and how
    many independent origins support it."""

    id: str
    text: str
    support: list[Span]
    outlets: int
    independent: int
    status: FactStatus
    #: The stance of each support span towards the fact, in the order of
    #: ``support``: asserts, denies, questions, hedges, predicts or
    #: attributes. Empty means every span asserts it.
    stances: list[str] = field(default_factory=list)
    #: Who asserts the fact in each support span, in the order of
    #: ``support``: None for the outlet's own voice, else the source named.
    assertors: list[str | None] = field(default_factory=list)
    #: What makes a disputed fact disputed: the ids of the conflicts about it
    #: (every disputed fact has at least one; empty for the others).
    disputed_by: list[str] = field(default_factory=list)
    #: The named source the outlets relay the fact from (status
    #: ``attributed``: outlets report that this source said it), else None.
    source: str | None = None
    #: Independent origins whose passages relay the fact from ``source``
    #: (0 when no passage relays it from a named source).
    reported_by: int = 0

    def stance_of(self, index: int) -> str:
        """The stance of the ``index``-th support span."""
        return self.stances[index] if self.stances else "asserts"

    def to_dict(self) -> dict[str, Any]:
        support = []
        for index, span in enumerate(self.support):
            entry = span.to_dict()
            entry["stance"] = self.stance_of(index)
            entry["assertor"] = self.assertors[index] if self.assertors else None
            support.append(entry)
        return {
            "id": self.id,
            "text": self.text,
            "support": support,
            "outlets": self.outlets,
            "independent": self.independent,
            "status": self.status,
            "disputed_by": list(self.disputed_by),
            "source": self.source,
            "reported_by": self.reported_by,
        }


@dataclass(slots=True)
class ConflictSide:
    """One value that some documents give."""

    value: str
    normalized: str | None
    support: list[Span]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "normalized": self.normalized,
            "support": [s.to_dict() for s in self.support],
        }


@dataclass(slots=True)
class Conflict:
    """Values that disagree between documents about the same thing."""

    id: str
    topic: str
    sides: list[ConflictSide]
    #: value, stance, quotation or attribution.
    kind: str = "value"
    #: How much the disagreement matters, 0..1 (conflicts are ranked by it).
    severity: float = 0.5
    #: One sentence saying what differs and who says what.
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "kind": self.kind,
            "severity": round(self.severity, 3),
            "description": self.description,
            "sides": [s.to_dict() for s in self.sides],
        }


@dataclass(slots=True)
class TimelineEntry:
    date: str
    precision: Literal["day", "month", "year"]
    text: str
    support: list[Span]
    #: A date the story looks back to (a biography, "in his role since
    #: 2004", a founding year), not one of the story's own events.
    background: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "precision": self.precision,
            "text": self.text,
            "support": [s.to_dict() for s in self.support],
            "background": self.background,
        }


@dataclass(slots=True)
class SummarySentence:
    text: str
    support: list[Span]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "support": [s.to_dict() for s in self.support]}


@dataclass(slots=True)
class Coverage:
    doc: str
    facts: list[str]
    exclusive: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "facts": list(self.facts), "exclusive": list(self.exclusive)}


def distinct_labels(documents: Sequence[Document]) -> dict[str, str]:
    """How a person tells the documents of one story apart: each document's
    ``label`` (its outlet), and where two documents share one (two reports of
    one paper), the label with the document's publication date, or its id
    when the dates do not tell them apart ("Chicago Tribune, 2016-06-04")."""
    by_label: dict[str, list[Document]] = {}
    for document in documents:
        by_label.setdefault(document.label, []).append(document)
    names: dict[str, str] = {}
    for label, group in by_label.items():
        if len(group) == 1:
            names[group[0].id] = label
            continue
        dates = [(d.published or "")[:10] for d in group]
        dated = all(dates) and len(set(dates)) == len(dates)
        for document, date in zip(group, dates):
            names[document.id] = f"{label}, {date}" if dated else f"{label} ({document.id})"
    return names

