"""The story list of a store as the web app shows it: searched, filtered by
date and outlet, and paged, without making any dossier.

The rows come from ``Store.catalog`` (one SQL pass over the store) and are kept
until the store changes, so a list page over 100,000 documents costs a scan of
the cached rows, not of the store.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

from accord.store import Store

__all__ = ["Catalog", "Page", "Query"]


@dataclass(frozen=True, slots=True)
class Query:
    """What the user asked the list for. Dates are YYYY-MM-DD (or prefixes of
    it); empty fields filter nothing."""

    text: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    page: int = 1
    per_page: int = 50

    def matches(self, row: dict[str, Any]) -> bool:
        """Whether a catalog row answers the query."""
        if self.text:
            haystack = " ".join([row["title"] or "", *row["outlets"]]).casefold()
            if not all(word in haystack for word in self.text.casefold().split()):
                return False
        if self.outlet and self.outlet not in row["outlets"]:
            return False
        # A story overlaps [since, until] when it ends on or after since and
        # starts on or before until; stories of unknown date match no date filter.
        if self.since and not (row["last_published"] and row["last_published"] >= self.since):
            return False
        if self.until and not (row["first_published"] and row["first_published"][: len(self.until)] <= self.until):
            return False
        return True


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the story list."""

    stories: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    outlets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"stories": self.stories, "page": self.page, "pages": self.pages, "total": self.total}


class Catalog:
    """The stories of one store, reloaded when the store changes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._rows: list[dict[str, Any]] = []
        self._outlets: list[str] = []
        #: Counts of dossiers made for a view (read-only: not in the store).
        self._counts: dict[str, dict[str, int]] = {}

    def rows(self) -> list[dict[str, Any]]:
        """Every story's row, newest first: by its last publication (then its
        first), stories without dates last, the later story first on a tie.
        Counts the store has no fresh dossier for come from ``counted``."""
        with self._lock:
            version = self._store.version()
            if version != self._version:
                rows = self._store.catalog()
                for seq, row in enumerate(rows):
                    row["_seq"] = seq
                rows.sort(key=lambda r: (r["last_published"] or r["first_published"] or "", r["_seq"]), reverse=True)
                for row in rows:
                    del row["_seq"]
                    if row["facts"] is None and row["id"] in self._counts:
                        row.update(self._counts[row["id"]])
                self._rows = rows
                self._outlets = sorted({o for row in rows for o in row["outlets"]}, key=str.casefold)
                self._version = version
            return self._rows

    def counted(self, story_id: str, counts: dict[str, int]) -> None:
        """Keep a story's counts (facts, corroborated, conflicts) from a
        dossier made for a view, so the list shows them from then on."""
        with self._lock:
            self._counts[story_id] = dict(counts)
            for row in self._rows:
                if row["id"] == story_id and row["facts"] is None:
                    row.update(counts)

    def stories_of(self, doc_id: str, documents: dict[str, list[str]]) -> list[dict[str, Any]]:
        """The rows of the stories (by ``documents``: story id to its document
        ids) that hold ``doc_id``."""
        return [row for row in self.rows() if doc_id in documents.get(row["id"], [])]

    def page(self, query: Query, rows: list[dict[str, Any]] | None = None) -> Page:
        """The stories that answer ``query``, one page of them (of ``rows``,
        as ``rows()`` gave them, when given: the search then touches no store)."""
        rows = self.rows() if rows is None else rows
        found = [row for row in rows if query.matches(row)]
        pages = max(1, math.ceil(len(found) / query.per_page))
        number = min(max(1, query.page), pages)
        start = (number - 1) * query.per_page
        return Page(found[start: start + query.per_page], number, pages, len(found), self._outlets)
