"""Ingest: read inputs into raw documents with their metadata.

``read(items)`` yields a ``RawDocument`` for every input it could read and a
``Skipped`` (which input, why) for every one it could not; it never raises for
bad input, so a batch always goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Iterable, Iterator

from accord.errors import InputError
from accord.model import Article, OffsetMap, RawDocument, Skipped

from .decode import decode, decompress
from .metadata import find_credits, guess_language, outlet_from_url
from .sources import Input, expand
from .text import read_header

__all__ = ["detect_format", "read", "read_input"]

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:p|div|br|body|article)\b[^>]*>", re.I)


def detect_format(data: bytes, source: str) -> str:
    """"html" or "text", from the content first and the file name second."""
    head = data[:4096]
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(data[:65536])) >= 3:
        return "html"
    if source.lower().endswith((".html", ".htm", ".xhtml")) and b"<" in head:
        return "html"
    return "text"


def read(items: Iterable[str | os.PathLike[str] | Article]) -> Iterator[RawDocument | Skipped]:
    """Read every input the items name (files, folders, globs, "-", URLs,
    articles in memory), in order."""
    for entry in expand(items):
        if isinstance(entry, InputError):
            yield Skipped(entry.source, entry.reason)
            continue
        try:
            yield read_input(entry)
        except InputError as error:
            yield Skipped(error.source, error.reason)


def read_input(entry: Input) -> RawDocument:
    """One input read into a raw document. Raises InputError with the reason
    when it holds no readable article."""
    if entry.article is not None:
        return _from_article(entry.source, entry.article)
    assert entry.data is not None  # expand() gives data or an article
    data = decompress(entry.data, entry.source)
    sha256 = hashlib.sha256(data).hexdigest()
    fmt = detect_format(data, entry.source)
    text, _encoding = decode(data, entry.source)
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if fmt == "html":
        return _from_html(entry, text, sha256)
    return _from_text(entry.source, text, sha256, url=entry.url)


def _from_text(source: str, text: str, sha256: str, *, url: str | None = None,
               title: str | None = None, outlet: str | None = None,
               published: str | None = None, authors: list[str] | None = None) -> RawDocument:
    if not text.strip():
        raise InputError(source, "no text")
    header = read_header(text)
    body_left = len(text) - sum(d.raw[1] - d.raw[0] for d in header.drops)
    if body_left <= 0 or not any(ch.isalpha() for ch in _without(text, header.drops)):
        raise InputError(source, "no article text (only a header)")
    url = url or header.url
    return RawDocument(
        source=source,
        format="text",
        raw=text,
        sha256=sha256,
        text=text,
        text_map=OffsetMap.identity(len(text)),
        title=title or header.title,
        outlet=outlet or header.outlet or (outlet_from_url(url) if url else None),
        authors=authors or header.authors,
        published=published or header.published,
        language=guess_language(text),
        credits=header.credits,
        wire=header.wire,
        url=url,
        drops=header.drops,
    )


def _without(text: str, drops: list) -> str:
    kept, position = [], 0
    for drop in sorted(drops, key=lambda d: d.raw):
        kept.append(text[position:drop.raw[0]])
        position = drop.raw[1]
    kept.append(text[position:])
    return "".join(kept)


def _from_article(source: str, article: Article) -> RawDocument:
    sha256 = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return _from_text(
        source, article.text.replace("\r\n", "\n"), sha256, url=article.url, title=article.title,
        outlet=article.outlet, published=article.published, authors=list(article.authors),
    )


def _from_html(entry: Input, html: str, sha256: str) -> RawDocument:
    from .html import extract_html  # lxml and trafilatura load only when HTML comes

    page = extract_html(html, source=entry.source, url=entry.url)
    credits: list[str] = []
    wire = None
    for credit in find_credits(page.text):
        if credit.name not in credits:
            credits.append(credit.name)
        if credit.whole and wire is None:
            wire = credit.name
    return RawDocument(
        source=entry.source,
        format="html",
        raw=html,
        sha256=sha256,
        text=page.text,
        # The extractor rebuilds the text: no exact offsets into the HTML.
        text_map=OffsetMap.unmapped(len(page.text)),
        title=page.title,
        outlet=page.outlet or (outlet_from_url(page.url) if page.url else None),
        authors=list(page.authors),
        published=page.published,
        language=page.language or guess_language(page.text),
        credits=credits,
        wire=wire,
        url=page.url or entry.url,
    )
