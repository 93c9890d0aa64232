"""Time expressions resolved to dates: every form on short sentences, the choices
for vague words, no reference date, the real reports of the Rubio-Lavrov story,
the reference date of a document, and the span invariant as a property."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analyze.times import find_times, resolve_reference
from accord.model import Document, OffsetMap, TimeExpression

#: Thursday, 10 July 2025: the day of the Rubio-Lavrov meeting.
THURSDAY = dt.date(2025, 7, 10)


def _document(text: str, doc_id: str = "d1") -> Document:
    return Document(
        id=doc_id, source=f"{doc_id}.txt", format="text", text=text, sha256="",
        offsets=OffsetMap.identity(len(text)),
    )


def _times(text: str, reference: dt.date | None = THURSDAY) -> list[tuple[str, str, str]]:
    return [(t.span.text, t.date, t.precision) for t in find_times(_document(text), reference)]


# --------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They met on Thursday.", [("Thursday", "2025-07-10", "day")]),
        ("after his Thursday closed-door meeting", [("Thursday", "2025-07-10", "day")]),
        ("They met on Wednesday night.", [("Wednesday", "2025-07-09", "day")]),
        ("They met on Friday.", [("Friday", "2025-07-04", "day")]),  # news looks back
        ("They met last Thursday.", [("last Thursday", "2025-07-03", "day")]),
        ("They meet next Thursday.", [("next Thursday", "2025-07-17", "day")]),
        ("He said today.", [("today", "2025-07-10", "day")]),
        ("Today’s meeting began late.", [("Today", "2025-07-10", "day")]),
        ("It happened yesterday.", [("yesterday", "2025-07-09", "day")]),
        ("It happens tomorrow.", [("tomorrow", "2025-07-11", "day")]),
        ("It happened the day before yesterday.", [("the day before yesterday", "2025-07-08", "day")]),
        ("It happened two days ago.", [("two days ago", "2025-07-08", "day")]),
    ],
)
def test_relative_days(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert _times(sentence) == expected


def test_weekday_on_the_reference_day_is_that_day_and_a_day_later_still() -> None:
    assert _times("on Thursday", dt.date(2025, 7, 11)) == [("Thursday", "2025-07-10", "day")]
    assert _times("on Thursday", dt.date(2025, 7, 12)) == [("Thursday", "2025-07-10", "day")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("on July 10", [("July 10", "2025-07-10", "day")]),
        ("on July 9 the Kremlin", [("July 9", "2025-07-09", "day")]),
        ("on 10 July", [("10 July", "2025-07-10", "day")]),
        ("on the 9th of July", [("9th of July", "2025-07-09", "day")]),
        ("in Riyadh on February 18, where", [("February 18", "2025-02-18", "day")]),
        ("on Sept. 3", [("Sept. 3", "2025-09-03", "day")]),  # the nearest: coming
        ("on July 14", [("July 14", "2025-07-14", "day")]),  # within a week ahead
        ("on July 25", [("July 25", "2025-07-25", "day")]),  # the nearest: this year's
        ("on July 10, 2025", [("July 10, 2025", "2025-07-10", "day")]),
        ("on 10 July 2024", [("10 July 2024", "2024-07-10", "day")]),
        ("on 2025-07-12", [("2025-07-12", "2025-07-12", "day")]),
        ("on 25/12/2024", [("25/12/2024", "2024-12-25", "day")]),
        ("on 12/25/2024", [("12/25/2024", "2024-12-25", "day")]),
        ("on 07/07/2025", [("07/07/2025", "2025-07-07", "day")]),
    ],
)
def test_dates(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert _times(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "on 12/07/2025",  # 12 July or 7 December
        "on February 30",
        "on 2025-02-30",
        "Theresa May said",
        "the 2022 people",
        "a 25 per cent tariff",
        "prices may rise",
        "in the days to come",
        "the Super Tuesday contests",  # an event, not a date
        "on Black Friday",
        "for the USA TODAY network",  # a newspaper
    ],
)
def test_ambiguous_or_impossible_dates_are_skipped(sentence: str) -> None:
    assert _times(sentence) == []


def test_february_29_goes_to_the_last_leap_year() -> None:
    assert _times("on February 29") == [("February 29", "2024-02-29", "day")]


# --------------------------------------------------------------------------- months and years


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("took place in February in Riyadh", [("February", "2025-02-01", "month")]),
        ("a visit to Russia in May", [("May", "2025-05-01", "month")]),
        ("since he took office in January", [("January", "2025-01-01", "month")]),
        ("in July", [("July", "2025-07-01", "month")]),  # the reference's own month
        ("in August", [("August", "2025-08-01", "month")]),  # coming within five months
        ("in early May", [("May", "2025-05-01", "month")]),
        ("by mid-July", [("July", "2025-07-01", "month")]),
        ("next May", [("May", "2026-05-01", "month")]),
        ("last July", [("July", "2024-07-01", "month")]),
        ("in May 2024", [("May 2024", "2024-05-01", "month")]),
        ("since 2004", [("2004", "2004-01-01", "year")]),
        ("the invasion in 2022", [("2022", "2022-01-01", "year")]),
        ("by mid-2022", [("2022", "2022-01-01", "year")]),
        ("between 2014 and 2022", [("2014", "2014-01-01", "year"), ("2022", "2022-01-01", "year")]),
    ],
)
def test_months_and_years(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert _times(sentence) == expected


def test_may_is_a_month_only_after_a_strong_cue() -> None:
    assert _times("talks with May and Macron") == []
    assert _times("She met Theresa May in June") == [("June", "2025-06-01", "month")]


# --------------------------------------------------------------------------- vague periods


@pytest.mark.parametrize(
    ("sentence", "reference", "expected"),
    [
        # Monday 7 to Wednesday 9 July: all in July.
        ("earlier this week", THURSDAY, [("earlier this week", "2025-07-01", "month")]),
        ("this week", THURSDAY, [("this week", "2025-07-01", "month")]),
        ("this weekend", THURSDAY, [("this weekend", "2025-07-01", "month")]),
        ("next week", THURSDAY, [("next week", "2025-07-01", "month")]),
        # 30 June to 6 July crosses a month: skipped rather than guessed.
        ("a call last week", THURSDAY, []),
        ("a call last week", dt.date(2025, 7, 17), [("last week", "2025-07-01", "month")]),
        # Earlier this week, said on a Monday, is no day at all.
        ("earlier this week", dt.date(2025, 7, 7), []),
        ("last month", THURSDAY, [("last month", "2025-06-01", "month")]),
        ("last month", dt.date(2025, 1, 15), [("last month", "2024-12-01", "month")]),
        ("earlier this month", THURSDAY, [("earlier this month", "2025-07-01", "month")]),
        ("earlier this year", THURSDAY, [("earlier this year", "2025-01-01", "year")]),
        ("last year", THURSDAY, [("last year", "2024-01-01", "year")]),
        ("three weeks ago", THURSDAY, [("three weeks ago", "2025-06-01", "month")]),
        ("two months ago", THURSDAY, [("two months ago", "2025-05-01", "month")]),
        ("a year ago", THURSDAY, [("a year ago", "2024-01-01", "year")]),
    ],
)
def test_vague_periods(sentence: str, reference: dt.date, expected: list[tuple[str, str, str]]) -> None:
    assert _times(sentence, reference) == expected


# --------------------------------------------------------------------------- no reference date


def test_without_a_reference_only_expressions_with_their_own_year_resolve() -> None:
    text = (
        "On Thursday, today, yesterday, last week, on July 10 and in May they talked; "
        "the war began in 2022, on 24 February 2022, and they met on 2025-07-12 and in May 2025."
    )
    assert _times(text, None) == [
        ("2022", "2022-01-01", "year"),
        ("24 February 2022", "2022-02-24", "day"),
        ("2025-07-12", "2025-07-12", "day"),
        ("May 2025", "2025-05-01", "month"),
    ]


# --------------------------------------------------------------------------- reference date


def test_resolve_reference_prefers_the_document_own_date() -> None:
    assert resolve_reference("2025-07-10", ["2025-07-12"]) == dt.date(2025, 7, 10)
    assert resolve_reference("2025-07-10T08:30:00+00:00", []) == dt.date(2025, 7, 10)


def test_resolve_reference_falls_back_to_the_latest_other_date() -> None:
    assert resolve_reference(None, ["2025-07-10", None, "2025-07-12", "no date"]) == dt.date(2025, 7, 12)
    assert resolve_reference("not a date", ["2025-07-11"]) == dt.date(2025, 7, 11)
    assert resolve_reference(None, []) is None
    assert resolve_reference(None, [None, "2025-13-40"]) is None


# --------------------------------------------------------------------------- real reports


def _report(corpus_dir: Path, name: str) -> Document:
    """A report of the shared corpus as a document: its text as read, unrepaired."""
    return _document((corpus_dir / name).read_text(encoding="utf-8"), name[:3])


@pytest.mark.parametrize("reference", [dt.date(2025, 7, 10), dt.date(2025, 7, 11)])
def test_dates_in_the_reports(corpus_dir: Path, reference: dt.date) -> None:
    def resolved(name: str) -> set[tuple[str, str, str]]:
        return {(t.span.text, t.date, t.precision) for t in find_times(_report(corpus_dir, name), reference)}

    for name in ("000_899cae0fea57d263.txt", "002_20067b5787b0c9a5.txt", "003_5ff73f173b61f1f3.txt"):
        assert ("Thursday", "2025-07-10", "day") in resolved(name)
    kyiv = resolved("004_c93126cbd618387c.txt")
    assert {
        ("February 18", "2025-02-18", "day"),
        ("July 9", "2025-07-09", "day"),
        ("July 10", "2025-07-10", "day"),
        ("May", "2025-05-01", "month"),
    } <= kyiv
    assert ("February", "2025-02-01", "month") in resolved("001_cce04082dbcf990e.txt")
    assert ("February", "2025-02-01", "month") in resolved("003_5ff73f173b61f1f3.txt")
    assert ("May", "2025-05-01", "month") in resolved("001_cce04082dbcf990e.txt")
    assert ("2004", "2004-01-01", "year") in resolved("001_cce04082dbcf990e.txt")
    assert ("2022", "2022-01-01", "year") in resolved("003_5ff73f173b61f1f3.txt")


def test_report_without_a_date_takes_the_story_latest(corpus_dir: Path) -> None:
    # 003 carries no date of its own; 002's header says 2025-07-12 (a Saturday).
    reference = resolve_reference(None, [None, "2025-07-12"])
    times = find_times(_report(corpus_dir, "003_5ff73f173b61f1f3.txt"), reference)
    assert ("Thursday", "2025-07-10") in {(t.span.text, t.date) for t in times}


def test_spans_hold_in_every_report(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        document = _report(corpus_dir, path.name)
        for reference in (THURSDAY, None):
            _assert_spans_hold(document, find_times(document, reference))


def test_long_text_is_fast() -> None:
    # Four times denser than the reports of the Rubio-Lavrov story.
    sentence = (
        "On Thursday, July 10, after talks in May and since 2004, they met earlier this week. "
        "The ministers spoke on the sidelines of a regional summit and said little more. "
        "Officials in both capitals described the exchange as frank, useful and long overdue. "
    )
    text = sentence * (200_000 // len(sentence))
    began = time.perf_counter()
    found = find_times(_document(text), THURSDAY)
    assert time.perf_counter() - began < 1.0
    assert len(found) == 5 * (200_000 // len(sentence))


# --------------------------------------------------------------------------- property


def _assert_spans_hold(document: Document, times: list[TimeExpression]) -> None:
    previous_end = 0
    for expression in times:
        span = expression.span
        assert document.text[span.start:span.end] == span.text
        assert span.start >= previous_end, "spans overlap or are out of order"
        assert span.start < span.end
        assert expression.precision in ("day", "month", "year")
        dt.date.fromisoformat(expression.date)
        previous_end = span.end


_PIECES = st.one_of(
    st.sampled_from(
        [
            "on", "in", "since", "last", "next", "this", "earlier", "week", "weekend", "month", "year",
            "Thursday", "Monday", "today", "yesterday", "July", "May", "February", "Sept.", "10", "9th",
            "29", "2022", "2025", "2025-07-12", "12/07/2025", "31/12/2024", "ago", "two", "days", "of",
            "mid-", ",", ".", "’s", "\n", "-", "/",
        ]
    ),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzJMT ,.-/’'\n", max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, max_size=40),
    st.one_of(st.none(), st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 1))),
)
def test_spans_cover_their_text_and_do_not_overlap(pieces: list[str], reference: dt.date | None) -> None:
    document = _document(" ".join(pieces))
    _assert_spans_hold(document, find_times(document, reference))
