"""The dossier as a Markdown report.

Works on the dossier dict (the JSON contract), so a saved dossier renders again.
The report is the Jinja2 template ``templates/report.md.j2``. Each citation
is a link to its numbered entry under "Cited passages", which gives the
outlet, the document, the character offsets and the passage, and links the
original page when the document has a web address.

Every piece of article text is escaped so that it reads as text: Markdown
punctuation is backslash-escaped and ``<``, ``>``, ``&`` become entities, so an
article that contains HTML shows that HTML instead of running it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote as url_quote

import jinja2

from accord.render.report import (
    MAX_CONFLICTS,
    agreement_badge,
    coverage_rows,
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


@functools.cache
def _environment() -> jinja2.Environment:
    # Markdown is not HTML: no autoescaping; the template escapes every value
    # from the dossier with the ``md`` filter. Block tags take their line
    # with them, so the template reads line for line as the report.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.render", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["format_date"] = format_date
    return env


def to_markdown(dossier: Mapping[str, Any], *, fact_matrix: bool = False) -> str:
    """A readable Markdown report of ``dossier`` (the JSON contract's dict):
    title and dates, the cited summary, facts, conflicts, statements, timeline,
    coverage (one row an outlet; with ``fact_matrix`` also a column a fact),
    documents, skipped inputs, and a numbered list of every cited passage, which
    each citation links to. Ends with a newline."""
    documents = documents_by_id(dossier)
    citations = CitationIndex()
    story = dossier.get("story") or {}
    quotes = {str(q["id"]): q for q in dossier.get("quotes", [])}
    entities = {str(e["id"]): e for e in dossier.get("entities", [])}

    def stance_cell(spans: Sequence[Mapping[str, Any]]) -> str:
        # The supporting passages grouped by their stance: those that assert
        # the fact first, then those that deny, question, hedge... it (a
        # disputed fact shows both sides), each with who asserts it when it
        # is not the outlet.
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
                f"{escape_markdown(document_label(documents, citation.doc))}{who} "
                f"[\\[{citation.number}\\]](#cite-{citation.number})"
            )
        parts = [", ".join(by_stance.pop("asserts", []))] if "asserts" in by_stance else []
        parts += [f"{escape_markdown(stance)}: " + ", ".join(cells) for stance, cells in by_stance.items()]
        return "; ".join(parts)

    def source_url(doc_id: str) -> str | None:
        # only web addresses become links, percent-encoded so that no
        # character of theirs can end the link early
        url = str((documents.get(doc_id) or {}).get("url") or "")
        if not url.startswith(("http://", "https://")):
            return None
        return url_quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")

    first, last = story.get("first_published"), story.get("last_published")
    dates = (f"{format_date(first)} – {format_date(last)}" if first and last and first != last
             else format_date(first or last))
    facts = dossier.get("facts", [])
    corroborated = sum(1 for f in facts if f.get("status") == "corroborated")
    counts = [
        f"{counted(len(dossier.get('documents', [])), 'document')} from {counted(outlet_count(dossier), 'outlet')}",
        f"{counted(len(facts), 'fact')} ({corroborated} corroborated)",
        counted(len(dossier.get("conflicts", [])), "conflict"),
        counted(len(dossier.get("statements", [])), "statement"),
    ]
    if dossier.get("skipped"):
        counts.append(f"{counted(len(dossier['skipped']), 'input')} skipped")
    text = _environment().get_template("report.md.j2").render(
        dossier=dossier,
        max_conflicts=MAX_CONFLICTS,
        story=story,
        title=story.get("title") or "Untitled story",
        dates=dates,
        counts=counts,
        quotes=quotes,
        citations=citations,
        fact_matrix=fact_matrix,
        cite=citations.cite,
        cite_all=citations.cite_all,
        stance_cell=stance_cell,
        source_url=source_url,
        speaker=lambda s: _speaker_name(s, entities),
        difference_outlet=lambda d: difference_outlet(documents, quotes, d),
        coverage_rows=coverage_rows(dossier),
        label=lambda doc: document_label(documents, str(doc)),
        counted=counted,
        agreement_badge=agreement_badge,
    )
    # Values are one line each (escape_markdown flattens them), so runs of
    # blank lines come only from sections left out: one blank line stays.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _speaker_name(statement: Mapping[str, Any], entities: Mapping[str, Mapping[str, Any]]) -> str:
    entity = entities.get(str(statement.get("speaker")))
    if entity is not None:
        return str(entity.get("name"))
    return str(statement.get("speaker_name") or "Unattributed")
