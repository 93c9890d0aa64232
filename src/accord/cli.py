"""The ``accord`` command.

Exit status: 0 all inputs read; 1 done, but some inputs were skipped (listed on
stderr and under ``skipped``); 2 a usage error; 3 no input could be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import ContextManager, Sequence, TextIO

from accord import __version__
from accord.errors import AccordError, UsageError
from accord.pipeline import Batch, Progress, analyze, dossier, ingest

__all__ = ["main"]

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Cross-check news reports: a cited dossier of facts, quotations, corroboration and conflicts.",
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    helps = {
        "dossier": "the dossier of the story the reports tell (.json, .md or .html by OUT's suffix; '-' = JSON on stdout)",
        "ingest": "clean documents with metadata and repairs, one JSON object a line",
        "analyze": "as ingest, plus entities, quotes, quantities, times and claims per document",
    }
    for name, text in helps.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, glob, URL, or - for standard input")
        command.add_argument("-o", "--output", metavar="OUT", default="-", help="where to write (default: standard output)")
        command.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")
    return parser


def _progress(enabled: bool) -> Progress:
    """Progress on stderr when it is a terminal; nothing when piped."""
    if not enabled or not sys.stderr.isatty():
        return lambda stage, done, total: None

    def show(stage: str, done: int, total: int | None) -> None:
        counter = f" {done}/{total}" if total else (f" {done}" if done else "")
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
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    progress = _progress(not args.quiet)
    try:
        if args.command == "dossier":
            return _dossier(args.paths, args.output, progress)
        return _documents(args.command, args.paths, args.output, progress)
    except UsageError as error:
        print(f"accord: {error}", file=sys.stderr)
        return EXIT_USAGE
    except AccordError as error:
        print(f"accord: {error}", file=sys.stderr)
        return EXIT_NOTHING
    finally:
        if sys.stderr.isatty() and not args.quiet:
            sys.stderr.write("\r\033[K")


def _dossier(paths: list[str], output: str, progress: Progress) -> int:
    fmt = "json" if output == "-" else _FORMATS.get(Path(output).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {output!r}: give it a suffix .json, .md or .html, or '-' for JSON on stdout")
    batch = ingest(paths, progress=progress)
    _report_skipped(batch)
    if not batch.documents:
        print("accord: no input could be read; no dossier written", file=sys.stderr)
        return EXIT_NOTHING
    result = dossier(analyze(batch, progress=progress), progress=progress)
    rendered = {"json": result.to_json, "markdown": result.to_markdown, "html": result.to_html}[fmt]()
    with _open(output) as stream:
        stream.write(rendered)
        if not rendered.endswith("\n"):
            stream.write("\n")
    if output != "-":
        print(f"accord: wrote {output} ({len(batch.documents)} documents, {len(result.facts)} facts, "
              f"{len(result.conflicts)} conflicts, {len(batch.skipped)} skipped)", file=sys.stderr)
    return _status(batch)


def _documents(command: str, paths: list[str], output: str, progress: Progress) -> int:
    batch = ingest(paths, progress=progress)
    _report_skipped(batch)
    if command == "analyze" and batch.documents:
        analyze(batch, progress=progress)
        records = [a.to_dict() for a in batch.analyses]
    else:
        records = [d.to_dict() for d in batch.documents]
    with _open(output) as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        # What could not be read stays in the output, one line each.
        for skipped in batch.skipped:
            stream.write(json.dumps({"skipped": True, **skipped.to_dict()}, ensure_ascii=False) + "\n")
    return _status(batch)


if __name__ == "__main__":
    sys.exit(main())
