"""Entity merges across the documents of a story: no false merge, and the
variants of one name (transliterations, name order, surname alone, acronyms)
merged.

The stories: the first ``STORY_COUNT`` AllSides keys of the dev set
(``bench/devset.py keys``) and its five-report corpus ``corpus-rubio-lavrov``.
People, organisations and places (the tagger's PERSON, ORG, GPE, LOC, FAC;
not nationalities, NORP). Labels (``bench/entities/labels.tsv``, guidelines in
``bench/entities/README.md``) are pairs of mentions, each named by its document
and its offsets into the input text, with "y" (the two mentions name one
person, organisation or place) or "n" (two different ones); never the text.
Pairs come from what a labeller must check: every two forms accord put in one
entity, and every two forms of different entities that look alike (one word
or its transliteration key in common, one form inside the other, an acronym).

Scored: false merges = "n" pairs accord put in one entity (must be 0);
recall of variant merges = "y" pairs of different forms accord put in one
entity, over all "y" pairs. A baseline beside them: exact form match (after
dropping "the" and a possessive) -- merges what is written the same only.

    python bench/entities.py            # the figures
    python bench/entities.py --dump     # pairs to label that have no label
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devset  # noqa: E402

import accord  # noqa: E402
from accord.compare.entities import _acronym, _person_words, name_key  # noqa: E402

LABELS = Path(__file__).resolve().parent / "entities" / "labels.tsv"
STORY_COUNT = 14
TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC"}

Key = tuple[str, int, int]  # (source name, input start, input end)


@dataclass
class Story:
    key: str
    forms: dict[Key, str]  # every labelled-able mention: its text
    entity_of: dict[Key, str]  # mention -> accord's entity id
    label_of: dict[Key, str]  # mention -> its tagger label


def load_story(key: str) -> Story:
    """accord's entities of one dev story, by mention input offsets."""
    items = devset.sources(key)
    batch = accord.analyze([s.item for s in items])
    names = {d.id: s.name for d, s in zip(batch.documents, items)}
    from accord.compare import compare

    result = compare(batch.analyses)
    forms: dict[Key, str] = {}
    entity_of: dict[Key, str] = {}
    label_of: dict[Key, str] = {}
    docs = {a.document.id: a.document for a in batch.analyses}
    for entity in result.entities:
        if entity.type not in TYPES:
            continue
        for span in entity.mentions:
            document = docs[span.doc]
            raw = document.offsets.source_span(span.start, span.end)
            if raw is None:
                continue
            k = (names[span.doc], raw[0], raw[1])
            forms[k] = document.text[span.start : span.end]
            entity_of[k] = entity.id
            label_of[k] = entity.type
    return Story(key, forms, entity_of, label_of)


def _plain(form: str) -> str:
    form = re.sub(r"^(?:the)\s+", "", form.strip(), flags=re.I)
    return re.sub(r"[’']s$", "", form).strip()


def looks_alike(a: str, b: str) -> bool:
    """Whether two forms might name one thing: a word key in common, one form
    inside the other, or one the acronym of the other."""
    pa, pb = _plain(a), _plain(b)
    if pa.lower() == pb.lower():
        return False  # the same form: no variant to judge
    ka = {name_key(w) for w in _person_words(pa)} - {""}
    kb = {name_key(w) for w in _person_words(pb)} - {""}
    if ka & kb:
        return True
    if pa.lower() in pb.lower() or pb.lower() in pa.lower():
        return True
    ca, cb = pa.replace(".", "").upper(), pb.replace(".", "").upper()
    return (_acronym(pa) or "") == cb or (_acronym(pb) or "") == ca


def candidate_pairs(story: Story) -> list[tuple[Key, Key]]:
    """One representative mention per (entity, form); the pairs a labeller checks."""
    reps: dict[tuple[str, str], Key] = {}
    for k in sorted(story.forms):
        reps.setdefault((story.entity_of[k], _plain(story.forms[k]).lower()), k)
    keys = sorted(reps.values())
    out = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            same = story.entity_of[a] == story.entity_of[b]
            if same or looks_alike(story.forms[a], story.forms[b]):
                out.append((a, b))
    return out


def read_labels(path: Path = LABELS) -> dict[str, dict[tuple[Key, Key], bool]]:
    out: dict[str, dict[tuple[Key, Key], bool]] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        story, da, sa, ea, db, sb, eb, same = line.split("\t")[:8]
        a, b = (da, int(sa), int(ea)), (db, int(sb), int(eb))
        if same in {"y", "n"}:  # "x": not a person, organisation or place
            out.setdefault(story, {})[(a, b)] = same == "y"
    return out


@dataclass
class Tally:
    same: int = 0
    same_merged: int = 0
    different: int = 0
    false_merges: int = 0

    def line(self, name: str) -> str:
        recall = self.same_merged / self.same if self.same else 0.0
        return (
            f"{name:<12} false merges {self.false_merges} of {self.different} different pairs  "
            f"variant-merge recall {recall:.3f} ({self.same_merged}/{self.same})"
        )


def score(stories: list[Story], labels: dict[str, dict[tuple[Key, Key], bool]]) -> tuple[Tally, Tally, int]:
    """(accord, exact-form baseline, labels whose mentions accord no longer has)."""
    ours, base, missing = Tally(), Tally(), 0
    for story in stories:
        for (a, b), same in labels.get(story.key, {}).items():
            if a not in story.forms or b not in story.forms:
                missing += 1
                continue
            merged = story.entity_of[a] == story.entity_of[b]
            exact = _plain(story.forms[a]).lower() == _plain(story.forms[b]).lower()
            for tally, m in ((ours, merged), (base, exact)):
                if same:
                    tally.same += 1
                    tally.same_merged += m
                else:
                    tally.different += 1
                    tally.false_merges += m
    return ours, base, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", action="store_true", help="print unlabelled pairs to label")
    parser.add_argument("--stories", type=int, default=STORY_COUNT)
    args = parser.parse_args(argv)
    keys = [k for k in devset.keys() if k.startswith("allsides-")][: args.stories] + ["corpus-rubio-lavrov"]
    stories = [load_story(k) for k in keys]
    labels = read_labels()
    if args.dump:
        for story in stories:
            known = labels.get(story.key, {})
            for a, b in candidate_pairs(story):
                if (a, b) in known or (b, a) in known:
                    continue
                merged = "MERGED" if story.entity_of[a] == story.entity_of[b] else "apart"
                print(
                    f"{story.key}\t{a[0]}\t{a[1]}\t{a[2]}\t{b[0]}\t{b[1]}\t{b[2]}\t?\t"
                    f"# {merged} {story.label_of[a]}:{story.forms[a]!r} ~ {story.label_of[b]}:{story.forms[b]!r}"
                )
        return 0
    ours, base, missing = score(stories, labels)
    print(f"entities: {len(stories)} dev stories, {sum(len(v) for v in labels.values())} labelled pairs ({missing} no longer found)")
    print(ours.line("accord"))
    print(base.line("exact form"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
