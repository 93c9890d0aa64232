"""Ingest: read inputs into raw documents with their metadata.

``read(items)`` yields a ``RawDocument`` for every document it could read and
a ``Skipped`` (which input, why) for every input or part of one it could not;
it never raises for bad input, so a batch always goes on.

One input may hold several documents (a JSON Lines export, a WARC crawl, a
feed); each is named after its input and its place in it:
``export.jsonl:17``, ``export.json#3``, ``crawl.warc.gz#<record URL>``,
``feed.xml#<item link>``. The format is told from the content first and the
file name second; gzip is read transparently.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import time
import zlib
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from accord.errors import InputError
from accord.model import Article, RawDocument, Repair, Skipped
from accord.settings import DEFAULT

from . import sources
from .decode import ContentTooLarge, decode, decompress, open_content
from .documents import Known, from_html, from_text, sha256_of
from .outlets import OutletRegistry, registry_for, with_outlet
from .overrides import Metadata, apply, read_manifest, sidecar
from .sources import Input, expand, megabytes

__all__ = ["FORMATS", "Metadata", "Reading", "apply", "detect_format", "metadata_for", "read", "read_input", "read_manifest"]

#: The formats ``detect_format`` tells apart.
FORMATS = ("pdf", "warc", "feed", "json", "html", "text")

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:p|div|br|body|article)\b[^>]*>", re.I)
# The root of an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom feed, after an XML
# declaration, comments, processing instructions and a doctype.
_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.I | re.S,
)
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".jsonlines", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_FEED_SUFFIXES = (".rss", ".atom", ".rss.gz", ".atom.gz")
_UTF8_BOM = b"\xef\xbb\xbf"


def detect_format(data: bytes, source: str) -> str:
    """The format of the (decompressed) bytes of one input, one of ``FORMATS``:
    told from the content first and the file name second."""
    head = _ascii_view(data[:4096])
    name = source.lower()
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"WARC/"):
        return "warc"
    if _FEED_START.match(head) or (name.endswith(_FEED_SUFFIXES) and b"<" in head):
        return "feed"
    first = head.lstrip()[:1]
    if first in (b"{", b"[") and (name.endswith(_JSON_SUFFIXES) or _opens_json(head)):
        return "json"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(data[:65536])) >= 3:
        return "html"
    if name.endswith((".html", ".htm", ".xhtml")) and b"<" in head:
        return "html"
    return "text"


def _ascii_view(head: bytes) -> bytes:
    """The start of an input as UTF-8 bytes, whatever Unicode encoding it is in,
    so that markup in UTF-16 text is seen as markup."""
    head = head.removeprefix(_UTF8_BOM)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore").encode("utf-8")
    pairs = len(head) // 2
    if pairs >= 2 and head[1::2].count(0) > 0.4 * pairs and head[0::2].count(0) < 0.05 * pairs:
        return head.decode("utf-16-le", errors="ignore").encode("utf-8")
    if pairs >= 2 and head[0::2].count(0) > 0.4 * pairs and head[1::2].count(0) < 0.05 * pairs:
        return head.decode("utf-16-be", errors="ignore").encode("utf-8")
    return head


def _opens_json(head: bytes) -> bool:
    """Whether the start of a file reads as JSON: an array of objects, an object
    whose first key is quoted, or one JSON object on the first line."""
    stripped = head.lstrip()
    return bool(re.match(rb'\[\s*(?:\{|\]|")|\{\s*"[^"\n]{0,200}"\s*:', stripped))


@dataclass(frozen=True, slots=True)
class Reading:
    """How to read inputs, as the user asked: the field mapping of JSON records
    (None: the common names), metadata for every input, a manifest's metadata
    by resolved path, and the outlet registry (None: the shipped one, or the
    file ``ACCORD_OUTLETS`` names)."""

    fields: Mapping[str, Sequence[str]] | None = None
    metadata: Metadata | None = None
    manifest: Mapping[str, Metadata] | None = None
    outlets: OutletRegistry | None = None

    @classmethod
    def from_options(
        cls,
        *,
        fields: str | Mapping[str, Sequence[str]] | None = None,
        outlet: str | None = None,
        published: str | None = None,
        url: str | None = None,
        title: str | None = None,
        manifest: str | os.PathLike[str] | None = None,
        outlets: OutletRegistry | str | os.PathLike[str] | None = None,
    ) -> "Reading":
        """Reading options from what a user types (a field spec or mapping,
        metadata values, a manifest path, an outlet file). Raises UsageError
        for bad ones, before anything is read."""
        from .records import parse_fields

        mapping = parse_fields(fields) if isinstance(fields, str) else fields
        metadata = Metadata.from_mapping(
            {"outlet": outlet, "date": published, "url": url, "title": title}, "the metadata options")
        return cls(mapping, metadata or None, read_manifest(manifest) if manifest else None,
                   registry_for(outlets) if outlets is not None else None)

    def with_outlets(self, outlets: OutletRegistry | str | os.PathLike[str] | None) -> "Reading":
        """These options with another outlet registry (None keeps this one)."""
        if outlets is None:
            return self
        return Reading(self.fields, self.metadata, self.manifest, registry_for(outlets))


def read(
    items: Iterable[str | os.PathLike[str] | Article],
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    outlets: OutletRegistry | str | os.PathLike[str] | None = None,
    reading: Reading | None = None,
) -> Iterator[RawDocument | Skipped]:
    """Read every input the items name (files, folders, globs, "-", URLs,
    articles in memory), in order, each document of an input in its order.

    ``fields`` names the keys that JSON records keep their text, title, url,
    date, outlet and authors under (``records.DEFAULT_FIELDS`` by default;
    a ``*`` in a name makes one document per member: ``news.*.body``).
    ``outlets`` is the outlet registry, or a file that extends the shipped one
    (default: the file ``ACCORD_OUTLETS`` names, else the shipped registry);
    a bad file raises UsageError before anything is read. ``reading`` gives
    all of that at once, with metadata the user gives (see ``metadata_for``).
    """
    how = (reading or Reading(fields)).with_outlets(outlets)
    registry = registry_for(how.outlets)
    for entry in expand(items):
        if isinstance(entry, InputError):
            yield Skipped(entry.source, entry.reason)
            continue
        try:
            given = metadata_for(entry, how)
        except InputError as error:
            yield Skipped(error.source, error.reason)
            continue
        yield from read_input(entry, fields=how.fields, outlets=registry, given=given)


def metadata_for(source: str | Input, reading: Reading) -> Metadata:
    """What the user says of the input ``source`` (its name, or the Input,
    whose real file name finds its manifest entry and sidecar even when the
    name written out is escaped): the run's metadata, then the manifest's
    entry for it, then its sidecar file. It wins over what the input says of
    itself. Raises InputError for a sidecar that cannot be taken (naming the
    field)."""
    name = source.name if isinstance(source, Input) else None
    source = source.source if isinstance(source, Input) else source
    listed = Metadata()
    if reading.manifest and not source.startswith(("http://", "https://", "<")):
        listed = reading.manifest.get(str(Path(name or source).resolve()), Metadata())
    return (reading.metadata or Metadata()).over(listed).over(sidecar(source, name))


#: An input lists at most this many of its parts as skipped one by one (broken
#: lines of a JSON Lines export); the rest are counted in one last entry, so a
#: file of a million broken lines cannot fill the memory with reasons.
MAX_SKIPPED_PARTS = 1000


def read_input(
    entry: Input,
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    outlets: OutletRegistry | str | os.PathLike[str] | None = None,
    given: Metadata | None = None,
) -> Iterator[RawDocument | Skipped]:
    """The documents of one input, in order, and a ``Skipped`` for the input (or
    for each part of it, up to ``MAX_SKIPPED_PARTS``; the rest counted in one
    more) that holds no readable article. Never raises InputError. What the
    user says of the input (``given``) replaces what it says of itself; then
    each document's outlet gets its canonical name, owner and kind from the
    registry (``outlets``, as for ``read``) when its name or URL is known."""
    registry = registry_for(outlets)
    listed = 0
    unlisted = 0
    documents = 0
    spent = 0.0  # seconds inside this reader (not in whoever consumes its documents)
    budget, most = DEFAULT.input_seconds, DEFAULT.input_max_records
    reader = _read_input(entry, fields)
    while True:
        started = time.monotonic()
        try:
            found = next(reader)
        except StopIteration:
            break
        spent += time.monotonic() - started
        if isinstance(found, Skipped):
            listed += 1
            if listed > MAX_SKIPPED_PARTS:
                unlisted += 1
                continue
            yield found
        else:
            documents += 1
            if documents > most:
                reader.close()
                yield Skipped(entry.source, f"more than {most:,} documents in one input; the rest not read "
                                            "(the per-input record limit, Settings.input_max_records)")
                break
            yield with_outlet(apply(found, given) if given else found, registry)
        if spent > budget:
            reader.close()
            yield Skipped(entry.source, f"reading took over {budget:g} s; stopped after {documents:,} documents, any "
                                        "rest not read (the per-input time budget, Settings.input_seconds)")
            break
    if unlisted:
        yield Skipped(entry.source, f"{unlisted} more broken parts not listed one by one")


def _read_input(entry: Input, fields: Mapping[str, Sequence[str]] | None) -> Generator[RawDocument | Skipped, None, None]:
    try:
        if entry.article is not None:
            yield _from_article(entry.source, entry.article)
            return
        if entry.path is not None:
            too_large = f"file too large ({megabytes(entry.path.stat().st_size)} MB; the limit is {megabytes(sources.MAX_BYTES)} MB)"
            yield from _read_stream(entry, fields, too_large)
            return
        assert entry.data is not None  # expand() gives data, a path or an article
        try:
            data = decompress(entry.data, entry.source)
        except ContentTooLarge as error:
            yield from _read_stream(entry, fields, error.reason)
            return
        fmt = detect_format(data, entry.source)
        yield from _READERS[fmt](entry, data, fields)
    except InputError as error:
        yield Skipped(error.source, error.reason)


def _read_stream(
    entry: Input, fields: Mapping[str, Sequence[str]] | None, too_large: str
) -> Iterator[RawDocument | Skipped]:
    """The documents of an input too large to hold in memory, when it is a
    stream of records (WARC, JSON Lines) read one record at a time. Raises
    InputError with ``too_large`` for any other content."""
    with open_content(entry.path, entry.data) as stream:
        head = _head(stream, entry.source)
    fmt = detect_format(head, entry.source)
    if fmt == "warc":
        from .warc import read_warc_stream

        with open_content(entry.path, entry.data) as stream:
            yield from _unzipped(read_warc_stream(stream, entry.source), entry.source)
    elif fmt == "json" and head.lstrip().startswith(b"{"):
        from .records import DEFAULT_FIELDS, read_record_lines

        with open_content(entry.path, entry.data) as stream:
            lines = read_record_lines(stream, entry.source, fields=fields or DEFAULT_FIELDS, max_line=sources.MAX_BYTES)
            yield from _unzipped(lines, entry.source)
    else:
        raise InputError(entry.source, too_large)


def _head(stream: BinaryIO, source: str) -> bytes:
    try:
        return stream.read(4096)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(source, f"broken gzip data ({exc})") from None


def _unzipped(entries: Iterator[RawDocument | Skipped], source: str) -> Iterator[RawDocument | Skipped]:
    """``entries``, with the errors of a gzip stream that breaks off as they are read
    turned into one InputError."""
    try:
        yield from entries
    except ContentTooLarge as exc:
        raise InputError(source, exc.reason) from None
    except EOFError:
        raise InputError(source, "truncated gzip data (the file ends inside the compressed stream)") from None
    except (OSError, zlib.error) as exc:
        raise InputError(source, f"broken gzip data ({exc})") from None


def _read_text(entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None) -> Iterator[RawDocument]:
    text, encoding = _decoded_as(data, entry.source)
    yield _noted(from_text(entry.source, text, hashlib.sha256(data).hexdigest(), known=Known(url=entry.url)), encoding)


def _read_html(entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None) -> Iterator[RawDocument]:
    html, encoding = _decoded_as(data, entry.source)
    yield _noted(from_html(entry.source, html, hashlib.sha256(data).hexdigest(), known=Known(url=entry.url)), encoding)


def _noted(document: RawDocument, encoding: str) -> RawDocument:
    """The document with a repair saying which legacy encoding its bytes were
    decoded from (none for UTF-8 and UTF-16/32): the reader can see that the
    text was not UTF-8 and how it was read."""
    if not encoding.lower().replace("_", "-").startswith("utf"):
        document.drops.append(Repair("encoding", f"decoded from {encoding} (not UTF-8; detected)", (0, 0), 0, 0))
    return document


def _read_pdf(entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None) -> Iterator[RawDocument]:
    from .pdf import read_pdf  # pypdf loads only when a PDF comes

    yield read_pdf(data, entry.source, url=entry.url)


def _read_json(
    entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None
) -> Iterator[RawDocument | Skipped]:
    from .records import DEFAULT_FIELDS, read_record_lines, read_records

    fields = fields or DEFAULT_FIELDS
    try:
        # JSON is UTF-8 (RFC 8259); a NUL or a broken byte on one line of a
        # JSON Lines export must not make the whole file "binary".
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and ("\x00" not in text or text.lstrip().startswith("[")):
        yield from read_records(text, entry.source, fields=fields)
    elif data.lstrip(_UTF8_BOM + b" \t\r\n").startswith(b"{"):
        # Line by line: each line that is not UTF-8 or not JSON is one skip.
        yield from read_record_lines(io.BytesIO(data), entry.source, fields=fields, max_line=sources.MAX_BYTES)
    else:
        yield from read_records(_decoded(data, entry.source), entry.source, fields=fields)


def _read_warc(
    entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None
) -> Iterator[RawDocument | Skipped]:
    from .warc import read_warc  # warcio loads only when a WARC comes

    yield from read_warc(data, entry.source)


def _read_feed(
    entry: Input, data: bytes, fields: Mapping[str, Sequence[str]] | None
) -> Iterator[RawDocument | Skipped]:
    from .feeds import read_feed  # feedparser loads only when a feed comes

    yield from read_feed(data, entry.source, url=entry.url)


_READERS = {
    "text": _read_text,
    "html": _read_html,
    "pdf": _read_pdf,
    "json": _read_json,
    "warc": _read_warc,
    "feed": _read_feed,
}


def _decoded(data: bytes, source: str) -> str:
    """The text of ``data`` with its line breaks made "\\n"."""
    return _decoded_as(data, source)[0]


def _decoded_as(data: bytes, source: str) -> tuple[str, str]:
    """The text of ``data`` with its line breaks made "\\n", and the encoding it was in."""
    text, encoding = decode(data, source)
    return (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text), encoding


def _from_article(source: str, article: Article) -> RawDocument:
    sha256 = sha256_of(article.text)
    known = Known(
        title=article.title, outlet=article.outlet, published=article.published,
        authors=list(article.authors), url=article.url,
    )
    return from_text(source, article.text.replace("\r\n", "\n"), sha256, known=known)
