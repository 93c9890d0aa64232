"""store: an embedded SQLite store of inputs, documents, analyses, stories and
dossiers, so that a month of feeds or an archive is read and analysed once.

    >>> with Store.open("news.db") as store:
    ...     store.add(["feeds/", "archive.jsonl"])
    ...     for story in store.stories():
    ...         store.dossier(story.id).to_html()
"""

from __future__ import annotations

import os
from typing import Iterable

from accord.model import Article, Story
from accord.pipeline import Outlets

from .store import CHUNK, AddSummary, Analyzer, DamagedStore, Duplicate, Store

__all__ = ["AddSummary", "Analyzer", "CHUNK", "DamagedStore", "Duplicate", "Store", "stories"]


def stories(
    items: Iterable[str | os.PathLike[str] | Article] | str | os.PathLike[str] | Article,
    *,
    store: Store | str | os.PathLike[str] | None = None,
    outlets: Outlets = None,
) -> list[Story]:
    """The stories the items' documents belong to, in order of their first
    document, each listing its documents' ids.

    With ``store`` (a Store or the path of one) documents already in it are not
    analysed again, the new ones are kept in it, and a story also lists the
    documents of earlier runs; without it, the documents live in memory only.
    Inputs that cannot be read are left out (``Store.add`` lists them).
    ``outlets`` as for ``accord.ingest``."""
    if isinstance(store, Store):
        return store.stories(store.add(items, outlets=outlets).documents)
    with Store.open(":memory:" if store is None else store) as opened:
        return opened.stories(opened.add(items, outlets=outlets).documents)
