"""The dossier as tables: one row per fact, quote, statement, conflict,
document and outlet's coverage, for a notebook or a spreadsheet (CSV), and a
compact HTML view for Jupyter. Columns that hold several values (the outlets
of a fact, the sides of a conflict) are lists; CSV joins them with "; ".

Rows are plain dicts (``rows``); ``frames`` turns them into pandas DataFrames
when pandas is installed (the ``accord[pandas]`` extra). Like the other
renderers, everything here works on the dossier *dict* (the JSON contract).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from accord.render.report import coverage_rows, document_label, documents_by_id

__all__ = ["TABLES", "csv_text", "frames", "notebook_html", "rows"]

#: The tables a dossier gives, in the order a reader wants them.
TABLES = ("conflicts", "facts", "statements", "quotes", "documents", "coverage")


def _outlets(spans: list[Mapping[str, Any]], documents: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The outlets (names, not document ids) of ``spans``, each once, in order."""
    names: list[str] = []
    for span in spans:
        name = document_label(documents, span["doc"])
        if name not in names:
            names.append(name)
    return names


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
            "documents": list(dict.fromkeys(s["doc"] for s in support)),
            "questioned_by": _outlets([s for s in support if s.get("stance", "asserts") not in ("asserts",)], documents),
            # Who owns and what kind are the outlets that carry it: a fact only
            # outlets of one owner or one kind carry shows here.
            "owners": sorted({str(documents[s["doc"]]["owner"]) for s in support
                              if documents.get(s["doc"], {}).get("owner")}),
            "kinds": sorted({str(documents[s["doc"]]["outlet_kind"]) for s in support
                             if documents.get(s["doc"], {}).get("outlet_kind")}),
        })
    for quote in dossier.get("quotes", []):
        out["quotes"].append({
            "id": quote["id"], "doc": quote["doc"],
            "outlet": document_label(documents, quote["doc"]),
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
            "differences": [d.get("note", "") for d in statement.get("differences", [])],
        })
    for conflict in dossier.get("conflicts", []):
        sides = conflict.get("sides", [])
        out["conflicts"].append({
            "id": conflict["id"], "kind": conflict.get("kind", "value"), "severity": conflict.get("severity"),
            "topic": conflict["topic"], "description": conflict.get("description", ""),
            "sides": [side["value"] for side in sides],
            "side_outlets": [_outlets(side.get("support", []), documents) for side in sides],
        })
    out["documents"] = _documents(dossier)
    out["coverage"] = _coverage(dossier, out["documents"])
    return out


def _documents(dossier: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per document: its outlet and what the registry says of it."""
    by_id = {d["id"]: d for d in dossier.get("documents", [])}
    return [{
        "id": d["id"], "outlet": document_label(by_id, d["id"]), "owner": d.get("owner"), "kind": d.get("outlet_kind"),
        "country": d.get("outlet_country"), "lean": d.get("outlet_lean"),
        "title": d.get("title"), "published": d.get("published"), "url": d.get("url"), "source": d.get("source"),
        "wire": d.get("wire"), "authors": list(d.get("authors") or []),
    } for d in dossier.get("documents", [])]


def _coverage(dossier: Mapping[str, Any], documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per document: the coverage counts of the report (asserted,
    corroborated, exclusive, disputed), its outlet's owner, kind, country and lean, whether
    it was among the first published, and the facts it alone reports."""
    by_id = {d["id"]: d for d in documents}
    exclusive = {str(row.get("doc")): list(row.get("exclusive", [])) for row in dossier.get("coverage", [])}
    out = []
    for row in coverage_rows(dossier):
        document = by_id.get(row["doc"], {})
        out.append({
            "doc": row["doc"], "outlet": document.get("outlet", row["doc"]), "published": document.get("published"),
            **{k: v for k, v in row.items() if k != "doc"},
            "exclusive_facts": exclusive.get(row["doc"], []),
        })
    return out


def csv_text(table: list[dict[str, Any]]) -> str:
    """One table of ``rows`` as CSV text (a header row, then one line a row;
    list cells joined with "; ", missing values empty)."""
    import csv
    import io

    stream = io.StringIO()
    columns = list(dict.fromkeys(key for row in table for key in row))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in table:
        writer.writerow(["; ".join(str(v) for v in value) if isinstance(value, list) else "" if value is None else value
                         for value in (row.get(c) for c in columns)])
    return stream.getvalue()


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

    conflicts = [f"<b>{e(c['topic'])}</b>: {e(c['description'] or ' | '.join(c['sides']))}" for c in tables["conflicts"]]
    corroborated = [f"{e(f['text'])} <small>({e(', '.join(f['sources']))}; {f['independent']} independent)</small>"
                    for f in facts if f["status"] == "corroborated"]
    disputed = [f"{e(f['text'])} <small>(questioned by {e(', '.join(f['questioned_by']) or 'other outlets')})</small>"
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
