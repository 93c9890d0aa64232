"""Edits of a text that keep track of where every character came from."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from accord.model import OffsetMap, Repair

__all__ = ["Edit", "apply_edits", "locate_repairs"]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of the current text by ``replacement``.

    A replacement of the same length keeps each character's source (a quotation
    mark normalised, a line break made a space). A replacement of another
    length maps its first and last characters to the sources of the first and
    last replaced ones ("cafÃ©" read again as "café": the word still starts and
    ends where it did; no source where that character had none), and the
    characters between them to no source. A repair with ``record=False`` is part of another that is
    already recorded.
    """

    start: int
    end: int
    replacement: str
    kind: str
    note: str
    record: bool = True


def apply_edits(
    text: str, mapping: OffsetMap, edits: Sequence[Edit]
) -> tuple[str, OffsetMap, list[Repair]]:
    """Apply non-overlapping edits to ``text`` (whose characters ``mapping``
    maps to the raw input). Returns the new text, its map to the raw input, and
    one repair per recorded edit with its raw span (clean offsets are filled in
    later by :func:`locate_repairs`). Raises ValueError on overlapping edits."""
    if not edits:
        return text, mapping, []
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pieces: list[str] = []
    positions = array("q")
    source = mapping.positions
    repairs: list[Repair] = []
    cursor = 0
    for edit in ordered:
        if edit.start < cursor or edit.end < edit.start or edit.end > len(text):
            raise ValueError(f"edit {edit.kind} [{edit.start}, {edit.end}) overlaps another or leaves the text")
        pieces.append(text[cursor:edit.start])
        positions.extend(source[cursor:edit.start])
        pieces.append(edit.replacement)
        positions.extend(_replacement_positions(source, edit))
        if edit.record:
            raw = _raw_extent(source, edit.start, edit.end, len(text))
            if raw is not None:
                repairs.append(Repair(edit.kind, edit.note, raw, None, None))
        cursor = edit.end
    pieces.append(text[cursor:])
    positions.extend(source[cursor:])
    return "".join(pieces), OffsetMap(positions), repairs


def _replacement_positions(source: array[int], edit: Edit) -> array[int]:
    size = len(edit.replacement)
    if size == edit.end - edit.start:
        return source[edit.start:edit.end]
    positions = array("q", [-1]) * size
    # The ends take the sources of the first and last *replaced characters*
    # themselves (-1 when one of them was inserted by an earlier edit), never of
    # the nearest mapped ones: a character must not claim a source it was not
    # taken from, and so maps compose (edits applied in two rounds give the
    # same map as the second round applied to an identity map, then composed).
    if size >= 2 and edit.end - edit.start >= 2:
        positions[0], positions[-1] = source[edit.start], source[edit.end - 1]
    return positions


def _raw_extent(source: array[int], start: int, end: int, length: int) -> tuple[int, int] | None:
    """Raw span of the current characters ``[start, end)``; for an empty range,
    the raw point where it sits."""
    positions = np.frombuffer(source, dtype=np.int64) if len(source) else np.zeros(0, np.int64)
    inside = np.flatnonzero(positions[start:end] >= 0)
    if inside.size:
        return (int(positions[start + inside[0]]), int(positions[start + inside[-1]]) + 1)
    after = _nearest_mapped(positions, end, forward=True)
    if after is not None:
        return (after, after)
    before = _nearest_mapped(positions, start, forward=False)
    return None if before is None else (before + 1, before + 1)


def _nearest_mapped(positions: np.ndarray, at: int, *, forward: bool) -> int | None:
    """The raw offset of the first mapped character from ``at`` on (or the
    last one before ``at``), looked for in windows that double, so that an edit
    costs what the unmapped stretch around it costs, not the whole text."""
    size = 64
    while True:
        lo, hi = (at, min(len(positions), at + size)) if forward else (max(0, at - size), at)
        found = np.flatnonzero(positions[lo:hi] >= 0)
        if found.size:
            return int(positions[lo + (found[0] if forward else found[-1])])
        if (forward and hi >= len(positions)) or (not forward and lo <= 0):
            return None
        size *= 2


def mapped_points(mapping: OffsetMap) -> tuple[np.ndarray, np.ndarray]:
    """The clean indexes of the characters that have a raw source, and their raw
    offsets (both increasing): arrays, since a text may run to millions of
    characters and Python lists of them cost gigabytes."""
    if not len(mapping):
        empty = np.zeros(0, np.int64)
        return empty, empty
    positions = np.frombuffer(mapping.positions, dtype=np.int64)
    index = np.flatnonzero(positions >= 0)
    return index, positions[index]


def locate_repairs(repairs: Sequence[Repair], mapping: OffsetMap) -> list[Repair]:
    """The repairs with their clean offsets: where the characters they produced
    stand in the final text (an empty span where they removed everything)."""
    mapped_index, mapped_raw = mapped_points(mapping)
    total = len(mapping)

    def clean_at(raw: int) -> int:
        k = int(np.searchsorted(mapped_raw, raw, side="left"))
        return int(mapped_index[k]) if k < len(mapped_index) else total

    located = []
    for repair in repairs:
        start = clean_at(repair.raw[0])
        end = clean_at(repair.raw[1])
        located.append(Repair(repair.kind, repair.note, repair.raw, start, max(start, end)))
    return sorted(located, key=lambda r: (r.raw, r.kind))
