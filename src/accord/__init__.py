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

The public names are loaded when first used (PEP 562), so ``import accord``
and ``accord --version`` do not load spaCy.
"""

import importlib as _importlib
import sys as _sys
import types as _types
#: Each public name and the module that defines it.
_HOMES = {
    "AccordError": "accord.errors",
    "Article": "accord.model",
    "Batch": "accord.pipeline",
    "DaskExecutor": "accord.executors",
    "Document": "accord.model",
    "Dossier": "accord.pipeline",
    "Executor": "accord.executors",
    "InProcessExecutor": "accord.executors",
    "InputError": "accord.errors",
    "PoolExecutor": "accord.executors",
    "RunSummary": "accord.archive",
    "Settings": "accord.settings",
    "Skipped": "accord.model",
    "Span": "accord.model",
    "Store": "accord.store",
    "UsageError": "accord.errors",
    "dossier": "accord.pipeline",
    "dossiers": "accord.pipeline",
    "run": "accord.archive",
    "stories": "accord.store",
}
#: Names that are both a stage subpackage and a pipeline function.
_STAGES = ("analyze", "ingest")

__all__ = sorted([*_HOMES, *_STAGES, "__version__"])


class _StageModule(_types.ModuleType):
    """A stage subpackage that can also be called: ``accord.analyze(items)``
    runs the pipeline function of the same name (``accord.pipeline.analyze``),
    so the public function and the subpackage are one object and neither
    shadows the other."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        from accord import pipeline

        return getattr(pipeline, self.__name__.rpartition(".")[2])(*args, **kwargs)


class _Package(_types.ModuleType):
    """This package's module: a stage subpackage bound to it, however it was
    imported (``import accord.analyze`` binds it without asking
    ``__getattr__``), becomes callable."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _STAGES and type(value) is _types.ModuleType:
            value.__class__ = _StageModule
        super().__setattr__(name, value)


def __getattr__(name: str) -> object:
    """Load a public name on first use and keep it (PEP 562)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("accord")
        except PackageNotFoundError:  # running from a source tree that is not installed
            value = "0.0.0"
        globals()[name] = value
        return value
    if name in _STAGES:
        return _importlib.import_module(f"accord.{name}")  # binding it goes through _Package
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


_sys.modules[__name__].__class__ = _Package
