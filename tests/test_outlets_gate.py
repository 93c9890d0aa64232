"""Gate: the share of real source lists the outlet registry resolves
(bench/outlets.py prints the figures beside an exact-name baseline)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import outlets as bench  # noqa: E402

from accord.ingest.outlets import default_registry  # noqa: E402

pytestmark = pytest.mark.skipif(not bench.ALLSIDES.exists() or not bench.POLNEAR.exists(), reason="bench data not found")


def test_allsides_sources_resolve() -> None:
    registry = default_registry()
    sources = bench.allsides_sources()
    names = {name for name, _ in sources}
    resolved = {name for name, link in sources if registry.find(name=name, url=link)}
    # Reached 145/145; the baseline (exact canonical name) resolves 83.
    assert len(resolved) / len(names) >= 0.97
    both = [(registry.by_name(n), registry.by_url(l)) for n, l in sources if registry.by_name(n) and registry.by_url(l)]
    same = sum(1 for a, b in both if a is b or a.owner and a.owner == b.owner)
    # Name and link agree on the outlet or its owner for 1433 of 1435 distinct pairs' articles.
    assert same / len(both) >= 0.97


def test_polnear_publishers_and_wires_resolve() -> None:
    registry = default_registry()
    columns = bench.polnear_names()
    # Reached 6/7 publishers (the baseline: 1/7) and 5/5 wires.
    assert sum(1 for n in columns["publisher"] if registry.by_name(n)) >= 6
    assert all(registry.by_name(n) for n in columns["wire"])
