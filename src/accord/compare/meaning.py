"""Meaning: sentence vectors that place sentences saying the same thing in
other words close together, computed offline on the CPU.

The vectors come from WordLlama (``wordllama`` on PyPI, MIT licence): a
static token-embedding table (32,000 tokens x 256 dimensions) that ships
inside the wheel with its tokenizer, so nothing is downloaded at run time
and no PyTorch is needed. A sentence's vector is the average of its tokens'
vectors. Without the package (a trimmed install) ``sentence_vectors``
returns None and alignment falls back on words alone.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Sequence

__all__ = ["available", "sentence_vectors"]

_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")


@functools.lru_cache(maxsize=1)
def _model() -> Any | None:
    """The WordLlama model, loaded once per process from the files inside
    the package (WordLlama.load would look for the tokenizer in another
    folder and try to fetch it; this reads the shipped files directly)."""
    root_handlers = list(logging.getLogger().handlers)
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        return None
    finally:
        # Importing wordllama configures the root logger (a stderr handler):
        # a library must leave the host's logging as it was, or every
        # third-party warning (trafilatura's "parsed tree length: 0") prints.
        for handler in logging.getLogger().handlers[:]:
            if handler not in root_handlers:
                logging.getLogger().removeHandler(handler)
    logging.getLogger("wordllama").setLevel(logging.ERROR)
    root = Path(wordllama.__file__).parent
    tokenizer_path, weights_path = root.joinpath(*_TOKENIZER), root.joinpath(*_WEIGHTS)
    if not tokenizer_path.exists() or not weights_path.exists():
        return None
    with safe_open(str(weights_path), framework="np", device="cpu") as handle:
        embedding = handle.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer_path)))


def available() -> bool:
    """Whether sentence vectors can be computed in this install."""
    return _model() is not None


def sentence_vectors(texts: Sequence[str]) -> Any | None:
    """One unit-length vector per text (a numpy array of shape (n, 256)), or
    None when the model is not installed."""
    model = _model()
    if model is None:
        return None
    if not texts:
        import numpy as np

        return np.zeros((0, 256), dtype="float32")
    import numpy as np

    # A text of no known tokens has a zero vector: normalising it gives NaN;
    # it is left at zero (similar to nothing).
    vectors = model.embed(list(texts), norm=False)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
