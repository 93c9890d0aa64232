"""Synthesize: the cited summary, the timeline and each outlet's coverage.

Every sentence written here is either a claim of a document, quoted whole
with its span, or a sentence made only of words from the spans it cites.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from accord.model import Analysis, Conflict, Coverage, Document, Fact, Span, SummarySentence, TimelineEntry

__all__ = ["coverage", "summary", "timeline"]

MAX_SUMMARY = 10
#: About how many words of facts the summary tells before its conflicts.
SUMMARY_WORDS = 90
#: Conflicts less severe than this (a changed connective in a quotation) are
#: listed in the dossier but not told in the summary (compare ranks them).
MIN_CONFLICT_SEVERITY = 0.3
#: The most conflicts the summary tells (the most severe; issue 20: a reader
#: checks the top few, and is told how many more the dossier lists).
MAX_CONFLICTS = 3
#: What each further outlet reporting a fact adds to its rank (centrality is a cosine in [0, 1]).
OUTLET_WEIGHT = 0.5
_WORD = re.compile(r"\w+")
_VAGUE = re.compile(r"\bweek(?:end)?s?\b", re.I)
# A date, a month or a weekday named: still right when a report of unknown
# date is read against its story's dates, where "today" is not.
_ABSOLUTE = re.compile(r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b")


def coverage(facts: Sequence[Fact], documents: Sequence[Document]) -> list[Coverage]:
    """For each document, the facts it supports and those only it supports."""
    # One pass over the facts (not one per document): linear in the story.
    carried: dict[str, list[str]] = {}
    exclusive: dict[str, list[str]] = {}
    for fact in facts:
        docs = list(dict.fromkeys(s.doc for s in fact.support))
        for doc in docs:
            carried.setdefault(doc, []).append(fact.id)
        if len(docs) == 1:
            exclusive.setdefault(docs[0], []).append(fact.id)
    return [Coverage(d.id, carried.get(d.id, []), exclusive.get(d.id, [])) for d in documents]


def timeline(analyses: Sequence[Analysis], facts: Sequence[Fact] = ()) -> list[TimelineEntry]:
    """The dated events of the story, in date order: one entry per date and
    precision, supported by every sentence that names it and told by the one
    whose fact most outlets report (the shortest full sentence on a tie)."""
    outlets = {(s.doc, s.start): f.outlets for f in facts for s in f.support}
    by_date: dict[tuple[str, str], list[Span]] = {}
    for analysis in analyses:
        sentences = [c.span for c in analysis.claims] or []
        for time in analysis.times:
            if _VAGUE.search(time.span.text):
                continue  # "this week" is no event's date
            if not analysis.document.published and not _ABSOLUTE.search(time.span.text):
                continue  # "today" in a report of unknown date
            around = next((s for s in sentences if s.start <= time.span.start and time.span.end <= s.end), None)
            if around is None:
                around = _sentence_around(analysis, time.span)
            if around is not None:
                spans = by_date.setdefault((time.date, time.precision), [])
                if all((s.doc, s.start) != (around.doc, around.start) for s in spans):
                    spans.append(around)
    entries = []
    for (date, precision), spans in sorted(by_date.items()):
        told = min(spans, key=lambda s: (-outlets.get((s.doc, s.start), 1), len(s.text) < 40, len(s.text)))
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
    analyses: Sequence[Analysis],
    *,
    limit: int = MAX_SUMMARY,
    words: int = SUMMARY_WORDS,
) -> list[SummarySentence]:
    """Three to ``limit`` sentences: the facts that are most central to the
    story and told by the most outlets, each in the words of one of its
    sources and citing all of them, up to about ``words`` words; then the
    most severe conflicts (up to ``MAX_CONFLICTS``, none below
    ``MIN_CONFLICT_SEVERITY``, the last saying how many more the dossier
    lists), told with the words of each side and attributing each side to
    its outlets. Nothing is said that the cited spans do not say.

    Centrality is the TF-IDF cosine of a fact with the centroid of all the
    story's documents (as in centroid-based summarisers); each further outlet
    that reports the fact adds ``OUTLET_WEIGHT``."""
    centroid = _centroid([a.document.text for a in analyses])
    by_id = {a.document.id: a for a in analyses}
    # Every report that tells the fact makes it more central to the story,
    # whether it asserts, relays or doubts it (the citations say which).
    ranked = sorted(facts, key=lambda f: (-(OUTLET_WEIGHT * (len({s.doc for s in f.support}) - 1)
                                            + _cosine(f.text, centroid)), f.id))
    chosen: list[SummarySentence] = []
    told: list[set[str]] = []
    budget = max(3, limit - min(sum(c.severity >= MIN_CONFLICT_SEVERITY for c in conflicts), MAX_CONFLICTS))
    for fact in ranked:
        if len(chosen) >= budget or (len(chosen) >= 3 and sum(len(c.text.split()) for c in chosen) >= words):
            break
        vocabulary = set(_content_words(fact.text))
        # A fact that mostly repeats one already told adds nothing.
        if any(len(vocabulary & earlier) > 0.6 * max(1, len(vocabulary)) for earlier in told):
            continue
        # Cite the passages that state the fact as the outlets' own: a passage
        # that only relays, doubts or denies it does not say what the sentence says.
        stating = [span for i, span in enumerate(fact.support)
                   if fact.stance_of(i) == "asserts" or span.text == fact.text]
        chosen.append(SummarySentence(_sentence(fact.text), stating or list(fact.support)))
        told.append(vocabulary)
    worth = sorted((c for c in conflicts if c.severity >= MIN_CONFLICT_SEVERITY), key=lambda c: (-c.severity, c.id))
    shown = worth[: max(0, min(MAX_CONFLICTS, limit - len(chosen)))]
    for conflict in shown:
        chosen.append(_conflict_sentence(conflict, by_id))
    if shown and len(worth) > len(shown):
        # The reader is told the list goes on, in the last conflict's sentence
        # (a sentence of its own would cite nothing).
        more = len(worth) - len(shown)
        last = chosen[-1]
        chosen[-1] = SummarySentence(f"{last.text} The dossier lists {more} more "
                                     f"disagreement{'s' if more > 1 else ''}.", last.support)
    return chosen[:limit]


def _content_words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text)) if (w not in STOP_WORDS and len(w) > 1) or w.isdigit()]


def _centroid(texts: Sequence[str]) -> dict[str, float]:
    bags = [Counter(_content_words(t)) for t in texts]
    frequency = Counter(w for bag in bags for w in bag)
    total = len(bags)
    centroid: Counter[str] = Counter()
    for bag in bags:
        for word, count in bag.items():
            centroid[word] += count * (math.log((total + 1) / frequency[word]) + 1.0)
    return centroid


def _cosine(text: str, centroid: dict[str, float]) -> float:
    bag = Counter(_content_words(text))
    dot = sum(count * centroid.get(word, 0.0) for word, count in bag.items())
    norm = math.sqrt(sum(c * c for c in bag.values())) * math.sqrt(sum(v * v for v in centroid.values()))
    return dot / norm if norm else 0.0


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if re.search(r"[.!?”’\"]$", text) else text + "."


def _conflict_sentence(conflict: Conflict, analyses: dict[str, Analysis]) -> SummarySentence:
    """"Reports differ on how long the meeting lasted: “50-minute” (A, B);
    “hour-long” (C)." Each side in its own words, with the outlets it comes
    from, citing for each outlet of each side the sentence that says most of
    that side's words, and further sentences of the sides only where the
    topic's words (a speaker's name) are not said yet."""
    parts = []
    support: list[Span] = []
    candidates: list[Span] = []
    for side in conflict.sides:
        outlets = list(dict.fromkeys(analyses[s.doc].document.label for s in side.support))
        if conflict.kind == "stance":
            words = side.value  # "asserts", "questions (according to ...)": not a quotation
        else:
            words = " / ".join(f"“{value}”" for value in side.value.split(" / "))
        parts.append(f"{words} ({', '.join(outlets)})")
        # A quotation's side is supported by partial quotations too, which
        # say less of it: one sentence per outlet, the one that says most.
        value_words = set(_content_words(side.value))
        arounds = [_sentence_around(analyses[span.doc], span) or span for span in side.support]
        candidates.extend(arounds)
        best: dict[str, tuple[float, Span]] = {}
        for around in arounds:
            said = len(value_words & set(_content_words(around.text))) / max(1, len(value_words))
            if around.doc not in best or said > best[around.doc][0]:
                best[around.doc] = (said, around)
        for _, around in best.values():
            if around not in support:
                support.append(around)
    missing = set(_content_words(conflict.topic)) - {w for s in support for w in _content_words(s.text)}
    while missing:
        extra = max(candidates, key=lambda c: len(missing & set(_content_words(c.text))), default=None)
        if extra is None or not missing & set(_content_words(extra.text)) or extra in support:
            break
        support.append(extra)
        missing -= set(_content_words(extra.text))
    return SummarySentence(f"Reports differ on {conflict.topic}: " + "; ".join(parts) + ".", support)
