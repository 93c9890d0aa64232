"""WARC web archives (.warc, .warc.gz): one document per archived news page.

Every ``response`` record whose HTTP content type is HTML becomes a document,
named ``file.warc.gz#<target URI>``; requests, metadata, redirects, error
pages, images and scripts are counted and passed over.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from accord.errors import InputError
from accord.model import RawDocument, Skipped

from . import sources
from .decode import decode
from .documents import Known, from_html, sha256_of

__all__ = ["read_warc", "read_warc_stream"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What warcio raises on damaged records (its parsing does not wrap them).
_WARCIO_ERRORS = (ArchiveLoadFailed, AttributeError, ValueError, IndexError, KeyError, TypeError)


def read_warc(data: bytes, source: str, *, counts: Counter[str] | None = None) -> Iterator[RawDocument | Skipped]:
    """The documents of the HTML responses of a WARC file held in memory; see
    ``read_warc_stream``."""
    yield from read_warc_stream(io.BytesIO(data), source, counts=counts)


def read_warc_stream(
    stream: BinaryIO,
    source: str,
    *,
    counts: Counter[str] | None = None,
    max_page: int | None = None,
) -> Iterator[RawDocument | Skipped]:
    """The documents of the HTML responses of a WARC stream (decompressed, or
    gzip members warcio reads itself), in archive order, one record in memory
    at a time; a page over ``max_page`` bytes (``sources.MAX_BYTES`` unless
    given) is skipped.

    A page with no article is a ``Skipped`` with the extractor's reason. Other
    records are counted in ``counts`` (when given) under "ignored: <why>";
    read pages under "documents", unreadable ones under "skipped". Raises
    InputError when the archive holds no HTML page at all, or is broken before
    its first record."""
    counts = counts if counts is not None else Counter()
    max_page = sources.MAX_BYTES if max_page is None else max_page
    pages = 0
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            # warcio parses the record's WARC and HTTP headers here and in
            # _not_a_page; on damaged headers it raises whatever its parsing
            # meets (AttributeError, ValueError, IndexError), not one error.
            record = next(records, None)
            if record is None:
                break
            counts["records"] += 1
            why_not = _not_a_page(record)
        except _WARCIO_ERRORS as exc:
            where = "before its first record" if not counts["records"] else f"after record {counts['records']}"
            raise InputError(source, f"broken WARC data {where} ({_first_line(exc)})") from None
        if why_not:
            counts[f"ignored: {why_not}"] += 1
            continue
        pages += 1
        uri = record.rec_headers.get_header("WARC-Target-URI") or f"record {counts['records']}"
        name = f"{source}#{uri}"
        try:
            try:
                payload = record.content_stream().read(max_page + 1)
            except _WARCIO_ERRORS as exc:
                raise InputError(name, f"broken WARC record ({_first_line(exc)})") from None
            if len(payload) > max_page:
                raise InputError(name, f"page too large (over {sources.megabytes(max_page)} MB)")
            html = _html_text(payload, record.http_headers.get_header("Content-Type") or "", name)
            document = from_html(name, html, sha256_of(html), known=Known(url=uri), fmt="warc")
        except InputError as error:
            counts["skipped"] += 1
            yield Skipped(error.source, error.reason)
            continue
        counts["documents"] += 1
        yield document
    if not pages:
        ignored = counts["records"]
        raise InputError(source, f"WARC holds no HTML page responses ({ignored} other records ignored)")


def _not_a_page(record: ArcWarcRecord) -> str | None:
    """Why a WARC record is not an archived HTML page, or None when it is one."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if not (status or "").startswith("2"):
        return f"HTTP {status} response"
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(_HTML_TYPES):
        return "not HTML"
    return None


def _html_text(payload: bytes, content_type: str, source: str) -> str:
    """The payload decoded with the charset its content type names, else as any input is."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
            try:
                return _unix_lines(payload.decode(charset))
            except (LookupError, ValueError):
                # A wrong or unknown charset label, or one that is no name at
                # all ("utf\0-8" raises ValueError): let the content tell.
                break
    text, _encoding = decode(payload, source)
    return _unix_lines(text)


def _unix_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().split("\n", 1)[0][:120]
