"""Which verbs attribute what: a learned decision over the parse.

Beside the verbs of saying in the lexicons (``cues``), news attributes stances
and actions with a long tail of verbs whose content is a noun phrase
("attacked Machado", "backed Clinton", "vetoed the bill"). For each verb, every
complement the parse gives it (a clause, an object, an infinitive, a
prepositional phrase) is a candidate content, and so is the prepositional
phrase or clause of a noun or adjective ("criticism of X", "critical of X"); a
logistic model over features of the parse (the verb's lemma with the
complement's relation, the complement's head, the subject, pairs of coarse
facts) scores each, and the caller keeps a verb's best candidate when it
scores above the threshold. The weights were fitted on PolNeAR train by
``bench/train_attribution.py`` and ship as ``attribution.json`` beside this
module; they are read once per process.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from accord.errors import ModelError

from accord.analyze.cues import (
    CLAUSE_CUES,
    CUE_VERBS,
    INFINITIVE_CUES,
    OBJECT_CUES,
    PREPOSITION_CUES,
    SUBJECT_DEPS,
    subject,
)

__all__ = ["FEATURES_VERSION", "FORMAT", "WEIGHTS_FILE", "complements", "features", "probability", "read_weights", "weights"]

WEIGHTS_FILE = Path(__file__).with_name("attribution.json")
#: Complement relations that may hold what a verb attributes.
COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "dative", "attr", "acomp", "oprd"})
#: A further candidate of everything a verb has after it: off, as on train
#: (fitted without 170 articles, scored on them) it lost 0.008 F1.
REST_CANDIDATES = False
#: Relations of words after a verb that are not part of what it attributes.
REST_SKIP = frozenset({"conj", "cc", "punct", "prt", "mark"})
#: What a noun or an adjective may attribute ("criticism of X", "critical of
#: X", "the claim that …"): these relations, prepositional ones with these
#: prepositions.
NOMINAL_DEPS = frozenset({"prep", "ccomp", "acl", "xcomp"})
NOMINAL_PREPS = frozenset({"of", "for", "on", "about", "against", "over", "with", "to"})
#: Tokens: a complement longer than this is a run-on of the parse, not content.
MAX_COMPLEMENT_TOKENS = 150


#: What ``attribution.json`` must declare: the format, and the version of
#: ``features`` its weights were fitted on. Bump FEATURES_VERSION with every
#: change of ``features``/``complements`` and refit (bench/train_attribution.py).
FORMAT = "accord.attribution/logistic"
FEATURES_VERSION = 1


def read_weights(path: Path) -> tuple[dict[str, float], float]:
    """(feature weights, decision threshold) from the weights file ``path``.

    Raises ModelError when the file is missing or unreadable, or when it was
    not built for this ``FORMAT`` and ``FEATURES_VERSION`` (weights of other
    features would score silently wrong)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the attribution weights ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        got = data.get("format") if isinstance(data, dict) else None
        raise ModelError(f"{path}: attribution weights of format {got!r}, this code reads {FORMAT!r}")
    if data.get("version") != FEATURES_VERSION:
        raise ModelError(
            f"{path}: attribution weights built for features version {data.get('version')!r}, "
            f"this code computes version {FEATURES_VERSION}: refit with bench/train_attribution.py"
        )
    w, threshold = data.get("weights"), data.get("threshold")
    if not isinstance(w, dict) or not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise ModelError(f"{path}: attribution weights without a weights table and a threshold in (0, 1)")
    return {str(k): float(v) for k, v in w.items()}, float(threshold)


@lru_cache(maxsize=1)
def weights() -> tuple[dict[str, float], float]:
    """(feature weights, decision threshold) of the shipped ``attribution.json``,
    read once per process; ModelError when it is missing or of another version."""
    return read_weights(WEIGHTS_FILE)


def probability(feats: list[str], w: dict[str, float] | None = None) -> float:
    """The model's probability that a candidate with ``feats`` is an attribution."""
    if w is None:
        w = weights()[0]
    z = sum(w.get(f, 0.0) for f in feats)
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def complements(v: Token) -> list[tuple[str, Token, list[Token]]]:
    """(relation, head, tokens) of each complement of verb ``v`` that may be
    what it attributes: a clause, object, infinitive or predicate with its
    subtree; a prepositional phrase with its preposition."""
    out: list[tuple[str, Token, list[Token]]] = []
    nominal = v.pos_ in {"NOUN", "ADJ"}
    for c in v.children:
        if nominal:
            if c.dep_ not in NOMINAL_DEPS or c.i < v.i or c.dep_ == "prep" and c.lower_ not in NOMINAL_PREPS:
                continue
        elif c.dep_ not in COMPLEMENT_DEPS or c.i < v.i and c.dep_ != "ccomp":
            continue
        if c.right_edge.i - c.left_edge.i > MAX_COMPLEMENT_TOKENS:
            continue
        head = c
        if c.dep_ == "prep":
            head = next((o for o in c.children if o.dep_ in {"pobj", "pcomp"}), None)
            if head is None:
                continue
        words = [t for t in c.subtree if t.i != v.i]
        out.append((c.dep_, head, words))
    if REST_CANDIDATES and not nominal:
        # Everything the verb has after it, taken as one content ("cast
        # himself as X and Clinton as Y", "wrote that X, because Y").
        right = [c for c in v.children if c.i > v.i and c.dep_ not in REST_SKIP]
        if len(right) >= 2 and right[-1].right_edge.i - right[0].left_edge.i <= MAX_COMPLEMENT_TOKENS:
            first = next((c for c in right if c.dep_ in COMPLEMENT_DEPS), None)
            if first is not None:
                out.append(("rest", first, list(v.doc[right[0].left_edge.i : right[-1].right_edge.i + 1])))
    return out


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13, 21, 34):
        if n <= b:
            return str(b)
    return "many"


def _lexicons(lemma: str) -> list[str]:
    out = []
    for name, lex in (("cue", CUE_VERBS), ("clause", CLAUSE_CUES), ("object", OBJECT_CUES), ("inf", INFINITIVE_CUES)):
        if lemma in lex:
            out.append("lex=" + name)
    if lemma in PREPOSITION_CUES:
        out.append("lex=prep")
    return out


def features(
    v: Token, rel: str, head: Token, words: list[Token], *, rule: bool, quoted: bool, context: tuple[str, ...] = ()
) -> list[str]:
    """The features of candidate content ``words`` (headed by ``head``, in
    relation ``rel`` to verb ``v``). ``rule``: the lexicon rules of ``reported``
    chose these words; ``quoted``: they hold words in quotation marks;
    ``context``: features of where the verb stands (a headline, a paragraph
    with quotation marks)."""
    lemma = v.lemma_.lower()
    subj = subject(v)
    if subj is None:
        stype = "none"
    elif subj.pos_ == "PRON":
        stype = "pron:" + subj.lower_
    elif subj.ent_type_:
        stype = "ent:" + subj.ent_type_
    else:
        stype = "pos:" + subj.pos_
    prep = ""
    if rel == "prep":
        prep = head.head.lower_
    hp = head.pos_
    pos = "" if v.pos_ in {"VERB", "AUX"} else v.pos_ + ":"
    rel = pos + rel
    f = [
        "bias",
        "vp=" + v.pos_,
        "r=" + rel,
        "l=" + lemma,
        "lr=" + lemma + "|" + rel + prep,
        "rh=" + rel + "|" + hp,
        "lrh=" + lemma + "|" + rel + prep + "|" + hp,
        "vd=" + v.dep_,
        "vt=" + v.tag_,
        "s=" + stype,
        "rs=" + rel + "|" + stype.split(":")[0],
        "ls=" + lemma + "|" + stype.split(":")[0],
        "n=" + _bucket(len(words)),
        "rn=" + rel + "|" + _bucket(len(words)),
        "rule=" + str(rule),
        "rrule=" + rel + "|" + str(rule),
        "q=" + str(quoted),
        "he=" + head.ent_type_,
        "rhe=" + rel + "|" + head.ent_type_,
        "lhe=" + lemma + "|" + head.ent_type_,
    ]
    if subj is not None and subj.pos_ in {"NOUN", "PROPN"}:
        f.append("sl=" + subj.lemma_.lower())
    if v.dep_ == "relcl":
        f.append("relcl")
    if prep:
        f.append("p=" + prep)
    if hp == "PRON":
        f.append("hl=" + head.lower_)
    f.extend(_lexicons(lemma))
    f.extend(context)
    # Pairs of the parse's coarse facts: a linear model cannot combine them.
    atoms = [
        "r=" + rel, "vd=" + v.dep_, "vt=" + v.tag_, "sc=" + stype.split(":")[0],
        "n=" + _bucket(len(words)), "rule=" + str(rule), "q=" + str(quoted), "hp=" + hp,
        *context,
    ]
    f.extend(a + "&" + b for i, a in enumerate(atoms) for b in atoms[i + 1 :])
    for c in v.children:
        if c.dep_ == "neg":
            f.append("neg")
        elif c.dep_ == "aux" and c.tag_ == "MD":
            f.append("modal")
        elif c.dep_ == "auxpass":
            f.append("passive")
        elif c.dep_ == "agent":
            f.append("agent")
    if any(t.dep_ in SUBJECT_DEPS for t in words):
        f.append("clause_subj")
    if v.head.i != v.i:
        f.append("hd=" + v.head.lemma_.lower() + "|" + v.dep_)
    return f
