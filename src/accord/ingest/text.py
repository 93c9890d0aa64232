"""Plain text articles: tell the header (scraper lines, the title, a photo
caption) from the body, and read the metadata the header and body carry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from accord.model import Repair

from .metadata import date_from_text, find_credits, outlet_from_dateline, outlet_from_url

__all__ = ["Block", "TextHeader", "blocks", "read_header"]

_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*\s*$""")
_ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
_HTTP_STATUS = re.compile(r"\b[1-5]\d\d\b")
# A field name and its sign, matched on a stripped line (a pattern that also
# took the value and the spaces around it backtracked over long runs of spaces).
_FIELD_LINE = re.compile(
    r"(?P<key>title|headline|url|link|source|outlet|publisher|date|published|author|authors|byline|by|status)\s*[:=]",
    re.I,
)
_URL = re.compile(r"https?://\S+")
# Names are separated by a comma or by "and" between spaces: a bare "and"
# inside a word ("AaandAa") must not split it, or the ways to split a run of
# such words double with each one (exponential backtracking, issue 25).
_BYLINE = re.compile(r"^\s*+By\s++(?P<names>[A-Z][\w.'’-]++(?:\s++[A-Z][\w.'’-]++){0,3}(?:(?:\s*+,\s*+|\s++and\s++)[A-Z][\w.'’-]++(?:\s++[A-Z][\w.'’-]++){0,3})*+)\s*+$")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<fields>(?:[^\n]*\n){0,40}?)---[ \t]*(?:\n|\Z)")
# A headline is short; longer first blocks are body even without a full stop.
_MAX_TITLE = 250
_MAX_CAPTION_WORDS = 16


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the raw text: ``[start, end)`` without its line breaks at
    either end, and whether blank lines separate the paragraphs of this text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class TextHeader:
    """What the first lines of a plain text article say about it."""

    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    credits: list[str] = field(default_factory=list)
    wire: str | None = None
    drops: list[Repair] = field(default_factory=list)


def blank_line_paragraphs(text: str) -> bool:
    """Whether the paragraphs of ``text`` are separated by blank lines (so a
    single line break inside a paragraph is a hard wrap, as in text copied
    out of a PDF), rather than one paragraph a line."""
    stripped = text.strip()
    blank_gaps = len(re.findall(r"\n[ \t]*\n", stripped))
    lines = stripped.count("\n") + 1
    return blank_gaps >= 1 and lines >= 2 * (blank_gaps + 1) * 0.75


def blocks(text: str) -> list[Block]:
    """The paragraphs of ``text``: separated by blank lines where the text uses
    them, else one a line."""
    separator = re.compile(r"\n[ \t]*\n\s*") if blank_line_paragraphs(text) else re.compile(r"\n\s*")
    out: list[Block] = []
    position = 0
    for match in separator.finditer(text + "\n\n"):
        start, end = position, min(match.start(), len(text))
        position = match.end()
        # Leading and trailing blanks are not part of the paragraph.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Block(start, end, text[start:end]))
    return out


def _peel_field_lines(paragraphs: list[Block]) -> list[Block]:
    """The paragraphs with scraper and field lines at the top of a paragraph
    made paragraphs of their own ("Source: ..." over a title, without a blank
    line between them)."""
    out: list[Block] = []
    for block in paragraphs:
        while "\n" in block.text:
            first, rest = block.text.split("\n", 1)
            line = Block(block.start, block.start + len(first.rstrip()), first.rstrip())
            if not _is_scraper_line(line):
                break
            out.append(line)
            offset = block.start + len(first) + 1 + (len(rest) - len(rest.lstrip()))
            block = Block(offset, block.end, text_at(block, offset))
        out.append(block)
    return out


def text_at(block: Block, offset: int) -> str:
    """The text of ``block`` from the absolute offset ``offset`` on."""
    return block.text[offset - block.start:]


def _published_from(value: str) -> str | None:
    match = _ISO_DATE.search(value)
    return f"{match['y']}-{match['m']}-{match['d']}" if match else None


def _field_line(text: str) -> tuple[str, str] | None:
    """The field name and value ("" when none) of a one-line "key: value"
    text (surrounding spaces aside), else None."""
    line = text.strip()
    if "\n" in line:
        return None
    found = _FIELD_LINE.match(line)
    if found is None:
        return None
    return found["key"], line[found.end():].strip()


def _is_scraper_line(block: Block) -> bool:
    """A line a scraper wrote about the page (its date, its HTTP status, its
    URL), not a line of the article."""
    text = block.text
    if "\n" in text or len(text) > 200:
        return False
    if _field_line(text):
        return True
    words = text.split()
    if _ISO_DATE.search(text) and len(words) <= 6:
        rest = _ISO_DATE.sub("", text)
        # What is left beside the date is a field name or a status code.
        return all(_HTTP_STATUS.fullmatch(w) or w.isalpha() and len(w) <= 12 for w in rest.split())
    return bool(_URL.fullmatch(text.strip()))


def _is_headline(block: Block) -> bool:
    text = " ".join(block.text.split())
    return (
        len(text) <= _MAX_TITLE
        and len(text.split()) >= 2
        and not _TERMINAL.search(text)
        and not text.startswith(("“", '"', "‘", "(", "-", "–", "—"))
    )


# "Marco Rubio and Sergei Lavrov. Russian Foreign Ministry": what the photo
# shows, then who took it, with no full stop at the end.
_CAPTION_LINE = re.compile(r"^\S.*\w[.|]\s+[A-Z][^.!?]*$")


def _split_caption(block: Block) -> tuple[Block, Block | None]:
    """A headline block whose later lines are a photo caption, as (title, caption)."""
    lines = block.text.split("\n")
    offset = block.start
    for index, line in enumerate(lines):
        if index and _CAPTION_LINE.match(line.strip()):
            title_end = offset - 1
            caption_start = offset + len(line) - len(line.lstrip())
            return Block(block.start, title_end, block.text[: title_end - block.start]), Block(
                caption_start, block.end, block.text[caption_start - block.start:]
            )
        offset += len(line) + 1
    return block, None


def _is_caption(block: Block) -> bool:
    text = " ".join(block.text.split())
    return len(text.split()) <= _MAX_CAPTION_WORDS and not _TERMINAL.search(text)


def read_header(text: str) -> TextHeader:
    """Read the header of a plain-text article: scraper lines, field lines
    ("Title: ..."), a byline, the title (also when it wraps over several
    lines) and a photo caption, up to the first paragraph of body.

    Every header block becomes a repair in ``drops`` (the body does not
    include them). Outlets and dates are also read from a dateline such as
    "(MENAFN)" and from author-page URLs anywhere in the text; credits from
    the whole text.
    """
    header = TextHeader()
    front = _FRONT_MATTER.match(text)
    if front:
        # YAML-style front matter ("---" lines around "key: value" lines):
        # metadata the user wrote for the file, never body.
        for line in front["fields"].split("\n"):
            field_line = _field_line(line)
            if field_line and field_line[1]:
                _read_field(header, field_line[0].lower(), field_line[1])
        header.drops.append(Repair("front-matter", "front matter (metadata lines)", (front.start(), front.end()), None, None))
        # Blank the block out (same length, so offsets hold) before reading on.
        text = " " * front.end() + text[front.end():]
    paragraphs = blocks(text)
    for block in _peel_field_lines(paragraphs):
        field_line = _field_line(block.text)
        if _is_scraper_line(block):
            kind, note = "scraper-header", "scraper header line"
            if field_line and field_line[1]:
                _read_field(header, field_line[0].lower(), field_line[1])
                note = f"header field {field_line[0].lower()!r}"
            elif _URL.fullmatch(block.text.strip()):
                header.url = header.url or block.text.strip()
            header.published = header.published or _published_from(block.text)
        elif byline := _BYLINE.match(block.text):
            kind, note = "byline", "byline"
            header.authors.extend(re.split(r"(?<!\s)\s*+(?:,|\band\b)\s*+", byline["names"]))
        elif header.title is None and _is_headline(block):
            title, caption = _split_caption(block)
            header.title = " ".join(title.text.split())
            header.drops.append(Repair("title", "title lines", (title.start, title.end), None, None))
            if caption is None:
                continue
            block, kind, note = caption, "caption", "photo caption or credit"
        elif header.title is not None and _is_caption(block):
            kind, note = "caption", "photo caption or credit"
        else:
            break
        header.drops.append(Repair(kind, note, (block.start, block.end), None, None))
    for url in _URL.findall(text):
        # An author page names the outlet that publishes the author.
        if re.search(r"/(?:author|authors|byline|contributors?)/", url):
            header.outlet = header.outlet or outlet_from_url(url)
    for block in paragraphs:
        # A dateline names the outlet, unless it is the wire the text came from.
        outlet = outlet_from_dateline(block.text)
        if outlet:
            header.outlet = header.outlet or outlet
            break
    if header.url and not header.outlet:
        header.outlet = outlet_from_url(header.url)
    header.published = header.published or date_from_text(text, header.url)
    for credit in find_credits(text):
        if credit.name not in header.credits:
            header.credits.append(credit.name)
        if credit.whole and header.wire is None:
            header.wire = credit.name
    return header


def _read_field(header: TextHeader, key: str, value: str) -> None:
    if key in {"title", "headline"}:
        header.title = value.strip()
    elif key in {"url", "link"}:
        header.url = value.strip()
    elif key in {"source", "outlet", "publisher"}:
        header.outlet = value.strip()
    elif key in {"date", "published"}:
        header.published = _published_from(value)
    elif key in {"author", "authors", "byline", "by"}:
        header.authors.extend(a.strip() for a in re.split(r",|\band\b", value) if a.strip())
