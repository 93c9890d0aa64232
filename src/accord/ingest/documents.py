"""Raw documents built from what a reader found: a plain text with its header,
or a news page's extracted article, with the metadata a container (a JSON
record, a feed item, a WARC record) already knows."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html import unescape

from accord.errors import InputError
from accord.model import OffsetMap, RawDocument, Repair
from accord.settings import DEFAULT

from .metadata import date_from_text, find_credits, guess_language, outlet_from_url
from .text import TextHeader, blank_line_paragraphs, read_header

__all__ = [
    "Known",
    "credits_of",
    "fragment_text",
    "from_fragment",
    "from_html",
    "from_text",
    "looks_like_html",
    "sha256_of",
]


@dataclass(slots=True)
class Known:
    """Metadata a container states about its document; each value wins over
    what is guessed from the document's own words."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None


def sha256_of(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8: the fingerprint of a document that is
    one part of a larger input. An unpaired surrogate (from a JSON "\\ud800"
    escape) is hashed as it stands rather than refused; the cleaner replaces it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def credits_of(text: str) -> tuple[list[str], str | None]:
    """The services and outlets ``text`` credits (each once, in text order), and
    the wire service the whole text comes from, if a dateline or author page says so."""
    credits: list[str] = []
    wire = None
    for credit in find_credits(text):
        if credit.name not in credits:
            credits.append(credit.name)
        if credit.whole and wire is None:
            wire = credit.name
    return credits, wire


def from_text(
    source: str,
    text: str,
    sha256: str,
    *,
    known: Known | None = None,
    fmt: str = "text",
    furniture: list[Repair] | None = None,
    hard_wrapped: bool = False,
) -> RawDocument:
    """A raw document of the plain text ``text`` (which is also its raw input):
    its header lines (scraper lines, title, byline, caption) become drops and
    metadata, and ``furniture`` (page headers and numbers of a PDF) is dropped
    too and kept out of the header reading. ``hard_wrapped`` says that every
    line break may be a wrap (as in a PDF's text layer), so that no line is
    taken for a photo caption. Raises InputError when no body is left."""
    known = known or Known()
    if not text.strip():
        raise InputError(source, "no text")
    header, furniture = _read_header_around(text, furniture or [])
    if hard_wrapped and not blank_line_paragraphs(text):
        # One line a paragraph here means one wrapped line a block, and the
        # first lines of a body, short and without a full stop, read as captions.
        header.drops = [d for d in header.drops if d.kind != "caption"]
    drops = sorted(header.drops + furniture, key=lambda d: d.raw)
    if not any(ch.isalpha() for ch in _without(text, drops)):
        # A short report's one paragraph, without a full stop at its end,
        # reads like a photo caption; a report has a body, so it is that.
        drops = [d for d in drops if d.kind != "caption"]
    if not any(ch.isalpha() for ch in _without(text, drops)):
        raise InputError(source, "no article text (only a header)")
    url = known.url or header.url
    return RawDocument(
        source=source,
        format=fmt,
        raw=text,
        sha256=sha256,
        text=text,
        text_map=OffsetMap.identity(len(text)),
        title=known.title or header.title,
        outlet=known.outlet or header.outlet or (outlet_from_url(url) if url else None),
        authors=known.authors or header.authors,
        published=known.published or header.published or (date_from_text(text, url) if url else None),
        language=guess_language(text),
        credits=header.credits,
        wire=header.wire,
        url=url,
        drops=drops,
    )


def from_html(
    source: str,
    html: str,
    sha256: str,
    *,
    known: Known | None = None,
    fmt: str = "html",
) -> RawDocument:
    """A raw document of the article in the HTML ``html`` (its raw input).
    Raises InputError (from the extractor) when the HTML holds no article."""
    from .html import extract_html  # lxml and trafilatura load only when HTML comes

    known = known or Known()
    limit = DEFAULT.html_max_chars
    page = extract_html(html[:limit], source=source, url=known.url)
    credits, wire = credits_of(page.text)
    url = known.url or page.url
    return RawDocument(
        source=source,
        format=fmt,
        raw=html,
        sha256=sha256,
        text=page.text,
        # The extractor rebuilds the text: no exact offsets into the HTML.
        text_map=OffsetMap.unmapped(len(page.text)),
        title=known.title or page.title,
        outlet=known.outlet or page.outlet or (outlet_from_url(url) if url else None),
        authors=known.authors or list(page.authors),
        published=known.published or page.published,
        language=page.language or guess_language(page.text),
        credits=credits,
        wire=wire,
        url=url,
        # Past the limit the page is not read; the reader is told (a note at the start).
        drops=[Repair("truncated", f"only the first {limit:,} of the page's {len(html):,} characters were read "
                      "(the HTML size limit, Settings.html_max_chars)", (0, 0), 0, 0)] if len(html) > limit else [],
    )


def _read_header_around(text: str, furniture: list[Repair]) -> tuple[TextHeader, list[Repair]]:
    """The header of ``text`` read as if the furniture were not there (so that a
    running head is not taken for the title), its drops in offsets of ``text``;
    and the furniture outside the header's drops."""
    if not furniture:
        return read_header(text), []
    kept: list[int] = []
    position = 0
    for drop in sorted(furniture, key=lambda d: d.raw):
        kept.extend(range(position, drop.raw[0]))
        position = max(position, drop.raw[1])
    kept.extend(range(position, len(text)))
    header = read_header("".join(text[i] for i in kept))
    header.drops = [
        Repair(d.kind, d.note, (kept[d.raw[0]], kept[d.raw[1] - 1] + 1), d.start, d.end)
        for d in header.drops
        if d.raw[1] > d.raw[0]
    ]
    # A header block that ran across a page break holds that page's furniture.
    outside = [f for f in furniture if not any(h.raw[0] <= f.raw[0] < h.raw[1] for h in header.drops)]
    return header, outside


def _without(text: str, drops: list[Repair]) -> str:
    kept, position = [], 0
    for drop in sorted(drops, key=lambda d: d.raw):
        kept.append(text[position:drop.raw[0]])
        position = max(position, drop.raw[1])
    kept.append(text[position:])
    return "".join(kept)


# Tags that end a paragraph or a line in an HTML fragment.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|article|section|figure|figcaption|table|tr|pre|hr)\b[^>]*>|<br\s*/?>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_HIDDEN_OPEN = re.compile(r"<(script|style|noscript|template)\b", re.I)
_HIDDEN_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript", "template")}


def _without_hidden(html: str) -> str:
    """``html`` without its script, style, noscript and template elements.
    An opening tag with no closing one is left as it is (its tag is removed
    with the other tags, its text kept). Linear in the length: a closing tag
    that is missing after one opening tag is missing after every later one,
    so it is looked for once (a regular expression ``<script.*?</script>``
    scanned to the end from each of 3,000 unclosed tags: 50 s for 320 KB)."""
    pieces: list[str] = []
    position = 0
    unclosed: set[str] = set()
    for opening in _HIDDEN_OPEN.finditer(html):
        if opening.start() < position:
            continue  # inside an element already removed
        name = opening.group(1).lower()
        if name in unclosed:
            continue
        closing = _HIDDEN_CLOSE[name].search(html, opening.end())
        if closing is None:
            unclosed.add(name)
            continue
        pieces.append(html[position:opening.start()])
        position = closing.end()
    pieces.append(html[position:])
    return "".join(pieces)
_HTML_MARKUP = re.compile(
    r"<(?:p|div|br|span|a|em|strong|b|i|h[1-6]|ul|ol|li|article|section|figure|img|html|body|blockquote|table)\b[^>]*>",
    re.I,
)


def looks_like_html(value: str) -> bool:
    """Whether a text field holds HTML markup rather than plain text."""
    return bool(_HTML_MARKUP.search(value[:65536]))


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed summary, a field of a JSON record)
    kept whole: its blocks as paragraphs separated by blank lines, entities
    resolved, spaces collapsed. Used where an article extractor would judge
    the fragment too short to be an article."""
    text = _BLOCK_TAG.sub("\n\n", _without_hidden(html))
    text = unescape(_TAG.sub("", text))
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def from_fragment(
    source: str,
    html: str,
    sha256: str,
    *,
    known: Known | None = None,
    fmt: str = "html",
) -> RawDocument:
    """A raw document of HTML that may be a whole page or a fragment of one: the
    article extractor's body where it finds one, else the fragment's text as it
    stands. Raises InputError when neither holds any words."""
    try:
        return from_html(source, html, sha256, known=known, fmt=fmt)
    except InputError:
        text = fragment_text(html)
    if not any(ch.isalpha() for ch in text):
        raise InputError(source, "no article text in the HTML")
    known = known or Known()
    credits, wire = credits_of(text)
    return RawDocument(
        source=source,
        format=fmt,
        raw=html,
        sha256=sha256,
        text=text,
        text_map=OffsetMap.unmapped(len(text)),
        title=known.title,
        outlet=known.outlet or (outlet_from_url(known.url) if known.url else None),
        authors=list(known.authors),
        published=known.published,
        language=guess_language(text),
        credits=credits,
        wire=wire,
        url=known.url,
    )
