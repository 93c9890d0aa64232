"""Quotation marks: which characters open and close a quotation, and the
quoted passages they enclose.

Works on plain text, before and without any parse. Handles curly “…” ‘…’ and
straight "…" '…' marks, mixed in one text; apostrophes (don’t, Russia’s, ’90s,
voters’) are never taken as marks; a quotation that runs over several
paragraphs is one passage; a quotation whose closing mark is missing ends at its
paragraph's end, so it never swallows the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quoted", "find_quoted", "paragraphs"]

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"

# Characters after which a mark starts something (an opener) rather than ends it.
_BEFORE_OPENER = set(" \t\n\r([{—–-/:;\u00a0") | {""}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_LINE_BREAK = re.compile(r"[ \t\u00a0]*\n[ \t\u00a0]*")
_URL_LINE = re.compile(r"\s*(?:https?://|www\.)\S*\s*$")


@dataclass(frozen=True, slots=True)
class Quoted:
    """A passage in quotation marks.

    ``open`` is the offset of the opening mark; ``start``/``end`` bound the words
    inside (marks excluded, outer whitespace trimmed); ``close`` is the offset of
    the closing mark, or None when it is missing. ``single`` tells single marks.
    ``paragraphs`` counts the paragraphs the passage runs over.
    """

    open: int
    start: int
    end: int
    close: int | None
    single: bool
    paragraphs: int = 1
    close_width: int = 1

    @property
    def outer_end(self) -> int:
        """The offset just past the closing mark (or past the words when unclosed)."""
        return self.close + self.close_width if self.close is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, whitespace trimmed.

    Paragraphs are separated by blank lines. A single line break separates
    paragraphs too when the text has no blank line at all (one paragraph a
    line), or when the line before ends a sentence and the next begins one;
    elsewhere it is a hard wrap inside a paragraph (text copied from a PDF).
    """
    blocks: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        _append_trimmed(text, pos, m.start(), blocks)
        pos = m.end()
    _append_trimmed(text, pos, len(text), blocks)
    every_line = len(blocks) <= 1
    out: list[tuple[int, int]] = []
    for start, end in blocks:
        pos = start
        for m in _LINE_BREAK.finditer(text, start, end):
            if every_line or _ends_sentence(text, m.start()) and _starts_sentence(text, m.end()):
                _append_trimmed(text, pos, m.start(), out)
                pos = m.end()
        _append_trimmed(text, pos, end, out)
    return out


def _ends_sentence(text: str, end: int) -> bool:
    i = end
    while i > 0 and text[i - 1] in " \t\u00a0":
        i -= 1
    return i > 0 and text[i - 1] in ".!?:”\"’'"


def _starts_sentence(text: str, start: int) -> bool:
    return start < len(text) and (text[start].isupper() or text[start].isdigit() or text[start] in "“\"‘'«(—―-")


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def _is_word(ch: str) -> bool:
    """Whether ``ch`` is a letter or digit (an apostrophe between two is one)."""
    return ch.isalnum()


def _ellipsis_follows(text: str, i: int, end: int) -> bool:
    """Whether an ellipsis ("…" or "...") follows at ``i`` after at most one
    space: the quotation opens mid-speech (“ … he said)."""
    if i < end and text[i] in " \u00a0":
        i += 1
    return text.startswith(("…", "..."), i) and i < end


def _mark_role(text: str, i: int, width: int, para_start: int, para_end: int) -> str:
    """'open', 'close', 'either' or 'none' for the mark of ``width`` characters
    at ``i``, judged by the mark itself and its neighbours."""
    ch = text[i : i + width]
    if ch == "``":
        return "open"
    if ch == "''":
        ch = STRAIGHT_DOUBLE  # two apostrophes stand for a straight double mark
    prev = text[i - 1] if i > para_start else ""
    nxt = text[i + width] if i + width < para_end else ""
    if ch in DOUBLE_OPEN or ch in SINGLE_OPEN:
        # ‘90s written with an opening mark is still an apostrophe.
        if ch == "‘" and nxt.isdigit():
            return "none"
        if nxt and not nxt.isspace() or _ellipsis_follows(text, i + width, para_end):
            return "open"
        return "none"
    if ch in DOUBLE_CLOSE:
        # A closing mark at the start of a line or after a space, before a
        # word, is an opening mark curled the wrong way (”Fear. I am …); so is
        # one before an ellipsis that opens a paragraph (” … he delivered).
        if prev in _BEFORE_OPENER and nxt and not nxt.isspace() and nxt not in ".,;:!?":
            return "either"
        if i == para_start and _ellipsis_follows(text, i + width, para_end):
            return "either"
        return "close"
    if ch == SINGLE_CLOSE or ch == STRAIGHT_SINGLE:
        if _is_word(prev) and _is_word(nxt):
            return "none"  # don’t, Russia’s
        if prev in _BEFORE_OPENER and nxt:
            # ’90s, ’em are elisions; a straight ' here opens.
            if nxt.isdigit() or ch == SINGLE_CLOSE:
                return "none"
            return "open"
        if prev and not prev.isspace():
            return "close"  # or a plural possessive (voters’): decided by the caller
        return "none"
    if ch == STRAIGHT_DOUBLE:
        if prev in _BEFORE_OPENER and nxt and not nxt.isspace():
            return "open"
        if prev and not prev.isspace():
            return "close"
        return "either"
    return "none"


# Two apostrophes (and two backticks) are one double mark in some archives (''so'').
_ALL_MARKS = re.compile("''|``|[“”„«»‘’\"']")


@dataclass(slots=True)
class _Open:
    """An opening mark waiting for its closer."""

    pos: int
    single: bool
    straight: bool
    width: int = 1


#: A closed pair of marks: (opening offset, its width, closing offset, its
#: width, whether single marks).
_Pair = tuple[int, int, int, int, bool]
#: Openers kept waiting for their closer in one paragraph: past this many, the
#: oldest single one is let go (it was an apostrophe), so that a paragraph of
#: thousands of stray marks is read in linear time.
_MAX_OPEN = 64


def _pairs_in_paragraph(text: str, start: int, end: int) -> tuple[list[_Pair], _Open | None, int | None]:
    """Closed (open, close, single) pairs of top-level marks in one paragraph, the
    top-level opener left unclosed at its end, and the first top-level double
    closer met with no opener (a quotation continued from an earlier paragraph)."""
    pairs: list[_Pair] = []
    stack: list[_Open] = []
    stray_close: int | None = None
    seen_mark = False
    for m in _ALL_MARKS.finditer(text, start, end):
        i = m.start()
        width = m.end() - i
        role = _mark_role(text, i, width, start, end)
        if role == "none":
            continue
        ch = m.group()
        single = ch in ("‘", "’", "'")
        straight = ch in ('"', "'", "''", "``")
        if role == "either":
            role = "close" if any(not o.single for o in stack) else "open"
        if role == "open":
            if not single and stack and not stack[-1].single and stack[-1].straight and straight:
                # A straight " inside a straight " quotation closes it: straight
                # marks cannot nest unambiguously.
                role = "close"
            else:
                stack.append(_Open(i, single, straight, width))
                if len(stack) > _MAX_OPEN:
                    oldest = next((k for k, o in enumerate(stack) if o.single), 0)
                    del stack[oldest]
                seen_mark = True
                continue
        # A closer: pop to the nearest opener of its kind; inner openers left
        # unclosed are not quotations.
        idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].single == single), None)
        if idx is None:
            if not single and not seen_mark and stray_close is None:
                stray_close = i
            seen_mark = True
            continue
        opener = stack[idx]
        del stack[idx:]
        seen_mark = True
        if not stack:
            pairs.append((opener.pos, opener.width, i, width, single))
    # A single opener left unclosed was an apostrophe or an elision after all;
    # a double one is a quotation missing its closing mark.
    unclosed = next((o for o in stack if not o.single), None)
    return pairs, unclosed, stray_close


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_paragraph(text: str, start: int, straight: bool) -> bool:
    """Whether the paragraph at ``start`` begins with a double opening mark of
    the family of a quotation left open before it: straight ("…, '' or ``) when
    ``straight``, curly or angled (“ „ «) otherwise. A paragraph that opens
    with a mark of the other family begins a quotation of its own (a block
    quotation in straight marks followed by dialogue in curly ones)."""
    if straight:
        return text[start] == '"' or text.startswith(("''", "``"), start)
    return text[start] in "“«„"


def find_quoted(text: str) -> list[Quoted]:
    """Every top-level passage in quotation marks, in text order.

    A passage left unclosed at its paragraph's end continues into the next
    paragraph when that paragraph opens with a quotation mark (the convention for
    quotations of several paragraphs), or when its paragraph stops mid-sentence
    and the next paragraph (past junk such as a URL line) closes a quotation
    before opening one; otherwise it ends with its paragraph.
    """
    paras = paragraphs(text)
    per_para = [_pairs_in_paragraph(text, s, e) for s, e in paras]
    out: list[Quoted] = []
    absorbed: set[int] = set()  # openers of pairs taken into a longer passage
    followed: set[int] = set()  # unclosed openers already followed
    k = 0
    while k < len(paras):
        pairs, unclosed, _ = per_para[k]
        for o, ow, c, cw, single in pairs:
            if o in absorbed:
                continue
            absorbed.add(o)
            s, e = _trimmed(text, o + ow, c)
            if e > s:
                out.append(Quoted(o, s, e, c, single, 1, cw))
        if unclosed is None or unclosed.pos in followed:
            k += 1
            continue
        followed.add(unclosed.pos)
        j, end, close, cw = _follow(text, paras, per_para, k, absorbed, unclosed.straight)
        s, e = _trimmed(text, unclosed.pos + unclosed.width, end)
        if e > s:
            out.append(Quoted(unclosed.pos, s, e, close, False, j - k + 1, cw))
        if close is not None and j > k:
            # The paragraph that closed the passage may hold quotations of its
            # own after it: read it too (pairs already taken are skipped).
            k = j
        else:
            k = j + 1
    out.sort(key=lambda q: q.open)
    return _drop_inner(out)


def _follow(
    text: str,
    paras: list[tuple[int, int]],
    per_para: list[tuple[list[_Pair], _Open | None, int | None]],
    k: int,
    absorbed: set[int],
    straight: bool,
) -> tuple[int, int, int | None, int]:
    """Follow a quotation left open in paragraph ``k`` (by a straight mark
    when ``straight``): (index of the last paragraph it runs into, end of its
    words, its closing mark or None, the closing mark's width)."""
    j = k
    end = paras[k][1]
    while True:
        nxt = j + 1
        while nxt < len(paras) and _URL_LINE.match(text, paras[nxt][0], paras[nxt][1]):
            nxt += 1
        if nxt >= len(paras):
            return j, end, None, 1
        ns, ne = paras[nxt]
        npairs, nunclosed, nstray = per_para[nxt]
        if _opens_paragraph(text, ns, straight):
            if nunclosed is not None and nunclosed.pos == ns:
                j, end = nxt, ne
                continue
            for o, _ow, c, cw, _single in npairs:
                if o == ns:
                    absorbed.add(o)
                    return nxt, c, c, cw
            return j, end, None, 1
        # A closer with no opener ends us when our paragraph stopped mid-sentence
        # or the break was a single line break (a wrap taken for a paragraph end).
        soft = text.count("\n", paras[j][1], ns) == 1
        if nstray is not None and (soft or _mid_sentence(text, end)):
            return nxt, nstray, nstray, 1
        return j, end, None, 1


def _mid_sentence(text: str, end: int) -> bool:
    """Whether the text before ``end`` stops without ending a sentence."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] not in ".!?…:;\"”’"


def _drop_inner(quoted: list[Quoted]) -> list[Quoted]:
    """Drop passages that lie inside an earlier one (a pair inside a multi-paragraph quotation)."""
    out: list[Quoted] = []
    for q in quoted:
        if out and q.open < out[-1].outer_end:
            continue
        out.append(q)
    return out
