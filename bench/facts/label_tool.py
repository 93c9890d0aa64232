"""Turn a compact hand-written label spec into a dev-set label file.

    python bench/facts/label_tool.py show KEY        # sentences of a story (cached in /tmp)
    python bench/facts/label_tool.py build KEY       # specs/KEY.spec -> labels/KEY.json
    python bench/facts/label_tool.py build --all     # every spec (both sets)

Long-form keys (``basil-N``, ``gvc-N``; ``python bench/devset.py keys --longform``)
keep their specs in ``bench/facts/longform/specs`` and labels in
``bench/facts/longform/labels``.

A spec (``bench/facts/specs/KEY.spec``) names sentences by id only; the tool
fills in their input offsets from ``devset.sentences(KEY)`` and fails when an id
does not exist. Lines (``#`` starts a comment line):

    F <note> :: left:1 center:1 right:2/att      a fact and its passages
    K <note> :: left:1 center:1                  a key shared fact (one of the story's five
                                                 a reader would name first: the main event,
                                                 who, when, where, key numbers); as F
    B right:7 right:8                            boilerplate sentences
    C <kind> <note> :: <value> = left:1 ; <value> = center:1 right:1
                                                 a conflict and its sides
                                                 (kind/minor marks a minor one)
    A d0 000_899cae0fea57d263.txt                an alias for a long document name

A passage's stance is ``asserts`` unless suffixed: /att attributes, /hed hedges,
/q questions, /den denies, /pred predicts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import devset  # noqa: E402

CACHE = Path("/tmp/labels_cache")
SPECS = HERE / "specs"
STANCES = {"": "asserts", "att": "attributes", "hed": "hedges", "q": "questions",
           "den": "denies", "pred": "predicts"}
KINDS = ("value", "stance", "quotation", "attribution")


class SpecError(ValueError):
    """A spec line that names a missing sentence or is malformed."""


def specs_dir(key: str) -> Path:
    """Where the spec of a story key lives (the long-form set has its own folder)."""
    return devset.LONGFORM_SPECS if key.startswith(("basil-", "gvc-")) else SPECS


def listing(key: str) -> dict[str, tuple[int, int, str]]:
    """Sentence id -> (input start, input end, text) of a story, cached per story."""
    path = CACHE / f"{key}.tsv"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        rows = list(devset.sentences(key))
        path.write_text("".join(
            f"{sid}\t{s}\t{e}\t{' '.join(t.split())}\n" for sid, s, e, t in rows), encoding="utf-8")
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        sid, s, e, text = line.split("\t", 3)
        out[sid] = (int(s), int(e), text)
    return out


def _passage(token: str, known: dict, where: str, aliases: dict | None = None) -> tuple[str, str]:
    sid, _, mark = token.partition("/")
    doc, _, n = sid.rpartition(":")
    sid = f"{(aliases or {}).get(doc, doc)}:{n}"
    if sid not in known:
        raise SpecError(f"{where}: no sentence {sid!r}")
    if mark not in STANCES:
        raise SpecError(f"{where}: unknown stance mark {mark!r}")
    return sid, STANCES[mark]


def build(key: str) -> dict:
    """The label file of one story from its spec; every sentence id checked."""
    known = listing(key)
    spec = (specs_dir(key) / f"{key}.spec").read_text(encoding="utf-8")
    facts, boiler, conflicts, named = [], [], [], set()
    aliases: dict[str, str] = {}
    for number, raw in enumerate(spec.splitlines(), 1):
        line = raw.strip()
        where = f"{key}.spec:{number}"
        if not line or line.startswith("#"):
            continue
        tag, _, rest = line.partition(" ")
        if tag == "A":
            short, _, doc = rest.partition(" ")
            aliases[short] = doc.strip()
            continue
        if tag in ("F", "K"):
            note, _, body = rest.partition("::")
            passages = [_passage(t, known, where, aliases) for t in body.split()]
            if not passages or len(note.split()) > 10:
                raise SpecError(f"{where}: fact needs passages and a note of at most ten words")
            named.update(s for s, _ in passages)
            fact = {"id": f"F{len(facts) + 1}", "note": note.strip(),
                    "passages": [{"sent": s, "stance": st} for s, st in passages]}
            if tag == "K":
                fact["key"] = True
            facts.append(fact)
        elif tag == "B":
            for t in rest.split():
                sid = _passage(t, known, where, aliases)[0]
                boiler.append(sid)
                named.add(sid)
        elif tag == "C":
            kind, _, rest2 = rest.partition(" ")
            kind, _, severity = kind.partition("/")
            if kind not in KINDS:
                raise SpecError(f"{where}: unknown conflict kind {kind!r}")
            note, _, body = rest2.partition("::")
            sides = []
            for part in body.split(";"):
                value, _, sents = part.partition("=")
                ids = [_passage(t, known, where, aliases)[0] for t in sents.split()]
                if not ids:
                    raise SpecError(f"{where}: conflict side without sentences")
                named.update(ids)
                sides.append({"value": value.strip(), "sents": ids})
            if len(sides) < 2:
                raise SpecError(f"{where}: a conflict needs two sides")
            conflict = {"id": f"C{len(conflicts) + 1}", "kind": kind, "note": note.strip(), "sides": sides}
            if severity:
                conflict["severity"] = severity
            conflicts.append(conflict)
        else:
            raise SpecError(f"{where}: unknown line tag {tag!r}")

    def order(sid: str) -> tuple[str, int]:
        doc, _, n = sid.rpartition(":")
        return doc, int(n)

    return {"story": key,
            "sentences": {s: [known[s][0], known[s][1]] for s in sorted(named, key=order)},
            "facts": facts, "boilerplate": boiler, "conflicts": conflicts}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("show", "build"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "show":
        for sid, (s, e, text) in listing(argv[1]).items():
            print(f"{sid}\t[{s},{e})\t{text}")
        return 0
    if argv[1] == "--all":
        keys = [p.stem for folder in (SPECS, devset.LONGFORM_SPECS) for p in sorted(folder.glob("*.spec"))]
    else:
        keys = argv[1:]
    for key in keys:
        label = build(key)
        devset.labels_dir(key).mkdir(parents=True, exist_ok=True)
        (devset.labels_dir(key) / f"{key}.json").write_text(json.dumps(label, indent=1) + "\n", encoding="utf-8")
        multi = sum(1 for f in label["facts"] if len({p["sent"].rpartition(":")[0] for p in f["passages"]}) > 1)
        print(f"{key}: {len(label['facts'])} facts ({multi} multi-doc), "
              f"{len(label['boilerplate'])} boilerplate, {len(label['conflicts'])} conflicts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
