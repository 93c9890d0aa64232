"""Bytes to text: refuse what is not text, find the encoding of what is."""

from __future__ import annotations

import codecs
import gzip
import zlib

import charset_normalizer

from accord.errors import InputError

__all__ = ["decode", "decompress"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}
_GZIP_MAGIC = b"\x1f\x8b"


def decompress(data: bytes, source: str) -> bytes:
    """The data itself, or its gzip content when it is gzip-compressed."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(source, f"broken gzip data ({exc})") from None


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
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return text, "cp1252"
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None and guess.chaos < 0.1 and guess.encoding:
        return str(guess), guess.encoding
    raise InputError(source, "undecodable text: not UTF-8, UTF-16 or Windows-1252, and no other encoding fits")


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    return sum(1 for b in data if b in _CONTROL) / len(data)


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
