"""The ``accord`` command, on click.

Exit status: 0 all inputs read; 1 done, but some inputs were skipped (listed on
stderr and under ``skipped``); 2 a usage error (click's own included), an
output, log file or store that cannot be used; 3 no input could be read; 70 an
internal error (a bug: one line, the traceback with ``-v`` or in the log file);
130 interrupted (Ctrl-C).

Nothing heavy is imported at module level: ``accord --version`` and
``accord --help`` load neither spaCy nor the pipeline; each command imports
what it needs when it runs.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shlex
import sqlite3
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Sequence, TextIO

import click

import accord
from accord.errors import AccordError, UsageError
from accord.model import Skipped
from accord.settings import DEFAULT

if TYPE_CHECKING:
    from accord.ingest import Reading
    from accord.pipeline import Batch, Dossier, Reject
    from accord.store import Store

__all__ = ["main"]

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: a bug in accord, not in the input
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXECUTORS = ("inprocess", "pool", "dask")  # accord.executors.EXECUTORS (a test checks), without importing it
_MAX_EVERY = 7 * 24 * 3600.0  # a week between polls; more is no watching (and overflows time.sleep)
_DOSSIER_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_DOCUMENT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
_STORIES_FORMATS = {".json": "json"}
_SUFFIXES = {"html": ".html", "json": ".json", "markdown": ".md"}

log = logging.getLogger("accord")


# --------------------------------------------------------------------------- progress and messages


# The shapes of the bar: with a total (percentage, ETA), with a count, and a
# stage that counts nothing (compare, synthesize). Rates are always units a
# second ("0.85 docs/s"), never tqdm's inverse ("1.17s/ docs").
_TOTAL = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}]"
_COUNT = "{desc}: {n_fmt}{unit} [{elapsed}, {rate_noinv_fmt}]"
_CLOCK = "{desc} [{elapsed}]"


class Display:
    """The terminal side of a run: the pipeline's ``Progress`` callback
    (``display(stage, done, total)``) drawn as a tqdm bar on stderr, with
    rate and, where the total is known, ETA; and the lines written around it,
    which clear the bar first so that no line is glued to it. Shows nothing
    when asked to be quiet or when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and _isatty(sys.stderr)
        self._bar: Any = None
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self._bar
        # A stage that counts afresh (its count went back, or its total
        # changed) gets a bar of its own; one that goes on counting (an
        # archive's shards) keeps the bar, its rate and its clock.
        if bar is None or (stage != self._stage and (done < bar.n or total != bar.total)):
            self.close()
            unit = " dossiers" if stage == "dossiers" else " docs"
            shape = _TOTAL if total else (_COUNT if done > 0 else _CLOCK)
            bar = self._bar = tqdm(total=total or None, initial=max(done, 0), desc=f"accord: {stage}", unit=unit,
                                   bar_format=shape, leave=False, file=sys.stderr, dynamic_ncols=True,
                                   mininterval=0.2)
        elif stage != self._stage:
            bar.set_description_str(f"accord: {stage}", refresh=False)
        self._stage = stage
        if done > 0 and bar.bar_format == _CLOCK:  # a stage that began without a count has one now
            bar.bar_format = _COUNT
        if done > bar.n:
            bar.update(done - bar.n)
        elif done < bar.n:
            bar.n = done
            bar.refresh()

    def write(self, line: str, stream: TextIO | None = None) -> None:
        """One line on ``stream`` (stderr by default) with the bar cleared
        before and drawn again after."""
        stream = stream or sys.stderr
        if self._bar is not None:
            from tqdm import tqdm

            tqdm.write(line, file=stream)
            stream.flush()
        else:
            print(line, file=stream, flush=True)

    def close(self) -> None:
        """Clear the bar from the terminal."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._stage = None


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, AttributeError):  # closed, or a stand-in without isatty
        return False


class _Console(logging.Handler):
    """Messages for a person on stderr, ``accord: ...`` one line each (a
    traceback only with -v), written around the progress bar."""

    def __init__(self, display: Display, verbose: bool) -> None:
        super().__init__(logging.DEBUG if verbose else logging.INFO)
        self.display, self.verbose = display, verbose

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"accord: {record.getMessage()}"
            if self.verbose and record.exc_info:
                line += "\n" + logging.Formatter().formatException(record.exc_info).rstrip("\n")
            self.display.write(line)
        except Exception:  # noqa: BLE001 - a message must never end the run
            self.handleError(record)


class _LogFile(logging.FileHandler):
    """A log file that, when it cannot be written (a full disk, /dev/full),
    says so in one line on stderr and is written no more: no traceback per
    message (issue 25: four of them)."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self._give_up(sys.exc_info()[1])

    def _give_up(self, error: BaseException | None) -> None:
        if self.failed:
            return
        self.failed = True
        reason = getattr(error, "strerror", None) or error
        sys.stderr.write(f"accord: cannot write the log file {self.baseFilename}: {reason}; it is written no more\n")
        # What is still buffered goes nowhere, so that closing the file (at
        # exit too) does not fail again.
        try:
            if self.stream is None:
                return
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, AttributeError, ValueError):
            pass

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as error:
            self._give_up(error)


def _open_log(path: str) -> logging.Handler:
    """A handler that appends every message, DEBUG up, with its time, to
    ``path``; a file that cannot be opened is a usage error, before work."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handler = _LogFile(path, mode="a", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the log file {path}: {error.strerror or error}") from None
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


# --------------------------------------------------------------------------- running a command


def _execute(name: str, args: SimpleNamespace, body: Callable[[SimpleNamespace, Display], int]) -> int:
    """Run one command's ``body`` with its messages, log file and progress
    set up, and turn whatever stops it short into one line and a status:
    a usage error or an output that cannot be written (2), Ctrl-C (130), an
    internal error (70, its traceback with -v and in the log file)."""
    display = Display(not args.quiet)
    console = _Console(display, args.verbose)
    handlers: list[logging.Handler] = [console]
    previous = (log.level, log.propagate)
    log.setLevel(logging.DEBUG)
    log.propagate = False  # our lines are for the terminal and the log file, not a host's root logger
    log.addHandler(console)
    # Only accord's own lines reach the terminal unless -v: without a
    # handler on the root logger, Python's last-resort handler would print
    # every third-party warning (trafilatura's "parsed tree length: 0").
    quiet_root = None if args.verbose else logging.NullHandler()
    if quiet_root is not None:
        logging.getLogger().addHandler(quiet_root)
    output = getattr(args, "output", "-")
    status = EXIT_INTERNAL
    try:
        if args.log_file:
            handlers.append(_open_log(args.log_file))
            log.addHandler(handlers[-1])
            log.debug("accord %s: accord %s", accord.__version__, shlex.join(args.argv))
        status = body(args, display)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except UsageError as error:
        log.error("%s", error)
        status = EXIT_USAGE
    except KeyboardInterrupt:
        # Everything written or committed before stays; nothing is rolled back.
        display.close()
        log.error("interrupted")
        status = EXIT_INTERRUPTED
    except sqlite3.Error as error:
        log.error("the store cannot be used: %s", error)
        status = EXIT_USAGE
    except AccordError as error:
        log.error("%s", error)
        status = EXIT_NOTHING
    except OSError as error:
        where = "standard output" if output == "-" else output
        log.error("cannot write %s: %s", where, error.strerror or error)
        if output == "-":
            _silence_stdout()
        status = EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - a bug: one line here, the traceback with -v and in the log
        log.error("internal error: %s: %s (a bug in accord; %s)", type(error).__name__, " ".join(str(error).split()),
                  "the traceback follows" if args.verbose else "-v or --log-file FILE shows the traceback",
                  exc_info=True)
        status = EXIT_INTERNAL
    finally:
        display.close()
        log.debug("exit status %d", status)
        for handler in handlers:
            log.removeHandler(handler)
            handler.close()
        log.setLevel(previous[0])
        log.propagate = previous[1]
        if quiet_root is not None:
            logging.getLogger().removeHandler(quiet_root)
    return status


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit
    does not fail a second time on a full disk or a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Output:
    """Where a command writes, in which format, compressed or not; made and
    checked before any work."""

    path: str
    format: str
    compressed: bool = False

    def open(self) -> ContextManager[TextIO]:
        if self.path == "-":
            return nullcontext(sys.stdout)
        from accord.outputs import atomic_open

        # Written beside the target and renamed over it when complete: a full
        # disk or a crash leaves the old file whole (issue 25).
        return atomic_open(self.path, compressed=self.compressed)


def _output(output: str, formats: dict[str, str], default: str | None, chosen: str | None, what: str,
            inputs: Sequence[Any] = ()) -> Output:
    """The output ``-o`` names: its format from ``--format``, else from its
    suffix (``.gz`` after it compresses), else ``default``; a suffix the
    command cannot write, or a place that cannot be written, is a usage
    error raised before any work. ``what`` names the suffixes for a person
    (".json, .md or .html")."""
    if output == "-":
        if sys.stdout is None:
            raise UsageError("standard output is closed: give a file with -o OUT")
        return Output("-", chosen or default or "json")
    name = Path(output).name.lower()
    compressed = name.endswith(".gz")
    suffix = Path(name.removesuffix(".gz")).suffix
    fmt = chosen or formats.get(suffix) or (default if not suffix else None)
    if fmt is None:
        if default is None:  # a dossier: no format goes without saying
            raise UsageError(f"cannot tell the format of {output!r}: give it a suffix {what}, '-' for JSON on "
                             "stdout, or a folder (-o DIR/) for one dossier per story")
        raise UsageError(f"cannot write {output}: give it a suffix {what} (.gz after it compresses), "
                         f"or - for standard output; not {suffix}")
    _check_writable(output)
    from accord.outputs import refuse_input_as_output

    refuse_input_as_output(output, inputs)
    return Output(output, fmt, compressed)


def _check_writable(output: str) -> None:
    """Refuse a file that cannot be written: a folder, a path under a file,
    a place without write permission. Raises UsageError."""
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error} (its folder cannot be made)") from None
    if path.is_dir():
        raise UsageError(f"cannot write {output}: it is a folder")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"cannot write {output}: permission denied")


def _check_folder(folder: str) -> None:
    """Refuse a folder that cannot be written to: a file, a path under a
    file, a place without write permission. Raises UsageError."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise UsageError(f"cannot write to {folder}: it is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot write to {folder}: {error.strerror or error} (the folder cannot be made)") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write to {folder}: permission denied")


def _is_folder(output: str) -> bool:
    """Whether ``-o`` names a folder: it ends with a slash or is one already."""
    return output != "-" and (output.endswith(("/", os.sep)) or Path(output).is_dir())


# --------------------------------------------------------------------------- shared pieces of the commands


def _reading(args: SimpleNamespace) -> Reading:
    from accord.ingest import Reading

    return Reading.from_options(fields=args.fields, outlet=args.outlet, published=args.date, url=args.url,
                                title=args.title, manifest=args.manifest, outlets=args.outlets)


def _runner(args: SimpleNamespace, documents: int | None = None):  # type: ignore[no-untyped-def]
    """The executor the options ask for; by the count of documents when none
    is named."""
    from accord.executors import make_executor

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers takes a count of 1 or more, not {args.workers}")
    return make_executor(args.executor, workers=args.workers, scheduler=args.scheduler, documents=documents,
                         pool_from=DEFAULT.pool_from)


def _analyzed(args: SimpleNamespace, progress: Display) -> Batch:
    """The analysed documents of the PATHs: on the executor asked for, else
    read here and analysed here or in a pool by their number."""
    from accord.pipeline import analyze, ingest

    reading = _reading(args)
    if args.executor is not None or args.scheduler is not None:
        with _runner(args) as runner:
            return analyze(args.paths, executor=runner, progress=progress, reading=reading)
    batch = ingest(args.paths, progress=progress, reading=reading)
    _log_read(batch)
    if not batch.documents:
        return batch
    with _runner(args, len(batch.documents)) as runner:
        return analyze(batch, executor=runner, progress=progress)


def _log_read(batch: Batch) -> None:
    """Each document read, for -v and the log file."""
    for document in batch.documents:
        log.debug("read %s as %s (%s, %d characters)", document.source, document.id,
                  document.outlet or "outlet unknown", len(document.text))


def _report_skipped(skipped: Sequence[Any]) -> None:
    for entry in skipped:
        log.warning("skipped %s: %s", entry.source, entry.reason)


def _report_duplicates(duplicates: Sequence[Any]) -> None:
    """Inputs a store kept once because their bytes are another input's:
    one line each, naming both (nothing the user gave goes unmentioned)."""
    for entry in duplicates:
        log.warning("%s: %s", entry.source, entry.reason)


def _report_rejects(rejects: Sequence[Reject], verbose: bool) -> None:
    """Tracebacks of internal errors with -v and in the log file; otherwise
    a hint that they exist."""
    for reject in rejects:
        log.debug("internal error on %s: %s\n%s", reject.source, reject.reason, str(reject.traceback).rstrip("\n"))
    if rejects and not verbose:
        log.warning("%d input(s) failed inside accord; -v or --log-file FILE shows the tracebacks", len(rejects))


def _status(batch: Batch) -> int:
    if not batch.documents:
        return EXIT_NOTHING
    return EXIT_SKIPPED if batch.skipped else EXIT_OK


# --------------------------------------------------------------------------- dossier


def _dossier_command(args: SimpleNamespace, progress: Display) -> int:
    if args.since is not None and (args.store is None or args.story is None):
        raise UsageError("--since VERSION needs a stored story: --store FILE --story ID")
    if args.store or args.story is not None and not args.paths:
        return _stored_dossier(args, progress)
    if not args.paths:
        raise UsageError("give the reports (PATH...), or a story of a store: --store FILE --story ID")
    return _dossier(args, progress)


def _dossier(args: SimpleNamespace, progress: Display) -> int:
    """``dossier PATH...``: the reports grouped into stories first; one
    dossier per story under ``-o DIR/`` (with index.html and index.json), else
    the one story's dossier (``--story ID`` chooses one, ``--one-story`` takes
    every report as one story). Several stories to one file is a usage error,
    found before any analysis."""
    folder = _is_folder(args.output)
    if folder:
        _check_folder(args.output)
        out = Output(args.output, args.format or "html")
    else:
        out = _output(args.output, _DOSSIER_FORMATS, None, args.format, ".json, .md or .html", args.paths)
    reading = _reading(args)
    from accord.group import group_stories
    from accord.pipeline import analyze, dossier, ingest, several_stories, story_results

    batch = ingest(args.paths, progress=progress, reading=reading)
    _log_read(batch)
    _report_skipped(batch.skipped)
    if not batch.documents:
        log.warning("no input could be read; no dossier written")
        return EXIT_NOTHING
    # Grouping needs only the clean documents: a pile of several stories
    # bound for one file is refused before the costly analysis.
    stories = [] if args.one_story else group_stories(batch.documents)
    if args.story is not None and args.story not in {s.id for s in stories}:
        known = ", ".join(s.id for s in stories) or "none: --one-story does not group"
        raise UsageError(f"--story {args.story}: the reports tell no such story (they tell {known}; see accord stories)")
    if not folder and args.story is None and len(stories) > 1:
        raise UsageError(several_stories(stories))
    with _runner(args, len(batch.documents)) as runner:
        analysed = analyze(batch, executor=runner, progress=progress)
        _report_skipped(analysed.skipped[len(batch.skipped):])
        _report_rejects(analysed.rejects, args.verbose)
        if not analysed.documents:
            log.warning("no input could be read; no dossier written")
            return EXIT_NOTHING
        failed: list[Any] = []
        if args.one_story or (len(stories) == 1 and not folder):
            made = [dossier(analysed, progress=progress)]
        else:
            chosen = [s for s in stories if args.story in (None, s.id)]
            # The stories found before the analysis: the pile is grouped once.
            results = story_results(analysed, chosen, executor=runner, progress=progress)
            made = [r.dossier for r in results if r.dossier is not None]
            failed = [r.failure for r in results if r.failure is not None]
    progress.close()
    if folder:
        _write_folder(made, analysed, out.format, Path(args.output), failed)
    elif not made:
        log.warning("the dossier of story %s could not be made; nothing written", args.story)
        return EXIT_NOTHING
    else:
        made[0].skipped = list(analysed.skipped)
        _write_dossier(made[0], out)
    _write_csv(made, getattr(args, "csv", None))
    status = _status(analysed)
    return EXIT_SKIPPED if failed and status == EXIT_OK else status


def _render(result: Dossier, fmt: str) -> str:
    from accord.runner import render_dossier

    rendered = render_dossier(result, fmt)
    return rendered if rendered.endswith("\n") else rendered + "\n"


def _write_folder(made: list[Dossier], batch: Batch, fmt: str, folder: Path, failed: Sequence[Any] = ()) -> None:
    """One dossier file per story (``s1.html``...), then ``index.json`` and
    ``index.html`` listing them."""
    from accord.pipeline import stories_index
    from accord.render import to_index_html

    from accord.outputs import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    files = [f"{d.story.id}{_SUFFIXES[fmt]}" for d in made]
    for result, name in zip(made, files):
        atomic_write_text(folder / name, _render(result, fmt))
        log.debug("wrote %s (story %s, %s)", folder / name, result.story.id, _count(len(result.documents), "document"))
    index = stories_index(made, files, skipped=batch.skipped, failed=failed)
    atomic_write_text(folder / "index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(folder / "index.html", to_index_html(index))
    log.info("wrote %s and the index to %s%s (%s, %d skipped)", _count(len(made), "dossier"), folder, os.sep,
             _count(len(batch.documents), "document"), len(batch.skipped))


def _write_csv(made: Sequence[Dossier], folder: str | None) -> None:
    """``--csv DIR``: each dossier's tables (facts, quotes, conflicts,
    coverage, statements, documents) as CSV files, in DIR for one story and
    in DIR/<story id>/ for several."""
    if not folder:
        return
    for result in made:
        target = Path(folder) if len(made) == 1 else Path(folder) / result.story.id
        written = result.to_csv(target)
        log.info("wrote %s (%s)", target, _count(len(written), "CSV table"))


def _write_dossier(result: Dossier, out: Output, changes: dict[str, Any] | None = None) -> None:
    """Write the dossier in the output's format; with ``changes`` (``--since``)
    its JSON carries them as ``changes`` and its reports open with a "What
    changed since version N" section."""
    if changes is None:
        rendered = _render(result, out.format)
    else:
        from accord import render

        data = {**result.to_dict(), "changes": changes}
        rendered = {"json": lambda d: json.dumps(d, ensure_ascii=False, indent=2),
                    "markdown": render.to_markdown, "html": render.to_html}[out.format](data)
        rendered = rendered if rendered.endswith("\n") else rendered + "\n"
    with out.open() as stream:
        stream.write(rendered)
    summary = (f"{_count(len(result.documents), 'document')}, {_count(len(result.facts), 'fact')}, "
               f"{_count(len(result.conflicts), 'conflict')}, "
               f"{len(result.skipped)} skipped")
    if out.path != "-":
        log.info("wrote %s (%s)", out.path, summary)
    else:
        log.debug("wrote the dossier to standard output (%s)", summary)


def _count(n: int, word: str, plural: str | None = None) -> str:
    """``1 document``, ``2 documents``: a count with its noun agreeing."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


class _NoStore(AccordError):
    """A reading command was given a store file that does not exist (exit 3)."""


def _existing_store(path: str) -> None:
    """Refuse a store a command only reads when its file does not exist:
    opening it would create an empty store and report on nothing."""
    if path != ":memory:" and not os.path.exists(path):
        raise _NoStore(f"no store at {path} (a store is made by adding reports: accord stories PATH... --store FILE)")


def _stored_dossier(args: SimpleNamespace, progress: Display) -> int:
    """``dossier --store FILE [--story ID] [PATH...]``: the dossier of a stored
    story (after adding PATHs, if any), or of the PATHs' documents with their
    analyses taken from (and kept in) the store."""
    if args.store is None:
        raise UsageError("--story needs --store FILE: the store that holds the story")
    if args.story is None and not args.paths:
        raise UsageError("give the reports (PATH...) or a story (--story ID) of the store")
    out = _output(args.output, _DOSSIER_FORMATS, None, args.format, ".json, .md or .html", args.paths)
    if not args.paths:
        _existing_store(args.store)  # after the output's checks: a usage error is told first
    reading = _reading(args)
    from accord.pipeline import dossier
    from accord.store import Store

    with Store.open(args.store) as store:
        skipped: list[Any] = []
        duplicates: list[Skipped] = []
        documents: list[str] = []
        if args.paths:
            summary = store.add(args.paths, progress=progress, reading=reading)
            skipped, documents = summary.skipped, summary.documents
            _log_added(summary)
            _report_skipped(skipped)
            _report_duplicates(summary.duplicates)
            # The dossier's document list holds each content once: a copy is
            # listed among its skipped inputs, naming what it duplicates.
            duplicates = [Skipped(d.source, d.reason) for d in summary.duplicates]
            if not documents and args.story is None:
                log.warning("no input could be read; no dossier written")
                return EXIT_NOTHING
        progress("dossier", 0, None)
        changes = None
        if args.story is not None:
            if args.since is not None:
                store.dossier_version(args.story, args.since)  # an unknown version is refused before any work
            result = store.dossier(args.story)
            if args.since is not None:
                changes = store.dossier_changes(args.story, args.since, result)
        else:
            result = dossier(store.batch_of(documents), progress=progress)
        result.skipped = [*skipped, *duplicates]
    progress.close()
    _write_dossier(result, out, changes)
    _write_csv([result], getattr(args, "csv", None))
    return EXIT_SKIPPED if skipped else EXIT_OK


def _log_added(summary: Any) -> None:
    """What a store took in, for -v and the log file."""
    log.debug("store: %d new documents (%s), %d known inputs", len(summary.new), ", ".join(summary.new) or "none",
              len(summary.known))


# --------------------------------------------------------------------------- stories, watch, run, serve


def _story_listing(store: Store, documents: list[str] | None, progress: Display,
                   skipped: list[Any]) -> list[dict[str, Any]]:
    """The stories (all, or those holding the given documents) as ``accord
    stories`` writes them, counts taken from each story's (cached) dossier.
    A story whose counts cannot be made because a row it needs is damaged is
    listed without counts, and the row is added to ``skipped`` (named, one
    line); a damaged document stops the listing (DamagedStore, exit 2)."""
    from accord.runner import story_entry
    from accord.store import DamagedStore

    stories = store.stories(documents)
    listing = []
    for n, story in enumerate(stories, 1):
        progress("dossiers", n, len(stories))
        members = store.documents(story.documents)
        try:
            counts: dict[str, int] | None = store.counts(story.id)
        except DamagedStore as error:
            log.warning("story %s is listed without counts: %s", story.id, error)
            skipped.append(Skipped(f"{store.path} ({error.what})", f"damaged store row: {error}"))
            counts = None
        listing.append(story_entry(story, members, counts))
    return listing


def _stories_command(args: SimpleNamespace, progress: Display) -> int:
    if not args.paths and args.store is None:
        raise UsageError("give the reports (PATH...), or a store to list (--store FILE)")
    out = _output(args.output, _STORIES_FORMATS, "json", None, ".json", args.paths)
    if args.store is not None and not args.paths:
        _existing_store(args.store)
    reading = _reading(args)
    duplicates: list[Any] = []  # a store keeps one document of identical inputs: the others are listed
    if args.store is None:
        listing, skipped = _pile_stories(args, reading, progress)
        if listing is None:
            log.warning("no input could be read; no stories written")
            return EXIT_NOTHING
    else:
        from accord.store import Store

        with Store.open(args.store) as store:
            skipped = []
            documents: list[str] | None = None
            if args.paths:
                summary = store.add(args.paths, progress=progress, reading=reading)
                skipped, documents, duplicates = summary.skipped, summary.documents, summary.duplicates
                _log_added(summary)
                _report_skipped(skipped)
                _report_duplicates(duplicates)
                _report_rejects(summary.rejects, args.verbose)
                if not documents:
                    log.warning("no input could be read; no stories written")
                    return EXIT_NOTHING
            skipped = list(skipped)  # the store's damaged rows are added to the inputs skipped
            listing = _story_listing(store, documents, progress, skipped)
    progress.close()
    with out.open() as stream:
        stream.write(json.dumps({"stories": listing, "skipped": [s.to_dict() for s in skipped],
                                 "duplicates": [d.to_dict() for d in duplicates]},
                                ensure_ascii=False, indent=2) + "\n")
    if out.path != "-":
        copies = f", {_count(len(duplicates), 'duplicate')} kept once" if duplicates else ""
        log.info("wrote %s (%s, %d skipped%s)", out.path, _count(len(listing), "story", "stories"), len(skipped), copies)
    return EXIT_SKIPPED if skipped else EXIT_OK


def _pile_stories(args: SimpleNamespace, reading: Reading,
                  progress: Display) -> tuple[list[dict[str, Any]] | None, list[Any]]:
    """``stories PATH...`` without a store: the clean documents grouped (no
    analysis); with ``--counts`` each story's dossier is made for its counts
    of facts and conflicts. None for the listing when nothing could be read."""
    from accord.runner import stories_listing

    listing, batch = stories_listing(args.paths, counts=args.counts, reading=reading, progress=progress,
                                     executor=None if not args.counts else "auto", workers=args.workers)
    _log_read(batch)
    _report_skipped(batch.skipped)
    _report_rejects(batch.rejects, args.verbose)
    return (listing if batch.documents else None), batch.skipped


def _watch_command(args: SimpleNamespace, progress: Display) -> int:
    every, max_polls = args.every, args.max_polls
    if not (0 <= every <= _MAX_EVERY and math.isfinite(every)) or (max_polls is not None and max_polls < 1):
        raise UsageError(f"--every takes seconds (0 to {_MAX_EVERY:g}) and --max-polls a count of 1 or more")
    if sys.stdout is None:
        raise UsageError("standard output is closed: watch prints a line per poll there")
    from accord.store import Store
    from accord.watch import Poll, watch

    def report(poll: Poll) -> None:
        progress.write(poll.line(), sys.stdout)  # the progress bar goes; the poll's line stays
        log.debug("poll: %s", poll.line())
        if args.alert:
            for alert in poll.alerts:  # one JSON line a story that gained a conflict
                progress.write(json.dumps({"alert": "new conflict", **alert}, ensure_ascii=False), sys.stdout)

    def warn(line: str) -> None:
        log.warning("%s", line.removeprefix("accord: "))

    with Store.open(args.store) as store:
        try:
            watch(args.feeds, store, every=every, max_polls=max_polls, report=report, warn=warn,
                  allow_private=args.allow_private)
        except KeyboardInterrupt:
            # Every document is committed as it is added: nothing to save.
            progress.close()
            log.info("stopped; the store %s holds %s", args.store, _count(len(store), "document"))
    return EXIT_OK


def _run_command(args: SimpleNamespace, progress: Display) -> int:
    """``accord run``: an archive in shards, on the executor asked for."""
    if (args.out is None) == (args.store is None):
        raise UsageError("give one of --out DIR (shards, stories and dossiers) or --store FILE")
    if args.shard_size is not None and args.shard_size < 1:
        raise UsageError(f"--shard-size takes a count of 1 or more, not {args.shard_size}")
    if args.out is not None:
        _check_folder(args.out)
    reading = _reading(args)
    from accord.archive import run

    with _runner(args) as runner:
        summary = run(args.paths, out=args.out, store=args.store, executor=runner,
                      shard_size=args.shard_size, progress=progress, reading=reading)
    progress.close()
    _report_skipped(summary.skipped)
    _report_duplicates(summary.duplicates)
    _report_rejects(summary.rejects, args.verbose)
    where = args.out or args.store
    # A rate only when something was processed: "0.0 documents/s" read as a stall.
    rate = (f"{summary.processed / summary.seconds:.1f} documents/s; "
            if summary.processed and summary.seconds else "nothing new to process; ")
    changed = f", {summary.shards_changed} redone: inputs changed" if summary.shards_changed else ""
    shards = ("" if args.store else f"{_count(summary.shards, 'shard')} ({summary.shards_done_before} done before"
              f"{changed}), {_count(summary.dossiers_made, 'dossier')} made; ")
    log.info("%s; %s%sin %s", summary.counts.line(), shards, rate, where)
    if not summary.counts.read:
        return EXIT_NOTHING
    return EXIT_SKIPPED if summary.skipped or summary.failed else EXIT_OK


def _serve_command(args: SimpleNamespace, progress: Display) -> int:
    from accord.serve import create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"--port takes a port number from 1 to 65535, not {args.port}")
    if not args.writable:
        _existing_store(args.store)
    app = create_app(args.store, writable=args.writable, host=args.host, port=args.port,
                     allowed_hosts=tuple(args.allow_host))
    log.info("serving %s at http://%s:%d/ (Ctrl-C stops)", args.store, args.host, args.port)
    if args.writable:
        log.info("writes (POST /api/stories/ID/dossier) need the header X-Accord-Token: %s", app.config["ACCORD_TOKEN"])
    try:
        app.run(host=args.host, port=args.port, threaded=True)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


# --------------------------------------------------------------------------- ingest, analyze


def _documents_command(args: SimpleNamespace, progress: Display) -> int:
    out = _output(args.output, _DOCUMENT_FORMATS, "jsonl", args.format, ".jsonl or .json", args.paths)
    if args.command == "analyze":
        batch = _analyzed(args, progress)
        records = [a.to_dict() for a in batch.analyses]
    else:
        from accord.pipeline import ingest

        reading = _reading(args)
        with _runner(args, 0 if args.executor is None else None) as runner:
            batch = ingest(args.paths, executor=runner, progress=progress, reading=reading)
        _log_read(batch)
        records = [d.to_dict() for d in batch.documents]
    progress.close()
    _report_skipped(batch.skipped)
    _report_rejects(batch.rejects, args.verbose)
    # What could not be read stays in the output, one record each.
    records += [{"skipped": True, **skipped.to_dict()} for skipped in batch.skipped]
    with out.open() as stream:
        if out.format == "json":
            stream.write("[" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "]\n")
        else:
            for record in records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    # As before the log: ingest and analyze list only what they skipped on stderr.
    log.debug("wrote %s (%s, %d skipped)", "standard output" if out.path == "-" else out.path,
              _count(len(batch.documents), "document"), len(batch.skipped))
    return _status(batch)


# --------------------------------------------------------------------------- the click commands

_PATH_HELP = "file, folder, glob, URL, or - for standard input"
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_DATE = "YYYY-MM-DD"


def _examples(*lines: str) -> str:
    """An epilog of examples that click prints as written (``\\b``)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _common(function: Callable[..., Any]) -> Callable[..., Any]:
    """-o is not here (run has --out); these every command takes."""
    for option in reversed([
        click.option("-q", "--quiet", is_flag=True, help="No progress bar on the terminal."),
        click.option("-v", "--verbose", is_flag=True,
                     help="Also each document read and written, and the traceback of every internal error."),
        click.option("--log-file", metavar="FILE", default=None,
                     help="Append a log (what was read, skipped and written, tracebacks of internal errors) to FILE."),
    ]):
        function = option(function)
    return function


def _output_option(text: str) -> Callable[..., Any]:
    return click.option("-o", "--output", metavar="OUT", default="-", show_default=False, help=text)


def _records_output(function: Callable[..., Any]) -> Callable[..., Any]:
    """-o and --format of the commands that write one record per document."""
    function = click.option("--format", "format", type=click.Choice(["jsonl", "json"]), default=None,
                            help="jsonl or json (default: by OUT's suffix, else jsonl).")(function)
    with_output: Callable[..., Any] = _output_option(
        "Where to write: .jsonl (one JSON object a line, the default) or .json (one array) "
        "by its suffix, .gz after it compresses; '-' (default) is standard output.")(function)
    return with_output


def _executor_options(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(function: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed([
            click.option("--executor", type=click.Choice(EXECUTORS), default=None,
                         help=f"Where documents are analysed (default: {default})."),
            click.option("--workers", metavar="N", type=int, default=None,
                         help="Worker processes of the pool or of a local Dask cluster (default: the cores)."),
            click.option("--scheduler", metavar="ADDRESS", default=None,
                         help="A running Dask scheduler to use (tcp://host:8786); implies --executor dask."),
        ]):
            function = option(function)
        return function
    return add


def _reading_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say how to read inputs and what they are."""
    for option in reversed([
        click.option("--fields", metavar="MAP", default=None,
                     help="Where JSON records keep each field: text=news.*.body,title=news.*.headline,... "
                          "(* makes one article per member), or a JSON file of that mapping."),
        click.option("--outlet", default=None, help="The outlet of every input (wins over what the input says)."),
        click.option("--date", metavar=_DATE, default=None, help="The publication date of every input."),
        click.option("--url", default=None, help="The URL of every input."),
        click.option("--title", default=None, help="The title of every input."),
        click.option("--manifest", metavar="FILE", default=None,
                     help="CSV or JSON Lines: path, outlet, date, url, title, authors per input."),
        click.option("--outlets", metavar="FILE", default=None,
                     help="A CSV or JSON file of outlets (site, name, owner, country, kind, aliases, and lean if you have a licensed rating) that extends "
                          "or overrides the shipped registry (default: $ACCORD_OUTLETS)."),
    ]):
        function = option(function)
    return function


def _invoke(name: str, body: Callable[[SimpleNamespace, Display], int]) -> Callable[..., int]:
    """The click callback of command ``name``: its options as one namespace,
    run by ``_execute``."""
    def callback(**options: Any) -> int:
        context = click.get_current_context()
        root = context.find_root().obj or {}
        # -q, -v and --log-file may come before the command too (accord -v dossier ...).
        options["quiet"] = options["quiet"] or root.get("quiet", False)
        options["verbose"] = options["verbose"] or root.get("verbose", False)
        options["log_file"] = options["log_file"] or root.get("log_file")
        args = SimpleNamespace(command=name, argv=list(root.get("argv", [])), **options)
        args.paths = list(getattr(args, "paths", ()))
        if hasattr(args, "feeds"):
            args.feeds = list(args.feeds)
        return _execute(name, args, body)
    callback.__name__ = name
    return callback


def _version(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    """``--version``: the version, read from the installed metadata only now."""
    if value and not context.resilient_parsing:
        click.echo(f"accord {accord.__version__}")
        context.exit()


@click.group(context_settings=_CONTEXT, epilog=_examples(
    "accord dossier examples/darin-river-accord -o dossier.html",
    "accord dossier pile/ -o out/                  # one dossier per story, and index.html",
    "accord stories feeds/ archive.jsonl --store news.db",
    "accord COMMAND --help                         # each command's options and examples",
))
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Print the version and exit.")
@_common
def cli(quiet: bool, verbose: bool, log_file: str | None) -> None:
    """Cross-check news reports: a cited dossier of facts, quotations,
    corroboration and conflicts.

    Exit status: 0 every input read; 1 some inputs skipped; 2 usage error, or
    an output, log file or store that cannot be used; 3 no input could be
    read; 70 internal error; 130 interrupted."""
    context = click.get_current_context()
    context.ensure_object(dict).update(quiet=quiet, verbose=verbose, log_file=log_file)


@cli.command("dossier", context_settings=_CONTEXT, epilog=_examples(
    "accord dossier reports/ -o dossier.html",
    "accord dossier a.html b.txt https://example.org/story -o dossier.md",
    "accord dossier pile/ -o out/ --format json     # one dossier per story, index.html, index.json",
    "accord dossier pile/ --story s2 -o s2.html",
    "accord dossier --store news.db --story s1 -o s1.json",
    "accord dossier --store news.db --story s1 --since 2 -o s1.html   # what changed since version 2",
    "cat report.txt | accord dossier - > dossier.json",
))
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@_output_option("Where to write: .json, .md or .html by its suffix (.gz compresses); '-' (default) is JSON on "
                "stdout; DIR/ writes one dossier per story and an index (index.html, index.json).")
@click.option("--format", "format", type=click.Choice(["html", "json", "markdown"]), default=None,
              help="Format of the dossiers (default: by OUT's suffix; html for -o DIR/).")
@click.option("--store", metavar="FILE", default=None, help="Read and keep documents and analyses in this store.")
@click.option("--story", metavar="ID", default=None,
              help="The dossier of this story (of the store with --store, else of the reports).")
@click.option("--one-story", is_flag=True, help="Take every report as one story: one dossier, without grouping.")
@click.option("--since", metavar="VERSION", type=click.IntRange(min=1), default=None,
              help="With --store and --story: also show what changed since this version of the story's dossier "
                   "(new facts, conflicts and outlets, and what went away).")
@click.option("--csv", "csv", metavar="DIR", default=None,
              help="Also write each dossier's tables (facts, quotes, conflicts, coverage...) as CSV files to DIR.")
@_executor_options(f"inprocess, or pool from {DEFAULT.pool_from} documents")
@_reading_options
@_common
def dossier_command(**options: Any) -> int:
    """The dossier of the story the reports tell.

    PATH is a file, folder, glob, URL, or - for standard input. The reports
    are grouped into stories first: several stories to one file are refused
    (exit 2) before any analysis; -o DIR/, --story ID or --one-story say what
    to write."""
    return _invoke("dossier", _dossier_command)(**options)


@cli.command("ingest", context_settings=_CONTEXT, epilog=_examples(
    "accord ingest reports/ -o documents.jsonl",
    "accord ingest crawl.warc.gz -o documents.jsonl.gz   # compressed",
    "accord ingest page.html --outlet 'Coast Herald' --date 2026-03-05",
))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_records_output
@_executor_options("inprocess")
@_reading_options
@_common
def ingest_command(**options: Any) -> int:
    """Clean documents with metadata and repairs, one JSON object a line.

    PATH is a file, folder, glob, URL, or - for standard input. Inputs that
    cannot be read are listed on stderr and as {"skipped": true, ...}
    records."""
    return _invoke("ingest", _documents_command)(**options)


@cli.command("analyze", context_settings=_CONTEXT, epilog=_examples(
    "accord analyze reports/ -o analyses.jsonl",
    "accord analyze archive.jsonl --executor pool --workers 4 -o analyses.jsonl.gz",
))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_records_output
@_executor_options(f"inprocess, or pool from {DEFAULT.pool_from} documents")
@_reading_options
@_common
def analyze_command(**options: Any) -> int:
    """As ingest, plus entities, quotes, quantities, times and claims per
    document.

    PATH is a file, folder, glob, URL, or - for standard input."""
    return _invoke("analyze", _documents_command)(**options)


@cli.command("stories", context_settings=_CONTEXT, epilog=_examples(
    "accord stories pile/ -o stories.json",
    "accord stories feeds/ archive.jsonl --store news.db",
    "accord stories --store news.db                 # every story of the store",
))
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@_output_option("Where to write the JSON (.json, .json.gz compresses); '-' (default) is standard output.")
@click.option("--store", metavar="FILE", default=None,
              help="Keep documents, analyses and stories in this store (created when missing).")
@click.option("--counts", is_flag=True,
              help="Also count each story's facts and conflicts: analyses every document and makes each "
                   "story's dossier (slower; a store always counts them).")
@click.option("--workers", metavar="N", type=int, default=None,
              help="Worker processes for the analysis of --counts (default: the cores).")
@_reading_options
@_common
def stories_command(**options: Any) -> int:
    """Group documents into stories, with each story's documents (and, with
    --counts or --store, its counts of facts and conflicts).

    PATH is a file, folder, glob, URL, or - for standard input; with no PATH,
    every story of --store. Grouping reads the clean documents only: without
    --counts or --store nothing is analysed."""
    return _invoke("stories", _stories_command)(**options)


@cli.command("run", context_settings=_CONTEXT, epilog=_examples(
    "accord run 'archive/*.warc.gz' export.jsonl --out out/",
    "accord run archive/ --out out/ --executor dask --scheduler tcp://scheduler:8786",
    "accord run archive/ --store news.db --workers 2",
))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--out", metavar="DIR", default=None,
              help="The folder to write shards, stories, dossiers and index.json to.")
@click.option("--store", metavar="FILE", default=None,
              help="Add the documents to this store instead (created when missing).")
@click.option("--shard-size", metavar="N", type=int, default=None,
              help=f"Documents per shard (default {DEFAULT.shard_documents}).")
@_executor_options("pool")
@_reading_options
@_common
def run_command(**options: Any) -> int:
    """An archive through the pipeline in shards: analyses, stories and one
    dossier per story (JSON and HTML) under --out DIR, with index.html
    linking to each (re-running after a kill finishes the rest), or into a
    store (--store FILE).

    PATH is a file, folder, glob, URL, or - for standard input; WARC and JSON
    Lines hold many."""
    return _invoke("run", _run_command)(**options)


@cli.command("watch", context_settings=_CONTEXT, epilog=_examples(
    "accord watch https://example.org/rss.xml --store news.db",
    "accord watch feeds.xml --store news.db --every 60 --max-polls 10",
))
@click.argument("feeds", nargs=-1, required=True, metavar="FEED...")
@click.option("--store", metavar="FILE", required=True, help="The store to add items to (created when missing).")
@click.option("--every", metavar="SECONDS", type=float, default=300.0, show_default=True,
              help="Seconds between polls.")
@click.option("--max-polls", metavar="N", type=int, default=None, help="Stop after N polls (default: never).")
@click.option("--alert", is_flag=True, help="Also print a JSON line when a story gains a conflict.")
@click.option("--allow-private", is_flag=True,
              help="Fetch items' links that lead to this machine or a private network (refused by default).")
@_common
def watch_command(**options: Any) -> int:
    """Poll RSS/Atom feeds, add new items to a store and update their
    stories, until Ctrl-C (exit 0).

    FEED is a feed URL or file. One line a poll on stdout."""
    return _invoke("watch", _watch_command)(**options)


@cli.command("serve", context_settings=_CONTEXT, epilog=_examples(
    "accord serve --store news.db                   # http://127.0.0.1:8765/",
    "accord serve --store news.db --port 9000 --writable",
))
@click.option("--store", metavar="FILE", required=True, help="The store to show.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only).")
@click.option("--port", type=int, default=8765, show_default=True, help="Port.")
@click.option("--writable", is_flag=True, help="Cache the dossiers it makes in the store (default: read only).")
@click.option("--allow-host", metavar="NAME", multiple=True,
              help="Also answer requests whose Host header names NAME (besides the address listened on).")
@_common
def serve_command(**options: Any) -> int:
    """A local web app over a store: stories, dossiers, documents, feeds and
    a JSON API."""
    return _invoke("serve", _serve_command)(**options)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Whatever stops it short
    (a usage error, an output that cannot be written, a store that cannot be,
    Ctrl-C) ends it with one line on stderr, never a traceback."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        status = cli.main(args=arguments, prog_name="accord", standalone_mode=False,
                          obj={"argv": arguments})
    except click.exceptions.ClickException as error:
        # click's own usage errors: one line and status 2, as ours.
        hint = ""
        context = getattr(error, "ctx", None)
        if isinstance(error, click.exceptions.NoArgsIsHelpError):
            error = click.UsageError(f"give a command: {', '.join(cli.commands)}", context)
        if context is not None:
            hint = f" (see {context.command_path} --help)"
        message = " ".join(error.format_message().split())
        click.echo(f"accord: {message[:1].lower()}{message[1:]}{hint}", err=True)
        return EXIT_USAGE
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Ctrl-C while click parses the command line, before a command runs.
        print("accord: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return status if isinstance(status, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
