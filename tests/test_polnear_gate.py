"""Quality gate: quotation attribution on PolNeAR dev must not fall below the
figures reached (bench/polnear.py prints them)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "polnear.py"

# Figures reached on dev, rounded down a little (bench/polnear.py dev).
MIN_F1 = 0.69
MIN_SPEAKER_ACCURACY = 0.90
MIN_DIRECT_F1 = 0.88


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_polnear", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_polnear_dev_gate() -> None:
    bench = _bench()
    if not (bench.POLNEAR / "dev").is_dir():
        pytest.skip(f"{bench.POLNEAR / 'dev'} is not there")
    run = bench.run("dev")["speech"]
    total, direct = bench.score(zip(run.quotes, run.gold))
    assert total.f1 >= MIN_F1, total.line("all")
    assert total.speaker_accuracy >= MIN_SPEAKER_ACCURACY, total.line("all")
    assert direct.f1 >= MIN_DIRECT_F1, direct.line("direct")
