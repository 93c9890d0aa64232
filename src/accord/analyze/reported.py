"""What a cue reports: the clause, object or phrase of the parse that holds
the reported words ("said that …", "called for …", "…, he said",
"according to X, …")."""

from __future__ import annotations

from spacy.tokens import Token

from accord.analyze.cues import (
    CLAUSE_CUES,
    CUE_VERBS,
    INFINITIVE_CUES,
    NAMING_VERBS,
    OBJECT_CUES,
    PREPOSITION_CUES,
    SUBJECT_DEPS,
    is_according,
    is_reporting,
)

__all__ = ["MAX_CLAUSE_TOKENS", "clause_range", "host_clause", "reported_clause", "with_antecedent"]

#: Tokens: a stretch of parse longer than this is not one reported clause but a
#: run-on the parser built (a list, a transcript), and is not taken whole, which
#: also keeps the work linear in the length of such texts.
MAX_CLAUSE_TOKENS = 150


def clause_range(tokens: list[Token]) -> tuple[int, int] | None:
    """Character range of tokens, trimmed of punctuation at both ends."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def with_antecedent(clause: list[Token]) -> list[Token]:
    """A reported relative clause ("which he said runs the risk") with the noun
    it is on ("the delegate system, which he said runs the risk")."""
    if not clause or clause[0].tag_ not in {"WDT", "WP"}:
        return clause
    root = next((t for t in clause if t.dep_ == "relcl"), None)
    if root is None or root.head.i >= clause[0].i:
        return clause
    doc = clause[0].doc
    return list(doc[root.head.left_edge.i : clause[0].i]) + clause


def _too_long(t: Token) -> bool:
    """Whether the parse hangs more than MAX_CLAUSE_TOKENS tokens on ``t``."""
    return t.right_edge.i - t.left_edge.i > MAX_CLAUSE_TOKENS


def reported_clause(v: Token) -> list[Token]:
    """The tokens of what cue ``v`` reports: its clausal complement, the clause
    it is hung on ("…, he said"), or the clause "according to" qualifies."""
    if _too_long(v) or _too_long(v.head):
        return []
    if is_according(v):
        return _qualified_sentence(v)
    lemma = v.lemma_.lower()
    by_dep = {c.dep_: c for c in reversed(list(v.children))}
    if lemma in NAMING_VERBS and "dobj" in by_dep and "oprd" in by_dep:
        # "called Trump “an orange buffoon”": the object and the name given.
        obj, name = by_dep["dobj"], by_dep["oprd"]
        return list(v.doc[min(obj.left_edge.i, name.left_edge.i) : max(obj.right_edge.i, name.right_edge.i) + 1])
    if lemma in {"call", "urge", "press"}:
        on = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "on" and c.i > v.i), None)
        if on is not None and any(o.dep_ == "pobj" for o in on.children):
            # "called on the United States to step up its efforts"
            last = max((c.right_edge.i for c in v.children if c.i > on.i and not c.is_punct), default=on.right_edge.i)
            pobj = next(o for o in on.children if o.dep_ == "pobj")
            return list(v.doc[pobj.left_edge.i : max(last, on.right_edge.i) + 1])
    if "ccomp" in by_dep and (lemma in CLAUSE_CUES or lemma in CUE_VERBS):
        return _complement_clause(v)
    if "xcomp" in by_dep and lemma in INFINITIVE_CUES:
        return _own_words(by_dep["xcomp"], v)
    if "dobj" in by_dep and lemma in OBJECT_CUES:
        obj = by_dep["dobj"]
        words = _own_words(obj, v)
        # "slammed Kaine for his work", "dismissed Estonia as a suburb": what
        # the object is blamed for or taken as belongs to the content.
        extra = next((c for c in v.children if c.dep_ == "prep" and c.i > obj.i and c.lower_ in {"for", "as"}), None)
        if extra is not None and words:
            words = list(v.doc[words[0].i : extra.right_edge.i + 1])
        return words
    preps = PREPOSITION_CUES.get(lemma)
    if preps:
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                obj = next((o for o in c.children if o.dep_ in {"pobj", "pcomp"}), None)
                if obj is not None:
                    return _own_words(obj, v)
    if (
        v.dep_ in {"parataxis", "advcl"}
        and v.i > v.head.i
        and lemma in CUE_VERBS
        and any(c.dep_ in SUBJECT_DEPS for c in v.children)
    ):
        return host_clause(v)
    return []


def _qualified_sentence(v: Token) -> list[Token]:
    """What "according to X" vouches for: the rest of its sentence, the part
    before or after the phrase when it stands at an end, the whole sentence
    when it stands inside ("X, according to Y, is Z")."""
    phrase = {t.i for t in v.subtree} | {t.i for t in v.doc[v.i + 1].subtree}
    sent = [t for t in v.sent if not t.is_space]
    first, last = min(phrase), max(phrase)
    before = [t for t in sent if t.i < first]
    after = [t for t in sent if t.i > last]
    if not any(not t.is_punct for t in after):
        words = before
    elif not any(not t.is_punct for t in before):
        words = after
    else:
        words = sent
    if not any(t.dep_ in SUBJECT_DEPS | {"expl"} for t in words):
        return []
    return words


def host_clause(v: Token) -> list[Token]:
    """The clause a parenthetical cue is hung on: "…, he said" gives the words
    before it; "X, he said, can Y" gives the whole clause, cue and all (a span
    is one stretch of text)."""
    head = v.head
    if _too_long(head):
        return []
    words = list(head.subtree)
    before = [t for t in words if t.i < v.left_edge.i]
    after = [t for t in words if t.i > v.right_edge.i]
    if not after or all(t.is_punct for t in after):
        words = before
    elif not before or all(t.is_punct for t in before):
        words = after
    # A clause says something only with a subject of its own ("Speaking on
    # Sunday, he said" reports nothing).
    if not any(t.dep_ in SUBJECT_DEPS | {"expl"} for t in words):
        return []
    return words


def _complement_clause(v: Token) -> list[Token]:
    """The clause cue ``v`` reports: its clausal complements after it, taken as
    one stretch (the parser may split "no one is “on pace”" in two), else the
    last one before it ("…, he said")."""
    ccomps = [c for c in v.children if c.dep_ == "ccomp"]
    after = [c for c in ccomps if c.i > v.i]
    if len(after) > 1:
        doc = v.doc
        return list(doc[min(c.left_edge.i for c in after) : max(c.right_edge.i for c in after) + 1])
    if after:
        return _own_words(after[0], v)
    return _own_words(ccomps[-1], v)


def _own_words(root: Token, v: Token) -> list[Token]:
    """The subtree of ``root`` without the cue ``v`` and without a coordinated
    verb that reports something of its own ("tweeted that X and urged Y": Y is
    urged, not tweeted), up to the first such cut."""
    cut = {
        t.i for c in root.children
        if c.dep_ == "conj" and c.i > root.i and is_reporting(c)
        for t in c.subtree
    }
    words = [t for t in root.subtree if t.i != v.i and t.i not in cut]
    if cut:
        words = [t for t in words if t.i < min(cut)]
        while words and (words[-1].dep_ == "cc" or words[-1].is_punct):
            words = words[:-1]
    return words
