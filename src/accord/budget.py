"""A time limit on a piece of work in this process: the per-input time
budget of the runner's guard (``runner.attempt``).

``time_limit(seconds)`` raises ``BudgetExceeded`` into the work when the
seconds run out. In the main thread it arms ``signal.setitimer``; its
SIGALRM handler raises at the next bytecode the interpreter runs, and also
cuts short a blocking sleep or read. In any other thread (a Dask worker runs
tasks in threads), or when SIGALRM is taken already, a timer thread raises
the error asynchronously in the working thread
(``PyThreadState_SetAsyncExc``), at its next bytecode.

Either way only Python code is interrupted: a long call into C (a regular
expression, spaCy's parser) finishes its call first. That is why the pool
executor also holds every task to a deadline from the parent and stops the
worker that overruns it (``executors.PoolExecutor``): there the budget is
enforced strictly; here it is checked as soon as control is back in Python.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from typing import Any, Callable, Iterator

from accord.errors import BudgetExceeded

__all__ = ["announce_to", "time_limit"]

#: Told of each limit as it begins (its seconds plus grace) and ends (None):
#: a pool worker passes it on to the parent, which stops the worker when a
#: limit is overrun by more than its grace (see ``executors.serve_tasks``).
_announce: Callable[[float | None], None] | None = None


def announce_to(hook: Callable[[float | None], None] | None) -> None:
    """Have ``hook`` told of every limit of this process as it begins (the
    seconds after which the work may be stopped from outside) and ends (None)."""
    global _announce
    _announce = hook


@contextlib.contextmanager
def time_limit(seconds: float | None, *, grace: float = 0.0) -> Iterator[None]:
    """Run the body with ``seconds`` to spend: past them ``BudgetExceeded``
    is raised inside it (at once when ``seconds`` is 0 or less). None means
    no limit. ``grace`` is the time past the limit after which whoever was
    told (``announce_to``) may stop this process. Leaves no timer, handler
    or pending error behind, whether the body ends, raises or overruns."""
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise BudgetExceeded(seconds)
    if _announce is not None:
        _announce(seconds + grace)
    try:
        if _alarm_is_free():
            with _alarm(seconds):
                yield
        else:
            with _async_timer(seconds):
                yield
    finally:
        if _announce is not None:
            _announce(None)


def _alarm_is_free() -> bool:
    """Whether this thread may use SIGALRM: the main thread, on a system with
    interval timers, with no timer running and no handler of someone else
    (a test runner's timeout, an enclosing limit) installed."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return False
    if signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def overrun(signum: int, frame: Any) -> None:
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


@contextlib.contextmanager
def _async_timer(seconds: float) -> Iterator[None]:
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"fired": False, "done": False}

    def overrun() -> None:
        with lock:  # never raise into the thread once it has left the body
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(ctypes.c_ulong(ident), ctypes.py_object(BudgetExceeded))

    timer = threading.Timer(seconds, overrun)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:
                # The error may not have been raised yet: clear it, so that it
                # cannot surface later in code that is not this input's.
                _set_async_exc(ctypes.c_ulong(ident), None)
        timer.cancel()
