"""JSON and JSON Lines exports of articles: one document per record.

A record is a JSON object. An export is one object a line (JSON Lines), a JSON
array of objects, or an object that keeps its list of objects under
"articles", "items", "documents" or "data" (a single object holding none of
these is one record). Each field is looked up under its common names
(``DEFAULT_FIELDS``); a dotted name ("source.name") looks inside an object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from accord.errors import InputError
from accord.model import RawDocument, Skipped

from .documents import Known, from_fragment, from_text, looks_like_html, sha256_of
from .metadata import normalise_date

__all__ = ["DEFAULT_FIELDS", "LIST_KEYS", "parse_fields", "read_record_lines", "read_records", "record_document", "wildcard_members"]

#: The keys a record may keep each field under, in order of preference.
DEFAULT_FIELDS: dict[str, list[str]] = {
    "text": ["text", "body", "content", "articleBody", "article", "maintext", "full_text"],
    "title": ["title", "headline"],
    "url": ["url", "link", "source_url"],
    "date": ["date", "published", "publish_date", "published_at", "date_publish", "pubDate"],
    "outlet": ["outlet", "source", "source_name", "publisher", "site_name", "domain"],
    "authors": ["authors", "author", "byline"],
}
#: The keys under which an export object keeps its list of records.
LIST_KEYS = ("articles", "items", "documents", "data")
# How many characters of a JSON error message go into a skip reason.
_MAX_ERROR = 80
_TOO_DEEP = "JSON nested too deeply to be an article record"


def read_records(
    text: str,
    source: str,
    *,
    fields: Mapping[str, Sequence[str]] = DEFAULT_FIELDS,
) -> Iterator[RawDocument | Skipped]:
    """The documents of a JSON or JSON Lines export, in order. Each record that
    cannot be read (a line that is not valid JSON, a record without text) is a
    ``Skipped`` of its own, named ``source:LINE`` in JSON Lines and
    ``source#N`` (N counted from 1) in a JSON array; the others are kept.
    Raises InputError when the export holds no record at all."""
    try:
        whole = json.loads(text)
    except RecursionError:
        # The parser recurses once per bracket; a record never nests this deep.
        if text.lstrip().startswith("["):
            raise InputError(source, _TOO_DEEP) from None
        yield from _read_lines(text, source, fields)
        return
    except json.JSONDecodeError as error:
        if text.lstrip().startswith("["):
            raise InputError(source, f"not valid JSON ({_short(error)})") from None
        yield from _read_lines(text, source, fields)
        return
    records = _records_of(whole)
    if records is None:
        raise InputError(source, "JSON holds no article records (objects)")
    if isinstance(whole, dict) and records == [whole]:
        yield from _entries(whole, source, fields)
        return
    if not records:
        raise InputError(source, "JSON holds an empty list of records")
    for number, record in enumerate(records, 1):
        name = f"{source}#{number}"
        if not isinstance(record, dict):
            yield Skipped(name, f"record {number} is a JSON {type(record).__name__}, not an object")
            continue
        yield from _entries(record, name, fields)


def _records_of(whole: object) -> list[object] | None:
    """The records of a parsed JSON export, or None when it holds none."""
    if isinstance(whole, list):
        return whole
    if isinstance(whole, dict):
        for key in LIST_KEYS:
            members = whole.get(key)
            if isinstance(members, list):
                return members
        return [whole]
    return None


def _read_lines(text: str, source: str, fields: Mapping[str, Sequence[str]]) -> Iterator[RawDocument | Skipped]:
    found = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            found = True
            yield from _line_entries(line, number, source, fields)
    if not found:
        raise InputError(source, "empty file")


def read_record_lines(
    stream: BinaryIO,
    source: str,
    *,
    fields: Mapping[str, Sequence[str]] = DEFAULT_FIELDS,
    max_line: int,
) -> Iterator[RawDocument | Skipped]:
    """The documents of a JSON Lines stream, read a line at a time (for exports
    too large to hold): as ``read_records``, and a line longer than ``max_line``
    bytes is skipped without being held."""
    number = 0
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # pass over the rest of it
                line = stream.readline(max_line + 1)
            yield Skipped(f"{source}:{number}", f"line {number} is too long (over {max_line} bytes)")
            continue
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield Skipped(f"{source}:{number}", f"line {number} is not UTF-8 ({error.reason})")
            continue
        yield from _line_entries(text.rstrip("\r\n"), number, source, fields)


def _line_entries(line: str, number: int, source: str, fields: Mapping[str, Sequence[str]]) -> Iterator[RawDocument | Skipped]:
    """The documents of line ``number`` of a JSON Lines export, or why it has none."""
    name = f"{source}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        yield Skipped(name, f"line {number} is not valid JSON ({_short(error)})")
        return
    except RecursionError:
        yield Skipped(name, f"line {number}: {_TOO_DEEP}")
        return
    if not isinstance(record, dict):
        yield Skipped(name, f"line {number} is a JSON {type(record).__name__}, not an object")
        return
    yield from _entries(record, name, fields)


def _short(error: json.JSONDecodeError) -> str:
    message = f"{error.msg} at column {error.colno}"
    return message if len(message) <= _MAX_ERROR else message[:_MAX_ERROR - 1] + "…"


def _document_or_skip(record: dict[str, Any], source: str, fields: Mapping[str, Sequence[str]]) -> RawDocument | Skipped:
    try:
        return record_document(record, source, fields=fields)
    except InputError as error:
        return Skipped(error.source, error.reason)


def _entries(record: dict[str, Any], source: str, fields: Mapping[str, Sequence[str]]) -> Iterator[RawDocument | Skipped]:
    """The documents of one record: one, or one per member where the field
    names hold a wildcard ("news.*.body": every article under "news")."""
    members = wildcard_members(record, fields)
    if members is None:
        yield _document_or_skip(record, source, fields)
        return
    if not members:
        yield Skipped(source, f"record has no articles under {_wildcard_prefix(fields)}")
        return
    for key, member_fields in members:
        yield _document_or_skip(record, f"{source}#{key}", member_fields)


def _wildcard_prefix(fields: Mapping[str, Sequence[str]]) -> str | None:
    """The path before the wildcard of the text field ("news" of
    "news.*.newBody"), or None when the fields name no wildcard."""
    for name in fields.get("text", ()):
        parts = name.split(".")
        if "*" in parts:
            return ".".join(parts[: parts.index("*")])
    return None


def wildcard_members(
    record: Mapping[str, object], fields: Mapping[str, Sequence[str]]
) -> list[tuple[str, dict[str, list[str]]]] | None:
    """Where the fields name a wildcard, the members of the record it spans
    (the keys of an object or the positions of a list, from 1), each with the
    field names made concrete for it; members that are empty (null) hold no
    article and are left out. None when no field names a wildcard."""
    prefix = _wildcard_prefix(fields)
    if prefix is None:
        return None
    container: object = record
    for part in filter(None, prefix.split(".")):
        container = container.get(part) if isinstance(container, Mapping) else None
    if isinstance(container, Mapping):
        keys = [(str(k), str(k)) for k, v in container.items() if v not in (None, "", [], {})]
    elif isinstance(container, list):
        keys = [(str(i), str(i - 1)) for i, v in enumerate(container, 1) if v not in (None, "", [], {})]
    else:
        return []
    star = f"{prefix}.*" if prefix else "*"
    return [
        (label, {name: [n.replace(star, f"{prefix}.{key}" if prefix else key, 1) for n in names]
                 for name, names in fields.items()})
        for label, key in keys
    ]


def record_document(
    record: Mapping[str, object],
    source: str,
    *,
    fields: Mapping[str, Sequence[str]] = DEFAULT_FIELDS,
) -> RawDocument:
    """The document of one record: its text field read as plain text (with the
    header reading of text files) or, when it holds HTML, as a news page; the
    record's title, url, date, outlet and authors win over what the text says.
    Raises InputError when the record has no text."""
    body = _text_value(_field(record, fields.get("text", ())))
    if body is None or not body.strip():
        names = ", ".join(fields.get("text", ()))
        raise InputError(source, f"record has no text (looked for {names})")
    url = _string(_field(record, fields.get("url", ())))
    known = Known(
        title=_string(_field(record, fields.get("title", ()))),
        outlet=_outlet(_field(record, fields.get("outlet", ()))),
        published=normalise_date(_field(record, fields.get("date", ()))),
        authors=_authors(_field(record, fields.get("authors", ()))),
        url=url,
    )
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(body):
        return from_fragment(source, body, sha256_of(body), known=known, fmt="json")
    return from_text(source, body, sha256_of(body), known=known, fmt="json")


def _field(record: Mapping[str, object], names: Sequence[str]) -> object:
    """The first non-empty value of ``record`` under one of ``names``."""
    for name in names:
        value: object = record
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value not in (None, "", [], {}):
            return value
    return None


def _string(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _text_value(value: object) -> str | None:
    """A text field as one string: a list of paragraphs is joined by blank lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(p, str) for p in value):
        return "\n\n".join(p.strip() for p in value if p.strip())
    return None


def _outlet(value: object) -> str | None:
    # NewsAPI and others write the source as {"id": ..., "name": ...}
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("title")
    return _string(value)


def _authors(value: object) -> list[str]:
    """Author names from a string ("A, B and C"; "By A"), a list of strings, or
    a list of objects with a "name"."""
    if isinstance(value, str):
        value = re.sub(r"^\s*by\s+", "", value, flags=re.I)
        # "(?<!\s)": a separator starts at the first space of a run (linear on long runs)
        names = re.split(r"(?<!\s)\s*+(?:,|;|\band\b|&)\s*+", value)
    elif isinstance(value, list):
        names = [v.get("name") if isinstance(v, Mapping) else v for v in value]
    elif isinstance(value, Mapping):
        names = [value.get("name")]
    else:
        return []
    out: list[str] = []
    for name in names:
        name = _string(name)
        if name and name not in out:
            out.append(name)
    return out


def parse_fields(spec: str) -> dict[str, list[str]]:
    """A field mapping from the command line: ``text=news.*.newBody,title=headline``
    (several names for one field separated by ``|``), or the path of a JSON
    file holding ``{"text": ["body", ...], ...}``. Fields not named keep their
    default names. Raises UsageError for a malformed mapping."""
    from pathlib import Path

    from accord.errors import UsageError

    mapping: dict[str, list[str]] = {}
    if "=" not in spec and Path(spec).is_file():
        try:
            loaded = json.loads(Path(spec).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"cannot read the field mapping {spec}: {error}") from None
        if not isinstance(loaded, dict):
            raise UsageError(f"the field mapping {spec} is not a JSON object")
        for name, value in loaded.items():
            mapping[str(name)] = [value] if isinstance(value, str) else [str(v) for v in value]
    else:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, value = part.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise UsageError(f"bad field mapping {part!r}: write FIELD=PATH, e.g. text=news.*.body")
            mapping[name.strip()] = [v.strip() for v in value.split("|") if v.strip()]
    unknown = sorted(set(mapping) - set(DEFAULT_FIELDS))
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r} in the field mapping (fields: {', '.join(DEFAULT_FIELDS)})")
    return {**DEFAULT_FIELDS, **mapping}
