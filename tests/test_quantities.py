"""Quantities with units: every form on short sentences, what is not a quantity,
the real reports of the Rubio-Lavrov story, and the span invariant as a property."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analyze.quantities import find_quantities
from accord.model import Document, OffsetMap, Quantity

def _document(text: str, doc_id: str = "d1") -> Document:
    return Document(
        id=doc_id, source=f"{doc_id}.txt", format="text", text=text, sha256="",
        offsets=OffsetMap.identity(len(text)),
    )


def _quantities(text: str) -> list[Quantity]:
    return find_quantities(_document(text))


def _one(text: str) -> Quantity:
    found = _quantities(text)
    assert len(found) == 1, [q.span.text for q in found]
    return found[0]


def _summary(text: str) -> list[tuple[str, float, str, str, str | None]]:
    return [(q.span.text, q.value, q.unit, q.kind, q.approximate) for q in _quantities(text)]


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("sentence", "span", "minutes", "approximate"),
    [
        ("They held a 50-minute meeting.", "50-minute", 50, None),
        ("After the hour-long discussion they left.", "hour-long", 60, None),
        ("It lasted about 60 minutes.", "about 60 minutes", 60, "about"),
        ("They talked for two hours.", "two hours", 120, None),
        ("The call took 90 min in all.", "90 min", 90, None),
        ("She waited half an hour.", "half an hour", 30, None),
        ("He spoke for almost an hour.", "almost an hour", 60, "almost"),
        ("It ran for an hour and a half.", "an hour and a half", 90, None),
        ("They met for two and a half hours.", "two and a half hours", 150, None),
        ("A 1.5-hour session ended.", "1.5-hour", 90, None),
        ("The truce lasted three days.", "three days", 3 * 1440, None),
        ("Talks resumed after roughly 2 weeks.", "roughly 2 weeks", 2 * 10080, "roughly"),
    ],
)
def test_durations_normalise_to_minutes(
    sentence: str, span: str, minutes: float, approximate: str | None
) -> None:
    quantity = _one(sentence)
    assert (quantity.span.text, quantity.value, quantity.unit, quantity.kind) == (
        span, minutes, "minute", "duration"
    )
    assert quantity.approximate == approximate


def test_hyphenated_duration_with_long() -> None:
    assert _summary("a two-hour-long debate") == [("two-hour-long", 120.0, "minute", "duration", None)]


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("sentence", "span", "value", "unit", "approximate"),
    [
        ("Russia launched 18 missiles overnight.", "18 missiles", 18, "missile", None),
        ("It also sent around 400 drones.", "around 400 drones", 400, "drone", "around"),
        (
            "Trump promised to send Kyiv ten desperately needed Patriot interceptor missiles.",
            "ten desperately needed Patriot interceptor missiles", 10, "missile", None,
        ),
        ("The strike killed two people.", "two people", 2, "person", None),
        ("Russia fired as many as a dozen missiles.", "as many as a dozen missiles", 12, "missile", "as many as"),
        ("A dozen missiles hit the city.", "A dozen missiles", 12, "missile", None),
        ("Half a dozen drones were downed.", "Half a dozen drones", 6, "drone", None),
        ("A half-dozen seats are in play.", "A half-dozen seats", 6, "seat", None),
        ("roughly two-dozen states", "roughly two-dozen states", 24, "state", "roughly"),
        ("half a million people", "half a million people", 500_000, "person", None),
        ("Each needs two Patriot rockets.", "two Patriot rockets", 2, "rocket", None),
        ("He cited four informed sources.", "four informed sources", 4, "source", None),
        ("At least 12 civilians died.", "At least 12 civilians", 12, "civilian", "at least"),
        ("More than 1,000 troops moved.", "More than 1,000 troops", 1000, "troop", "more than"),
        ("Nearly 5,000 casualties were counted.", "Nearly 5,000 casualties", 5000, "casualty", "nearly"),
        ("Some 400 drones flew.", "Some 400 drones", 400, "drone", "some"),
        ("Up to 30 countries", "Up to 30 countries", 30, "country", "up to"),
        ("two hundred and fifty people", "two hundred and fifty people", 250, "person", None),
        ("twenty-five soldiers", "twenty-five soldiers", 25, "soldier", None),
        ("1.5 million refugees fled.", "1.5 million refugees", 1_500_000, "refugee", None),
        ("a million people marched", "a million people", 1_000_000, "person", None),
        ("20m people voted", "20m people", 20_000_000, "person", None),
        ("a 10-member bloc", "10-member", 10, "member", None),
        ("the two foreign ministers", "two foreign ministers", 2, "minister", None),
        ("three children and their wives", "three children", 3, "child", None),
    ],
)
def test_counts_take_the_counted_noun_as_unit(
    sentence: str, span: str, value: float, unit: str, approximate: str | None
) -> None:
    quantity = _one(sentence)
    assert (quantity.span.text, quantity.value, quantity.unit, quantity.kind) == (span, value, unit, "count")
    assert quantity.approximate == approximate


def test_partitive_counts_both_numbers_without_overlap() -> None:
    # An apostrophe (typographic here) in the possessive must not end the phrase.
    assert _summary("Among them were eight of Asean’s 10 members.") == [
        ("eight", 8.0, "member", "count", None),
        ("10 members", 10.0, "member", "count", None),
    ]
    assert _summary("two of the missiles missed") == [("two of the missiles", 2.0, "missile", "count", None)]
    assert _summary("More than nine of 10 Republicans") == [
        ("More than nine", 9.0, "republican", "count", "more than"),
        ("10 Republicans", 10.0, "republican", "count", None),
    ]


def test_first_plural_noun_ends_the_count() -> None:
    assert _summary("Russia launched 18 missiles and around 400 drones.") == [
        ("18 missiles", 18.0, "missile", "count", None),
        ("around 400 drones", 400.0, "drone", "count", "around"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The two talked on the sidelines.",  # no noun follows
        "The two exchanged “some ideas,” he said.",
        "It was one of the best.",  # "one" is a pronoun here
        "No one came.",
        "killing two peopleto",  # a garbled token is not a noun
        "a 100-strong crowd",
        "two-thirds of voters",
        "403\nRubio announces new concepts",  # a paragraph break ends the phrase
        "a couple of hundred guys",  # a bare "hundred" is no number
        "hundreds of people",
    ],
)
def test_numbers_that_count_nothing_are_not_counts(sentence: str) -> None:
    assert _quantities(sentence) == []


# --------------------------------------------------------------------------- percent, money, distance, other


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("tariffs of 25 per cent", "25 per cent"),
        ("only 25% of the missiles", "25%"),
        ("a 25 percent tariff", "25 percent"),
        ("a 25-per-cent levy", "25-per-cent"),
        ("up 25pc on the year", "25pc"),
        ("twenty-five per cent", "twenty-five per cent"),
    ],
)
def test_percentages(sentence: str, span: str) -> None:
    quantity = _one(sentence)
    assert (quantity.span.text, quantity.value, quantity.unit, quantity.kind) == (span, 25, "percent", "percent")


def test_percentage_points_keep_their_unit() -> None:
    assert _summary("rates rose 3 percentage points") == [
        ("3 percentage points", 3.0, "percentage point", "percent", None)
    ]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "currency"),
    [
        ("It cost $1.5 billion.", "$1.5 billion", 1.5e9, "USD"),
        ("a grant of €20m", "€20m", 2e7, "EUR"),
        ("USD 300 million in aid", "USD 300 million", 3e8, "USD"),
        ("a £4bn deal", "£4bn", 4e9, "GBP"),
        ("US$5 a barrel", "US$5", 5, "USD"),
        ("300 million dollars", "300 million dollars", 3e8, "USD"),
        ("$300,000 in bail", "$300,000", 3e5, "USD"),
        ("1.1 million euros", "1.1 million euros", 1.1e6, "EUR"),
        ("a fine of 50 GBP", "50 GBP", 50, "GBP"),
    ],
)
def test_money_normalises_to_units_of_its_currency(
    sentence: str, span: str, value: float, currency: str
) -> None:
    quantity = _one(sentence)
    assert (quantity.span.text, quantity.value, quantity.unit, quantity.kind) == (span, value, currency, "money")


def test_approximate_money_spans_the_word() -> None:
    assert _summary("about $2bn was pledged") == [("about $2bn", 2e9, "USD", "money", "about")]


@pytest.mark.parametrize(
    ("sentence", "span", "kilometres"),
    [
        ("a range of 300 km", "300 km", 300.0),
        ("a 300-km range", "300-km", 300.0),
        ("300km away", "300km", 300.0),
        ("5 miles away", "5 miles", 8.04672),
        ("a 400m sprint", "400m", 0.4),
        ("some 2 kilometres", "some 2 kilometres", 2.0),
    ],
)
def test_distances_normalise_to_kilometres(sentence: str, span: str, kilometres: float) -> None:
    quantity = _one(sentence)
    assert (quantity.span.text, quantity.unit, quantity.kind) == (span, "km", "distance")
    assert quantity.value == pytest.approx(kilometres)


def test_weights_and_ages_are_other() -> None:
    assert _summary("3 tonnes of aid reached a 10-year-old boy") == [
        ("3 tonnes", 3.0, "tonne", "other", None),
        ("10-year-old", 10.0, "year of age", "other", None),
    ]
    assert _summary("babies three months old") == [("three months old", 3.0, "month of age", "other", None)]


def test_rates_are_not_durations() -> None:
    assert _summary("getting $15 an hour") == [("$15", 15.0, "USD", "money", None)]
    assert _summary("at 60 miles an hour") == [("60 miles", pytest.approx(96.56064), "km", "distance", None)]


# --------------------------------------------------------------------------- not quantities


@pytest.mark.parametrize(
    "sentence",
    [
        "The war began in 2022.",
        "He has held the post since 2004.",
        "the 2024 elections",
        "They met on July 10.",
        "They met on 10 July.",
        "July 10 reiterated the pledge",  # a date at the start of a clause
        "It was the 10th round.",
        "in the 1990s",
        "the Ukraine Recovery Conference (URC25) in Rome",
        "F-16s arrived",
        "Covid-19 cases",
        "at 10:30 local time",
        "at 3 pm",
        "at 0800 GMT",
        "on 2025-07-12",
        "on 12/07/2025",
        "10-15 missiles",  # a range is not one number
        "Boeing 737 jets",
        "Windows 10 users",
        "Article 5 applies",
        "We counted 403 in all.",  # no unit
    ],
)
def test_years_dates_times_names_and_bare_numbers_are_not_quantities(sentence: str) -> None:
    assert _quantities(sentence) == []


def test_apostrophes_do_not_break_counts() -> None:
    assert [q.span.text for q in _quantities("Ukraine's 40 brigades and Russia’s 18 missiles")] == [
        "40 brigades", "18 missiles",
    ]


def test_long_text_is_fast() -> None:
    # Four times denser than the reports of the Rubio-Lavrov story.
    sentence = (
        "Russia launched 18 missiles and around 400 drones on July 9, a 50-minute raid costing $1.5bn. "
        "Officials in Kyiv said the air defences had worked through the night across the country. "
        "The attack came as diplomats met abroad to discuss a possible ceasefire and sanctions. "
    )
    text = sentence * (200_000 // len(sentence))
    began = time.perf_counter()
    found = _quantities(text)
    assert time.perf_counter() - began < 1.0
    assert len(found) == 4 * (200_000 // len(sentence))


# --------------------------------------------------------------------------- real reports


def _report(corpus_dir: Path, name: str) -> Document:
    """A report of the shared corpus as a document: its text as read, unrepaired."""
    return _document((corpus_dir / name).read_text(encoding="utf-8"), name[:3])


def test_meeting_durations_in_the_reports(corpus_dir: Path) -> None:
    def durations(name: str) -> list[tuple[str, float, str | None]]:
        return [
            (q.span.text, q.value, q.approximate)
            for q in find_quantities(_report(corpus_dir, name))
            if q.kind == "duration"
        ]

    assert durations("001_cce04082dbcf990e.txt") == [("50-minute", 50.0, None)]
    assert durations("004_c93126cbd618387c.txt") == [("50-minute", 50.0, None)]
    assert durations("002_20067b5787b0c9a5.txt") == [
        ("hour-long", 60.0, None),
        ("about 60 minutes", 60.0, "about"),
    ]
    assert durations("000_899cae0fea57d263.txt") == []


def test_tariff_and_stock_shares_in_the_reports(corpus_dir: Path) -> None:
    shares = {
        name: [
            (q.span.text, q.value, q.unit)
            for q in find_quantities(_report(corpus_dir, name))
            if q.kind == "percent"
        ]
        for name in ("001_cce04082dbcf990e.txt", "004_c93126cbd618387c.txt")
    }
    assert shares["001_cce04082dbcf990e.txt"] == [("25 per cent", 25.0, "percent")]
    assert shares["004_c93126cbd618387c.txt"] == [("25%", 25.0, "percent")]


def test_counts_in_the_kyiv_report(corpus_dir: Path) -> None:
    quantities = find_quantities(_report(corpus_dir, "004_c93126cbd618387c.txt"))
    found = {(q.span.text, q.value, q.unit, q.approximate) for q in quantities}
    assert {
        ("ten desperately needed Patriot interceptor missiles", 10.0, "missile", None),
        ("as many as a dozen missiles", 12.0, "missile", "as many as"),
        ("18 missiles", 18.0, "missile", None),
        ("around 400 drones", 400.0, "drone", "around"),
        ("two Patriot rockets", 2.0, "rocket", None),
    } <= found
    # URC25 and the days of February and July are not quantities.
    values = {q.value for q in quantities}
    assert {9.0, 8.0}.isdisjoint(values)  # "July 9", "July 8"
    assert [q.span.text for q in quantities if q.value == 25.0] == ["25%"]
    assert [q.span.text for q in quantities if q.value == 18.0] == ["18 missiles"]  # not "February 18"


def test_asean_members_in_the_reports(corpus_dir: Path) -> None:
    report = _report(corpus_dir, "001_cce04082dbcf990e.txt")
    found = [(q.span.text, q.value, q.unit) for q in find_quantities(report)]
    assert ("eight", 8.0, "member") in found and ("10 members", 10.0, "member") in found
    assert not any("2004" in text for text, _, _ in found)


def test_spans_hold_in_every_report(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        document = _report(corpus_dir, path.name)
        _assert_spans_hold(document, find_quantities(document))


# --------------------------------------------------------------------------- property


def _assert_spans_hold(document: Document, quantities: list[Quantity]) -> None:
    previous_end = 0
    for quantity in quantities:
        span = quantity.span
        assert span.doc == document.id
        assert document.text[span.start:span.end] == span.text
        assert span.start >= previous_end, "spans overlap or are out of order"
        assert span.start < span.end
        previous_end = span.end


_PIECES = st.one_of(
    st.sampled_from(
        [
            "18", "400", "1,000", "1.5", "2022", "$", "€", "£", "%", "per cent", "million", "bn", "m",
            "km", "miles", "minutes", "hour-long", "half an hour", "a dozen", "two", "ten", "twenty-five",
            "missiles", "people", "drones", "of", "the", "Asean’s", "about", "as many as", "July", "10",
            "-", "–", "/", ":", ",", ".", "’", "'", "\n", "URC25", "years old", "and a half", "an hour",
        ]
    ),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz ,.-%$’'\n", max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.lists(st.sampled_from([" ", "", "  ", "\u00a0"]), max_size=40))
def test_spans_cover_their_text_and_do_not_overlap(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(piece + (gaps[i] if i < len(gaps) else " ") for i, piece in enumerate(pieces))
    document = _document(text)
    _assert_spans_hold(document, find_quantities(document))
