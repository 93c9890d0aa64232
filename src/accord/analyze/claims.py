"""Claims: the sentences of a document that assert something, with who did
what to whom, where, when and how many, and the words that carry them."""

from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Sequence

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from accord.model import Claim, Document, Frame, Quantity, Quote, Span, TimeExpression

from .stance import SAYING_VERBS, read_claim

__all__ = ["CONTENT_POS", "NAME_KEY", "QUOTED_SHARE", "clause_frames", "content_keys", "find_claims", "spelling_key"]

#: Parts of speech whose words carry the content of a sentence.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
_CUE_LEMMAS = frozenset({"say", "tell", "add", "state", "announce", "claim", "report", "according", "note",
                         "reveal", "describe", "stress", "emphasize", "emphasise", "warn", "insist", "confirm"})
# British and American spellings of one word made one key ("characterise" /
# "characterize", "colour" / "color", "centre" / "center", "analyse" /
# "analyze", "dialogue" / "dialog", "defence" / "defense"). Each rule maps
# both spellings to the same string, so a word that merely ends the same way
# ("promise") keeps one key of its own, if an odd-looking one. A stem of at
# least three letters keeps short words ("four", "metre"... "rise") apart.
_SPELLINGS = (
    (re.compile(r"(?<=\w{3})is(e|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=\w{3})yse$"), "yze"),
    (re.compile(r"(?<=\w{3})tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=\w{3})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w{3})ence$"), "ense"),
)


def spelling_key(lemma: str) -> str:
    """One key for the British and American spellings of a lemma."""
    for pattern, replacement in _SPELLINGS:
        lemma = pattern.sub(replacement, lemma)
    return lemma


# Words of these entities are names even when tagged as adjectives ("Russian").
_NAME_ENTITIES = frozenset({"PERSON", "NORP", "GPE", "ORG", "LOC", "FAC"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
_OBJECTS = ("dobj", "obj", "attr", "oprd", "dative")
_MIN_KEYS = 3


#: Prefix of the keys that are names ("@rubio"): every report of a story
#: names the same people, so names say less about which fact a sentence states.
NAME_KEY = "@"
#: The share of a sentence direct quotations must fill for it to be the
#: speaker's words (a quotation claim) rather than the outlet's own.
QUOTED_SHARE = 0.6


def content_keys(tokens: SpacySpan | SpacyDoc | Iterable[Token]) -> tuple[str, ...]:
    """Lower-case lemmas of the content words, in order, without stop words;
    names keep their spelling behind ``NAME_KEY``; numbers are kept."""
    keys = []
    for token in tokens:
        if (token.pos_ in CONTENT_POS and not token.is_stop and token.is_alpha) or token.like_num:
            is_name = token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES
            lemma = token.lemma_.lower()
            keys.append(NAME_KEY + token.text.lower() if is_name else spelling_key(lemma))
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
        keys = content_keys(sentence)
        if len(keys) < _MIN_KEYS:
            continue
        if not any(t.pos_ in ("VERB", "AUX") for t in sentence):
            # No verb, no claim: a list item ("- 1 tsp cinnamon"), a credit
            # ("Lightcloud by Amigo & Amigo"), a heading ("Q: Favorite
            # books?"), a rhetorical line ("The odds: not particularly good.").
            continue
        reading = read_claim(sentence, document, [q for q in quotes if q.span.start < end and q.span.end > start], start=start, end=end)
        if quoted > QUOTED_SHARE * (end - start):
            if reading.assertor is None:
                # A quotation nobody is named for: whose words they are is unknown.
                continue
            # A speaker's own words: what they deny or doubt is theirs to say,
            # the outlet only relays them (the facts stage shows them as
            # attributed), so no stance of the outlet's is read in them.
            reading = dataclasses.replace(reading, stance="asserts")
        root = sentence.root
        according_to = None
        if root.lemma_.lower() in _CUE_LEMMAS or any(t.lower_ == "according" for t in sentence):
            reported = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
            according_to = _phrase(document, _child(root, _SUBJECTS)) or _according_to(document, sentence)
            if reported is not None:
                root = reported
        inside = lambda span: start <= span.start and span.end <= end  # noqa: E731
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
            frames=clause_frames(sentence, document, start, end),
        ))
    return claims


# Dependencies through which a verb heads a clause of its own: the main verb,
# coordinated verbs, reported and adverbial clauses, relative clauses and
# participles describing a noun ("a letter signed by 90 teachers").
_CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl", "pcomp", "csubj"})
_RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_PERSONAL = frozenset({"he", "she"})
# Pronouns and words that stand for someone named elsewhere: as an agent or
# a patient they say nothing of who it is.
_STAND_INS = frozenset({"PRON", "DET"})


def _clause_head(token: Token) -> bool:
    if token.dep_ not in _CLAUSE_DEPS:
        return False
    if token.pos_ == "VERB":
        return token.dep_ != "conj" or token.head.pos_ in ("VERB", "AUX")
    # "be" and "have" as main verbs ("The plea was to a conspiracy charge").
    return token.pos_ == "AUX" and token.dep_ in ("ROOT", "conj", "ccomp", "advcl", "relcl")


def _reports(token: Token) -> bool:
    """A verb of saying with the clause it reports: the reported clause is
    the frame, not the saying."""
    return token.lemma_.lower() in SAYING_VERBS and any(c.dep_ in ("ccomp", "xcomp") for c in token.children)


def _argument_key(token: Token | None) -> str | None:
    """The key of an argument's head word: a name as ``@name`` (its last
    word, the surname of "Rep. Anthony Weiner"), else its lemma; None for a
    pronoun or a relative word (who it stands for is not known here)."""
    if token is not None and token.lower_ in _PERSONAL:
        token = _antecedent(token)
    if token is None or token.pos_ in _STAND_INS or token.lower_ in _RELATIVE:
        return None
    if token.pos_ == "PROPN" or token.ent_type_ in _NAME_ENTITIES:
        # "Jesse Jackson Jr." is Jackson, not "Jr.".
        if token.lower_.rstrip(".") in _NAME_SUFFIXES:
            token = next((c for c in reversed(list(token.lefts)) if c.dep_ == "compound"), token)
        return NAME_KEY + token.text.lower()
    return spelling_key(token.lemma_.lower())


def _antecedent(pronoun: Token) -> Token | None:
    """The person "he" or "she" stands for when the same sentence named one
    before it ("Jackson's wife, Sandi, came too, and she pleaded guilty"):
    the last word of the last name before the pronoun that is not a
    possessor nor a modifier of another noun ("a post in the Obama
    administration if he would drop out": not Obama); None when the sentence
    names nobody before it."""
    names = [e for e in pronoun.sent.ents if e.label_ == "PERSON" and e.end <= pronoun.i
             and not (e.end < len(pronoun.doc) and pronoun.doc[e.end].lower_ in ("'s", "’s", "'", "’"))
             and not (e.root.dep_ == "compound" and not (e.start <= e.root.head.i < e.end))]
    return names[-1][-1] if names else None


def _arguments(head: Token) -> tuple[Token | None, Token | None]:
    """Who acts and on what or whom, for the clause ``head`` heads: the
    subject (or the "by" agent of a passive), and the object (or the
    passive subject). A relative clause or participle takes the noun it
    describes in the role its relative word or missing subject leaves open;
    a coordinated or infinitive verb without a subject shares its head's."""
    agent = patient = None
    for child in head.children:
        if child.dep_ in ("nsubj", "csubj"):
            agent = child
        elif child.dep_ == "nsubjpass":
            patient = child
        elif child.dep_ == "agent":
            agent = _child(child, ("pobj",)) or agent
        elif child.dep_ in ("dobj", "obj", "attr", "dative", "acomp", "oprd") and patient is None:
            patient = child
    if patient is None:
        patient = _prepositional_object(head)
    if head.dep_ in ("relcl", "acl"):
        relative_agent = agent is not None and agent.lower_ in _RELATIVE
        if (head.dep_ == "acl" and head.tag_ == "VBN") or (patient is not None and patient.lower_ in _RELATIVE):
            patient = head.head
        elif agent is None or relative_agent:
            agent = head.head
    elif agent is None and patient is None and head.dep_ in ("conj", "xcomp"):
        # "was wounded and taken to hospital": the head's participants; a
        # passive head's subject is what happens to, not who acts.
        agent, patient = _arguments(head.head)
        if any(c.dep_ == "auxpass" for c in head.head.children):
            agent = None
    return agent, patient


def clause_frames(sentence: SpacySpan, document: Document, start: int, end: int) -> tuple[Frame, ...]:
    """One frame per clause of a sentence that has a predicate and content of
    its own. Each word belongs to the nearest clause above it; a verb of
    saying that reports a clause ("Police said the man was shot") gives its
    words to no frame of its own, so the reported clause is the frame."""
    heads = [t for t in sentence if _clause_head(t)]
    if not heads:
        return ()
    head_ids = {t.i for t in heads}
    members: dict[int, list[Token]] = {t.i: [] for t in heads}
    for token in sentence:
        node = token
        while node.i not in head_ids and node.head.i != node.i:
            node = node.head
        if node.i in head_ids:
            members[node.i].append(token)
    frames = []
    for head in heads:
        if _reports(head):
            continue
        tokens = [t for t in members[head.i] if start <= t.idx and t.idx + len(t.text) <= end]
        keys = content_keys(tokens)
        if not keys:
            continue
        agent, patient = _arguments(head)
        predicate = spelling_key(head.lemma_.lower())
        particle = next((c.lower_ for c in head.children if c.dep_ == "prt"), None)
        if particle:
            predicate += " " + particle
        negated = any(c.dep_ == "neg" for c in head.children)
        first = min(t.idx for t in tokens)
        last = max(t.idx + len(t.text) for t in tokens)
        frames.append(Frame(predicate=predicate, span=document.span(first, last), keys=keys,
                            agent=_argument_key(agent), patient=_argument_key(patient), negated=negated))
    return tuple(frames)


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
