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

A task may say how long it may run (``Budgeted``: the runner's
``DocumentWork``, whose deadline follows ``Settings.input_seconds``). The
pool holds it to that strictly: a worker past its task's deadline is killed
and replaced, and the task's documents are retried one per task, the one at
fault skipped with why. Dask waits for such a task up to its deadline, then
cancels it (restarting the worker on a cluster of its own). In-process,
the runner's guard interrupts Python code at the budget (``accord.budget``)
but not a long call into C. Pool workers (and those of a Dask cluster of
our own) cap their address space (``Settings.input_memory_mb``), and pool
workers exit when the process that started them is gone.

Processes are started with ``forkserver`` (``spawn`` where it is missing),
so a script that runs a pool must guard its entry point with
``if __name__ == "__main__":``, as ``multiprocessing`` asks.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections import deque
from multiprocessing import connection
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence, TypeVar, runtime_checkable

from accord import budget
from accord.errors import UsageError
from accord.settings import DEFAULT

__all__ = ["EXECUTORS", "Budgeted", "DaskExecutor", "Executor", "InProcessExecutor", "PoolExecutor", "make_executor"]

T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")

log = logging.getLogger("accord")

#: The names ``--executor`` accepts.
EXECUTORS = ("inprocess", "pool", "dask")
#: Seconds a pool worker may take to unpickle a task before it starts it
#: (a new worker imports the stages the task needs then): the task's own
#: deadline counts from its start. Not measured: the imports take 2-3 s on
#: this machine, a generous bound for a loaded one.
STARTING = 60.0
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


@runtime_checkable
class Budgeted(Protocol):
    """A task that says how long it may run and what to do when it runs
    longer (the runner's ``DocumentWork``). The pool stops a worker past a
    task's ``deadline`` (or finds it dead), then runs the task's ``parts``
    again one by one and gives ``joined`` of their results, or, for a task
    with no parts, its ``overrun`` result."""

    def deadline(self) -> float:
        """Seconds the task may run before its worker is stopped."""
        ...

    def parts(self) -> Sequence[Any]:
        """Smaller tasks doing the same work, to retry after a stop (none: it
        cannot be split)."""
        ...

    def joined(self, results: Sequence[Any]) -> Any:
        """The result of the whole task from the results of its parts."""
        ...

    def overrun(self, died: str | None) -> Any:
        """The task's result when it was stopped (``died`` None: past its
        deadline) or its worker died (``died`` says how)."""
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
    drops what is queued and stops the workers), so a worker ignores SIGINT
    rather than dying with a traceback of its own; then, if asked, it loads
    the spaCy model."""
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
    """A pool of ``workers`` local processes (default: the machine's cores)
    that holds every task to its deadline.

    Each worker runs one task at a time, sent to it over its own pipe, so
    the parent knows which worker runs which task. A task that says how long
    it may take (``Budgeted``: the runner's ``DocumentWork``) and runs past
    it has its worker killed and replaced; so has one whose worker dies (a
    crash, the kernel's OOM killer). Its smaller ``parts`` are then run
    again, each with its own deadline, and a part stopped again gives its
    ``overrun`` result (its inputs skipped, with why), so the batch goes on.

    Each worker caps its address space at what it holds once started plus
    ``memory_mb`` (``Settings.input_memory_mb``), so an input needing more
    raises MemoryError there (that input's skip), and exits when the process
    that started it is gone (killed, even with SIGKILL), so no worker, nor
    the forkserver they keep alive, outlives it."""

    def __init__(self, workers: int | None = None, *, warm: bool = True,
                 memory_mb: int | None = DEFAULT.input_memory_mb) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise UsageError(f"--workers takes a count of 1 or more, not {self.workers}")
        self._context = _context()
        self._warm = warm
        self._memory_mb = memory_mb
        self._queue: deque[tuple[int, Callable[[Any], Any], Any, float | None]] = deque()
        self._results: dict[int, tuple[str, Any]] = {}
        self._dropped: set[int] = set()
        self._ids = itertools.count()
        self._closed = False
        self._pool = [self._start() for _ in range(self.workers)]

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return _ordered(lambda item: self._submit(fn, item), lambda task, item: self._result(fn, task, item),
                        self._cancel, items, self.workers * IN_FLIGHT)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        for worker in self._pool:
            if worker.task is None:
                try:
                    worker.tasks.send(None)  # "no more work": it exits
                except OSError:
                    pass
            else:  # its result would be thrown away
                worker.process.kill()
        for worker in self._pool:
            worker.stop(grace=5.0)

    def __repr__(self) -> str:
        return f"PoolExecutor(workers={self.workers})"

    # ------------------------------------------------------------------ the workers

    def _start(self) -> "_Worker":
        tasks, theirs = self._context.Pipe()
        # The lifeline: a pipe only this process can write to and never
        # does. The worker waits on its other end, which reads EOF once this
        # process is gone, however it ended.
        lifeline, alive = self._context.Pipe(duplex=False)
        process = self._context.Process(  # type: ignore[attr-defined]
            target=serve_tasks, args=(theirs, lifeline, self._warm, self._memory_mb), daemon=True,
            name="accord-worker")
        process.start()
        theirs.close()
        lifeline.close()
        return _Worker(process, tasks, alive)

    def _submit(self, fn: Callable[[Any], Any], item: Any, *, first: bool = False) -> int:
        if self._closed:
            raise UsageError("this executor is closed")
        task = next(self._ids)
        seconds = item.deadline() if isinstance(item, Budgeted) else None
        entry = (task, fn, item, seconds)
        if first:
            self._queue.appendleft(entry)
        else:
            self._queue.append(entry)
        self._dispatch()
        return task

    def _dispatch(self) -> None:
        """Send queued tasks to idle workers."""
        for worker in self._pool:
            while worker.task is None and self._queue:
                task, fn, item, seconds = self._queue.popleft()
                try:
                    worker.tasks.send((task, fn, item))
                except OSError:  # it died while idle: replace it and send there
                    self._queue.appendleft((task, fn, item, seconds))
                    self._replace(worker)
                    break
                except Exception as error:  # the task cannot be sent (pickling)
                    self._results[task] = ("error", error)
                    continue
                worker.task = task
                worker.seconds = seconds
                # Until the worker says it started the task, it may still be
                # importing what the task needs (unpickling it): that has
                # STARTING seconds of its own.
                worker.deadline = None if seconds is None else time.monotonic() + STARTING + seconds
                worker.whole = None

    def _replace(self, worker: "_Worker") -> None:
        worker.process.kill()
        worker.stop(grace=1.0)
        self._pool[self._pool.index(worker)] = self._start()

    def _settle(self, worker: "_Worker", outcome: tuple[str, Any]) -> None:
        if worker.task is not None:
            if worker.task in self._dropped:
                self._dropped.discard(worker.task)
            else:
                self._results[worker.task] = outcome
        worker.task = None

    def _poll(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds (less when a deadline comes first)
        for results, dead workers and overruns, and deal with them."""
        now = time.monotonic()
        deadlines = [w.deadline - now for w in self._pool if w.task is not None and w.deadline is not None]
        waits: list[Any] = [w.tasks for w in self._pool] + [w.process.sentinel for w in self._pool]
        ready = set(connection.wait(waits, max(0.0, min([timeout, *deadlines]))))
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.tasks in ready:
                try:
                    message = worker.tasks.recv()
                except (EOFError, OSError):
                    pass  # it died: below
                else:
                    if message[1] != worker.task:
                        continue
                    if message[0] == "started":
                        # The clock starts now, not when the task was sent:
                        # a new worker's imports (unpickling) are not the task's.
                        if worker.seconds is not None:
                            worker.whole = worker.deadline = now + worker.seconds
                    elif message[0] == "limit":
                        # A piece of the task under its own limit (one input's
                        # cleaning, say): stopped at that limit plus its grace,
                        # not only at the whole task's deadline.
                        if worker.whole is not None:
                            limit = message[2]
                            worker.deadline = worker.whole if limit is None else min(worker.whole, now + limit)
                    else:
                        self._settle(worker, message[2])
                    continue
            if worker.process.sentinel in ready or not worker.process.is_alive():
                worker.process.join(timeout=1.0)
                self._settle(worker, ("died", _how_it_ended(worker.process.exitcode)))
                self._replace(worker)
            elif worker.task is not None and worker.deadline is not None and now >= worker.deadline:
                log.warning("a worker ran past its task's deadline; it is stopped and replaced")
                self._settle(worker, ("stopped", None))
                self._replace(worker)
        self._dispatch()

    def _result(self, fn: Callable[[Any], R], task: int, item: Any) -> R:
        """The result of ``task`` (``fn(item)``) once it is back; a task
        stopped or whose worker died is retried in its parts, or gives its
        overrun result."""
        while task not in self._results:
            self._poll(1.0)
        kind, value = self._results.pop(task)
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "error":
            raise value
        died = value if kind == "died" else None
        if not isinstance(item, Budgeted):
            raise RuntimeError(f"a worker process died ({died}) running {getattr(fn, '__name__', fn)!r}"
                               if died else "a worker was stopped")
        parts = list(item.parts())
        if not parts:
            return item.overrun(died)  # type: ignore[no-any-return]
        tasks = [self._submit(fn, part, first=True) for part in reversed(parts)][::-1]
        return item.joined([self._result(fn, t, part) for t, part in zip(tasks, parts)])  # type: ignore[no-any-return]

    def _cancel(self, task: int) -> None:
        """Forget ``task``: taken off the queue, or its result thrown away."""
        before = len(self._queue)
        self._queue = deque(entry for entry in self._queue if entry[0] != task)
        if len(self._queue) == before and self._results.pop(task, None) is None:
            if any(w.task == task for w in self._pool):
                self._dropped.add(task)


class _Worker:
    """A worker process, the parent's end of its task pipe and of its
    lifeline, and the task it runs (with its deadline on the monotonic
    clock)."""

    __slots__ = ("alive", "deadline", "process", "seconds", "task", "tasks", "whole")

    def __init__(self, process: Any, tasks: Any, alive: Any) -> None:
        self.process = process
        self.tasks = tasks
        self.alive = alive
        self.task: int | None = None
        self.seconds: float | None = None
        self.deadline: float | None = None
        self.whole: float | None = None  # the whole task's deadline

    def stop(self, grace: float) -> None:
        """Wait ``grace`` seconds for it to end, then kill it; close the pipes."""
        self.process.join(timeout=grace)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5.0)
        self.tasks.close()
        self.alive.close()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit code"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


def serve_tasks(tasks: Any, lifeline: Any, warm: bool, memory_mb: int | None) -> None:
    """A pool worker's life: start (``start_worker``), cap its memory, then
    run each task sent on ``tasks`` (saying when it starts it) and send back
    its result or error, until
    told to stop (None), its pipe closes, or ``lifeline`` says the parent is
    gone."""
    _die_with_parent(lifeline)
    start_worker(warm)
    if memory_mb:
        cap_memory(memory_mb)
    running: list[int] = []
    # Each limit a task's work sets itself (one input's budget) is told to
    # the parent, so that a worker stuck past it is stopped then.
    budget.announce_to(lambda seconds: tasks.send(("limit", running[0], seconds)) if running else None)
    while True:
        try:
            message = tasks.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, fn, item = message
        tasks.send(("started", task))
        running[:] = [task]
        try:
            outcome: tuple[str, Any] = ("ok", fn(item))
        except BaseException as error:  # the parent decides what it means
            outcome = ("error", _sendable(error))
        running.clear()
        try:
            tasks.send(("done", task, outcome))
        except Exception as error:  # a result that cannot be pickled
            failed = RuntimeError(f"the result of a task could not be sent back: {error!r}")
            tasks.send(("done", task, ("error", failed)))


def _sendable(error: BaseException) -> BaseException:
    """``error`` with its traceback as text (the parent shows where it was
    raised), or a RuntimeError saying what it was when it cannot be pickled."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"in a worker: {trace}")
    error.__cause__ = _RemoteTraceback(trace)
    return error


class _RemoteTraceback(Exception):
    """Where an error raised in a worker came from (its traceback as text)."""

    def __str__(self) -> str:
        return f"\n\"\"\"\n{self.args[0]}\"\"\""


def _die_with_parent(lifeline: Any) -> None:
    """End this process as soon as its parent is gone: a thread waits on the
    lifeline, which reads EOF once the parent has ended. (Under forkserver a
    worker's parent process is the forkserver, which lives as long as any
    worker holds its pipe open: so a worker cannot wait for its parent to
    die; it must notice the pool's owner is gone.)"""

    def watch() -> None:
        try:
            lifeline.poll(None)
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="accord-lifeline", daemon=True).start()


def cap_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it holds now plus
    ``memory_mb``: past it an allocation fails (MemoryError in Python) in
    the input that asked, not in the machine. Linux only (elsewhere a
    no-op)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as stream:
            held = int(stream.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return
    limit = held + memory_mb * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class DaskExecutor(_Closing):
    """The workers of a Dask distributed cluster.

    With ``address`` it connects to a running scheduler and leaves the
    cluster as it found it; without, it starts a ``LocalCluster`` of
    ``workers`` processes (one thread each: spaCy's parse holds the GIL)
    listening on 127.0.0.1 only, and stops it on ``close``. Each worker loads
    the spaCy model once, when it joins (a worker plugin).

    Budgets: inside a worker the runner's guard interrupts an input's Python
    code at its budget (tasks run in threads there: ``accord.budget``); the
    client waits for a ``Budgeted`` task up to its deadline, then cancels
    it, and on a cluster of its own restarts the worker that ran it and caps
    the workers' address space (``memory_mb``). The workers of a cluster it
    only connects to are left as they are."""

    def __init__(self, address: str | None = None, *, workers: int | None = None, warm: bool = True,
                 memory_mb: int | None = DEFAULT.input_memory_mb) -> None:
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
        self._memory_mb = memory_mb
        if memory_mb and self._cluster is not None:
            # Only the workers of a cluster of our own: another's are theirs.
            self._client.run(cap_memory, memory_mb)
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
        return _ordered(lambda item: self._client.submit(fn, item, pure=False),
                        lambda future, item: self._result(fn, future, item), lambda future: future.cancel(),
                        items, self.workers * IN_FLIGHT)

    def _result(self, fn: Callable[[Any], R], future: Any, item: Any) -> R:
        """The result of ``future``. A ``Budgeted`` task is waited for up to
        its deadline, counted from when it is first waited for (so never
        stricter than the pool's): past it, or when Dask gives up on it
        (KilledWorker), it is cancelled and retried in its parts, or gives
        its overrun result. Inside the worker, the runner's guard has
        interrupted any Python code at the budget already."""
        from distributed import KilledWorker

        if not isinstance(item, Budgeted):
            return future.result()  # type: ignore[no-any-return]
        died: str | None = None
        try:
            return future.result(timeout=item.deadline())  # type: ignore[no-any-return]
        except TimeoutError:
            self._stop(future)
        except KilledWorker as error:
            died = f"Dask gave up on it: {error}"
        parts = list(item.parts())
        if not parts:
            return item.overrun(died)  # type: ignore[no-any-return]
        futures = [self._client.submit(fn, part, pure=False) for part in parts]
        return item.joined([self._result(fn, f, part) for f, part in zip(futures, parts)])  # type: ignore[no-any-return]

    def _stop(self, future: Any) -> None:
        """Cancel an overrunning task; on a cluster of our own, restart the
        worker running it (a thread cannot be stopped from outside), and cap
        the new one's memory again."""
        key = future.key
        future.cancel()
        if self._cluster is None:
            log.warning("a task ran past its deadline; it is cancelled but may keep its Dask worker busy")
            return
        running = [worker for worker, keys in sorted(self._client.processing().items()) if key in keys]
        if running:
            log.warning("a task ran past its deadline; its Dask worker is restarted")
            try:
                self._client.restart_workers(running)
                # The retried parts' deadlines count from when they are
                # waited for: wait for the worker to be back first.
                self._client.wait_for_workers(len(self._client.scheduler_info()["workers"]) or 1, timeout=STARTING)
                if self._memory_mb:
                    self._client.run(cap_memory, self._memory_mb, workers=running)
            except Exception as error:  # the run goes on with the workers left
                log.warning("could not restart the Dask worker %s: %s", ", ".join(running), error)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __repr__(self) -> str:
        return f"DaskExecutor(address={self.address!r})"


def _ordered(submit: Callable[[T], H], result: Callable[[H, T], R], cancel: Callable[[H], Any],
             items: Iterable[T], window: int) -> Iterator[R]:
    """The results of submitting every item, in item order, with at most
    ``window`` submitted and not yet read; what is left is cancelled when the
    reader stops early. ``submit`` gives a handle, ``result`` waits for it."""
    pending: deque[tuple[H, T]] = deque()
    try:
        for item in items:
            pending.append((submit(item), item))
            if len(pending) >= window:
                yield result(*pending.popleft())
        while pending:
            yield result(*pending.popleft())
    finally:
        for handle, _ in pending:
            cancel(handle)


def make_executor(
    name: str | None = None, *, workers: int | None = None, scheduler: str | None = None, documents: int | None = None,
    pool_from: int = 0, memory_mb: int | None = DEFAULT.input_memory_mb,
) -> Executor:
    """The executor a command line asks for. ``name`` None picks one by size:
    in-process below ``pool_from`` documents (or on one core), else a pool
    of ``workers`` (default: the cores). Pool and Dask workers cap their
    memory at ``memory_mb`` (the run's ``Settings.input_memory_mb``)."""
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
        return PoolExecutor(workers, memory_mb=memory_mb)
    if name == "dask":
        return DaskExecutor(scheduler, workers=workers, memory_mb=memory_mb)
    raise UsageError(f"unknown executor {name!r}: choose one of {', '.join(EXECUTORS)}")
