"""What a document says that tells its event apart: distinctive words, names,
numbers and when it was published, as one sparse weighted vector.

A word weighs more the rarer it is in general English (``wordfreq``, so no
corpus is needed) and less the more of the documents seen before it carry it
(``Collection``: what is common in this stream, "Biden" in a year of US
politics). Names (runs of capitalised words, or entity mentions passed in from
the analyze stage), numbers and years count beside words, because they are what
separates two earthquakes of the same week. A document is weighed once, with the
counts of the documents before it, so a batch fed in order and a stream give it
the same vector.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

from wordfreq import zipf_frequency

from accord.model import Document
from accord.settings import DEFAULT, Settings

__all__ = ["Collection", "Profile", "RawFeatures", "profile", "raw_features", "weigh", "cosine", "publication_day", "stated_day"]

#: The tuning constants of the features live in ``accord.settings``
#: (``feature_*``), each with where its value came from.

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]['\"’”]?\s+|\n+")
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class Profile:
    """A document's features: a unit-length sparse vector over words, names
    (``"@name"``) and numbers (``"#n"``), and its publication day (an ordinal),
    or None when unknown."""

    doc: str
    vector: dict[str, float]
    day: int | None


@lru_cache(maxsize=200_000)
def rarity(
    word: str, common: float = DEFAULT.feature_common_zipf, unknown: float = DEFAULT.feature_unknown_zipf
) -> float:
    """How distinctive a lowercased word is: near 0 for "the", up to 7 for words
    English hardly uses."""
    zipf = zipf_frequency(word, "en")
    if zipf >= common:
        return 0.0
    if zipf == 0.0:
        zipf = unknown
    return common - zipf


@lru_cache(maxsize=200_000)
def word_key(token: str) -> str:
    """The form under which a word is counted: lowercased, possessive removed,
    and a plural reduced to its singular when English knows that singular at
    least about as well (a cheap stand-in for lemmas that costs no parse:
    "punches" -> "punch", but "species" stays)."""
    word = token.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    zipf = zipf_frequency(word, "en")
    if zipf == 0.0:
        return word
    for singular in (word[:-3] + "y" if word.endswith("ies") else "", word[:-2], word[:-1]):
        if singular and zipf_frequency(singular, "en") >= zipf - 0.3:
            return singular
    return word


#: Capitalised words that date a text rather than name its event.
CALENDAR = frozenset(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
    thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun gmt bst
    est edt pst pdt cst cdt utc et pt am pm a.m p.m updated published posted last
    first by""".split()
)
#: A capitalised word opening a sentence is taken for an ordinary word when
#: English uses it at least this often ("Another", "President", "Police").
SENTENCE_START_ZIPF = 4.0
_NAME_PIECE = re.compile(r"[^\W\d_][\w'’\-.]*|[^\w\s]+|\d[\w.,]*")
_JOINERS = ("of", "de", "al", "bin", "von", "van", "la", "del")


def capitalised_names(text: str) -> Iterable[tuple[str, int]]:
    """Runs of capitalised words (``"Tara Reid"``, ``"Gulf of Aden"``), with the
    offset where each starts: the fast path for named entities, no parse needed.

    A run stops at punctuation, a digit or a line break. A capitalised word that
    opens a sentence counts only when English rarely writes it in lower case, so
    "The" and "Another" are not names; month and weekday names never count."""
    starts = {0} | {m.end() for m in _SENTENCE_END.finditer(text)}
    run: list[str] = []
    run_start = 0
    previous_end = 0
    for match in _NAME_PIECE.finditer(text):
        token = match.group().rstrip(".")
        broken = "\n" in text[previous_end:match.start()]
        previous_end = match.end()
        capital = bool(token) and token[0].isupper() and (len(token) > 1 or token == "I")
        if capital and token.lower() in CALENDAR:
            capital = False
        if capital and match.start() in starts and zipf_frequency(token, "en") >= SENTENCE_START_ZIPF:
            capital = False
        if capital and not broken:
            if not run:
                run_start = match.start()
            run.append(token)
            continue
        if run and not broken and token in _JOINERS and len(run) < 4:
            run.append(token)
            continue
        if run:
            yield from _flush(run, run_start)
            run = []
        if capital:
            run_start = match.start()
            run.append(token)
    if run:
        yield from _flush(run, run_start)


def _flush(run: list[str], start: int) -> Iterable[tuple[str, int]]:
    while run and run[-1] in _JOINERS:
        run.pop()
    if run:
        yield " ".join(run), start


_MONTHS = {
    m: n for n, names in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"], start=1) for m in names.split()
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_STATED_DATES = [
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+((?:19|20)\d\d)\b", re.I), (3, 1, 2)),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"\s*,?\s+((?:19|20)\d\d)\b", re.I), (3, 2, 1)),
    (re.compile(r"\b((?:19|20)\d\d)\s*[-/]\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\b"), (1, 2, 3)),
]
#: Where a dateline can stand: the first characters of the body.
DATELINE_CHARS = 300


def stated_day(text: str) -> int | None:
    """The ordinal day of the first full date in the opening of a text (a
    dateline such as "Published : July 29 , 2004"), None when there is none.
    Used as the publication day of a document whose metadata has none."""
    opening = text[:DATELINE_CHARS]
    found: list[tuple[int, int]] = []
    for pattern, (y, m, d) in _STATED_DATES:
        for match in pattern.finditer(opening):
            month = match.group(m)
            month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
            try:
                day = date(int(match.group(y)), month_number or 0, int(match.group(d)))
            except ValueError:
                continue
            found.append((match.start(), day.toordinal()))
    return min(found)[1] if found else None


def publication_day(published: str | None) -> int | None:
    """The ordinal day of a ``YYYY-MM-DD`` (or longer ISO) date, None when absent
    or unreadable."""
    if not published or len(published) < 10:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


class Collection:
    """How many of the documents seen so far carry each feature.

    Background rarity says "Biden" is distinctive; in a year of US politics it
    is not. Counting features as documents arrive lets a stream learn what is
    common in it, and because a document is weighed with the counts of the
    documents before it, a batch fed in order weighs it the same."""

    __slots__ = ("documents", "frequency", "prior", "power")

    def __init__(self, *, settings: Settings = DEFAULT) -> None:
        self.documents = 0
        self.frequency: dict[str, int] = {}
        self.prior = settings.feature_collection_prior
        self.power = settings.feature_collection_power

    def weight(self, key: str) -> float:
        """How distinctive a feature is in this collection, relative to one never
        seen (1.0); it falls as a larger share of the documents carry it."""
        df = self.frequency.get(key, 0)
        if not df:
            return 1.0
        prior = self.documents + self.prior
        return float(max(0.0, math.log(prior / (df + 1)) / math.log(prior)) ** self.power)

    def add(self, keys: Iterable[str]) -> None:
        """Count one more document carrying ``keys``."""
        self.documents += 1
        frequency = self.frequency
        for key in keys:
            frequency[key] = frequency.get(key, 0) + 1


def profile(
    document: Document,
    *,
    names: Sequence[str] | None = None,
    collection: Collection | None = None,
    settings: Settings = DEFAULT,
) -> Profile:
    """The features of one document.

    ``names`` are entity mentions found by the analyze stage (spaCy); when None,
    runs of capitalised words stand in for them, which costs no parse.
    ``collection``, when given, lowers the weight of features that many earlier
    documents carry (it is read, not updated)."""
    return weigh(raw_features(document, names=names, settings=settings), collection, settings)


@dataclass(frozen=True, slots=True)
class RawFeatures:
    """What a document carries before the collection weighs it: how often
    each feature occurs (boosted in title and lead), its rarity in English,
    and the document's day (ordinal; None when unknown). ``weigh`` turns it
    into a ``Profile`` with any collection's counts."""

    doc: str
    counts: dict[str, float]
    idf: dict[str, float]
    day: int | None
    #: Every lowercased word token of title and body with its count: the
    #: plain bag of words that a pile weighs by its own IDF.
    terms: dict[str, int] = dataclasses.field(default_factory=dict)
    #: The outlet that published it, lowercased; None when unknown.
    outlet: str | None = None


def raw_features(
    document: Document, *, names: Sequence[str] | None = None, settings: Settings = DEFAULT
) -> RawFeatures:
    """The features of one document before any collection weighs them (see
    ``profile`` for ``names``)."""
    counts: dict[str, float] = {}
    idf: dict[str, float] = {}
    title = document.title or ""
    _count_words(counts, idf, title, settings.feature_title_boost, settings)
    text = document.text
    lead = settings.feature_lead_chars
    _count_words(counts, idf, text[:lead], settings.feature_lead_boost, settings)
    _count_words(counts, idf, text[lead:], 1.0, settings)
    mentions = list(names) if names is not None else [
        name for part in (title, text) for name, _ in capitalised_names(part)
    ]
    _count_names(counts, idf, mentions, settings)
    day = publication_day(document.published)
    if day is None:
        day = stated_day(text)
    terms: dict[str, int] = {}
    for token in _WORD.findall(f"{title}\n{text}".lower()):
        terms[token] = terms.get(token, 0) + 1
    outlet = (document.outlet or "").strip().lower() or None
    return RawFeatures(document.id, counts, idf, day, terms, outlet)


def weigh(raw: RawFeatures, collection: Collection | None = None, settings: Settings = DEFAULT) -> Profile:
    """The document's unit vector: its features weighed by rarity and, when a
    ``collection`` with documents is given, by how few of them carry each."""
    idf = raw.idf
    if collection is not None and collection.documents:
        idf = {k: w * collection.weight(k) for k, w in idf.items()}
    return Profile(raw.doc, _weigh(raw.counts, idf, settings.feature_keep), raw.day)


def _count_words(
    counts: dict[str, float], idf: dict[str, float], text: str, boost: float, settings: Settings
) -> None:
    zipf = (settings.feature_common_zipf, settings.feature_unknown_zipf)
    for match in _TOKEN.finditer(text):
        token = match.group()
        if _NUMBER.fullmatch(token):
            value = token.replace(",", "")
            # Small numbers ("2", "10") recur in every story; years and counts
            # like "23 pirates" or "7.3" name an event.
            if len(value) < 2:
                continue
            key = "#" + value
            if _YEAR.fullmatch(value):
                weight = settings.feature_year_weight
            else:
                weight = settings.feature_number_boost * (3.0 if len(value) >= 3 else 2.0)
        else:
            word = word_key(token)
            if len(word) < 3:
                continue
            weight = rarity(word, *zipf)
            if weight == 0.0:
                continue
            key = word
        counts[key] = counts.get(key, 0.0) + boost
        idf[key] = weight


def _count_names(
    counts: dict[str, float], idf: dict[str, float], mentions: Iterable[str], settings: Settings
) -> None:
    zipf = (settings.feature_common_zipf, settings.feature_unknown_zipf)
    for mention in mentions:
        parts = [word_key(p) for p in mention.split() if p[:1].isupper()]
        parts = [p for p in parts if rarity(p, *zipf) > 0.0]
        if not parts:
            continue
        # The full name and its last word both count, so that "Tara Reid" and a
        # later "Reid" meet.
        full = "@" + " ".join(parts)
        weight = settings.feature_name_boost * max(rarity(p, *zipf) for p in parts)
        counts[full] = counts.get(full, 0.0) + 1.0
        idf[full] = weight
        if len(parts) > 1:
            last = "@" + parts[-1]
            counts[last] = counts.get(last, 0.0) + 0.5
            idf[last] = weight


def _weigh(counts: dict[str, float], idf: dict[str, float], keep: int) -> dict[str, float]:
    """Dampen repetition (a word said ten times is not ten times the event),
    weigh by rarity, keep the heaviest features and scale to unit length."""
    damped = {
        k: (1.0 + math.log(c) if c > 1.0 else c) * idf[k] for k, c in counts.items()
        if idf[k] > 0.0
    }
    top = sorted(damped.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {k: w / norm for k, w in top}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit vectors (their dot product)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())
