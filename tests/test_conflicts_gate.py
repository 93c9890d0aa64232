"""Quality gate of the conflicts (figures from bench/conflicts.py).

On the labelled dev set (bench/facts/labels, 42 stories, 11 gold conflicts
when measured) accord's conflicts reached precision 1.000 (7/7) and recall
0.636, where the conflicts stage before issue 10 (on the facts of the same
tree, 2026-11-29) reached 0.400 and 0.364 and the same-unit-numbers baseline
0.178 and 0.364. Unchanged by the facts' typed slot checks and cut-short
passages. The gate sits a little below.
Skipped where the labels are not in the tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import conflicts as bench  # noqa: E402
import devset  # noqa: E402

pytestmark = pytest.mark.slow


def test_conflict_precision_and_recall_on_the_dev_set():
    keys = bench.labelled_keys(devset.LABELS)
    if not keys:
        pytest.skip(f"no conflict labels in {devset.LABELS}")
    score = bench.evaluate(devset.LABELS, keys)["accord"]
    assert score.gold >= 10
    assert score.precision >= 0.85
    assert score.recall >= 0.6
