"""Independence: how many distinct origins stand behind a set of passages.

Ten outlets that reprint one wire story are one source. Two outlets' passages
share an origin when the outlets have one owner (from the outlet registry),
when both credit the same wire service (in their paragraph, or for the whole
document by a byline, dateline or author page) or one of them is that wire,
when their articles reprint one another, or when one passage is a
near-duplicate of the other.

An encyclopedia, an aggregator, a press release, a government or a research
publication is counted among the outlets but is no independent origin: it
passes on what others reported, or is itself what the reports report on. A
fact needs two origins of news kinds to be corroborated.

Near-duplicate passages are found without comparing every pair: identical
passages are merged by hashing, and the others are compared only with those
sharing one of their rarest words (prefix filtering), which cannot miss a pair
whose word-sequence similarity reaches the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Callable, Sequence

from accord.ingest.metadata import find_credits, wire_of
from accord.ingest.outlets import ORIGIN_KINDS
from accord.model import Document, Span
from accord.settings import DEFAULT, Settings

__all__ = ["Sources", "count_origins", "count_outlets", "passage_wires", "same_source"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Sources:
    """The documents of a story, and which of them reprint one another (whole
    near-duplicate articles: wire copies, syndicated and updated versions)."""

    documents: dict[str, Document]
    reprint_of: dict[str, str] = field(default_factory=dict)

    def reprint_group(self, doc_id: str) -> str:
        return self.reprint_of.get(doc_id, doc_id)


def passage_wires(document: Document, span: Span) -> frozenset[str]:
    """The wire services behind the passage: those named in its paragraph,
    the wire of the whole document, and the outlet itself when it is a wire."""
    text = document.text
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    paragraph = text[start: end if end >= 0 else len(text)]
    wires = {c.name for c in find_credits(paragraph) if c.wire}
    if document.wire:
        wires.add(document.wire)
    own = _own_wire(document)
    if own:
        wires.add(own)
    return frozenset(wires)


def _own_wire(document: Document) -> str | None:
    """The wire service the document's outlet is, if it is one: its name as
    credits spell it ("Associated Press" is credited as "AP")."""
    if not document.outlet:
        return None
    name = wire_of(document.outlet)
    if name:
        return name
    return document.outlet if document.outlet_kind == "wire" else None


def _outlet_key(document: Document) -> str:
    return document.outlet or document.id


def count_outlets(spans: Sequence[Span], sources: Sources) -> int:
    """Distinct outlets among the documents of the spans (a document with no
    known outlet counts as its own), whatever their kind."""
    return len({_outlet_key(sources.documents[s.doc]) for s in spans})


def count_origins(
    spans: Sequence[Span],
    sources: Sources,
    *,
    passage: Callable[[Span], str] | None = None,
    settings: Settings = DEFAULT,
) -> int:
    """Distinct independent origins behind the spans: outlets merged when they
    have one owner, when their passages credit a common wire service (or one
    outlet is that wire), stand in articles that reprint one another, or are
    near-duplicates (word-sequence similarity of at least
    ``settings.near_duplicate_passage``). Only groups with an outlet of a news
    kind count; spans from none (only an encyclopedia, an aggregator, a press
    release...) are one origin. ``passage`` gives the words compared for
    near-duplication (default: the span's text). Runs in about linear time in
    the number of spans for copies and near-copies of one passage."""
    if not spans:
        return 0
    documents = sources.documents
    outlets: dict[str, list[Span]] = {}
    for span in spans:
        outlets.setdefault(_outlet_key(documents[span.doc]), []).append(span)
    names = list(outlets)
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        root_i, root_j = find(i), find(j)
        if root_i != root_j:
            parent[root_j] = root_i

    # Owners, wires and reprint groups: outlets sharing a key are one origin.
    first_with: dict[tuple[str, str], int] = {}
    for index, name in enumerate(names):
        keys: set[tuple[str, str]] = set()
        for span in outlets[name]:
            document = documents[span.doc]
            if document.owner:
                keys.add(("owner", document.owner))
            keys.update(("wire", w) for w in passage_wires(document, span))
            keys.add(("reprint", sources.reprint_group(span.doc)))
        for key in keys:
            union(first_with.setdefault(key, index), index)
    originates = [any(_originates(documents[s.doc]) for s in outlets[n]) for n in names]
    if len({find(i) for i in range(len(names))}) > 1:
        text_of = passage or _text
        records = [(index, _words(text_of(span))) for index, name in enumerate(names) for span in outlets[name]]
        _merge_near_duplicates(records, find, union, settings)
    roots = {find(i) for i in range(len(names)) if originates[i]}
    return max(1, len(roots))


def _originates(document: Document) -> bool:
    return document.outlet_kind is None or document.outlet_kind in ORIGIN_KINDS


def _text(span: Span) -> str:
    return span.text


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _merge_near_duplicates(
    records: list[tuple[int, list[str]]],
    find: Callable[[int], int],
    union: Callable[[int, int], None],
    settings: Settings,
) -> None:
    """Union the outlets of every two records whose word sequences are
    near-duplicates (``SequenceMatcher.ratio() >= threshold``, both at least
    ``near_duplicate_min_words`` long).

    Identical word sequences are merged by hashing. For the others: a ratio
    of at least t needs at least t·la/(2−t) matched words, so two
    near-duplicate records share a word (counted with its occurrence number)
    among the first la − ⌈t·la/(2−t)⌉ + 1 of their words ordered rarest first;
    only records sharing such a word are compared, and not at all when their
    outlets are already one origin (the index keeps each word's records by
    origin, so a thousand copies already merged are passed over at once)."""
    threshold = settings.near_duplicate_passage
    min_words = settings.near_duplicate_min_words
    # Identical passages: one record each, their outlets merged.
    distinct: dict[tuple[str, ...], int] = {}
    for outlet, words in records:
        if len(words) < min_words:
            continue
        key = tuple(words)
        if key in distinct:
            union(distinct[key], outlet)
        else:
            distinct[key] = outlet
    if len(distinct) < 2:
        return
    items = [(outlet, list(words)) for words, outlet in distinct.items()]
    # Words with their occurrence number, so that a multiset is a set.
    tokens = [frozenset(f"{w}\x00{n}" for w, n in _numbered(words)) for _, words in items]
    frequency = Counter(t for ts in tokens for t in ts)
    share = threshold / (2 - threshold)
    # word -> origin (root outlet) -> records; origin -> the words it is filed under
    index: dict[str, dict[int, list[int]]] = {}
    filed: dict[int, set[str]] = {}

    def join(a: int, b: int) -> None:
        """Union two origins, refiling the smaller one's records under the union."""
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            return
        if len(filed.get(root_a, ())) < len(filed.get(root_b, ())):
            root_a, root_b = root_b, root_a
        union(root_a, root_b)
        moved = filed.pop(root_b, set())
        for token in moved:
            index[token].setdefault(root_a, []).extend(index[token].pop(root_b))
        filed.setdefault(root_a, set()).update(moved)

    for number, ((outlet, words), own) in enumerate(zip(items, tokens)):
        size = len(words)
        prefix = sorted(own, key=lambda t: (frequency[t], t))[: size - math.ceil(share * size - 1e-9) + 1]
        for token in prefix:
            for root in list(index.get(token, ())):
                if root != find(root) or root == find(outlet):
                    continue  # refiled since, or already one origin with this record
                for other in index[token][root]:
                    other_outlet, other_words = items[other]
                    if _near(words, own, other_words, tokens[other], threshold):
                        join(outlet, other_outlet)
                        break
        root = find(outlet)
        for token in prefix:
            index.setdefault(token, {}).setdefault(root, []).append(number)
        filed.setdefault(root, set()).update(prefix)


def _near(a: list[str], a_tokens: frozenset[str], b: list[str], b_tokens: frozenset[str], threshold: float) -> bool:
    """Whether two word sequences are near-duplicates; the cheap bounds (length,
    words in common) first, the matcher only when they allow it."""
    total = len(a) + len(b)
    if 2 * min(len(a), len(b)) < threshold * total:
        return False
    if len(a_tokens & b_tokens) < math.ceil(threshold * total / 2 - 1e-9):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


def _numbered(words: list[str]) -> list[tuple[str, int]]:
    seen: Counter[str] = Counter()
    numbered = []
    for word in words:
        seen[word] += 1
        numbered.append((word, seen[word]))
    return numbered


def same_source(a: str, b: str) -> bool:
    """Two names of one source: equal, one inside the other ("the White
    House" / "White House"), or ending in the same word of four letters or
    more ("Bob Etheridge" / "Etheridge"). A shared first word is not enough:
    "Chicago Police" and "the Chicago Tribune" are two sources."""
    words_a, words_b = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not words_a or not words_b:
        return words_a == words_b
    # Whole words inside the other's ("police" is not "ice").
    inner_a, inner_b = f" {' '.join(words_a)} ", f" {' '.join(words_b)} "
    if inner_a in inner_b or inner_b in inner_a:
        return True
    return len(words_a[-1]) >= 4 and words_a[-1] == words_b[-1]
