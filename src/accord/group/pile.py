"""A pile of documents clustered as a whole: average link over every pair that
could matter.

Placing documents one at a time in arrival order decides each early, before
the documents that would have shown it wrong arrive. Here every document is
weighed with the counts of the whole pile (so order does not change a vector),
pairs are proposed by blocking (documents sharing one of their heaviest
features, and on a feature many carry only those nearest in date), each pair
gets a similarity that combines words, names, numbers and dates, and
agglomerative average link merges the closest clusters while their mean
pairwise similarity reaches the threshold. Pairs never proposed count as 0,
which is what average link over them would nearly give anyway.

The work is the pairs proposed: per document and heavy feature at most
``story_pile_block`` (a rare feature) or twice ``story_pile_neighbours`` (a
common one, blocked by date), so it grows as n log n (the sort by date), not
n².
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from dataclasses import dataclass, field
from typing import MutableMapping, Sequence

import numpy as np
from scipy import sparse

from accord.settings import DEFAULT, Settings

from .features import Collection, Profile, RawFeatures, weigh

__all__ = ["PileCounts", "PileGraph", "pile_graph", "pile_settings", "pile_profiles", "term_vectors", "candidate_pairs", "pair_similarities", "average_link", "cluster_pile"]


def pile_settings(settings: Settings) -> Settings:
    """``settings`` with the features' constants the pile sets for itself
    (``story_pile_name_boost``, ``story_pile_collection_power``)."""
    return dataclasses.replace(
        settings,
        feature_name_boost=settings.story_pile_name_boost,
        feature_collection_power=settings.story_pile_collection_power,
    )


def pile_profiles(
    raw: Sequence[RawFeatures], settings: Settings = DEFAULT, counts: PileCounts | None = None
) -> list[Profile]:
    """Each document's vector weighed with the feature counts of the whole
    pile (or of ``counts``, a larger pile these documents are part of): the
    same vectors whatever order the documents come in. ``raw`` should come
    from ``raw_features`` under ``pile_settings(settings)``."""
    settings = pile_settings(settings)
    collection = Collection(settings=settings)
    if counts is None:
        for features in raw:
            collection.add(features.counts)
    else:
        collection.documents = counts.documents
        collection.frequency = counts.features  # type: ignore[assignment]
    return [weigh(features, collection, settings) for features in raw]


@dataclass
class PileCounts:
    """How many documents of a pile carry each feature (``features``: the
    keys of ``RawFeatures.counts``) and each word (``terms``), and how many
    documents it holds: what weighs a part of the pile as the whole would."""

    documents: int = 0
    features: MutableMapping[str, int] = field(default_factory=dict)
    terms: MutableMapping[str, int] = field(default_factory=dict)

    def add(self, raw: RawFeatures) -> None:
        """Count one more document."""
        self.documents += 1
        for table, keys in ((self.features, raw.counts), (self.terms, raw.terms)):
            for key in keys:
                table[key] = table.get(key, 0) + 1


def candidate_pairs(profiles: Sequence[Profile], settings: Settings = DEFAULT) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of documents (indices i < j) worth a similarity: those sharing one
    of their ``story_pile_probe`` heaviest features. A feature carried by more
    than ``story_pile_block`` documents pairs each only with the
    ``story_pile_neighbours`` nearest it in date on either side (undated
    documents sort first, by id), so no feature makes the pairs quadratic."""
    probe = settings.story_pile_probe
    block = settings.story_pile_block
    reach = settings.story_pile_neighbours
    postings: dict[str, list[int]] = {}
    for i, member in enumerate(profiles):
        heavy = heapq.nlargest(probe, member.vector.items(), key=lambda kv: (kv[1], kv[0]))
        for key, _ in heavy:
            postings.setdefault(key, []).append(i)
    order_key = _date_order(profiles)
    n = len(profiles)
    found: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    pending_size = 0
    for key in sorted(postings):
        members = postings[key]
        if len(members) < 2:
            continue
        if len(members) <= block:
            a = np.array(members, dtype=np.int64)
            upper, lower = np.triu_indices(len(a), k=1)
            lo, hi = a[upper], a[lower]
        else:
            ranked = np.array(sorted(members, key=lambda m: order_key[m]), dtype=np.int64)
            steps = range(1, min(reach, len(ranked) - 1) + 1)
            lo = np.concatenate([ranked[:-step] for step in steps])
            hi = np.concatenate([ranked[step:] for step in steps])
        pending.append(np.minimum(lo, hi) * n + np.maximum(lo, hi))
        pending_size += len(lo)
        if pending_size > 5_000_000:  # bound memory: drop repeated pairs as we go
            found.append(np.unique(np.concatenate(pending)))
            pending, pending_size = [], 0
    if pending:
        found.append(np.unique(np.concatenate(pending)))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes = np.unique(np.concatenate(found))
    return codes // n, codes % n


def _date_order(profiles: Sequence[Profile]) -> list[tuple[int, str]]:
    """A sort key per document: its day (undated ones first), then its id."""
    return [(p.day if p.day is not None else -1, p.doc) for p in profiles]


def _rows(vectors: Sequence[dict[str, float]]) -> sparse.csr_matrix:
    """Sparse vectors as the rows of one matrix (columns in first-seen order)."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for i, vector in enumerate(vectors):
        for key, weight in vector.items():
            rows.append(i)
            cols.append(vocabulary.setdefault(key, len(vocabulary)))
            values.append(weight)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(vectors), max(1, len(vocabulary))))


def _pair_dots(matrix: sparse.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The dot product of rows ``first[k]`` and ``second[k]`` for every k."""
    dots = np.empty(len(first))
    chunk = 100_000
    for start in range(0, len(first), chunk):
        a, b = first[start:start + chunk], second[start:start + chunk]
        dots[start:start + chunk] = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    return dots


def term_vectors(raw: Sequence[RawFeatures], counts: PileCounts | None = None) -> list[dict[str, float]]:
    """Each document's plain bag of words weighed by the pile's own IDF
    (count x log(n / documents carrying the word); ``counts``: those of a
    larger pile these documents are part of), unit length: what a word shared
    by few of these documents says, whatever English makes of it."""
    if counts is None:
        frequency: MutableMapping[str, int] = {}
        for features in raw:
            for term in features.terms:
                frequency[term] = frequency.get(term, 0) + 1
        n = len(raw)
    else:
        frequency, n = counts.terms, counts.documents
    vectors = []
    for features in raw:
        vector = {}
        for t, c in features.terms.items():
            df = frequency.get(t, 1)
            if df < n:
                vector[t] = c * math.log(n / df)
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vectors.append({t: w / norm for t, w in vector.items()})
    return vectors


def pair_similarities(
    profiles: Sequence[Profile],
    first: np.ndarray,
    second: np.ndarray,
    settings: Settings = DEFAULT,
    terms: Sequence[dict[str, float]] | None = None,
) -> np.ndarray:
    """The similarity of each pair, from three parts of the two documents:

    - their words (the profile's word features, and with weight
      ``story_pile_text_weight`` the pile-IDF bag of words ``terms``),
    - their names and numbers (the profile's ``@`` and ``#`` features),
    - their days: past ``story_window_days`` apart the word part fades by
      e^-1 per ``story_fade_days`` more; the names-and-numbers part only past
      ``story_pile_entity_window_days``, by e^-1 per as many more (reports of
      one incident weeks apart still name its town and people; the same
      names a year on are most often another event). Undated: no fade.
    """
    if not len(first):
        return np.zeros(0)
    words = _rows([{k: w for k, w in p.vector.items() if k[0] not in "@#"} for p in profiles])
    entities = _rows([{k: w for k, w in p.vector.items() if k[0] in "@#"} for p in profiles])
    alpha = settings.story_pile_text_weight if terms is not None else 0.0
    word_part = (1.0 - alpha) * _pair_dots(words, first, second)
    if terms is not None and alpha:
        word_part += alpha * _pair_dots(_rows(terms), first, second)
    entity_part = (1.0 - alpha) * _pair_dots(entities, first, second)
    days = np.array([p.day if p.day is not None else -(10**9) for p in profiles], dtype=np.float64)
    da, db = days[first], days[second]
    dated = (da > -(10**9)) & (db > -(10**9))
    gap = np.where(dated, np.abs(da - db), 0.0)
    fade = np.exp(-np.maximum(0.0, gap - settings.story_window_days) / settings.story_fade_days)
    window = float(settings.story_pile_entity_window_days)
    entity_fade = np.exp(-np.maximum(0.0, gap - window) / window)
    result: np.ndarray = word_part * fade + entity_part * entity_fade
    return result


def average_link(
    count: int, first: np.ndarray, second: np.ndarray, sims: np.ndarray, threshold: float
) -> list[list[int]]:
    """Agglomerative average link over a sparse similarity graph: repeatedly
    merge the two clusters with the highest mean pairwise similarity (pairs
    not in the graph count 0) while it reaches ``threshold``. Returns the
    clusters as sorted index lists, ordered by their smallest index. Ties
    break on the smaller indices, so the result does not depend on the order
    the pairs were given in."""
    links: list[dict[int, float]] = [{} for _ in range(count)]
    size = [1] * count
    heap: list[tuple[float, int, int]] = []
    for a, b, s in zip(first.tolist(), second.tolist(), sims.tolist()):
        if s <= 0.0 or a == b:
            continue
        links[a][b] = links[a].get(b, 0.0) + s
        links[b][a] = links[b].get(a, 0.0) + s
    for a in range(count):
        for b, s in links[a].items():
            if a < b and s >= threshold:
                heap.append((-s, a, b))
    heapq.heapify(heap)
    alive = [True] * count
    members: list[list[int]] = [[i] for i in range(count)]
    while heap:
        negative, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue
        total = links[a].get(b)
        if total is None or -negative != total / (size[a] * size[b]):
            continue  # stale: one side changed since this entry was pushed
        # Keep the cluster with more links (cheaper merge), named by the
        # smaller index so ties resolve the same way in any order.
        keep, gone = (a, b) if len(links[a]) >= len(links[b]) else (b, a)
        alive[gone] = False
        size[keep] += size[gone]
        members[keep].extend(members[gone])
        members[gone] = []
        kept_links = links[keep]
        kept_links.pop(gone, None)
        for c, s in links[gone].items():
            if c == keep:
                continue
            kept_links[c] = kept_links.get(c, 0.0) + s
            other = links[c]
            other[keep] = other.get(keep, 0.0) + other.pop(gone)
        links[gone] = {}
        for c, s in kept_links.items():
            mean = s / (size[keep] * size[c])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, c), max(keep, c)))
    clusters = [sorted(m) for m in members if m]
    clusters.sort(key=lambda m: m[0])
    return clusters


@dataclass(frozen=True)
class PileGraph:
    """A pile's documents in id order (``order[k]``: the position in the
    given sequence of the k-th), their profiles in that order, and the
    proposed pairs (``first[m] < second[m]``, positions in id order) with
    their similarities: what ``average_link`` cuts at any threshold."""

    order: list[int]
    profiles: list[Profile]
    first: np.ndarray
    second: np.ndarray
    sims: np.ndarray

    def clusters(self, threshold: float) -> list[list[int]]:
        """The clusters at ``threshold``: positions in the given sequence,
        each sorted, ordered by their first."""
        found = average_link(len(self.order), self.first, self.second, self.sims, threshold)
        back = sorted(sorted(self.order[i] for i in cluster) for cluster in found)
        return back


def pile_graph(raw: Sequence[RawFeatures], settings: Settings = DEFAULT, counts: PileCounts | None = None) -> PileGraph:
    """Weigh a pile's documents (with ``counts`` when they are part of a
    larger pile), propose pairs and score them (see the module docstring).
    Documents are put in id order first, so nothing here depends on the order
    of ``raw``."""
    order = sorted(range(len(raw)), key=lambda i: (raw[i].doc, i))
    ordered = [raw[i] for i in order]
    profiles = pile_profiles(ordered, settings, counts)
    first, second = candidate_pairs(profiles, settings)
    sims = pair_similarities(profiles, first, second, settings, term_vectors(ordered, counts))
    if settings.story_pile_same_outlet != 1.0 and len(first):
        outlets = np.array([f.outlet or "" for f in ordered], dtype=object)
        same = (outlets[first] == outlets[second]) & (outlets[first] != "")
        sims = np.where(same, sims * settings.story_pile_same_outlet, sims)
    return PileGraph(order, profiles, first, second, sims)


def cluster_pile(
    raw: Sequence[RawFeatures], *, threshold: float | None = None, settings: Settings = DEFAULT
) -> tuple[list[list[int]], list[Profile]]:
    """Cluster a pile of documents (their raw features, from ``raw_features``
    under ``pile_settings``) as a whole at ``threshold`` (default
    ``story_pile_threshold``); returns the clusters (positions in ``raw``,
    each sorted, ordered by their first) and each document's profile (in the
    order of ``raw``). The clusters do not depend on the order of ``raw``."""
    threshold = settings.story_pile_threshold if threshold is None else threshold
    graph = pile_graph(raw, settings)
    profiles: list[Profile] = [None] * len(raw)  # type: ignore[list-item]
    for position, i in enumerate(graph.order):
        profiles[i] = graph.profiles[position]
    return graph.clusters(threshold), profiles
