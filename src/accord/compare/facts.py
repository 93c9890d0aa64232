"""Facts: the same claim made by several documents, aligned into one fact with
its support, its outlets and its independent origins."""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

from accord.analyze.claims import NAME_KEY
from accord.model import Analysis, Claim, Fact, Span

from .independence import Sources, count_origins, count_outlets
from .linking import link_strongest_first

__all__ = ["ClaimWeights", "align_facts", "claim_similarity"]

#: Weighted share of the smaller claim's words another claim must share to
#: state the same fact.
SAME_FACT = 0.42
#: How much a name counts beside another word of the same rarity.
NAME_WEIGHT = 1.0


class ClaimWeights:
    """Inverse document frequencies of claim words across a story: a word every
    outlet uses ("Rubio") says less about which fact a sentence states than a
    rare one ("Riyadh")."""

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        frequency: Counter[str] = Counter()
        for analysis in analyses:
            frequency.update({k for c in analysis.claims for k in c.keys})
        self._total = max(1, len(analyses))
        self._frequency = frequency

    def weight(self, key: str) -> float:
        idf = math.log((1 + self._total) / (1 + self._frequency[key])) + 0.2
        return idf * NAME_WEIGHT if key.startswith(NAME_KEY) else idf


# Words that place a claim in time rather than say what it claims.
_TIME_WORDS = frozenset({"week", "weekend", "day", "month", "year", "today", "yesterday", "tomorrow", "monday",
                         "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "earlier", "later",
                         "recently", "ago", "time", "hour", "minute"})


def _says_something(key: str) -> bool:
    return not key.startswith(NAME_KEY) and key not in _TIME_WORDS and not key.isdigit()


def claim_similarity(a: Claim, b: Claim, weights: ClaimWeights) -> float:
    """Weighted share of the smaller claim's distinct words found in the other;
    0 unless they share three words, one of them not a name (two sentences
    that only name the same people need not state the same fact)."""
    keys_a, keys_b = set(a.keys), set(b.keys)
    shared = keys_a & keys_b
    if len(shared) < 3 or not any(_says_something(k) for k in shared):
        return 0.0
    mass = min(sum(weights.weight(k) for k in keys_a), sum(weights.weight(k) for k in keys_b))
    return sum(weights.weight(k) for k in shared) / mass if mass else 0.0


def align_facts(analyses: Sequence[Analysis], sources: Sources) -> list[Fact]:
    """Facts of a story: claims of different documents that state the same
    thing are linked strongest first, never putting two claims of one document
    into one fact. Each fact's text is its most central claim; status is
    corroborated when two or more independent origins support it, else
    single-source (the conflicts stage marks disputed ones)."""
    weights = ClaimWeights(analyses)
    claims: list[Claim] = [c for a in analyses for c in a.claims if c.passage != "boilerplate"]  # never a fact
    pairs = []
    for i, j in _candidate_pairs(claims):
        score = claim_similarity(claims[i], claims[j], weights)
        if score >= SAME_FACT:
            pairs.append((score, i, j))

    def one_claim_per_document(a: list[int], b: list[int]) -> bool:
        return not {claims[k].span.doc for k in a} & {claims[k].span.doc for k in b}

    groups = link_strongest_first(len(claims), pairs, one_claim_per_document)
    facts = []
    for group in groups:
        group_claims = [claims[k] for k in group]
        central = max(group_claims, key=lambda c: (sum(claim_similarity(c, o, weights) for o in group_claims if o is not c), -c.span.start))
        spans: list[Span] = sorted((c.span for c in group_claims), key=lambda s: (s.doc, s.start))
        independent = count_origins(spans, sources)
        facts.append(Fact(
            id="",
            text=central.span.text,
            support=spans,
            outlets=count_outlets(spans, sources),
            independent=independent,
            status="corroborated" if independent >= 2 else "single-source",
        ))
    facts.sort(key=lambda f: (-f.independent, -f.outlets, _doc_order(f.support[0].doc), f.support[0].start))
    for number, fact in enumerate(facts, 1):
        fact.id = f"f{number}"
    return facts


def _candidate_pairs(claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Pairs of claims of different documents that share two or more words,
    found through an index of words rather than by trying every pair."""
    postings: dict[str, list[int]] = {}
    for index, claim in enumerate(claims):
        for key in set(claim.keys):
            postings.setdefault(key, []).append(index)
    pairs = []
    for i, claim in enumerate(claims):
        shared: Counter[int] = Counter()
        for key in set(claim.keys):
            shared.update(j for j in postings[key] if j > i)
        pairs.extend((i, j) for j, count in shared.items() if count >= 2 and claims[j].span.doc != claim.span.doc)
    return sorted(pairs)


def _doc_order(doc_id: str) -> tuple[int, str]:
    digits = "".join(ch for ch in doc_id if ch.isdigit())
    return (int(digits) if digits else 0, doc_id)
