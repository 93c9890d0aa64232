"""Edits of a text that keep track of where every character came from."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

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


def _replacement_positions(source: array, edit: Edit) -> array:
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


def _raw_extent(source: array, start: int, end: int, length: int) -> tuple[int, int] | None:
    """Raw span of the current characters ``[start, end)``; for an empty range,
    the raw point where it sits."""
    mapped = [p for p in source[start:end] if p >= 0]
    if mapped:
        return (mapped[0], mapped[-1] + 1)
    for p in source[start:]:
        if p >= 0:
            return (p, p)
    for p in reversed(source[:start]):
        if p >= 0:
            return (p + 1, p + 1)
    return None


def locate_repairs(repairs: Sequence[Repair], mapping: OffsetMap) -> list[Repair]:
    """The repairs with their clean offsets: where the characters they produced
    stand in the final text (an empty span where they removed everything)."""
    mapped_index = [i for i, p in enumerate(mapping.positions) if p >= 0]
    mapped_raw = [mapping.positions[i] for i in mapped_index]
    total = len(mapping)

    def clean_at(raw: int) -> int:
        k = bisect_left(mapped_raw, raw)
        return mapped_index[k] if k < len(mapped_index) else total

    located = []
    for repair in repairs:
        start = clean_at(repair.raw[0])
        end = clean_at(repair.raw[1])
        located.append(Repair(repair.kind, repair.note, repair.raw, start, max(start, end)))
    return sorted(located, key=lambda r: (r.raw, r.kind))
