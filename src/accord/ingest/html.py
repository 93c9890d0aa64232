"""The article in a news web page: its body text and its metadata.

The body comes from trafilatura, asked for recall and then cleaned by rules that
hold on news pages in general: the headline and standfirst are metadata, reader
comments are never the article, teaser links and "related" lists are not the
article, a body cut into several containers around ads is one body, and an
embedded post is a quotation. The date comes from htmldate (the original
publication date rather than the last update), the other metadata from
trafilatura (meta tags, Open Graph, JSON-LD).

The text is rebuilt from the markup, so it has no exact map back onto the HTML
(its spans carry ``raw = null``, as DESIGN.md allows).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from lxml.etree import _Element, strip_tags
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from accord.errors import InputError

__all__ = ["HtmlArticle", "extract_html"]

# How trafilatura is asked for the body: for recall, since the rules below take
# out what recall lets in.
EXTRACTION_OPTIONS = {
    "include_comments": False,  # reader comments are never the article
    "include_tables": True,
    "include_links": True,  # kept until the teaser links are recognised, then dropped
    "favor_recall": True,
    "with_metadata": False,
}
# Below this many characters of body the quick search (the markup's article
# container) probably missed the article; a second search that weighs trafilatura's
# rules against readability and jusText replaces it when this many times longer.
SHORT_ARTICLE_CHARS = 600
LONGER_BY = 1.5
# The least an article has: one sentence of this many words, this many words in all.
MIN_SENTENCE_WORDS = 8
MIN_ARTICLE_WORDS = 20
# A teaser ("READ MORE: <headline>") is at most this many words, at least this
# share of them in a link.
MAX_TEASER_WORDS = 20
TEASER_LINK_SHARE = 0.6
# This many headings in a row are a widget's labels, not an article's structure.
MIN_HEADING_RUN = 3
# A list is a list of links when this share of its items have at least
# LINKED_ITEM_SHARE of their text in links.
LINK_LIST_SHARE = 0.5
LINKED_ITEM_SHARE = 0.3
# A line of at most this many characters that does not end a sentence is a label
# or a button ("Comments", "Tell us what you think..."), not the article's last line.
MAX_LABEL_CHARS = 30

# a line of at most this many characters can be a time stamp
MAX_TIMESTAMP_CHARS = 80
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*"
_PUBLISHED = re.compile(r"\b(?:updated|published|posted|last modified)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# the words and signs a time stamp is made of (a run of digits is taken whole,
# possessively: "\d+" inside "(...)+" split 40 digits 2**40 ways, issue 25; a
# full stop after a word is the class's, not the word's, or "Jan. Jan. ..."
# could be read two ways per word)
_TIMESTAMP = re.compile(
    rf"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*+\b|\b{_WEEKDAY}\b|{_PUBLISHED.pattern}"
    r"|\b(?:at|on|ago|hours?|minutes?|days?|a\.?m|p\.?m|gmt|utc|[ecmp][sd]t|bst|cet)\b|\d++(?:st|nd|rd|th)?"
    r"|[-/:.,|()\u2013\u2014\s])+",
    re.IGNORECASE,
)
# a word: a run of letters and digits, or one character of the scripts written
# without spaces between words (Chinese, Japanese)
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_SENTENCE_ENDS = (".", "!", "?", '"', "\u201d", "'", "\u2019", ":", ";", "\u3002", "\uff01", "\uff1f")
_ELLIPSES = ("...", "\u2026")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# class of the container that holds an article's text on most news sites
_BODY_CONTAINER = re.compile(
    r"(?:article|story|entry|post|content)[-_]{0,2}(?:body|content|text)|body[-_]{0,2}text",
    re.IGNORECASE,
)
_EMBEDDED_POST = re.compile(r"twitter-tweet|instagram-media|tiktok-embed", re.IGNORECASE)
_EMBED_WRAPPER = re.compile(r"embed|social|twitter|tweet|instagram", re.IGNORECASE)


@dataclass(slots=True)
class HtmlArticle:
    """What one news page holds: the article body and the metadata around it."""

    text: str
    title: str | None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    url: str | None = None


def extract_html(html: str, *, source: str, url: str | None = None) -> HtmlArticle:
    """Extract the article of a news page.

    ``text`` is the body alone: paragraphs separated by a blank line, without the
    headline, comments, navigation or other boilerplate. ``published`` is
    YYYY-MM-DD or None. ``url`` (where the page came from) helps find metadata and
    stands in for the page's own canonical address when it gives none.

    Raises InputError(source, reason) when the input is not HTML or the page
    holds no article text.
    """
    if not html or not html.strip():
        raise InputError(source, "the HTML is empty")
    # a lone surrogate (bytes decoded with "surrogateescape") makes lxml drop the document
    tree = load_html(_SURROGATE.sub("\ufffd", html))
    if tree is None:
        raise InputError(source, "the input could not be parsed as HTML")
    meta = extract_metadata(deepcopy(tree), default_url=url)
    page_url = meta.url or url
    text = article_body(tree, url=url, title=meta.title, own_urls={u for u in (url, meta.url) if u})
    if not text:
        raise InputError(source, "no article text found in the HTML")
    return HtmlArticle(
        text=text,
        title=meta.title or None,
        authors=split_authors(meta.author),
        published=publication_date(tree, meta.date, url=page_url),
        outlet=meta.sitename or outlet_from_url(page_url),
        language=page_language(tree),
        url=page_url,
    )


# --------------------------------------------------------------------------- body


def article_body(
    tree: HtmlElement,
    *,
    url: str | None = None,
    title: str | None = None,
    own_urls: Collection[str] = (),
) -> str:
    """The article body of a parsed page as paragraphs joined by blank lines, or
    "" when the page holds no article. Lines that only repeat ``title`` or one of
    ``own_urls`` (the page's addresses) are left out. ``tree`` is left unchanged."""
    tree = deepcopy(tree)
    join_split_body(tree)
    unwrap_embedded_posts(tree)
    paragraphs = body_paragraphs(tree, url=url, title=title, own_urls=own_urls, fast=True)
    if sum(map(len, paragraphs)) < SHORT_ARTICLE_CHARS:
        compared = body_paragraphs(tree, url=url, title=title, own_urls=own_urls, fast=False)
        if sum(map(len, compared)) > LONGER_BY * sum(map(len, paragraphs)):
            paragraphs = compared
    if not looks_like_prose(paragraphs):
        return ""
    return "\n\n".join(paragraphs)


def body_paragraphs(
    tree: HtmlElement,
    *,
    url: str | None,
    title: str | None,
    own_urls: Collection[str],
    fast: bool,
) -> list[str]:
    """The paragraphs of the article body trafilatura finds in ``tree`` (left
    unchanged), without headline, standfirst, teasers, trailing boilerplate and
    the page's own address. ``fast`` skips trafilatura's comparison with
    readability and jusText."""
    document: Any = trafilatura.bare_extraction(deepcopy(tree), url=url, fast=fast, **EXTRACTION_OPTIONS)  # type: ignore[arg-type]
    if document is None or document.body is None:
        return []
    body = document.body
    drop_header_blocks(body)
    drop_heading_runs(body)
    drop_teasers(body)
    drop_trailing_boilerplate(body)
    strip_tags(body, "ref")
    paragraphs = [line.strip() for line in xmltotxt(body, False).split("\n") if line.strip()]
    # a permalink or share box prints the page's own address; other URLs can be
    # what the article cites
    own = {address.rstrip("/") for address in own_urls}
    paragraphs = [p for p in paragraphs if p.rstrip("/") not in own and not is_timestamp(p)]
    return drop_headline(paragraphs, title)


def looks_like_prose(paragraphs: list[str]) -> bool:
    """Whether ``paragraphs`` read as an article rather than left-over menu items
    and button labels: at least one sentence-long paragraph and a few dozen words."""
    counts = [len(_WORD.findall(p)) for p in paragraphs]
    return bool(counts) and max(counts) >= MIN_SENTENCE_WORDS and sum(counts) >= MIN_ARTICLE_WORDS


# --------------------------------------------------------------------------- the page, before extraction


def join_split_body(tree: HtmlElement) -> None:
    """Gather an article body that the page cut into several containers into the
    first of them, in place.

    Many news sites close the body container around each ad or embed and open a
    new one with the same class after it; extractors read the first container only
    and lose the rest of the article. Containers count as parts of one body when
    they share tag and class, that class names an article body, and none holds
    another.
    """
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for element in tree.iter("div", "section", "article"):
        name = element.get("class") or ""
        if _BODY_CONTAINER.search(name) or element.get("itemprop") == "articleBody":
            groups.setdefault((element.tag, name), []).append(element)
    for parts in groups.values():
        first = parts[0]
        for part in parts[1:]:
            if any(ancestor in parts for ancestor in part.iterancestors()):
                continue
            first.extend(list(part))
            remove_block(part)


def unwrap_embedded_posts(tree: HtmlElement) -> None:
    """Turn embedded social-media posts into plain quotations, in place.

    A post an article embeds is part of its reporting (who said what), but the
    embed's classes make extractors discard it as a widget; the blockquote holds
    the text the page shows when the embed script does not run.
    """
    for quote in tree.iter("blockquote"):
        if not _EMBEDDED_POST.search(quote.get("class") or ""):
            continue
        del quote.attrib["class"]
        # the wrappers the page sets around an embed are named for it too
        for wrapper in quote.iterancestors():
            names = f"{wrapper.get('class') or ''} {wrapper.get('id') or ''}"
            if not _EMBED_WRAPPER.search(names):
                break
            wrapper.attrib.pop("class", None)
            wrapper.attrib.pop("id", None)


# --------------------------------------------------------------------------- trafilatura's body, block by block
# Its blocks: <p>, <head> (headings), <list> of <item>, <quote>, <table>; links are <ref>.


def drop_header_blocks(body: _Element) -> None:
    """Remove, in place, the headings that open the body before its first paragraph:
    the headline and the standfirst under it are metadata, not body."""
    while len(body) and body[0].tag == "head":
        remove_block(body[0])


def drop_heading_runs(body: _Element) -> None:
    """Remove, in place, runs of three or more headings with nothing but empty
    blocks between them: an article alternates headings and paragraphs, whereas
    sign-up boxes and widgets stack their labels as headings."""
    run: list[_Element] = []
    for block in [*body, None]:
        if block is not None and (block.tag == "head" or not block_text(block)):
            run.append(block)
            continue
        if sum(member.tag == "head" for member in run) >= MIN_HEADING_RUN:
            for member in run:
                remove_block(member)
        run = []


def drop_teasers(body: _Element) -> None:
    """Remove, in place, the paragraphs, headings and list items that are a link to
    elsewhere: teasers for other articles and calls to subscribe set between the
    paragraphs ("READ MORE: <headline>", "<headline> [VIDEO]")."""
    for block in list(body.iter("p", "item", "head")):
        text = block_text(block)
        # a linked sentence of the article (deals pages link whole paragraphs) stays
        if text and link_share(block) >= TEASER_LINK_SHARE and is_teaser(text):
            remove_block(block)


def drop_trailing_boilerplate(body: _Element) -> None:
    """Remove, in place, what follows the article's last paragraph: headings,
    lists of links ("More from...", "Most read"), labels and buttons close many
    news pages and are never the article."""
    while len(body):
        last = body[-1]
        text = block_text(last)
        boilerplate = (
            not text
            or last.tag == "head"
            or (last.tag == "list" and is_list_of_links(last))
            or is_label(text)
        )
        if not boilerplate:
            break
        remove_block(last)


def block_text(element: _Element) -> str:
    """The text of a block, its words separated by single spaces."""
    return " ".join("".join(element.itertext()).split())


def link_share(element: _Element) -> float:
    """The share of the element's text that sits inside links (0 when it has no text)."""
    text = block_text(element)
    if not text:
        return 0.0
    linked = sum(len(block_text(ref)) + 1 for ref in element.iter("ref"))
    return min(1.0, linked / len(text))


def is_teaser(text: str) -> bool:
    """Whether a line reads like a headline or a call to action rather than a
    sentence of the article: short, and not ending as sentences end."""
    return len(_WORD.findall(text)) <= MAX_TEASER_WORDS and not text.endswith(_SENTENCE_ENDS)


def is_label(text: str) -> bool:
    """Whether a line is a label or a button rather than a sentence: very short,
    and not ending as sentences end (an ellipsis invites a click)."""
    ends_sentence = text.endswith(_SENTENCE_ENDS) and not text.endswith(_ELLIPSES)
    return len(text) <= MAX_LABEL_CHARS and not ends_sentence


def is_list_of_links(element: _Element) -> bool:
    """Whether most items of a list are links (to other articles, with perhaps a
    line of description each), rather than points of the article."""
    items = [item for item in element.iter("item") if block_text(item)]
    linked = [item for item in items if link_share(item) >= LINKED_ITEM_SHARE]
    return bool(items) and len(linked) >= LINK_LIST_SHARE * len(items)


def remove_block(block: _Element) -> None:
    """Remove ``block`` from its parent, keeping the text that follows it."""
    parent = block.getparent()
    if parent is None:
        return
    if block.tail and block.tail.strip():
        previous = block.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + block.tail
        else:
            parent.text = (parent.text or "") + block.tail
    parent.remove(block)


# --------------------------------------------------------------------------- lines


def is_timestamp(line: str) -> bool:
    """Whether a line is nothing but when the article was published or updated
    ("Updated at 1:23 p.m.", "October 12, 2017", "Nov. 19, 2019 / 12:21 AM"):
    metadata printed above or below the body. A line of times alone ("10 p.m.")
    can be the article's (a schedule, a live blog), as can several dates."""
    if len(line) > MAX_TIMESTAMP_CHARS or not _TIMESTAMP.fullmatch(line):
        return False
    says_when = _PUBLISHED.search(line) is not None
    one_full_date = len(_YEAR.findall(line)) == 1 and _MONTH.search(line) is not None
    return says_when or one_full_date


def word_key(text: str | None) -> str:
    """The lower-cased words of ``text`` joined by single spaces: how two renderings
    of the same line compare equal regardless of punctuation and spacing."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def drop_headline(paragraphs: list[str], title: str | None) -> list[str]:
    """``paragraphs`` without the lines that repeat the headline: the headline is
    metadata, and extractors keep the <h1> whenever it sits inside the article."""
    headline = word_key(title)
    if not headline:
        return paragraphs
    kept = []
    for paragraph in paragraphs:
        key = word_key(paragraph)
        # the <title> often carries the site name too ("Headline | Outlet"), and the
        # <h1> is sometimes a shortened headline, so containment counts as a repeat
        repeats = key == headline or (
            bool(key)
            and ((key in headline and len(key) > 20) or (headline in key and len(headline) >= 0.8 * len(key)))
        )
        if not repeats:
            kept.append(paragraph)
    return kept


# --------------------------------------------------------------------------- metadata


def publication_date(tree: HtmlElement, found: str | None, *, url: str | None) -> str | None:
    """``found`` (htmldate's original date from a thorough search), unless it is
    only a year: htmldate falls back to January 1st of the copyright year in the
    footer when it finds no date, which is not when the article appeared."""
    if not found or not found.endswith("-01-01"):
        return found or None
    # a real January 1st date stands in the page's metadata, where the quick search looks
    return find_date(deepcopy(tree), extensive_search=False, original_date=True, url=url)


def split_authors(authors: str | None) -> list[str]:
    """The author names of trafilatura's "A; B" author field, in order, without repeats."""
    names: list[str] = []
    for name in (authors or "").split(";"):
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names


def outlet_from_url(url: str | None) -> str | None:
    """The site's host name without a leading "www." (e.g. "example.co.uk"), or None."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.")


def page_language(tree: HtmlElement) -> str | None:
    """The page's declared language (e.g. "en", "pt-BR"): <html lang>, else the
    Content-Language, og:locale or language meta tag, else None."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        if value and value.strip():
            # og:locale writes "en_US"; BCP 47 writes "en-US"
            return str(value).strip().split(",")[0].strip().replace("_", "-")
    return None
