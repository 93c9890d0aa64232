"""Quality gate: the wire service ingest reads from an article's words, on
PolNeAR train+dev against its ``wire`` column (bench/credits.py), must not fall
below the precision and recall it reached."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_module
import pytest

BENCH_SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "credits.py"

# the figures reached when this gate was set (P 1.000, R 0.947 overall), less ~0.01
MIN_OVERALL = {"precision": 0.99, "recall": 0.937}
# per service: AFP 9/9, UPI 21/21, AP 30/33, Reuters 11/12 found, none wrong
MIN_RECALL = {"AFP": 0.99, "UPI": 0.99, "AP": 0.90, "Reuters": 0.90}


def load_bench():
    return bench_module("credits")


def test_wire_credits_on_polnear() -> None:
    bench = load_bench()
    if not (bench.BENCH / "metadata.tsv").is_file():
        pytest.fail(f"the benchmark is missing: {bench.BENCH} (CI always has ../shared)")
    scores, judged = bench.run(["train", "dev"])
    assert len(judged) == 792
    overall = scores["overall"]
    assert overall.precision >= MIN_OVERALL["precision"], scores
    assert overall.recall >= MIN_OVERALL["recall"], scores
    for service, least in MIN_RECALL.items():
        assert scores[service].recall >= least, (service, scores[service])
        assert scores[service].precision >= MIN_OVERALL["precision"], (service, scores[service])
