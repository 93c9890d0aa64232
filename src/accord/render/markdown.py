"""The dossier as a Markdown report.

Works on the dossier dict (the JSON contract), so a saved dossier renders again.
Every piece of article text is escaped so that it reads as text: Markdown
punctuation is backslash-escaped and ``<``, ``>``, ``&`` become entities, so an
article that contains HTML shows that HTML instead of running it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from accord.render.report import (
    Citation,
    CitationIndex,
    counted,
    difference_outlet,
    document_label,
    documents_by_id,
    format_date,
    outlet_count,
)

__all__ = ["escape_markdown", "to_markdown"]

# Characters that mean something anywhere in a line of Markdown (CommonMark,
# GFM tables and strikethrough); "(" only matters after "]", which is escaped.
_SIGNIFICANT = re.compile(r"([\\`*_\[\]|~])")
# A line start that would make a list item or a heading: the marker followed by a
# space ("<" and ">" are entities by then, so no quote block or HTML can start).
_BLOCK_START = re.compile(r"^(\d+)([.)])(?= |$)|^([-+#])(?= |$)")


def escape_markdown(text: Any) -> str:
    """``text`` on one line, escaped so that Markdown renders it literally,
    also inside a table cell and at the start of a line."""
    flat = " ".join(str(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _SIGNIFICANT.sub(r"\\\1", flat)
    return _BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", flat
    )


def to_markdown(dossier: Mapping[str, Any]) -> str:
    """A readable Markdown report of ``dossier`` (the JSON contract's dict):
    title and dates, the cited summary, facts, conflicts, statements, timeline,
    coverage, documents, skipped inputs, and a numbered list of every cited
    passage. Ends with a newline."""
    documents = documents_by_id(dossier)
    citations = CitationIndex()
    sections: list[list[str]] = [
        _header(dossier),
        _summary(dossier, citations),
        _facts(dossier, citations, documents),
        _conflicts(dossier, citations, documents),
        _statements(dossier, citations, documents),
        _timeline(dossier, citations),
        _coverage(dossier, documents),
        _documents(dossier),
        _skipped(dossier),
        # last, because every section before it adds citations
        _cited_passages(citations, documents),
    ]
    return (
        "\n".join(line for section in sections if section for line in [*section, ""]).rstrip()
        + "\n"
    )


def _markers(citations: Iterable[Citation]) -> str:
    return " ".join(f"\\[{c.number}\\]" for c in citations)


def _quoted(text: Any) -> str:
    return f"“{escape_markdown(text)}”"


def _header(dossier: Mapping[str, Any]) -> list[str]:
    story = dossier.get("story") or {}
    title = story.get("title") or "Untitled story"
    first, last = story.get("first_published"), story.get("last_published")
    if first and last and first != last:
        dates = f"{format_date(first)} – {format_date(last)}"
    else:
        dates = format_date(first or last)
    facts = dossier.get("facts", [])
    corroborated = sum(1 for f in facts if f.get("status") == "corroborated")
    counts = [
        (
            f"{counted(len(dossier.get('documents', [])), 'document')} from "
            f"{counted(outlet_count(dossier), 'outlet')}"
        ),
        f"{counted(len(facts), 'fact')} ({corroborated} corroborated)",
        counted(len(dossier.get("conflicts", [])), "conflict"),
        counted(len(dossier.get("statements", [])), "statement"),
    ]
    if dossier.get("skipped"):
        counts.append(f"{counted(len(dossier['skipped']), 'input')} skipped")
    return [
        f"# {escape_markdown(title)}",
        "",
        f"*{escape_markdown(dates)}* · " + " · ".join(counts),
        "",
        (
            f"<sub>accord {escape_markdown(dossier.get('accord_version', '?'))} · "
            f"{escape_markdown(dossier.get('schema', ''))} · story {escape_markdown(story.get('id', ''))}</sub>"
        ),
    ]


def _summary(dossier: Mapping[str, Any], citations: CitationIndex) -> list[str]:
    sentences = dossier.get("summary", [])
    if not sentences:
        return []
    lines = ["## Summary", ""]
    for sentence in sentences:
        marks = _markers(citations.cite_all(sentence.get("support", [])))
        lines.append(f"{escape_markdown(sentence.get('text', ''))} {marks}".rstrip())
        lines.append("")
    return lines[:-1]


def _facts(
    dossier: Mapping[str, Any], citations: CitationIndex, documents: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    facts = dossier.get("facts", [])
    if not facts:
        return []
    lines = [
        "## Facts",
        "",
        (
            "Corroborated facts have at least two independent origins; outlets that reprint "
            "one wire story count once."
        ),
        "",
        "| Fact | Statement | Status | Outlets | Independent | Reported by |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for fact in facts:
        lines.append(
            f"| {escape_markdown(fact.get('id', ''))} | {escape_markdown(fact.get('text', ''))} "
            f"| {escape_markdown(fact.get('status', ''))} | {int(fact.get('outlets', 0))} "
            f"| {int(fact.get('independent', 0))} "
            f"| {_stance_cell(fact.get('support', []), citations, documents)} |"
        )
    return lines


def _stance_cell(
    spans: Sequence[Mapping[str, Any]],
    citations: CitationIndex,
    documents: Mapping[str, Mapping[str, Any]],
) -> str:
    """The supporting passages grouped by their stance: those that assert the
    fact first, then those that deny, question, hedge... it (a disputed fact
    shows both sides), each with who asserts it when it is not the outlet."""
    by_stance: dict[str, list[str]] = {}
    seen: set[int] = set()
    for span in spans:
        citation = citations.cite(span)
        if citation.number in seen:
            continue
        seen.add(citation.number)
        assertor = span.get("assertor")
        who = f" ({escape_markdown(str(assertor))})" if assertor else ""
        by_stance.setdefault(str(span.get("stance") or "asserts"), []).append(
            f"{escape_markdown(document_label(documents, citation.doc))}{who} \\[{citation.number}\\]"
        )
    parts = [", ".join(by_stance.pop("asserts", []))] if "asserts" in by_stance else []
    parts += [f"{escape_markdown(stance)}: " + ", ".join(cells) for stance, cells in by_stance.items()]
    return "; ".join(parts)


def _support_lines(
    spans: Sequence[Mapping[str, Any]],
    citations: CitationIndex,
    documents: Mapping[str, Mapping[str, Any]],
    indent: str,
) -> list[str]:
    return [
        f"{indent}- {escape_markdown(document_label(documents, c.doc))}: {_quoted(c.text)} \\[{c.number}\\]"
        for c in citations.cite_all(spans)
    ]


def _conflicts(
    dossier: Mapping[str, Any], citations: CitationIndex, documents: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    conflicts = dossier.get("conflicts", [])
    if not conflicts:
        return []
    lines = ["## Conflicts", ""]
    for conflict in conflicts:
        lines += [f"### {escape_markdown(conflict.get('topic', ''))}", ""]
        kind = conflict.get("kind")
        severity = conflict.get("severity")
        if kind or conflict.get("description"):
            rank = f", severity {float(severity):.2f}" if isinstance(severity, (int, float)) else ""
            label = f"*{escape_markdown(kind)}{rank}.* " if kind else ""
            lines += [f"{label}{escape_markdown(conflict.get('description', ''))}".rstrip(), ""]
        for side in conflict.get("sides", []):
            normalized = side.get("normalized")
            shown = (
                f" (normalized: {escape_markdown(normalized)})"
                if normalized not in (None, side.get("value"))
                else ""
            )
            lines.append(f"- **{escape_markdown(side.get('value', ''))}**{shown}")
            lines += _support_lines(side.get("support", []), citations, documents, "  ")
        lines.append("")
    return lines[:-1]


def _statements(
    dossier: Mapping[str, Any], citations: CitationIndex, documents: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    statements = dossier.get("statements", [])
    if not statements:
        return []
    quotes = {str(q["id"]): q for q in dossier.get("quotes", [])}
    entities = {str(e["id"]): e for e in dossier.get("entities", [])}
    lines = ["## Statements", ""]
    for statement in statements:
        speaker = _speaker_name(statement, entities)
        lines += [
            f"### {escape_markdown(speaker)}"
            + (f" — {escape_markdown(statement.get('agreement', ''))}" if len(statement.get("quotes", [])) > 1 else ""),
            "",
            (
                f"{counted(int(statement.get('outlets', 0)), 'outlet')}, "
                f"{int(statement.get('independent', 0))} independent."
            ),
            "",
        ]
        if statement.get("text"):
            lines += [f"> {escape_markdown(statement['text'])}", ""]
        for quote_id in statement.get("quotes", []):
            quote = quotes.get(str(quote_id))
            if quote is None:
                lines.append(f"- quote {escape_markdown(quote_id)} (not in this dossier)")
                continue
            citation = citations.cite(quote["span"])
            outlet = document_label(documents, str(quote.get("doc", citation.doc)))
            lines.append(
                f"- **{escape_markdown(outlet)}** ({escape_markdown(quote.get('kind', ''))}): "
                f"{_quoted(quote.get('text', citation.text))} \\[{citation.number}\\]"
            )
        differences = statement.get("differences", [])
        if differences:
            lines += ["", "Differences:", ""]
            for difference in differences:
                who = difference_outlet(documents, quotes, difference)
                lines.append(
                    f"- {escape_markdown(who)}: {escape_markdown(difference.get('note', ''))}"
                )
        lines.append("")
    return lines[:-1]


def _speaker_name(statement: Mapping[str, Any], entities: Mapping[str, Mapping[str, Any]]) -> str:
    entity = entities.get(str(statement.get("speaker")))
    if entity is not None:
        return str(entity.get("name"))
    return str(statement.get("speaker_name") or "Unattributed")


def _timeline(dossier: Mapping[str, Any], citations: CitationIndex) -> list[str]:
    entries = dossier.get("timeline", [])
    if not entries:
        return []
    lines = ["## Timeline", ""]
    for entry in entries:
        when = format_date(entry.get("date"), entry.get("precision", "day"))
        marks = _markers(citations.cite_all(entry.get("support", [])))
        lines.append(
            f"- **{escape_markdown(when)}** — {escape_markdown(entry.get('text', ''))} {marks}".rstrip()
        )
    return lines


def _coverage(dossier: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]]) -> list[str]:
    coverage = dossier.get("coverage", [])
    fact_ids = [str(f["id"]) for f in dossier.get("facts", [])]
    if not coverage or not fact_ids:
        return []
    status = {str(f["id"]): f.get("status") for f in dossier.get("facts", [])}
    # One row an outlet: a column a fact would be unreadable past a few facts.
    lines = [
        "## Coverage",
        "",
        "| Outlet | Facts | Corroborated | Exclusive | Disputed |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in coverage:
        reported = [str(f) for f in row.get("facts", [])]
        label = document_label(documents, str(row.get("doc")))
        lines.append(
            f"| {escape_markdown(label)} | {len(reported)} | "
            f"{sum(status.get(f) == 'corroborated' for f in reported)} | {len(row.get('exclusive', []))} | "
            f"{sum(status.get(f) == 'disputed' for f in reported)} |"
        )
    return lines


def _documents(dossier: Mapping[str, Any]) -> list[str]:
    documents = dossier.get("documents", [])
    if not documents:
        return []
    lines = [
        "## Documents",
        "",
        "| Id | Outlet | Title | Published | Credits | Repairs |",
        "| --- | --- | --- | --- | --- | ---: |",
    ]
    for document in documents:
        lines.append(
            f"| {escape_markdown(document.get('id', ''))} "
            f"| {escape_markdown(document.get('outlet') or '—')} "
            f"| {escape_markdown(document.get('title') or document.get('source', ''))} "
            f"| {escape_markdown(format_date(document.get('published')))} "
            f"| {escape_markdown(', '.join(document.get('credits', [])) or '—')} "
            f"| {len(document.get('repairs', []))} |"
        )
    return lines


def _skipped(dossier: Mapping[str, Any]) -> list[str]:
    skipped = dossier.get("skipped", [])
    if not skipped:
        return []
    lines = ["## Skipped inputs", ""]
    lines += [
        f"- {escape_markdown(s.get('source', ''))}: {escape_markdown(s.get('reason', ''))}"
        for s in skipped
    ]
    return lines


def _cited_passages(
    citations: CitationIndex, documents: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    cited = citations.all()
    if not cited:
        return []
    lines = ["## Cited passages", ""]
    for c in cited:
        lines.append(
            f"{c.number}. **{escape_markdown(document_label(documents, c.doc))}** "
            f"({escape_markdown(c.doc)}, characters {c.start}–{c.end}): {_quoted(c.text)}"
        )
    return lines
