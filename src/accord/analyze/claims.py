"""Claims: the sentences of a document that assert something, with who did
what to whom, where, when and how many, and the words that carry them."""

from __future__ import annotations

from typing import Sequence

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from accord.model import Claim, Document, Quantity, Quote, Span, TimeExpression

from .stance import read_claim

__all__ = ["CONTENT_POS", "NAME_KEY", "content_keys", "find_claims"]

#: Parts of speech whose words carry the content of a sentence.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
_CUE_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "claim", "report", "according", "note",
                         "reveal", "describe", "stress", "emphasize", "emphasise", "warn", "insist", "confirm"})
# Words that news reports use for one another when they tell the same event:
# one key for each group, so that "met on the margins" and "talked on the
# sidelines" share their words.
_SAME_WORD = {
    "meeting": "meet", "encounter": "meet", "summit": "meet",
    "talks": "talk", "speak": "talk", "discussion": "talk", "conversation": "talk", "discuss": "talk",
    "margin": "sideline", "characterise": "characterize", "roadmap": "road", "dialog": "dialogue",
    "kill": "kill", "die": "kill", "dead": "kill", "death": "kill",
    "attack": "strike", "strike": "strike", "launch": "launch",
    "agreement": "deal", "accord": "deal", "pact": "deal",
}
# Words of these entities are names even when tagged as adjectives ("Russian").
_NAME_ENTITIES = frozenset({"PERSON", "NORP", "GPE", "ORG", "LOC", "FAC"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJECTS = ("dobj", "obj", "attr", "oprd", "dative")
_MIN_KEYS = 3


#: Prefix of the keys that are names ("@rubio"): every report of a story
#: names the same people, so names say less about which fact a sentence states.
NAME_KEY = "@"


def content_keys(tokens: SpacySpan | SpacyDoc) -> tuple[str, ...]:
    """Lower-case lemmas of the content words, in order, without stop words;
    names keep their spelling behind ``NAME_KEY``; numbers are kept."""
    keys = []
    for token in tokens:
        if (token.pos_ in CONTENT_POS and not token.is_stop and token.is_alpha) or token.like_num:
            is_name = token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES
            lemma = token.lemma_.lower()
            keys.append(NAME_KEY + token.text.lower() if is_name else _SAME_WORD.get(lemma, lemma))
    return tuple(keys)


def find_claims(
    sdoc: SpacyDoc,
    document: Document,
    quotes: Sequence[Quote],
    quantities: Sequence[Quantity] = (),
    times: Sequence[TimeExpression] = (),
) -> list[Claim]:
    """One claim per sentence that has at least three content words and is not
    wholly a direct quotation (those are statements, not the outlet's claims).
    A sentence that reports speech ("Rubio said the two exchanged ideas") is
    ``attributed``: its who/did/whom come from the reported clause and
    ``according_to`` is the speaker."""
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
        root = sentence.root
        according_to = None
        if root.lemma_.lower() in _CUE_LEMMAS or any(t.lower_ == "according" for t in sentence):
            reported = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
            according_to = _phrase(document, _child(root, _SUBJECTS)) or _according_to(document, sentence)
            if reported is not None:
                root = reported
        inside = lambda span: start <= span.start and span.end <= end  # noqa: E731
        reading = read_claim(sentence, document, [q for q in quotes if q.span.start < end and q.span.end > start], start=start, end=end)
        claims.append(Claim(
            span=document.span(start, end),
            keys=keys,
            attributed=according_to is not None or quoted > 0,
            who=_phrase(document, _child(root, _SUBJECTS)),
            did=_verb(document, root),
            whom=_phrase(document, _child(root, _OBJECTS) or _prepositional_object(root)),
            where=tuple(document.span(e.start_char, e.end_char) for e in sentence.ents if e.label_ in _PLACE_LABELS),
            when=tuple(t.span for t in times if inside(t.span)),
            how_many=tuple(q.span for q in quantities if inside(q.span)),
            according_to=according_to,
            stance=reading.stance,
            assertor=reading.assertor,
            passage=reading.passage,
        ))
    return claims


def _child(token: Token, relations: tuple[str, ...]) -> Token | None:
    return next((c for c in token.children if c.dep_ in relations), None)


def _prepositional_object(verb: Token) -> Token | None:
    """The object of "met with Lavrov", "talked to reporters"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "to", "on", "against", "for"):
            target = _child(child, ("pobj",))
            if target is not None:
                return target
    return None


def _phrase(document: Document, head: Token | None) -> Span | None:
    """The span of a noun phrase: the head with its modifiers, without
    clauses, appositions or coordinated phrases hanging off it."""
    if head is None:
        return None
    tokens = [t for t in head.subtree if t.i == head.i or not _in_clause(t, head)]
    first = min(t.idx for t in tokens)
    last = max(t.idx + len(t.text) for t in tokens)
    return document.span(first, last)


_CLAUSES = frozenset({"relcl", "acl", "advcl", "appos", "punct", "prep", "ccomp"})


def _in_clause(token: Token, head: Token) -> bool:
    """Whether ``token`` (in the subtree of ``head``) hangs off it through a
    clause or a coordination. spaCy makes a new Token object on every access,
    so tokens are compared by index."""
    while token.i != head.i:
        if token.dep_ in _CLAUSES and (token.head.i == head.i or token.dep_ not in ("punct", "prep")):
            return True
        token = token.head
    return False


def _verb(document: Document, verb: Token) -> Span:
    """The verb with its auxiliaries, negation and particle ("did not lead",
    "took back")."""
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    first = min(t.idx for t in parts)
    last = max(t.idx + len(t.text) for t in parts)
    return document.span(first, last)


def _according_to(document: Document, sentence: SpacySpan) -> Span | None:
    for token in sentence:
        if token.lower_ == "according":
            target = next((t for t in token.subtree if t.dep_ == "pobj"), None)
            return _phrase(document, target)
    return None
