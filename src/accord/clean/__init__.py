"""Clean: repair the text of a raw document and keep the map back to its input.

``clean(raw, doc_id)`` gives a ``Document`` whose ``text`` is the body, whose
``repairs`` list every change with its raw span, and whose ``offsets`` map every
clean character to the decoded input.
"""

from __future__ import annotations

from typing import Callable

from accord.model import Document, OffsetMap, RawDocument, Repair

from . import repairs as rules
from .edits import Edit, apply_edits, locate_repairs

__all__ = ["Edit", "apply_edits", "clean", "PASSES"]

#: The repair passes, in order: each sees the text the ones before it left.
PASSES: tuple[Callable[[str], list[Edit]], ...] = (
    rules.junk_paragraphs,
    rules.inline_urls,
    rules.spaces,
    rules.rejoin_paragraphs,
    rules.unwrap_lines,
    rules.blank_lines,
    rules.quotation_marks,
)


def clean(raw: RawDocument, doc_id: str) -> Document:
    """The clean document of ``raw``, with id ``doc_id``."""
    text, mapping = raw.text, raw.text_map
    found: list[Repair] = []
    if raw.drops:
        edits = [Edit(*_current_span(mapping, d.raw), "", d.kind, d.note) for d in raw.drops]
        text, mapping, done = apply_edits(text, mapping, [e for e in edits if e.end > e.start])
        found.extend(done)
    for rule in PASSES:
        text, mapping, done = apply_edits(text, mapping, rule(text))
        found.extend(done)
    english = raw.language in (None, "en")
    notes: list[Repair] = []
    for start, end, note in rules.unbalanced_quotations(text):
        span = mapping.source_span(start, end)
        if span:
            notes.append(Repair("unbalanced-quote", note, span, start, end))
    document = Document(
        id=doc_id,
        source=raw.source,
        format=raw.format,
        text=text,
        sha256=raw.sha256,
        offsets=mapping,
        outlet=raw.outlet,
        title=raw.title,
        authors=list(raw.authors),
        published=raw.published,
        language=raw.language or ("en" if english else None),
        credits=list(raw.credits),
        wire=raw.wire,
        url=raw.url,
    )
    if english:
        for start, end, note in rules.suspect_tokens(text):
            span = document.span(start, end)
            document.suspects.append(span)
            if span.raw:
                notes.append(Repair("suspect-token", note, span.raw, start, end))
    document.repairs = sorted(locate_repairs(found, mapping) + notes, key=lambda r: (r.raw, r.kind))
    return document


def _current_span(mapping: OffsetMap, raw_span: tuple[int, int]) -> tuple[int, int]:
    """Where the raw span ``raw_span`` stands in the text ``mapping`` maps."""
    positions = mapping.positions
    inside = [i for i, p in enumerate(positions) if raw_span[0] <= p < raw_span[1]]
    if not inside:
        return (0, 0)
    return (inside[0], inside[-1] + 1)
