"""accord cross-checks the news: given many reports of the same events, it
returns a dossier of what happened, who said what, which facts independent
sources confirm, where outlets disagree, and how coverage differs, with every
sentence pointing at the characters it came from.

    >>> import accord
    >>> d = accord.dossier(["reports/"])
    >>> d.to_html()
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from accord.errors import AccordError, InputError, UsageError
from accord.model import Article, Document, Skipped, Span
from accord.pipeline import Batch, Dossier, analyze, dossier, ingest
from accord.store import Store, stories

try:
    __version__ = version("accord")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "AccordError",
    "Article",
    "Batch",
    "Document",
    "Dossier",
    "InputError",
    "Skipped",
    "Span",
    "Store",
    "UsageError",
    "__version__",
    "analyze",
    "dossier",
    "ingest",
    "stories",
]
