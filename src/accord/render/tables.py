"""The dossier as tables: one row per fact, quote, statement and conflict, for
a notebook or a spreadsheet, and a compact HTML view for Jupyter.

Rows are plain dicts (``rows``); ``frames`` turns them into pandas DataFrames
when pandas is installed (the ``accord[pandas]`` extra). Like the other
renderers, everything here works on the dossier *dict* (the JSON contract).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from accord.render.report import document_label, documents_by_id

__all__ = ["TABLES", "frames", "notebook_html", "rows"]

#: The tables a dossier gives, in the order a reader wants them.
TABLES = ("conflicts", "facts", "statements", "quotes")


def _outlets(spans: list[Mapping[str, Any]], documents: Mapping[str, Mapping[str, Any]]) -> str:
    names = []
    for span in spans:
        name = document_label(documents.get(span["doc"], {}), span["doc"])
        if name not in names:
            names.append(name)
    return ", ".join(names)


def rows(dossier: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The dossier's facts, quotes, statements and conflicts as lists of flat
    rows (one dict per item; spans flattened to documents and outlets)."""
    documents = documents_by_id(dossier)
    entities = {e["id"]: e["name"] for e in dossier.get("entities", [])}
    quotes = {q["id"]: q for q in dossier.get("quotes", [])}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for fact in dossier.get("facts", []):
        support = fact.get("support", [])
        out["facts"].append({
            "id": fact["id"], "status": fact["status"], "independent": fact["independent"],
            "outlets": fact["outlets"], "text": fact["text"], "sources": _outlets(support, documents),
            "documents": ", ".join(s["doc"] for s in support),
            "questioned_by": _outlets([s for s in support if s.get("stance", "asserts") not in ("asserts",)], documents),
        })
    for quote in dossier.get("quotes", []):
        out["quotes"].append({
            "id": quote["id"], "doc": quote["doc"],
            "outlet": document_label(documents.get(quote["doc"], {}), quote["doc"]),
            "kind": quote["kind"], "speaker": entities.get(quote.get("speaker") or "", quote.get("speaker_name")),
            "text": quote["text"], "start": quote["span"]["start"], "end": quote["span"]["end"],
        })
    for statement in dossier.get("statements", []):
        members = [quotes[q] for q in statement.get("quotes", []) if q in quotes]
        out["statements"].append({
            "id": statement["id"], "speaker": entities.get(statement.get("speaker") or "", statement.get("speaker_name")),
            "agreement": statement["agreement"], "outlets": statement["outlets"],
            "independent": statement["independent"], "text": statement.get("text") or (members[0]["text"] if members else ""),
            "sources": _outlets([q["span"] for q in members], documents),
            "differences": "; ".join(d.get("note", "") for d in statement.get("differences", [])),
        })
    for conflict in dossier.get("conflicts", []):
        sides = conflict.get("sides", [])
        out["conflicts"].append({
            "id": conflict["id"], "kind": conflict.get("kind", "value"), "severity": conflict.get("severity"),
            "topic": conflict["topic"], "description": conflict.get("description", ""),
            "sides": " | ".join(f"{side['value']} ({_outlets(side.get('support', []), documents)})" for side in sides),
        })
    return out


def frames(dossier: Mapping[str, Any]) -> dict[str, Any]:
    """The tables of ``rows`` as pandas DataFrames (needs pandas: ``pip install
    accord[pandas]``). Raises ImportError with that advice when it is missing."""
    try:
        import pandas as pd
    except ImportError as error:  # the extra is optional; say how to get it
        raise ImportError("Dossier tables need pandas: pip install 'accord[pandas]'") from error
    return {name: pd.DataFrame(table) for name, table in rows(dossier).items()}


def notebook_html(dossier: Mapping[str, Any], *, limit: int = 10) -> str:
    """A compact view for Jupyter: the story, its counts, the conflicts first,
    then the corroborated facts, each list folded after ``limit`` items in a
    ``<details>`` element. Every string is escaped."""
    def e(value: object) -> str:
        return html.escape("" if value is None else str(value), quote=True)
    tables = rows(dossier)
    story = dossier.get("story") or {}
    facts = tables["facts"]
    counts = {
        "documents": len(dossier.get("documents", [])),
        "facts": len(facts),
        "corroborated": sum(f["status"] == "corroborated" for f in facts),
        "disputed": sum(f["status"] == "disputed" for f in facts),
        "conflicts": len(tables["conflicts"]),
        "statements": len(tables["statements"]),
        "skipped": len(dossier.get("skipped", [])),
    }

    def listing(title: str, items: list[str]) -> str:
        if not items:
            return ""
        shown = "".join(f"<li>{item}</li>" for item in items[:limit])
        more = ""
        if len(items) > limit:
            rest = "".join(f"<li>{item}</li>" for item in items[limit:])
            more = f"<details><summary>{len(items) - limit} more</summary><ul>{rest}</ul></details>"
        return f"<h4>{e(title)}</h4><ul>{shown}</ul>{more}"

    conflicts = [f"<b>{e(c['topic'])}</b>: {e(c['description'] or c['sides'])}" for c in tables["conflicts"]]
    corroborated = [f"{e(f['text'])} <small>({e(f['sources'])}; {f['independent']} independent)</small>"
                    for f in facts if f["status"] == "corroborated"]
    disputed = [f"{e(f['text'])} <small>(questioned by {e(f['questioned_by'] or 'other outlets')})</small>"
                for f in facts if f["status"] == "disputed"]
    badges = " · ".join(f"<b>{n}</b> {e(name)}" for name, n in counts.items() if n or name in ("facts", "documents"))
    dates = " – ".join(d for d in dict.fromkeys([story.get("first_published"), story.get("last_published")]) if d)
    return (
        '<div class="accord-dossier">'
        f"<h3>{e(story.get('title') or 'Untitled story')}</h3>"
        f"<p>{e(dates)}{' · ' if dates else ''}{badges}</p>"
        f"{listing('Where outlets disagree', conflicts)}"
        f"{listing('Disputed facts', disputed)}"
        f"{listing('Corroborated facts', corroborated)}"
        "<p><small>Tables: <code>dossier.to_pandas()</code>; the full report: <code>dossier.to_html()</code>."
        "</small></p></div>"
    )
