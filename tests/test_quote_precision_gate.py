"""Quality gate: precision of quotations on general news (bench/quote_precision.py):
a quotation needs a speech cue and a speaker, or quotation marks with a cue or a
speaker; scare quotes, titles and actions are not quotations."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_module
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "quote_precision.py"

# Figures reached (bench/quote_precision.py): precision 0.910 (183/201),
# speaker 0.973 (178/183), every prediction labelled.
MIN_PRECISION = 0.89
MIN_SPEAKER = 0.95
MAX_UNLABELLED_SHARE = 0.05


def _bench():
    return bench_module("quote_precision")


@pytest.mark.slow
def test_quote_precision_gate() -> None:
    bench = _bench()
    if not bench.ALLSIDES.is_file() or not bench.EXTRACTION.is_file():
        pytest.skip("the AllSides or extraction benchmark data is not there")
    keys, _, new, _, _ = bench.run()
    t = bench.tally(new, keys, bench.read_labels())
    line = t.line("accord")
    assert t.predicted >= 150, line
    assert t.predicted - t.labelled <= MAX_UNLABELLED_SHARE * t.predicted, line
    assert t.right >= MIN_PRECISION * t.labelled, line
    assert t.speaker_right >= MIN_SPEAKER * t.speaker_judged, line
    assert t.speaker_changed <= 5, f"{line}: relabel the new speakers"
