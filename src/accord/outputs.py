"""Writing outputs so that nothing already there is destroyed (issue 25).

- A file is written to a temporary file beside it (a unique ``.partial``
  name: two runs never share one) and renamed over the target only once
  it is complete and flushed to disk; a full disk or a crash leaves the old
  file as it was.
- An output that is one of the inputs is refused before any work.
- accord's own outputs carry a marker (``OUTPUT_MARKERS``, kept with the
  readers in ``accord.ingest.sources``) by which a folder being read
  recognises and skips them: ``dossier -o reports/`` run twice
  does not read its ``s1.html`` and ``index.html`` back as reports.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from accord.errors import UsageError
from accord.ingest.sources import OUTPUT_MARKERS, is_accord_output

__all__ = ["OUTPUT_MARKERS", "atomic_open", "atomic_write_text", "is_accord_output", "refuse_input_as_output"]

@contextmanager
def _text(raw: io.BufferedIOBase | io.BufferedWriter, compressed: bool) -> Iterator[TextIO]:
    """A UTF-8 text stream over an open binary file (gzip-compressed when
    asked), flushed and finished at the end of the block; ``raw`` stays open."""
    binary: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="wb") if compressed else raw  # type: ignore[assignment]
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    yield stream
    stream.flush()
    stream.detach()
    if compressed:
        binary.close()


@contextmanager
def atomic_open(path: str | os.PathLike[str], *, compressed: bool = False) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` only when the block ends
    without an exception (written to a unique temporary file in the same
    folder, flushed, synced, then renamed over it). On an exception the
    temporary file is removed and ``path`` is untouched."""
    target = Path(path)
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device, a FIFO, a terminal (-o /dev/stdout, /dev/full): written as
        # it is; renaming over it would replace the device with a file.
        with open(target, "wb") as raw, _text(raw, compressed) as stream:
            yield stream
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))  # the file the link names is replaced, the link kept
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            with _text(raw, compressed) as stream:
                yield stream
            raw.flush()
            os.fsync(raw.fileno())
        if target.exists():
            try:
                os.chmod(temporary, target.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see ``atomic_open``)."""
    with atomic_open(path) as stream:
        stream.write(text)


def refuse_input_as_output(output: str | os.PathLike[str], inputs: Iterable[object]) -> None:
    """Raise UsageError when ``output`` is one of the input files (the same
    file, through any name), before any work: writing it would destroy what
    is being read."""
    try:
        written = os.stat(output)
    except OSError:
        return  # not there yet: it cannot be an input
    if not stat.S_ISREG(written.st_mode):
        return  # a device or a pipe (/dev/stdout) is not read as an input file
    for item in inputs:
        if not isinstance(item, (str, os.PathLike)) or str(item) == "-":
            continue
        try:
            info = os.stat(item)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (written.st_dev, written.st_ino):
            raise UsageError(f"cannot write {os.fspath(output)}: it is one of the inputs (give another -o)")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
