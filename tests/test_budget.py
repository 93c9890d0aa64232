"""Per-input budgets in the per-document step (issue 25): an input that runs
past its time budget, or out of memory, is skipped with its reason and the
rest of its batch is processed, in this process, in a pool (also when the
work is stuck where the alarm cannot reach it, or its worker dies) and on
Dask; and a pool's workers do not outlive an ``accord run`` killed with
SIGKILL."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any, Callable

import pytest

import accord
import accord.clean
from accord.budget import time_limit
from accord.errors import BudgetExceeded
from accord.executors import PoolExecutor
from accord.model import OffsetMap, RawDocument
from accord.runner import documents
from accord.settings import DEFAULT

from conftest import EXAMPLE, ROOT

#: One second per input, and half a second of slack before a worker is stopped.
TIGHT = dataclasses.replace(DEFAULT, input_seconds=1.0, input_kill_seconds=0.5)


def _articles(*markers: str) -> list[accord.Article]:
    """Short reports of one meeting, one per marker (the marker word is what
    makes a patched stage misbehave on that document)."""
    return [accord.Article(f"The council met on Monday for 40 minutes. The mayor said: “We agreed.” {marker}.",
                           outlet=f"Outlet {n}", published="2026-01-05") for n, marker in enumerate(markers)]


def _misbehaving(original: Callable[..., Any], text_of: Callable[..., str]) -> Callable[..., Any]:
    """``original``, except on a document whose text holds a marker: SLOW
    loops in Python for a minute, STUCK does the same with SIGALRM blocked
    (as a long call into C: the alarm cannot interrupt it), HOG asks for
    4 GB, CRASH kills its own process, BROKEN raises MemoryError."""

    def patched(*args: Any, **kwargs: Any) -> Any:
        text = text_of(*args)
        if "SLOW" in text or "STUCK" in text:
            if "STUCK" in text:  # the budget's alarm has no effect, as in a long call into C
                signal.signal(signal.SIGALRM, signal.SIG_IGN)
            end = time.monotonic() + 60
            while time.monotonic() < end:
                time.sleep(0.01)
        if "HOG" in text:
            hog = bytearray(4 << 30)
            return hog
        if "CRASH" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "BROKEN" in text:
            raise MemoryError()
        return original(*args, **kwargs)

    patched.misbehaving = True  # type: ignore[attr-defined]
    return patched


def _warm_analysis() -> None:
    """Read, clean and analyse one document here, so that the first call's
    loading of each stage is not counted against a tight budget."""
    documents(_articles("warm"), analyze=True, executor="inprocess", workers=None, settings=DEFAULT)


def _warm_clean() -> None:
    """Clean one document, so that the clean stage's first call's loading is
    not counted against a tight budget."""
    text = _articles("warm")[0].text
    accord.clean.clean(RawDocument("warm", "text", text, "0" * 64, text, OffsetMap.identity(len(text))), "d0")


def _patch_clean() -> None:
    """In this process (a worker, here), make the clean stage misbehave."""
    if getattr(accord.clean.clean, "misbehaving", False):
        return
    _warm_clean()
    accord.clean.clean = _misbehaving(accord.clean.clean, lambda raw, *rest: raw.text)


class _InPatchedWorker:
    """``fn`` run in a worker whose clean stage misbehaves. The patch is made
    as the task is unpickled, before the worker says it started the task, so
    that a new worker's loading is not counted against the task's deadline."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self, item: Any) -> Any:
        return self.fn(item)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_patched_worker, (self.fn,))


def _patched_worker(fn: Callable[[Any], Any]) -> _InPatchedWorker:
    _patch_clean()
    return _InPatchedWorker(fn)


class _PatchedPool(PoolExecutor):
    """A pool whose workers clean marked documents badly (a monkeypatch in
    the test process does not reach the workers)."""

    def map(self, fn, items):  # type: ignore[no-untyped-def]
        return super().map(_InPatchedWorker(fn), items)


def _outcome(batch: accord.Batch) -> tuple[list[str], dict[str, str]]:
    """The outlets of the documents kept, and each skipped source's reason."""
    return [d.outlet or "" for d in batch.documents], {s.source: s.reason for s in batch.skipped}


# --------------------------------------------------------------------------- the limit itself


def test_time_limit_interrupts_the_main_thread_and_leaves_nothing_behind():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with time_limit(0.2):
            time.sleep(5)  # a blocking call too: the signal cuts it short
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)
    with time_limit(5):  # work that ends in time is left alone
        pass
    with pytest.raises(BudgetExceeded):
        with time_limit(0):
            pass


def test_time_limit_interrupts_python_code_in_another_thread():
    found: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.2):
                while True:
                    time.sleep(0.01)
        except BudgetExceeded:
            found.append("stopped")
        time.sleep(0.5)  # the error does not come back once the limit is left
        found.append("went on")

    thread = threading.Thread(target=work)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    assert found == ["stopped", "went on"] and time.monotonic() - started < 5


# --------------------------------------------------------------------------- in this process


@pytest.mark.parametrize("stage", ["clean", "analyze"])
def test_an_input_past_its_budget_is_skipped_in_process(monkeypatch, stage):
    import accord.analyze  # here: a pool worker importing this module need not load spaCy

    _warm_analysis()
    if stage == "clean":
        monkeypatch.setattr(accord.clean, "clean", _misbehaving(accord.clean.clean, lambda raw, *rest: raw.text))
    else:
        monkeypatch.setattr(accord.analyze, "find_claims", _misbehaving(
            accord.analyze.find_claims, lambda sdoc, document, *rest: document.text))
    started = time.monotonic()
    batch = documents(_articles("A", "SLOW", "C"), analyze=True, executor="inprocess", workers=None, settings=TIGHT)
    kept, skipped = _outcome(batch)
    assert kept == ["Outlet 0", "Outlet 2"] and len(batch.analyses) == 2
    assert skipped == {"<article 2>": f"took over 1 s in {stage}; not analysed "
                                      "(the per-input time budget, Settings.input_seconds)"}
    assert batch.counts.skipped == {f"took over 1 s in {stage}": 1}
    # The batch parse overran (1 s) and was redone one document at a time.
    assert time.monotonic() - started < 30


def test_an_input_whose_reading_overruns_is_skipped(monkeypatch):
    import accord.runner as runner

    _warm_analysis()
    monkeypatch.setattr(runner, "DEFAULT", dataclasses.replace(DEFAULT, input_seconds=0.5, input_kill_seconds=0.5))
    monkeypatch.setattr(runner, "_read_input", _misbehaving(runner._read_input, lambda entry, *rest: repr(entry)))
    batch = documents(_articles("A", "SLOW", "C"), analyze=False, executor="inprocess", workers=None, settings=TIGHT)
    kept, skipped = _outcome(batch)
    assert kept == ["Outlet 0", "Outlet 2"]
    assert skipped == {"<article 2>": "took over 0.5 s in read; not analysed "
                                      "(the per-input time budget, Settings.input_seconds)"}


def test_a_memory_error_is_that_inputs_skip_in_process(monkeypatch):
    import accord.analyze

    _warm_analysis()
    monkeypatch.setattr(accord.analyze, "find_claims", _misbehaving(
        accord.analyze.find_claims, lambda sdoc, document, *rest: document.text))
    batch = documents(_articles("BROKEN", "B", "C"), analyze=True, executor="inprocess", workers=None, settings=TIGHT)
    kept, skipped = _outcome(batch)
    assert kept == ["Outlet 1", "Outlet 2"] and len(batch.analyses) == 2
    assert list(skipped) == ["<article 1>"] and skipped["<article 1>"].startswith("ran out of memory in analyze")


# --------------------------------------------------------------------------- in a pool


def test_an_input_past_its_budget_or_memory_is_skipped_in_a_pool():
    # Cleaning only: the workers need no spaCy model. Three documents a task;
    # each worker's address space is capped at what it holds plus 1 GB.
    settings = dataclasses.replace(TIGHT, tasks_per_worker=1)
    with _PatchedPool(2, warm=False, memory_mb=1024) as pool:
        batch = documents(_articles("A", "SLOW", "C", "D", "HOG", "F"), analyze=False, executor=pool, workers=None,
                          settings=settings)
    kept, skipped = _outcome(batch)
    assert kept == ["Outlet 0", "Outlet 2", "Outlet 3", "Outlet 5"], skipped
    assert list(skipped) == ["<article 2>", "<article 5>"]
    assert skipped["<article 2>"] == ("took over 1 s in clean; not analysed "
                                      "(the per-input time budget, Settings.input_seconds)")
    assert skipped["<article 5>"].startswith("ran out of memory in clean; not analysed")


@dataclasses.dataclass(frozen=True)
class _Deaf:
    """A task (executors.Budgeted) that sleeps ``seconds`` deaf to the alarm
    of a 0.5 s limit with 0.5 s of grace, in a task allowed 60 s in all."""

    seconds: float

    def deadline(self) -> float:
        return 60.0

    def parts(self) -> tuple[()]:
        return ()

    def joined(self, results: Any) -> Any:
        raise AssertionError("no parts to join")

    def overrun(self, died: str | None) -> str:
        return "stopped" if died is None else f"died: {died}"


def _sleep_deaf(task: _Deaf) -> str:
    with time_limit(0.5, grace=0.5):
        signal.signal(signal.SIGALRM, signal.SIG_IGN)  # as a long call into C
        time.sleep(task.seconds)
    return "slept"


def test_a_pool_stops_a_worker_at_the_limit_its_task_announced():
    with PoolExecutor(1, warm=False) as pool:
        assert list(pool.map(_sleep_deaf, [_Deaf(0.01)])) == ["slept"]  # the worker has imported this module
        started = time.monotonic()
        assert list(pool.map(_sleep_deaf, [_Deaf(120), _Deaf(0.01)])) == ["stopped", "slept"]
        # At the limit plus its grace (1 s) and a new worker's start, not at
        # the task's deadline (60 s).
        assert time.monotonic() - started < 30


@pytest.mark.slow
def test_a_pool_stops_a_stuck_worker_and_goes_on_without_it():
    settings = dataclasses.replace(TIGHT, task_documents=2)  # [A, STUCK], [CRASH, D]
    started = time.monotonic()
    with _PatchedPool(2, warm=False) as pool:
        batch = documents(_articles("A", "STUCK", "CRASH", "D"), analyze=False, executor=pool, workers=None,
                          settings=settings)
        # The workers stopped were replaced: the pool still works.
        assert list(pool.map(abs, [-1, -2])) == [1, 2]
    kept, skipped = _outcome(batch)
    # The other document of each stopped task was cleaned again, on its own.
    assert kept == ["Outlet 0", "Outlet 3"]
    assert skipped == {
        "<article 2>": "took over 1 s; not analysed (its worker was stopped: the per-input time budget, "
                       "Settings.input_seconds)",
        "<article 3>": "its worker process died (killed by SIGKILL); not analysed",
    }
    assert batch.counts.read == 4 and sum(batch.counts.skipped.values()) == 2
    assert time.monotonic() - started < 60


# --------------------------------------------------------------------------- on Dask


@pytest.mark.slow
def test_an_input_past_its_budget_is_skipped_on_dask():
    pytest.importorskip("distributed")
    # Dask's workers take this process's sys.path: they import this module.
    with accord.DaskExecutor(workers=1, warm=False) as runner:
        runner.client.run(_patch_clean)
        batch = documents(_articles("A", "SLOW", "C"), analyze=False, executor=runner, workers=None,
                          settings=TIGHT)
    kept, skipped = _outcome(batch)
    assert kept == ["Outlet 0", "Outlet 2"]
    assert skipped == {"<article 2>": "took over 1 s in clean; not analysed "
                                      "(the per-input time budget, Settings.input_seconds)"}


# --------------------------------------------------------------------------- a killed run


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc: children of children too)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pids: set[int]) -> set[int]:
    """The ones still running (a zombie has ended)."""
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stream:
                state = stream.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_run_leaves_no_worker_behind(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "run", str(EXAMPLE), "--out", str(tmp_path / "run"),
         "--executor", "pool", "--workers", "2", "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The forkserver, the resource tracker and both workers.
        deadline = time.monotonic() + 120
        while len(_running(_descendants(process.pid))) < 4:
            assert process.poll() is None and time.monotonic() < deadline, "the run ended before its workers started"
            time.sleep(0.05)
        below = _descendants(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 10
    while _running(below) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(below), "processes of the killed run still running"


def test_a_pool_caps_its_workers_at_the_runs_memory_setting(monkeypatch):
    # Why: the pool a run made capped its workers at the default setting,
    # whatever Settings the run was given.
    import accord.executors as executors

    made: list[int | None] = []

    class Recording(executors.InProcessExecutor):
        def __init__(self, workers=None, *, warm=True, memory_mb=None):  # type: ignore[no-untyped-def]
            super().__init__()
            made.append(memory_mb)

    monkeypatch.setattr(executors, "PoolExecutor", Recording)
    settings = dataclasses.replace(DEFAULT, input_memory_mb=777)
    batch = documents([str(p) for p in sorted(EXAMPLE.iterdir())], analyze=False, executor="pool", workers=2,
                      settings=settings)
    assert made == [777] and len(batch.documents) == len(list(EXAMPLE.iterdir()))
