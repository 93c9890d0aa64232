"""One error hierarchy for accord.

    AccordError
    ├── InputError        an input could not be read (the batch goes on)
    ├── UsageError        the caller asked for something accord cannot do
    └── ModelError        a packaged model file is missing or not of this version

    BudgetExceeded        one input's work ran past its time budget (a
                          BaseException: see the class)
"""

from __future__ import annotations

__all__ = ["AccordError", "BudgetExceeded", "InputError", "ModelError", "UsageError"]


class AccordError(Exception):
    """Base class of every error accord raises on purpose."""


class InputError(AccordError):
    """An input that cannot be read; carries which input and why, in one line."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UsageError(AccordError):
    """A request accord cannot carry out (an unknown output format, no input at all)."""


class ModelError(AccordError):
    """A model file shipped with accord is missing, unreadable, or was built for
    another format or feature version than the code that loads it."""


class BudgetExceeded(BaseException):
    """Raised into the work of one input when it runs past its time budget
    (``accord.budget.time_limit``). A BaseException, as KeyboardInterrupt is,
    so that a stage's own ``except Exception`` cannot swallow it and go on
    past the budget; the runner's guard (``runner.attempt``) turns it into
    that input's skip."""

    def __init__(self, seconds: float | None = None) -> None:
        # Raised asynchronously into a thread it is made without arguments.
        self.seconds = seconds
        super().__init__("over its time budget" if seconds is None else f"took over {seconds:g} s")
