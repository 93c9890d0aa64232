"""The ``accord`` command.

Exit status: 0 all inputs read; 1 done, but some inputs were skipped (listed on
stderr and under ``skipped``); 2 a usage error; 3 no input could be read.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import ContextManager, Sequence, TextIO

from accord import __version__
from accord.errors import AccordError, UsageError
from accord.executors import EXECUTORS, make_executor
from accord.ingest import Reading
from accord.model import Skipped
from accord.pipeline import Batch, Dossier, Progress, Reject, analyze, dossier, dossiers, ingest
from accord.settings import DEFAULT
from accord.store import Store

__all__ = ["main"]

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
_BAR = 30  # characters of the progress bar
_MAX_EVERY = 7 * 24 * 3600.0  # a week between polls; more is no watching (and overflows time.sleep)
_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Cross-check news reports: a cited dossier of facts, quotations, corroboration and conflicts.",
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    helps = {
        "dossier": ("the dossier of the story the reports tell (.json, .md or .html by OUT's suffix; '-' = JSON on "
                    "stdout); with -o DIR/ one dossier per story and an index (index.html, index.json)"),
        "ingest": "clean documents with metadata and repairs, one JSON object a line",
        "analyze": "as ingest, plus entities, quotes, quantities, times and claims per document",
    }
    path_help = "file, folder, glob, URL, or - for standard input"
    for name, text in helps.items():
        command = commands.add_parser(name, help=text, description=text)
        # With --store/--story the dossier needs no PATH.
        command.add_argument("paths", nargs="*" if name == "dossier" else "+", metavar="PATH", help=path_help)
        command.add_argument("-o", "--output", metavar="OUT", default="-", help="where to write (default: standard output)")
        command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
        _executor_options(command)
        _reading_options(command)
        if name == "dossier":
            command.add_argument("--store", metavar="FILE", help="read and keep documents and analyses in this store")
            command.add_argument("--story", metavar="ID",
                                 help="the dossier of this story (of the store with --store, else of the reports)")
            command.add_argument("--one-story", action="store_true",
                                 help="take every report as one story: one dossier, without grouping")
            command.add_argument("--format", choices=("html", "json", "markdown"), default=None,
                                 help="format of the dossiers (default: by OUT's suffix; html for -o DIR/)")
    text = "group documents into stories, with each story's documents and its counts of facts and conflicts"
    command = commands.add_parser("stories", help=text, description=text)
    command.add_argument("paths", nargs="*", metavar="PATH", help=path_help + " (none: every story of --store)")
    command.add_argument("-o", "--output", metavar="OUT", default="-", help="where to write the JSON (default: standard output)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
    command.add_argument("--store", metavar="FILE", help="keep documents, analyses and stories in this store (created when missing)")
    _reading_options(command)
    text = ("an archive through the pipeline in shards: analyses, stories and one dossier per story under --out DIR "
            "(re-running after a kill finishes the rest), or into a store (--store FILE)")
    command = commands.add_parser("run", help=text, description=text)
    command.add_argument("paths", nargs="+", metavar="PATH", help=path_help + "; WARC and JSON Lines hold many")
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="DIR", help="the folder to write shards, stories, dossiers and index.json to")
    target.add_argument("--store", metavar="FILE", help="add the documents to this store instead (created when missing)")
    command.add_argument("--shard-size", metavar="N", type=int, default=None,
                         help=f"documents per shard (default {DEFAULT.shard_documents})")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
    _executor_options(command, default="pool")
    text = "poll RSS/Atom feeds, add new items to a store and update their stories, until Ctrl-C"
    command = commands.add_parser("watch", help=text, description=text)
    command.add_argument("feeds", nargs="+", metavar="FEED", help="feed URL or file")
    command.add_argument("--store", metavar="FILE", required=True, help="the store to add items to (created when missing)")
    command.add_argument("--every", metavar="SECONDS", type=float, default=300.0, help="seconds between polls (default 300)")
    command.add_argument("--max-polls", metavar="N", type=int, default=None, help="stop after N polls (default: never)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
    text = "a local web app over a store: stories, dossiers, documents, feeds and a JSON API"
    command = commands.add_parser("serve", help=text, description=text)
    command.add_argument("--store", metavar="FILE", required=True, help="the store to show")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    command.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    command.add_argument("--writable", action="store_true", help="cache the dossiers it makes in the store (default: read only)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
    return parser


def _reading_options(command: argparse.ArgumentParser) -> None:
    """The options that say how to read inputs and what they are."""
    group = command.add_argument_group("what the inputs are")
    group.add_argument("--fields", metavar="MAP", help="where JSON records keep each field: "
                       "text=news.*.body,title=news.*.headline,... (* makes one article per member) or a JSON file")
    group.add_argument("--outlet", help="the outlet of every input (wins over what the input says)")
    group.add_argument("--date", metavar="YYYY-MM-DD", help="the publication date of every input")
    group.add_argument("--url", help="the URL of every input")
    group.add_argument("--title", help="the title of every input")
    group.add_argument("--manifest", metavar="FILE", help="CSV or JSON Lines: path, outlet, date, url, title, authors per input")
    group.add_argument("--outlets", metavar="FILE", help="a CSV or JSON file of outlets (site, name, owner, country, kind, "
                       "aliases) that extends or overrides the shipped registry (default: $ACCORD_OUTLETS)")


def _reading(args: argparse.Namespace) -> Reading:
    return Reading.from_options(fields=args.fields, outlet=args.outlet, published=args.date, url=args.url,
                                title=args.title, manifest=args.manifest, outlets=args.outlets)


def _executor_options(command: argparse.ArgumentParser, default: str = "inprocess, or pool from "
                      f"{DEFAULT.pool_from} documents") -> None:
    command.add_argument("--executor", choices=EXECUTORS, default=None,
                         help=f"where documents are analysed (default: {default})")
    command.add_argument("--workers", metavar="N", type=int, default=None,
                         help="worker processes of the pool or of a local Dask cluster (default: the cores)")
    command.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="a running Dask scheduler to use (tcp://host:8786); implies --executor dask")
    command.add_argument("-v", "--verbose", action="store_true",
                         help="show the traceback of every input skipped for an internal error")


def _runner(args: argparse.Namespace, documents: int | None = None):  # type: ignore[no-untyped-def]
    """The executor the options ask for; by the count of documents when none
    is named."""
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers takes a count of 1 or more, not {args.workers}")
    return make_executor(args.executor, workers=args.workers, scheduler=args.scheduler, documents=documents,
                         pool_from=DEFAULT.pool_from)


def _analyzed(args: argparse.Namespace, progress: Progress) -> Batch:
    """The analysed documents of the PATHs: on the executor asked for, else
    read here and analysed here or in a pool by their number."""
    reading = _reading(args)
    if args.executor is not None or args.scheduler is not None:
        with _runner(args) as runner:
            return analyze(args.paths, executor=runner, progress=progress, reading=reading)
    batch = ingest(args.paths, progress=progress, reading=reading)
    if not batch.documents:
        return batch
    with _runner(args, len(batch.documents)) as runner:
        return analyze(batch, executor=runner, progress=progress)


def _report_rejects(rejects: list[Reject], verbose: bool) -> None:
    """Tracebacks of internal errors with -v; otherwise a hint that they exist."""
    if not rejects:
        return
    if verbose:
        for reject in rejects:
            print(f"accord: {reject.source}: {reject.reason}\n{reject.traceback}", file=sys.stderr)
    else:
        print(f"accord: {len(rejects)} input(s) failed inside accord; -v shows the tracebacks", file=sys.stderr)


def _progress(enabled: bool) -> Progress:
    """Progress on stderr when it is a terminal; nothing when piped."""
    if not enabled or not sys.stderr.isatty():
        return lambda stage, done, total: None

    def show(stage: str, done: int, total: int | None) -> None:
        if total:
            filled = min(_BAR, _BAR * done // total)
            counter = f" [{'#' * filled}{'.' * (_BAR - filled)}] {done}/{total}"
        else:
            counter = f" {done}" if done else ""
        sys.stderr.write(f"\r\033[Kaccord: {stage}{counter}")
        sys.stderr.flush()

    return show


def _open(output: str) -> ContextManager[TextIO]:
    if output == "-":
        return nullcontext(sys.stdout)
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8")


def _report_skipped(batch: Batch) -> None:
    for skipped in batch.skipped:
        print(f"accord: skipped {skipped.source}: {skipped.reason}", file=sys.stderr)


def _status(batch: Batch) -> int:
    if not batch.documents:
        return EXIT_NOTHING
    return EXIT_SKIPPED if batch.skipped else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. Whatever stops it short
    (an output that cannot be written, a store that cannot be, Ctrl-C) ends
    it with one line on stderr, never a traceback."""
    args = _parser().parse_args(argv)
    progress = _progress(not args.quiet)
    output = getattr(args, "output", "-")
    try:
        _check_output(output, args.command)
        status = _command(args, progress)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except UsageError as error:
        print(f"accord: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Everything written or committed before stays; nothing is rolled back.
        print("accord: interrupted; what was written before stays", file=sys.stderr)
        return EXIT_INTERRUPTED
    except sqlite3.Error as error:
        print(f"accord: the store cannot be used: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        where = "standard output" if output == "-" else output
        print(f"accord: cannot write {where}: {error.strerror or error}", file=sys.stderr)
        if output == "-":
            _silence_stdout()
        return EXIT_USAGE
    finally:
        if sys.stderr.isatty() and not args.quiet:
            sys.stderr.write("\r\033[K")


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit
    does not fail a second time on a full disk or a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def _check_output(output: str, command: str) -> None:
    """Refuse, before any work, an output that cannot be written: standard
    output closed, a folder, a path under a file, a place without write
    permission. Raises UsageError."""
    if output == "-":
        if sys.stdout is None:
            raise UsageError("standard output is closed: give a file with -o OUT")
        return
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error} (its folder cannot be made)") from None
    if path.is_dir():
        raise UsageError(f"cannot write {output}: it is a folder")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"cannot write {output}: permission denied")


def _command(args: argparse.Namespace, progress: Progress) -> int:
    """Run the command the arguments name."""
    try:
        if args.command == "dossier":
            if args.store:
                return _stored_dossier(args.paths, args.output, args.store, args.story, progress, _reading(args),
                                       args.format)
            if not args.paths:
                raise UsageError("give the reports (PATH...), or a story of a store: --store FILE --story ID")
            return _dossier(args, progress)
        if args.command == "stories":
            return _stories(args.paths, args.output, args.store, progress, _reading(args))
        if args.command == "watch":
            return _watch(args.feeds, args.store, args.every, args.max_polls, progress)
        if args.command == "run":
            return _archive(args, progress)
        if args.command == "serve":
            return _serve(args.store, args.host, args.port, args.writable)
        return _documents(args, progress)
    except UsageError as error:
        print(f"accord: {error}", file=sys.stderr)
        return EXIT_USAGE
    except AccordError as error:
        print(f"accord: {error}", file=sys.stderr)
        return EXIT_NOTHING


def _dossier(args: argparse.Namespace, progress: Progress) -> int:
    """``dossier PATH...``: the reports grouped into stories first; one
    dossier per story under ``-o DIR/`` (with index.html and index.json), else
    the one story's dossier (``--story ID`` chooses one, ``--one-story`` takes
    every report as one story). Several stories to one file is a usage error,
    found before any analysis."""
    from accord.group import group_stories
    from accord.pipeline import several_stories

    output = args.output
    folder = _is_folder(output)
    fmt = args.format or ("html" if folder else _dossier_format(output))
    batch = ingest(args.paths, progress=progress, reading=_reading(args))
    _report_skipped(batch)
    if not batch.documents:
        print("accord: no input could be read; no dossier written", file=sys.stderr)
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
        _report_skipped(Batch(skipped=analysed.skipped[len(batch.skipped):]))
        _report_rejects(analysed.rejects, args.verbose)
        if not analysed.documents:
            print("accord: no input could be read; no dossier written", file=sys.stderr)
            return EXIT_NOTHING
        if args.one_story or (len(stories) == 1 and not folder):
            made = [dossier(analysed, progress=progress)]
        else:
            made = dossiers(analysed, executor=runner, progress=progress)
            if args.story is not None:
                made = [d for d in made if d.story.id == args.story]
    if folder:
        _write_folder(made, analysed, fmt, Path(output))
    else:
        made[0].skipped = list(analysed.skipped)
        _write_dossier(made[0], fmt, output)
    return _status(analysed)


def _is_folder(output: str) -> bool:
    """Whether ``-o`` names a folder: it ends with a slash or is one already."""
    return output != "-" and (output.endswith(("/", os.sep)) or Path(output).is_dir())


_SUFFIXES = {"html": ".html", "json": ".json", "markdown": ".md"}


def _write_folder(made: list[Dossier], batch: Batch, fmt: str, folder: Path) -> None:
    """One dossier file per story (``s1.html``...), then ``index.json`` and
    ``index.html`` listing them."""
    from accord.pipeline import stories_index
    from accord.render import to_index_html

    folder.mkdir(parents=True, exist_ok=True)
    files = [f"{d.story.id}{_SUFFIXES[fmt]}" for d in made]
    for result, name in zip(made, files):
        rendered = {"json": result.to_json, "markdown": result.to_markdown, "html": result.to_html}[fmt]()
        (folder / name).write_text(rendered if rendered.endswith("\n") else rendered + "\n", encoding="utf-8")
    index = stories_index(made, files, skipped=batch.skipped)
    (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "index.html").write_text(to_index_html(index), encoding="utf-8")
    print(f"accord: wrote {len(made)} dossiers and the index to {folder}{os.sep} ({len(batch.documents)} documents, "
          f"{len(batch.skipped)} skipped)", file=sys.stderr)


def _dossier_format(output: str) -> str:
    fmt = "json" if output == "-" else _FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {output!r}: give it a suffix .json, .md or .html, '-' for JSON "
                         "on stdout, or a folder (-o DIR/) for one dossier per story")
    return fmt


def _write_dossier(result: Dossier, fmt: str, output: str) -> None:
    rendered = {"json": result.to_json, "markdown": result.to_markdown, "html": result.to_html}[fmt]()
    with _open(output) as stream:
        stream.write(rendered)
        if not rendered.endswith("\n"):
            stream.write("\n")
    if output != "-":
        print(f"accord: wrote {output} ({len(result.documents)} documents, {len(result.facts)} facts, "
              f"{len(result.conflicts)} conflicts, {len(result.skipped)} skipped)", file=sys.stderr)


def _stored_dossier(
    paths: list[str], output: str, store_path: str | None, story: str | None, progress: Progress, reading: Reading,
    fmt: str | None = None,
) -> int:
    """``dossier --store FILE [--story ID] [PATH...]``: the dossier of a stored
    story (after adding PATHs, if any), or of the PATHs' documents with their
    analyses taken from (and kept in) the store."""
    fmt = fmt or _dossier_format(output)
    if store_path is None:
        raise UsageError("--story needs --store FILE: the store that holds the story")
    if story is None and not paths:
        raise UsageError("give the reports (PATH...) or a story (--story ID) of the store")
    with Store.open(store_path) as store:
        skipped: list[Skipped] = []
        documents: list[str] = []
        if paths:
            summary = store.add(paths, progress=progress, reading=reading)
            skipped, documents = summary.skipped, summary.documents
            _report_skipped(Batch(skipped=skipped))
            if not documents and story is None:
                print("accord: no input could be read; no dossier written", file=sys.stderr)
                return EXIT_NOTHING
        progress("dossier", 0, None)
        if story is not None:
            result = store.dossier(story)
        else:
            batch = store.batch_of(documents)
            result = dossier(batch, progress=progress)
        result.skipped = skipped
    _write_dossier(result, fmt, output)
    return EXIT_SKIPPED if skipped else EXIT_OK


def _story_listing(store: Store, documents: list[str] | None, progress: Progress) -> list[dict]:
    """The stories (all, or those holding the given documents) as ``accord
    stories`` writes them, counts taken from each story's (cached) dossier."""
    stories = store.stories(documents)
    listing = []
    for n, story in enumerate(stories, 1):
        progress("dossiers", n, len(stories))
        members = store.documents(story.documents)
        listing.append({
            "id": story.id,
            "title": story.title,
            "first_published": story.first_published,
            "last_published": story.last_published,
            "outlets": sorted({d.outlet for d in members if d.outlet}),
            "documents": [
                {"id": d.id, "source": d.source, "outlet": d.outlet, "title": d.title, "published": d.published}
                for d in members
            ],
            "counts": store.counts(story.id),
        })
    return listing


def _stories(paths: list[str], output: str, store_path: str | None, progress: Progress, reading: Reading) -> int:
    if not paths and store_path is None:
        raise UsageError("give the reports (PATH...), or a store to list (--store FILE)")
    # Without --store the documents live in a store in memory for this run.
    with Store.open(store_path or ":memory:") as store:
        skipped: list[Skipped] = []
        documents: list[str] | None = None
        if paths:
            summary = store.add(paths, progress=progress, reading=reading)
            skipped, documents = summary.skipped, summary.documents
            _report_skipped(Batch(skipped=skipped))
            if not documents:
                print("accord: no input could be read; no stories written", file=sys.stderr)
                return EXIT_NOTHING
        listing = _story_listing(store, documents, progress)
    with _open(output) as stream:
        stream.write(json.dumps({"stories": listing, "skipped": [s.to_dict() for s in skipped]},
                                ensure_ascii=False, indent=2) + "\n")
    if output != "-":
        print(f"accord: wrote {output} ({len(listing)} stories, {len(skipped)} skipped)", file=sys.stderr)
    return EXIT_SKIPPED if skipped else EXIT_OK


def _watch(feeds: list[str], store_path: str, every: float, max_polls: int | None, progress: Progress) -> int:
    from accord.watch import Poll, watch

    if not (0 <= every <= _MAX_EVERY and math.isfinite(every)) or (max_polls is not None and max_polls < 1):
        raise UsageError(f"--every takes seconds (0 to {_MAX_EVERY:g}) and --max-polls a count of 1 or more")
    if sys.stdout is None:
        raise UsageError("standard output is closed: watch prints a line per poll there")

    def report(poll: Poll) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # the progress line goes; the poll's line stays
        print(poll.line(), flush=True)

    def warn(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with Store.open(store_path) as store:
        try:
            watch(feeds, store, every=every, max_polls=max_polls, report=report, warn=warn)
        except KeyboardInterrupt:
            # Every document is committed as it is added: nothing to save.
            print(f"accord: stopped; the store {store_path} holds {len(store)} documents", file=sys.stderr)
    return EXIT_OK


def _archive(args: argparse.Namespace, progress: Progress) -> int:
    """``accord run``: an archive in shards, on the executor asked for."""
    from accord.archive import run

    if args.shard_size is not None and args.shard_size < 1:
        raise UsageError(f"--shard-size takes a count of 1 or more, not {args.shard_size}")
    with _runner(args) as runner:
        summary = run(args.paths, out=args.out, store=args.store, executor=runner,
                      shard_size=args.shard_size, progress=progress)
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    for skipped in summary.skipped:
        print(f"accord: skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
    _report_rejects(summary.rejects, args.verbose)
    where = args.out or args.store
    rate = summary.processed / summary.seconds if summary.seconds else 0.0
    shards = ("" if args.store else f"{summary.shards} shards ({summary.shards_done_before} done before), "
              f"{summary.dossiers_made} dossiers made; ")
    print(f"accord: {summary.counts.line()}; {shards}{rate:.1f} documents/s; in {where}", file=sys.stderr)
    if not summary.counts.read:
        return EXIT_NOTHING
    return EXIT_SKIPPED if summary.skipped else EXIT_OK


def _documents(args: argparse.Namespace, progress: Progress) -> int:
    if args.command == "analyze":
        batch = _analyzed(args, progress)
        records = [a.to_dict() for a in batch.analyses]
    else:
        with _runner(args, 0 if args.executor is None else None) as runner:
            batch = ingest(args.paths, executor=runner, progress=progress, reading=_reading(args))
        records = [d.to_dict() for d in batch.documents]
    _report_skipped(batch)
    _report_rejects(batch.rejects, args.verbose)
    with _open(args.output) as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        # What could not be read stays in the output, one line each.
        for skipped in batch.skipped:
            stream.write(json.dumps({"skipped": True, **skipped.to_dict()}, ensure_ascii=False) + "\n")
    return _status(batch)


if __name__ == "__main__":
    sys.exit(main())


def _serve(store_path: str, host: str, port: int, writable: bool) -> int:
    from accord.serve import create_app

    app = create_app(store_path, writable=writable)
    print(f"accord: serving {store_path} at http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    try:
        app.run(host=host, port=port, threaded=True)
    except KeyboardInterrupt:
        pass
    return EXIT_OK
