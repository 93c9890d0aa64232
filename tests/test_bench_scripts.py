"""Every script in bench/ runs: a quick sweep loads each one and prints its
``--help`` (an import or argument error fails it), and a slow test runs
each on a small input, failing when the script errors or exits non-zero
(a benchmark that measured nothing exits non-zero: see bench/dossier.py)
or prints no figure at all."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import subprocess
import sys

import pytest

from conftest import EXAMPLE, ROOT

BENCH = ROOT / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py"))
#: Scripts that take no options (``--help`` would run them): run small below only.
NO_OPTIONS = {"devset.py", "langid.py", "outlets.py"}

#: Each script on a small input. A script whose smallest run is still long
#: (minutes) is only loaded by ``--help`` here (None); the bench's own gate
#: tests (tests/test_*_gate.py) run its scoring on a subset.
SMALL: dict[str, list[str] | None] = {
    "archive.py": None,  # a Dask cluster and synthetic shards: minutes at any size
    "boilerplate.py": ["--pages", "3", "--no-devset"],
    "compare_scale.py": ["--sizes", "10", "--kinds", "near"],
    "conflicts.py": None,  # the labelled dev set whole; tests/test_conflicts_gate.py scores it
    "credits.py": ["--split", "dev"],
    "devset.py": ["keys"],
    "dossier.py": [str(EXAMPLE), "--repeat", "1"],
    "encoders.py": None,  # every long-form story and ECB+; tests/test_encoders_gate.py
    "entities.py": ["--stories", "1"],
    "extraction.py": None,  # 181 pages; tests/test_extraction_gate.py
    "facts.py": None,  # ECB+ and the dev set; tests/test_facts_gate.py
    "fuzz.py": ["--inputs", "3", "--cli-every", "0", "--timeout", "120"],
    "ingest.py": ["--only", "text", "--articles", "50"],
    "langid.py": [],
    "outlets.py": [],
    "parallel.py": None,  # two process pools; bench/run.py measures the same end to end
    "polnear.py": ["dev", "--limit", "3"],
    "quote_precision.py": ["--limit", "5"],
    "run.py": ["--limit", "4", "--workers", "1"],
    "redos.py": None,  # every pattern of src/, ~75 s; tests/test_redos.py runs it
    "scale.py": None,  # its own speed check (6 ms a document) fails at small sizes and on a loaded machine
    "serve.py": ["--documents", "100", "--repeat", "1"],
    "stance.py": ["--limit", "5"],
    "stories.py": None,  # all of ECB+ and AllSides; tests/test_stories_gate.py
    "stories_speed.py": ["--articles", "6"],
    "summary.py": ["--roundups", "2", "--neus", "2"],
    "train_attribution.py": None,  # trains on PolNeAR train: minutes
}


def test_every_bench_script_has_a_small_run_or_says_why_not():
    assert sorted(SMALL) == SCRIPTS


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s not in NO_OPTIONS])
def test_every_bench_script_loads_and_prints_its_help(script, monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(BENCH / script), "--help"])
    monkeypatch.syspath_prepend(str(BENCH))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        runpy.run_path(str(BENCH / script), run_name="__main__")
    assert stop.value.code in (0, None)
    assert "usage:" in out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("script", [s for s in SCRIPTS if SMALL.get(s) is not None])
def test_every_bench_script_measures_something_on_a_small_input(script, tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / script), *SMALL[script]], cwd=tmp_path,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"{script} exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    assert re.search(r"\d", result.stdout), f"{script} printed no figure:\n{result.stdout}\n{result.stderr[-2000:]}"
