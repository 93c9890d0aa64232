"""Quality gate: quotation attribution on PolNeAR dev must not fall below the
figures reached (bench/polnear.py prints them)."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_module
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "polnear.py"

# Figures reached on dev, rounded down a little (bench/polnear.py dev).
# accord's default finder ("speech": a speech cue and a speaker needed):
# P 0.835, R 0.543, F1 0.658, speaker 0.936, direct F1 0.891.
MIN_F1 = 0.645
MIN_PRECISION = 0.82
MIN_SPEAKER_ACCURACY = 0.93
MIN_DIRECT_F1 = 0.88
# The wider "attribution" finder (PolNeAR's own sense): F1 0.696.
MIN_ATTRIBUTION_F1 = 0.69


def _bench():
    return bench_module("polnear")


@pytest.mark.slow
def test_polnear_dev_gate() -> None:
    bench = _bench()
    if not (bench.POLNEAR / "dev").is_dir():
        pytest.skip(f"{bench.POLNEAR / 'dev'} is not there")
    runs = bench.run("dev", modes=("speech", "attribution"))
    run = runs["speech"]
    total, direct = bench.score(zip(run.quotes, run.gold))
    assert total.f1 >= MIN_F1, total.line("all")
    assert total.precision >= MIN_PRECISION, total.line("all")
    assert total.speaker_accuracy >= MIN_SPEAKER_ACCURACY, total.line("all")
    assert direct.f1 >= MIN_DIRECT_F1, direct.line("direct")
    wide, _ = bench.score(zip(runs["attribution"].quotes, runs["attribution"].gold))
    assert wide.f1 >= MIN_ATTRIBUTION_F1, wide.line("all")
