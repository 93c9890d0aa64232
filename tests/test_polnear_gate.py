"""Quality gate: quotation attribution on PolNeAR dev must not fall below the
figures reached (bench/polnear.py prints them, beside today's finder frozen
at the start of issue 22 and the lexicon-rules baseline)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import bench_module
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "polnear.py"

# Figures reached on dev, rounded down a little (bench/polnear.py dev, issue 22).
# accord's default finder ("speech": what was said; beliefs are not):
# P 0.850, R 0.537, F1 0.658, speaker 0.951; direct quotations P 0.942,
# R 0.931, F1 0.936, speaker 0.960. (Before the quotation-mark and joining
# work of branch quotes2: P 0.843, F1 0.653, direct F1 0.915; at the start of
# issue 22: P 0.835, F1 0.658, speaker 0.936, direct F1 0.891.)
MIN_F1 = 0.652
MIN_PRECISION = 0.845
MIN_SPEAKER_ACCURACY = 0.948
MIN_DIRECT_F1 = 0.930
MIN_DIRECT_SPEAKER_ACCURACY = 0.955
# The wider "attribution" finder (PolNeAR's own sense): F1 0.706.
MIN_ATTRIBUTION_F1 = 0.700


def _bench():
    return bench_module("polnear")


@pytest.mark.slow
def test_polnear_dev_gate() -> None:
    bench = _bench()
    if not (bench.POLNEAR / "dev").is_dir():
        pytest.skip(f"{bench.POLNEAR / 'dev'} is not there")
    # ACCORD_BENCH_CACHE: a folder to keep spaCy's parses in between runs.
    cache = os.environ.get("ACCORD_BENCH_CACHE")
    runs = bench.run("dev", modes=("speech", "attribution"), cache=Path(cache) if cache else None)
    run = runs["speech"]
    total, direct = bench.score(zip(run.quotes, run.gold))
    assert total.f1 >= MIN_F1, total.line("all")
    assert total.precision >= MIN_PRECISION, total.line("all")
    assert total.speaker_accuracy >= MIN_SPEAKER_ACCURACY, total.line("all")
    assert direct.f1 >= MIN_DIRECT_F1, direct.line("direct")
    assert direct.speaker_accuracy >= MIN_DIRECT_SPEAKER_ACCURACY, direct.line("direct")
    wide, _ = bench.score(zip(runs["attribution"].quotes, runs["attribution"].gold))
    assert wide.f1 >= MIN_ATTRIBUTION_F1, wide.line("all")


def test_frozen_finder_scores_as_when_it_was_frozen() -> None:
    # The snapshot of today's finder (offsets only) must keep scoring what it
    # scored when frozen: a change of the scorer shows here, not as a jump.
    bench = _bench()
    if not (bench.POLNEAR / "dev").is_dir() or not bench.FROZEN.is_file():
        pytest.skip("PolNeAR dev or the frozen predictions are not there")
    items = bench.articles("dev")
    gold = [bench.read_gold(ann, text) for _, text, ann in items]
    old = bench.frozen([name for name, _, _ in items])
    assert old is not None
    total, direct = bench.score(zip(old, gold))
    assert (total.predicted, total.matched) == (1426, 1190), total.line("all")
    assert (direct.predicted, direct.matched) == (422, 382), direct.line("direct")
