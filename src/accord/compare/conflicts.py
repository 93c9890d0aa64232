"""Conflicts: values that disagree between outlets about the same thing —
numbers (with a tolerance that respects "about"), and divergent statements."""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from accord.model import Analysis, Conflict, ConflictSide, Document, Fact, Quantity, Quote, Statement

from .statements import spoken

__all__ = ["find_conflicts", "mark_disputed"]

# Nouns that name an event whose duration a report gives: every duration of a
# story that modifies one of them is about how long "the event" lasted.
_EVENT_NOUNS = frozenset({
    "meeting", "talks", "talk", "discussion", "conversation", "call", "session", "visit", "summit",
    "speech", "interview", "exchange", "negotiations", "hearing", "address", "encounter", "briefing",
    "conference", "debate", "match", "game", "flight", "trip", "journey", "operation", "siege", "strike",
    # verbs of meeting: "met for about two hours", "talked for an hour"
    "met", "meet", "talked", "spoke", "lasted", "negotiated",
})
#: Relative tolerance for a value given as approximate ("about 60 minutes").
APPROXIMATE_TOLERANCE = 0.1
_NEXT_WORDS = re.compile(r"\W*([A-Za-z]+)(?:\s+([A-Za-z]+))?")


def _topic_noun(document: Document, quantity: Quantity) -> str | None:
    """The event noun the quantity measures: the word after "50-minute" or
    "hour-long", or an event noun earlier in the same sentence."""
    following = _NEXT_WORDS.match(document.text, quantity.span.end)
    if following:
        for word in following.groups():
            if word and word.lower() in _EVENT_NOUNS:
                return word.lower()
    sentence_start = max(document.text.rfind(". ", 0, quantity.span.start), document.text.rfind("\n", 0, quantity.span.start)) + 1
    before = re.findall(r"[A-Za-z]+", document.text[sentence_start: quantity.span.start])
    for word in reversed(before):
        if word.lower() in _EVENT_NOUNS:
            return word.lower()
    return None


def _noun_form(word: str) -> str:
    return {"met": "meeting", "meet": "meeting", "talked": "talks", "spoke": "conversation", "lasted": "meeting", "negotiated": "negotiations"}.get(word, word)


def _compatible(a: Quantity, b: Quantity) -> bool:
    if a.value == b.value:
        return True
    if a.approximate or b.approximate:
        return abs(a.value - b.value) <= APPROXIMATE_TOLERANCE * max(abs(a.value), abs(b.value))
    return False


def _normalized(quantity: Quantity) -> str:
    value = int(quantity.value) if float(quantity.value).is_integer() else quantity.value
    unit = quantity.unit if value == 1 or quantity.unit.endswith("s") or quantity.kind in {"percent", "money"} else quantity.unit + "s"
    prefix = f"{quantity.approximate} " if quantity.approximate else ""
    return f"{prefix}{value} {unit}"


def _number_conflicts(analyses: Sequence[Analysis]) -> list[Conflict]:
    documents = {a.document.id: a.document for a in analyses}
    topics: dict[tuple[str, str, str], list[Quantity]] = {}
    for analysis in analyses:
        for quantity in analysis.quantities:
            if quantity.kind != "duration":
                continue
            noun = _topic_noun(analysis.document, quantity)
            if noun is None:
                continue
            # All event nouns of a story name the one event it reports.
            topics.setdefault((quantity.kind, quantity.unit, "event"), []).append(quantity)
    conflicts = []
    for (kind, _unit, _what), quantities in topics.items():
        if len({q.span.doc for q in quantities}) < 2:
            continue
        sides = _sides(quantities)
        if len(sides) < 2:
            continue
        nouns = Counter(_topic_noun(documents[q.span.doc], q) for q in quantities)
        noun = nouns.most_common(1)[0][0]
        conflicts.append(Conflict(
            id="",
            topic=f"how long the {_noun_form(noun)} lasted",
            sides=[
                ConflictSide(
                    value=" / ".join(dict.fromkeys(q.span.text for q in side)),
                    normalized=_normalized(side[0]),
                    support=sorted((q.span for q in side), key=lambda s: (s.doc, s.start)),
                )
                for side in sorted(sides, key=lambda s: -len({q.span.doc for q in s}))
            ],
        ))
    return conflicts


def _trim(text: str) -> str:
    return text.strip().strip(",;:").strip()


def _speaker(statement: Statement, quotes: dict[str, Quote]) -> str:
    """The speaker as the reports name them: the fullest form of the name that
    a speaker mention of the statement uses ("Rubio" when no report says
    "Marco Rubio" beside the quotation), else the resolved name."""
    mentions = [quotes[q].speaker_mention.text for q in statement.quotes if quotes[q].speaker_mention]
    names = [m for m in mentions if m[:1].isupper() and statement.speaker_name and m.split()[-1] in statement.speaker_name]
    if names:
        return max(names, key=lambda m: (len(m.split()), names.count(m)))
    return statement.speaker_name or "the speaker"


def _statement_conflicts(statements: Sequence[Statement], quotes: dict[str, Quote]) -> list[Conflict]:
    """A conflict per divergent statement: the reference wording on one side,
    each wording whose meaning differs from it on another."""
    conflicts = []
    for statement in statements:
        if statement.agreement != "divergent":
            continue
        changed = [d["quote"] for d in statement.differences if d.get("meaning") == "changed"]
        kept = [q for q in statement.quotes if q not in changed]
        sides = [ConflictSide(_trim(statement.text), None, [quotes[q].span for q in kept])]
        for quote_id in changed:
            sides.append(ConflictSide(_trim(spoken(quotes[quote_id])), None, [quotes[quote_id].span]))
        conflicts.append(Conflict(id="", topic=f"what {_speaker(statement, quotes)} said", sides=sides))
    return conflicts


_QUESTION = {"count": "how many {unit}s", "percent": "the share", "money": "the amount", "distance": "the distance", "other": "the {unit}"}


def _sides(quantities: list[Quantity]) -> list[list[Quantity]]:
    """Quantities grouped into sides of values compatible with the first of each."""
    sides: list[list[Quantity]] = []
    for quantity in sorted(quantities, key=lambda q: (q.approximate is not None, q.value)):
        for side in sides:
            if _compatible(side[0], quantity):
                side.append(quantity)
                break
        else:
            sides.append([quantity])
    return sides


def _fact_conflicts(facts: Sequence[Fact], analyses: Sequence[Analysis]) -> list[Conflict]:
    """Numbers and dates that the documents supporting one fact give
    differently: "18 missiles" against "20 missiles" in the same claim, the
    same event put on two different days."""
    quantities = {a.document.id: a.quantities for a in analyses}
    times = {a.document.id: a.times for a in analyses}
    conflicts = []
    for fact in facts:
        if fact.outlets < 2:
            continue
        found: dict[tuple[str, str], list[Quantity]] = {}
        days: dict[str, list] = {}
        for span in fact.support:
            for quantity in quantities.get(span.doc, []):
                if quantity.kind != "duration" and span.start <= quantity.span.start and quantity.span.end <= span.end:
                    found.setdefault((quantity.kind, quantity.unit), []).append(quantity)
            inside = [t for t in times.get(span.doc, []) if t.precision == "day" and span.start <= t.span.start and t.span.end <= span.end]
            if len(inside) == 1:  # a sentence with two dates tells two moments
                days.setdefault(inside[0].date, []).append(inside[0])
        for (kind, unit), group in found.items():
            sides = _sides(group)
            if len(sides) < 2 or len({q.span.doc for q in group}) < 2:
                continue
            if any({q.span.doc for q in a} == {q.span.doc for q in b} for a in sides for b in sides if a is not b):
                continue  # one document gives both values: two things, not a disagreement
            conflicts.append(Conflict("", f"{_QUESTION.get(kind, 'the value').format(unit=unit)} ({fact.id})", [
                ConflictSide(" / ".join(dict.fromkeys(q.span.text for q in side)), _normalized(side[0]),
                             sorted((q.span for q in side), key=lambda s: (s.doc, s.start)))
                for side in sorted(sides, key=lambda s: -len({q.span.doc for q in s}))
            ]))
        if len(days) >= 2:
            conflicts.append(Conflict("", f"the date ({fact.id})", [
                ConflictSide(" / ".join(dict.fromkeys(t.span.text for t in group)), date, [t.span for t in group])
                for date, group in sorted(days.items())
            ]))
    return conflicts


def find_conflicts(
    analyses: Sequence[Analysis], statements: Sequence[Statement], quotes: Sequence[Quote], facts: Sequence[Fact] = ()
) -> list[Conflict]:
    """Every conflict of the story: how long its event lasted when outlets
    disagree beyond the tolerance of "about"; numbers and dates that the
    supports of one fact give differently; statements whose versions diverge
    in meaning."""
    conflicts = (
        _number_conflicts(analyses)
        + _fact_conflicts(facts, analyses)
        + _statement_conflicts(statements, {q.id: q for q in quotes})
    )
    for number, conflict in enumerate(conflicts, 1):
        conflict.id = f"c{number}"
    return conflicts


def mark_disputed(facts: Sequence[Fact], conflicts: Sequence[Conflict]) -> None:
    """Set the status of every fact whose support contains a side of a
    conflict to disputed."""
    contested = [(s.doc, s.start, s.end) for c in conflicts for side in c.sides for s in side.support]
    for fact in facts:
        for span in fact.support:
            if any(doc == span.doc and span.start <= start and end <= span.end for doc, start, end in contested):
                fact.status = "disputed"
                break
