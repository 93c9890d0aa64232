"""Metadata found in the words of an article: the outlet, the wire services and
outlets it credits, dates in header lines, and its language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Credit",
    "find_credits",
    "guess_language",
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
    "pti": "PTI",
    "press trust of india": "PTI",
    "ani": "ANI",
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

# Domains of outlets, for outlet names from a page or author URL.
_DOMAINS: dict[str, str] = {
    "themoscowtimes.com": "The Moscow Times",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "afp.com": "AFP",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "cnn.com": "CNN",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "politico.com": "Politico",
    "politico.eu": "Politico",
    "axios.com": "Axios",
    "aljazeera.com": "Al Jazeera",
    "kyivindependent.com": "The Kyiv Independent",
    "menafn.com": "MENAFN",
    "intellinews.com": "bne IntelliNews",
    "rte.ie": "RTÉ",
    "independent.ie": "Irish Independent",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "breitbart.com": "Breitbart",
    "npr.org": "NPR",
    "tass.com": "TASS",
    "xinhuanet.com": "Xinhua",
    "bloomberg.com": "Bloomberg",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost",
    "thehill.com": "The Hill",
    "vox.com": "Vox",
    "nypost.com": "New York Post",
    "dailymail.co.uk": "Daily Mail",
}

_NAME = "|".join(sorted((re.escape(k) for k in _SOURCES), key=len, reverse=True))
_WIRE_NAME = "|".join(sorted((re.escape(k) for k in _WIRES), key=len, reverse=True))
# Patterns that credit a source, each with a group "name". Case matters for the
# name (an outlet is written with capitals), so names are matched with (?i:...)
# only where the spelling is fixed.
_CREDIT_PATTERNS = [
    # "AFP reports", "Reuters reported", "AP said", "Axios, citing sources, reported"
    re.compile(rf"\b(?P<name>(?:{_NAME}))\b(?:,[^,.]{{1,40}},)?\s+(?:\w+ly\s+)?(?:reports|reported|said|says|wrote|writes|cited|reporting)\b", re.I),
    # "according to Reuters", "citing Axios", "as cited by AP", "told the BBC", "quoted by TASS"
    re.compile(rf"\b(?:according to|citing|cited by|quoted by|told|reported by|via|by|to)\s+(?P<name>(?:{_NAME}))\b", re.I),
    # "(AP) —" at a dateline, "(MENAFN)"
    re.compile(rf"\((?P<name>(?:{_WIRE_NAME}))\)", re.I),
    # an author page of a wire on an outlet's site: ".../author/afp-3"
    re.compile(rf"/(?:author|authors|byline|contributor)s?/(?P<name>(?:{_WIRE_NAME}))(?:[-_/]\w*)?\b", re.I),
]
_FIRST_WHOLE_TEXT_PATTERN = 2
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
    order, each normalised to one name per service."""
    found: dict[tuple[int, int], Credit] = {}
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
            # A dateline or an author page credits the whole text, not a passage.
            whole = number >= _FIRST_WHOLE_TEXT_PATTERN and key in _WIRES
            found.setdefault(span, Credit(name, span[0], span[1], key in _WIRES, whole))
    return sorted(found.values(), key=lambda c: c.start)


def wire_of(name: str) -> str | None:
    """The one name of the wire service ``name`` spells, or None if it is none."""
    return _WIRES.get(name.strip().lower())


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL belongs to: a known outlet's name, else its domain."""
    host = urlsplit(url if "//" in url else "//" + url).hostname
    if not host:
        return None
    host = host.lower().removeprefix("www.").removeprefix("amp.").removeprefix("m.")
    labels = host.split(".")
    for i in range(len(labels) - 1):
        name = _DOMAINS.get(".".join(labels[i:]))
        if name:
            return name
    # "northern-dispatch.example" is the Northern Dispatch; an unhyphenated
    # domain cannot be split into words safely and stays as it is.
    if "-" in labels[0] and len(labels) >= 2:
        return " ".join(word.capitalize() for word in labels[0].split("-"))
    return host


_DATELINE = re.compile(r"^\s*\((?P<name>[A-Z][A-Za-z&.\- ]{1,30})\)\s*[-–—:]?\s*")


def outlet_from_dateline(paragraph: str) -> str | None:
    """The outlet of a paragraph that opens with a dateline such as "(MENAFN)"."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    return _SOURCES.get(match.group("name").lower(), match.group("name"))


# Function words of a few languages; enough to tell English from the others.
_STOPWORDS = {
    "en": "the of and to in is that for it was on with as he said by at from his an be have are this not but".split(),
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an".split(),
    "fr": "le la les de des et en un une du est que pour qui dans pas sur au par plus il elle".split(),
    "es": "el la de que y en los del se las por un una para con no es su al lo como".split(),
    "it": "il di che la e per un una non in sono del della le con si da al gli".split(),
    "pt": "o a de que e do da em um para com não uma os no se na por mais as".split(),
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als".split(),
}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """An ISO 639-1 code for the language of ``text`` (a few European languages,
    and Russian, Ukrainian, Chinese, Japanese, Arabic by script), or None when
    nothing fits."""
    sample = text[:20000]
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return None
    cyrillic = sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff")
    letters = sum(len(w) for w in words)
    if cyrillic > 0.3 * letters:
        return "uk" if any(ch in sample for ch in "іїєґ") else "ru"
    if sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") > 0.3 * letters:
        return "zh"
    if sum(1 for ch in sample if "\u3040" <= ch <= "\u30ff") > 0.1 * letters:
        return "ja"
    if sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff") > 0.3 * letters:
        return "ar"
    scores = {
        lang: sum(1 for w in words if w in vocab) / len(words)
        for lang, vocab in ((lang, set(v)) for lang, v in _STOPWORDS.items())
    }
    lang, share = max(scores.items(), key=lambda kv: kv[1])
    return lang if share >= 0.08 else None
