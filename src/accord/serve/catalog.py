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

    def rows(self) -> list[dict[str, Any]]:
        """Every story's row, newest first."""
        with self._lock:
            version = self._store.version()
            if version != self._version:
                rows = self._store.catalog()
                rows.reverse()
                self._rows = rows
                self._outlets = sorted({o for row in rows for o in row["outlets"]}, key=str.casefold)
                self._version = version
            return self._rows

    def page(self, query: Query, rows: list[dict[str, Any]] | None = None) -> Page:
        """The stories that answer ``query``, one page of them (of ``rows``,
        as ``rows()`` gave them, when given: the search then touches no store)."""
        rows = self.rows() if rows is None else rows
        found = [row for row in rows if query.matches(row)]
        pages = max(1, math.ceil(len(found) / query.per_page))
        number = min(max(1, query.page), pages)
        start = (number - 1) * query.per_page
        return Page(found[start: start + query.per_page], number, pages, len(found), self._outlets)
