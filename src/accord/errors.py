"""One error hierarchy for accord.

    AccordError
    ├── InputError        an input could not be read (the batch goes on)
    └── UsageError        the caller asked for something accord cannot do
"""

from __future__ import annotations

__all__ = ["AccordError", "InputError", "UsageError"]


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
