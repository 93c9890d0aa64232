"""serve: a local web app over a store (``accord serve --store FILE``).

    >>> from accord.serve import create_app
    >>> create_app("news.db").run(host="127.0.0.1", port=8765)
"""

from __future__ import annotations

from .app import create_app
from .catalog import Catalog, Page, Query

__all__ = ["Catalog", "Page", "Query", "create_app"]
