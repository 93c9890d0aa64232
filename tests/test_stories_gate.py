"""Quality gate for story grouping (issue 21): the figures bench/stories.py
reaches must not drop. Each set is cut in two halves by gold story; the pile's
threshold is tuned on one half and scored on the other, both ways, beside the
TF-IDF + average-link baseline of the same run (tuned on the same half, and
untuned at cosine distance 0.8). The gate tunes on a short grid that holds
the thresholds bench/stories.py's full grid chooses, so it reaches the same
figures in a fraction of the time; it skips the online index (the slow part
of the bench). Floors are the figures reached, rounded down by about 0.005.

Issue 21's targets: ECB+ and GVC accord >= the better baseline + 0.03 on each
held-out half, AllSides >= the better baseline. Reached (bench/stories.py):
ECB+ +0.051 / +0.032; GVC +0.030 (even -> odd) but -0.011 (odd -> even,
where the tuned baseline scores 0.991, leaving no room for +0.03); AllSides
+0.000 / +0.003."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "stories.py"

#: Per set: thresholds tried (a short grid around what the full grid picks)
#: and, per direction, the floor on accord's held-out F1 and on accord minus
#: the better baseline.
GATE = {
    "ECB+": ((0.07, 0.08, 0.09), {"odd->even": (0.930, 0.046), "even->odd": (0.884, 0.027)}),
    "GVC": ((0.02, 0.03, 0.04, 0.05), {"odd->even": (0.975, -0.016), "even->odd": (0.977, 0.025)}),
    "AllSides": ((0.15, 0.16, 0.17), {"odd->even": (0.802, -0.005), "even->odd": (0.807, -0.002)}),
}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_stories", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for path in (module.ECBPLUS, module.ALLSIDES, module.GVC):
        if not path.exists():
            pytest.fail(f"benchmark data missing: {path} (see ../shared/README.md)")
    return module


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GATE))
def test_pile_held_out_halves_against_the_baseline(bench, name) -> None:
    grid, floors = GATE[name]
    halves = bench.bench_sets([{"ECB+": "ecbplus", "GVC": "gvc", "AllSides": "allsides"}[name]])[name]
    for half in halves:
        bench.prepare(half, baseline=True)
    results = bench.held_out(halves, baseline=True, stream=False, grid=grid, quiet=True)
    for direction, (floor, margin) in floors.items():
        row = results[direction]
        better = max(row["tuned"][2], row["first try"][2])
        assert row["accord"][2] >= floor, (direction, row)
        assert row["accord"][2] - better >= margin, (direction, row)


def test_the_pile_does_not_depend_on_the_order_of_the_documents(bench) -> None:
    """The same half given reversed and shuffled is grouped the same."""
    import random

    from accord.group import group_stories

    half = bench.bench_sets(["gvc"])["GVC"][0]
    documents = list(half.documents)
    orders = [documents, documents[::-1], random.Random(5).sample(documents, len(documents))]
    groupings = []
    for order in orders:
        stories = group_stories(order)
        groupings.append(sorted(sorted(s.documents) for s in stories))
    assert groupings[0] == groupings[1] == groupings[2]
    assert 1 < len(groupings[0]) < len(documents)
