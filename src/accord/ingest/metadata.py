"""Metadata found in the words of an article: the outlet, the wire services and
outlets it credits, dates in header lines, and its language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from .outlets import default_registry

__all__ = [
    "Credit",
    "date_from_text",
    "find_credits",
    "guess_language",
    "normalise_date",
    "outlet_from_dateline",
    "outlet_from_url",
    "wire_of",
]

# One name per service; the keys are the spellings that texts use.
_WIRES: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "ansa": "ANSA",
    "efe": "EFE",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ani": "ANI",
    "asian news international": "ANI",
    "upi": "UPI",
    "united press international": "UPI",
    "pa media": "PA Media",
    "press association": "PA Media",
    "ukrinform": "Ukrinform",
    "menafn": "MENAFN",
    "cnn wire": "CNN Wire",
}

# Outlets that are credited as sources of a passage as often as wires are.
_OUTLETS: dict[str, str] = {
    "axios": "Axios",
    "the washington post": "The Washington Post",
    "washington post": "The Washington Post",
    "the new york times": "The New York Times",
    "new york times": "The New York Times",
    "the guardian": "The Guardian",
    "the wall street journal": "The Wall Street Journal",
    "wall street journal": "The Wall Street Journal",
    "the financial times": "Financial Times",
    "financial times": "Financial Times",
    "politico": "Politico",
    "cnn": "CNN",
    "bbc": "BBC",
    "the bbc": "BBC",
    "nbc news": "NBC News",
    "cbs news": "CBS News",
    "abc news": "ABC News",
    "fox news": "Fox News",
    "al jazeera": "Al Jazeera",
    "the times": "The Times",
    "the telegraph": "The Telegraph",
    "the independent": "The Independent",
    "bild": "Bild",
    "le monde": "Le Monde",
    "der spiegel": "Der Spiegel",
    "kommersant": "Kommersant",
    "izvestia": "Izvestia",
    "the kyiv independent": "The Kyiv Independent",
    "kyiv independent": "The Kyiv Independent",
    "the moscow times": "The Moscow Times",
    "bne intellinews": "bne IntelliNews",
    "intellinews": "bne IntelliNews",
}

_SOURCES = {**_OUTLETS, **_WIRES}

def _alternatives(words: list[str]) -> str:
    """A regular expression that matches any of ``words`` (the longest where
    several fit), written as a tree of shared prefixes: tried at every word of
    every article, a flat list of ninety names is the slowest part of ingest."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        options = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not options:
            return ""
        if "" not in node:
            return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        # a word may end here, but a longer one is preferred (the quantifier is greedy)
        return f"(?:{'|'.join(options)})?"

    return branch(tree)


_NAME = _alternatives(list(_SOURCES))
_WIRE_NAME = _alternatives(list(_WIRES))
# Patterns that credit a source, each with a group "name". Case matters for the
# name (an outlet is written with capitals), so names are matched with (?i:...)
# only where the spelling is fixed.
_CREDIT_PATTERNS = [
    # "AFP reports", "Reuters reported", "AP said", "Axios, citing sources, reported"
    re.compile(rf"\b(?P<name>(?:{_NAME}))\b(?:,[^,.]{{1,40}},)?\s+(?:\w+ly\s+)?(?:reports|reported|said|says|wrote|writes|cited|reporting)\b", re.I),
    # "according to Reuters", "citing Axios", "as cited by AP", "told the BBC", "quoted by TASS"
    re.compile(rf"\b(?:according to|citing|cited by|quoted by|told|reported by|via|by|to)\s+(?P<name>(?:{_NAME}))\b", re.I),
    # "(AP) —" at a dateline, "(MENAFN)"; also "the Associated Press (AP)" in a sentence
    re.compile(rf"\((?P<name>(?:{_WIRE_NAME}))\)", re.I),
    # an author page of a wire on an outlet's site: ".../author/afp-3"
    re.compile(rf"/(?:author|authors|byline|contributor)s?/(?P<name>(?:{_WIRE_NAME}))(?:[-_/]\w*)?\b", re.I),
]
_PARENTHESISED = 2
_AUTHOR_PAGE = 3
# What may stand before "(AP)" on its line for it to be a dateline: nothing, or
# a place and a date ("WASHINGTON", "CLEVELAND, July 19", "Cleveland").
_DATELINE_PLACE = re.compile(r"(?<![ \t])[ \t]*(?:[A-Z][\w.'’-]*,?(?:[ \t]+(?:[A-Z][\w.'’-]*|\d{1,2}),?){0,5}[ \t]*)?$")
# Reuters signs its stories off with who reported, wrote and edited them:
# "(Reporting by Valerie Volcovici; Additional reporting by ...; Editing by Will Dunham)"
_REUTERS_SIGNOFF = re.compile(
    # Each credit runs to its ";" (no ";" inside one), so a sign-off splits one way only (issue 25).
    r"\((?:Additional\s++)?(?i:reporting|writing)\s+by\s[^();]{1,300};\s*+(?:[^();]{1,200};\s*+){0,6}(?i:editing)\s+by\s[^()]{1,200}\)"
)
# Lower-case words that are spelled like a source but are ordinary words here.
_COMMON_WORDS = {"ap", "ani", "the times", "by", "efe", "ansa", "upi"}


@dataclass(frozen=True, slots=True)
class Credit:
    """A wire service or outlet that a text names as the source of a passage."""

    name: str
    start: int
    end: int
    wire: bool
    whole: bool = False


def find_credits(text: str) -> list[Credit]:
    """Every place where ``text`` credits a wire service or an outlet, in text
    order, each normalised to one name per service. A credit is ``whole`` when
    it says the whole text comes from a wire: a dateline ("WASHINGTON (AP) —",
    "(MENAFN)"), a wire's author page, a Reuters sign-off ("(Reporting by ...;
    Editing by ...)", whose span is the sign-off)."""
    found: dict[tuple[int, int], Credit] = {}
    for match in _REUTERS_SIGNOFF.finditer(text):
        found[match.span()] = Credit("Reuters", match.start(), match.end(), True, True)
    for number, pattern in enumerate(_CREDIT_PATTERNS):
        for match in pattern.finditer(text):
            spelled = match.group("name")
            key = spelled.lower()
            # "ap" or "the times" in lower case are words, not the wire.
            if key in _COMMON_WORDS and not any(c.isupper() for c in spelled):
                continue
            if key in {"ap", "ani", "efe"} and spelled != spelled.upper():
                continue
            name = _SOURCES[key]
            span = match.span("name")
            # A dateline or an author page credits the whole text, not a passage;
            # "told the Associated Press (AP)" credits a passage.
            whole = key in _WIRES and (
                number == _AUTHOR_PAGE or number == _PARENTHESISED and _at_dateline(text, match.start())
            )
            found.setdefault(span, Credit(name, span[0], span[1], key in _WIRES, whole))
    return sorted(found.values(), key=lambda c: c.start)


def _at_dateline(text: str, position: int) -> bool:
    """Whether ``position`` opens a line, or follows a dateline's place and date on it."""
    line_start = text.rfind("\n", 0, position) + 1
    return position - line_start <= 60 and bool(_DATELINE_PLACE.match(text, line_start, position))


def wire_of(name: str) -> str | None:
    """The one name of the wire service ``name`` spells, or None if it is none."""
    return _WIRES.get(name.strip().lower())


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL belongs to: the name of an outlet of the shipped
    registry (``outlets.csv``), else its domain."""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[broken": no host to name an outlet by
        return None
    if not host:
        return None
    host = host.lower().removeprefix("www.").removeprefix("amp.").removeprefix("m.")
    known = default_registry().by_url(host)
    if known:
        return known.name
    labels = host.split(".")
    # "northern-dispatch.example" is the Northern Dispatch; an unhyphenated
    # domain cannot be split into words safely and stays as it is.
    if "-" in labels[0] and len(labels) >= 2:
        return " ".join(word.capitalize() for word in labels[0].split("-"))
    return host


_DATELINE = re.compile(r"^\s*+\((?P<name>[A-Z][A-Za-z&.\- ]{1,30})\)\s*+[-–—:]?\s*+")


def outlet_from_dateline(paragraph: str) -> str | None:
    """The outlet of a paragraph that opens with a dateline such as "(MENAFN)"."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    return _SOURCES.get(match.group("name").lower(), match.group("name"))


# Language identification: py3langid (BSD-3-Clause), a maintained fork of
# langid.py whose model ships inside its wheel. Chosen by bench/langid.py:
# 98 of 99 short news texts in 18 languages right where the stop-word lists
# it replaced got 61, and every English article of the shared benchmarks kept
# as English, at about 0.7 ms a text.
_LANGUAGE_ALIASES = {"wuu": "zh", "yue": "zh", "nb": "no", "nn": "no"}


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def guess_language(text: str, *, confidence: float = 0.5) -> str | None:
    """An ISO 639-1 code for the language of ``text``, or None when the text
    has no letters or no language reaches ``confidence`` (a probability)."""
    sample = text[:20000]
    if not any(ch.isalpha() for ch in sample):
        return None
    language, probability = _identifier().classify(sample)
    if probability < confidence:
        return None
    return str(_LANGUAGE_ALIASES.get(language, language))


_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        1,
    )
    for name in names
}
_YMD = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?:$|[T\s_])")
_COMPACT_YMD = re.compile(r"^\s*(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:$|T)")
# "July 10, 2025", "Thursday, Jul 10 2025"
_MDY = re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b")
# "10 July 2025", "Thu, 10 Jul 2025 12:00:00 GMT"
_DMY = re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d\d)\b")
# Unix times of 2001-09-09 and later, in seconds or milliseconds
_EPOCH = re.compile(r"^\s*\d{10}(?:\d{3})?(?:\.\d+)?\s*$")


def normalise_date(value: object) -> str | None:
    """A publication date as YYYY-MM-DD, from the forms news exports use: ISO
    8601 (the date as written, its time zone kept), "2025/07/10", "20250710",
    RFC 2822 ("Thu, 10 Jul 2025 ..."), "July 10, 2025", "10 July 2025", and
    Unix times in seconds or milliseconds. None when nothing reads as a real date."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return None
    if _EPOCH.match(value):
        seconds = float(value) / (1000 if len(value.strip().split(".")[0]) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()
    for pattern in (_YMD, _COMPACT_YMD, _MDY, _DMY):
        match = pattern.search(value)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["m"]) if "m" in groups else _MONTHS.get(groups["month"].lower())
        if month is None:
            continue
        try:
            return date(int(groups["y"]), month, int(groups["d"])).isoformat()
        except ValueError:
            continue
    return None


# "WASHINGTON, Aug 3 (Reuters) -", "Aug. 3, 2021 (AP) —": a wire dateline with
# the day of the report, its year often left out.
_DATED_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4},?[ \t]+)?(?P<month>[A-Z][a-z]{2,8})\.?[ \t]+"
    r"(?P<d>[0-3]?\d)(?:,?[ \t]+(?P<y>(?:19|20)\d\d))?[ \t]*\((?P<wire>[A-Z][\w&.\- ]{1,30})\)")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>[01]\d)[/-](?P<d>[0-3]\d)(?:/|-|$)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def date_from_text(text: str, url: str | None = None) -> str | None:
    """A report's publication date from what it says of itself, when that is
    unambiguous: a date in its URL (/2021/08/03/), else a wire dateline
    ("Aug 3 (Reuters)") whose year is written, or is the one year of the URL,
    or the only year the text names. None otherwise."""
    if url:
        match = _URL_DATE.search(url)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                pass
    paragraphs = [p for p in text.split("\n") if p.strip()][:3]
    for paragraph in paragraphs:
        match = _DATED_DATELINE.match(paragraph)
        month = _MONTHS.get(match["month"].lower()) if match else None
        if match is None or month is None:
            continue
        year = match["y"]
        if year is None and url:
            years = set(_YEAR.findall(url))
            year = years.pop() if len(years) == 1 else None
        if year is None:
            years = set(_YEAR.findall(text))
            year = years.pop() if len(years) == 1 else None
        if year is None:
            return None
        try:
            return date(int(year), month, int(match["d"])).isoformat()
        except ValueError:
            return None
    return None
