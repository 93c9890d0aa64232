"""Where inputs come from: files, folders, globs, standard input, URLs and
articles in memory. Each yields named bytes or a reason it cannot."""

from __future__ import annotations

import errno
import glob
import http.client
import ipaddress
import os
import re
import select
import socket
import stat
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from accord.errors import InputError
from accord.model import Article

#: A file named like an input plus this suffix holds that input's metadata
#: (read by ``overrides.sidecar``), and is not an input of its own.
SIDECAR_SUFFIX = ".meta.json"

__all__ = ["DEADLINE", "Input", "MAX_BYTES", "RETRIES", "TIMEOUT", "display_name", "expand", "fetch_url",
           "is_public_address", "megabytes", "read_capped",
           "read_named"]

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
_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f]")


#: Text that accord writes within the first ``MARKER_BYTES`` of each of its
#: outputs: the dossier's and the index's schema names (JSON, and the
#: Markdown's header line) and the HTML pages' generator tag. A file of a
#: folder that carries one is accord's own output, not a report (issue 25:
#: ``dossier -o reports/`` twice read its ``s1.html`` back).
OUTPUT_MARKERS = (b'"schema": "accord.dossier/', b'"schema": "accord.stories-index/', b"\xc2\xb7 accord.dossier/",
                  b'<meta name="generator" content="accord')
MARKER_BYTES = 4096


def is_accord_output(head: bytes) -> bool:
    """Whether the first bytes of a file show it is a dossier or an index
    accord wrote (by the marker it writes, not by the file's name)."""
    head = head[:MARKER_BYTES]
    return any(marker in head for marker in OUTPUT_MARKERS)


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
    #: The file's real path, when it was read from one (``source`` is the
    #: name as it is written out, with control characters and undecodable
    #: bytes escaped; a sidecar is found beside the real one).
    name: str | None = None


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
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        yield InputError(display_name(name), _os_reason(exc, path))
        return
    if info is not None and stat.S_ISDIR(info.st_mode):
        yield from _expand_folder(path)
    elif info is not None:
        yield read_named(path, info)
    elif path.is_symlink():
        yield InputError(display_name(name), "dangling symbolic link (its target does not exist)")
    elif _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield InputError(display_name(name), "no file matches this pattern")
        for match in matches:
            yield from _expand_path(match)
    else:
        yield InputError(display_name(name), "no such file or folder")


def _expand_folder(root: Path) -> Iterator[Input | InputError]:
    """The files of a folder, recursively and in the order of their paths
    (hidden ones left out), and an InputError for each entry that is not read:
    a FIFO, socket or device, a dangling link, a link loop, a subfolder that
    cannot be listed. Links to folders are followed, each folder once."""
    found: list[tuple[str, Path | InputError, os.stat_result | None]] = []
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                if folder != root:
                    found.append((str(folder), InputError(display_name(str(folder)), "symbolic link to a folder already read (a loop?)"), None))
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            found.append((str(folder), InputError(display_name(str(folder)), f"cannot read folder ({_os_reason(exc, folder)})"), None))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                info = path.stat()  # follows links
            except OSError as exc:
                found.append((entry.path, InputError(display_name(entry.path), _os_reason(exc, path)), None))
                continue
            if stat.S_ISDIR(info.st_mode):
                pending.append(path)
            elif stat.S_ISREG(info.st_mode):
                # A sidecar (report.txt.meta.json) is metadata of its report, read with it.
                if not entry.name.endswith(SIDECAR_SUFFIX):
                    found.append((entry.path, path, info))
            else:
                reason = f"not a regular file ({_kind(info)}); not read"
                found.append((entry.path, InputError(display_name(entry.path), reason), None))
    files = sorted(found, key=lambda f: Path(f[0]))
    if not files:
        yield InputError(display_name(str(root)), "folder holds no files")
    for _name, what, file_info in files:
        if isinstance(what, InputError):
            yield what
        else:
            assert file_info is not None
            read = read_named(what, file_info)
            if isinstance(read, Input) and read.data is not None and is_accord_output(read.data):
                read = InputError(read.source, "a dossier or index that accord wrote (its own output); not read as a report")
            yield read


def _kind(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a file"


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return "dangling symbolic link (its target does not exist)"
    return exc.strerror or str(exc)


def display_name(name: str) -> str:
    """A path as accord names it in its output: bytes of the file name that
    are not UTF-8 (kept by the OS as lone surrogates) and control characters
    (a line break would split the one line a skipped input gets) written as
    ``\\xNN``, since no JSON or terminal output can hold the former."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def read_named(path: Path, info: os.stat_result) -> Input | InputError:
    """A file named on the command line or found in a folder: a regular file is
    read; a FIFO (a pipe such as ``<(command)``) is read without ever blocking,
    until its writer closes it or ``TIMEOUT`` seconds pass without data; other
    special files are refused."""
    source = display_name(str(path))
    if stat.S_ISREG(info.st_mode):
        return _read_file(path, source)
    if stat.S_ISFIFO(info.st_mode):
        return _read_fifo(path, source)
    return InputError(source, f"not a regular file ({_kind(info)}); not read")


def _read_file(path: Path, source: str | None = None) -> Input | InputError:
    source = source or display_name(str(path))
    try:
        # O_NONBLOCK: a file swapped for a FIFO since it was looked at must not hang the run.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                return InputError(source, f"not a regular file ({_kind(info)}); not read")
            if info.st_size > MAX_BYTES:
                # Not read here: the reader takes a stream of records from it, or refuses it.
                return Input(source, path=path, name=str(path))
            return Input(source, data=file.read(), name=str(path))
    except OSError as exc:
        return InputError(source, f"cannot read file ({_os_reason(exc, path)})")


def _read_fifo(path: Path, source: str) -> Input | InputError:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return InputError(source, f"cannot read FIFO ({_os_reason(exc, path)})")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            ready, _, _ = select.select([descriptor], [], [], TIMEOUT)
            if not ready:
                return InputError(source, f"FIFO gave no data for {TIMEOUT:g} s; not read")
            try:
                chunk = os.read(descriptor, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:  # the writer closed it (or there was none)
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                return InputError(source, f"input too large (over {megabytes(MAX_BYTES)} MB)")
    except OSError as exc:
        return InputError(source, f"cannot read FIFO ({_os_reason(exc, path)})")
    finally:
        os.close(descriptor)
    return Input(source, data=b"".join(chunks), name=str(path))


def read_capped(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a small file the user gives beside the inputs (a sidecar,
    a manifest, an outlets registry): a regular file only (a FIFO or a device
    such as /dev/zero would block or never end), at most ``limit`` bytes.
    Raises OSError (ENOENT, EINVAL for a special file, EFBIG past the limit)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"not a regular file ({_kind(info)})")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {megabytes(limit)} MB")
    return data


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


#: The most a URL may take in all, retries included, in seconds: a server
#: that sends a byte a second defeats a timeout that applies to each read.
DEADLINE = 60.0
_WEB_SCHEMES = ("http", "https")


def is_public_address(address: str) -> bool:
    """Whether an IP address is one anybody on the internet could reach: not
    loopback, private, link-local, multicast, reserved or unspecified (an
    IPv4 address mapped into IPv6 is judged as the IPv4 one)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified)


def fetch_url(
    url: str, *, timeout: float | None = None, retries: int | None = None, deadline: float | None = None,
    public_only: bool = False,
) -> bytes:
    """The body of ``url`` (http or https only), fetched with a timeout per
    read (``TIMEOUT`` seconds unless given), ``RETRIES`` more tries on
    transient failures, and a total deadline (``DEADLINE``) after which the
    connection is cut. Redirects are followed only to http or https; a
    response over ``MAX_BYTES`` is refused. Raises InputError naming the URL
    and the reason: "HTTP 404 Not Found", "timed out after 20 s", "cannot
    connect (...)", "response too large (...)", "not an http(s) URL",
    "response truncated (...)" (a body shorter than its Content-Length).

    With ``public_only`` (a link found inside an input: a feed's item, a
    page's link) the address every connection reaches, after DNS resolution
    and on every redirect, must be public (``is_public_address``); any other
    is refused before a byte of the request is sent. A URL the user named is
    fetched wherever it points."""
    timeout = TIMEOUT if timeout is None else timeout
    retries = RETRIES if retries is None else retries
    deadline = DEADLINE if deadline is None else deadline
    if urllib.parse.urlsplit(url).scheme.lower() not in _WEB_SCHEMES:
        raise InputError(url, "not an http(s) URL; only http and https are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    clock = _Deadline(deadline)
    opener = urllib.request.build_opener(_WebOnlyRedirects(), _TimedHTTP(clock, public_only),
                                         _TimedHTTPS(clock, public_only))
    last = "no answer"
    try:
        for attempt in range(retries + 1):
            try:
                with opener.open(request, timeout=min(timeout, max(0.01, clock.left()))) as response:
                    data = _body(response, url, clock)
                return data
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code} {exc.reason}"
                if exc.code < 500:
                    break
            except _Refused as exc:
                raise InputError(url, str(exc)) from None
            except _Truncated as exc:
                last = str(exc)
            except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
                if clock.expired:
                    raise InputError(url, f"took longer than {deadline:g} s in all; given up") from None
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, _Refused):
                    raise InputError(url, str(reason)) from None
                timed_out = isinstance(reason, TimeoutError) or "timed out" in str(reason)
                last = f"timed out after {timeout:g} s" if timed_out else f"cannot connect ({reason})"
            if attempt < retries:
                pause = 0.5 * 2**attempt
                if clock.left() <= pause:
                    break
                time.sleep(pause)
    finally:
        clock.stop()
    raise InputError(url, last)


def _body(response: http.client.HTTPResponse, url: str, clock: "_Deadline") -> bytes:
    """The body of a response, read in pieces so that its size and the total
    deadline are held to as it comes."""
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > MAX_BYTES:
        raise _Refused(f"response too large ({megabytes(int(length))} MB; the limit is {megabytes(MAX_BYTES)} MB)")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(1 << 16)
        if clock.expired:
            raise TimeoutError("deadline")
        if not chunk:
            # http.client ends a body cut short without a word; a document
            # that is only the first part of a page is not the page.
            expected = length.strip() if length else ""
            if expected.isdigit() and size < int(expected) and not response.headers.get("Content-Encoding"):
                raise _Truncated(f"response truncated (got {size} of the {int(expected)} bytes it announced)")
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Refused(f"response too large (over {megabytes(MAX_BYTES)} MB)")


class _Refused(Exception):
    """A response or redirect accord will not take (its message says why)."""


class _Truncated(http.client.HTTPException):
    """A body shorter than its Content-Length (tried again like a cut connection)."""


def _check_peer(sock: socket.socket, public_only: bool) -> None:
    """Refuse a connection that reached a non-public address when only public
    ones are allowed (the address the socket is connected to, so a DNS
    answer that changes between a check and the connection cannot slip by)."""
    if not public_only:
        return
    address = sock.getpeername()[0]
    if not is_public_address(address):
        sock.close()
        raise _Refused(f"the link leads to a private address ({address}); not fetched (--allow-private fetches it)")


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only: a page may not send accord to
    ftp://, file:// or anything else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        target = urllib.parse.urljoin(req.full_url, newurl)
        if urllib.parse.urlsplit(target).scheme.lower() not in _WEB_SCHEMES:
            raise _Refused(f"redirected to {target[:200]}, which is not http(s); not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Deadline:
    """A total time limit on a fetch: when it passes, every connection the
    fetch opened is shut, which ends whatever read is waiting on it."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return self._end - time.monotonic()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        self._timer.cancel()


class _TimedHTTP(urllib.request.HTTPHandler):
    def __init__(self, clock: _Deadline, public_only: bool = False) -> None:
        super().__init__()
        self._clock, self._public_only = clock, public_only

    def http_open(self, req):  # type: ignore[no-untyped-def]
        clock, public_only = self._clock, self._public_only

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                clock.track(self.sock)
                _check_peer(self.sock, public_only)

        return self.do_open(Connection, req)


class _TimedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, clock: _Deadline, public_only: bool = False) -> None:
        super().__init__()
        self._clock, self._public_only = clock, public_only

    def https_open(self, req):  # type: ignore[no-untyped-def]
        clock, public_only = self._clock, self._public_only

        class Connection(http.client.HTTPSConnection):
            def connect(self) -> None:
                # The address is checked before the TLS handshake sends anything.
                http.client.HTTPConnection.connect(self)
                clock.track(self.sock)
                _check_peer(self.sock, public_only)
                # http.client keeps these private; HTTPSConnection.connect uses them the same way.
                server = self._tunnel_host or self.host  # type: ignore[attr-defined]
                self.sock = self._context.wrap_socket(self.sock, server_hostname=server)  # type: ignore[attr-defined]

        return self.do_open(Connection, req, context=self._context)  # type: ignore[attr-defined]
