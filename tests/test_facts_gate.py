"""Gate of the fact alignment benchmark (bench/facts.py) on a fast subset:
ECB+ topics 1-4 with the default settings (no tuning) and, when the dev-set
labels are present, the first twelve labelled roundups. Thresholds sit a little below
the figures reached (see README), so a change that loses alignment quality
fails here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

facts_bench = pytest.importorskip("facts")

ECB = ROOT.parent / "shared" / "bench" / "ecbplus"
LABELS = ROOT / "bench" / "facts" / "labels"
TOPICS = [1, 2, 3, 4]


@pytest.mark.slow
@pytest.mark.skipif(not ECB.is_dir(), reason="ECB+ not present")
def test_ecb_alignment_beats_the_old_method_and_keeps_precision():
    result = facts_bench.run_ecb(TOPICS, verbose=False, grid=facts_bench.tuning_grid({}))
    for name, half in result["halves"].items():
        accord, everything = half["accord"], half["every pair"]
        # Reached on topics 1-4 with the defaults, with the slot checks
        # (even / odd: P 0.705 / 0.497, F1 0.684 / 0.541; every pair P 0.443 /
        # 0.254, F1 0.614 / 0.405; TF-IDF tuned on the other half F1 0.645 /
        # 0.458). Before the slot checks: P 0.699 / 0.412, F1 0.688 / 0.494.
        assert accord.p >= 0.45, (name, accord.line())
        assert accord.f1 >= 0.50, (name, accord.line())
        assert accord.f1 > everything.f1, (name, accord.line(), everything.line())
        assert accord.f1 > half["tf-idf"].f1, (name, accord.line(), half["tf-idf"].line())
        assert accord.p > everything.p + 0.12, (name, accord.line(), everything.line())


@pytest.mark.slow
@pytest.mark.skipif(not LABELS.is_dir() or not any(LABELS.glob("*.json")), reason="dev-set labels not present")
def test_dev_set_corroboration_and_recall():
    keys = sorted(p.stem for p in LABELS.glob("allsides-*.json"))[:12]
    result = facts_bench.run_devset(LABELS, keys=keys, verbose=False)
    assert result["stories"] == len(keys)
    # Reached on the first twelve labelled roundups with the slot checks and
    # cut-short passages: precision of corroborated 0.750 (9/12), recall of
    # multi-outlet facts 0.689 (42/61). The whole dev set (README): 0.880 /
    # 0.653; one story here (allsides-5642) holds 3 of its 6 false verdicts.
    assert result["precision"] >= 0.70
    assert result["recall"] >= 0.65
