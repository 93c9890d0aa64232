"""PDF files: the text layer, page by page, with the running headers, footers
and page numbers that every page repeats set apart as page furniture."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

import pypdf
from pypdf.errors import PdfReadError, PyPdfError

from accord.errors import InputError
from accord.model import RawDocument, Repair

from .documents import Known, from_text

__all__ = ["FURNITURE_SHARE", "page_furniture", "pdf_text", "read_pdf"]

#: A line is a running header or footer when it stands at the top or bottom of
#: at least this share of the pages (and of two pages at least).
FURNITURE_SHARE = 0.5
# How many lines at the top and at the bottom of a page can be furniture.
_EDGE_LINES = 2
# "12", "- 12 -", "Page 12", "12 of 40", "12/40": a page number on a line of its own
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:page\s+\d{1,4}|\d{1,3})(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$", re.I)
_DIGITS = re.compile(r"\d+")

# pypdf logs every piece of damage it works around as a warning; what it could
# read is what counts, and a reason for what it could not goes to ``Skipped``.
logging.getLogger("pypdf").setLevel(logging.ERROR)
# pypdf raises its own errors for most damage, and for the rest whatever its
# parsing meets: NotImplementedError for an unknown /Filter, KeyError,
# ValueError, RecursionError on a cycle of objects...
_PYPDF_ERRORS = (
    PdfReadError, PyPdfError, NotImplementedError, ValueError, KeyError, TypeError, AttributeError,
    IndexError, RecursionError, ZeroDivisionError, OverflowError, AssertionError, EOFError, LookupError,
)


def _reason(exc: BaseException) -> str:
    line = str(exc).strip().split("\n", 1)[0][:120]
    return f"{type(exc).__name__}: {line}" if line else type(exc).__name__


@dataclass(frozen=True, slots=True)
class PageLine:
    """One line of the text layer: where it is, and on which page and which
    place of that page (0 the first line, -1 the last)."""

    start: int
    end: int
    page: int
    from_top: int
    from_bottom: int

    def text(self, text: str) -> str:
        return text[self.start:self.end].strip()


def read_pdf(data: bytes, source: str, *, url: str | None = None) -> RawDocument:
    """The document of a PDF file: its raw text is the text layer (pages joined
    by a line break), read like a plain text file, with page furniture dropped.
    Raises InputError when the file is not a readable PDF or has no text layer."""
    text, pages = pdf_text(data, source)
    furniture = page_furniture(text, pages)
    return from_text(source, text, hashlib.sha256(data).hexdigest(), known=Known(url=url), fmt="pdf", furniture=furniture, hard_wrapped=True)


def pdf_text(data: bytes, source: str) -> tuple[str, list[tuple[int, int]]]:
    """The text layer of a PDF and the ``[start, end)`` of every page in it.
    Raises InputError for a broken or encrypted PDF, or one without text."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(source, "PDF is encrypted with a password")
        pages_of = list(reader.pages)
    except _PYPDF_ERRORS as exc:
        raise InputError(source, f"broken PDF ({_reason(exc)})") from None
    page_texts: list[str] = []
    failures: list[str] = []
    for page in pages_of:
        try:
            page_texts.append(_page_text(page))
        except _PYPDF_ERRORS as exc:
            # One damaged page (an unknown /Filter, a broken content stream)
            # costs that page, not the document.
            page_texts.append("")
            failures.append(_reason(exc))
    if not any(t.strip() for t in page_texts):
        if failures:
            raise InputError(source, f"broken PDF: no page could be read ({failures[0]})")
        raise InputError(source, "PDF has no text layer (scanned image?)")
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    position = 0
    for page_text in page_texts:
        parts.append(page_text)
        pages.append((position, position + len(page_text)))
        position += len(page_text) + 1
    return "\n".join(parts), pages


def _page_text(page: pypdf.PageObject) -> str:
    text = page.extract_text() or ""
    # A page's text keeps its own line breaks; the page break is added by the caller.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def page_lines(text: str, pages: list[tuple[int, int]]) -> list[PageLine]:
    """The non-blank lines of every page, with their place on the page."""
    out: list[PageLine] = []
    for number, (start, end) in enumerate(pages):
        spans = []
        position = start
        for line in text[start:end].split("\n"):
            if line.strip():
                spans.append((position, position + len(line)))
            position += len(line) + 1
        for index, (s, e) in enumerate(spans):
            out.append(PageLine(s, e, number, index, len(spans) - 1 - index))
    return out


def page_furniture(text: str, pages: list[tuple[int, int]]) -> list[Repair]:
    """Drops ("page-furniture" repairs) for the lines at the top or bottom of
    the pages that are running headers or footers (the same line, digits aside,
    on at least ``FURNITURE_SHARE`` of the pages) or bare page numbers. Each
    drop takes the line break after the line with it, so the body runs on
    across the page break."""
    edge = [line for line in page_lines(text, pages) if min(line.from_top, line.from_bottom) < _EDGE_LINES]
    # Digits vary from page to page ("Page 3", "March 3 edition - 3"): compare
    # without them; a header repeats at the top of pages, a footer at the bottom.
    shape = {
        line: ("top" if line.from_top < _EDGE_LINES else "bottom", _DIGITS.sub("#", " ".join(line.text(text).split())))
        for line in edge
    }
    pages_with: Counter[tuple[str, str]] = Counter()
    for line_shape, page in {(shape[line], line.page) for line in edge}:
        pages_with[line_shape] += 1
    needed = max(2, FURNITURE_SHARE * len(pages))
    drops: list[Repair] = []
    for line in edge:
        count = pages_with[shape[line]]
        if len(pages) >= 2 and count >= needed:
            note = f"running header or footer (on {count} of {len(pages)} pages)"
        elif _PAGE_NUMBER.match(line.text(text)) and (line.from_top == 0 or line.from_bottom == 0):
            note = "page number"
        else:
            continue
        end = line.end + 1 if line.end < len(text) and text[line.end] == "\n" else line.end
        drops.append(Repair("page-furniture", note, (line.start, end), None, None))
    return drops
