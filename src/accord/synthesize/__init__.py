"""Synthesize: the cited summary, the timeline and each outlet's coverage.

Every sentence written here is either a claim of a document, quoted whole
with its span, or a sentence made only of words from the spans it cites.
"""

from __future__ import annotations

import re
from typing import Sequence

from accord.model import Analysis, Conflict, Coverage, Document, Fact, Span, SummarySentence, TimelineEntry

__all__ = ["coverage", "summary", "timeline"]

MAX_SUMMARY = 8


def coverage(facts: Sequence[Fact], documents: Sequence[Document]) -> list[Coverage]:
    """For each document, the facts it supports and those only it supports."""
    out = []
    for document in documents:
        carried = [f.id for f in facts if any(s.doc == document.id for s in f.support)]
        exclusive = [f.id for f in facts if f.support and all(s.doc == document.id for s in f.support)]
        out.append(Coverage(document.id, carried, exclusive))
    return out


def timeline(analyses: Sequence[Analysis]) -> list[TimelineEntry]:
    """The dated events of the story, in date order: one entry per date and
    precision, told by the shortest claim that names it, supported by every
    claim that names it."""
    by_date: dict[tuple[str, str], list[Span]] = {}
    for analysis in analyses:
        sentences = [c.span for c in analysis.claims] or []
        for time in analysis.times:
            around = next((s for s in sentences if s.start <= time.span.start and time.span.end <= s.end), None)
            if around is None:
                around = _sentence_around(analysis, time.span)
            if around is not None:
                spans = by_date.setdefault((time.date, time.precision), [])
                if all((s.doc, s.start) != (around.doc, around.start) for s in spans):
                    spans.append(around)
    entries = []
    for (date, precision), spans in sorted(by_date.items()):
        told = min(spans, key=lambda s: (len(s.text) < 40, len(s.text)))
        entries.append(TimelineEntry(date, precision, told.text, sorted(spans, key=lambda s: (s.doc, s.start))))  # type: ignore[arg-type]
    return entries


def _sentence_around(analysis: Analysis, span: Span) -> Span | None:
    for start, end in analysis.sentences:
        if start <= span.start and span.end <= end:
            text = analysis.document.text
            while end > start and text[end - 1].isspace():
                end -= 1
            return analysis.document.span(start, end)
    return None


def summary(
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    documents: dict[str, Document],
    *,
    limit: int = MAX_SUMMARY,
) -> list[SummarySentence]:
    """Three to ``limit`` sentences: the best-supported facts, each told in the
    words of one of its sources and citing all of them, then every conflict,
    told with the words of each side and attributing each side to its outlets.
    Nothing is said that the cited spans do not say."""
    chosen: list[SummarySentence] = []
    ranked = sorted(facts, key=lambda f: (-f.independent, -f.outlets, f.id))
    budget = max(3, limit - min(len(conflicts), 3))
    for fact in ranked:
        if len(chosen) >= budget:
            break
        if fact.outlets < 2 and len(chosen) >= 3:
            break
        text = _sentence(fact.text)
        if any(_overlap(text, s.text) > 0.6 for s in chosen):
            continue
        chosen.append(SummarySentence(text, list(fact.support)))
    for conflict in list(conflicts)[: limit - len(chosen)]:
        chosen.append(_conflict_sentence(conflict, documents))
    return chosen[:limit]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if re.search(r"[.!?”’\"]$", text) else text + "."


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))


def _conflict_sentence(conflict: Conflict, documents: dict[str, Document]) -> SummarySentence:
    """"Reports differ on how long the meeting lasted: “50-minute” (A, B);
    “hour-long” (C)." Each side in its own words, with the outlets it comes from."""
    parts = []
    support: list[Span] = []
    for side in conflict.sides:
        outlets = list(dict.fromkeys(documents[s.doc].label for s in side.support))
        words = " / ".join(dict.fromkeys(f"“{s.text}”" for s in side.support))
        parts.append(f"{words} ({', '.join(outlets)})")
        support.extend(side.support)
    return SummarySentence(f"Reports differ on {conflict.topic}: " + "; ".join(parts) + ".", support)
