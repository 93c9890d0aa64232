"""What the Markdown and HTML reports share: numbered citations of spans,
how documents are named, how dates read.

Both reports work on the dossier *dict* (the JSON contract), so a saved dossier
can be rendered again without the pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.lexicon import MONTHS

__all__ = [
    "Citation",
    "CitationIndex",
    "agreement_badge",
    "coverage_rows",
    "counted",
    "document_label",
    "documents_by_id",
    "format_date",
    "outlet_count",
]

#: The most conflicts a report shows, most severe first, before it says how
#: many more the dossier's JSON lists (issue 20: a reader checks the top
#: ones; the five reports give 3, a 14-outlet story gave 64 before issue 20).
MAX_CONFLICTS = 10

_MONTHS = MONTHS  # accord.lexicon


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited span with the number the report shows for it."""

    number: int
    doc: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class CitationIndex:
    """Gives each distinct (doc, start, end) span one number, in the order the
    report first cites it, so the same passage always carries the same number."""

    _by_key: dict[tuple[str, int, int], Citation] = field(default_factory=dict)

    def cite(self, span: Mapping[str, Any]) -> Citation:
        """The citation of ``span`` (a Span dict), numbering it if it is new."""
        key = (str(span["doc"]), int(span["start"]), int(span["end"]))
        found = self._by_key.get(key)
        if found is None:
            found = Citation(
                len(self._by_key) + 1, key[0], key[1], key[2], str(span.get("text", ""))
            )
            self._by_key[key] = found
        return found

    def cite_all(self, spans: Sequence[Mapping[str, Any]]) -> list[Citation]:
        """Citations of ``spans``, without repeats, in the order given."""
        seen: set[int] = set()
        out: list[Citation] = []
        for span in spans:
            citation = self.cite(span)
            if citation.number not in seen:
                seen.add(citation.number)
                out.append(citation)
        return out

    def all(self) -> list[Citation]:
        """Every citation so far, by number."""
        return list(self._by_key.values())

    def by_document(self) -> dict[str, list[Citation]]:
        """The citations grouped by the document they cite, each group by number."""
        groups: dict[str, list[Citation]] = {}
        for citation in self._by_key.values():
            groups.setdefault(citation.doc, []).append(citation)
        return groups


def documents_by_id(dossier: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The dossier's documents keyed by id."""
    return {str(d["id"]): d for d in dossier.get("documents", [])}


def document_label(documents: Mapping[str, Mapping[str, Any]], doc_id: str) -> str:
    """How a reader names a document: its outlet, else the file name of its
    source, else its id (a span may name a document the dossier left out)."""
    document = documents.get(doc_id)
    if document is None:
        return doc_id
    source = str(document.get("source") or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return str(document.get("outlet") or source or doc_id)


def difference_outlet(
    documents: Mapping[str, Mapping[str, Any]],
    quotes: Mapping[str, Mapping[str, Any]],
    difference: Mapping[str, Any],
) -> str:
    """Who reported the version a statement's difference is about: the outlet
    of its quote's document, else the quote id."""
    quote = quotes.get(str(difference.get("quote")))
    return document_label(documents, str(quote["doc"])) if quote else str(difference.get("quote"))


def agreement_badge(statement: Mapping[str, Any]) -> str | None:
    """The agreement a report shows beside a statement, or None: one version
    agrees with nothing, and versions of one outlet that are the same words
    are that outlet repeating itself, not outlets agreeing."""
    if len(statement.get("quotes", [])) < 2:
        return None
    agreement = statement.get("agreement")
    if agreement == "identical" and int(statement.get("outlets", 0)) < 2:
        return None
    return str(agreement) if agreement else None


def coverage_rows(dossier: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Coverage as a reader compares outlets: for each document (in the
    dossier's coverage order), how many facts it asserts in its own voice (a
    passage that denies, questions or only relays a fact is not asserting it),
    how many of those are corroborated, how many of those only it reports, and
    how many of the facts it reports are disputed; with its outlet's owner and
    kind (the registry's) and whether it published on the story's first day
    while others came later."""
    facts = {str(f.get("id")): f for f in dossier.get("facts", [])}
    documents = {str(d.get("id")): d for d in dossier.get("documents", [])}
    dates = sorted(str(d["published"])[:10] for d in documents.values() if d.get("published"))
    rows = []
    for row in dossier.get("coverage", []):
        doc = str(row.get("doc"))
        document = documents.get(doc, {})
        reported = [facts[str(f)] for f in row.get("facts", []) if str(f) in facts]

        def asserts(fact: Mapping[str, Any]) -> bool:
            spans = [s for s in fact.get("support", []) if str(s.get("doc")) == doc]
            return not spans or any(s.get("stance") in (None, "asserts") for s in spans)

        asserted = [f for f in reported if asserts(f)]
        exclusive = {str(f) for f in row.get("exclusive", [])}
        rows.append({
            "doc": doc,
            "asserted": len(asserted),
            "corroborated": sum(1 for f in asserted if f.get("status") == "corroborated"),
            # Of the facts it asserts, those only it reports: never more than it asserts.
            "exclusive": sum(1 for f in asserted if str(f.get("id")) in exclusive),
            "disputed": sum(1 for f in reported if f.get("status") == "disputed"),
            # From the outlet registry, and whether it published on the story's first day.
            "owner": document.get("owner"),
            "kind": document.get("outlet_kind"),
            "country": document.get("outlet_country"),
            "lean": document.get("outlet_lean"),
            # (only when some report came later: "first" of reports of one day says nothing)
            "first": bool(dates) and dates[0] != dates[-1] and str(document.get("published") or "")[:10] == dates[0],
        })
    return rows


def outlet_count(dossier: Mapping[str, Any]) -> int:
    """How many distinct outlets the dossier's documents come from (a document
    without an outlet counts as its own)."""
    return len({str(d.get("outlet") or d.get("id")) for d in dossier.get("documents", [])})


def format_date(value: str | None, precision: str = "day") -> str:
    """A YYYY-MM-DD date as a reader says it ("12 March 2024", "March 2024",
    "2024" by precision); "undated" for None; anything unparsable as given."""
    if not value:
        return "undated"
    parts = str(value).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 0
        day = int(parts[2]) if len(parts) > 2 else 0
    except ValueError:
        return str(value)
    if precision == "year" or not 1 <= month <= 12:
        return str(year)
    if precision == "month" or not 1 <= day <= 31:
        return f"{_MONTHS[month - 1]} {year}"
    return f"{day} {_MONTHS[month - 1]} {year}"


def counted(number: int, noun: str) -> str:
    """A count with its noun: "1 fact", "2 facts" (regular English plurals only)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
