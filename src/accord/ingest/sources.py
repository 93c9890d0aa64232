"""Where inputs come from: files, folders, globs, standard input, URLs and
articles in memory. Each yields named bytes or a reason it cannot."""

from __future__ import annotations

import glob
import http.client
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from accord.errors import InputError
from accord.model import Article

__all__ = ["Input", "MAX_BYTES", "RETRIES", "TIMEOUT", "expand", "fetch_url", "megabytes"]

#: Inputs larger than this are never held in memory: a larger file is read
#: only when it is a stream of records (WARC, JSON Lines), one record at a
#: time; anything else that large is refused.
MAX_BYTES = 64 * 1024 * 1024
_MB = 1024 * 1024
#: How long a URL may take to answer, in seconds, and how often a transient
#: failure (a timeout, a refused connection, a 5xx answer) is tried again.
TIMEOUT = 20.0
RETRIES = 2
USER_AGENT = "accord/0.1 (news cross-checking; +https://pypi.org/project/accord/)"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Input:
    """One input to read: its name as the user gave it, and its bytes, or an
    in-memory article, or (for a file over ``MAX_BYTES``) its path, to be read
    as a stream of records or refused."""

    source: str
    data: bytes | None = None
    article: Article | None = None
    url: str | None = None
    path: Path | None = None


def expand(items: Iterable[str | os.PathLike[str] | Article]) -> Iterator[Input | InputError]:
    """Every input the items name, in order: a folder gives its files (sorted,
    recursively, hidden files left out), a glob its matches. What cannot be
    read comes out as an InputError in its place."""
    for number, item in enumerate(items, 1):
        if isinstance(item, Article):
            yield Input(item.url or f"<article {number}>", article=item, url=item.url)
            continue
        name = os.fspath(item)
        if name == "-":
            yield _read_stdin()
        elif name.startswith(("http://", "https://")):
            try:
                yield Input(name, data=fetch_url(name), url=name)
            except InputError as error:
                yield error
        else:
            yield from _expand_path(name)


def _expand_path(name: str) -> Iterator[Input | InputError]:
    path = Path(name)
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            # A sidecar (report.txt.meta.json) is metadata of its report, not a report.
            and not p.name.endswith(".meta.json")
        )
        if not files:
            yield InputError(name, "folder holds no files")
        for file in files:
            yield _read_file(file)
    elif path.exists():
        yield _read_file(path)
    elif _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield InputError(name, "no file matches this pattern")
        for match in matches:
            yield from _expand_path(match)
    else:
        yield InputError(name, "no such file or folder")


def _read_file(path: Path) -> Input | InputError:
    source = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            # Not read here: the reader takes a stream of records from it, or refuses it.
            return Input(source, path=path)
        return Input(source, data=path.read_bytes())
    except OSError as exc:
        return InputError(source, f"cannot read file ({exc.strerror or exc})")


def megabytes(size: int) -> str:
    """A size in bytes as a whole number of megabytes (two decimals below one)."""
    return f"{size // _MB}" if size >= _MB else f"{size / _MB:.2f}"


def _read_stdin() -> Input | InputError:
    # Read one byte past the limit, so that what is too large is known without
    # holding more of it.
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return InputError("<stdin>", f"input too large (over {megabytes(MAX_BYTES)} MB)")
    return Input("<stdin>", data=data)


def fetch_url(url: str, *, timeout: float | None = None, retries: int | None = None) -> bytes:
    """The body of ``url``, fetched with a timeout (``TIMEOUT`` seconds unless
    given) and ``RETRIES`` more tries on transient failures. Raises InputError
    naming the URL and the reason: "HTTP 404 Not Found", "timed out after 20 s",
    "cannot connect (...)", "response too large (...)"."""
    timeout = TIMEOUT if timeout is None else timeout
    retries = RETRIES if retries is None else retries
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    last = "no answer"
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(url, f"response too large (over {megabytes(MAX_BYTES)} MB)")
            return data
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            timed_out = isinstance(reason, TimeoutError) or "timed out" in str(reason)
            last = f"timed out after {timeout:g} s" if timed_out else f"cannot connect ({reason})"
        if attempt < retries:
            time.sleep(0.5 * 2**attempt)
    raise InputError(url, last)
