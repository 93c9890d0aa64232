"""Claims: the sentences of a document that assert something, reduced to the
words that carry what they assert."""

from __future__ import annotations

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from accord.model import Claim, Document, Quote

__all__ = ["CONTENT_POS", "content_keys", "find_claims"]

#: Parts of speech whose words carry the content of a sentence.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
_CUE_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "claim", "report", "according", "note", "reveal", "describe", "stress", "emphasize"})
_MIN_KEYS = 3


def content_keys(tokens: SpacySpan | SpacyDoc) -> tuple[str, ...]:
    """Lower-case lemmas of the content words, in order, without stop words."""
    keys = []
    for token in tokens:
        if token.pos_ in CONTENT_POS and not token.is_stop and token.is_alpha or token.like_num:
            keys.append(token.lemma_.lower() if token.pos_ != "PROPN" else token.text.lower())
    return tuple(keys)


def find_claims(sdoc: SpacyDoc, document: Document, quotes: list[Quote]) -> list[Claim]:
    """One claim per sentence that has at least three content words and is not
    wholly a direct quotation (those are statements, not the outlet's claims).
    ``attributed`` marks a sentence that reports what someone said."""
    direct = [(q.span.start, q.span.end) for q in quotes if q.kind == "direct"]
    claims = []
    for sentence in sdoc.sents:
        start, end = sentence.start_char, sentence.end_char
        while end > start and document.text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        quoted = sum(max(0, min(end, e) - max(start, s)) for s, e in direct)
        if quoted > 0.6 * (end - start):
            continue
        keys = content_keys(sentence)
        if len(keys) < _MIN_KEYS:
            continue
        attributed = any(t.lemma_.lower() in _CUE_LEMMAS for t in sentence) or quoted > 0
        claims.append(Claim(document.span(start, end), keys, attributed))
    return claims
