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

__all__ = ["DuplicateIndex", "near_duplicates", "sketch", "resemblance"]

#: Words per shingle: long enough that two independent reports of one event
#: rarely share many, short enough that an edited sentence spoils few.
SHINGLE_WORDS = 5
#: Hashes kept per document; the estimate's standard error is about
#: sqrt(J(1-J)/SKETCH), 0.035 at J = 0.8.
SKETCH = 128
#: A sketch value shared by more documents than this is boilerplate (a
#: newsletter footer, a standard disclaimer) and proposes no candidates.
MAX_POSTINGS = 1000

_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The runs of ``SHINGLE_WORDS`` lowercased words of a text (the whole text
    as one shingle when it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _hash(shingle: str) -> int:
    return int.from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def sketch(text: str) -> tuple[int, ...]:
    """The ``SKETCH`` smallest shingle hashes of a text, ascending; the same
    text always gives the same sketch (no per-process hash seed)."""
    return tuple(heapq.nsmallest(SKETCH, {_hash(s) for s in shingles(text)}))


def resemblance(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts from their sketches: of the
    smallest hashes of the union, the share found in both."""
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    union = heapq.nsmallest(SKETCH, set_a | set_b)
    both = sum(1 for h in union if h in set_a and h in set_b)
    return both / len(union)


class DuplicateIndex:
    """Near-duplicate detection one document at a time.

    ``add`` returns the ids of earlier documents the new one is a near-duplicate
    of; ``groups()`` gives every group of two or more such documents."""

    def __init__(self, *, threshold: float = 0.8) -> None:
        if not 0.0 < threshold <= 1.0:
            raise UsageError(f"near-duplicate threshold must lie in (0, 1], not {threshold}")
        self.threshold = threshold
        self._sketches: dict[str, tuple[int, ...]] = {}
        self._postings: dict[int, list[str]] = {}
        self._parent: dict[str, str] = {}

    def add(self, document: Document) -> list[str]:
        """Index one document; the ids of earlier documents it nearly repeats."""
        if document.id in self._sketches:
            raise UsageError(f"document {document.id} was already added; ids must be unique")
        mine = sketch(document.text)
        shared: dict[str, int] = {}
        for value in mine:
            posting = self._postings.get(value)
            if not posting or len(posting) > MAX_POSTINGS:
                continue
            for other in posting:
                shared[other] = shared.get(other, 0) + 1
        # Two sets with Jaccard J share about J of the union's smallest hashes;
        # half of that is a generous floor for candidates worth estimating.
        floor = max(1, int(len(mine) * self.threshold / 2))
        matches = [
            other for other, count in shared.items()
            if count >= floor and resemblance(mine, self._sketches[other]) >= self.threshold
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


def near_duplicates(documents: Sequence[Document], *, threshold: float = 0.8) -> list[list[str]]:
    """Groups of ids of documents whose bodies nearly repeat each other
    (estimated Jaccard similarity of their word 5-gram sets at least
    ``threshold``): reprints, syndicated copies, updated versions. Documents in
    no group are left out. Groups are transitive: if A repeats B and B repeats
    C, all three are one group."""
    index = DuplicateIndex(threshold=threshold)
    for document in documents:
        index.add(document)
    return index.groups()
