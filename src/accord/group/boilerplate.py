"""Boilerplate by repetition: sentences a site prints under unrelated articles.

A newsletter prompt, an affiliate disclaimer, an "About the company" footer or
an author's bio recurs word for word under many articles of one outlet, while a
sentence of reporting recurs only where the article itself recurs (a reprint,
an updated version). So a sentence whose normalised text appears in two or
more documents of the same outlet that are not near-duplicates of each other
is boilerplate of that outlet, unless those documents tell one story (an
outlet reuses its own background paragraph across the articles of a story).

This is a grouping reduce: ``repeated_sentences`` maps the documents of a batch
(or of a store) to the set of boilerplate sentence hashes of each outlet;
``mark_boilerplate`` gives analyses whose claims over those sentences have the
passage kind ``boilerplate`` (compare never makes a fact of them).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from hashlib import blake2b
from typing import Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from accord.model import Analysis, Document
from accord.settings import DEFAULT, Settings

from .duplicates import resemblance, sketch
from .features import cosine, profile

__all__ = ["MIN_WORDS", "mark_boilerplate", "outlet_key", "repeated_sentences", "sentence_hash"]

#: Sentences of fewer words ("Read more.", "Advertisement") recur by chance
#: and never become claims anyway: they are not counted.
MIN_WORDS = 4

_WORD = re.compile(r"\w+")


def sentence_hash(text: str) -> str:
    """A hash of a sentence's words, lower-cased, without punctuation or
    spacing: the same sentence typeset differently hashes the same."""
    words = _WORD.findall(text.lower())
    return blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()


def outlet_key(document: Document) -> str | None:
    """Which outlet's template a document follows: its site (the URL's host
    without "www."), else its outlet name; None when neither is known."""
    if document.url:
        host = urlsplit(document.url).hostname or ""
        if host:
            return host.removeprefix("www.").lower()
    return document.outlet.lower() if document.outlet else None


def repeated_sentences(analyses: Iterable[Analysis], *, settings: Settings = DEFAULT) -> dict[str, frozenset[str]]:
    """Outlet key -> hashes of the sentences that appear in
    ``settings.boilerplate_min_documents`` or more documents of that outlet,
    no two of which are versions of one article or articles of one story.
    Documents of no known outlet are not counted."""
    min_documents = settings.boilerplate_min_documents
    by_outlet: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    documents: dict[str, Document] = {}
    sentences: dict[str, list[tuple[str, str]]] = {}
    for analysis in analyses:
        document = analysis.document
        key = outlet_key(document)
        if key is None:
            continue
        documents[document.id] = document
        seen: set[str] = set()
        for start, end in analysis.sentences:
            text = document.text[start:end]
            if len(_WORD.findall(text)) < MIN_WORDS:
                continue
            digest = sentence_hash(text)
            sentences.setdefault(document.id, []).append((digest, text))
            if digest not in seen:
                seen.add(digest)
                by_outlet[key][digest].append(document.id)
    sketches: dict[str, tuple[int, ...]] = {}
    vectors: dict[str, dict[str, float]] = {}

    shared = {d for postings in by_outlet.values() for d, ids in postings.items() if len(ids) >= min_documents}

    def related(a: str, b: str) -> bool:
        """Versions of one article, or two articles of one story (told by
        their own sentences: the shared ones would make any two alike)."""
        for doc_id in (a, b):
            if doc_id not in sketches:
                sketches[doc_id] = sketch(documents[doc_id].text)
                own = "\n".join(text for digest, text in sentences.get(doc_id, []) if digest not in shared)
                vectors[doc_id] = profile(dataclasses.replace(documents[doc_id], text=own)).vector
        return (
            resemblance(sketches[a], sketches[b]) >= settings.boilerplate_same_article
            or cosine(vectors[a], vectors[b]) >= settings.boilerplate_same_story
        )

    out: dict[str, frozenset[str]] = {}
    for key, postings in by_outlet.items():
        repeated = set()
        for digest, doc_ids in postings.items():
            if len(doc_ids) >= min_documents and _unrelated_count(doc_ids, related, min_documents) >= min_documents:
                repeated.add(digest)
        if repeated:
            out[key] = frozenset(repeated)
    return out


def _unrelated_count(doc_ids: Sequence[str], related: Callable[[str, str], bool], enough: int) -> int:
    """How many of the documents remain when versions of one article count
    once (greedy: a document is dropped when it is related to one kept),
    counting no further than ``enough``."""
    kept: list[str] = []
    for doc_id in doc_ids:
        if not any(related(doc_id, other) for other in kept):
            kept.append(doc_id)
            if len(kept) >= enough:
                break
    return len(kept)


def mark_boilerplate(analyses: Sequence[Analysis], repeated: Mapping[str, frozenset[str]]) -> list[Analysis]:
    """The analyses with every claim whose sentence is in its outlet's
    repeated set given the passage kind ``boilerplate`` (new objects; the
    inputs are not changed)."""
    out = []
    for analysis in analyses:
        hashes = repeated.get(outlet_key(analysis.document) or "", frozenset())
        if not hashes:
            out.append(analysis)
            continue
        claims = [
            dataclasses.replace(claim, passage="boilerplate") if sentence_hash(claim.span.text) in hashes else claim
            for claim in analysis.claims
        ]
        out.append(dataclasses.replace(analysis, claims=claims))
    return out
