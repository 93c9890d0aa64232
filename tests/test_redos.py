"""No regular expression of accord backtracks without bound (issue 25): every
pattern in src/ is probed with attack strings made from its own parse tree
(bench/redos.py), and the inputs that made two of them hang are timed."""

from __future__ import annotations

import sys
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import redos  # noqa: E402 - the probe lives in bench/

# Quadratic (not exponential) on long runs of spaces or word characters,
# in stages other sessions own; each is listed so that the list can only
# shrink: a new super-linear pattern anywhere fails the test. Reported in
# issue 25's report for their owners.
KNOWN_SUPERLINEAR = {
    "accord.analyze.quantities._PARTITIVE_AFTER",  # \s+of ... searched over a run of spaces
    "accord.analyze.quotemarks._URL_LINE",  # \s*(...)\S*\s*$
    "accord.group.features._STATED_DATES",  # \s*,?\s+ between a day and a year
    "src/accord/compare/entities.py:50",  # i+$ searched over a run of i's
    # \s* or \s+ before a word, searched over a long run of spaces: over 3 s
    # at 4,000 characters on a busy machine, in time on 500
    "accord.analyze.quantities._CURRENCY_AFTER",
    "accord.analyze.quantities._DISTANCE_AFTER",
    "accord.analyze.quantities._MONTH_AFTER",
    "accord.compare.conflicts._RATE",
}


@pytest.fixture(scope="module")
def probed() -> dict:
    return redos.probe(budget=3.0, length=1000)


def test_every_pattern_is_probed(probed):
    assert probed["patterns"] >= 150  # module attributes and literals in src/
    assert probed["tries"] > 10 * probed["patterns"]


def test_no_pattern_backtracks_exponentially(probed):
    exponential = [f for f in probed["findings"] if f["finding"].startswith("over")]
    assert not exponential, exponential


def test_no_new_pattern_is_super_linear(probed):
    found = {f["origin"] for f in probed["findings"]}
    assert found <= KNOWN_SUPERLINEAR, sorted(found - KNOWN_SUPERLINEAR)


def test_the_probe_finds_what_it_must():
    # The byline pattern of issue 25 as it was (exponential), a quadratic one,
    # and a linear one: flagged, flagged, not flagged.
    old_byline = r"^\s*By\s+(?P<names>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)\s*$"
    result = redos.probe(budget=2.0, length=1000, only=[("byline", old_byline, 0), ("quadratic", r"\s*x$", 0),
                                                         ("linear", r"(?<!\s)\s*x$", 0)])
    flagged = {f["origin"]: f["finding"] for f in result["findings"]}
    assert flagged.keys() == {"byline", "quadratic"}, flagged
    assert flagged["byline"].startswith("over")


def test_the_hanging_inputs_of_issue_25_take_no_time():
    from accord.ingest.html import is_timestamp
    from accord.ingest.text import _BYLINE

    started = time.monotonic()
    assert _BYLINE.match("By Aa" + "andAa" * 40 + "!") is None
    assert not is_timestamp("0" * 40 + " x")
    assert not is_timestamp("Jan. " * 16 + "\x00")
    assert time.monotonic() - started < 0.5
    # What they are for still works.
    assert _BYLINE.match("By Jane Holt and Tomas Berg, Ann Lee")["names"] == "Jane Holt and Tomas Berg, Ann Lee"
    assert is_timestamp("Nov. 19, 2019 / 12:21 AM") and is_timestamp("Updated at 1:23 p.m.")


def test_a_byline_text_file_of_issue_25_is_read_quickly(tmp_path):
    from accord.pipeline import ingest

    path = tmp_path / "byline.txt"
    path.write_text("Council approves the bridge repairs\n\nBy Aa" + "andAa" * 40 + "!\n\n"
                    "The council voted on Tuesday to repair the bridge.\n", encoding="utf-8")
    started = time.monotonic()
    batch = ingest([path])
    assert len(batch.documents) == 1
    assert time.monotonic() - started < 10
