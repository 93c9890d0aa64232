"""A small fuzzing campaign (bench/fuzz.py): mutated inputs of every format,
in-process and through the command line, with no crash, hang, silent drop
or provenance violation."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fuzz  # noqa: E402 - the harness lives in bench/


@pytest.mark.slow
def test_a_small_campaign_finds_nothing(tmp_path):
    # Large inputs have tests of their own (test_hostile.py); every third input is analysed.
    result = fuzz.campaign(120, seed=2026, out=tmp_path, cli_every=60, timeout=60, memory_mb=4096, quiet=True,
                           analyze_every=3, big_share=0.0)
    counts = result["counts"]
    # Every input is a file read in-process or a URL of the hostile server.
    assert counts["in-process runs"] + counts["fetches"] == 120 and counts["fetches"] > 0 and counts["cli runs"] >= 1
    findings = {s: (f["kind"], f["label"], f["detail"][-300:]) for s, f in result["signatures"].items()}
    assert not findings, findings
