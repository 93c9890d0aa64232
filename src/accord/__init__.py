"""accord cross-checks the news: given many reports of the same events, it
returns a dossier of what happened, who said what, which facts independent
sources confirm, where outlets disagree, and how coverage differs, with every
sentence pointing at the characters it came from.

    >>> import accord
    >>> d = accord.dossier(["reports/"])
    >>> d.to_html()

``accord.ingest`` and ``accord.analyze`` are both the stage subpackages
(``import accord.analyze`` gives the module, ``accord.analyze.times`` its
parts) and the pipeline functions of the same name: calling the module runs
the pipeline up to that stage (``accord.analyze(items)`` returns a Batch).
"""

import types as _types
from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from accord import analyze, ingest
from accord import pipeline as _pipeline
from accord.archive import RunSummary, run
from accord.errors import AccordError, InputError, UsageError
from accord.executors import DaskExecutor, Executor, InProcessExecutor, PoolExecutor
from accord.model import Article, Document, Skipped, Span
from accord.pipeline import Batch, Dossier, dossier, dossiers
from accord.settings import Settings
from accord.store import Store, stories

try:
    __version__ = _version("accord")
except _PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


class _StageModule(_types.ModuleType):
    """A stage subpackage that can also be called: ``accord.analyze(items)``
    runs the pipeline function of the same name (``accord.pipeline.analyze``),
    so the public function and the subpackage are one object and neither
    shadows the other."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        return getattr(_pipeline, self.__name__.rpartition(".")[2])(*args, **kwargs)


for _stage in (analyze, ingest):
    _stage.__class__ = _StageModule
del _stage

__all__ = [
    "AccordError",
    "Article",
    "Batch",
    "DaskExecutor",
    "Document",
    "Dossier",
    "Executor",
    "InProcessExecutor",
    "InputError",
    "PoolExecutor",
    "RunSummary",
    "Settings",
    "Skipped",
    "Span",
    "Store",
    "UsageError",
    "__version__",
    "analyze",
    "dossier",
    "dossiers",
    "ingest",
    "run",
    "stories",
]
