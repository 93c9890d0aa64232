"""The dossier as one self-contained HTML page.

Works on the dossier dict (the JSON contract), so a saved dossier renders again.
The page is the Jinja2 template ``templates/report.html.j2``; its CSS and its
one small script are the package files ``static/report.css`` and
``static/report.js``, put inline at render time so the page needs nothing from
the network, and a Content-Security-Policy lets only that script (by its hash)
run.

Safety: the template is rendered with autoescaping on, so every string that
comes from the dossier — article text, titles, outlets, notes, ids — is
escaped where it is written. The two pieces of markup made here (word-level
differences and the marked document text) are built from ``markupsafe.escape``d
pieces. The script never parses markup: the highlighted document text is
built here, as escaped text inside ``<mark>`` elements, and the script only
copies DOM nodes and toggles classes.
"""

from __future__ import annotations

import base64
import difflib
import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from accord.render.report import (
    MAX_CONFLICTS,
    agreement_badge,
    coverage_rows,
    Citation,
    CitationIndex,
    counted,
    difference_outlet,
    document_label,
    documents_by_id,
    format_date,
    outlet_count,
)

__all__ = ["to_html", "word_diff"]

Documents = Mapping[str, Mapping[str, Any]]

_STATUS_LABELS = {
    "corroborated": "corroborated",
    "attributed": "attributed",
    "single-source": "single source",
    "disputed": "disputed",
}

_SECTIONS = (
    ("summary", "Summary"),
    ("facts", "Facts"),
    ("conflicts", "Conflicts"),
    ("statements", "Statements"),
    ("timeline", "Timeline"),
    ("coverage", "Coverage"),
    ("documents", "Documents"),
    ("skipped", "Skipped inputs"),
)


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of accord's reports: templates from the package,
    autoescaping on for ``*.html.j2`` (off for Markdown, which escapes with
    its own filter), undefined values rendered empty."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.render", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "html")),
        keep_trailing_newline=True,
    )
    env.filters["format_date"] = format_date
    return env


@functools.cache
def static_file(name: str) -> str:
    """The text of a package file under ``accord/render/static``."""
    return resources.files("accord.render").joinpath("static", name).read_text(encoding="utf-8")


def _excerpt(text: str, limit: int = 180) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _present(dossier: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The sections that have something to show, in page order."""
    has = {
        "summary": bool(dossier.get("summary")),
        "facts": bool(dossier.get("facts")),
        "conflicts": bool(dossier.get("conflicts")),
        "statements": bool(dossier.get("statements")),
        "timeline": bool(dossier.get("timeline")),
        "coverage": bool(dossier.get("coverage")) and bool(dossier.get("facts")),
        "documents": bool(dossier.get("documents")),
        "skipped": bool(dossier.get("skipped")),
    }
    present = [(key, name) for key, name in _SECTIONS if has[key]]
    changes = dossier.get("changes")
    if isinstance(changes, Mapping):
        # ``accord dossier --since N`` (and the web app's ?since=N) open with what changed.
        since = (changes.get("since") or {}).get("version")
        present.insert(0, ("changes", f"What changed since version {since}"))
    return present


def _stats(dossier: Mapping[str, Any]) -> list[tuple[int, str]]:
    facts = dossier.get("facts", [])
    stats = [
        counted(len(dossier.get("documents", [])), "document"),
        counted(outlet_count(dossier), "outlet"),
        counted(len(facts), "fact"),
        f"{sum(1 for f in facts if f.get('status') == 'corroborated')} corroborated",
        f"{sum(1 for f in facts if f.get('status') == 'disputed')} disputed",
        counted(len(dossier.get("conflicts", [])), "conflict"),
        counted(len(dossier.get("statements", [])), "statement"),
    ]
    if dossier.get("skipped"):
        stats.append(f"{len(dossier['skipped'])} skipped")
    return [(int(n), label) for n, label in (s.split(" ", 1) for s in stats)]


def to_html(dossier: Mapping[str, Any], *, fact_matrix: bool = False) -> str:
    """One self-contained HTML page for ``dossier`` (the JSON contract's dict):
    header with dates and counts, the cited summary, facts, conflicts, statements
    with word-level differences, timeline, coverage (one row an outlet; the
    fact-by-fact matrix folded, or unfolded with ``fact_matrix``), documents with
    their repairs and highlighted text, skipped inputs. Clicking a citation
    shows the cited document beside the report with exactly the cited
    characters marked. Every string from the dossier is escaped; the only
    script is accord's own."""
    documents = documents_by_id(dossier)
    citations = CitationIndex()
    story = dossier.get("story") or {}
    quotes = {str(q["id"]): q for q in dossier.get("quotes", [])}
    entities = {str(e["id"]): e for e in dossier.get("entities", [])}
    script = static_file("report.js")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src '{_script_hash(script)}'; img-src data:; base-uri 'none'; form-action 'none'"
    )

    def support(spans: Sequence[Mapping[str, Any]]) -> list[tuple[Citation, str | None]]:
        # a passage's stance is shown when it does not simply assert the fact
        stance_of: dict[int, str] = {}
        for span in spans:
            stance, assertor = span.get("stance"), span.get("assertor")
            if stance and stance != "asserts" or assertor:
                label = str(stance or "asserts") + (f" ({assertor})" if assertor else "")
                stance_of.setdefault(citations.cite(span).number, label)
        return [(c, stance_of.get(c.number)) for c in citations.cite_all(spans)]

    def speaker(statement: Mapping[str, Any]) -> str:
        entity = entities.get(str(statement.get("speaker")))
        return str(entity.get("name") if entity else statement.get("speaker_name") or "Unattributed")

    template = environment().get_template("report.html.j2")
    return template.render(
        dossier=dossier,
        max_conflicts=MAX_CONFLICTS,
        story=story,
        title=story.get("title") or "Untitled story",
        documents=documents,
        citations=citations,
        sections=_present(dossier),
        stats=_stats(dossier),
        status_labels=_STATUS_LABELS,
        fact_matrix=fact_matrix,
        csp=csp,
        css=Markup(static_file("report.css")),
        script=Markup(script),
        cite=citations.cite,
        cite_all=citations.cite_all,
        support=support,
        speaker=speaker,
        statement_quotes=lambda s: [quotes[str(q)] for q in s.get("quotes", []) if str(q) in quotes],
        difference_outlet=lambda d: difference_outlet(documents, quotes, d),
        coverage_rows=coverage_rows(dossier),
        label=lambda doc: document_label(documents, str(doc)),
        excerpt=_excerpt,
        counted=counted,
        agreement_badge=agreement_badge,
        word_diff=word_diff,
        marked_text=_marked_text,
        char_range=_range,
    )


_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = "\"'“”‘’«».,;:!?()[]—–-…"


def _word_key(word: str) -> str:
    # Case and the punctuation around a word are not what a reader compares in
    # two versions of a quotation; the words are.
    return word.strip(_EDGE_PUNCTUATION).casefold() or word


def word_diff(base: str, version: str) -> Markup:
    """``version`` as escaped HTML, with the words it adds to ``base`` in
    ``<ins>`` and the words of ``base`` it leaves out in ``<del>``, in place."""
    old, new = _WORD.findall(base), _WORD.findall(version)
    matcher = difflib.SequenceMatcher(
        None, [_word_key(w) for w in old], [_word_key(w) for w in new], autojunk=False
    )
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(str(escape(" ".join(new[j1:j2]))))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new[j1:j2]))}</ins>")
    return Markup(" ".join(parts))


def _marked_text(
    text: str, cited: Iterable[Citation], suspects: Sequence[Mapping[str, Any]]
) -> Markup:
    """``text`` escaped, cut at every citation and suspect boundary; each piece
    inside a citation is a ``<mark>`` whose ``data-c`` lists the citations
    ("c3 c7") that cover it, so overlapping citations each highlight exactly
    their own characters. An empty anchor ``#cite-N`` stands where citation N
    starts."""
    size = len(text)
    ranges = [(max(0, min(c.start, size)), max(0, min(c.end, size)), c.number) for c in cited]
    bad = [
        (max(0, min(int(s["start"]), size)), max(0, min(int(s["end"]), size)))
        for s in suspects
        if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
    ]
    cuts = sorted({0, size, *(p for r in ranges for p in r[:2]), *(p for r in bad for p in r)})
    starts: dict[int, list[int]] = {}
    for start, _, number in ranges:
        starts.setdefault(start, []).append(number)
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [size]):
        parts += [f'<span class="anchor" id="cite-{n}"></span>' for n in starts.get(a, [])]
        if b <= a:
            continue
        piece = str(escape(text[a:b]))
        covering = [n for start, end, n in ranges if start <= a and b <= end]
        if any(start <= a and b <= end for start, end in bad):
            piece = f'<span class="suspect" title="garbled token">{piece}</span>'
        if covering:
            piece = f'<mark data-c="{" ".join(f"c{n}" for n in covering)}">{piece}</mark>'
        parts.append(piece)
    return Markup("".join(parts))


def _range(pair: Any) -> str:
    if not pair or pair[0] is None or pair[1] is None:
        return "—"
    return f"{pair[0]}–{pair[1]}"


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
