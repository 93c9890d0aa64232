"""Clean: repair the text of a raw document and keep the map back to its input.

``clean(raw, doc_id)`` gives a ``Document`` whose ``text`` is the body, whose
``repairs`` list every change with its raw span, and whose ``offsets`` map every
clean character to the decoded input.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import urlsplit

import numpy as np

from accord.model import Document, OffsetMap, RawDocument, Repair

from . import repairs as rules
from .edits import Edit, apply_edits, locate_repairs, mapped_points

__all__ = ["Edit", "apply_edits", "clean", "PASSES"]

#: The repair passes, in order: each sees the text the ones before it left.
PASSES: tuple[Callable[[str], list[Edit]], ...] = (
    rules.surrogates,
    rules.mojibake,
    rules.junk_paragraphs,
    rules.glued_captions,
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
        spans = _current_spans(mapping, [d.raw for d in raw.drops])
        edits = [Edit(start, end, "", d.kind, d.note) for (start, end), d in zip(spans, raw.drops)]
        text, mapping, done = apply_edits(text, mapping, [e for e in edits if e.end > e.start])
        found.extend(done)
    for rule in PASSES:
        text, mapping, done = apply_edits(text, mapping, rule(text))
        found.extend(done)
    # "en-US", "EN": the language, not the region, decides the analysis.
    language = raw.language.split("-")[0].split("_")[0].lower() if raw.language else None
    english = language in (None, "en")
    # A drop of no characters is a note about the whole input (the legacy
    # encoding it was decoded from): kept as a repair at the text's start.
    notes: list[Repair] = [Repair(d.kind, d.note, d.raw, 0, 0) for d in raw.drops if d.raw[1] <= d.raw[0]]
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
        outlet=_valid(raw.outlet),
        title=_valid(raw.title),
        authors=[rules.SURROGATES.sub("\ufffd", a) for a in raw.authors],
        published=raw.published,
        language=language or "en",
        credits=list(raw.credits),
        wire=raw.wire,
        url=_parseable_url(_valid(raw.url)),
        owner=raw.owner,
        outlet_kind=raw.outlet_kind,
        outlet_country=raw.outlet_country,
        outlet_lean=raw.outlet_lean,
    )
    if english:
        for start, end, note in rules.suspect_tokens(text):
            suspect = document.span(start, end)
            document.suspects.append(suspect)
            if suspect.raw:
                notes.append(Repair("suspect-token", note, suspect.raw, start, end))
    document.repairs = sorted(locate_repairs(found, mapping) + notes, key=lambda r: (r.raw, r.kind))
    return document


def _valid(value: str | None) -> str | None:
    """Metadata with its unpaired surrogates replaced by U+FFFD: they are no
    characters and no output (JSON in UTF-8, a store) can hold them."""
    return rules.SURROGATES.sub("\ufffd", value) if value else value


def _parseable_url(url: str | None) -> str | None:
    """The URL, or None when it cannot be parsed ("http://[not an address]/"
    from a damaged feed): every later stage may take its host apart."""
    if not url:
        return url
    try:
        urlsplit(url).hostname
    except ValueError:
        return None
    return url


def _current_spans(mapping: OffsetMap, raw_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where each raw span stands in the text ``mapping`` maps (an empty span
    at 0 for a raw span none of whose characters are there)."""
    index, sources = mapped_points(mapping)
    out = []
    for start, end in raw_spans:
        first = int(np.searchsorted(sources, start, side="left"))
        last = int(np.searchsorted(sources, end, side="left")) - 1
        out.append((int(index[first]), int(index[last]) + 1) if first <= last else (0, 0))
    return out
