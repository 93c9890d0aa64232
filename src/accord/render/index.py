"""The index page of a pile's stories: one self-contained HTML page listing
every story (title, dates, outlets, documents, corroborated facts, conflicts),
each linked to its dossier file beside the page (``templates/index.html.j2``).

It takes the dict written as ``index.json`` (``accord.stories-index/1``), so a
saved index can be rendered again. Every string from it is escaped; the page
has no script and loads nothing.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import quote

from markupsafe import Markup

from accord.render.html import environment, static_file

__all__ = ["INDEX_SCHEMA", "to_index_html"]

INDEX_SCHEMA = "accord.stories-index/1"


def _dates(first: str | None, last: str | None) -> str:
    if not first and not last:
        return "undated"
    if first == last or not last:
        return first or ""
    return f"{first or '?'} – {last}"


def to_index_html(index: Mapping[str, Any]) -> str:
    """One HTML page listing the stories of ``index`` (the dict of
    ``index.json``) in its order, each row linking to the story's dossier by
    the relative file name under ``dossier``. The page is the Jinja2 template
    ``templates/index.html.j2`` (autoescaping on) with ``static/index.css``
    inline."""
    stories = list(index.get("stories") or [])
    csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    return environment().get_template("index.html.j2").render(
        index=index,
        stories=stories,
        documents=sum(len(s.get("documents") or []) for s in stories),
        csp=csp,
        css=Markup(static_file("index.css")),
        link=lambda story: quote(str(story.get("dossier") or ""), safe="/"),
        dates=lambda story: _dates(story.get("first_published"), story.get("last_published")),
    )
