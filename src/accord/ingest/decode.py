"""Bytes to text: refuse what is not text, find the encoding of what is."""

from __future__ import annotations

import codecs
import gzip
import io
import unicodedata
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import charset_normalizer

from accord.errors import InputError

from . import sources

__all__ = ["ContentTooLarge", "decode", "decompress", "open_content"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_GZIP_MAGIC = b"\x1f\x8b"
# How much a gzip member may inflate in one step: small enough to stop a bomb early.
_INFLATE_STEP = 4 * 1024 * 1024
#: A gzip stream too large to hold (read record by record) may inflate to this
#: many times its compressed size, or to ``sources.MAX_BYTES``, whichever is
#: more. News text and web crawls compress 3-10 times, exports of repeated
#: records up to ~50 times; a gzip bomb inflates a thousand times, and
#: streaming all of it would run for hours.
#: (warcio reads gzip members itself, but from this stream's bytes.)
INFLATE_RATIO = 100


class ContentTooLarge(InputError):
    """Compressed data that expands past the limit of what is held in memory."""


def decompress(data: bytes, source: str, *, limit: int | None = None) -> bytes:
    """The data itself, or its gzip content when it is gzip-compressed (every
    member of a multi-member file, as .warc.gz files are written).

    Inflates in bounded steps so that a small file that expands enormously (a
    gzip bomb) costs at most ``limit`` bytes of memory. Raises InputError when
    the gzip data is truncated or corrupt, and ContentTooLarge (an InputError)
    when the content would exceed ``limit`` bytes (``sources.MAX_BYTES`` unless given).
    """
    if not data.startswith(_GZIP_MAGIC):
        return data
    limit = sources.MAX_BYTES if limit is None else limit
    out = bytearray()
    rest = data
    while rest.startswith(_GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
        pending = rest
        while not inflater.eof:
            try:
                chunk = inflater.decompress(pending, _INFLATE_STEP)
            except zlib.error as exc:
                raise InputError(source, f"broken gzip data ({exc})") from None
            out += chunk
            if len(out) > limit:
                raise ContentTooLarge(
                    source,
                    f"gzip content too large (expands past the {sources.megabytes(limit)} MB limit; a gzip bomb?)",
                )
            pending = inflater.unconsumed_tail
            # no input left and nothing more to give, yet the stream has not ended
            if not chunk and not pending:
                raise InputError(source, "truncated gzip data (the file ends inside the compressed stream)")
        rest = inflater.unused_data
    # Some writers pad a gzip file with zero bytes; anything else after it is damage.
    if rest.strip(b"\0"):
        raise InputError(source, "broken gzip data (unreadable bytes after the compressed stream)")
    return bytes(out)


def open_content(path: Path | None, data: bytes | None) -> BinaryIO:
    """A stream of the content of a file (or of bytes), gzip decompressed as it
    is read when it is gzip data: for inputs too large to hold in memory. The
    caller closes it."""
    if path is not None:
        with open(path, "rb") as file:
            magic = file.read(2)
        if magic != _GZIP_MAGIC:
            return open(path, "rb")
        size = path.stat().st_size
        # Buffered: lines are then found in C, not one call of ours per line.
        return io.BufferedReader(_Bounded(gzip.open(path, "rb"), max(sources.MAX_BYTES, INFLATE_RATIO * size), str(path)), 1 << 20)
    buffer = io.BytesIO(data or b"")
    if buffer.getvalue()[:2] != _GZIP_MAGIC:
        return buffer
    limit = max(sources.MAX_BYTES, INFLATE_RATIO * len(data or b""))
    return io.BufferedReader(_Bounded(gzip.GzipFile(fileobj=buffer, mode="rb"), limit, "<gzip data>"), 1 << 20)


class _Bounded(io.RawIOBase):
    """A decompressed stream that raises ContentTooLarge once more than
    ``limit`` bytes came out of it: a gzip bomb is stopped, not streamed."""

    def __init__(self, stream: gzip.GzipFile, limit: int, name: str) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._name = name
        self._count = 0

    def _counted(self, chunk: bytes) -> bytes:
        self._count += len(chunk)
        if self._count > self._limit:
            raise ContentTooLarge(
                self._name,
                f"gzip content too large (inflates past {sources.megabytes(self._limit)} MB, "
                f"{INFLATE_RATIO} times its compressed size; a gzip bomb?)",
            )
        return chunk

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._counted(self._stream.read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._counted(self._stream.read1(size))

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def readline(self, size: int | None = -1) -> bytes:
        return self._counted(self._stream.readline(-1 if size is None else size))

    def close(self) -> None:
        self._stream.close()
        super().close()


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode the bytes of one input into text; returns (text, encoding).

    Raises InputError when the input is empty, binary, or in no encoding that
    decodes it cleanly.
    """
    if not data.strip():
        raise InputError(source, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(source, f"broken {encoding} text ({exc.reason})") from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    head = data[:65536]
    if b"\x00" in head or _control_share(head) > 0.05:
        raise InputError(source, "binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A legacy code page of another script (KOI8-R, Windows-1251, ISO-8859-7...)
    # also decodes as Windows-1252, into mojibake: charset-normalizer is asked
    # first, and its answer taken when it reads as letters of one non-Latin
    # script (on Latin text its guesses are unreliable: cp775 for German).
    other = _other_script(data[:_DETECT_BYTES])
    if other is not None:
        try:
            return data.decode(other), other
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return text, "cp1252"
    guess = charset_normalizer.from_bytes(data[:_DETECT_BYTES]).best()
    if guess is not None and guess.chaos < 0.1 and guess.encoding:
        return str(guess), guess.encoding
    raise InputError(source, "undecodable text: not UTF-8, UTF-16 or Windows-1252, and no other encoding fits")


#: Bytes charset-normalizer looks at (its time grows with the input; the
#: head of a text tells its code page).
_DETECT_BYTES = 256 * 1024
#: Share of the non-ASCII letters that must be of non-Latin scripts for a
#: detected code page to be trusted over Windows-1252.
_OTHER_SCRIPT_SHARE = 0.8


def _other_script(data: bytes) -> str | None:
    """The code page charset-normalizer finds for ``data`` when the text it
    gives is mostly letters of a non-Latin script (Cyrillic, Greek...), with
    little chaos; else None."""
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None or not guess.encoding or guess.chaos >= 0.1:
        return None
    letters = [c for c in str(guess) if ord(c) > 127 and c.isalpha()]
    if len(letters) < 3:
        return None
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return guess.encoding if (len(letters) - latin) / len(letters) >= _OTHER_SCRIPT_SHARE else None


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # UTF-16 text of a Latin-script language has a NUL in every other byte.
    head = data[:4096]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0) / len(head[0::2])
    odd_nuls = head[1::2].count(0) / len(head[1::2])
    for share_a, share_b, encoding in ((odd_nuls, even_nuls, "utf-16-le"), (even_nuls, odd_nuls, "utf-16-be")):
        if share_a > 0.4 and share_b < 0.05:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None
