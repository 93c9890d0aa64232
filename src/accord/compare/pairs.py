"""Pairs: the probability that two claims of different documents state the
same fact, from a logistic regression over cheap features of the pair
(word overlap, TF-IDF and sentence-vector cosines, shared names and numbers,
slot conflicts, position, attribution, the sentences around them).

The weights are learned from the long-form dev set's gold same-fact pairs
(``bench/facts/train_pairs.py`` writes them) and ship as a small JSON beside
this module (``pairs.json``), which says which run made them. Only numpy is
needed to apply them.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

__all__ = ["FEATURES", "PairModel", "load_model"]

#: The features of a pair, in the order of a model's weights. Each is a
#: float; compare.facts computes them (``pair_features``).
FEATURES: tuple[str, ...] = (
    "hand_score",        # the hand-made score before issue 19 (words and meaning mixed)
    "overlap",           # weighted share of the smaller claim's words in the other (no minimum)
    "meaning",           # WordLlama cosine of the content words without names
    "meaning_text",      # WordLlama cosine of the whole sentences
    "tfidf",             # cosine of the claims' keys weighted by rarity in the story
    "jaccard",           # Jaccard of the content words (not names, times or numbers)
    "shared_words",      # log(1 + content words shared)
    "shared_names",      # log(1 + names shared)
    "shared_numbers",    # 1 when they share a number
    "number_conflict",   # 1 when both give numbers and share none
    "date_conflict",     # the typed slots of compare.facts.compatible, each 1 when they disagree
    "place_conflict",
    "actor_conflict",
    "length_ratio",      # words of the shorter / words of the longer
    "lead",              # 1 - the later of the two relative positions in their documents
    "both_lead",         # 1 when both are among their documents' first three claims
    "relayed_one",       # 1 when exactly one relays a source
    "relayed_both",      # 1 when both relay a source
    "context",           # WordLlama cosine of the sentences around each (previous and next)
    "frame_disagree",    # 1 when related clauses name other people or the other polarity (facts.frames_agree)
    "frame_clause",      # the best score of two clauses with close predicates and agreeing participants
    "predicate_close",   # the closeness of the two closest predicates of their clauses
    "mutual_best",       # 1 when each is the other's closest candidate in the other's document
    "margin",            # how much closer they are than each one's next closest candidate there
)


@dataclass(frozen=True)
class PairModel:
    """A fitted logistic regression: features are standardised with
    ``mean`` and ``scale`` before the weights apply."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, values: Sequence[float]) -> float:
        """The probability that the pair states one fact (0..1)."""
        z = self.bias + math.fsum(w * (v - m) / s for w, v, m, s in zip(self.weights, values, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def to_dict(self, **about: object) -> dict[str, object]:
        return {**about, "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "weights": list(self.weights), "bias": self.bias}


@functools.lru_cache(maxsize=8)
def load_model(name: str) -> PairModel:
    """The model in a JSON file: a bare name is a file beside this module
    (the shipped ``pairs.json``), else a path. Its features must be
    ``FEATURES`` (a model of other features fails loudly rather than
    scoring nonsense)."""
    path = Path(name) if Path(name).is_absolute() or "/" in name else Path(__file__).with_name(name)
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} are not those compare.pairs computes")
    return PairModel(tuple(data["features"]), tuple(float(x) for x in data["mean"]),
                     tuple(float(x) for x in data["scale"]), tuple(float(x) for x in data["weights"]),
                     float(data["bias"]))
