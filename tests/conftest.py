"""Shared fixtures: the real reports in ../shared and the bundled example."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "rubio-lavrov-2025-07"
EXAMPLE = ROOT / "examples" / "darin-river-accord"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: {CORPUS} (CI always has ../shared)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_dossier(corpus_dir):
    import accord

    return accord.dossier([corpus_dir])


@pytest.fixture(scope="session")
def example_dossier():
    import accord

    return accord.dossier([EXAMPLE])


@pytest.fixture(scope="session")
def corpus_batch(corpus_dir):
    import accord

    return accord.ingest([corpus_dir])


def corpus_file(prefix: str) -> Path:
    """The report of the shared corpus whose file name starts with ``prefix``."""
    matches = sorted(CORPUS.glob(f"{prefix}*"))
    assert matches, f"no report {prefix}* in {CORPUS}"
    return matches[0]


_BENCH_MODULES: dict[str, object] = {}


def bench_module(name: str):
    """``bench/<name>.py`` as a module, loaded once (bench/ is not a package):
    the quality gates call the benchmarks' own scoring."""
    import importlib.util
    import sys

    if name not in _BENCH_MODULES:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # dataclasses look their module up in sys.modules while the class is built
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        _BENCH_MODULES[name] = module
    return _BENCH_MODULES[name]
