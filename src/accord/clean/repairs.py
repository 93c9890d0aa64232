"""The repairs a scraped or copied article needs, each a function from the
current text to the edits it makes. They only remove characters or replace
them one for one, so every character of the clean text keeps its raw offset."""

from __future__ import annotations

import re
from functools import lru_cache

from ftfy import fix_encoding
from wordfreq import zipf_frequency

from accord.ingest.text import blank_line_paragraphs, blocks

from .edits import Edit

__all__ = [
    "glued_captions",
    "inline_urls",
    "surrogates",
    "mojibake",
    "junk_paragraphs",
    "quotation_marks",
    "rejoin_paragraphs",
    "suspect_tokens",
    "unwrap_lines",
    "blank_lines",
    "spaces",
    "unbalanced_quotations",
]

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”’)]+[^\s<>\"”’).,;:!?]")
_TEASER = re.compile(
    r"^(?:related(?:\s+(?:article|story|stories|content|coverage|news|reading))?|read\s+more|read\s+also|also\s+read|"
    r"see\s+also|more\s+on\s+this(?:\s+story)?|recommended|most\s+read|trending|watch|listen|sign\s+up|subscribe)\b\s*[:|>»-]",
    re.I,
)
_CAPTION = re.compile(
    r"(?:\b(?:photo|photograph|picture|image|file photo|video)\s*+(?:credit\s*+)?[:/|]|"
    r"\b(?:getty images|afp via getty|shutterstock|ap photo|reuters/|/ ?reuters|/ ?afp|/ ?ap\b|epa-efe|anadolu agency via)|"
    r"^\s*(?:\(|\[)?(?:photo|image|pictured|above|top|file)\b)",
    re.I,
)
_TERMINAL = re.compile(r"""[.!?…:]["'”’)\]]*$""")
_QUOTE_OPEN = "“‘"
# Characters that, before a mark, make it an opening one.
_OPENING_CONTEXT = set(" \t\n([{—–-/") | {""}


# A UTF-8 lead byte read as Windows-1252 or Latin-1 ("Ã", "â") followed by
# continuation bytes read the same way ("©", "€™"): the mark of mojibake.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+"
)


_NON_SPACE = re.compile(r"\S+")
SURROGATES = re.compile("[\ud800-\udfff]")


def surrogates(text: str) -> list[Edit]:
    """Unpaired UTF-16 surrogates ("\\ud800" in JSON, "&#xD800;" in a feed),
    which are no characters and cannot be written as UTF-8, replaced one for
    one by U+FFFD."""
    return [
        Edit(m.start(), m.end(), "\ufffd", "surrogate", f"unpaired surrogate U+{ord(m.group()):04X} replaced by U+FFFD")
        for m in SURROGATES.finditer(text)
    ]


def mojibake(text: str) -> list[Edit]:
    """Words whose UTF-8 was decoded as Windows-1252 ("ministerâ€™s",
    "cafÃ©"), decoded again (ftfy). The repaired characters have no exact
    raw offsets, since several raw characters make one."""
    edits = []
    # Token by token, each looked at once: linear in the text however long a
    # token is (scanning back from every mark to its token's start was not).
    for token in _NON_SPACE.finditer(text):
        word = token.group()
        if not _MOJIBAKE.search(word):
            continue
        fixed = fix_encoding(word)
        if fixed != word:
            note = f"mis-decoded text {_shown(word)} read as {_shown(fixed)}"
            edits.append(Edit(token.start(), token.end(), fixed, "mojibake", note))
    return edits


def _shown(word: str, limit: int = 60) -> str:
    """A word for a note, cut short when it is long."""
    return repr(word) if len(word) <= limit else repr(word[:limit]) + "…"


def junk_paragraphs(text: str) -> list[Edit]:
    """Paragraphs that are not article: a stray URL on its own, a link teaser
    ("Related article: ..."), a photo caption or credit."""
    edits = []
    for block in blocks(text):
        flat = " ".join(block.text.split())
        if _URL.fullmatch(flat):
            edits.append(Edit(block.start, block.end, "", "stray-url", f"stray URL {flat}"))
        elif _TEASER.match(flat):
            edits.append(Edit(block.start, block.end, "", "link-teaser", f"link teaser: {flat[:80]}"))
        elif len(flat.split()) <= 20 and not _TERMINAL.search(flat) and _CAPTION.search(flat):
            edits.append(Edit(block.start, block.end, "", "caption", f"photo caption or credit: {flat[:80]}"))
    return edits


# A photo's caption run into the paragraph it stood above, as pages lose the
# line between them: a few capitalised words (the person pictured), a credit
# ("Provided by family", "Courtesy of the family", "Photo by WGN"), then the
# paragraph's own first word, capitalised.
_GLUED_CAPTION = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){1,5}(?i:provided\s+by|courtesy\s+of|photo\s+by|photo\s+courtesy\s+of)\s+"
    r"(?:(?:the\s+)?family|[A-Z][\w.'’/-]*)\s+(?=[A-Z])",
)


def glued_captions(text: str) -> list[Edit]:
    """A photo caption and its credit run into the start of a paragraph
    ("Jane Roe Provided by family Jane Roe, of Elm Street, was..."): the
    caption is cut, the paragraph kept."""
    edits = []
    for block in blocks(text):
        match = _GLUED_CAPTION.match(block.text)
        # Only a credit to the family, or a caption whose name the paragraph
        # then repeats ("Jane Roe Photo by X Jane Roe, 17, ..."): a sentence
        # in title case ("Aid Provided By Volunteers Reached...") is kept.
        first = match.group().split()[0] if match else ""
        if match and (re.search(r"(?i)\bfamily\s*$", match.group()) or block.text[match.end():].startswith(first + " ")):
            shown = " ".join(match.group().split())
            edits.append(Edit(block.start, block.start + match.end(), "", "caption", f"photo caption or credit: {shown[:80]}"))
    return edits


def inline_urls(text: str) -> list[Edit]:
    """URLs standing inside a paragraph, with the space before them."""
    edits = []
    for match in _URL.finditer(text):
        start, end = match.span()
        if start > 0 and text[start - 1] in " \t":
            start -= 1
        edits.append(Edit(start, end, "", "stray-url", f"stray URL {match.group()}"))
    return edits


def unwrap_lines(text: str) -> list[Edit]:
    """Line breaks inside a sentence, made spaces: in text whose paragraphs are
    separated by blank lines every single line break is a hard wrap; in text
    with one paragraph a line, only a break after an unfinished line before a
    lower-case word is. A word hyphenated at the end of a line is rejoined,
    keeping the hyphen of a real compound."""
    wrapped = blank_line_paragraphs(text)
    edits = []
    for match in re.finditer(r"[ \t]*\n[ \t]*", text):
        start, end = match.span()
        # The line before the break, found without copying the text before it
        # (text[:start] at every break was quadratic: 2 MB pages ran for minutes).
        before = text[text.rfind("\n", 0, start) + 1:start]
        after_end = text.find("\n", end)
        after = text[end: after_end if after_end >= 0 else len(text)]
        if not before.strip() or not after.strip():
            continue  # a blank line: a paragraph break, not a wrap
        if not wrapped and (_TERMINAL.search(before.rstrip()) or not after[:1].islower()):
            continue
        # "(?<!\w)": only a word's start can begin the match (linear on a long line)
        hyphen = re.search(r"(?<!\w)(\w+)-$", before)
        if hyphen and after[:1].islower():
            edits.extend(_rejoin_hyphenated(hyphen.group(1), after, start, end))
            continue
        edits.append(Edit(start, start + 1, " ", "line-break", "hard line break inside a paragraph"))
        if end > start + 1:
            edits.append(Edit(start + 1, end, "", "line-break", "", record=False))
    return edits


def _rejoin_hyphenated(head: str, after: str, start: int, end: int) -> list[Edit]:
    tail = re.match(r"\w+", after)
    tail_word = tail.group() if tail else ""
    joined = head + tail_word
    if _frequency(joined.lower()) >= _frequency(f"{head}-{tail_word}".lower()) and _frequency(joined.lower()) > 1.0:
        # "peo-\nple" is "people": the hyphen only broke the word at the line end.
        return [Edit(start - 1, end, "", "hyphenation", f"word hyphenated at a line end rejoined: {joined}")]
    return [Edit(start, end, "", "line-break", f"line break after a hyphenated compound: {head}-{tail_word}")]


def rejoin_paragraphs(text: str) -> list[Edit]:
    """A sentence or quotation that junk split into two paragraphs, rejoined:
    the first part ends unfinished and either a quotation in it is still open or
    the second part goes on in lower case."""
    edits = []
    paragraphs = blocks(text)
    for first, second in zip(paragraphs, paragraphs[1:]):
        end_text = first.text.rstrip()
        if _TERMINAL.search(end_text) or not end_text[-1:].isalnum() and end_text[-1:] not in ",;–—-":
            continue
        open_quote = _open_quotation(first.text)
        if not (open_quote or second.text[:1].islower()):
            continue
        gap_start, gap_end = first.end, second.start
        why = "a quotation split by junk rejoined" if open_quote else "a sentence split by junk rejoined"
        edits.append(Edit(gap_start, gap_start + 1, " ", "rejoin", why))
        if gap_end > gap_start + 1:
            edits.append(Edit(gap_start + 1, gap_end, "", "rejoin", "", record=False))
    return edits


def _open_quotation(paragraph: str) -> bool:
    """Whether a double quotation opened in the paragraph is not closed in it."""
    opened = 0
    for index, ch in enumerate(paragraph):
        if ch == "“" or (ch == '"' and _opens(paragraph, index)):
            opened += 1
        elif ch == "”" or ch == '"':
            opened = max(0, opened - 1)
    return opened > 0


def _opens(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return (before in _OPENING_CONTEXT or before in _QUOTE_OPEN) and after not in " \t\n"


def spaces(text: str) -> list[Edit]:
    """Spaces and tabs at the start or end of a line removed, runs of them
    inside a line made one."""
    edits = []
    for match in re.finditer(r"[ \t\u00a0]+", text):
        start, end = match.span()
        at_line_start = start == 0 or text[start - 1] == "\n"
        at_line_end = end == len(text) or text[end] == "\n"
        if at_line_start or at_line_end:
            edits.append(Edit(start, end, "", "whitespace", "", record=False))
        elif end - start > 1:
            edits.append(Edit(start + 1, end, "", "whitespace", "", record=False))
    return edits


_BLANK_RUN = re.compile(r"\n{3,}")


def blank_lines(text: str) -> list[Edit]:
    """Line breaks at either end of the text removed, and three or more in a
    row made one blank line."""
    body = text.strip("\n")
    if not body:
        return [Edit(0, len(text), "", "whitespace", "", record=False)] if text else []
    leading = len(text) - len(text.lstrip("\n"))
    trailing = len(text.rstrip("\n"))
    edits = [Edit(0, leading, "", "whitespace", "", record=False)] if leading else []
    for match in _BLANK_RUN.finditer(text, leading, trailing):
        edits.append(Edit(match.start() + 2, match.end(), "", "whitespace", "", record=False))
    if trailing < len(text):
        edits.append(Edit(trailing, len(text), "", "whitespace", "", record=False))
    return edits


_MARKS = {'"': None, "'": None, "´": "’", "`": "‘", "„": "“", "‟": "“", "«": "“", "»": "”", "‚": "‘", "‛": "‘"}


def quotation_marks(text: str) -> list[Edit]:
    """Straight and odd quotation marks and apostrophes made typographic:
    “double”, ‘single’, and ’ for the apostrophe. One character for one, so
    offsets do not move."""
    edits = []
    for index, ch in enumerate(text):
        if ch not in _MARKS:
            continue
        target = _MARKS[ch]
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if ch == '"':
            target = "“" if _opens(text, index) else "”"
        elif ch in "'´":
            if before.isalnum() and (after.isalnum() or not after.strip() or after in ".,;:!?”\"'"):
                target = "’"  # don't, Russia's, the Joneses'
            elif (before in _OPENING_CONTEXT or before in "“\"") and after.isdigit():
                target = "’"  # ’90s
            elif before in _OPENING_CONTEXT or before in "“\"":
                target = "‘" if after.strip() else "’"
            else:
                target = "’"
        if target and target != ch:
            edits.append(Edit(index, index + 1, target, "quotation-mark", f"{ch} made {target}"))
    return edits


def unbalanced_quotations(text: str) -> list[tuple[int, int, str]]:
    """Paragraphs whose double quotation marks do not pair up: (start, end,
    note) of the mark left alone."""
    found = []
    for block in blocks(text):
        depth, last_open = 0, -1
        for offset, ch in enumerate(block.text):
            if ch == "“":
                if depth:
                    found.append((block.start + last_open, block.start + last_open + 1, "quotation opened and not closed"))
                depth, last_open = 1, offset
            elif ch == "”":
                if depth:
                    depth = 0
                else:
                    found.append((block.start + offset, block.start + offset + 1, "quotation closed and never opened"))
        if depth:
            found.append((block.start + last_open, block.start + last_open + 1, "quotation opened and not closed"))
    return found


@lru_cache(maxsize=65536)
def _frequency(word: str) -> float:
    return zipf_frequency(word, "en")


_TOKEN = re.compile(r"(?<![\w’'\-*])[a-z]{3,}(?![\w’'\-*])")


def suspect_tokens(text: str) -> list[tuple[int, int, str]]:
    """Lower-case words no English word list knows: garbled by extraction (two
    words run together, letters dropped). Flagged with a note, never rewritten."""
    found = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if _frequency(word) > 0:
            continue
        note = f"unknown word {_shown(word)}"
        split = _best_split(word)
        if split:
            note += f" (perhaps {split!r} run together)"
        found.append((match.start(), match.end(), note))
    return found


#: Longer runs of letters are no word run together; trying every split of
#: one would be quadratic in its length.
_MAX_SPLIT = 40


def _best_split(word: str) -> str | None:
    if len(word) > _MAX_SPLIT:
        return None
    best, score = None, 0.0
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        pair = min(_frequency(left), _frequency(right))
        # Two-letter pieces ("ep", "de") are frequent as names and codes; only
        # accept the very common ones ("to", "of").
        needed = 5.0 if min(len(left), len(right)) <= 2 else 3.0
        if pair >= needed and pair > score:
            best, score = f"{left} {right}", pair
    return best
