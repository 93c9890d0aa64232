"""Facts: the same claim made by several documents, aligned into one fact with
its support, the stance of each supporting passage, its outlets and its
independent origins.

Two claims state the same fact when their words (weighted by rarity in the
story) and their meaning (sentence vectors, ``compare.meaning``) are close
enough. Identical sentences (wire reprints) are collapsed before any
comparison and each claim is compared with a bounded list of candidates
found through an index of its rarer words, so a story of many near-copies
costs about as much as its distinct sentences.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from accord.analyze.claims import NAME_KEY, QUOTED_SHARE
from accord.analyze.stance import UNNAMED
from accord.ingest.metadata import wire_of
from accord.model import Analysis, Claim, Fact, Frame, Mention, Quote, Span, TimeExpression
from accord.settings import DEFAULT, Settings

from . import meaning
from .pairs import load_model
from .statements import quote_words
from .independence import Sources, count_origins, count_outlets, same_source
from .linking import link_strongest_first

__all__ = ["ClaimWeights", "align_facts", "claim_similarity", "counts_toward_facts", "frame_match", "frames_agree", "joined_keys", "pair_features",
           "pair_table"]

#: Kinds of passage that never state a fact of the story.
NO_FACT_PASSAGES = frozenset({"boilerplate", "headline", "question"})
#: Stances that speak against a fact (a fact asserted by some and met with
#: one of these by others is disputed).
AGAINST = frozenset({"denies", "questions"})


def disputes(stance: str, assertor: str | None) -> bool:
    """Whether a passage of this stance, said by this assertor (None: the
    outlet's own voice), disputes what other outlets assert: any doubt
    ("researchers question whether P"), but a denial only in the outlet's own
    voice. A denial relayed from a source is mostly a negation inside someone's
    words, which the quotation conflicts compare; on the dev set such relayed
    negations made most of the false disputes."""
    return stance == "questions" or (stance == "denies" and assertor is None)


def counts_toward_facts(claim: Claim) -> bool:
    """Whether a claim may be part of a fact: boilerplate, headlines and
    questions never are, nor a sentence cut short by an excerpt ("The ban
    will not..."): what it would have said cannot be checked."""
    return claim.passage not in NO_FACT_PASSAGES and not _cut_short(claim.span.text) and not _fragment(claim)


#: Characters a sentence of reporting ends with (closing quotation marks
#: aside).
_SENTENCE_END = (".", "!", "?", "…")


# A request for the public's help ending a crime report ("Anyone with
# information is asked to call..."): the same words in every report, no fact
# of the story.
_APPEAL = re.compile(r"^(?:anyone (?:with|who has) (?:any )?information|(?:those|people|witnesses) with (?:any )?information"
                     r"|if you have (?:any )?information)|\bcrime ?stoppers\b", re.IGNORECASE)


def _fragment(claim: Claim) -> bool:
    """A line that says nothing checkable on its own: a short one without a
    subject ("Enter room-temperature superconductors.", "Mayor Muriel
    Bowser."), or a short one that does not end as a sentence does (a
    dateline "AMELIA, Ohio (AP) —", a photo credit, "Read or Share this
    story:"), or an appeal for information ending a crime report. The
    lengths (7 and 10 words) were read off the long-form and roundup dev
    sets' claims: of the 57 lines they catch there, two state a fact
    ("Unknown who fired the shot."); the dev figures did not move."""
    text = claim.span.text.strip()
    words = len(text.split())
    ended = text.rstrip("\"”’'").endswith(_SENTENCE_END)
    return (words < 7 and claim.who is None) or (words < 10 and not ended) or bool(_APPEAL.search(text))


def _cut_short(text: str) -> bool:
    stripped = text.rstrip()
    return stripped.endswith(("...", "…")) and not stripped.endswith(("....", "?...", "!..."))


class ClaimWeights:
    """Inverse document frequencies of claim words across a story: a word every
    outlet uses ("Rubio") says less about which fact a sentence states than a
    rare one ("Riyadh")."""

    def __init__(self, keysets: Sequence[Sequence[frozenset[str]]], *, name_weight: float = 1.0) -> None:
        frequency: Counter[str] = Counter()
        for document in keysets:
            frequency.update(set().union(*document) if document else ())
        total = max(1, len(keysets))
        self._weights = {
            k: (math.log((1 + total) / (1 + n)) + 0.2) * (name_weight if k.startswith(NAME_KEY) else 1.0)
            for k, n in frequency.items()
        }
        self._unseen = math.log(1 + total) + 0.2

    def weight(self, key: str) -> float:
        return self._weights.get(key, self._unseen)

    def mass(self, keys: frozenset[str]) -> float:
        # fsum is exact whatever the order: a set's order differs between
        # processes (hash seeds), and a plain sum's last bit with it, which
        # broke ties differently in a pool's workers than in process.
        return math.fsum(self.weight(k) for k in keys)


# Words that place a claim in time rather than say what it claims.
_TIME_WORDS = frozenset({"week", "weekend", "day", "month", "year", "today", "yesterday", "tomorrow", "monday",
                         "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "earlier", "later",
                         "recently", "ago", "time", "hour", "minute"})


def _says_something(key: str) -> bool:
    return not key.startswith(NAME_KEY) and key not in _TIME_WORDS and not key.isdigit()


def joined_keys(keys: Sequence[str], vocabulary: set[str]) -> frozenset[str]:
    """The distinct keys of a claim, with two neighbouring words written as
    one when the story also writes them as one word ("road map" and
    "roadmap", "cease fire" and "ceasefire")."""
    out: set[str] = set()
    skip = False
    for a, b in zip(keys, list(keys[1:]) + [""]):
        if skip:
            skip = False
            continue
        if b and not a.startswith(NAME_KEY) and not b.startswith(NAME_KEY) and a + b in vocabulary:
            out.add(a + b)
            skip = True
        else:
            out.add(a)
    return frozenset(out)


def claim_similarity(
    a: frozenset[str], b: frozenset[str], weights: ClaimWeights, *, min_shared: int = 3, cap: float = 0.0
) -> float:
    """Weighted share of the smaller claim's distinct words found in the other;
    0 unless they share ``min_shared`` words, one of them not a name or a time
    (two sentences that only name the same people need not state the same
    fact). With ``cap`` > 0 the share is of at most that much weight: a long
    sentence that states several facts shares one of them with a short one
    by a core of rare words, not by most of its words."""
    shared = a & b
    if len(shared) < min_shared or not any(_says_something(k) for k in shared):
        return 0.0
    mass = min(weights.mass(a), weights.mass(b))
    if cap > 0:
        mass = min(mass, cap)
    return min(1.0, weights.mass(shared) / mass) if mass else 0.0


@dataclass(slots=True)
class _Sentence:
    """Claims of several documents with the very same wording (reprints): one
    unit of comparison."""

    claims: list[Claim]
    keys: frozenset[str]

    @property
    def docs(self) -> set[str]:
        return {c.span.doc for c in self.claims}


def _collapse(claims: Sequence[Claim], vocabulary: set[str]) -> list[_Sentence]:
    """Identical sentences of different documents as one unit; a document that
    repeats a sentence puts its second copy into a second unit (a fact holds
    one passage per document)."""
    units: dict[tuple[str, int], _Sentence] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for claim in claims:
        wording = " ".join(claim.span.text.lower().split())
        occurrence = seen[(claim.span.doc, wording)]
        seen[(claim.span.doc, wording)] += 1
        unit = units.get((wording, occurrence))
        if unit is None:
            units[(wording, occurrence)] = _Sentence([claim], joined_keys(claim.keys, vocabulary))
        else:
            unit.claims.append(claim)
    return list(units.values())


@dataclass(frozen=True, slots=True)
class _Slots:
    """What a claim says about when, where and who, as typed values: the
    dates it gives (resolved, with their precision), the places it names and
    the names in its subject. Two claims that give different values to one of
    these slots speak of different events ("the toll passed 125 on Friday" /
    "the toll rose above 150 on Saturday"; "they met in Riyadh" / "they met in
    Kuala Lumpur"), however many words they share."""

    text: str                       # the sentence, lower case
    dates: tuple[str, ...]          # ISO dates cut to their precision ("2021-07-16", "2021-07")
    places: tuple[str, ...]         # place names, lower case
    actors: tuple[str, ...]         # names in the subject, lower case
    quoted: frozenset[str] | None = None   # content words of the direct quotation that is most of it


def _slots(claim: Claim, times: dict[tuple[int, int], TimeExpression], names: list[Mention],
           quotes: Sequence[Quote] = ()) -> _Slots:
    dates = []
    # A sentence that relays a source dates the telling ("an official told
    # CNN Thursday"), which may be a day after what is told happened.
    for span in claim.when if claim.according_to is None else ():
        time = times.get((span.start, span.end))
        # Only days: a year or a month in a claim is mostly a reference
        # ("by 2030", "from 2005 levels"), not when its event happened.
        if time is not None and time.precision == "day":
            dates.append(time.date[:10])
    # Who acts: the people named in the subject, or where the parse gives
    # no subject, in the sentence. A possessor is not who acts ("Trump's
    # envoy Keith Kellogg met...").
    text = claim.span.text
    within = claim.who if claim.who is not None else claim.span
    actors = [m.text.lower() for m in names
              if m.label in _ACTOR_LABELS and within.start <= m.span.start and m.span.end <= within.end
              and "'s" not in m.text and "’s" not in m.text
              and not text[m.span.end - claim.span.start:].startswith(("'s", "’s", "'", "’"))]
    return _Slots(claim.span.text.lower(), tuple(dates), tuple(p.text.lower() for p in claim.where), tuple(actors),
                  _quoted_words(claim.span, quotes))


def _quoted_words(span: Span, quotes: Sequence[Quote]) -> frozenset[str] | None:
    """The content words of the direct quotations in ``span`` (the parts
    inside it: a quotation may run over several sentences) when they are most
    of it (the claim relays a speaker's words), else None."""
    parts = [(max(span.start, q.span.start), min(span.end, q.span.end), q) for q in quotes if q.kind == "direct"]
    parts = [(a, b, q) for a, b, q in parts if a < b]
    if sum(b - a for a, b, _ in parts) <= QUOTED_SHARE * (span.end - span.start):
        return None
    # A quotation the speaker's cue interrupts ("… deadline,” Mr. Biden
    # said. “It …") is one quotation: the cue's words are not the speaker's,
    # nor is what follows its closing mark in the sentence.
    texts = (_INTERRUPTION.sub(" ", q.span.text[a - q.span.start:b - q.span.start]) for a, b, q in parts)
    words = (_ORDINAL.sub(r"\1", w) for text in texts for w in quote_words(text))
    return frozenset(w for w in words if w not in STOP_WORDS and len(w) > 1 and not w.startswith("’"))


_INTERRUPTION = re.compile(r"[”\"][^“”\"]*(?:[“\"]|$)")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")   # "the 31st" and "Aug. 31" give one number


_ACTOR_LABELS = frozenset({"PERSON"})


def _mentioned(name: str, text: str) -> bool:
    """Whether a name, or one of its words of four letters or more (a
    surname, "Lumpur"), occurs in a text."""
    if name in text:
        return True
    return any(len(w) >= 4 and w in text.split() for w in name.replace("’s", "").replace("'s", "").split())


def _dates_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Some date of one is the other's at the coarser precision of the two."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _places_agree(a: _Slots, b: _Slots, similar: float, place_vectors: dict[str, Any] | None) -> bool:
    """Some place of one is named in the other sentence, or is close in
    meaning to a place of the other (another name of one place, "UK" /
    "Britain", or a place and the region around it, "Germany" / "Western
    Europe"; two distinct places, "Riyadh" / "Kuala Lumpur", are far apart)."""
    if any(_mentioned(p, b.text) for p in a.places) or any(_mentioned(p, a.text) for p in b.places):
        return True
    if place_vectors is None:
        return True
    return any(float(place_vectors[x] @ place_vectors[y]) >= similar for x in a.places for y in b.places)


def compatible(a: _Slots, b: _Slots, checks: frozenset[str], *, place_similarity: float = 0.18,
               place_vectors: dict[str, Any] | None = None) -> bool:
    """Whether two claims may state one fact as far as their typed slots go:
    both give dates and none agree, both name places and neither's places
    are named in the other sentence, or both name who acts and neither's
    actors are named in the other sentence -> not compatible. A slot one
    claim leaves empty says nothing (less detail is not a different fact).
    ``place_vectors`` (each place name's unit sentence vector; None: not
    compared by meaning) lets two names of one place agree."""
    if "dates" in checks and a.dates and b.dates and not _dates_agree(a.dates, b.dates):
        return False
    if "places" in checks and a.places and b.places and not _places_agree(a, b, place_similarity, place_vectors):
        return False
    if "actors" in checks and a.actors and b.actors:
        if not any(_mentioned(p, b.text) for p in a.actors) and not any(_mentioned(p, a.text) for p in b.actors):
            return False
    if "quotes" in checks and a.quoted and b.quoted:
        # Two outlets relaying one quotation relay most of its words; one
        # speaker's two quotations share their topic's words, not the
        # quotation's.
        if len(a.quoted & b.quoted) < _QUOTE_OVERLAP * min(len(a.quoted), len(b.quoted)):
            return False
    return True


#: The share of the shorter quotation's content words the other must hold
#: for two quotation claims to be one quotation relayed.
_QUOTE_OVERLAP = 0.5


def _what_it_says(unit: _Sentence) -> str:
    """The words whose meaning is compared: the content words without the
    names (every report of a story names the same people; what a sentence
    says of them is what tells two facts apart)."""
    words = " ".join(k for k in unit.claims[0].keys if not k.startswith(NAME_KEY))
    return words or unit.claims[0].span.text


def _tie_key(unit: _Sentence) -> tuple[str, str, int]:
    first = unit.claims[0].span
    return (first.text, first.doc, first.start)


def _candidates(units: Sequence[_Sentence], settings: Settings) -> list[tuple[int, int]]:
    """Pairs of units that share words, found through an index of words
    rather than by trying every pair. Words in more than
    ``fact_posting_limit`` units say little about which fact a sentence
    states and are not followed; each unit keeps its
    ``fact_candidates`` partners that share the most words."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        for key in unit.keys:
            postings[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for i, unit in enumerate(units):
        shared: Counter[int] = Counter()
        for key in unit.keys:
            members = postings[key]
            if len(members) <= settings.fact_posting_limit:
                shared.update(members)
        shared.pop(i, None)
        # Ties in the count are broken by what the partner says and where,
        # not by its position (it changes with the order the documents come
        # in) nor by the order a set of strings happens to iterate in (it
        # changes with PYTHONHASHSEED).
        ranked = sorted(shared.items(), key=lambda item: (-item[1], _tie_key(units[item[0]]), item[0]))
        ranked = ranked[:settings.fact_candidates]
        pairs.update((min(i, j), max(i, j)) for j, n in ranked if n >= settings.fact_min_shared)
    return sorted(pairs)


@dataclass(slots=True)
class _Story:
    """What pair scoring reads of a story: its units (distinct sentences),
    the candidate pairs of units of different documents, word weights,
    sentence vectors (None without the model), typed slots and where each
    unit stands in its document."""

    units: list[_Sentence]
    candidates: list[tuple[int, int]]
    weights: ClaimWeights
    vectors: Any | None
    text_vectors: Any | None
    context_vectors: Any | None
    slots: list[_Slots]
    place_vectors: dict[str, Any] | None
    position: list[float]     # where the unit's first claim starts, as a share of its document's text
    rank: list[int]           # its index among its document's claims
    frames: list[tuple[Frame, ...]] = dataclasses.field(default_factory=list)   # each unit's clauses
    frame_vectors: list[Any] = dataclasses.field(default_factory=list)         # their content words' vectors (learned score)
    word_vectors: dict[str, Any] | None = None   # the predicates' vectors
    _words: dict[int, tuple[frozenset[str], frozenset[str], float, float]] = dataclasses.field(default_factory=dict)

    def words(self, k: int) -> tuple[frozenset[str], frozenset[str], float, float]:
        """A unit's content words (not names, times or numbers), its numbers,
        the weight of its words and the sum of their squared weights
        (computed once: a unit is in many pairs)."""
        found = self._words.get(k)
        if found is None:
            keys = self.units[k].keys
            found = (frozenset(x for x in keys if _says_something(x)), frozenset(x for x in keys if x.isdigit()),
                     self.weights.mass(keys), math.fsum(self.weights.weight(x) ** 2 for x in keys))
            self._words[k] = found
        return found


def _prepare(analyses: Sequence[Analysis], settings: Settings) -> _Story:
    """Units, candidate pairs and what scoring them needs. Sentence vectors
    of whole sentences and of their surroundings are computed only for the
    learned score (``fact_pair_model``)."""
    claims: list[Claim] = [c for a in analyses for c in a.claims if counts_toward_facts(c)
                           or (settings.fact_cut_short_passages and c.passage not in NO_FACT_PASSAGES
                               and _cut_short(c.span.text) and not _fragment(c))]
    vocabulary = {k for c in claims for k in c.keys}
    units = _collapse(claims, vocabulary)
    by_doc: dict[str, list[frozenset[str]]] = defaultdict(list)
    for unit in units:
        for claim in unit.claims:
            by_doc[claim.span.doc].append(unit.keys)
    weights = ClaimWeights([by_doc[a.document.id] for a in analyses], name_weight=settings.fact_name_weight)
    learned = bool(settings.fact_pair_model)
    vectors = (meaning.sentence_vectors([_what_it_says(u) for u in units])
               if settings.fact_meaning_weight > 0 or learned else None)
    text_vectors = context_vectors = None
    rank: list[int] = []
    position: list[float] = []
    order = {a.document.id: {(c.span.start, c.span.end): n for n, c in enumerate(a.claims)} for a in analyses}
    lengths = {a.document.id: max(1, len(a.document.text)) for a in analyses}
    for unit in units:
        first = unit.claims[0].span
        rank.append(order[first.doc].get((first.start, first.end), 0))
        position.append(first.start / lengths[first.doc])
    if learned and vectors is not None:
        text_vectors = meaning.sentence_vectors([u.claims[0].span.text for u in units])
        # The sentences just before and after each unit in its document: two
        # reports of one fact tend to tell it amid the same other facts.
        around = []
        claims_of = {a.document.id: a.claims for a in analyses}
        for unit in units:
            first = unit.claims[0].span
            doc_claims = claims_of[first.doc]
            k = order[first.doc].get((first.start, first.end), 0)
            around.append(" ".join(c.span.text for c in doc_claims[max(0, k - 1):k + 2] if c.span != first) or first.text)
        context_vectors = meaning.sentence_vectors(around)
    times = {a.document.id: {(t.span.start, t.span.end): t for t in a.times} for a in analyses}
    mentions = {a.document.id: a.entities for a in analyses}
    quotes = {a.document.id: a.quotes for a in analyses}
    slots = [_slots(u.claims[0], times[u.claims[0].span.doc], mentions[u.claims[0].span.doc], quotes[u.claims[0].span.doc])
             for u in units]
    place_vectors = None
    if settings.fact_slot_checks or learned:
        names = sorted({p for slot in slots for p in slot.places})
        found = meaning.sentence_vectors(names) if names else None
        place_vectors = dict(zip(names, found)) if found is not None else None
    candidates = [(i, j) for i, j in _candidates(units, settings) if not units[i].docs & units[j].docs]
    story = _Story(units, candidates, weights, vectors, text_vectors, context_vectors, slots, place_vectors,
                   position, rank)
    if settings.fact_frames:
        _prepare_frames(story, clauses=learned)
    return story


def _prepare_frames(story: _Story, *, clauses: bool) -> None:
    """Each unit's clause frames and the meaning of each predicate; with
    ``clauses`` (the learned score's ``frame_clause`` feature) also the
    meaning of each frame's content words. One batch each."""
    story.frames = [u.claims[0].frames for u in story.units]
    flat = [f for frames in story.frames for f in frames]
    if clauses:
        texts = [" ".join(k for k in f.keys if not k.startswith(NAME_KEY)) or f.span.text for f in flat]
        found = meaning.sentence_vectors(texts) if texts else None
        at = 0
        for frames in story.frames:
            story.frame_vectors.append(found[at:at + len(frames)] if found is not None else None)
            at += len(frames)
    predicates = sorted({f.predicate for f in flat})
    vectors = meaning.sentence_vectors(predicates) if predicates else None
    story.word_vectors = dict(zip(predicates, vectors)) if vectors is not None else None


def _words_agree(a: str | None, b: str | None) -> bool:
    """Two arguments may be one participant unless both are names and
    differ ("Jackson" / "Sandi"). Common nouns are not compared: on the
    long-form dev set, word vectors told "e-mails" from "the full set" and
    "a boy" from "the 2-year-old" as often as two participants."""
    return a is None or b is None or a == b or not (a.startswith(NAME_KEY) and b.startswith(NAME_KEY))


def _predicates_close(a: str, b: str, story: _Story) -> float:
    if a == b:
        return 1.0
    vectors = story.word_vectors
    if vectors is None or a not in vectors or b not in vectors:
        return 0.0
    return float(vectors[a] @ vectors[b])


def frame_match(story: _Story, i: int, j: int, settings: Settings) -> tuple[float, float]:
    """How well two units' clauses state one thing: the best score of a pair
    of clauses with close predicates (``fact_frame_predicate``), agreeing
    participants and polarity (weighted word overlap and meaning of the two
    clauses, as ``_hand_score`` weighs whole sentences), and the closeness
    of their two closest predicates at all (0 when either has no clause)."""
    best = closest = 0.0
    va, vb = (story.frame_vectors[i], story.frame_vectors[j]) if story.frame_vectors else (None, None)
    for x, fa in enumerate(story.frames[i]):
        for y, fb in enumerate(story.frames[j]):
            close = _predicates_close(fa.predicate, fb.predicate, story)
            closest = max(closest, close)
            if (close < settings.fact_frame_predicate or fa.negated != fb.negated
                    or not (_words_agree(fa.agent, fb.agent) and _words_agree(fa.patient, fb.patient))):
                continue
            lexical = claim_similarity(frozenset(fa.keys), frozenset(fb.keys), story.weights, min_shared=2)
            cosine = float(va[x] @ vb[y]) if va is not None and vb is not None else lexical
            w = settings.fact_meaning_weight
            best = max(best, (1 - w) * lexical + w * cosine)
    return best, closest


def frames_agree(story: _Story, i: int, j: int, settings: Settings) -> bool:
    """Whether two units may tell one event as far as their clauses go: false
    only when some clauses of the two have close predicates
    (``fact_frame_predicate``) and every such pair names two different
    people in one role or differs in polarity ("Jackson pleaded guilty" /
    "Sandi pleaded guilty", "police were looking for a man" / "police were
    not looking for anyone"). Clauses with unrelated predicates say nothing:
    paraphrases often use other verbs ("the shooting happened" / "deputies
    were called to a shooting")."""
    related = False
    for fa in story.frames[i] if story.frames else ():
        for fb in story.frames[j]:
            if _predicates_close(fa.predicate, fb.predicate, story) < settings.fact_frame_predicate:
                continue
            related = True
            if fa.negated == fb.negated and _words_agree(fa.agent, fb.agent) and _words_agree(fa.patient, fb.patient):
                return True
    return not related


def _hand_score(story: _Story, i: int, j: int, settings: Settings) -> float:
    """The score before issue 19: 0 when the typed slots disagree or the
    claims share too few words, else (1 - w) x weighted word overlap + w x
    cosine of their content words' sentence vectors."""
    checks = frozenset(settings.fact_slot_checks)
    if checks and not compatible(story.slots[i], story.slots[j], checks, place_similarity=settings.fact_place_similarity,
                                 place_vectors=story.place_vectors):
        return 0.0
    units = story.units
    lexical = claim_similarity(units[i].keys, units[j].keys, story.weights, min_shared=settings.fact_min_shared,
                               cap=settings.fact_mass_cap)
    if lexical <= 0:
        return 0.0
    if story.vectors is None or settings.fact_meaning_weight <= 0:
        return lexical
    cosine = float(story.vectors[i] @ story.vectors[j])
    return (1 - settings.fact_meaning_weight) * lexical + settings.fact_meaning_weight * cosine


def _cosine(vectors: Any | None, i: int, j: int) -> float:
    return float(vectors[i] @ vectors[j]) if vectors is not None else 0.0


def pair_features(story: _Story, i: int, j: int, settings: Settings) -> list[float]:
    """The features of a candidate pair on its own, in the order of
    ``compare.pairs.FEATURES`` (all but the last two, which
    ``story_features`` adds from the pair's alternatives)."""
    a, b = story.units[i], story.units[j]
    content_a, numbers_a, mass_a, square_a = story.words(i)
    content_b, numbers_b, mass_b, square_b = story.words(j)
    shared = a.keys & b.keys
    mass = min(mass_a, mass_b, settings.fact_mass_cap or math.inf)
    overlap = min(1.0, story.weights.mass(shared) / mass) if mass else 0.0
    norm = math.sqrt(square_a * square_b)
    tfidf = math.fsum(story.weights.weight(k) ** 2 for k in shared) / norm if norm else 0.0
    union = content_a | content_b
    relayed = [c.claims[0].assertor is not None for c in (a, b)]
    slot_a, slot_b = story.slots[i], story.slots[j]
    similar = settings.fact_place_similarity

    def conflict(check: str) -> float:
        return 0.0 if compatible(slot_a, slot_b, frozenset({check}), place_similarity=similar,
                                 place_vectors=story.place_vectors) else 1.0

    return [
        _hand_score(story, i, j, settings),
        overlap,
        _cosine(story.vectors, i, j),
        _cosine(story.text_vectors, i, j),
        tfidf,
        len(content_a & content_b) / len(union) if union else 0.0,
        math.log1p(len(content_a & content_b)),
        math.log1p(sum(1 for k in shared if k.startswith(NAME_KEY))),
        1.0 if numbers_a & numbers_b else 0.0,
        1.0 if numbers_a and numbers_b and not numbers_a & numbers_b else 0.0,
        conflict("dates"),
        conflict("places"),
        conflict("actors"),
        min(len(a.keys), len(b.keys)) / max(1, len(a.keys), len(b.keys)),
        1.0 - max(story.position[i], story.position[j]),
        1.0 if max(story.rank[i], story.rank[j]) < 3 else 0.0,
        1.0 if relayed[0] != relayed[1] else 0.0,
        1.0 if relayed[0] and relayed[1] else 0.0,
        _cosine(story.context_vectors, i, j),
        *_frame_features(story, i, j, settings),
    ]


def _frame_features(story: _Story, i: int, j: int, settings: Settings) -> list[float]:
    """``frame_disagree``, ``frame_clause`` and ``predicate_close`` (zeros
    when frames are off)."""
    if not story.frames:
        return [0.0, 0.0, 0.0]
    best, closest = frame_match(story, i, j, settings)
    return [0.0 if frames_agree(story, i, j, settings) else 1.0, best, closest]


def story_features(story: _Story, settings: Settings) -> dict[tuple[int, int], list[float]]:
    """The features of every candidate pair: those of ``pair_features``, then
    two that compare a pair with its alternatives. Each sentence is matched
    against the sentences of another document; its closest one there (by
    whole-sentence meaning plus word overlap) is the likeliest to state the
    same fact, and one it resembles only a little more than several others
    is not clearly the same."""
    base = {pair: pair_features(story, *pair, settings) for pair in story.candidates}
    closeness = {pair: values[1] + values[3] for pair, values in base.items()}   # overlap + meaning_text
    # Closest candidates of each unit in each other document, best first.
    ranked: dict[tuple[int, str], list[tuple[float, int]]] = defaultdict(list)
    for (i, j), value in closeness.items():
        ranked[(i, story.units[j].claims[0].span.doc)].append((value, j))
        ranked[(j, story.units[i].claims[0].span.doc)].append((value, i))
    for options in ranked.values():
        options.sort(key=lambda item: (-item[0], item[1]))

    def standing(k: int, other: int) -> tuple[bool, float]:
        options = ranked[(k, story.units[other].claims[0].span.doc)]
        best = options[0][1] == other
        value = next(v for v, m in options if m == other)
        rival = next((v for v, m in options if m != other), 0.0)
        return best, value - rival

    out = {}
    for (i, j), values in base.items():
        best_i, margin_i = standing(i, j)
        best_j, margin_j = standing(j, i)
        out[(i, j)] = values + [1.0 if best_i and best_j else 0.0, max(-1.0, min(1.0, min(margin_i, margin_j)))]
    return out


def pair_table(analyses: Sequence[Analysis], settings: Settings = DEFAULT) -> list[tuple[list[Span], list[Span], list[float]]]:
    """Every candidate pair of a story as alignment sees it: the spans of
    each side's claims (reprints of one sentence are one side) and the
    pair's features (``compare.pairs.FEATURES``). What bench/facts/train_pairs.py
    learns the pair score from."""
    story = _prepare(analyses, dataclasses.replace(settings, fact_pair_model=settings.fact_pair_model or "pairs.json"))
    features = story_features(story, settings)
    return [([c.span for c in story.units[i].claims], [c.span for c in story.units[j].claims], features[(i, j)])
            for i, j in story.candidates]


def align_facts(analyses: Sequence[Analysis], sources: Sources, *, settings: Settings = DEFAULT) -> list[Fact]:
    """Facts of a story: claims of different documents that state the same
    thing are linked strongest first, never putting two claims of one
    document into one fact; boilerplate, headlines and questions are left
    out. Each fact's text is its most central claim. Each support span keeps
    its claim's stance (``attributes`` when the claim relays a named or
    unnamed source) and assertor; only asserting spans count toward
    outlets and independent origins. A fact is disputed when some passages
    assert it and others deny or question it, corroborated when two or more
    independent origins assert it, else single-source (the conflicts stage
    also marks disputed ones), attributed when it is not corroborated but
    two or more independent origins relay it from one named source.

    Every passage of a fact links to the fact's central sentence itself at
    ``fact_star_threshold`` (never through a chain of other passages); no two
    facts have the same text or the same support; no fact counts 0 outlets."""
    story = _prepare(analyses, settings)
    units = story.units
    model = load_model(settings.fact_pair_model) if settings.fact_pair_model else None
    if model is not None:
        link, share, star = settings.fact_pair_threshold, settings.fact_pair_share_threshold, settings.fact_pair_share_threshold
        corroborate, share_links = settings.fact_pair_corroboration_threshold, settings.fact_pair_share_links
    else:
        link, share, star = settings.fact_threshold, settings.fact_share_threshold, settings.fact_star_threshold
        corroborate, share_links = settings.fact_corroboration_threshold, settings.fact_share_links
    pairs = []
    score: dict[tuple[int, int], float] = {}
    features = story_features(story, settings) if model is not None else {}
    slot_checks = frozenset(settings.fact_slot_checks)
    for i, j in story.candidates:
        if model is not None:
            value = model.probability(features[(i, j)])
            if slot_checks and not compatible(story.slots[i], story.slots[j], slot_checks,
                                              place_similarity=settings.fact_place_similarity,
                                              place_vectors=story.place_vectors):
                value = 0.0   # typed slots that disagree are two facts, whatever the learned score says
        else:
            value = _hand_score(story, i, j, settings)
        if value >= min(link, share):
            score[(i, j)] = value
            if value >= link:
                pairs.append((value, i, j))

    shared = {pair: value for pair, value in score.items() if value >= share}

    def may_join(a: list[int], b: list[int]) -> bool:
        """One claim per document, and no chain of resemblances: at least
        ``fact_link_share`` of the pairs across the two groups are linked
        (at the lower of the two thresholds)."""
        if set().union(*(units[k].docs for k in a)) & set().union(*(units[k].docs for k in b)):
            return False
        linked = sum(1 for x in a for y in b if (min(x, y), max(x, y)) in score)
        return linked >= settings.fact_link_share * len(a) * len(b)

    groups = link_strongest_first(len(units), pairs, may_join)
    groups = _share_sentences(groups, units, shared, share_links)
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (i, j), value in sorted(score.items()):
        neighbours[i].append((j, value))
        neighbours[j].append((i, value))
    if star is not None:
        groups = _star(groups, units, neighbours, score, star,
                       agree=_close_check(story, settings, settings.fact_pair_support_hand if model else None))
    # Sentences cut short by an excerpt only join facts that whole sentences
    # tell; alone they make no fact.
    groups = [g for g in groups if any(not _cut_short(units[k].claims[0].span.text) for k in g)]
    agree = _close_check(story, settings, settings.fact_pair_corroboration_hand if model else None)
    facts: list[Fact] = []
    seen_support: set[tuple[tuple[str, int, int], ...]] = set()
    seen_text: set[str] = set()
    kept: dict[frozenset[str], list[Fact]] = defaultdict(list)   # by the documents of their support
    # Bigger facts first, so that when two facts would have one text the
    # bigger keeps it and the other takes its next most central sentence.
    for group in sorted(groups, key=lambda g: (-len(g), g)):
        fact = _fact([units[k] for k in group], group, neighbours, sources, corroborate,
                     avoid=seen_text, agree=agree)
        support = tuple(sorted((s.doc, s.start, s.end) for s in fact.support))
        # No two facts with the same support, nor with the same text: one
        # fact told twice is counted once.
        if fact.text in seen_text or support in seen_support or _told_before(fact, kept, settings.fact_repeat_overlap):
            continue
        seen_support.add(support)
        seen_text.add(fact.text)
        kept[frozenset(s.doc for s in fact.support)].append(fact)
        facts.append(fact)
    facts.sort(key=lambda f: (-f.independent, -f.outlets, _doc_order(f.support[0].doc), f.support[0].start, f.text))
    for number, fact in enumerate(facts, 1):
        fact.id = f"f{number}"
    return facts


def _told_before(fact: Fact, kept: dict[frozenset[str], list[Fact]], overlap: float) -> bool:
    """Whether a fact already kept has the same documents and, from each,
    the same passage or one nearly the same (at least ``overlap`` of their
    words in common): a page that carries its story twice (an update above
    the original) repeats its sentences with a word changed, and each copy
    would make the fact again."""
    mine = {s.doc: _passage_words(s.text) for s in fact.support}
    for other in kept.get(frozenset(mine), ()):
        theirs = {s.doc: _passage_words(s.text) for s in other.support}
        if all(len(mine[d] & theirs[d]) >= overlap * len(mine[d] | theirs[d]) for d in mine):
            return True
    return False


def _passage_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def _close_check(story: _Story, settings: Settings, hand_floor: float | None) -> Callable[[int, int], bool] | None:
    """Whether two units are close enough to support one fact together (in
    its support, or corroborating each other): not when their clauses tell
    one event of other participants or the other polarity, nor, with a
    ``hand_floor`` (the learned score's, which groups sentences that tell a
    fact in part), when the hand-made score links them below it. None when
    nothing is checked."""
    if not story.frames and hand_floor is None:
        return None

    def close(a: int, b: int) -> bool:
        x, y = min(a, b), max(a, b)
        if story.frames and not frames_agree(story, x, y, settings):
            return False
        return hand_floor is None or _hand_score(story, x, y, settings) >= hand_floor

    return close


def _central(group: Sequence[int], units: Sequence[_Sentence], neighbours: dict[int, list[tuple[int, float]]]) -> int:
    """The unit of a group that links most strongly to the others (a whole
    sentence, not one cut short, where there is one)."""
    members = set(group)

    def centrality(k: int) -> tuple[float, int, int]:
        linked = math.fsum(value * len(units[j].claims) for j, value in neighbours.get(k, ()) if j in members)
        return linked + len(units[k].claims) - 1, -units[k].claims[0].span.start, -k

    whole = [k for k in group if not _cut_short(units[k].claims[0].span.text)] or list(group)
    return max(whole, key=centrality)


def _star(groups: list[list[int]], units: Sequence[_Sentence], neighbours: dict[int, list[tuple[int, float]]],
          score: dict[tuple[int, int], float], threshold: float,
          agree: Callable[[int, int], bool] | None = None) -> list[list[int]]:
    """Groups in which every sentence states the fact of the group's central
    sentence itself: a member whose own score with the central sentence is
    below ``threshold``, or whose clauses tell the central one's event of
    other people (``agree``), leaves the group (a passage never supports a fact
    through a chain of other passages: one outlet's lead paired with another
    outlet's background sentence that only resembles a third). A sentence
    left in no group makes a fact of its own."""
    out: list[list[int]] = []
    placed: set[int] = set()
    for group in groups:
        if len(group) == 1:
            out.append(group)
            placed.update(group)
            continue
        centre = _central(group, units, neighbours)
        kept = [k for k in group if k == centre or (score.get((min(k, centre), max(k, centre)), 0.0) >= threshold
                                                    and (agree is None or agree(k, centre)))]
        out.append(kept)
        placed.update(kept)
    out.extend([k] for k in range(len(units)) if k not in placed)
    return out


def _share_sentences(
    groups: list[list[int]], units: Sequence[_Sentence], score: dict[tuple[int, int], float], share_links: float = 0.5
) -> list[list[int]]:
    """Groups with every sentence also added to the other facts it states:
    a sentence may state several facts ("X signed the deal after talks with
    Y"), so a sentence that links (``score``) to at least half of another
    group's sentences joins that group too, when its document is not there
    yet."""
    group_of = {k: g for g, group in enumerate(groups) for k in group}
    links: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for i, j in score:
        if group_of[i] != group_of[j]:
            links[i][group_of[j]] += 1
            links[j][group_of[i]] += 1
    extra: dict[int, list[int]] = defaultdict(list)
    for unit, counts in links.items():
        for g, count in counts.items():
            group = groups[g]
            docs = set().union(*(units[k].docs for k in group))
            if count >= share_links * len(group) and not units[unit].docs & docs:
                extra[g].append(unit)
    out = []
    for g, group in enumerate(groups):
        added: list[int] = []
        docs = set().union(*(units[k].docs for k in group))
        for unit in sorted(extra.get(g, ()), key=lambda u: (-math.fsum(score.get((min(u, k), max(u, k)), 0.0) for k in group), u)):
            if not units[unit].docs & docs:
                added.append(unit)
                docs |= units[unit].docs
        out.append(group + added)
    return out


def _fact(
    units: list[_Sentence], indices: list[int], neighbours: dict[int, list[tuple[int, float]]], sources: Sources,
    strong: float | None = None, avoid: set[str] | frozenset[str] = frozenset(),
    agree: Callable[[int, int], bool] | None = None,
) -> Fact:
    members = {k: len(u.claims) for k, u in zip(indices, units)}

    def centrality(position: int) -> tuple[float, int]:
        # Through the sentence's own links (bounded in number), not every
        # pair of the group: a big fact costs as much as its links.
        i = indices[position]
        linked = math.fsum(value * members[j] for j, value in neighbours.get(i, ()) if j in members)
        return linked + len(units[position].claims) - 1, -units[position].claims[0].span.start

    # A sentence cut short gives the fact its words only when every whole
    # one is already another fact's text (two facts never share a text).
    whole = [k for k in range(len(units)) if not _cut_short(units[k].claims[0].span.text)] or list(range(len(units)))
    fresh = ([k for k in whole if units[k].claims[0].span.text not in avoid]
             or [k for k in range(len(units)) if units[k].claims[0].span.text not in avoid] or whole)
    central = units[max(fresh, key=centrality)].claims[0]
    claims = sorted((c for u in units for c in u.claims), key=lambda c: (c.span.doc, c.span.start))
    spans: list[Span] = [c.span for c in claims]
    stances = [_stance(c) for c in claims]
    asserting = [c.span for c, stance in zip(claims, stances) if stance == "asserts"]
    asserting_docs = {c.span.doc for c, stance in zip(claims, stances) if stance == "asserts"}
    against = any(disputes(stance, c.assertor) and c.span.doc not in asserting_docs
                  for c, stance in zip(claims, stances))
    independent = count_origins(asserting, sources) if asserting else 0
    if independent >= 2 and (strong is not None or agree is not None):
        # Corroboration needs asserting passages that state the fact closely
        # (linked at ``strong``, with clauses that tell one event), not only
        # ones that joined it by sharing words.
        unit_of = {id(c): k for k, u in zip(indices, units) for c in u.claims}
        asserting_units = {unit_of[id(c)] for c, stance in zip(claims, stances) if stance == "asserts"}
        close = {k for k in asserting_units
                 if any(j in asserting_units and (strong is None or value >= strong) and (agree is None or agree(k, j))
                        for j, value in neighbours.get(k, ()))}
        close |= {k for k, u in zip(indices, units) if k in asserting_units and len(u.claims) > 1}
        kept = [c.span for c, stance in zip(claims, stances) if stance == "asserts" and unit_of[id(c)] in close]
        independent = max(1, count_origins(kept, sources) if kept else 0)
    source, reported_by = _attribution(claims, stances, sources)
    if asserting and against:
        status = "disputed"
    elif independent >= 2:
        status = "corroborated"
    elif source is not None and reported_by >= 2:
        status = "attributed"
    else:
        status = "single-source"
    return Fact(
        id="",
        text=central.span.text,
        support=spans,
        # Outlets that assert it; when none does, those that carry it at all
        # (a fact is never shown as told by no outlet).
        outlets=count_outlets(asserting, sources) if asserting else count_outlets(spans, sources),
        independent=independent,
        status=status,
        stances=list(stances),
        assertors=[c.assertor for c in claims],
        source=source,
        reported_by=reported_by,
    )


def _attribution(claims: Sequence[Claim], stances: Sequence[str], sources: Sources) -> tuple[str | None, int]:
    """The named source the passages of a fact relay it from (the one most of
    its attributing passages name; ties: the longer name, then
    alphabetical) and how many independent origins report that attribution
    (outlets that assert the fact in their own voice do not report it as the
    source's). (None, 0) when no passage relays it from a named source."""
    relayed = [c for c, stance in zip(claims, stances)
               if stance == "attributes" and c.assertor is not None and c.assertor != UNNAMED]
    if not relayed:
        return None, 0
    votes = Counter(c.assertor for c in relayed)
    ranked = sorted(votes, key=lambda name: (-sum(votes[n] for n in votes if same_source(name, n)), -len(name), name))
    source = ranked[0]
    spans = [c.span for c in relayed if same_source(source, c.assertor or "")]
    return source, count_origins(spans, sources)


def _stance(claim: Claim) -> str:
    if _cut_short(claim.span.text):
        # What a sentence cut short by an excerpt would have said cannot be
        # checked: it shows where the fact was told, never supports or
        # disputes it.
        return "hedges"
    return _relayed_stance(claim)


def _relayed_stance(claim: Claim) -> str:
    """A passage's stance towards its fact: a claim the outlet relays from a
    source ("Okafor said P") attributes P rather than asserting it, so that
    two outlets relaying one claim never corroborate it. A news agency is not
    such a source: "…, AFP reported" credits the report the outlet prints
    (independence counts the wire once)."""
    relayed = claim.assertor is not None and wire_of(claim.assertor) is None
    return "attributes" if claim.stance == "asserts" and relayed else claim.stance


def _doc_order(doc_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in doc_id if ch.isdigit())
    return (int(digits) if digits else 0, doc_id)
