"""Conflicts: where outlets disagree, ranked by how much it matters.

Four kinds:

- **value**: two documents give incompatible values to the same attribute of
  the same event or thing. Each value found (quantities with their units
  converted, dates resolved to a day) fills a *slot*: the attribute (duration,
  date, count of what, money, share, temperature, distance...) and the event
  or thing it belongs to, read from the parse (the noun the value modifies,
  "50-minute meeting"; the verb it measures, "met for two hours"; the subject
  of a measuring verb, "the discussion lasted an hour"). Two slots are about
  the same thing when their heads are one word family ("meet" / "meeting")
  and no modifier or object names two things ("infrastructure bill" /
  "spending bill"), when the same exact value is told beside both ("47% after
  five months" / "47% six months later"), or, for the length of an event
  named in other words ("talks" / "meeting"), when their sentences name the
  same participants and share some words.
  Besides the parse, values of a few slots are read from their wording: a
  named person's age ("Calvin Ward, 23,"), the age of a child of one sex
  ("his 5-year-old daughter" / "a 3-year-old girl"), the time of day (a clock time or a part
  of the day) and the day of the week of one event, the part of the body a victim was hit in,
  the street of one block number (or of an address in it), a child told as
  a boy or a girl; and precise figures one digit apart
  ("$5,687.75" / "$5,587.75") are one figure.
  Places are a slot of their own: a name after "in"/"at" told of one word
  ("a student in Arnsby" / "a student at a college in Velmora"; a
  shooting by its verbs of harm and the home it happened in), when no
  document of one side names the other place (one place inside another is
  not a disagreement) and, for an event told by its verb, the sides name
  one person in common. Days of the week are compared only between reports
  published a few days apart.
- **stance**: a fact that some documents assert and others deny or question,
  when the two passages are about the same thing (the same predicate, most
  content words shared), their polarity differs as written (two negative
  sentences that say the same thing agree), and the denial is in the
  outlet's own voice or the same source's (a doubt, "questioned whether",
  from any voice).
- **quotation**: one utterance in wordings whose meaning differs (a negation
  or a number changed; a hedge changed counts less; a connective changed is
  minor), inside the stretch the versions share, or a negation traded for
  other words where both versions open or close ("If they don't pass" /
  "To pass"). Censored words and
  hesitations are not differences (statements).
- **attribution**: the same words put in different mouths.

Each conflict has a severity (its kind's weight, raised by how many documents
concern its topic and whether it is told in a lead) and one sentence saying
what differs and which outlets say what; conflicts are sorted by severity,
and no document is on two sides of one or on opposite sides of two.
``mark_disputed`` marks disputed only the facts a conflict is about and
links each to its conflicts (``Fact.disputed_by``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any, Sequence

from nltk.stem.porter import PorterStemmer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from accord.analyze.cues import CUE_VERBS
from accord.analyze.nlp import load
from accord.lexicon import NEGATIONS
from accord.model import Analysis, Claim, Conflict, ConflictSide, Fact, Quantity, Quote, Span, Statement, distinct_labels
from accord.settings import DEFAULT, Settings

from .independence import same_source
from .statements import quote_words, spoken

__all__ = ["find_conflicts", "mark_disputed"]

_STEMMER = PorterStemmer()


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Porter's stem of ``word``, remembered: a story asks for the same few
    thousand words again and again (stemming was a tenth of compare's time
    on a 100-article story)."""
    return str(_STEMMER.stem(word))
# Approximations by the interval they allow around the value.
_AROUND = frozenset({"about", "around", "roughly", "some", "approximately", "close to", "an estimated"})
_BELOW = frozenset({"nearly", "almost", "just under"})
_ABOVE = frozenset({"more than", "over", "just over", "well over", "upwards of", "above"})
_AT_LEAST = frozenset({"at least"})
_AT_MOST = frozenset({"up to", "at most", "fewer than", "less than", "as many as", "below"})
# Verbs that measure their subject: "the talks lasted an hour" gives the
# length of the talks, not of "lasting".
_MEASURING_VERBS = frozenset({"last", "take", "be", "cost", "total", "reach", "stand", "amount", "run", "span", "hit"})
_RATE = re.compile(r"\s+(?:a|an|per|each|every)\s+(?:day|week|month|year|hour)\b", re.I)
_PERIOD_WORDS = frozenset({"last", "past", "next", "previous", "coming", "first", "final", "recent"})
# Attributes of an event, which a verb names ("met for two hours", "signed
# on Tuesday"); counts name what they count themselves.
_EVENT_KINDS = frozenset({"duration", "offset", "date", "count"})
# Verbs too light to name an event by themselves ("made the calls").
_LIGHT_VERBS = frozenset(_stem(v) for v in ("make", "take", "have", "do", "get", "give", "go", "come", "be", "put", "set"))
_MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "quantmod", "nmod", "npadvmod", "poss", "appos", "nn"})
_PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_CONNECTIVES = frozenset({"and", "or", "but", "nor"})
_ATTRIBUTE = {
    "count": "how many {units}", "money": "the amount", "percent": "the share", "temperature": "the temperature",
    "distance": "the distance", "other": "the {unit}",
}
_WORD = re.compile(r"[A-Za-z]+")
# Words changed at once from which two quotations go on differently rather
# than word one thing otherwise (a negation or a number is one or two words).
_DIVERGED = 4
# Significant digits from which a figure is precise enough that a one-digit
# difference is a typo, not another figure ("$5,687.75" / "$5,587.75").
_PRECISE_DIGITS = 4


# --------------------------------------------------------------------------- slots


@dataclass(frozen=True, slots=True)
class _Slot:
    """One value a document gives: its attribute, the event or thing it
    belongs to, the interval of values its wording allows, and the named
    participants around it."""

    doc: str
    sentence: Span
    value: Span
    kind: str
    unit: str
    low: float
    high: float
    number: float
    approximate: bool
    shown: str
    head: str            # stem of the head word ("meet"), "" when the parse gives none
    head_text: str       # the head as written, with its modifiers ("water deal")
    head_is_noun: bool
    modifiers: frozenset[str]  # stems of the words that name the head ("infrastructure" of "infrastructure bill")
    participants: frozenset[str]
    sentence_words: frozenset[str]  # stems of the words of its sentence
    context: frozenset[str]  # stems of the content words of its sentence and the one before
    anchor: tuple[str, str, float] | None  # the exact value told beside it ("47%" of "47% six months later")
    anchor_text: str
    published: str | None  # the day its document was published
    lead: bool

    @property
    def dimension(self) -> tuple[str, str]:
        return (self.kind, self.unit)


def _interval(value: float, approximate: str | None, settings: Settings) -> tuple[float, float]:
    """The values a wording allows: "about 60" 54..66, "more than 10" above 10."""
    exact = abs(value) * settings.conflict_exact_tolerance
    loose = abs(value) * settings.conflict_approximate_tolerance
    if approximate in _AROUND:
        return value - loose, value + loose
    if approximate in _BELOW:
        return value - loose, value + exact
    if approximate in _ABOVE or approximate in _AT_LEAST:
        return value - exact, float("inf")
    if approximate in _AT_MOST:
        return float("-inf"), value + exact
    return value - exact, value + exact


def _normalized(quantity: Quantity) -> str:
    value = int(quantity.value) if float(quantity.value).is_integer() else round(quantity.value, 2)
    unit = quantity.unit
    written = quantity.span.text.split()[-1] if quantity.span.text.split() else ""
    if quantity.kind == "count" and written.isalpha() and written.lower() != unit and value != 1:
        return f"{value} {written.lower()}"  # "18 people", as written, not "18 persons"
    if quantity.kind == "count" or quantity.kind == "duration" or quantity.kind == "distance":
        unit = unit if value == 1 or unit.endswith("s") else unit + "s"
    return f"{value} {unit}"


def _span_root(sdoc, start: int, end: int) -> Token | None:
    """The token of [start, end) (sentence offsets) whose head lies outside it."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _measured(verb: Token) -> Token:
    """What a verb's value belongs to: the subject of a measuring verb ("the
    talks lasted an hour"; through a relative pronoun, "the discussion, which
    lasted an hour"), else the verb itself ("met for two hours")."""
    if verb.lemma_.lower() in _MEASURING_VERBS:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ == "PRON" and verb.dep_ == "relcl":
            return verb.head
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            return subject
    return verb


def _head(root: Token, inside: range) -> Token | None:
    """The event or thing a value belongs to, from the parse: the noun it
    modifies, the noun of "a temperature of 400 °C", the verb it measures."""
    token = root
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return token if token.pos_ in ("VERB", "AUX") and token.i not in inside else None
        if head.i in inside:
            token = head
            continue
        if token.dep_ in _MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN"):
            return head
        if token.dep_ == "pobj":
            preposition = head
            target = preposition.head
            if target.pos_ in ("NOUN", "PROPN") and preposition.lower_ in ("of", "for", "at", "to"):
                return target
            if target.pos_ in ("VERB", "AUX"):
                return _measured(target)
            token = target
            continue
        if head.pos_ in ("VERB", "AUX"):
            return _measured(head)
        if head.pos_ in ("NOUN", "PROPN"):
            return head
        token = head
    return None


def _phrase(head: Token, inside: range) -> str:
    """The head with the words that name it ("water deal", "synthesis
    temperature"), without the value or numbers."""
    if head.pos_ in ("VERB", "AUX"):
        return head.lemma_.lower()
    words = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i and c.i not in inside
             and c.is_alpha and not c.like_num]
    keep = []
    for child in sorted(words, key=lambda t: t.i):
        if all(t.i not in inside and t.is_alpha for t in child.subtree):
            keep.append(child.text.lower() if child.pos_ != "PROPN" else child.text)
    return " ".join(keep + [head.text.lower() if head.pos_ != "PROPN" else head.text])


def _modifiers(head: Token, inside: range) -> frozenset[str]:
    """Stems of the nouns and adjectives that name a noun head, outside the
    value: "bipartisan", "infrastructure" of "a $1 trillion bipartisan
    infrastructure bill"."""
    if head.pos_ in ("VERB", "AUX"):
        # An event named by its verb is also named by its object: "seized
        # three provincial capitals" and "seized Kunduz" are two seizures.
        target = next((c for c in head.children if c.dep_ in ("dobj", "obj")), None)
        if target is None:
            return frozenset()
        words = [target] + [c for c in target.children if c.dep_ in ("compound", "amod") and c.i not in inside]
        return frozenset(_stem(t.lemma_.lower()) for t in words
                         if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "ADJ"))
    if head.pos_ not in ("NOUN", "PROPN"):
        return frozenset()
    return frozenset(
        _stem(t.lemma_.lower()) for c in head.children
        if c.dep_ in ("compound", "amod", "nmod") and c.i < head.i
        for t in c.subtree  # "government-spending package": both words
        if t.i not in inside and t.is_alpha and not t.like_num and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.is_stop
    )


def _anchor(analysis: Analysis, quantity: Quantity, settings: Settings) -> tuple[tuple[str, str, float] | None, str]:
    """The exact value of another dimension told next to a quantity in its
    sentence ("to 47% six months later"): two outlets that give the same 47%
    with different times give two times of one measurement."""
    index = _sentence_index(analysis, quantity.span)
    if index is None:
        return None, ""
    start, end = analysis.sentences[index]
    best = None
    for other in analysis.quantities:
        if other is quantity or not (start <= other.span.start and other.span.end <= end):
            continue
        if (other.kind, other.unit) == (quantity.kind, quantity.unit) or other.approximate:
            continue
        gap = max(other.span.start - quantity.span.end, quantity.span.start - other.span.end)
        if gap <= settings.conflict_anchor_distance and (best is None or gap < best[0]):
            best = (gap, other)
    if best is None:
        return None, ""
    other = best[1]
    return (other.kind, other.unit, round(other.value, 6)), other.span.text


def _is_length(root: Token | None, head: Token | None, inside: range) -> bool:
    """Whether a duration is how long something lasted ("50-minute talks",
    "met for two hours", "the talks lasted an hour") rather than when it
    happened ("after five months", "six months later", "two years ago")."""
    if root is None or head is None:
        return False
    if any(t.lower_ in _PERIOD_WORDS for t in root.subtree) or root.head.lower_ in _PERIOD_WORDS:
        return False  # "for the last 44 years": a stretch of history, not an event's length
    if root.head.i == head.i and root.dep_ in _MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN"):
        return True
    if root.dep_ == "pobj":
        return root.head.lower_ in ("for", "of")
    if any(child.lower_ in ("later", "ago", "earlier", "before", "after", "since") for child in root.children):
        return False
    verb = root.head
    return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in _MEASURING_VERBS and root.dep_ in ("dobj", "npadvmod", "attr", "obj")


def _participants(analysis: Analysis, sentence: int, before: int = 1) -> frozenset[str]:
    """Names in a sentence and the ``before`` ones before it (an event told
    over two sentences: "Rubio added: ...", "he said of his 50-minute
    meeting"), each by its last word ("Mr Lavrov" and "Sergey Lavrov" are one)."""
    start = analysis.sentences[max(0, sentence - before)][0]
    end = analysis.sentences[sentence][1]
    names = set()
    for mention in analysis.entities:
        if mention.label in _PARTICIPANT_LABELS and start <= mention.span.start and mention.span.end <= end:
            words = [w for w in _WORD.findall(mention.text) if len(w) > 1]  # not the "s" of "Christie's"
            if words:
                names.add(words[-1].lower())
    return frozenset(names)


def _people(analysis: Analysis, sentence: int) -> frozenset[str]:
    """People and bodies named in a sentence and the one before it, each by
    the last word of its name (places left out: see ``_participants``)."""
    start = analysis.sentences[max(0, sentence - 1)][0]
    end = analysis.sentences[sentence][1]
    names = set()
    for mention in analysis.entities:
        if mention.label in ("PERSON", "ORG", "NORP") and start <= mention.span.start and mention.span.end <= end:
            words = [w for w in _WORD.findall(mention.text) if len(w) > 1]
            if words:
                names.add(words[-1].lower())
    return frozenset(names)


def _context(analysis: Analysis, sentence: int) -> frozenset[str]:
    """Stems of the content words of a sentence and the one before it."""
    start = analysis.sentences[max(0, sentence - 1)][0]
    end = analysis.sentences[sentence][1]
    return frozenset(_stem(w.lower()) for w in _WORD.findall(analysis.document.text[start:end])
                     if len(w) > 2 and w.lower() not in STOP_WORDS)


def _sentence_index(analysis: Analysis, span: Span) -> int | None:
    for index, (start, end) in enumerate(analysis.sentences):
        if start <= span.start and span.end <= end:
            return index
    return None


def _parse(texts: Sequence[str]) -> list[Any]:
    """spaCy's parse (no entities) of each text, in order; reprints repeat
    sentences word for word, so each distinct one is parsed once."""
    distinct = list(dict.fromkeys(texts))
    nlp = load()
    unused = [name for name in ("ner",) if name in nlp.pipe_names]
    by_text = dict(zip(distinct, nlp.pipe(distinct, disable=unused)))
    return [by_text[text] for text in texts]


def _value_slots(analyses: Sequence[Analysis], settings: Settings) -> list[_Slot]:
    """Every value of the story that another document also gives a value of
    the same dimension, with the head it belongs to. Only the sentences that
    hold such values are parsed."""
    found: list[tuple[Analysis, int, object]] = []
    for analysis in analyses:
        for quantity in analysis.quantities:
            index = _sentence_index(analysis, quantity.span)
            if index is not None:
                found.append((analysis, index, quantity))
        for time in analysis.times:
            if time.precision != "day":
                continue
            index = _sentence_index(analysis, time.span)
            if index is not None:
                found.append((analysis, index, time))

    def dimension(item: object) -> tuple[str, str]:
        return (item.kind, item.unit) if isinstance(item, Quantity) else ("date", "day")

    documents: dict[tuple[str, str], set[str]] = {}
    for analysis, _, item in found:
        documents.setdefault(dimension(item), set()).add(analysis.document.id)
    found = [f for f in found if len(documents[dimension(f[2])]) >= 2]

    def bounds(item: object) -> tuple[float, float]:
        if isinstance(item, Quantity):
            if item.approximate is None and _significant(item.span.text) >= _PRECISE_DIGITS:
                return item.value, item.value
            return _interval(item.value, item.approximate, settings)
        day = date.fromisoformat(item.date).toordinal()  # type: ignore[attr-defined]
        return day, day

    # A dimension whose values all agree cannot hold a conflict: its
    # sentences need no parse.
    spread: dict[tuple[str, str], list[float]] = {}
    for _, _, item in found:
        low, high = bounds(item)
        both = spread.setdefault(dimension(item), [low, high])
        both[0], both[1] = max(both[0], low), min(both[1], high)
    found = [f for f in found if spread[dimension(f[2])][0] > spread[dimension(f[2])][1]]
    if not found:
        return []
    sentences = sorted({(id(a), i): (a, i) for a, i, _ in found}.values(), key=lambda p: (p[0].document.id, p[1]))
    texts = [a.document.text[a.sentences[i][0]:a.sentences[i][1]] for a, i in sentences]
    parsed = {(id(a), i): sdoc for (a, i), sdoc in zip(sentences, _parse(texts))}
    slots = []
    for analysis, index, item in found:
        sdoc = parsed[(id(analysis), index)]
        offset = analysis.sentences[index][0]
        span: Span = item.span  # type: ignore[attr-defined]
        root = _span_root(sdoc, span.start - offset, span.end - offset)
        head = None
        inside = range(0)
        if root is not None:
            covered = sdoc.char_span(span.start - offset, span.end - offset, alignment_mode="expand")
            inside = range(covered.start, covered.end)
            head = _head(root, inside)
        kind, unit = dimension(item)
        if unit.endswith(" of age"):
            continue  # an age is of a person, whom the parse of "24-year-old son" does not name (see _age_conflicts)
        if kind == "duration" and _RATE.match(analysis.document.text, span.end):
            continue  # "three days a week": how often, not how long
        if kind == "duration" and not _is_length(root, head, inside):
            kind = "offset"  # "after five months", "six months later": when, not how long
        anchor, anchor_text = _anchor(analysis, item, settings) if isinstance(item, Quantity) else (None, "")
        if isinstance(item, Quantity):
            low, high = _interval(item.value, item.approximate, settings)
            if item.approximate is None and _significant(span.text) >= _PRECISE_DIGITS:
                low = high = item.value  # "$5,687.75" is that figure, not one rounded to it
            number, approximate, shown = item.value, item.approximate is not None, _normalized(item)
        else:
            if head is None or head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in CUE_VERBS:
                continue  # "said on Tuesday" dates the report, not the event
            if _stem(head.lemma_.lower()) in _LIGHT_VERBS:
                continue  # "made the calls on Wednesday": which event is not said
            had_to = head.head.lemma_.lower() == "have" and head.head.tag_ == "VBD"  # "had to apologize Saturday": done
            if any(c.dep_ == "aux" and (c.lower_ == "to" and not had_to or c.tag_ == "MD") for c in head.children):
                continue  # "to end on Aug. 31", "will vote on Friday": a plan, dated by whoever plans it
            day = date.fromisoformat(item.date).toordinal()  # type: ignore[attr-defined]
            low, high, number, approximate, shown = day, day, day, False, item.date  # type: ignore[attr-defined]
        start, end = analysis.sentences[index]
        text = analysis.document.text
        while end > start and text[end - 1].isspace():
            end -= 1
        slots.append(_Slot(
            doc=analysis.document.id,
            sentence=analysis.document.span(start, end),
            value=span,
            kind=kind,
            unit=unit,
            low=low,
            high=high,
            number=number,
            approximate=approximate,
            shown=shown,
            head=_stem(head.lemma_.lower()) if head is not None else "",
            head_text=_phrase(head, inside) if head is not None else "",
            head_is_noun=head is not None and head.pos_ in ("NOUN", "PROPN"),
            modifiers=_modifiers(head, inside) if head is not None else frozenset(),
            participants=_participants(analysis, index),
            sentence_words=frozenset(_stem(t.lemma_.lower()) for t in sdoc if t.is_alpha),
            context=_context(analysis, index),
            anchor=anchor,
            anchor_text=anchor_text,
            published=(analysis.document.published or "")[:10] or None,
            lead=index < 2,
        ))
    return slots


def _same_thing(a: _Slot, b: _Slot, distinct: set[tuple[str, str]], settings: Settings) -> bool:
    """Whether two slots of different documents give the same attribute of
    the same event or thing."""
    if a.doc == b.doc or a.dimension != b.dimension:
        return False
    if _one_digit_apart(a, b):
        return True  # "$5,687.75" and "$5,587.75": one precise figure, one of them mistyped
    if a.modifiers and b.modifiers and not a.modifiers & b.modifiers:
        return False  # "infrastructure bill" and "spending bill": two bills
    same_head = bool(a.head) and a.head == b.head
    if a.kind == "count" and a.published and b.published and a.published != b.published:
        return False  # a toll or tally told on two days may have changed between them
    shared = len(a.participants & b.participants)
    if a.anchor is not None and a.anchor == b.anchor and a.kind != "date":
        return True  # the same exact value told beside both: one measurement
    if same_head:
        if a.kind == "date" and shared < settings.conflict_shared_participants:
            return False
        if a.kind not in _EVENT_KINDS and not (a.head_is_noun and b.head_is_noun):
            # "asking for $14 billion" and "asking for $6.4 billion": a sum,
            # share or measure is of a thing, which a verb does not name (a
            # count names it by its noun: "killed 18 people").
            return False
        return not (a.participants and b.participants and shared == 0)
    if a.head_is_noun and b.head_is_noun and a.modifiers & b.modifiers and a.kind != "date":
        # "the $1 trillion infrastructure bill", "the $1.2 trillion
        # infrastructure package": one thing named by its modifiers.
        return not (a.participants and b.participants and shared == 0)
    if a.kind == "duration" and a.head and b.head and (a.head, b.head) not in distinct:
        # The length of an event told in other words ("meeting", "talks",
        # "met"): the same people take part in it and the sentences tell it
        # with some of the same words. A sentence that names the other's
        # head without giving it the value ("suspended for seven days for
        # posting a video") gives it to something else. (A date has no such
        # path: two events of one story share their people and their days.)
        if b.head in a.sentence_words or a.head in b.sentence_words:
            return False
        names = a.participants | b.participants | {a.head, b.head}
        return shared >= settings.conflict_shared_participants and bool((a.context & b.context) - names)
    return False


def _told_both(sides: Sequence[Sequence[_Slot]], in_sentence: dict[tuple[str, int, tuple[str, str]], list[_Slot]]) -> bool:
    """Whether a sentence of one side also gives a value that fits another
    side ("a $43,350 Rolex watch and $9,587.64 in furniture" beside "a
    $43,000 Rolex"): the parse then joined the wrong value to the thing."""
    for index, side in enumerate(sides):
        others = [s for k, other in enumerate(sides) if k != index for s in other]
        for slot in side:
            for neighbour in in_sentence.get((slot.doc, slot.sentence.start, slot.dimension), []):
                if neighbour is not slot and not neighbour.approximate and any(
                        neighbour.low <= o.high and o.low <= neighbour.high for o in others):
                    return True
    return False


def _significant(written: str) -> int:
    """Significant digits of a number as written ("$5,687.75" 6, "43,000" 2)."""
    digits = "".join(c for c in written.split()[0] if c.isdigit() or c == ".") if written.split() else ""
    whole, _, fraction = digits.partition(".")
    return len((whole.lstrip("0") + fraction).rstrip("0")) if fraction else len(whole.lstrip("0").rstrip("0"))


def _one_digit_apart(a: _Slot, b: _Slot) -> bool:
    """Whether two exact values written with at least ``_PRECISE_DIGITS``
    significant digits differ in one digit only: figures that precise do not
    meet by chance, so they are one figure told two ways."""
    if a.approximate or b.approximate or a.kind == "date":
        return False
    x, y = f"{a.number:.2f}", f"{b.number:.2f}"
    if len(x) != len(y) or len(x.strip("0.").replace(".", "")) < _PRECISE_DIGITS:
        return False
    return sum(c != d for c, d in zip(x, y)) == 1


def _sides(slots: Sequence[_Slot]) -> list[list[_Slot]]:
    """Slots grouped into sides whose allowed values all overlap: exact
    values first, so that an approximate one joins the side it fits."""
    sides: list[tuple[list[_Slot], list[float]]] = []
    for slot in sorted(slots, key=lambda s: (s.approximate, s.number)):
        for members, bounds in sides:
            low, high = max(bounds[0], slot.low), min(bounds[1], slot.high)
            if low <= high:
                members.append(slot)
                bounds[0], bounds[1] = low, high
                break
        else:
            sides.append(([slot], [slot.low, slot.high]))
    return [members for members, _ in sides]


def _components(count: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for index in range(count):
        groups.setdefault(find(index), []).append(index)
    return [g for g in groups.values() if len(g) > 1]


def _topic(kind: str, unit: str, slots: Sequence[_Slot]) -> str:
    """The attribute and the thing, named from the parse: "how long the talks
    lasted", "the amount of the infrastructure bill", "the date of the signing"."""
    nouns = Counter(s.head_text for s in slots if s.head_is_noun and s.head_text)
    verbs = Counter(s.head_text for s in slots if not s.head_is_noun and s.head_text and s.head not in _LIGHT_VERBS)
    # The most told noun; of equals, a common noun before a name (a name
    # is more often the parse's mistake: "$5,687.75 at Build-A-Bear").
    noun = max(nouns, key=lambda n: (nouns[n], n[:1].islower(), n)) if nouns else None
    thing = f"the {noun}" if noun else (f"the {_gerund(verbs.most_common(1)[0][0])}" if verbs else "")
    if kind == "duration":
        return f"how long {thing} lasted" if thing else "how long it lasted"
    anchors = Counter(s.anchor_text for s in slots if s.anchor_text)
    if kind == "offset":
        return f"how long until {anchors.most_common(1)[0][0]}" if anchors else (f"how long until {thing}" if thing else "how long until")
    if kind == "date":
        return f"the date of {thing}" if thing else "the date"
    written = Counter(s.shown.split()[-1] for s in slots if kind == "count" and s.shown.split())
    units = written.most_common(1)[0][0] if written else _plural(unit)
    attribute = _ATTRIBUTE.get(kind, "the value").format(unit=unit, units=units)
    if noun and attribute.split()[-1] in noun.split():
        return f"the {noun}"  # "the synthesis temperature", not "the temperature of the synthesis temperature"
    if not thing or (kind == "count" and noun and noun.split()[-1] in (unit, _plural(unit))):
        return attribute
    if kind == "count":
        return f"{attribute} in {thing}" if noun else attribute
    return f"{attribute} of {thing}" if noun else attribute


def _gerund(verb: str) -> str:
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _value_conflicts(analyses: Sequence[Analysis], settings: Settings) -> list[tuple[Conflict, float]]:
    """Incompatible values of one attribute of one event or thing, in
    different documents; none when a document gives two of the values (it
    then tells two things, not a disagreement)."""
    slots = _value_slots(analyses, settings)
    # Heads one document gives different values ("30-minute talks", "a
    # two-hour flight") name two things in every document.
    by_document: dict[tuple[str, tuple[str, str]], list[_Slot]] = {}
    for slot in slots:
        by_document.setdefault((slot.doc, slot.dimension), []).append(slot)
    distinct = {(a.head, b.head) for group in by_document.values() for a, b in combinations(group, 2)
                if a.head != b.head and (a.high < b.low or b.high < a.low)}
    distinct |= {(y, x) for x, y in distinct}
    in_sentence: dict[tuple[str, int, tuple[str, str]], list[_Slot]] = {}
    for slot in slots:
        in_sentence.setdefault((slot.doc, slot.sentence.start, slot.dimension), []).append(slot)
    # Only slots of one dimension can be about the same thing.
    by_dimension: dict[tuple[str, str], list[int]] = {}
    for index, slot in enumerate(slots):
        by_dimension.setdefault(slot.dimension, []).append(index)
    edges = []
    for members in by_dimension.values():
        for i, j in combinations(members, 2):
            if _same_thing(slots[i], slots[j], distinct, settings):
                edges.append((i, j))
    out = []
    for component in _components(len(slots), edges):
        group = [slots[k] for k in component]
        sides = _sides(group)
        if len(sides) < 2:
            continue
        side_docs = [{s.doc for s in side} for side in sides]
        if any(a & b for a, b in combinations(side_docs, 2)):
            continue
        if _told_both(sides, in_sentence):
            continue
        sides.sort(key=lambda side: (-len({s.doc for s in side}), min(s.number for s in side)))
        conflict = Conflict(
            id="",
            topic=_topic(group[0].kind, group[0].unit, group),
            sides=[
                ConflictSide(
                    value=" / ".join(dict.fromkeys(s.value.text for s in side)),
                    normalized=next((s.shown for s in side if not s.approximate), side[0].shown),
                    support=sorted({s.value for s in side}, key=lambda x: (x.doc, x.start)),
                )
                for side in sides
            ],
            kind="value",
        )
        lead = any(s.lead for s in group)
        out.append((conflict, _weight(len({s.doc for s in group}), lead, 1.0, len(analyses), settings)))
    return out


# A time of day: "at 11:35 a.m.", "about 1:45 a.m.", "just after 9 p.m.".
_CLOCK = re.compile(
    r"\b(?P<approx>about|around|approximately|roughly|(?:just|shortly) (?:after|before))?\s*"
    r"(?<![\d:.])(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|\b(?:that|this|early|late|[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)\s+"
    r"(?P<part>morning|afternoon|evening)\b", re.I)
# The minutes of the day a part of the day allows ("night" runs over two
# days and is left out; "early Sunday morning" may be 3 a.m.).
_PARTS_OF_DAY = {"morning": (0, 12 * 60), "afternoon": (12 * 60, 18 * 60 + 30), "evening": (16 * 60 + 30, 24 * 60)}
# Verbs of the police's answer to an event: the part of the day they were
# called in is the part of the day it happened (not its minute).
_RESPONDING = frozenset({"respond", "dispatch", "call", "summon"})
# Verbs that say an event took place, whichever event the story is about.
_HAPPENING = frozenset({"happen", "occur", "unfold", "erupt"})
# A day of the week told of an event: "on Tuesday", "passed Tuesday".
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?P<day>" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")\b(?!['’]s)")
# Auxiliaries of a plan or a possibility, not of a done event.
_PLAN_AUXILIARIES = frozenset({"will", "would", "could", "may", "might", "should", "can", "to", "shall", "'ll"})
# Verbs that tell one event in different words ("the House voted" / "passed").
_VERB_FAMILIES = {"vote": "pass", "approve": "pass", "adopt": "pass"}


def _clock_interval(minutes: int, has_minutes: bool, approx: str) -> tuple[int, int]:
    """The minutes of the day a time's wording allows: a time on the hour or
    the quarter is often rounded, "about" widens it, "just after" opens it
    one way."""
    rounded = not has_minutes or minutes % 60 == 0
    quarter = minutes % 15 == 0
    if approx.endswith("after"):
        return minutes, minutes + 20
    if approx.endswith("before"):
        return minutes - 20, minutes
    if approx:
        # "about 5:30" allows 5:38; "about 1:45" does not allow 1:54.
        spread = 30 if rounded else 10 if minutes % 30 == 0 else 5 if quarter else 3
    else:
        spread = 15 if rounded else 2 if quarter else 0
    return minutes - spread, minutes + spread


def _clock_reading(match: re.Match[str]) -> tuple[int, int, str] | None:
    """The minutes of the day a time allows, and the time as written."""
    if match.group("part"):
        low, high = _PARTS_OF_DAY[match.group("part").lower()]
        return low, high, match.group(0).strip()
    hour = int(match.group("h")) % 12 + (12 if match.group("ap").lower() == "p" else 0)
    minutes = hour * 60 + int(match.group("m") or 0)
    low, high = _clock_interval(minutes, match.group("m") is not None, (match.group("approx") or "").lower())
    return low, high, match.group(0).strip()


def _weekday_reading(match: re.Match[str]) -> tuple[int, int, str] | None:
    """The day of the week a weekday names (one day: no tolerance)."""
    day = _WEEKDAYS.index(match.group("day").lower())
    return day, day, match.group("day")


def _clock_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                     settings: Settings) -> list[tuple[Conflict, float]]:
    """Different times of day for one event in different documents: the
    event is the verb the time is told of ("was shot at 11:35 a.m."), and
    any verb that says the story's event took place ("it happened", "the
    shooting took place", and the events such sentences name) is one
    event. A document that tells an event at two times tells two events."""
    return _timed_conflicts(analyses, _CLOCK, "h", _clock_reading, "time of day", leads, total, settings)


def _weekday_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                       settings: Settings) -> list[tuple[Conflict, float]]:
    """Different days of the week for one done event in different documents
    ("apologized on Friday" / "had to apologize Saturday"; "voted
    Wednesday" / "passed Tuesday": verbs of one family are one event), when
    the sentences of two sides name a participant in common ("the House";
    two people each issuing a statement are two events).
    Plans ("will vote Tuesday") and a document telling one event on two
    days are left out, as for times of day."""
    return _timed_conflicts(analyses, _WEEKDAY, "day", _weekday_reading, "day", leads, total, settings,
                            done_only=True, shared_context=True)


def _timed_conflicts(analyses: Sequence[Analysis], pattern: re.Pattern[str], group: str,
                     reading, what: str, leads: "_Leads", total: int, settings: Settings, *,
                     done_only: bool = False, shared_context: bool = False) -> list[tuple[Conflict, float]]:
    """Conflicts over when one event happened, from the matches of
    ``pattern`` (its ``group`` is where the parse looks for the event) and
    ``reading`` (a match's interval and wording): see ``_clock_conflicts``."""
    found = []  # (analysis, sentence index, match)
    published = {a.document.id: a.document.published for a in analyses}
    for analysis in analyses:
        text = analysis.document.text
        for index, (start, end) in enumerate(analysis.sentences):
            for match in pattern.finditer(text, start, end):
                found.append((analysis, index, match))
    if len({a.document.id for a, _, _ in found}) < 2:
        return []
    # Sides need values that cannot both hold, told by different documents:
    # when every value of the story allows every other, nothing is parsed.
    values = [(a.document.id, value[0], value[1]) for a, _, match in found if (value := reading(match)) is not None]
    if not any(d1 != d2 and (h1 < l2 or h2 < l1) for (d1, l1, h1), (d2, l2, h2) in combinations(values, 2)):
        return []
    keys = sorted({(id(a), i): (a, i) for a, i, _ in found}.values(), key=lambda p: (p[0].document.id, p[1]))
    texts = [a.document.text[a.sentences[i][0]:a.sentences[i][1]] for a, i in keys]
    parsed = dict(zip([(id(a), i) for a, i in keys], _parse(texts)))
    slots = []  # (doc, head, low, high, span, shown, participants, event nouns just before)
    happening_subjects: set[str] = set()
    for analysis, index, match in found:
        sdoc = parsed[(id(analysis), index)]
        offset = analysis.sentences[index][0]
        start, end = match.start(group) if match.group(group) else match.start(), match.end()
        root = _span_root(sdoc, start - offset, end - offset)
        if root is None:
            continue
        covered = sdoc.char_span(start - offset, end - offset, alignment_mode="expand")
        head = _head(root, range(covered.start, covered.end))
        if head is None:
            continue
        # "shot in the chest with a shotgun at 11:35": a thing the time hangs
        # on through a preposition is the object of the event's verb.
        for _ in range(3):
            if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj" and head.head.head.pos_ == "VERB":
                head = head.head.head
        if done_only and head.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("aux", "auxpass") and c.lower_ in _PLAN_AUXILIARIES for c in head.children):
            continue
        # "charged in connection with the shooting of his brother around
        # 1:54 a.m.": the parse hangs the time on the verb, but it follows
        # a noun of the verb's phrase at once and may be that noun's.
        adjacent = frozenset(_stem(t.lemma_.lower()) for t in head.subtree
                             if t.pos_ == "NOUN" and head.i < t.i < covered.start
                             and max(x.i for x in t.subtree) >= covered.start - 2)
        lemma = head.lemma_.lower()
        # "The shooting took place about 1:45": the time is the happening's,
        # its subject the story's event.
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("nsubj", "nsubjpass") and (
                head.head.lemma_.lower() in _HAPPENING
                or head.head.lemma_.lower() == "take" and any(c.lower_ == "place" for c in head.head.children)):
            head = head.head
            lemma = head.lemma_.lower()
        if lemma == "take" and any(c.lower_ == "place" for c in head.children):
            lemma = "happen"
        if lemma in _RESPONDING and match.groupdict().get("part"):
            lemma = "happen"
        if lemma in _HAPPENING or lemma == "happen":
            lemma = "happen"
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
                happening_subjects.add(_stem(subject.lemma_.lower()))
        elif lemma in CUE_VERBS or _stem(lemma) in _LIGHT_VERBS:
            if not adjacent:
                continue
            lemma = ""  # only the event of a noun just before, if any
        lemma = _VERB_FAMILIES.get(lemma, lemma)
        value = reading(match)
        if value is None:
            continue
        low, high, shown = value
        context = _participants(analysis, index, 0)
        slots.append((analysis.document.id, lemma, low, high, analysis.document.span(match.start(), match.end()),
                      shown, context, adjacent))
    events: dict[str, list[tuple[str, int, int, Span, str, frozenset[str]]]] = {}
    for doc, lemma, low, high, span, shown, context, adjacent in slots:
        happening = _stem(lemma) in happening_subjects or adjacent & happening_subjects
        key = "happen" if happening else lemma
        if not key:
            continue
        events.setdefault(key, []).append((doc, low, high, span, shown, context))
    out = []
    for key in sorted(events):
        told = events[key]
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for doc, low, high, *_ in told:
            by_doc.setdefault(doc, []).append((low, high))
        apart = {doc for doc, spans in by_doc.items()
                 if any(a[1] < b[0] or b[1] < a[0] for a, b in combinations(spans, 2))}
        told = [t for t in told if t[0] not in apart]  # two events of one name in that document
        sides: list[tuple[list[tuple[str, int, int, Span, str, frozenset[str]]], list[int]]] = []
        for item in sorted(told, key=lambda t: (t[2] - t[1], t[1], t[0], t[3].start)):
            # Narrowest first; a wide value ("that morning") that allows
            # the values of two sides agrees with each and takes no side.
            meets = [side for side in sides if max(side[1][0], item[1]) <= min(side[1][1], item[2])]
            if len(meets) > 1:
                continue
            if meets:
                members, bounds = meets[0]
                members.append(item)
                bounds[0], bounds[1] = max(bounds[0], item[1]), min(bounds[1], item[2])
            else:
                sides.append(([item], [item[1], item[2]]))
        if len(sides) < 2:
            continue
        docs = [{t[0] for t in members} for members, _ in sides]
        if any(a & b for a, b in combinations(docs, 2)):
            continue
        if shared_context and not all(
                frozenset().union(*(t[5] for t in a)) & frozenset().union(*(t[5] for t in b))
                for (a, _), (b, _) in combinations(sides, 2)):
            continue
        if shared_context and not all(_published_near({t[0] for t in a}, {t[0] for t in b}, published, settings)
                                      for (a, _), (b, _) in combinations(sides, 2)):
            continue  # a day of the week told days apart may be of a second event of one kind (a new arrest)
        sides.sort(key=lambda side: (-len({t[0] for t in side[0]}), side[1][0]))
        topic = f"the {what} it happened" if key == "happen" else f"the {what} of the {_gerund(key)}"
        conflict = Conflict("", topic, [
            ConflictSide(" / ".join(dict.fromkeys(t[4] for t in members)), None,
                         sorted({t[3] for t in members}, key=lambda x: (x.doc, x.start)))
            for members, _ in sides], kind="value")
        lead = any(leads.holds(t[3]) for t in told)
        out.append((conflict, _weight(len({t[0] for t in told}), lead, 1.0, total, settings)))
    return out


def _published_near(a: set[str], b: set[str], published: dict[str, str | None], settings: Settings) -> bool:
    """Whether a document of ``a`` and one of ``b`` were published within
    ``conflict_weekday_gap`` days of each other (or either date is not known)."""
    days = {doc: date.fromisoformat(published[doc][:10]).toordinal() for doc in a | b
            if published.get(doc) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[doc][:10] or "")}
    if any(doc not in days for doc in a | b):
        return True
    return any(abs(days[x] - days[y]) <= settings.conflict_weekday_gap for x in a for y in b)


# Where a person was hit: "shot in the chest", "a gunshot wound to the left
# shoulder". Sides compare the part of the body, not its side.
_BODY_PARTS = ("head", "face", "eye", "neck", "chest", "shoulder", "arm", "hand", "back", "abdomen", "stomach",
               "side", "hip", "leg", "thigh", "knee", "foot", "buttocks", "torso", "groin")
_WOUND = re.compile(
    r"\b(?:shot|wounded|struck|hit|wounds?)\s+(?:[a-z]+\s+){0,3}?(?P<where>in|to|(?:just\s+)?(?:above|below|near))\s+"
    r"(?:the|his|her|their|one|an?)\s+"
    r"(?:(?:left|right|upper|lower)\s+)*(?P<part>" + "|".join(_BODY_PARTS) + r")s?\b", re.I)

# Parts inside another: "shot in the eye" and "shot in the head" agree.
_WITHIN = {"eye": "head", "face": "head"}


def _wound_place(part: str, where: str) -> tuple[str, ...]:
    """Where a wound is, from the whole body down: "in the eye" (head, eye),
    "just above one eye" (head, above the eye); a place agrees with the
    places inside it."""
    part = part.lower()
    outer = (_WITHIN[part],) if part in _WITHIN else ()
    relation = where.lower().split()[-1]
    if relation in ("in", "to"):
        return outer + (part,)
    return (outer or (part,)) + (f"{relation} the {part}",)


def _wound_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                     settings: Settings) -> list[tuple[Conflict, float]]:
    """Where the victim was hit, when documents that each name one place on
    the body name places that do not hold one another ("shot in the chest"
    / "a wound to the shoulder"; "shot in the eye" / "a wound just above
    one eye"; "in the head" agrees with both of the latter and takes no
    side). A document naming places that do not hold one another tells of
    several wounds or victims and is left out."""
    told: dict[str, dict[tuple[str, ...], list[Span]]] = {}
    for analysis in analyses:
        for match in _WOUND.finditer(analysis.document.text):
            place = _wound_place(match.group("part"), match.group("where"))
            told.setdefault(analysis.document.id, {}).setdefault(place, []).append(
                analysis.document.span(match.start(), match.end()))

    def holds(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        return a == b[:len(a)] or b == a[:len(b)]

    values: dict[tuple[str, ...], list[Span]] = {}
    for doc in sorted(told):
        places = told[doc]
        if not all(holds(a, b) for a, b in combinations(places, 2)):
            continue
        deepest = max(places, key=len)
        values.setdefault(deepest, []).extend(s for spans in places.values() for s in spans)
    # A place that holds another document's place agrees with it: no side.
    values = {place: spans for place, spans in values.items()
              if not any(other != place and holds(place, other) and len(other) > len(place) for other in values)}
    if len(values) < 2:
        return []
    sides = sorted(values.items(), key=lambda pair: (-len({s.doc for s in pair[1]}), pair[0]))
    conflict = Conflict("", "where the victim was hit", [
        ConflictSide(" / ".join(dict.fromkeys(s.text for s in spans)), place[-1], sorted(spans, key=lambda x: (x.doc, x.start)))
        for place, spans in sides], kind="value")
    lead = any(leads.holds(s) for _, spans in sides for s in spans)
    return [(conflict, _weight(len({s.doc for _, spans in sides for s in spans}), lead, 1.0, total, settings))]


# "the 700 block of West 68th Street": a place by its block number and street,
# the street by its first word after a direction.
_BLOCK = re.compile(r"\b(?P<number>\d+)\s+block of\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
                    r"(?P<street>[A-Z0-9][\w.]*(?:[ \t]+[A-Z][\w.]*){0,3})")
# A street address: "8800 Village Square", "363 East 171st St.".
_ADDRESS = re.compile(r"\b(?P<number>\d{3,5})\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?"
                      r"(?P<street>[A-Z0-9][\w.]*(?:[ \t]+[A-Z][\w.]*){0,3})")
_STREET_KINDS = {"street": "Street", "st": "Street", "avenue": "Avenue", "ave": "Avenue", "road": "Road",
                 "rd": "Road", "drive": "Drive", "dr": "Drive", "square": "Square", "boulevard": "Boulevard",
                 "blvd": "Boulevard", "lane": "Lane", "ln": "Lane", "way": "Way", "court": "Court", "ct": "Court",
                 "place": "Place", "pl": "Place", "terrace": "Terrace", "circle": "Circle", "parkway": "Parkway",
                 "highway": "Highway", "hwy": "Highway"}
# Words that give a child's sex; a story whose documents use one kind each
# but not the same kind disagrees on it.
_SEXES = {"boy": re.compile(r"\b(?:boys?|sons?|brothers?)\b", re.I),
           "girl": re.compile(r"\b(?:girls?|daughters?|sisters?)\b", re.I)}


def _side_conflict(topic: str, values: dict[str, list[Span]], leads: "_Leads", total: int,
                   settings: Settings) -> tuple[Conflict, float]:
    """A value conflict from each value's spans, the side told by most documents first."""
    sides = sorted(values.items(), key=lambda pair: (-len({s.doc for s in pair[1]}), pair[0]))
    conflict = Conflict("", topic, [
        ConflictSide(" / ".join(dict.fromkeys(s.text.rstrip(".") for s in spans)), value,
                     sorted(spans, key=lambda x: (x.doc, x.start))) for value, spans in sides], kind="value")
    lead = any(leads.holds(s) for _, spans in sides for s in spans)
    return conflict, _weight(len({s.doc for _, spans in sides for s in spans}), lead, 1.0, total, settings)


def _street_suffix(street: str) -> str:
    """The kind of a street ("Drive" for "Village Dr."), "" when not told."""
    for word in reversed(street.split()[1:]):
        kind = _STREET_KINDS.get(word.lower().rstrip("."))
        if kind:
            return kind
    return ""


def _place_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                     settings: Settings) -> list[tuple[Conflict, float]]:
    """One block on different streets in different documents ("the 700 block
    of West 68th Street" / "the 700 block of Central Street"; "8800 Village
    Square" is in the 8800 block, and not on "Village Drive"), when no
    document names both. A street is its first word and its kind where told
    ("Tennessee" is "Tennessee Street")."""
    told: dict[str, list[tuple[str, str, str, Span]]] = {}  # block -> (doc, first word, kind, span)
    for analysis in analyses:
        text = analysis.document.text
        for pattern in (_BLOCK, _ADDRESS):
            for match in pattern.finditer(text):
                street = match.group("street")
                if pattern is _ADDRESS and not _street_suffix("x " + street):
                    continue
                block = str(int(match.group("number")) // 100 * 100) if pattern is _ADDRESS else match.group("number")
                told.setdefault(block, []).append((analysis.document.id, street.split()[0].lower().rstrip("."),
                                                   _street_suffix(street),
                                                   analysis.document.span(match.start(), match.end("street"))))
    out = []
    for number in sorted(told):
        kinds: dict[str, set[str]] = {}
        for _, first, kind, _ in told[number]:
            kinds.setdefault(first, set()).update({kind} - {""})
        streets: dict[str, list[Span]] = {}
        for _, first, kind, span in told[number]:
            if not kind and len(kinds[first]) == 1:
                kind = next(iter(kinds[first]))  # "Tennessee" is the "Tennessee Street" of others
            streets.setdefault(f"{first} {kind}".strip(), []).append(span)
        docs = [{s.doc for s in spans} for spans in streets.values()]
        if len(streets) < 2 or any(a & b for a, b in combinations(docs, 2)):
            continue
        out.append(_side_conflict(f"the street of the {number} block", streets, leads, total, settings))
    return out


# A place told as where something is or happened: "in Arnsby", "at Harrow
# Park" (the name right after the preposition, so "Velmora, Wash." gives
# Velmora, not the state it lies in).
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_BEFORE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
# Names of a region that holds the places others name: a county, a state, a
# quarter of a city by its direction.
_REGION = re.compile(r"\b(?:county|parish|state|district|province|region|township)$"
                     r"|^(?:north|south|east|west|northeast|northwest|southeast|southwest)\b")
# Verbs that tell a shooting by what it did to its victim, and nouns of the
# place it happened in: a name of a place told of them is where the story's
# shooting happened.
_HARMING = frozenset({"shoot", "kill", "wound", "injure", "hit", "die", "strike", "happen", "occur"})
_SCENES = frozenset({"home", "house", "apartment", "residence", "building", "flat", "townhouse", "shooting"})
# Prepositions through which a place hangs on its event or thing.
_PLACE_PREPOSITIONS = frozenset({"in", "at"})


def _place_frame(token: Token) -> Token | None:
    """The event or thing a place is told of, from the parse: the noun or verb
    its "in"/"at" phrase hangs on ("a student in Arnsby" the student, "was
    shot in Harrow Park" the shooting), through names on the way ("a student
    at Kelvar Community College in Velmora" the student)."""
    for _ in range(6):
        if token.dep_ in ("compound", "flat", "appos"):
            token = token.head
            continue
        if token.dep_ != "pobj" or token.head.lower_ not in _PLACE_PREPOSITIONS:
            return None
        target = token.head.head
        if target.pos_ == "PROPN" or target.ent_type_:
            token = target  # a name: what it is in is told of the thing the name is the place of
            continue
        return target if target.pos_ in ("NOUN", "VERB") else None
    return None


def _place_event_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                           settings: Settings) -> list[tuple[Conflict, float]]:
    """Different places for one event or thing in different documents ("a
    student in Arnsby" / "a student at a college in Velmora"): places
    named after "in" or "at" and told of the same word (the noun or verb the
    phrase hangs on), when each document tells that word of one place only,
    the sentences share a content word besides it and the places, and no
    document of one side names the other side's place anywhere (a document
    naming both tells of both places, or of one inside the other)."""
    found = []  # (analysis, sentence index, mention)
    for analysis in analyses:
        text = analysis.document.text
        for mention in analysis.entities:
            before = _PLACE_BEFORE.search(text, max(0, mention.span.start - 8), mention.span.start)
            if mention.label not in _PLACE_LABELS or before is None:
                continue
            if "the" in before.group(0).split() and len(_WORD.findall(mention.text)) == 1:
                continue  # "the District", "the Capitol": a name for a place others name otherwise
            index = _sentence_index(analysis, mention.span)
            if index is not None:
                found.append((analysis, index, mention))
    if len({a.document.id for a, _, _ in found}) < 2 or len({m.text.lower() for _, _, m in found}) < 2:
        return []
    nlp = load()
    keys = sorted({(id(a), i): (a, i) for a, i, _ in found}.values(), key=lambda p: (p[0].document.id, p[1]))
    texts = [a.document.text[a.sentences[i][0]:a.sentences[i][1]] for a, i in keys]
    distinct = list(dict.fromkeys(texts))
    by_text = dict(zip(distinct, nlp.pipe(distinct)))
    parsed = {(id(a), i): by_text[t] for (a, i), t in zip(keys, texts)}
    # frame word -> place -> [(doc, span, content words of its sentence, people and bodies around it)]
    told: dict[str, dict[str, list[tuple[str, Span, frozenset[str], frozenset[str]]]]] = {}
    shown: dict[str, tuple[str, bool]] = {}  # frame word -> its lemma, whether a noun
    for analysis, index, mention in found:
        sdoc = parsed[(id(analysis), index)]
        offset = analysis.sentences[index][0]
        covered = sdoc.char_span(mention.span.start - offset, mention.span.end - offset, alignment_mode="expand")
        if covered is None or not len(covered):
            continue
        frame = _place_frame(covered.root)
        if frame is None:
            continue
        lemma = frame.lemma_.lower()
        if lemma in CUE_VERBS or _stem(lemma) in _LIGHT_VERBS:
            continue  # "said in Washington": where it was said, not where it happened
        place = " ".join(_WORD.findall(mention.text.lower()))
        if _REGION.search(place):
            continue  # "Kelvar County", "Southeast D.C.": a region that holds the towns others name
        # A verb and a noun of one family are kept apart: "met in Riyadh"
        # and "a parallel meeting in Rome" are told of two meetings.
        if (frame.pos_ == "VERB" and lemma in _HARMING) or (frame.pos_ == "NOUN" and lemma in _SCENES):
            lemma, key = "scene", "scene"  # where the shooting was: "shot in Harrow Park", "a three-flat in Old Mill Park"
        else:
            key = f"{_stem(lemma)} {frame.pos_}"
        shown.setdefault(key, (lemma, frame.pos_ == "NOUN"))
        told.setdefault(key, {}).setdefault(place, []).append(
            (analysis.document.id, mention.span, _context(analysis, index), _people(analysis, index)))
    texts_of = {a.document.id: a.document.text.lower() for a in analyses}
    out = []
    for word in sorted(told):
        places = told[word]
        by_doc: dict[str, set[str]] = {}
        for place, entries in places.items():
            for doc, *_ in entries:
                by_doc.setdefault(doc, set()).add(place)
        places = {p: [e for e in entries if len(by_doc[e[0]]) == 1] for p, entries in places.items()}
        places = {p: entries for p, entries in places.items() if entries}
        if len(places) < 2:
            continue
        docs = {p: {e[0] for e in entries} for p, entries in places.items()}
        # Names as written: "d c" is "D.C.", "st louis" "St. Louis".
        if any(re.search(r"\b" + r"\W{1,3}".join(map(re.escape, other.split())) + r"\b", texts_of[doc])
               for place in places for other in places if other != place for doc in docs[place]):
            continue
        context = {p: frozenset().union(*(e[2] for e in entries)) for p, entries in places.items()}
        lemma, noun = shown[word]
        named = {word.split()[0]} | {w for p in places for w in (_stem(x) for x in p.split())}
        if not all((context[p] & context[q]) - named for p, q in combinations(sorted(places), 2)):
            continue
        # Two events of one kind ("met in ...") are told of other people:
        # the sentences of the sides of an event told by its verb name one
        # in common. (A noun that names a person, "a student in Arnsby",
        # is that participant itself.)
        people = {p: frozenset().union(*(e[3] for e in entries)) for p, entries in places.items()}
        if word != "scene" and not noun and not all(people[p] & people[q] for p, q in combinations(sorted(places), 2)):
            continue
        values = {p: [e[1] for e in entries] for p, entries in places.items()}
        topic = "where it happened" if word == "scene" else (
            f"where the {lemma} was" if noun else f"where the {_gerund(lemma)} happened")
        out.append(_side_conflict(topic, values, leads, total, settings))
    return out


# Words that tell the victim of a shooting as an adult or as a minor.
_ADULT_WORDS = frozenset({"man", "woman"})
_MINOR_WORDS = frozenset({"boy", "girl", "teen", "teenager", "juvenile", "child", "toddler", "infant", "baby"})
_HARM_NOUNS = frozenset({"shooting", "death", "killing", "slaying"})
_YEARS_OLD = re.compile(r"^(\d{1,3})-year-old$")
_VICTIM_SENTENCE = re.compile(r"\b(?:shot|shooting|killed|killing|slain|slaying|wounded|death)\b", re.I)
# Age from which a person is an adult.
_ADULT_AGE = 18


def _victim_kind(token: Token) -> str | None:
    """Whether a victim is told as an adult or a minor: by its noun ("a man",
    "a boy") or by the age that modifies it ("a 16-year-old")."""
    for child in token.children:
        found = _YEARS_OLD.match(child.text.lower()) if child.dep_ in ("amod", "compound", "nummod") else None
        if found:
            return "adult" if int(found.group(1)) >= _ADULT_AGE else "minor"
    lemma = token.lemma_.lower()
    return "adult" if lemma in _ADULT_WORDS else "minor" if lemma in _MINOR_WORDS else None


def _victim_age_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                          settings: Settings) -> list[tuple[Conflict, float]]:
    """The victim told as an adult by some documents and as a minor by others
    ("a man was shot and killed" / "the fatal shooting of a 16-year-old
    boy"): the victim is what a verb of harm was done to (its passive
    subject or object) or what a shooting, killing or death is of. A
    document telling both kinds of victim tells of several and is left out."""
    found = [(a, i) for a in analyses for i, (start, end) in enumerate(a.sentences)
             if _VICTIM_SENTENCE.search(a.document.text, start, end)]
    if len({a.document.id for a, _ in found}) < 2:
        return []
    nlp = load()
    unused = [name for name in ("ner",) if name in nlp.pipe_names]
    texts = [a.document.text[a.sentences[i][0]:a.sentences[i][1]] for a, i in found]
    distinct = list(dict.fromkeys(texts))
    by_text = dict(zip(distinct, nlp.pipe(distinct, disable=unused)))
    told: dict[str, dict[str, list[Span]]] = {}  # doc -> kind -> spans
    for (analysis, index), text in zip(found, texts):
        offset = analysis.sentences[index][0]
        for token in by_text[text]:
            head = token.head
            victim = (token.dep_ in ("nsubjpass", "dobj") and head.pos_ == "VERB" and head.lemma_.lower() in _HARMING
                      or token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _HARM_NOUNS)
            kind = _victim_kind(token) if victim else None
            if kind is None or any(c.lower_ in ("another", "other") for c in token.children):
                continue  # "shot another man": a second person, besides the one told before
            first = min(t.idx for t in token.subtree if t.i <= token.i and t.dep_ not in ("relcl", "acl"))
            told.setdefault(analysis.document.id, {}).setdefault(kind, []).append(
                analysis.document.span(offset + first, offset + token.idx + len(token.text)))
    values: dict[str, list[Span]] = {}
    for doc in sorted(told):
        if len(told[doc]) == 1:
            for kind, spans in told[doc].items():
                values.setdefault(kind, []).extend(spans)
    if len(values) < 2:
        return []
    return [_side_conflict("whether the victim is an adult or a minor", values, leads, total, settings)]


def _sex_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                   settings: Settings) -> list[tuple[Conflict, float]]:
    """A child told as a boy by some documents and as a girl by others, where
    each document uses words of one sex only (a document using both tells of
    several children)."""
    used: dict[str, dict[str, list[Span]]] = {}
    for analysis in analyses:
        found = {sex: [analysis.document.span(m.start(), m.end()) for m in pattern.finditer(analysis.document.text)]
                 for sex, pattern in _SEXES.items()}
        found = {sex: spans for sex, spans in found.items() if spans}
        if len(found) > 1:
            return []
        for sex, spans in found.items():
            used.setdefault(sex, {})[analysis.document.id] = spans
    if len(used) < 2:
        return []
    values = {sex: [s for spans in by_doc.values() for s in spans] for sex, by_doc in used.items()}
    return [_side_conflict("whether the child is a boy or a girl", values, leads, total, settings)]


# A child's age told with the word for the child: "his 3-year-old son", "a
# 5-year-old girl", "a boy, about 4,"; the word gives the sex the age is of.
# A brother's or sister's age only tells that a document speaks of two
# children of that sex.
_CHILD_WORDS = {"daughter": "girl", "girl": "girl", "son": "boy", "boy": "boy"}
_SIBLING_WORDS = {"sister": "girl", "brother": "boy"}
_CHILD_AGE = re.compile(
    r"\b(?P<age>\d{1,2})[- ]years?[- ]old\s+(?:[a-z]+\s+)?(?P<child>daughter|girl|son|boy|sister|brother)\b"
    r"|\b(?P<child2>daughter|girl|son|boy|sister|brother),\s+(?:aged\s+|about\s+)?(?P<age2>\d{1,2})\s*[,.;)]")


def _child_age_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                         settings: Settings) -> list[tuple[Conflict, float]]:
    """Different ages given to the child of one sex ("his 5-year-old
    daughter" / "a 3-year-old girl") by documents that each give one age
    for a child of that sex (a document giving two, a brother's among
    them, tells of two children)."""
    told: dict[str, dict[str, dict[int, list[Span]]]] = {}  # sex -> doc -> age -> spans
    siblings: dict[str, dict[str, set[int]]] = {}  # sex -> doc -> ages of brothers or sisters
    for analysis in analyses:
        for match in _CHILD_AGE.finditer(analysis.document.text):
            word = (match.group("child") or match.group("child2")).lower()
            age = int(match.group("age") or match.group("age2"))
            if word in _SIBLING_WORDS:
                siblings.setdefault(_SIBLING_WORDS[word], {}).setdefault(analysis.document.id, set()).add(age)
                continue
            told.setdefault(_CHILD_WORDS[word], {}).setdefault(analysis.document.id, {}).setdefault(age, []).append(
                analysis.document.span(match.start(), match.end()))
    out = []
    for sex in sorted(told):
        single = {doc: ages for doc, ages in told[sex].items()
                  if len(set(ages) | siblings.get(sex, {}).get(doc, set())) == 1}
        values: dict[str, list[Span]] = {}
        for doc in sorted(single):
            for age, spans in single[doc].items():
                values.setdefault(f"{age} years", []).extend(spans)
        if len(values) < 2:
            continue
        out.append(_side_conflict(f"the age of the {sex}", values, leads, total, settings))
    return out


# A person's age told beside their name: "Calvin Williams, 23," or "Stephen,
# 14"; and "the 16-year-old Jaylen Cole".
_AGE_AFTER_NAME = re.compile(r",\s*(?:aged\s+|an?\s+)?(\d{1,3})(?:[- ]years?[- ]old)?(?=\s*(?:[,.;)]|and\b|was\b|who\b|of\b|is\b))")
_AGE_BEFORE_NAME = re.compile(r"\b(\d{1,3})[- ]years?[- ]old\s+(?:[a-z]+\s+){0,2}$")


def _age_conflicts(analyses: Sequence[Analysis], leads: "_Leads", total: int,
                   settings: Settings) -> list[tuple[Conflict, float]]:
    """Different ages given to one named person by different documents (a
    person is their surname, and their first name where it is told; a
    surname told with two first names is two people). None when a document
    gives the person two ages."""
    told: dict[str, list[tuple[str, str, int, Span, str]]] = {}  # surname -> (first, doc, age, span, name)
    for analysis in analyses:
        text = analysis.document.text
        for mention in analysis.entities:
            words = _WORD.findall(mention.text)
            # A name with an age beside it is a person's, whatever label the
            # tagger gave it ("Marcus Bell, 23," is often read as an ORG).
            if mention.label not in ("PERSON", "ORG") or not words:
                continue
            found = _AGE_AFTER_NAME.match(text, mention.span.end)
            if found is None:
                found = _AGE_BEFORE_NAME.search(text[max(0, mention.span.start - 40):mention.span.start])
                if found is None:
                    continue
                offset = max(0, mention.span.start - 40)
                start, end = offset + found.start(1), offset + found.end(1)
            else:
                start, end = found.span(1)
            first = words[0].lower() if len(words) > 1 else ""
            told.setdefault(words[-1].lower(), []).append(
                (first, analysis.document.id, int(text[start:end]), analysis.document.span(start, end), mention.text))
    out = []
    for surname in sorted(told):
        firsts = {first for first, *_ in told[surname] if first}
        if len(firsts) > 1:
            continue  # two people of one surname: which one an age is of is not sure
        ages: dict[int, list[Span]] = {}
        by_doc: dict[str, set[int]] = {}
        for _, doc, age, span, _ in told[surname]:
            ages.setdefault(age, []).append(span)
            by_doc.setdefault(doc, set()).add(age)
        if len(ages) < 2 or any(len(values) > 1 for values in by_doc.values()):
            continue
        name = max((entry[4] for entry in told[surname]), key=lambda n: (len(n.split()), n))
        sides = sorted(ages.items(), key=lambda pair: (-len({s.doc for s in pair[1]}), pair[0]))
        conflict = Conflict("", f"the age of {name}", [
            ConflictSide(" / ".join(dict.fromkeys(s.text for s in spans)), f"{age} years",
                         sorted(spans, key=lambda x: (x.doc, x.start)))
            for age, spans in sides], kind="value")
        lead = any(leads.holds(s) for _, spans in sides for s in spans)
        out.append((conflict, _weight(len(by_doc), lead, 1.0, total, settings)))
    return out


# --------------------------------------------------------------------------- stance


_POSITIVE = frozenset({"asserts", "attributes"})
_NEGATIVE = frozenset({"denies", "questions"})
# Words that turn a sentence's claim into its negation ("did not observe",
# "no superconductivity found"): a passage is negative when it holds one.
_NEGATION = re.compile(r"\b(?:" + "|".join(sorted(NEGATIONS)) + r")\b|n[’']t\b", re.I)
# Doubt cast on a proposition ("questioned whether", "unverified"), as opposed
# to the verb of an inquiry ("police are questioning the man").
_DOUBT = re.compile(
    r"\b(?:question(?:s|ed|ing)? (?:whether|if|the claim)|doubt(?:s|ed|ful)?|unverified|unconfirmed|unproven|"
    r"sceptic(?:al|ism)?|skeptic(?:al|ism)?|disput(?:e|es|ed|ing)|cast doubt|not (?:been |yet )?(?:confirmed|verified))\b",
    re.I)

# Passages that leave a claim open ("it's possible", "have not determined
# whether"): neither asserts nor denies it.
_UNSETTLED = re.compile(
    r"\b(?:possibl[ey]|may|might|could|perhaps|likely|unclear|unknown|whether|not (?:yet )?(?:known|clear|determined))\b",
    re.I)


def _negative(text: str) -> bool:
    """Whether a passage says its claim in the negative."""
    return bool(_NEGATION.search(text))


def _claim_words(text: str) -> frozenset[str]:
    """Stems of the content words of a passage, negations and doubt left out:
    what it is about, whichever way it says it."""
    return frozenset(_stem(w.lower()) for w in _WORD.findall(text)
                     if len(w) > 2 and w.lower() not in STOP_WORDS and not _NEGATION.fullmatch(w))


def _same_source(a: str | None, b: str | None) -> bool:
    """Whether two assertors are one voice: both the outlets' own, or one
    source (``independence.same_source``: "the White House" / "White House",
    "Bob Etheridge" / "Etheridge")."""
    if a is None or b is None:
        return a is None and b is None
    return same_source(a, b)


def _opposed(claim_for: "Claim | None", text_for: str, assertor_for: str | None, stance: str,
             claim_against: "Claim | None", text_against: str, assertor_against: str | None,
             settings: Settings) -> bool:
    """Whether a passage that denies or questions disputes one that asserts:
    the same predicate with the same participants (most content words shared,
    the verb of one told in the other), opposite polarity judged on the
    passages themselves (two negative sentences that say the same thing
    agree), and said by the outlets or one source alike; a doubt ("question
    whether", "unverified") counts from any voice."""
    if stance == "denies":
        if _UNSETTLED.search(text_for) or _UNSETTLED.search(text_against):
            return False  # "it's possible that P" and "it is not determined whether P" agree
        if _negative(text_for) == _negative(text_against):
            return False
        if not (assertor_against is None or _same_source(assertor_for, assertor_against)):
            return False
    elif stance == "questions":
        if not _DOUBT.search(text_against) or _DOUBT.search(text_for):
            return False
        if _negative(text_for) != _negative(text_against):
            return False
    else:
        return False
    words_for, words_against = _claim_words(text_for), _claim_words(text_against)
    if not words_for or not words_against:
        return False
    shared = len(words_for & words_against) / max(len(words_for), len(words_against))
    if shared < settings.conflict_stance_overlap:
        return False
    # The predicate of each is told in the other: "could not break an
    # impasse" does not deny "no end in sight".
    verbs = [_claim_words(c.did.text) for c in (claim_for, claim_against) if c is not None and c.did is not None]
    return all(v <= (words_for & words_against) for v in verbs if v)


def _stance_conflicts(facts: Sequence[Fact], claims: dict[tuple[str, int, int], "Claim"], leads: "_Leads",
                      total: int, settings: Settings) -> list[tuple[Conflict, float]]:
    """A fact that some documents assert (or report as a source's claim) and
    others deny or question (see ``_opposed``): the two sides with their
    assertors. A document on both sides is on neither; a fact told twice
    gives one conflict."""
    out = []
    seen: set[tuple[frozenset[tuple[str, int, int]], ...]] = set()
    for fact in facts:
        if not fact.stances:
            continue
        positive = [i for i in range(len(fact.support)) if fact.stance_of(i) in _POSITIVE]
        negative = [i for i in range(len(fact.support)) if fact.stance_of(i) in _NEGATIVE]
        if not positive or not negative:
            continue

        def assertor(i: int) -> str | None:
            return fact.assertors[i] if fact.assertors else None

        def claim(i: int) -> "Claim | None":
            span = fact.support[i]
            return claims.get((span.doc, span.start, span.end))

        pairs = [(i, j) for i in positive for j in negative if fact.support[i].doc != fact.support[j].doc
                 and _opposed(claim(i), fact.support[i].text, assertor(i), fact.stance_of(j), claim(j),
                              fact.support[j].text, assertor(j), settings)]
        docs_for = {fact.support[i].doc for i, _ in pairs}
        docs_against = {fact.support[j].doc for _, j in pairs}
        both = docs_for & docs_against
        sides = {"for": sorted({i for i, _ in pairs if fact.support[i].doc not in both}),
                 "against": sorted({j for _, j in pairs if fact.support[j].doc not in both})}
        if not sides["for"] or not sides["against"]:
            continue
        key = tuple(frozenset((fact.support[i].doc, fact.support[i].start, fact.support[i].end) for i in side)
                    for side in sides.values())
        if key in seen:
            continue
        seen.add(key)

        def described(indexes: list[int]) -> str:
            stances = Counter(fact.stance_of(i) for i in indexes)
            who = [a for a in dict.fromkeys(assertor(i) for i in indexes) if a]
            words = " / ".join(stances)
            return f"{words} (according to {', '.join(who)})" if who else words

        conflict = Conflict(
            id="",
            topic=f"whether {_lower_first(fact.text.rstrip('.'))}",
            sides=[
                ConflictSide(described(indexes), fact.stance_of(indexes[0]), [fact.support[i] for i in indexes])
                for indexes in (sides["for"], sides["against"])
            ],
            kind="stance",
        )
        lead = any(leads.holds(s) for s in fact.support)
        weight = _weight(len({fact.support[i].doc for side in sides.values() for i in side}), lead,
                         settings.conflict_weight_stance, total, settings)
        out.append((conflict, weight))
    return out


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.isupper() or (first[:1].isupper() and first[1:2].isupper()) else text[:1].lower() + text[1:]


# --------------------------------------------------------------------------- quotations


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


def _statement_conflicts(statements: Sequence[Statement], quotes: dict[str, Quote], leads: "_Leads",
                         total: int, settings: Settings) -> list[tuple[Conflict, float]]:
    """A conflict per statement whose versions differ: the reference wording
    on one side, each wording whose meaning differs on another. A negation
    or a number changed weighs fully, a hedge less, words in another mouth
    are an attribution conflict, and versions that differ only by a
    connective ("new or a different" / "new and a different") are a minor
    quotation conflict."""
    out = []
    for statement in statements:
        reference = quote_words(statement.text)
        # A negation traded for other words where two versions part ("If
        # they don't pass this bill" / "To pass this bill") changes the
        # meaning, though the stretch they share is worded alike.
        negated = [{**d, "meaning": "changed", "note": d.get("note", "") + "; negation replaced"}
                   for d in statement.differences if d.get("meaning") != "changed"
                   and _negation_replaced(quote_words(spoken(quotes[d["quote"]])), reference)]
        changed = [d for d in statement.differences if d.get("meaning") == "changed"] + negated
        if not changed:
            continue
        notes = " ".join(d.get("note", "") for d in changed)
        if changed and all("put in the mouth of" in d.get("note", "") for d in changed) and not re.search(
                r"negation|hedge|numbers differ", notes):
            kind, weight = "attribution", settings.conflict_weight_attribution
        elif "negation" in notes or "numbers differ" in notes:
            kind, weight = "quotation", settings.conflict_weight_quotation
        else:
            kind, weight = "quotation", settings.conflict_weight_hedge
        # A version that shares little of the reference's words is another
        # utterance aligned by mistake, not the same one worded otherwise.
        changed = [d for d in changed if _same_utterance(spoken(quotes[d["quote"]]), statement.text, settings)
                   and (d in negated or _changed_inside(quote_words(spoken(quotes[d["quote"]])), reference))]
        if not changed:
            continue
        differing = [d["quote"] for d in changed]
        kept = [q for q in statement.quotes if q not in differing]
        sides = [ConflictSide(_trim(statement.text), None, [quotes[q].span for q in kept])]
        for quote_id in differing:
            sides.append(ConflictSide(_trim(spoken(quotes[quote_id])), None, [quotes[quote_id].span]))
        if not sides[0].support:
            continue
        documents = {s.doc for side in sides for s in side.support}
        if len(documents) < 2:
            continue
        lead = any(leads.holds(s) for side in sides for s in side.support)
        topic = f"what {_speaker(statement, quotes)} said" if kind != "attribution" else "who said it"
        conflict = Conflict("", topic, sides, kind=kind)
        out.append((conflict, _weight(len(documents), lead, weight, total, settings)))
    return out


def _same_utterance(version: str, reference: str, settings: Settings) -> bool:
    """Whether a version keeps, in order, most of its words from the
    reference (the share of its words in blocks matched with the reference is
    at least ``conflict_same_utterance``): a wording changed by a negation or
    a number keeps the rest; another utterance the alignment joined does not."""
    words, target = quote_words(version), quote_words(reference)
    if not words or not target:
        return False
    matched = sum(b.size for b in SequenceMatcher(None, target, words, autojunk=False).get_matching_blocks())
    return matched / len(words) >= settings.conflict_same_utterance


def _changed_inside(version: Sequence[str], reference: Sequence[str]) -> bool:
    """Whether two wordings differ inside the stretch they share: a change
    (a word or a few) between words in common. Two quotations of one
    utterance that start or stop at other points, or go on with other
    sentences (a change of four or more words ends the shared stretch),
    say the same thing where they overlap."""
    matcher = SequenceMatcher(None, list(reference), list(version), autojunk=False)
    started = pending = False
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            if started and pending:
                return True
            started, pending = True, False
        elif started:
            if max(a2 - a1, b2 - b1) >= _DIVERGED:
                return False
            pending = True
    return False


# Negations of a quotation's words (as ``quote_words`` splits them).
_QUOTED_NEGATIONS = NEGATIONS | {"n’t"}


def _negation_replaced(version: Sequence[str], reference: Sequence[str]) -> bool:
    """Whether a version puts other words, with another number of negations,
    in place of words of the reference: a few words replaced between the
    words they share or where both start or both end ("if they do n’t pass
    this bill" / "to pass this bill"). Words only one of them has at an end
    are a quotation started or stopped elsewhere, not a change."""
    matcher = SequenceMatcher(None, list(reference), list(version), autojunk=False)
    ops = matcher.get_opcodes()
    if sum(a2 - a1 for op, a1, a2, _, _ in ops if op == "equal") < _DIVERGED:
        return False
    for index, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal" or (op != "replace" and index in (0, len(ops) - 1)):
            continue
        if max(a2 - a1, b2 - b1) > _DIVERGED + 1:
            continue  # more words than a rewording of one clause's opening
        before = sum(w in _QUOTED_NEGATIONS for w in reference[a1:a2])
        after = sum(w in _QUOTED_NEGATIONS for w in version[b1:b2])
        if before != after:
            return True
    return False


def _connective_only(version: Sequence[str], reference: Sequence[str]) -> bool:
    """Whether a wording differs from (a stretch of) another only by a
    connective ("a new or a different" / "a new and a different")."""
    matcher = SequenceMatcher(None, list(reference), list(version), autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return False
    # Only the stretch of the reference the version covers.
    window = SequenceMatcher(None, list(reference[blocks[0].a: blocks[-1].a + blocks[-1].size]),
                             list(version[blocks[0].b: blocks[-1].b + blocks[-1].size]), autojunk=False)
    changes = [(a, b) for op, a1, a2, b1, b2 in window.get_opcodes() if op != "equal"
               for a, b in [(window.a[a1:a2], window.b[b1:b2])]]
    outside = blocks[0].b > 0 or blocks[-1].b + blocks[-1].size < len(version)
    return bool(changes) and not outside and all(set(a) <= _CONNECTIVES and set(b) <= _CONNECTIVES for a, b in changes)


def _minor_conflicts(statements: Sequence[Statement], quotes: dict[str, Quote], leads: "_Leads", total: int,
                     settings: Settings) -> list[tuple[Conflict, float]]:
    """Versions of one utterance that differ only by a connective, within a
    statement or across two statements of one speaker (a short partial
    quotation is often aligned on its own): a minor quotation conflict."""
    out = []
    words = {s.id: quote_words(s.text) for s in statements}
    for statement in statements:
        for difference in statement.differences:
            if difference.get("meaning") == "changed":
                continue
            quote = quotes[difference["quote"]]
            if _connective_only(quote_words(spoken(quote)), words[statement.id]):
                kept = [quotes[q].span for q in statement.quotes if q != quote.id]
                out.append(_minor(statement, [(statement.text, kept), (spoken(quote), [quote.span])], quotes, leads,
                                  total, settings))
    for a, b in combinations(statements, 2):
        # Speakers are not compared: a reporter who puts the other side's
        # words in one mouth ("X said Y suggested ...") still quotes them.
        short, long = (a, b) if len(words[a.id]) <= len(words[b.id]) else (b, a)
        if len(_content_words(short.text)) >= 3 and _connective_only(words[short.id], words[long.id]):
            docs_short = {quotes[q].span.doc for q in short.quotes}
            docs_long = {quotes[q].span.doc for q in long.quotes}
            if docs_long - docs_short:
                out.append(_minor(long, [(long.text, [quotes[q].span for q in long.quotes]),
                                         (short.text, [quotes[q].span for q in short.quotes])], quotes, leads, total,
                                  settings))
    return out


def _minor(statement: Statement, sides: list[tuple[str, list[Span]]], quotes: dict[str, Quote], leads: "_Leads",
           total: int, settings: Settings) -> tuple[Conflict, float]:
    documents = {s.doc for _, spans in sides for s in spans}
    lead = any(leads.holds(s) for _, spans in sides for s in spans)
    conflict = Conflict("", f"what {_speaker(statement, quotes)} said",
                        [ConflictSide(_trim(text), None, spans) for text, spans in sides], kind="quotation")
    return conflict, _weight(len(documents), lead, settings.conflict_weight_minor, total, settings)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in quote_words(text) if w not in STOP_WORDS and len(w) > 2 and not w.startswith("’"))


def _attribution_conflicts(quotes: Sequence[Quote], statements: Sequence[Statement], leads: "_Leads",
                           total: int, settings: Settings) -> list[tuple[Conflict, float]]:
    """The same words put in different mouths: direct quotations of
    different documents, each with a named speaker, that share nearly all
    their content words but whose speakers differ."""
    in_statement_pairs = set()
    for statement in statements:
        in_statement_pairs.update(combinations(sorted(statement.quotes), 2))
    named = [q for q in quotes if q.kind == "direct" and q.speaker and q.speaker_mention is not None]
    words = [_content_words(spoken(q)) for q in named]
    postings: dict[str, list[int]] = {}
    for index, content in enumerate(words):
        if len(content) >= settings.conflict_attribution_words:
            for word in content:
                postings.setdefault(word, []).append(index)
    seen = set()
    out = []
    for members in postings.values():
        for i, j in combinations(members, 2):
            a, b = named[i], named[j]
            if (i, j) in seen or a.doc == b.doc or a.speaker == b.speaker:
                continue
            seen.add((i, j))
            if _surname(a) == _surname(b) or not (_is_name(a) and _is_name(b)):
                continue  # the same person, or one only described ("the moderate Democrat")
            shared = len(words[i] & words[j]) / min(len(words[i]), len(words[j]))
            if shared < settings.conflict_same_words:
                continue
            sides = [ConflictSide(f"{_trim(spoken(q))} — {q.speaker_name or q.speaker_mention.text}",  # type: ignore[union-attr]
                                  q.speaker_name, [q.span] + ([q.speaker_mention] if q.speaker_mention else []))
                     for q in (a, b)]
            lead = any(leads.holds(s) for side in sides for s in side.support)
            conflict = Conflict("", "who said it", sides, kind="attribution")
            out.append((conflict, _weight(2, lead, settings.conflict_weight_attribution, total, settings)))
    return out


def _is_name(quote: Quote) -> bool:
    """Whether the speaker is named by a name, not described by a title."""
    mention = quote.speaker_mention.text if quote.speaker_mention else ""
    words = mention.split()
    return bool(words) and words[0].lower() not in ("the", "a", "an", "this", "that", "his", "her") and words[-1][:1].isupper()


def _surname(quote: Quote) -> str:
    words = _WORD.findall(quote.speaker_name or (quote.speaker_mention.text if quote.speaker_mention else ""))
    return words[-1].lower() if words else ""


# --------------------------------------------------------------------------- ranking


class _Leads:
    """The lead of each document: its first two sentences."""

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        self._ends = {a.document.id: a.sentences[min(1, len(a.sentences) - 1)][1] for a in analyses if a.sentences}

    def holds(self, span: Span) -> bool:
        """Whether ``span`` starts in its document's lead."""
        return span.start < self._ends.get(span.doc, 0)


def _weight(documents: int, lead: bool, kind: float, total: int, settings: Settings) -> float:
    """Severity in 0..1: the kind's weight times a base raised by the share of
    the story's documents that concern the topic and by a side in a lead."""
    share = documents / max(1, total)
    score = settings.conflict_severity_base + settings.conflict_severity_coverage * share
    score += settings.conflict_severity_lead * lead
    return max(0.0, min(1.0, kind * score))


def _describe(conflict: Conflict, labels: dict[str, str]) -> str:
    """One sentence: what differs and which outlets say what."""
    parts = []
    for side in conflict.sides:
        outlets = list(dict.fromkeys(labels.get(s.doc, s.doc) for s in side.support))
        value = side.value if len(side.value) <= 90 else side.value[:87].rstrip() + "…"
        verb = "says" if len(outlets) == 1 else "say"
        if conflict.kind == "stance":
            parts.append(f"{_join(outlets)} {verb} it {value}")
        else:
            parts.append(f"{_join(outlets)} {verb} “{value}”")
    opening = {"value": "Outlets give different values for", "stance": "Outlets disagree on",
               "quotation": "Outlets quote differently", "attribution": "Outlets put the same words in different mouths:"}
    head = opening.get(conflict.kind, "Outlets disagree on")
    if conflict.kind == "quotation":
        head = f"Outlets quote differently {conflict.topic}"
    elif conflict.kind == "attribution":
        return f"{head} " + "; ".join(parts) + "."
    else:
        head = f"{head} {conflict.topic}"
    return f"{head}: " + "; ".join(parts) + "."


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def find_conflicts(
    analyses: Sequence[Analysis],
    statements: Sequence[Statement],
    quotes: Sequence[Quote],
    facts: Sequence[Fact] = (),
    *,
    settings: Settings = DEFAULT,
) -> list[Conflict]:
    """Every conflict of the story, most severe first (ids c1, c2, ... in
    that order): values of one attribute of one event that documents give
    incompatibly, facts asserted by some and denied or questioned by others,
    quotations whose wording diverges in meaning, and words put in
    different mouths. Each has a kind, a severity and a description."""
    leads = _Leads(analyses)
    total = len(analyses)
    by_id = {q.id: q for q in quotes}
    ranked = (
        _value_conflicts(analyses, settings)
        + _age_conflicts(analyses, leads, total, settings)
        + _clock_conflicts(analyses, leads, total, settings)
        + _weekday_conflicts(analyses, leads, total, settings)
        + _child_age_conflicts(analyses, leads, total, settings)
        + _wound_conflicts(analyses, leads, total, settings)
        + _place_conflicts(analyses, leads, total, settings)
        + _place_event_conflicts(analyses, leads, total, settings)
        + _sex_conflicts(analyses, leads, total, settings)
        + _victim_age_conflicts(analyses, leads, total, settings)
        + _stance_conflicts(facts, {(c.span.doc, c.span.start, c.span.end): c for a in analyses for c in a.claims},
                            leads, total, settings)
        + _statement_conflicts(statements, by_id, leads, total, settings)
        + _minor_conflicts(statements, by_id, leads, total, settings)
        + _attribution_conflicts(quotes, statements, leads, total, settings)
    )
    # Two reports of one paper are told apart (by date, else id) on the two sides.
    labels = distinct_labels([a.document for a in analyses])
    ranked.sort(key=lambda pair: -pair[1])
    conflicts = []
    for conflict, severity in _consistent(ranked):
        conflict.id = f"c{len(conflicts) + 1}"
        conflict.severity = round(severity, 3)
        conflict.description = _describe(conflict, labels)
        conflicts.append(conflict)
    return conflicts


def _wording(text: str) -> str:
    """A text's words and numbers, without case or punctuation."""
    return " ".join(re.findall(r"[^\W_]+(?:[.,][0-9]+)*", text.lower()))


def _consistent(ranked: Sequence[tuple[Conflict, float]]) -> list[tuple[Conflict, float]]:
    """The conflicts, most severe first, with each document on one side of
    each and never on opposite sides of two: a document on two sides of one
    conflict (it tells both versions) stays on the smaller side only; a
    document that a more severe conflict puts against a value is not put on
    that value's side by a later one; sides worded alike are one side. A
    conflict left with fewer than two sides, or with one document, is
    dropped; so is one that repeats an earlier one."""
    kept: list[tuple[Conflict, float]] = []
    against: dict[str, set[str]] = {}  # a wording -> documents a kept conflict puts on another side
    seen: set[tuple[frozenset[tuple[str, int, int]], ...]] = set()
    for conflict, severity in ranked:
        sides = [list(side.support) for side in conflict.sides]
        for index, support in enumerate(sides):
            barred = against.get(_wording(conflict.sides[index].value), set())
            sides[index] = [s for s in support if s.doc not in barred]
        docs = [{s.doc for s in support} for support in sides]
        for index, support in enumerate(sides):
            smaller = [k for k in range(len(sides)) if k != index and docs[k] and
                       (len(docs[k]), k) < (len(docs[index]), index)]
            elsewhere = set().union(*(docs[k] for k in smaller)) if smaller else set()
            sides[index] = [s for s in support if s.doc not in elsewhere]
        chosen: list[ConflictSide] = []
        for side, support in zip(conflict.sides, sides):
            same = next((c for c in chosen if _wording(c.value) == _wording(side.value)), None)
            if same is not None:
                same.support.extend(support)  # "two days ago" and "two days ago" say one thing
            elif support:
                chosen.append(ConflictSide(side.value, side.normalized, list(support)))
        if len(chosen) < 2 or len({s.doc for side in chosen for s in side.support}) < 2:
            continue
        key = tuple(sorted((frozenset((s.doc, s.start, s.end) for s in side.support) for side in chosen),
                           key=lambda k: sorted(k)))
        if key in seen:
            continue
        seen.add(key)
        conflict.sides = chosen
        for side in chosen:
            others = {s.doc for other in chosen if other is not side for s in other.support}
            against.setdefault(_wording(side.value), set()).update(others - {s.doc for s in side.support})
        kept.append((conflict, severity))
    return kept


def _overlaps(a: Span, b: Span) -> bool:
    return a.doc == b.doc and a.start < b.end and b.start < a.end


def mark_disputed(facts: Sequence[Fact], conflicts: Sequence[Conflict], *, settings: Settings = DEFAULT) -> None:
    """Mark disputed exactly the facts a conflict is about and link each to
    its conflicts (``disputed_by``, most severe first): a fact is about a
    conflict when its support holds passages of two different sides of it
    (the value, wording or assertion the outlets disagree on). A minor
    quotation difference disputes nothing. A fact the facts stage marked
    disputed that no conflict is about is corroborated when two independent
    origins assert it, else single-source."""
    for fact in facts:
        fact.disputed_by = []
        for conflict in conflicts:
            if conflict.kind == "quotation" and conflict.severity <= settings.conflict_weight_minor:
                continue
            touched = {index for index, side in enumerate(conflict.sides)
                       if any(_overlaps(s, span) for s in side.support for span in fact.support)}
            if len(touched) >= 2:
                fact.disputed_by.append(conflict.id)
        if fact.disputed_by:
            fact.status = "disputed"
        elif fact.status == "disputed":
            fact.status = "corroborated" if fact.independent >= 2 else "single-source"
