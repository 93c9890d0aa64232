"""Executors: where the pipeline's per-document and per-story work runs.

The pipeline hands an executor a function and a stream of items (a batch of
documents, a story) and reads the results back in the order of the items;
the executor decides where the calls run:

- ``InProcessExecutor``: here, one after another (the default for small
  inputs: no start-up cost).
- ``PoolExecutor``: a pool of local worker processes (``workers``, default
  the machine's cores), each loading the spaCy model once when it starts.
- ``DaskExecutor``: the workers of a Dask distributed cluster, an existing
  one (``address="tcp://scheduler:8786"``) or a ``LocalCluster`` started for
  the run on 127.0.0.1 (needs the extra ``accord[dask]``).

Every executor gives the same results for the same inputs: the functions
are pure and results come back in input order. ``map`` keeps only a few
tasks per worker in flight, so an archive is never held in memory at once.

Processes are started with ``forkserver`` (``spawn`` where it is missing),
so a script that runs a pool must guard its entry point with
``if __name__ == "__main__":``, as ``multiprocessing`` asks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

from accord.errors import UsageError

__all__ = ["EXECUTORS", "DaskExecutor", "Executor", "InProcessExecutor", "PoolExecutor", "make_executor"]

T = TypeVar("T")
R = TypeVar("R")

#: The names ``--executor`` accepts.
EXECUTORS = ("inprocess", "pool", "dask")
#: Tasks in flight per worker: one running, one waiting, so no worker idles
#: while the next result is read back, and memory stays a few tasks deep.
IN_FLIGHT = 2


@runtime_checkable
class Executor(Protocol):
    """Runs ``fn`` over items somewhere and gives the results in item order."""

    @property
    def workers(self) -> int:
        """How many calls can run at once."""
        ...

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(item)`` for every item, in the order of the items. Lazy: items
        are drawn only as workers free up."""
        ...

    def close(self) -> None:
        """Release the workers (a no-op for executors that own none)."""
        ...


class _Closing:
    """Context-manager support shared by the executors."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()  # type: ignore[attr-defined]


class InProcessExecutor(_Closing):
    """Every call here, one after another."""

    workers = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return (fn(item) for item in items)

    def close(self) -> None:
        pass

    def __repr__(self) -> str:
        return "InProcessExecutor()"


def warm_worker() -> None:
    """Load the spaCy model in this process: run once as each worker starts,
    so that the first task does not pay for it and the model is loaded once
    per worker, not once per task."""
    from accord.analyze.nlp import load

    load()


def start_worker(warm: bool) -> None:
    """Run as each pool worker starts: Ctrl-C at a terminal reaches every
    process of the group, and it is the parent that stops the pool (it
    cancels what is queued and lets running tasks end), so a worker ignores
    SIGINT rather than dying with a traceback of its own; then, if asked,
    it loads the spaCy model."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:
        warm_worker()


def _context() -> multiprocessing.context.BaseContext:
    # forkserver forks workers from a clean server process: no threads or
    # locks of the caller are copied into them (fork's hazard), and it is
    # cheaper than spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class PoolExecutor(_Closing):
    """A pool of ``workers`` local processes (default: the machine's cores)."""

    def __init__(self, workers: int | None = None, *, warm: bool = True) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise UsageError(f"--workers takes a count of 1 or more, not {self.workers}")
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), initializer=start_worker, initargs=(warm,)
        )

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return _ordered(lambda item: self._pool.submit(fn, item), items, self.workers * IN_FLIGHT)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __repr__(self) -> str:
        return f"PoolExecutor(workers={self.workers})"


class DaskExecutor(_Closing):
    """The workers of a Dask distributed cluster.

    With ``address`` it connects to a running scheduler and leaves the
    cluster as it found it; without, it starts a ``LocalCluster`` of
    ``workers`` processes (one thread each: spaCy's parse holds the GIL)
    listening on 127.0.0.1 only, and stops it on ``close``. Each worker loads
    the spaCy model once, when it joins (a worker plugin)."""

    def __init__(self, address: str | None = None, *, workers: int | None = None, warm: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("the dask executor needs the extra: pip install 'accord[dask]'") from None
        self._cluster = None
        if address is None:
            import dask

            # The cluster's own bookkeeping costs CPU the analysis could use:
            # the statistical profiler samples every worker's stack every
            # 10 ms, the system monitor polls psutil twice a second. Off for
            # a cluster of our own (workers take the config they start with).
            with dask.config.set({"distributed.worker.profile.enabled": False,
                                  "distributed.admin.system-monitor.interval": "5s"}):
                self._cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=40,  # logging.ERROR: a run's output is its own
                )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout="30s")
            except (OSError, TimeoutError) as error:
                raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        if warm:
            # Workers that join later load the model with their first task
            # (nlp.load keeps it for the life of the process).
            self._client.run(warm_worker)
        self.address = self._client.scheduler.address

    @property
    def workers(self) -> int:
        # A cluster can grow and shrink while it runs: ask each time.
        threads: int = sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values())
        return max(1, threads)

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (to watch the run on a dashboard, say)."""
        return self._client

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        # pure=False: two equal items are still two tasks (results are not
        # shared by key), which keeps counters per task honest.
        return _ordered(lambda item: self._client.submit(fn, item, pure=False), items, self.workers * IN_FLIGHT)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __repr__(self) -> str:
        return f"DaskExecutor(address={self.address!r})"


def _ordered(submit: Callable[[T], "Future[R]"], items: Iterable[T], window: int) -> Iterator[R]:
    """The results of submitting every item, in item order, with at most
    ``window`` submitted and not yet read; what is left is cancelled when the
    reader stops early."""
    pending: deque[Any] = deque()
    try:
        for item in items:
            pending.append(submit(item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def make_executor(
    name: str | None = None, *, workers: int | None = None, scheduler: str | None = None, documents: int | None = None,
    pool_from: int = 0,
) -> Executor:
    """The executor a command line asks for. ``name`` None picks one by size:
    in-process below ``pool_from`` documents (or on one core), else a pool
    of ``workers`` (default: the cores)."""
    if scheduler is not None and name not in (None, "dask"):
        raise UsageError(f"--scheduler is an address of a Dask scheduler; it needs --executor dask, not {name}")
    if scheduler is not None:
        name = "dask"
    if name is None:
        cores = workers or os.cpu_count() or 1
        big = documents is None or documents >= pool_from
        name = "pool" if cores > 1 and big else "inprocess"
    if name == "inprocess":
        return InProcessExecutor()
    if name == "pool":
        return PoolExecutor(workers)
    if name == "dask":
        return DaskExecutor(scheduler, workers=workers)
    raise UsageError(f"unknown executor {name!r}: choose one of {', '.join(EXECUTORS)}")
