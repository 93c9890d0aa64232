"""Independence: how many distinct origins stand behind a set of passages.

Ten outlets that reprint one wire story are one source. Two passages share an
origin when both credit the same wire service (in their paragraph, or for the
whole document by a byline, dateline or author page), or when one is a
near-duplicate of the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Callable, Sequence

from accord.ingest.metadata import find_credits
from accord.model import Document, Span

__all__ = ["Sources", "count_origins", "count_outlets", "passage_wires"]

_WORD = re.compile(r"\w+")
#: Share of matching words above which two passages are one text reworded.
NEAR_DUPLICATE = 0.85
_MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class Sources:
    """The documents of a story, and which of them reprint one another (whole
    near-duplicate articles: wire copies, syndicated and updated versions)."""

    documents: dict[str, Document]
    reprint_of: dict[str, str] = field(default_factory=dict)

    def reprint_group(self, doc_id: str) -> str:
        return self.reprint_of.get(doc_id, doc_id)


def passage_wires(document: Document, span: Span) -> frozenset[str]:
    """The wire services credited for the passage: those named in its
    paragraph, and the wire of the whole document."""
    text = document.text
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    paragraph = text[start: end if end >= 0 else len(text)]
    wires = {c.name for c in find_credits(paragraph) if c.wire}
    if document.wire:
        wires.add(document.wire)
    return frozenset(wires)


def count_outlets(spans: Sequence[Span], sources: Sources) -> int:
    """Distinct outlets among the documents of the spans (a document with no
    known outlet counts as its own)."""
    return len({sources.documents[s.doc].outlet or s.doc for s in spans})


def count_origins(
    spans: Sequence[Span],
    sources: Sources,
    *,
    passage: Callable[[Span], str] | None = None,
) -> int:
    """Distinct origins behind the spans: outlets merged when their passages
    credit a common wire service, are near-duplicates, or stand in articles
    that reprint one another. ``passage`` gives the words compared for
    near-duplication (default: the span's text)."""
    documents = sources.documents
    outlets: dict[str, list[Span]] = {}
    for span in spans:
        outlets.setdefault(documents[span.doc].outlet or span.doc, []).append(span)
    names = list(outlets)
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    wires = [set().union(*(passage_wires(documents[s.doc], s) for s in outlets[n])) for n in names]
    reprints = [{sources.reprint_group(s.doc) for s in outlets[n]} for n in names]
    words = [[_words((passage or _text)(s)) for s in outlets[n]] for n in names]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if wires[i] & wires[j] or reprints[i] & reprints[j] or any(_near(a, b) for a in words[i] for b in words[j]):
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(names))})


def _text(span: Span) -> str:
    return span.text


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _near(a: list[str], b: list[str]) -> bool:
    if min(len(a), len(b)) < _MIN_WORDS:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_DUPLICATE
