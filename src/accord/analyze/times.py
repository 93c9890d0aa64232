"""Time expressions resolved to calendar dates, found by rules over a document's
clean text.

News speaks of the past relative to the day it was published: "on Thursday",
"yesterday", "earlier this week", "in May". Each such expression is resolved
against a reference date (the publication date, see ``resolve_reference``) to a
date with a precision of day, month or year; the dossier's timeline is built
from them.

Choices made where the words are vague (precision is only day, month or year):

- A weekday ("Thursday", "on Thursday") is the latest such day on or before the
  reference; "last Thursday" the latest strictly before it; "next Thursday" the
  first strictly after it.
- A day and month without a year ("July 10", "10 July") is the one nearest to
  the reference, past or coming (news leaves the year off dates of the current
  year: "tariffs from August 1" written in July is this August).
- A month without a year ("in May", "since February") is the nearest such
  month: up to five months ahead ("work starts in April"), else in the past;
  "last May" the latest before the reference's month, "next May" the first
  after it.
- Weeks and weekends ("last week", "earlier this week", "this weekend", "next
  week", "two weeks ago") are spans of days (weeks run Monday to Sunday; "this
  weekend" is the Saturday and Sunday of the reference's week). They resolve to
  the month that holds the whole span, with precision "month", and are skipped
  when the span crosses a month boundary: a year would be true but useless,
  and a single day would claim what the text does not say.
- "this month", "last month", "this year", "last year" and "N days/months/years
  ago" resolve to the day, month or year they name.
- A year alone counts only after a word that makes it a time ("in 2022",
  "since 2004", "by 2030", "mid-2022"), not in "2022 people".
- Written dates: ISO "2025-07-12" always; "12/07/2025" only when it reads the
  same day-first and month-first or only one reading is a valid date.
- With no reference date only expressions that carry their own year resolve.

Spans cover the expression without its preposition ("on Thursday" -> "Thursday",
"in May" -> "May") but with a word that changes its meaning ("last Thursday",
"earlier this week").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, Sequence

from accord.lexicon import MONTHS
from accord.model import Document, TimeExpression

__all__ = ["find_times", "resolve_reference"]

Precision = Literal["day", "month", "year"]

# --------------------------------------------------------------------------- vocabulary

_MONTHS = MONTHS  # accord.lexicon: spelled out, whatever the process locale
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Month names and their abbreviations ("Feb", "Sept"), with their numbers.
_MONTH_NUMBERS: dict[str, int] = {
    **{name: i for i, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: i for i, name in enumerate(_MONTHS, start=1)},
    "Sept": 9,
}

_WEEKDAY_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(_WEEKDAYS)}

_COUNT_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

#: How far after the reference a day and month without a year may fall ("on
#: July 14" in a report of July 10) before it is taken as last year's.

# --------------------------------------------------------------------------- patterns

_FULL_MONTH = "|".join(_MONTHS)
_ANY_MONTH = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_WEEKDAY = "|".join(_WEEKDAYS)
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_COUNT = "|".join(_COUNT_WORDS)

_ISO_DATE = re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-])")

_SLASH_DATE = re.compile(
    r"(?<![\w/.-])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})(?![\w/-])"
)

_MONTH_DAY = re.compile(
    rf"""\b(?P<month>{_ANY_MONTH})\.?[^\S\n]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![:.,]\d)
        (?:,?[^\S\n]+(?P<year>{_YEAR})\b)?""",
    re.VERBOSE,
)

_DAY_MONTH = re.compile(
    rf"""(?<![\w.,/:$£€-])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[^\S\n]+(?:of[^\S\n]+)?
        (?P<month>{_ANY_MONTH})\b\.?(?:,?[^\S\n]+(?P<year>{_YEAR})\b)?""",
    re.VERBOSE,
)

_MONTH_YEAR = re.compile(rf"\b(?P<month>{_ANY_MONTH})\.?,?[^\S\n]+(?P<year>{_YEAR})\b(?![\d,.]\d)")

#: A month alone needs a word before it that makes it a time: "May" is also a
#: name and a verb, "March" a noun and a verb.
_MONTH_ALONE = re.compile(
    rf"""\b(?i:(?P<cue>in|since|by|until|till|from|during|through|throughout|before|after
                 |last|next|this|early|late|mid|of|and|or|to|between))[\s-]+
        (?:(?i:early|late|mid)[\s-]+)?
        (?P<month>{_FULL_MONTH})\b(?![^\S\n]*(?:\d|[’']s\b))""",
    re.VERBOSE,
)

#: Cue words that "May" (a name as often as a month) is not trusted after.
_WEAK_CUES = frozenset({"of", "and", "or", "to", "between"})

_YEAR_ALONE = re.compile(
    rf"""\b(?i:in|since|by|until|till|from|during|through|throughout|before|after|of
              |early|late|mid|spring|summer|autumn|winter|fall|between|and|to)[\s-]+
        (?:(?i:early|late|mid)[\s-]+)?
        (?P<year>{_YEAR})\b(?![\d,.]\d|\s*(?:%|per\s?cent|percent)|-\d)""",
    re.VERBOSE,
)

_WEEKDAY_PHRASE = re.compile(
    rf"\b(?:(?P<modifier>(?i:last|next|this|past))[^\S\n]+)?(?P<weekday>{_WEEKDAY})\b"
)

#: Days that are names of events, not dates: "Super Tuesday", "Black Friday".
_EVENT_DAY_BEFORE = re.compile(
    r"\b(?:Super|Black|Good|Bloody|Ash|Cyber|Easter|Palm|Holy|Maundy|Shrove|Whit)[^\S\n]+\Z"
)

_DAY_WORD = re.compile(
    r"""\b(?i:(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow
        |today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night))\b""",
    re.VERBOSE,
)

_PERIOD_PHRASE = re.compile(
    r"""\b(?i:(?P<phrase>
        (?:earlier|later)\s+this\s+(?:week|month|year)
      | (?:this|last|next)\s+(?:weekend|week|month|year)
      | (?:the\s+)?previous\s+(?:weekend|week|month|year)
    ))\b""",
    re.VERBOSE,
)

_AGO = re.compile(
    rf"\b(?i:(?P<count>\d{{1,3}}|{_COUNT})\s+(?P<unit>day|week|month|year)s?\s+ago)\b"
)

_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------- calendar arithmetic


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (February 30)."""
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return dt.date(year, month, day)


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` months after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def _within_month(first: dt.date, last: dt.date) -> tuple[dt.date, Precision] | None:
    """The finest day or month that holds the days ``first``..``last``, or None
    when they are none or cross a month boundary."""
    if first > last:
        return None
    if first == last:
        return first, "day"
    if (first.year, first.month) == (last.year, last.month):
        return first.replace(day=1), "month"
    return None


def _nearest_month_day(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this month and day nearest to ``reference`` (news gives
    no year for dates of the current year, past or coming: "tariffs from
    August 1" in July is this August, "met on February 18" this February);
    the earlier one on a tie."""
    candidates = [
        candidate
        for year in (reference.year - 1, reference.year, reference.year + 1)
        if (candidate := _valid_date(year, month, day)) is not None
    ]
    if not candidates:  # February 29 in a run of common years
        return None
    return min(candidates, key=lambda c: (abs((c - reference).days), c))


def _weekday(name: str, modifier: str | None, reference: dt.date) -> dt.date:
    """The date a weekday names, seen from ``reference`` (see the module notes)."""
    target = _WEEKDAY_NUMBERS[name]
    back = (reference.weekday() - target) % 7
    if modifier in ("last", "past"):
        return reference - dt.timedelta(days=back or 7)
    if modifier == "next":
        return reference + dt.timedelta(days=(target - reference.weekday()) % 7 or 7)
    return reference - dt.timedelta(days=back)


def _month_alone(month: int, cue: str, reference: dt.date) -> dt.date:
    """The first day of the month a bare month name means, seen from
    ``reference``: "next May" the first after it, "last May" the last before
    it, a plain "in May" the nearest May (up to five months ahead, as in "the
    commission starts work in April", else in the past)."""
    if cue == "next":
        year = reference.year if month > reference.month else reference.year + 1
    elif cue == "last":
        year = reference.year if month < reference.month else reference.year - 1
    else:
        ahead = month - reference.month
        year = reference.year + (1 if ahead < -6 else 0) - (1 if ahead > 5 else 0)
    return dt.date(year, month, 1)


def _period(phrase: str, reference: dt.date) -> tuple[dt.date, Precision] | None:
    """The date and precision of "last week", "earlier this month", "next year"..."""
    words = phrase.split()
    unit = words[-1]
    when = words[0] if words[0] in ("earlier", "later") else words[-2]
    offset = {"last": -1, "previous": -1, "next": 1}.get(when, 0)
    if unit == "year":
        return dt.date(reference.year + offset, 1, 1), "year"
    if unit == "month":
        year, month = _add_months(reference, offset)
        first = dt.date(year, month, 1)
        if when == "earlier" and reference.day == 1:
            return None
        if when == "later" and reference.day == calendar.monthrange(year, month)[1]:
            return None
        return first, "month"
    monday = _week_start(reference) + dt.timedelta(weeks=offset)
    if unit == "weekend":
        return _within_month(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6))
    first, last = monday, monday + dt.timedelta(days=6)
    if when == "earlier":
        last = reference - dt.timedelta(days=1)
    elif when == "later":
        first = reference + dt.timedelta(days=1)
    return _within_month(first, last)


def _ago(count: int, unit: str, reference: dt.date) -> tuple[dt.date, Precision] | None:
    """The date "N days/weeks/months/years ago" names, seen from ``reference``."""
    if unit == "day":
        return reference - dt.timedelta(days=count), "day"
    if unit == "week":
        monday = _week_start(reference - dt.timedelta(weeks=count))
        return _within_month(monday, monday + dt.timedelta(days=6))
    if unit == "month":
        year, month = _add_months(reference, -count)
        return dt.date(year, month, 1), "month"
    return dt.date(reference.year - count, 1, 1), "year"


# --------------------------------------------------------------------------- finding


@dataclass(frozen=True, slots=True)
class _Found:
    """A resolved expression before it becomes a Span."""

    start: int
    end: int
    date: dt.date
    precision: Precision


def _written_dates(text: str) -> list[_Found]:
    """Dates written with digits only: ISO and unambiguous slashed dates."""
    found: list[_Found] = []
    for match in _ISO_DATE.finditer(text):
        day = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day is not None:
            found.append(_Found(match.start(), match.end(), day, "day"))
    for match in _SLASH_DATE.finditer(text):
        year, first, second = int(match["year"]), int(match["first"]), int(match["second"])
        readings = {_valid_date(year, second, first), _valid_date(year, first, second)} - {None}
        if len(readings) == 1:
            found.append(_Found(match.start(), match.end(), readings.pop(), "day"))  # type: ignore[arg-type]
    return found


def _month_dates(text: str, reference: dt.date | None) -> list[_Found]:
    """Days named by month and day ("July 10", "10 July 2025"), and months named
    with a year ("May 2025") or after a cue word ("in May")."""
    found: list[_Found] = []
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            month, day = _MONTH_NUMBERS[match["month"]], int(match["day"])
            if match["year"]:
                date = _valid_date(int(match["year"]), month, day)
            elif reference is not None and _valid_date(2000, month, day):
                date = _nearest_month_day(month, day, reference)
            else:
                date = None
            if date is not None:
                found.append(_Found(match.start(), match.end(), date, "day"))
    for match in _MONTH_YEAR.finditer(text):
        date = dt.date(int(match["year"]), _MONTH_NUMBERS[match["month"]], 1)
        found.append(_Found(match.start(), match.end(), date, "month"))
    if reference is not None:
        for match in _MONTH_ALONE.finditer(text):
            cue = match["cue"].lower()
            if match["month"] == "May" and cue in _WEAK_CUES:
                continue
            date = _month_alone(_MONTH_NUMBERS[match["month"]], cue, reference)
            found.append(_Found(match.start("month"), match.end("month"), date, "month"))
    return found


def _years(text: str) -> list[_Found]:
    """Years after a word that makes them times ("in 2022", "since 2004")."""
    return [
        _Found(m.start("year"), m.end("year"), dt.date(int(m["year"]), 1, 1), "year")
        for m in _YEAR_ALONE.finditer(text)
    ]


def _relative(text: str, reference: dt.date) -> list[_Found]:
    """Expressions that need the reference date: weekdays, "yesterday", "last
    week", "two days ago"."""
    found: list[_Found] = []
    for match in _WEEKDAY_PHRASE.finditer(text):
        if _EVENT_DAY_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        modifier = match["modifier"].lower() if match["modifier"] else None
        date = _weekday(match["weekday"], modifier, reference)
        start = match.start() if modifier else match.start("weekday")
        found.append(_Found(start, match.end(), date, "day"))
    for match in _DAY_WORD.finditer(text):
        if match["word"].isupper() and len(match["word"]) > 1:
            continue  # "USA TODAY" is a newspaper
        word = _SPACES.sub(" ", match["word"].lower())
        shift = {
            "yesterday": -1, "last night": -1, "tomorrow": 1,
            "the day before yesterday": -2, "the day after tomorrow": 2,
        }.get(word, 0)
        found.append(_Found(match.start(), match.end(), reference + dt.timedelta(days=shift), "day"))
    for match in _PERIOD_PHRASE.finditer(text):
        resolved = _period(_SPACES.sub(" ", match["phrase"].lower()), reference)
        if resolved is not None:
            found.append(_Found(match.start(), match.end(), *resolved))
    for match in _AGO.finditer(text):
        count = match["count"].lower()
        number = int(count) if count.isdigit() else _COUNT_WORDS[count]
        resolved = _ago(number, match["unit"].lower(), reference)
        if resolved is not None:
            found.append(_Found(match.start(), match.end(), *resolved))
    return found


def find_times(document: Document, reference: dt.date | None) -> list[TimeExpression]:
    """Every time expression in ``document.text`` that resolves to a date, in text
    order, with spans that do not overlap, resolved against ``reference`` (the
    publication date; None when unknown, and then only expressions that carry
    their own year resolve). Where two readings overlap the longer one wins
    ("July 10, 2025" over "2025"). The module notes say how vague words resolve.
    """
    text = document.text
    candidates = _written_dates(text) + _month_dates(text, reference) + _years(text)
    if reference is not None:
        candidates += _relative(text, reference)
    candidates.sort(key=lambda f: (f.start, -f.end))
    times: list[TimeExpression] = []
    covered = 0
    for found in candidates:
        if found.start < covered:
            continue
        times.append(
            TimeExpression(
                span=document.span(found.start, found.end),
                date=found.date.isoformat(),
                precision=found.precision,
            )
        )
        covered = found.end
    return times


# --------------------------------------------------------------------------- reference date

_PUBLISHED = re.compile(r"\s*(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def _publication_date(published: str | None) -> dt.date | None:
    """The day of a publication date given as "YYYY-MM-DD" (anything after it,
    such as a time, is ignored), or None when there is none or it is not a date."""
    if not published:
        return None
    match = _PUBLISHED.match(published)
    if match is None:
        return None
    return _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))


def resolve_reference(published: str | None, others: Sequence[str | None]) -> dt.date | None:
    """The date a document's relative time expressions count from: its own
    publication date, else the latest publication date among the story's other
    documents (``others``), else None. Dates that cannot be read are ignored."""
    own = _publication_date(published)
    if own is not None:
        return own
    dates = [d for d in map(_publication_date, others) if d is not None]
    return max(dates, default=None)
