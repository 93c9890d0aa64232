"""Quantities with units, found by rules over a document's clean text.

A quantity is a number that measures something: a duration, a count of things,
a share, a sum of money, a distance, a weight. Each is normalised so that two
outlets that say the same thing in different words compare equal: durations in
minutes ("hour-long" and "about 60 minutes" are both 60 minute), shares in
percent ("25 per cent" and "25%"), money in units of its currency ("€20m" is
20000000 EUR), distances in kilometres, counts as the number with the counted
noun's lemma as unit ("ten ... missiles" is 10 missile).

Numbers that do not measure anything are not quantities and are left out: bare
numbers with no unit, years ("in 2022"), dates ("July 10", "10 July"), times of
day ("10:30", "3 pm"), ordinals ("9th"), decades ("1990s"), ranges ("10-15") and
numbers inside names ("URC25", "F-16", "Boeing 737", "Article 5").

No model is needed: the rules are regular expressions compiled once, so a long
text is read in a fraction of a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from accord.lexicon import MONTH_ABBREVIATIONS, MONTHS
from accord.model import Document, Quantity

__all__ = ["find_quantities"]


# --------------------------------------------------------------------------- vocabulary

_SMALL_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

_MULTIPLIERS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12,
}

#: Minutes in one of each unit of time; months and years are calendar averages
#: rounded to whole days, as news uses them loosely anyway.
_MINUTES: dict[str, float] = {
    "second": 1 / 60, "sec": 1 / 60, "minute": 1, "min": 1, "hour": 60, "hr": 60,
    "day": 1440, "week": 10080, "fortnight": 20160, "month": 43200,
    "year": 525600, "decade": 5256000,
}

#: Kilometres in one of each unit of length.
_KILOMETRES: dict[str, float] = {
    "km": 1.0, "kilometre": 1.0, "kilometer": 1.0, "kms": 1.0,
    "metre": 0.001, "meter": 0.001, "m": 0.001,
    "mile": 1.609344, "nautical mile": 1.852, "foot": 0.0003048, "feet": 0.0003048,
    "ft": 0.0003048, "yard": 0.0009144,
}

#: Units measured but not normalised across kinds: weights, volumes, areas.
_OTHER_UNITS: dict[str, str] = {
    "tonne": "tonne", "tonnes": "tonne", "ton": "ton", "tons": "ton",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg",
    "kilogrammes": "kg", "litre": "litre", "litres": "litre", "liter": "litre",
    "liters": "litre", "hectare": "hectare", "hectares": "hectare",
    "square kilometres": "km2", "square kilometers": "km2", "sq km": "km2",
    "square miles": "sq mile",
}

_CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD", "us$": "USD", "a$": "AUD", "c$": "CAD", "hk$": "HKD", "nz$": "NZD",
    "s$": "SGD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₴": "UAH", "rm": "MYR",
}

_CURRENCY_CODES = (
    "USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", "INR", "CHF", "AUD", "CAD",
    "MYR", "SGD", "HKD", "NZD", "SAR", "AED", "TRY", "PLN", "SEK", "NOK", "ZAR",
)

_CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "hryvnia": "UAH", "hryvnias": "UAH",
    "hryvnas": "UAH", "rupee": "INR", "rupees": "INR", "ringgit": "MYR",
    "swiss francs": "CHF", "francs": "CHF",
}

_APPROXIMATIONS = (
    "about", "around", "nearly", "almost", "more than", "over", "at least", "up to",
    "roughly", "some", "as many as", "approximately", "fewer than", "less than",
    "close to", "an estimated", "just over", "just under", "well over", "at most",
    "upwards of", "as few as", "below", "above",
)

#: Words after a number that end in -s but do not name what is counted.
_NOT_COUNT_NOUNS = frozenset(
    """is was has his its this thus as us yes always perhaps across towards whereas
    besides afterwards unless news times others ones whereas sometimes series
    percent cents its' hers ours yours theirs alas bis plus minus versus via
    apiece less""".split()
)

#: Words that close the phrase a number starts: what follows them is not what
#: the number counts.
_FUNCTION_WORDS = frozenset(
    """a an the and or but nor of in on at to for from by with without into onto
    upon over under about around after before since until than then that which
    who whom whose what when where why how this these those there here it its
    they them their he him his she her we us our you your i me my is are was
    were be been being am has have had do does did will would shall should can
    could may might must not no yes so as if per each every all both either
    neither some any many much more most few fewer less least other another such
    only just also very too again out up down off back said says say told tells
    while during against between among through including according like near
    within across""".split()
)

#: Capitalised words before a number that do not make it part of a name: the
#: number still measures ("The 18 missiles", "Around 400 drones").
_OPENING_WORDS = _FUNCTION_WORDS | frozenset(
    "nearly almost roughly approximately some only just all another".split()
)

#: Plurals not formed with -s, with their lemma.
_IRREGULAR_PLURALS: dict[str, str] = {
    "people": "person", "men": "man", "women": "woman", "children": "child",
    "police": "police", "personnel": "personnel", "staff": "staff",
    "aircraft": "aircraft", "sheep": "sheep", "cattle": "cattle", "fish": "fish",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "crew": "crew",
    "livestock": "livestock", "spacecraft": "spacecraft", "militia": "militia",
}

#: Words after "N-" that describe rather than count ("a 100-strong crowd").
_NOT_HYPHEN_NOUNS = frozenset(
    "strong odd something plus fold way ish third thirds half quarter quarters fifth".split()
)

_MONTHS = "|".join((*MONTHS, *MONTH_ABBREVIATIONS))


# --------------------------------------------------------------------------- patterns


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of the given words, longest first so that the longest
    one that fits is taken; a space in a word matches any run of spaces."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_WORD_NUMBER = _alternation(_SMALL_NUMBERS)
_WORD_TOKEN = (
    rf"(?:(?:{_WORD_NUMBER})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|hundred|thousand|million|billion|trillion|dozen)"
)

#: A numeral: digits (with thousands commas, decimals and a multiplier such as
#: "million" or "bn"), or number words ("two hundred and fifty", "a dozen").
#: The look-arounds refuse digits glued into names ("URC25", "F-16"), ranges
#: ("10-15"), dates written with slashes, and times ("10:30").
_NUMERAL = re.compile(
    rf"""
    (?P<digits>
        (?<![\w.,/:])(?<!\w[-–])
        (?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?
        (?![\d/:]|[.,]\d|[-–]\d)
        (?:(?:\s|-)?(?P<big>hundred|thousand|million|billion|trillion)\b
           |(?P<abbr>mn|mln|bn|tn|m|b|k)(?![\w]))?
    )
    |
    (?P<words>
        \b(?:
            # "a dozen", "half a million", "a half-dozen"; a bare "hundred" is
            # left out, as in "a couple of hundred".
            (?:(?:a[\s-]+)?half[\s-]+(?:a[\s-]+)?|a[\s-]+)(?=(?:dozen|hundred|thousand|million|billion)\b)
          | (?=(?:{_WORD_NUMBER})\b)
        )
        {_WORD_TOKEN}
        (?:(?:\s+|-)(?:and\s+)?{_WORD_TOKEN})*
        \b
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_WORD_SPLIT = re.compile(r"[\s-]+")
_SPACES = re.compile(r"\s+")
_YEAR_LIKE = re.compile(r"1[89]\d\d|20\d\d|2100")

_APPROXIMATION_BEFORE = re.compile(
    rf"\b(?P<approx>{_alternation(_APPROXIMATIONS)})\s+\Z", re.IGNORECASE
)

_CURRENCY_BEFORE = re.compile(
    rf"""(?:
        (?<![A-Za-z])(?P<symbol>US\$|A\$|C\$|HK\$|NZ\$|S\$|\$|€|£|¥|₹|₽|₴|RM)\s?
      | \b(?P<code>{"|".join(_CURRENCY_CODES)})\s+
    )\Z""",
    re.VERBOSE,
)

_CURRENCY_AFTER = re.compile(
    rf"""\s*(?:
        (?P<word>{_alternation(_CURRENCY_WORDS)})\b
      | (?P<code>{"|".join(_CURRENCY_CODES)})\b
    )""",
    re.VERBOSE | re.IGNORECASE,
)

_PERCENT_AFTER = re.compile(
    r"""(?:\s?%|[\s-]?(?:per[\s-]?cent|percent|pct)\b|\s?pc\b
        |\s+percentage[\s-]points?\b(?P<points>))""",
    re.VERBOSE,
)

#: "50-minute", "two hours", "90 min", "two and a half hours", "a 10-day-long".
_DURATION_AFTER = re.compile(
    r"""(?P<half>\s+and\s+a\s+half)?(?:\s+|-)
        (?P<unit>second|sec|minute|min|hour|hr|day|week|fortnight|month|year|decade)s?\b
        (?:-long\b)?""",
    re.VERBOSE | re.IGNORECASE,
)

#: "400 °C", "752°F", "673 K", "400 degrees Celsius"; a bare "400 degrees"
#: keeps the unit "degree" (its scale is not said).
_TEMPERATURE_AFTER = re.compile(
    r"""(?:\s?(?:°|º|˚)\s?(?P<sign>[CFK])\b|\s?(?P<glyph>℃|℉)
        |[\s-]+degrees?(?:\s+(?P<word>Celsius|centigrade|Fahrenheit|Kelvin|C|F)\b)?
        |\s+(?P<kelvin>K|kelvins?)\b(?![-’'])
    )""",
    re.VERBOSE,
)

_AGE_AFTER = re.compile(
    r"(?:\s+|-)(?P<unit>year|month|week|day)s?(?:\s+|-)old\b", re.IGNORECASE
)

_DISTANCE_AFTER = re.compile(
    r"""(?:\s*|-)(?P<unit>nautical\s+miles?|km|kms|kilomet(?:re|er)s?|miles?
        |met(?:re|er)s?|feet|foot|ft|yards?)\b""",
    re.VERBOSE | re.IGNORECASE,
)

_OTHER_AFTER = re.compile(
    rf"(?:\s*|-)(?P<unit>{_alternation(_OTHER_UNITS)})\b", re.IGNORECASE
)

_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+\Z")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_TIME_OF_DAY_AFTER = re.compile(
    r"""\s?(?:a\.m\.|p\.m\.|am\b|pm\b|o[’']clock\b|local\s+time\b
        |(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|MSK)\b)""",
    re.VERBOSE,
)
_YEAR_CUE_BEFORE = re.compile(
    r"""\b(?:in|since|by|until|till|from|during|before|after|of|early|late|mid
        |spring|summer|autumn|winter|fall)[\s-]+\Z""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME_BEFORE = re.compile(r"(?<![\w’'])(?P<word>[A-Z][\w’'.&-]*)\s+\Z")

#: One word after a number, on the way to the noun it counts ("ten desperately
#: needed Patriot interceptor missiles"). Clean text keeps line breaks only
#: between paragraphs, so a phrase never runs over one.
_WORD_AFTER = re.compile(r"[^\S\n]+(?P<word>[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z])\b")
_HYPHEN_NOUN_AFTER = re.compile(r"-(?P<word>[a-z]{3,})\b(?!-)")
_PARTITIVE_AFTER = re.compile(
    r"""\s+of(?:\s+(?:the|its|their|his|her|our|your|these|those|[A-Z][\w.-]*[’']s?))?(?=\s)""",
    re.VERBOSE,
)

#: "hour-long", "half an hour", "an hour", "an hour and a half": durations
#: that carry no numeral.
_DURATION_PHRASE = re.compile(
    r"""\b(?:
        (?P<long>minute|hour|day|week|month|year)-long
      | half\s+an?\s+(?P<half>minute|hour|day)
      # Not a rate: "$15 an hour", "60 miles an hour".
      | (?<![\d%]\s)(?<!miles\s)(?<!km\s)
        an?\s+(?P<one>minute|hour)(?P<and_half>\s+and\s+a\s+half)?(?![-\w])
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)

_PLURALS_IN_OES = frozenset(
    "heroes tomatoes potatoes vetoes echoes torpedoes embargoes".split()
)

#: How far back (in characters) the words before a number are read: enough
#: for "as many as" or a month name, little enough to stay fast.
_LOOKBEHIND = 40


# --------------------------------------------------------------------------- numerals


@dataclass(frozen=True, slots=True)
class _Numeral:
    """A numeral as read: where it is, its value, and how it was written."""

    start: int
    end: int
    value: float
    spelled: bool
    abbreviation: str | None
    plain_year: bool

    @property
    def is_one(self) -> bool:
        """Whether this is the number one itself (not "1m")."""
        return self.value == 1 and self.abbreviation is None


def _word_value(words: str) -> float | None:
    """The value of number words such as "two hundred and fifty" or "a dozen",
    or None when the words do not make one number ("two three")."""
    total = 0.0
    current = 0.0
    previous_small = False
    for token in _WORD_SPLIT.split(words.lower()):
        if token in ("and", "a", ""):
            continue
        if token == "half":
            current = 0.5
            previous_small = True
        elif token in _SMALL_NUMBERS:
            value = _SMALL_NUMBERS[token]
            # "twenty five" adds; "two three" is two numbers, not one.
            if previous_small and not (current % 100 >= 20 and current % 10 == 0 and value < 10):
                return None
            current += value
            previous_small = True
        elif token == "dozen":
            current = (current or 1) * 12
            previous_small = False
        elif token == "hundred":
            current = (current or 1) * 100
            previous_small = False
        else:
            total += (current or 1) * _MULTIPLIERS[token]
            current = 0
            previous_small = False
    return total + current


def _read_numeral(match: re.Match[str]) -> _Numeral | None:
    """The numeral a match of _NUMERAL stands for, or None when it is not one."""
    if match.group("digits"):
        number = float(match.group("int").replace(",", "") + (match.group("frac") or ""))
        big = match.group("big")
        abbr = match.group("abbr")
        multiplier = _MULTIPLIERS[(big or abbr or "").lower()] if (big or abbr) else 1.0
        plain_year = (
            not big and not abbr and not match.group("frac")
            and _YEAR_LIKE.fullmatch(match.group("int")) is not None
        )
        return _Numeral(
            match.start(), match.end(), number * multiplier, False,
            abbr.lower() if abbr else None, plain_year,
        )
    value = _word_value(match.group("words"))
    if value is None or value == 0:
        return None
    return _Numeral(match.start(), match.end(), value, True, None, False)


# --------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class _Found:
    """A quantity before it becomes a Span: offsets, value, unit and kind."""

    start: int
    end: int
    value: float
    unit: str
    kind: str


def _singular(noun: str) -> str:
    """The lemma of an English plural noun, in lower case, by spelling rules."""
    word = noun.lower().replace("’", "'")
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith(("lives", "wives", "knives")):
        return word[:-3] + "fe"
    if word.endswith("lves"):
        return word[:-3] + "f"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("crises", "analyses", "theses")):
        return word[:-2] + "is"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")) or word in _PLURALS_IN_OES:
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _is_plural_noun(word: str) -> bool:
    """Whether a word looks like a plural noun (what a count counts)."""
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return True
    if lower in _NOT_COUNT_NOUNS or lower in _FUNCTION_WORDS:
        return False
    return (
        len(lower) >= 3 and lower.endswith("s")
        and not lower.endswith(("ss", "us", "is", "'s", "’s"))
    )


def _is_modifier(word: str) -> bool:
    """Whether a word may stand between a number and the noun it counts."""
    lower = word.lower()
    return (
        lower not in _FUNCTION_WORDS
        and lower not in _SMALL_NUMBERS
        and lower not in _MULTIPLIERS
        and lower not in _IRREGULAR_PLURALS
    )


def _counted_noun(text: str, at: int, *, gap: int = 4) -> tuple[int, str] | None:
    """The end and lemma of the plural noun a number at ``at`` counts, allowing
    up to ``gap`` modifiers in between, or None when the phrase stops first."""
    position = at
    for _ in range(gap + 1):
        found = _WORD_AFTER.match(text, position)
        if found is None:
            return None
        word = found.group("word")
        if _is_plural_noun(word):
            return found.end(), _singular(word)
        if not _is_modifier(word) or word.lower() in _MINUTES:
            return None
        position = found.end()
    return None


def _money(text: str, numeral: _Numeral) -> _Found | None:
    """A sum of money: a currency sign or code before, or a currency word after."""
    before = _CURRENCY_BEFORE.search(text, max(0, numeral.start - 5), numeral.start)
    if before:
        symbol = before.group("symbol")
        currency = _CURRENCY_SYMBOLS[symbol.lower()] if symbol else before.group("code")
        return _Found(before.start(), numeral.end, numeral.value, currency, "money")
    after = _CURRENCY_AFTER.match(text, numeral.end)
    if after:
        word = after.group("word")
        currency = (
            _CURRENCY_WORDS[_SPACES.sub(" ", word.lower())] if word else after.group("code").upper()
        )
        if word is None and after.group("code") != after.group("code").upper():
            return None
        return _Found(numeral.start, after.end(), numeral.value, currency, "money")
    return None


def _measure(text: str, numeral: _Numeral) -> _Found | None:
    """A percentage, duration, distance or other measure written after the number."""
    at = numeral.end
    if numeral.abbreviation == "m":
        # "20m" with no currency is metres unless it counts something ("20m people").
        counted = _counted_noun(text, at, gap=0)
        if counted:
            return _Found(numeral.start, counted[0], numeral.value, counted[1], "count")
        return _Found(numeral.start, at, numeral.value / 1e6 * _KILOMETRES["m"], "km", "distance")
    percent = _PERCENT_AFTER.match(text, at)
    if percent:
        unit = "percentage point" if percent.group("points") is not None else "percent"
        return _Found(numeral.start, percent.end(), numeral.value, unit, "percent")
    temperature = _TEMPERATURE_AFTER.match(text, at)
    if temperature:
        return _temperature(numeral, temperature)
    age = _AGE_AFTER.match(text, at)
    if age:
        unit = f"{age.group('unit').lower()} of age"
        return _Found(numeral.start, age.end(), numeral.value, unit, "other")
    duration = _DURATION_AFTER.match(text, at)
    if duration:
        value = numeral.value + (0.5 if duration.group("half") else 0.0)
        minutes = value * _MINUTES[duration.group("unit").lower()]
        return _Found(numeral.start, duration.end(), minutes, "minute", "duration")
    distance = _DISTANCE_AFTER.match(text, at)
    if distance:
        unit = _SPACES.sub(" ", distance.group("unit").lower())
        unit = unit[:-1] if unit.endswith("s") and unit != "kms" else unit
        return _Found(
            numeral.start, distance.end(), numeral.value * _KILOMETRES[unit], "km", "distance"
        )
    other = _OTHER_AFTER.match(text, at)
    if other:
        unit = _OTHER_UNITS[_SPACES.sub(" ", other.group("unit").lower())]
        return _Found(numeral.start, other.end(), numeral.value, unit, "other")
    return None


def _temperature(numeral: _Numeral, match: re.Match[str]) -> _Found:
    """A temperature in degrees Celsius (unit "°C"), converted from Fahrenheit
    or kelvin; a bare "degrees" keeps the unit "degree"."""
    scale = (match.group("sign") or match.group("word") or "").upper()[:1]
    scale = {"℃": "C", "℉": "F"}.get(match.group("glyph") or "", scale)
    if match.group("kelvin"):
        scale = "K"
    value = numeral.value
    if scale == "F":
        value = (value - 32) * 5 / 9
    elif scale == "K":
        value = value - 273.15
    elif scale != "C":
        return _Found(numeral.start, match.end(), value, "degree", "temperature")
    return _Found(numeral.start, match.end(), value, "°C", "temperature")


def _count(text: str, numeral: _Numeral) -> _Found | None:
    """A count: the number, then the plural noun it counts ("two Patriot rockets"),
    a singular noun joined by a hyphen ("a 10-member bloc"), or a partitive
    ("eight of Asean's 10 members", whose span is the first number only so that
    it does not swallow the second)."""
    if numeral.is_one or numeral.plain_year:
        # "one" is mostly a pronoun ("one of them"); a lone year-like number
        # ("the 2024 elections") is a year far more often than a count.
        return None
    hyphen = _HYPHEN_NOUN_AFTER.match(text, numeral.end)
    if hyphen and hyphen.group("word") not in _NOT_HYPHEN_NOUNS and not numeral.spelled:
        return _Found(numeral.start, hyphen.end(), numeral.value, hyphen.group("word"), "count")
    counted = _counted_noun(text, numeral.end)
    if counted:
        return _Found(numeral.start, counted[0], numeral.value, counted[1], "count")
    partitive = _PARTITIVE_AFTER.match(text, numeral.end)
    if partitive:
        after = partitive.end()
        inner = _NUMERAL.match(text, after + 1) if text[after:after + 1].isspace() else None
        if inner and _read_numeral(inner):
            counted = _counted_noun(text, inner.end())
            if counted:
                return _Found(numeral.start, numeral.end, numeral.value, counted[1], "count")
            return None
        counted = _counted_noun(text, after, gap=2)
        if counted:
            return _Found(numeral.start, counted[0], numeral.value, counted[1], "count")
    return None


def _tidy(value: float) -> float:
    """A float without the noise of unit arithmetic (60.00000000001 -> 60.0)."""
    return float(round(value, 6))


# --------------------------------------------------------------------------- guards


def _is_date_or_time(text: str, numeral: _Numeral) -> bool:
    """Whether a digit numeral is a day of a month ("July 10", "10 July"), a
    time of day ("3 pm") or a year after a preposition ("in 2022")."""
    if numeral.spelled:
        return False
    start, end = numeral.start, numeral.end
    window = max(0, start - _LOOKBEHIND)
    return bool(
        _MONTH_BEFORE.search(text, window, start)
        or _MONTH_AFTER.match(text, end)
        or _TIME_OF_DAY_AFTER.match(text, end)
        or (numeral.plain_year and _YEAR_CUE_BEFORE.search(text, window, start))
    )


def _is_in_name(text: str, numeral: _Numeral) -> bool:
    """Whether a digit numeral follows a capitalised word that makes it part of a
    name ("Boeing 737 jets", "Windows 10 users"), so that it counts nothing."""
    if numeral.spelled:
        return False
    name = _NAME_BEFORE.search(text, max(0, numeral.start - _LOOKBEHIND), numeral.start)
    if name is None:
        return False
    word = name.group("word")
    return word.lower() not in _OPENING_WORDS and not word.endswith(("’s", "'s", "s’", "s'"))


# --------------------------------------------------------------------------- search


def _quantity_at(text: str, numeral: _Numeral) -> _Found | None:
    """The quantity a numeral begins, if it measures anything."""
    found = _money(text, numeral)
    if found is None:
        if _is_date_or_time(text, numeral):
            return None
        if numeral.abbreviation not in (None, "m"):
            # "4bn" or "10k" with no currency: only a count makes sense of it.
            counted = _counted_noun(text, numeral.end, gap=1)
            if counted is None:
                return None
            found = _Found(numeral.start, counted[0], numeral.value, counted[1], "count")
        else:
            found = _measure(text, numeral) or _count(text, numeral)
        if found is not None and found.kind == "count" and _is_in_name(text, numeral):
            return None
    if found is None:
        return None
    # Only a unit may be glued to digits ("300km", "25pc"); "10th" and "1990s"
    # are not quantities.
    if found.end == numeral.end and text[numeral.end:numeral.end + 1].isalpha():
        return None
    return _Found(found.start, found.end, _tidy(found.value), found.unit, found.kind)


def _duration_phrases(text: str) -> list[_Found]:
    """Durations written without a numeral: "hour-long", "half an hour", "an hour"."""
    found: list[_Found] = []
    for match in _DURATION_PHRASE.finditer(text):
        if match.group("long"):
            unit, value, start = match.group("long"), 1.0, match.start()
        elif match.group("half"):
            unit, value, start = match.group("half"), 0.5, match.start()
        else:
            unit = match.group("one")
            value = 1.5 if match.group("and_half") else 1.0
            start = match.start()
        minutes = value * _MINUTES[unit.lower()]
        found.append(_Found(start, match.end(), _tidy(minutes), "minute", "duration"))
    return found


def _numeral_quantities(text: str) -> list[_Found]:
    """Quantities that begin with a numeral, left to right, none overlapping."""
    found: list[_Found] = []
    covered = 0
    for match in _NUMERAL.finditer(text):
        if match.start() < covered:
            continue
        numeral = _read_numeral(match)
        if numeral is None:
            continue
        quantity = _quantity_at(text, numeral)
        if quantity is not None:
            found.append(quantity)
            covered = quantity.end
    return found


def _with_approximation(text: str, found: _Found) -> tuple[int, str | None]:
    """The start of a quantity's span including any approximation word before it
    ("around 400 drones"), and that word in lower case."""
    before = _APPROXIMATION_BEFORE.search(text, max(0, found.start - _LOOKBEHIND), found.start)
    if before is None:
        return found.start, None
    return before.start(), _SPACES.sub(" ", before.group("approx").lower())


def find_quantities(document: Document) -> list[Quantity]:
    """Every quantity in ``document.text``, in text order, with spans that do not
    overlap and cover the number, its unit and any approximation word before it
    ("as many as a dozen missiles").

    Values are normalised: durations to minutes (unit "minute"), shares to percent
    (unit "percent", or "percentage point"), money to units of its currency (unit
    an ISO code such as "USD"), distances to kilometres (unit "km"), counts to the
    number with the counted noun's lemma as unit ("missile", "person"),
    temperatures to degrees Celsius (kind "temperature", unit "°C"). Weights,
    volumes, areas and ages are kind "other". Numbers with no unit are not
    returned.
    """
    text = document.text
    candidates = _numeral_quantities(text) + _duration_phrases(text)
    candidates.sort(key=lambda q: (q.start, -q.end))
    quantities: list[Quantity] = []
    covered = 0
    for found in candidates:
        if found.start < covered:
            continue
        start, approximate = _with_approximation(text, found)
        if start < covered:
            start, approximate = found.start, None
        quantities.append(
            Quantity(
                span=document.span(start, found.end),
                value=float(found.value),
                unit=found.unit,
                kind=found.kind,
                approximate=approximate,
            )
        )
        covered = found.end
    return quantities
