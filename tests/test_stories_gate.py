"""Quality gate for story grouping: the figures bench/stories.py reaches must not
drop. ECB+ is scored on the half of the topics the threshold was not tuned on
(both directions); AllSides with the library's default threshold, which was
tuned on ECB+ alone. The floors are the figures reached, rounded down by
about 0.005. The ECB+ gate tunes on a coarse grid of thresholds that holds
the ones bench/stories.py's full grid chooses (0.20 on the odd topics, 0.14
on the even), so it reaches the same figures in a third of the time.

Still short of issue 12's targets (ECB+ 0.92 and 0.04 above TF-IDF average
link; AllSides 0.85): in the same run of bench/stories.py the baseline tuned
on the same half scores 0.865 (odd -> even) and 0.856 (even -> odd)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "stories.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_stories", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    if not module.ECBPLUS.is_dir() or not module.ALLSIDES.is_file():
        pytest.fail(f"benchmark data missing under {module.BENCH} (see ../shared/README.md)")
    return module


@pytest.mark.slow
def test_ecbplus_held_out_halves(bench) -> None:
    held_out = bench.ecbplus_halves(quiet=True, grid=(0.14, 0.20, 0.26))
    assert held_out["odd->even"][2] >= 0.866
    assert held_out["even->odd"][2] >= 0.829


@pytest.mark.slow
def test_allsides_with_the_threshold_tuned_on_ecbplus(bench) -> None:
    _, _, f1 = bench.allsides(quiet=True)
    assert f1 >= 0.718
