"""Quality gates of the cited summary (figures from bench/summary.py).

Citation quality on the five real reports and on the first 60 AllSides
roundups; ROUGE on all 307 NeuS validation stories, where the dossier summary
must beat a LexRank baseline computed in the same run on ROUGE-1 and ROUGE-2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import summary as bench  # noqa: E402

pytestmark = pytest.mark.slow


def test_citation_quality():
    scores = bench.citation_benchmark(60)
    corpus, allsides = scores["rubio-lavrov"], scores["allsides"]
    # Every summary sentence of the real reports is covered by what it cites.
    assert corpus["supported"] == 1.0 and corpus["recall"] == 1.0
    assert corpus["precision"] >= 0.74
    assert allsides["supported"] >= 0.985
    assert allsides["recall"] >= 0.995
    assert allsides["precision"] >= 0.94


def test_summary_beats_lexrank_on_neus_val():
    scores = bench.rouge_benchmark(None)
    ours, baseline = scores["accord"], scores["lexrank"]
    assert ours["rouge1"] >= 0.400 and ours["rouge2"] >= 0.178
    assert ours["rouge1"] > baseline["rouge1"]
    assert ours["rouge2"] > baseline["rouge2"]
