"""Quality gates: precision of quotations (bench/quote_precision.py) on general
news and on the long-form dev sample: a quotation needs a speech cue and a
speaker, or quotation marks with a cue or a speaker; scare quotes, titles and
actions are not quotations; a speaker is the person or body who said it."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import bench_module
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "quote_precision.py"

# Figures reached on general news (bench/quote_precision.py, issue 22):
# precision 0.923 (180/195), speaker 0.972 (175/180), every prediction
# labelled (issue 11: 0.910 and 0.973).
MIN_PRECISION = 0.91
MIN_SPEAKER = 0.96
MAX_UNLABELLED_SHARE = 0.05
# On the long-form dev sample (bench/quote_precision.py --sample longform,
# labelled on the finder of 2e89a3d before tuning: it scored 0.915 and 0.858
# there): precision 0.967 (202/209), speaker 0.975 (197/202).
MIN_LONGFORM_PRECISION = 0.955
MIN_LONGFORM_SPEAKER = 0.96


def _bench():
    return bench_module("quote_precision")


def _cache() -> Path | None:
    # ACCORD_BENCH_CACHE: a folder to keep spaCy's parses in between runs.
    cache = os.environ.get("ACCORD_BENCH_CACHE")
    return Path(cache) if cache else None


@pytest.mark.slow
def test_quote_precision_gate() -> None:
    bench = _bench()
    if not bench.ALLSIDES.is_file() or not bench.EXTRACTION.is_file():
        pytest.skip("the AllSides or extraction benchmark data is not there")
    keys, _, new, _, _ = bench.run(cache=_cache())
    t = bench.tally(new, keys, bench.read_labels())
    line = t.line("accord")
    assert t.predicted >= 150, line
    assert t.predicted - t.labelled <= MAX_UNLABELLED_SHARE * t.predicted, line
    assert t.right >= MIN_PRECISION * t.labelled, line
    assert t.speaker_right >= MIN_SPEAKER * t.speaker_judged, line
    assert t.speaker_changed <= 5, f"{line}: relabel the new speakers"


@pytest.mark.slow
def test_longform_quote_precision_gate() -> None:
    bench = _bench()
    if not (bench.LONGFORM / "basil-dev.jsonl").is_file() or not (bench.LONGFORM / "gvc-dev.jsonl").is_file():
        pytest.skip("the long-form dev articles are not there")
    keys, _, new, _, _ = bench.run(which="longform", cache=_cache())
    labels = bench.read_labels(bench.LONGFORM_LABELS)
    t = bench.tally(new, keys, labels)
    line = t.line("accord")
    assert t.predicted >= 150, line
    assert t.predicted - t.labelled <= MAX_UNLABELLED_SHARE * t.predicted, line
    assert t.right >= MIN_LONGFORM_PRECISION * t.labelled, line
    assert t.speaker_right >= MIN_LONGFORM_SPEAKER * t.speaker_judged, line
    assert t.speaker_changed <= 5, f"{line}: judge the new speakers"


def test_longform_labels_cover_the_finder_they_were_made_on() -> None:
    # Every label of the long-form sample is a prediction of the finder at
    # 2e89a3d (labelled before tuning), at least 150 of them, offsets only.
    bench = _bench()
    labels = bench.read_labels(bench.LONGFORM_LABELS)
    flat = [lab for labs in labels.values() for lab in labs]
    assert len(flat) >= 150
    assert all(bench.TODAY in lab.found.split(",") for lab in flat)
    assert all(lab.start < lab.end and lab.speaker in {"y", "n", "-"} for lab in flat)
    assert all(lab.speaker == "-" for lab in flat if not lab.quote)
    today = bench.tally_labels(labels)
    assert today.predicted == len(flat) and today.right < today.labelled
