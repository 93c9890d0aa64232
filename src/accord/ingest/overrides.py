"""Metadata the user gives for inputs: options for every input of a run
(``--outlet``, ``--date``, ``--url``, ``--title``), a manifest (CSV or JSON
Lines: path, outlet, date, url, title, authors) and sidecar files
(``report.txt.meta.json`` beside ``report.txt``).

What the user says wins over what accord read from the input: the run's
options first, then the manifest, then the sidecar.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from accord.errors import InputError, UsageError
from accord.model import RawDocument

from .metadata import normalise_date
from .sources import SIDECAR_SUFFIX, read_capped

__all__ = ["SIDECAR_SUFFIX", "Metadata", "apply", "read_manifest", "sidecar"]

_KEYS = ("outlet", "date", "url", "title", "authors")
#: The most a sidecar and a manifest may hold: a sidecar is a few fields; a
#: manifest a line per input (a million inputs of ~200 bytes fit).
MAX_SIDECAR_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 256 << 20


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a user says about an input; None (or empty) says nothing."""

    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = field(default=())

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], where: str) -> "Metadata":
        """Metadata from a row or an object (keys outlet, date, url, title,
        authors). Raises UsageError for a date that is not a date."""
        def text(key: str) -> str | None:
            value = values.get(key)
            return " ".join(str(value).split()) or None if value not in (None, "") else None

        date = text("date") or text("published")
        published = normalise_date(date) if date else None
        if date and published is None:
            raise UsageError(f"{where}: {date!r} is not a date (write YYYY-MM-DD)")
        authors = values.get("authors") or ()
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.replace(";", ",").split(",") if a.strip()]
        return cls(text("outlet"), published, text("url"), text("title"), tuple(str(a) for a in authors))

    def over(self, other: "Metadata") -> "Metadata":
        """This metadata, with ``other`` filling what it leaves unsaid."""
        return Metadata(
            self.outlet or other.outlet, self.published or other.published, self.url or other.url,
            self.title or other.title, self.authors or other.authors)

    def __bool__(self) -> bool:
        return any((self.outlet, self.published, self.url, self.title, self.authors))


def apply(raw: RawDocument, metadata: Metadata) -> RawDocument:
    """``raw`` with what ``metadata`` says in place of what was read."""
    if not metadata:
        return raw
    return dataclasses.replace(
        raw,
        outlet=metadata.outlet or raw.outlet,
        published=metadata.published or raw.published,
        url=metadata.url or raw.url,
        title=metadata.title or raw.title,
        authors=list(metadata.authors) or raw.authors,
    )


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Metadata]:
    """The metadata a manifest gives, by input path (resolved). A manifest is
    CSV with a header row or JSON Lines, with a ``path`` column (relative
    paths are relative to the manifest) and any of outlet, date, url, title,
    authors. Raises UsageError when it cannot be read."""
    manifest = Path(path)
    try:
        text = read_capped(manifest, MAX_MANIFEST_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the manifest {manifest}: {error}") from None
    rows: list[tuple[str, Mapping[str, Any]]] = []
    if text.lstrip().startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise UsageError(f"{manifest}:{number}: not valid JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise UsageError(f"{manifest}:{number}: not a JSON object")
            rows.append((f"{manifest}:{number}", row))
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "path" not in [f.strip().lower() for f in reader.fieldnames]:
            raise UsageError(f"the manifest {manifest} has no 'path' column (columns: path, {', '.join(_KEYS)})")
        for number, row in enumerate(reader, 2):
            rows.append((f"{manifest}:{number}", {k.strip().lower(): v for k, v in row.items() if k}))
    out: dict[str, Metadata] = {}
    for where, row in rows:
        name = row.get("path")
        if not name:
            raise UsageError(f"{where}: no path")
        target = Path(str(name))
        if not target.is_absolute():
            target = manifest.parent / target
        out[str(target.resolve())] = Metadata.from_mapping(row, where)
    return out


def sidecar(source: str, name: str | None = None) -> Metadata:
    """The metadata of the sidecar file of input ``source`` (found beside
    ``name``, the input's real path, when given), or none when it has no
    sidecar. Raises InputError naming the sidecar and the field when the
    sidecar cannot be read or says something that cannot be taken (a date
    that is not a date): the user wrote it, and it must not be ignored."""
    if source.startswith(("http://", "https://", "<")) or source == "-":
        return Metadata()
    path = Path((name or source) + SIDECAR_SUFFIX)
    shown = source + SIDECAR_SUFFIX
    try:
        data = read_capped(path, MAX_SIDECAR_BYTES)
    except FileNotFoundError:
        return Metadata()
    except OSError as error:
        raise InputError(source, f"its sidecar {shown} cannot be read ({error.strerror or error})") from None
    try:
        values = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InputError(source, f"its sidecar {shown} is not JSON ({type(error).__name__})") from None
    if not isinstance(values, dict):
        raise InputError(source, f"its sidecar {shown} is not a JSON object")
    for key in ("outlet", "date", "published", "url", "title"):
        if key in values and values[key] is not None and not isinstance(values[key], (str, int, float)):
            raise InputError(source, f"its sidecar {shown}: field {key!r} is not text")
    authors = values.get("authors")
    if authors is not None and not isinstance(authors, str) and not (
            isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        raise InputError(source, f"its sidecar {shown}: field 'authors' is not a list of names")
    try:
        return Metadata.from_mapping(values, f"its sidecar {shown}: field 'date'")
    except UsageError as error:
        raise InputError(source, str(error)) from None
