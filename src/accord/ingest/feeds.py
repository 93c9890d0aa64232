"""RSS and Atom feeds: one document per item.

An item's text is its full content where the feed carries it (RSS
``content:encoded``, Atom ``content``), else its summary or description; HTML
is extracted to text. Its title, link, date and author come from the item, its
outlet from the item's ``<source>`` or else the feed's own title.

An item that carries only a teaser (fewer than ``TEASER_WORDS`` words) is kept,
with the format ``"feed-teaser"`` instead of ``"feed"``, so that a reader of the
dossier knows the article itself was not read.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import feedparser

from accord.errors import InputError
from accord.model import OffsetMap, RawDocument, Skipped

from .documents import Known, credits_of, from_fragment, looks_like_html, sha256_of
from .metadata import guess_language, normalise_date, outlet_from_url

__all__ = ["TEASER_WORDS", "read_feed"]

#: An item text shorter than this many words is a teaser, not the article.
TEASER_WORDS = 40
_WORD = re.compile(r"\w+")
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$")
# A numeric character reference, also escaped once more inside an escaped
# HTML summary ("&amp;#xD800;").
_REFERENCE = re.compile(rb"&(?:amp;)?#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>[0-9]+));")
_FEEDPARSER_ERRORS = (ValueError, OverflowError, UnicodeError, TypeError, AttributeError, IndexError, KeyError, RecursionError)


def _valid_references(data: bytes) -> bytes:
    """The feed with every reference to a code point XML does not allow
    ("&#xD800;", "&#x110000;", "&#0;") made "&#xFFFD;": feedparser's loose
    parser turns them into a crash or into text no output can hold."""

    def replace(match: re.Match[bytes]) -> bytes:
        digits = match["hex"] or match["dec"]
        if len(digits) <= 8:
            value = int(digits, 16 if match["hex"] else 10)
            if value in (0x9, 0xA, 0xD) or 0x20 <= value <= 0xD7FF or 0xE000 <= value <= 0xFFFD or 0x10000 <= value <= 0x10FFFF:
                return match.group()
        return match.group().split(b"#", 1)[0] + b"#xFFFD;"

    return _REFERENCE.sub(replace, data)


def read_feed(data: bytes, source: str, *, url: str | None = None) -> Iterator[RawDocument | Skipped]:
    """The documents of the items of an RSS or Atom feed, in feed order, each
    named ``source#<item link>`` (or its id, or its number). An item without
    text is a ``Skipped``. Raises InputError when the feed cannot be parsed or
    holds no items."""
    # Bytes, never a string: feedparser fetches a string that looks like a URL.
    try:
        parsed = feedparser.parse(
            _valid_references(data), sanitize_html=True, resolve_relative_uris=bool(url), response_headers={}
        )
    except _FEEDPARSER_ERRORS as exc:
        # Its loose parser raises what chr() or a decoder raises on damage it
        # meets; the feed is reported, the batch goes on.
        raise InputError(source, f"broken feed ({type(exc).__name__}: {_first_line(exc)})") from None
    if not parsed.entries:
        if parsed.bozo:
            raise InputError(source, f"broken feed ({_first_line(parsed.bozo_exception)})")
        raise InputError(source, "feed holds no items")
    feed_title = _clean(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, 1):
        link = entry.get("link") or entry.get("id")
        name = f"{source}#{link or number}"
        try:
            yield item_document(entry, name, feed_title=feed_title)
        except InputError as error:
            yield Skipped(error.source, error.reason)


def item_document(entry: feedparser.FeedParserDict, source: str, *, feed_title: str | None = None) -> RawDocument:
    """The document of one feed item. Raises InputError when it has no text."""
    body, is_html = _item_text(entry)
    if not body or not body.strip():
        raise InputError(source, "feed item has no text (no content, summary or description)")
    link = entry.get("link")
    item_source = entry.get("source") or {}
    known = Known(
        title=_clean(entry.get("title")),
        outlet=_clean(item_source.get("title")) or feed_title or (outlet_from_url(link) if link else None),
        published=_item_date(entry),
        authors=_item_authors(entry),
        url=link,
    )
    if is_html or looks_like_html(body):
        document = from_fragment(source, body, sha256_of(body), known=known, fmt="feed")
    else:
        document = _plain_document(source, body, known)
    if len(_WORD.findall(document.text)) < TEASER_WORDS:
        document.format = "feed-teaser"
    return document


def _item_text(entry: feedparser.FeedParserDict) -> tuple[str | None, bool]:
    """The longest text the item carries, and whether it is HTML."""
    candidates = [c for c in entry.get("content") or [] if c.get("value")]
    if not candidates and entry.get("summary"):
        candidates = [entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"}]
    if not candidates:
        return None, False
    best = max(candidates, key=lambda c: len(c["value"]))
    return best["value"], "html" in (best.get("type") or "text/html")


def _plain_document(source: str, text: str, known: Known) -> RawDocument:
    # The feed already names the title: the text is body from its first line.
    text = text.replace("\r\n", "\n").strip()
    credits, wire = credits_of(text)
    return RawDocument(
        source=source,
        format="feed",
        raw=text,
        sha256=sha256_of(text),
        text=text,
        text_map=OffsetMap.identity(len(text)),
        title=known.title,
        outlet=known.outlet,
        authors=list(known.authors),
        published=known.published,
        language=guess_language(text),
        credits=credits,
        wire=wire,
        url=known.url,
    )


def _item_date(entry: feedparser.FeedParserDict) -> str | None:
    # The date as the feed writes it keeps the publisher's own day; the parsed
    # form is converted to UTC and may fall on the next or previous day.
    for key in ("published", "updated", "created"):
        found = normalise_date(entry.get(key))
        if found:
            return found
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return None


def _item_authors(entry: feedparser.FeedParserDict) -> list[str]:
    # RSS writes "lois@planet.example (Lois Lane)", which feedparser splits wrongly.
    written = _clean(entry.get("author"))
    if written and (match := _EMAIL_AND_NAME.match(written)):
        return [match["name"].strip()]
    names: list[str] = []
    for author in entry.get("authors") or [{"name": written}]:
        name = _clean(author.get("name"))
        if name and "@" not in name and name not in names:
            names.append(name)
    return names


def _clean(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _first_line(exc: object) -> str:
    return str(exc).strip().split("\n", 1)[0][:120]
