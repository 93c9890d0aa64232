"""How documents, analyses and dossiers are written to the store and read back.

A document is kept as its ``to_dict()`` JSON plus its offset map, packed (the
differences between neighbouring positions, which are nearly all 1, deflated).
An analysis is kept without its document and without the text of its spans
(``document.text[start:end]`` is the text by the provenance invariant), so it
is rebuilt without spaCy. A dossier is kept as its JSON contract and rebuilt
into the same records.

Every reader takes the id the document should carry: a story's dossier numbers
its documents d1, d2… as ``accord dossier`` on those files would.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import json
import types
import typing
import zlib
from array import array
from functools import lru_cache
from typing import Any

from accord import model

from accord.model import Analysis, Document, OffsetMap, Repair, Span

__all__ = [
    "analysis_from_record",
    "analysis_record",
    "document_from_record",
    "document_record",
    "dossier_parts",
    "pack_offsets",
    "span_from_dict",
    "unpack_offsets",
]

# --------------------------------------------------------------------------- offsets


def pack_offsets(offsets: OffsetMap) -> bytes:
    """The offset map as deflated deltas: a few bytes for a plain-text document."""
    positions = offsets.positions
    # Differences between neighbours (the first from -1), at C speed: a
    # Python loop over every character cost 0.5 ms for a 4,000-character text.
    deltas = array("q", map(operator.sub, positions, itertools.chain((-1,), positions)))
    return zlib.compress(deltas.tobytes(), 6)


def unpack_offsets(packed: bytes) -> OffsetMap:
    """The offset map that ``pack_offsets`` packed."""
    deltas = array("q")
    deltas.frombytes(zlib.decompress(packed))
    positions = array("q", itertools.accumulate(deltas, initial=-1))
    return OffsetMap(positions[1:])


# --------------------------------------------------------------------------- documents


def document_record(document: Document) -> str:
    """The document's JSON (its ``to_dict()``), for the documents table."""
    return json.dumps(document.to_dict(), ensure_ascii=False, separators=(",", ":"))


def document_from_record(record: str | dict[str, Any], offsets: OffsetMap, *, doc_id: str | None = None) -> Document:
    """The Document that ``document_record`` wrote, carrying ``doc_id`` (its
    stored id when None) in its id and in every span."""
    data = json.loads(record) if isinstance(record, str) else record
    doc_id = doc_id or data["id"]
    return Document(
        id=doc_id,
        source=data["source"],
        format=data["format"],
        text=data["text"],
        sha256=data["sha256"],
        offsets=offsets,
        outlet=data.get("outlet"),
        title=data.get("title"),
        authors=list(data.get("authors") or []),
        published=data.get("published"),
        language=data.get("language"),
        credits=list(data.get("credits") or []),
        wire=data.get("wire"),
        url=data.get("url"),
        owner=data.get("owner"),
        outlet_kind=data.get("outlet_kind"),
        outlet_country=data.get("outlet_country"),
        outlet_lean=data.get("outlet_lean"),
        repairs=[
            Repair(r["kind"], r["note"], tuple(r["raw"]), r.get("start"), r.get("end"))  # type: ignore[arg-type]
            for r in data.get("repairs") or []
        ],
        suspects=[_span(doc_id, data["text"], s["start"], s["end"], s.get("raw")) for s in data.get("suspects") or []],
    )


# --------------------------------------------------------------------------- analyses

# Analyses are written field by field from the dataclasses of the model, so a
# field the analyze stage adds is kept without a change here. A span is written
# as {"@": [start, end]} or {"@": [start, end, raw start, raw end]}: its text
# and its document come back from the document.


def _where(span: Span) -> dict[str, list[int]]:
    if span.raw is None:
        return {"@": [span.start, span.end]}
    return {"@": [span.start, span.end, span.raw[0], span.raw[1]]}


def _span(doc_id: str, text: str, start: int, end: int, raw: Any = None) -> Span:
    return Span(doc_id, start, end, text[start:end], tuple(raw) if raw is not None else None)  # type: ignore[arg-type]


def _encode(value: Any, doc_id: str) -> Any:
    if isinstance(value, Span):
        return _where(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name == "doc" and item == doc_id:
                out[f.name] = None  # the document's own id: given back on reading
            elif f.name == "id" and isinstance(item, str) and item.startswith(doc_id + "."):
                # Quote ids name their document ("d3.q1"): keep the rest only.
                out[f.name] = item[len(doc_id):]
            else:
                out[f.name] = _encode(item, doc_id)
        return out
    if isinstance(value, (list, tuple)):
        return [_encode(v, doc_id) for v in value]
    return value


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _decode(value: Any, hint: Any, document: Document) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and "@" in value:
        where = value["@"]
        return _span(document.id, document.text, where[0], where[1], where[2:4] if len(where) == 4 else None)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
        origin = typing.get_origin(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return _build(hint, value, document)
    if origin in (list, tuple) and isinstance(value, list):
        args = typing.get_args(hint)
        inner = args[0] if args and (origin is list or (len(args) == 2 and args[1] is Ellipsis)) else None
        items = [
            _decode(v, inner if inner is not None else (args[i] if i < len(args) else Any), document)
            for i, v in enumerate(value)
        ]
        return tuple(items) if origin is tuple else items
    return value


def _build(cls: type, data: dict[str, Any], document: Document) -> Any:
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue  # written before the field existed: its default stands
        value = data[f.name]
        if f.name == "doc" and value is None:
            values[f.name] = document.id
        elif f.name == "id" and isinstance(value, str) and value.startswith("."):
            values[f.name] = document.id + value
        else:
            values[f.name] = _decode(value, hints[f.name], document)
    return cls(**values)


def analysis_record(analysis: Analysis) -> str:
    """What the analyze stage found in a document, as compact JSON: every
    field of the Analysis but its document, spans without their text."""
    doc_id = analysis.document.id
    record = {
        f.name: _encode(getattr(analysis, f.name), doc_id)
        for f in dataclasses.fields(Analysis)
        if f.name != "document"
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def analysis_from_record(record: str, document: Document) -> Analysis:
    """The Analysis that ``analysis_record`` wrote, on ``document`` (whose id
    its spans and quote ids take)."""
    data = json.loads(record)
    hints = _hints(Analysis)
    values = {
        f.name: _decode(data[f.name], hints[f.name], document)
        for f in dataclasses.fields(Analysis)
        if f.name != "document" and f.name in data
    }
    return Analysis(document=document, **values)


# --------------------------------------------------------------------------- dossiers


def span_from_dict(data: dict[str, Any]) -> Span:
    """A Span from its JSON form."""
    raw = data.get("raw")
    return Span(data["doc"], data["start"], data["end"], data["text"], tuple(raw) if raw is not None else None)  # type: ignore[arg-type]


def _from_json(value: Any, hint: Any) -> Any:
    """A record of the model from its ``to_dict()`` form, led by the field's
    type: the dataclass's fields are read by name, extra keys are ignored."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
        origin = typing.get_origin(hint)
    if hint is Span:
        return span_from_dict(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and isinstance(value, dict):
        hints = _hints(hint)
        return hint(**{
            f.name: _from_json(value[f.name], hints[f.name]) for f in dataclasses.fields(hint) if f.name in value
        })
    if origin in (list, tuple) and isinstance(value, list):
        args = typing.get_args(hint)
        inner = args[0] if args and (origin is list or (len(args) == 2 and args[1] is Ellipsis)) else Any
        items = [_from_json(v, inner) for v in value]
        return tuple(items) if origin is tuple else items
    if origin is dict and isinstance(value, dict):
        return dict(value)
    return value


def dossier_parts(data: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """The records of a dossier's JSON but its documents (which the store
    rebuilds with their offset maps), as keyword arguments of the dossier
    class whose field types ``fields`` gives."""
    story = dict(data["story"])
    # The contract's story carries no document list; the ids are the dossier's.
    story.setdefault("documents", [d["id"] for d in data["documents"]])
    # The contract keeps each support span's stance and assertor in the span's
    # object; the model keeps them in lists beside the spans.
    facts = [
        {**fact, "stances": [s.get("stance", "asserts") for s in fact.get("support", [])],
         "assertors": [s.get("assertor") for s in fact.get("support", [])]}
        for fact in data.get("facts", [])
    ]
    data = {**data, "story": story, "facts": facts}
    return {name: _from_json(data[name], hint) for name, hint in fields.items() if name != "documents" and name in data}
