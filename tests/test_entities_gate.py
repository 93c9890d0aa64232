"""Quality gate: entity merges on the labelled dev stories (bench/entities.py):
no false merge, and the variants of one name merged."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_module
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "entities.py"

# Figures reached (bench/entities.py): 0 false merges, recall 0.959 (47/49).
MAX_FALSE_MERGES = 0
MIN_VARIANT_RECALL = 0.93


def _bench():
    return bench_module("entities")


@pytest.mark.slow
def test_entity_merges_gate() -> None:
    bench = _bench()
    if not bench.devset.ROUNDUPS.is_file():
        pytest.skip(f"{bench.devset.ROUNDUPS} is not there")
    labels = bench.read_labels()
    stories = [bench.load_story(k) for k in sorted(labels)]
    ours, _, missing = bench.score(stories, labels)
    assert ours.false_merges <= MAX_FALSE_MERGES, ours.line("accord")
    assert ours.same and ours.same_merged / ours.same >= MIN_VARIANT_RECALL, ours.line("accord")
    assert missing <= 3, f"{missing} labelled mentions no longer found"
