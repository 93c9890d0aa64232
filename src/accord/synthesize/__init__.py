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

from accord.model import (Analysis, Claim, Conflict, Coverage, Document, Fact, Span, SummarySentence, TimelineEntry,
                          distinct_labels)
from accord.settings import DEFAULT, Settings

__all__ = ["coverage", "summary", "timeline"]

#: The defaults, under their old names (where each value comes from is said in Settings).
MAX_SUMMARY = DEFAULT.summary_sentences
SUMMARY_WORDS = DEFAULT.summary_words
MIN_CONFLICT_SEVERITY = DEFAULT.summary_min_severity
OUTLET_WEIGHT = DEFAULT.summary_outlet_weight
MAX_ATTRIBUTED = DEFAULT.summary_max_attributed
MIN_SENTENCES = DEFAULT.summary_min_sentences
MAX_CONFLICTS = DEFAULT.summary_max_conflicts
LEAD_WEIGHT = DEFAULT.summary_lead_weight
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
    whose fact most outlets report (the shortest full sentence on a tie).

    Dates in boilerplate (a newsletter line, a site's repeated sentences),
    headlines and questions are left out. A date the story only looks back
    to is kept apart (``background``): one named in a passage of background
    (past perfect, "years ago", a year before the report's), after "since"
    ("in his role since 2004"), or more than ``BACKGROUND_DAYS`` before the
    story's first report; the story's own events are the others."""
    outlets = {(s.doc, s.start): f.outlets for f in facts for s in f.support}
    published = sorted(a.document.published[:10] for a in analyses if a.document.published)
    horizon = _days_before(published[0], BACKGROUND_DAYS) if published else None
    by_date: dict[tuple[str, str], list[tuple[Span, bool]]] = {}
    for analysis in analyses:
        claims = list(analysis.claims)
        for time in analysis.times:
            if _VAGUE.search(time.span.text):
                continue  # "this week" is no event's date
            if not analysis.document.published and not _ABSOLUTE.search(time.span.text):
                continue  # "today" in a report of unknown date
            claim = next((c for c in claims if c.span.start <= time.span.start and time.span.end <= c.span.end), None)
            if claim is not None and claim.passage in _NO_EVENT:
                continue  # a newsletter's or a site's line, a headline: no event of the story
            around = claim.span if claim is not None else _sentence_around(analysis, time.span)
            if around is None:
                continue
            text = analysis.document.text
            background = ((claim is not None and claim.passage == "background")
                          or bool(_SINCE.search(text[max(0, time.span.start - 12):time.span.start]))
                          or (horizon is not None and time.date[:10] < horizon[: len(time.date[:10])]))
            named = by_date.setdefault((time.date, time.precision), [])
            if all((s.doc, s.start) != (around.doc, around.start) for s, _ in named):
                named.append((around, background))
    entries = []
    for (date, precision), found in sorted(by_date.items()):
        spans = [s for s, _ in found]
        told = min(spans, key=lambda s: (-outlets.get((s.doc, s.start), 1), len(s.text) < 40, len(s.text)))
        # An event when any report tells it as one; background when all look back to it.
        background = all(b for _, b in found)
        entries.append(TimelineEntry(date, precision, _paragraph_piece(told.text),  # type: ignore[arg-type]
                                     sorted(spans, key=lambda s: (s.doc, s.start)), background))
    return entries


#: Passage kinds whose dates are no event of the story.
_NO_EVENT = frozenset({"boilerplate", "headline", "question"})
#: Dates more than this many days before the story's first report are background
#: (a year: a story's own events in the reports of a day or a week fall well
#: inside it; a founding year, a birth, "since 2004" fall outside).
BACKGROUND_DAYS = DEFAULT.timeline_background_days
_SINCE = re.compile(r"\b(?:since|as of|born(?: in| on)?|founded(?: in)?|established(?: in)?)\s+(?:the\s+)?$", re.I)


def _days_before(date: str, days: int) -> str:
    """The ISO date ``days`` days before ``date`` (YYYY-MM-DD)."""
    import datetime

    try:
        day = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return "0000-00-00"
    return (day - datetime.timedelta(days=days)).isoformat()


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
    limit: int | None = None,
    words: int | None = None,
 settings: Settings = DEFAULT,
) -> list[SummarySentence]:
    """The story in up to ``limit`` (default ``settings.summary_sentences``) cited sentences.

    The facts told are the best supported (each further outlet adds
    ``settings.summary_outlet_weight``; then centrality, the TF-IDF cosine with the story's
    centroid and, weighted by ``settings.summary_central_weight``, the share
    of the story's sentences close to the fact as LexRank counts them; then
    how early in its report a passage comes), up to about
    ``words`` (default ``settings.summary_words``) words, headlines, questions,
    opinion and boilerplate left out; a small story's ``words`` is at most
    ``settings.summary_story_share`` of its reports' mean length. When fewer than
    ``settings.summary_min_sentences`` facts or ``words`` words can be told, further outlets'
    passages of the facts that say something new are told in their own
    words. They are told in three parts:

    1. what happened: the facts the outlets state in their own voice;
    2. the main claims the outlets attribute to a named source (up to
       ``settings.summary_max_attributed``), in the words of a passage that names it;
    3. the real disagreements (up to ``settings.summary_max_conflicts``, none below
       ``settings.summary_min_severity``, each sentence once), each side in its
       own words with its outlets, the last saying how many more the dossier
       lists.

    Every sentence is a passage of a cited document (or, for a
    disagreement, made of its sides' words) and cites every passage that
    states it; a sentence never runs across a paragraph break, and a word the
    clean stage flagged as garbled is never quoted unmarked (another
    outlet's wording is chosen when one is clean, else the word is followed
    by ``[sic]``). Nothing is said that the cited spans do not say."""
    limit = settings.summary_sentences if limit is None else limit
    words = settings.summary_words if words is None else words
    if analyses:
        # A small story is told in fewer words: at most a share of its
        # reports' mean length (three leads of ~70 words get ~50; the NeuS
        # targets are short neutral leads, and ROUGE F1 punishes a long summary).
        mean = sum(len(a.document.text.split()) for a in analyses) / len(analyses)
        words = min(words, round(settings.summary_story_share * mean))
    centroid = _centroid([a.document.text for a in analyses])
    by_id = {a.document.id: a for a in analyses}
    claims = {(c.span.doc, c.span.start): c for a in analyses for c in a.claims}
    positions = _positions(analyses)
    central = _Centrality(analyses, settings.summary_central_threshold)

    def rank(fact: Fact) -> tuple[float, str]:
        outlets = len({s.doc for s in fact.support})
        far = settings.summary_far_position
        lead = min((positions.get((s.doc, s.start), far) for s in fact.support), default=far)
        slots = max((_slots(claims.get((s.doc, s.start))) for s in fact.support), default=0)
        score = (settings.summary_outlet_weight * (outlets - 1) + _cosine(fact.text, centroid)
                 + settings.summary_lead_weight / (1 + lead) + settings.summary_slot_weight * slots
                 + settings.summary_central_weight * central.of(fact.text))
        return (-score, fact.id)

    # One ranking chooses what is told (the best-supported facts, whether
    # the outlets state them or relay a named source), up to about ``words``
    # words; the chosen are then told in the story's order: what happened,
    # then what named sources claim.
    events: list[SummarySentence] = []
    relayed: list[SummarySentence] = []
    told: list[set[str]] = []
    cited: set[tuple[str, int, int]] = set()
    said = 0
    severe = [c for c in conflicts if c.severity >= settings.summary_min_severity and _told_as_disagreement(c)]
    room = max(settings.summary_min_sentences, limit - min(len(severe), settings.summary_max_conflicts))
    ranked = sorted(facts, key=rank)
    for fact in ranked:
        if len(events) + len(relayed) >= room or (len(events) + len(relayed) >= settings.summary_min_sentences and said >= words):
            break
        kinds = [claims[(s.doc, s.start)].passage for s in fact.support if (s.doc, s.start) in claims]
        if kinds and all(k in UNTOLD for k in kinds):
            continue  # a headline, a question, a newsletter line: no part of the story told
        named = _named_source(fact)
        if named and len(relayed) >= settings.summary_max_attributed:
            continue
        sentence = _fact_sentence(fact, by_id, told, settings.summary_repeat_overlap, cited)
        if sentence is not None:
            (relayed if named else events).append(sentence)
            said += len(sentence.text.split())
    if len(events) + len(relayed) < settings.summary_min_sentences or said < words:
        # A small story whose outlets' passages were joined into few facts
        # (three leads telling one event): another outlet's passage of a
        # fact, earliest in its report first, that says something the told
        # sentences do not is told too, in its own words, citing only itself,
        # until the least sentences and about ``words`` words are told.
        # (Up to the least sentences only: NeuS train ROUGE-2 +0.0046 on
        # stories 0-399 and +0.0035 on 400-999; val +0.0027, 2026-12-06.)
        far = settings.summary_far_position
        for fact in ranked:
            named = _named_source(fact)
            for span in sorted(fact.support, key=lambda s: (positions.get((s.doc, s.start), far), s.doc, s.start)):
                if len(events) + len(relayed) >= room or (len(events) + len(relayed) >= settings.summary_min_sentences and said >= words):
                    break
                claim = claims.get((span.doc, span.start))
                if claim is None or claim.passage in UNTOLD or _damaged(span, by_id):
                    continue
                text = _paragraph_piece(span.text)
                if _speakerless(text):
                    continue
                vocabulary = set(_content_words(text))
                if not vocabulary or any(len(vocabulary & earlier) > settings.summary_repeat_overlap * len(vocabulary)
                                         for earlier in told):
                    continue
                told.append(vocabulary)
                (relayed if named else events).append(SummarySentence(_sentence(text), [span]))
                said += len(text.split())
    chosen = events + relayed
    written: set[str] = set()
    considered = 0
    for conflict in sorted(severe, key=lambda c: (-c.severity, c.id)):
        if len(chosen) >= limit or len(written) >= settings.summary_max_conflicts:
            break
        considered += 1
        sentence = _conflict_sentence(conflict, by_id)
        if sentence.text in written:
            continue  # two conflicts told in the same words are one disagreement to the reader
        written.add(sentence.text)
        chosen.append(sentence)
    more = len(severe) - considered
    if written and more > 0:
        # The reader is told the list goes on, in the last conflict's sentence
        # (a sentence of its own would cite nothing).
        last = chosen[-1]
        chosen[-1] = SummarySentence(f"{last.text} The dossier lists {more} more "
                                     f"disagreement{'s' if more > 1 else ''}.", last.support)
    return chosen[:limit]


#: Passage kinds that tell no part of the story in a summary.
#: (Opinion is no report of what happened: leaving it out raised NeuS train
#: ROUGE-1 by 0.0006.)
UNTOLD = ("headline", "question", "boilerplate", "opinion")


def _told_as_disagreement(conflict: Conflict) -> bool:
    """Whether the summary tells ``conflict`` as outlets disagreeing: its
    sides say different things, and a disagreement of stance is between
    outlets' own voices (one asserts, another denies or doubts); one outlet
    relaying a source's claim while another does not is listed in the
    dossier, not told as the outlets disagreeing (on the long-form dev set
    such stance conflicts were never a real disagreement: 6 of 6 in
    ``bench/summary.py --show``'s labelled sample, 2026-12-06)."""
    values = [" ".join(side.value.lower().split()) for side in conflict.sides]
    if len(set(values)) < 2:
        return False  # "two days ago" against "two days ago": the dates differ, not the reports
    if conflict.kind == "stance":
        return all("according to" not in value for value in values)
    return True


def _positions(analyses: Sequence[Analysis]) -> dict[tuple[str, int], int]:
    """Each claim's place among its report's claims (0 for the first): news
    puts what happened first (the inverted pyramid)."""
    return {(c.span.doc, c.span.start): index for a in analyses for index, c in enumerate(a.claims)}


def _slots(claim: Claim | None) -> int:
    """How many of who, when and where a claim says (0 to 3)."""
    if claim is None:
        return 0
    return (claim.who is not None) + bool(claim.when) + bool(claim.where)


def _named_source(fact: Fact) -> bool:
    """Whether the outlets that state ``fact`` mostly relay it from a named
    source (its ``attributed`` status, or the assertors of its passages)."""
    if fact.status == "attributed":
        return True
    if not fact.assertors:
        return False
    named = sum(1 for a in fact.assertors if a and a.lower() not in _UNNAMED)
    return named * 2 > len(fact.assertors)


#: Assertors that name nobody: relaying them is not a named source's claim.
_UNNAMED = frozenset({"unnamed", "reportedly", "officials", "sources", "reports", "critics", "some", "others", "experts"})


def _fact_sentence(fact: Fact, analyses: dict[str, Analysis], told: list[set[str]],
                   overlap: float = DEFAULT.summary_repeat_overlap,
                   cited: set[tuple[str, int, int]] | None = None) -> SummarySentence | None:
    """The sentence telling ``fact``, citing the passages that state it as
    the outlets' own (a passage that only relays, doubts or denies it does
    not say what the sentence says), or None when it mostly repeats a fact
    already told (``told``, which gains this one's words) or every passage
    it would cite is already cited (``cited``, which gains its citations)."""
    stating = [span for i, span in enumerate(fact.support)
               if fact.stance_of(i) == "asserts" or span.text == fact.text] or list(fact.support)
    # A passage may support several facts; one whose passages the summary
    # already cites is a paraphrase of what it told ("passed a resolution
    # Tuesday" after "approved a resolution on Tuesday"), in other words.
    if cited is not None and all((s.doc, s.start, s.end) in cited for s in stating):
        return None
    # The wording: the fact's own text when it is clean, else the clean
    # passage that states it and says most (garbled words are not quoted).
    candidates = sorted(stating, key=lambda s: (s.text != fact.text, -len(s.text), s.doc, s.start))
    # A quotation that does not name its speaker ("“Governor Perry has a
    # superior record.”") tells the reader nobody said it: another outlet's
    # wording that names the speaker is chosen, else the fact is not told.
    candidates = [s for s in candidates if not _speakerless(_paragraph_piece(s.text))]
    if not candidates:
        return None
    wording = next((s for s in candidates if not _damaged(s, analyses)), None)
    text = _paragraph_piece(wording.text if wording else fact.text)
    if wording is None:
        text = _marked(candidates[0], analyses) if candidates else text
    vocabulary = set(_content_words(text))
    # A fact that mostly repeats one already told adds nothing.
    if not vocabulary or any(len(vocabulary & earlier) > overlap * len(vocabulary) for earlier in told):
        return None
    told.append(vocabulary)
    if cited is not None:
        cited.update((s.doc, s.start, s.end) for s in stating)
    return SummarySentence(_sentence(text), stating)


def _damaged(span: Span, analyses: dict[str, Analysis]) -> list[Span]:
    """The words of ``span`` that the clean stage flagged as garbled."""
    analysis = analyses.get(span.doc)
    if analysis is None:
        return []
    return [s for s in analysis.document.suspects if span.start <= s.start and s.end <= span.end]


def _marked(span: Span, analyses: dict[str, Analysis]) -> str:
    """The paragraph piece of ``span`` told with each garbled word followed by
    "[sic]" (the reader sees the word is the source's, not the summary's)."""
    text = span.text
    for suspect in sorted(_damaged(span, analyses), key=lambda s: -s.start):
        at = suspect.end - span.start
        text = text[:at] + " [sic]" + text[at:]
    return _paragraph_piece(text)


# A line break and the spaces after it; the spaces before it are stripped
# from each piece (a leading \s* would be searched again from every space of
# a long run without a break).
_BREAK = re.compile(r"\n\s*")


def _paragraph_piece(text: str) -> str:
    """The piece of ``text`` within one paragraph that says most: a sentence
    ends at a line or paragraph break (a heading is no part of the sentence
    under it)."""
    pieces = [p.rstrip() for p in _BREAK.split(text.strip()) if p.strip()]
    if len(pieces) <= 1:
        return text
    return max(pieces, key=lambda p: (len(_content_words(p)), -pieces.index(p)))


def _speakerless(text: str) -> bool:
    """Whether ``text`` is a quotation and nothing else: it opens and closes
    with quotation marks and holds no other (no "she said" between them)."""
    stripped = text.strip()
    return (len(stripped) > 2 and stripped[0] in "“\"" and stripped.rstrip(".")[-1:] in "”\""
            and stripped.count("“") + stripped.count("”") + stripped.count('"') == 2)


def _content_words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text)) if (w not in STOP_WORDS and len(w) > 1) or w.isdigit()]


def _centroid(texts: Sequence[str]) -> dict[str, float]:
    bags = [Counter(_content_words(t)) for t in texts]
    frequency = Counter(w for bag in bags for w in bag)
    total = len(bags)
    centroid: dict[str, float] = {}
    for bag in bags:
        for word, count in bag.items():
            centroid[word] = centroid.get(word, 0) + count * (math.log((total + 1) / frequency[word]) + 1.0)
    return centroid


class _Centrality:
    """How close a text is to the story's sentences, as LexRank sees it
    (Erkan & Radev 2004, its degree form): the share of the story's
    sentences whose TF-IDF cosine with the text (IDF over the sentences)
    exceeds a threshold. A text many outlets' sentences echo is central."""

    def __init__(self, analyses: Sequence[Analysis], threshold: float) -> None:
        bags = [Counter(_content_words(a.document.text[s:e])) for a in analyses for s, e in a.sentences]
        bags = [bag for bag in bags if bag]
        frequency = Counter(w for bag in bags for w in bag)
        self._idf = {w: math.log(len(bags) / f) + 1.0 for w, f in frequency.items()}
        self._vectors = [self._vector(bag) for bag in bags]
        self._threshold = threshold
        # Which sentences hold each word: a text is compared only with those sharing a word.
        self._holding: dict[str, list[int]] = {}
        for i, vector in enumerate(self._vectors):
            for word in vector:
                self._holding.setdefault(word, []).append(i)

    def _vector(self, bag: Counter[str]) -> dict[str, float]:
        vector = {w: c * self._idf.get(w, 1.0) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {w: v / norm for w, v in vector.items()}

    def of(self, text: str) -> float:
        """The share of the story's sentences close to ``text`` (0 to 1)."""
        if not self._vectors:
            return 0.0
        vector = self._vector(Counter(_content_words(text)))
        dots: dict[int, float] = {}
        for word, weight in vector.items():
            for i in self._holding.get(word, ()):
                dots[i] = dots.get(i, 0.0) + weight * self._vectors[i][word]
        return sum(1 for d in dots.values() if d > self._threshold) / len(self._vectors)


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
    labels = distinct_labels([a.document for a in analyses.values()])
    for side in conflict.sides:
        outlets = list(dict.fromkeys(labels[s.doc] for s in side.support))
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
