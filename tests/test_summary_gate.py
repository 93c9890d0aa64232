"""Quality gates of the cited summary (figures from bench/summary.py).

Citation quality on the five real reports and on the first 60 AllSides
roundups; ROUGE on all 307 NeuS validation stories against a LexRank
baseline computed in the same run; and the long-form summary sentences judged
by reading (bench/summary-labels), on a subset of their stories.
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
    # A fact's sentence cites every outlet that reports it; a paraphrase
    # covers less than half of the words it is cited for, which ALCE-style
    # precision counts against it.
    # Since facts join paraphrases by meaning, a fact holds more passages
    # that share fewer of its words: precision fell from 0.68 / 0.955 to the
    # figures gated here (bench/summary.py, 2026-11-29).
    assert corpus["precision"] >= 0.46
    assert allsides["supported"] >= 0.995
    assert allsides["recall"] >= 0.998
    # 0.854 on main; 0.847 on branch summary2 (2026-12-06), whose small
    # stories are told in fewer words (182 sentences against 204): the
    # sentences left out are mostly later single-outlet facts, whose one
    # citation is always needed. (The real reports rose 0.5625 -> 0.600.)
    assert allsides["precision"] >= 0.845


def test_summary_against_lexrank_on_neus_val():
    scores = bench.rouge_benchmark(None)
    ours, baseline = scores["accord"], scores["lexrank"]
    # Gated at the figures of branch summary2 (2026-12-06): 0.4055 / 0.1734,
    # LexRank 0.4008 / 0.1750 in the same run (main was 0.403 / 0.168):
    # LexRank-style centrality in the fact rank, a small story's further
    # passages and its shorter word budget. Still short of the issue's
    # LexRank + 0.01 (ROUGE-1 +0.005, ROUGE-2 -0.002).
    assert ours["rouge1"] >= 0.405 and ours["rouge2"] >= 0.173
    assert ours["rouge1"] >= baseline["rouge1"] + 0.004
    assert ours["rouge2"] >= baseline["rouge2"] - 0.002


#: A subset of the labelled long-form stories, short enough for the gate.
_LONGFORM_GATE = ("basil-4", "basil-8", "gvc-178149", "gvc-207298", "gvc-282956", "gvc-306048", "gvc-315594")


def test_long_form_summary_sentences_are_supported_by_what_they_cite():
    scores = bench.longform_benchmark(_LONGFORM_GATE)
    # The labels name the sentences of today's summaries: a summary that
    # changed needs its new sentences read and labelled (bench/summary.py --show).
    assert scores["unlabelled"] <= 0.1 * scores["sentences"], scores
    # 0.984 (62/63) on all 16 labelled stories; 0.967 (29/30) on this subset;
    # 1.000 (63/63) on all 16 with summary2's ranking (2026-12-06).
    assert scores["supported"] >= 0.9, scores
