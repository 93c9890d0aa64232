"""The learned pair score of fact alignment (compare.pairs, issue 19): the
shipped weights load and agree with the Settings they were chosen with, the
probability behaves as a logistic score, the trainer recovers a separable
rule, and pair features are the same whatever the order of the documents."""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from pathlib import Path

import pytest

from accord.compare import facts as facts_stage
from accord.compare.pairs import FEATURES, PairModel, load_model
from accord.settings import DEFAULT

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_weights_load_and_say_where_they_came_from():
    path = Path(facts_stage.__file__).with_name("pairs.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    model = load_model("pairs.json")
    assert model.features == FEATURES
    assert len(model.weights) == len(FEATURES) == len(model.mean) == len(model.scale)
    assert all(s > 0 for s in model.scale)
    assert "train_pairs.py" in data["about"]
    # The settings the trainer chose with these weights are Settings fields
    # of the learned score, and make a dossier.
    assert data["settings"] and all(name.startswith("fact_pair_") and hasattr(DEFAULT, name) for name in data["settings"])
    learned = dataclasses.replace(DEFAULT, fact_pair_model="pairs.json", **data["settings"])
    assert learned.fact_pair_threshold >= learned.fact_pair_share_threshold
    # Settings carries the same values (a model retrained with other
    # settings must update Settings and its comments too).
    for name, value in data["settings"].items():
        assert getattr(DEFAULT, name) == value, name


def test_a_model_of_other_features_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"features": ["overlap"], "mean": [0], "scale": [1], "weights": [1], "bias": 0}))
    with pytest.raises(ValueError):
        load_model(str(path))


def test_probability_is_logistic_and_rises_with_a_positive_weight():
    model = PairModel(("a", "b"), (0.0, 1.0), (1.0, 2.0), (2.0, -1.0), 0.5)
    assert model.probability([0.0, 1.0]) == pytest.approx(1 / (1 + math.exp(-0.5)))
    low, high = model.probability([0.0, 1.0]), model.probability([1.0, 1.0])
    assert 0.0 < low < high < 1.0
    assert model.probability([0.0, 5.0]) < low          # a negative weight lowers it
    assert model.probability([1e6, 0.0]) == pytest.approx(1.0)


def test_the_trainer_fits_a_separable_rule_deterministically():
    numpy = pytest.importorskip("numpy")
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "bench" / "facts"))
    train_pairs = pytest.importorskip("train_pairs")
    # Pairs are the same fact when the first feature is high; the others are noise-free filler.
    rows = [[i / 40] + [((i * 7) % 11) / 11] * (len(FEATURES) - 1) for i in range(40)]
    x = numpy.array(rows)
    y = (x[:, 0] > 0.5).astype(float)
    first, second = train_pairs.fit(x, y), train_pairs.fit(x, y)
    assert first == second
    predicted = numpy.array([first.probability(r) for r in x])
    assert ((predicted >= 0.5) == (y == 1)).mean() >= 0.95
    assert first.weights[0] > 0
    assert train_pairs.auc(predicted, y) >= 0.99
    assert train_pairs.auc(numpy.array([0.1, 0.2, 0.3]), numpy.array([0.0, 1.0, 1.0])) == 1.0


def test_pair_features_do_not_depend_on_document_order(corpus_batch):
    import accord

    analyses = list(accord.analyze(corpus_batch).analyses)
    settings = dataclasses.replace(DEFAULT)

    def table(order):
        rows = facts_stage.pair_table(order, settings)
        return sorted((tuple(sorted((s.doc, s.start) for s in a)), tuple(sorted((s.doc, s.start) for s in b)),
                       tuple(round(v, 9) for v in f)) for a, b, f in rows)

    forward, backward = table(analyses), table(analyses[::-1])
    assert forward and len(forward[0][2]) == len(FEATURES)
    # One pair may be listed either way round: compare unordered sides.
    assert {frozenset((a, b)): f for a, b, f in forward} == {frozenset((a, b)): f for a, b, f in backward}
