"""Near-duplicates: reprints, syndicated copies and updated versions of one
article.

Each document's body is cut into overlapping runs of words (shingles); its
sketch is the hashes of its ``SKETCH`` smallest shingle hashes (a bottom-k
MinHash: one hash per shingle instead of one per shingle per permutation, so it
costs little in pure Python). Two sketches estimate the Jaccard similarity of
the two shingle sets. Candidates come from an inverted index over sketch
values, so a document is compared only with documents sharing part of its
sketch, never with all of them. Titles are metadata, not body: a reprint under
a new headline is still a duplicate.
"""

from __future__ import annotations

import heapq
import re
from hashlib import blake2b
from typing import Sequence

from accord.errors import UsageError
from accord.model import Document
from accord.settings import DEFAULT, Settings

__all__ = ["DuplicateIndex", "near_duplicates", "sketch", "resemblance"]

#: The defaults, kept under their old names for callers that read them; the
#: values (and where they came from) live in ``accord.settings``.
SHINGLE_WORDS = DEFAULT.duplicate_shingle_words
SKETCH = DEFAULT.duplicate_sketch

_WORD = re.compile(r"\w+")


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[str]:
    """The runs of ``size`` lowercased words of a text (the whole text as one
    shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash(shingle: str) -> int:
    return int.from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def sketch(text: str, *, settings: Settings = DEFAULT) -> tuple[int, ...]:
    """The ``duplicate_sketch`` smallest shingle hashes of a text, ascending;
    the same text always gives the same sketch (no per-process hash seed)."""
    found = {_hash(s) for s in shingles(text, size=settings.duplicate_shingle_words)}
    return tuple(heapq.nsmallest(settings.duplicate_sketch, found))


def resemblance(a: Sequence[int], b: Sequence[int], *, size: int = SKETCH) -> float:
    """Estimated Jaccard similarity of two texts from their sketches: of the
    smallest hashes of the union, the share found in both."""
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    union = heapq.nsmallest(size, set_a | set_b)
    both = sum(1 for h in union if h in set_a and h in set_b)
    return both / len(union)


class DuplicateIndex:
    """Near-duplicate detection one document at a time.

    ``add`` returns the ids of earlier documents the new one is a near-duplicate
    of; ``groups()`` gives every group of two or more such documents."""

    def __init__(self, *, threshold: float | None = None, settings: Settings = DEFAULT) -> None:
        threshold = settings.duplicate_threshold if threshold is None else threshold
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"near-duplicate threshold must lie in (0, 1], not {threshold}")
        self.threshold = threshold
        self.settings = settings
        self._sketches: dict[str, tuple[int, ...]] = {}
        self._postings: dict[int, list[str]] = {}
        self._parent: dict[str, str] = {}

    def add(self, document: Document) -> list[str]:
        """Index one document; the ids of earlier documents it nearly repeats."""
        if document.id in self._sketches:
            raise UsageError(f"document {document.id} was already added; ids must be unique")
        mine = sketch(document.text, settings=self.settings)
        shared: dict[str, int] = {}
        for value in mine:
            posting = self._postings.get(value)
            if not posting or len(posting) > self.settings.duplicate_max_postings:
                continue
            for other in posting:
                shared[other] = shared.get(other, 0) + 1
        # Two sets with Jaccard J share about J of the union's smallest hashes;
        # half of that is a generous floor for candidates worth estimating.
        floor = max(1, int(len(mine) * self.threshold / 2))
        matches = [
            other for other, count in shared.items()
            if count >= floor
            and resemblance(mine, self._sketches[other], size=self.settings.duplicate_sketch) >= self.threshold
        ]
        self._sketches[document.id] = mine
        self._parent[document.id] = document.id
        for value in mine:
            self._postings.setdefault(value, []).append(document.id)
        for other in matches:
            self._union(document.id, other)
        return matches

    def groups(self) -> list[list[str]]:
        """Groups of near-duplicate documents (two or more), each in the order
        documents were added, groups in the order of their first document."""
        members: dict[str, list[str]] = {}
        for doc_id in self._sketches:
            members.setdefault(self._find(doc_id), []).append(doc_id)
        return [group for group in members.values() if len(group) > 1]

    def _find(self, doc_id: str) -> str:
        parent = self._parent
        root = doc_id
        while parent[root] != root:
            root = parent[root]
        while parent[doc_id] != root:
            parent[doc_id], doc_id = root, parent[doc_id]
        return root

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            self._parent[root_b] = root_a


def near_duplicates(
    documents: Sequence[Document], *, threshold: float | None = None, settings: Settings = DEFAULT
) -> list[list[str]]:
    """Groups of ids of documents whose bodies nearly repeat each other
    (estimated Jaccard similarity of their word 5-gram sets at least
    ``threshold``, by default ``settings.duplicate_threshold``): reprints, syndicated copies, updated versions. Documents in
    no group are left out. Groups are transitive: if A repeats B and B repeats
    C, all three are one group."""
    index = DuplicateIndex(threshold=threshold, settings=settings)
    for document in documents:
        index.add(document)
    return index.groups()
