"""Benchmark: conflicts between outlets on the labelled dev set (issue 10).

For every dev story whose labels (``bench/facts/labels/KEY.json``, guidelines in
``bench/facts/README.md``) hold a ``conflicts`` entry, accord makes the dossier
and each predicted conflict is matched to the gold ones: a predicted conflict
matches a gold conflict when two of its sides have support spans that overlap,
by input offsets, sentences of two different gold sides of that conflict.
Precision is the share of predicted conflicts that match a gold one; recall
the share of gold conflicts matched by some prediction.

Printed in the same run, on the same analyses:

- ``accord``   the conflicts stage of this tree;
- ``before``   the conflicts stage as it was before issue 10 (read from git at
  ``BEFORE_COMMIT``; skipped when git or that commit is not at hand);
- ``baseline`` numbers with the same unit and different values in sentences
  of different documents that share two content words.

    python bench/conflicts.py [--labels DIR] [--keys KEY ...] [--show]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import time
import types
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devset  # noqa: E402

import accord  # noqa: E402
from accord.model import Analysis, Conflict, ConflictSide  # noqa: E402

compare_stage = importlib.import_module("accord.compare")

ROOT = Path(__file__).resolve().parents[1]
#: The last commit whose conflicts stage is the one issue 10 replaces.
BEFORE_COMMIT = "b58e9a2"
_WORD = re.compile(r"[A-Za-z]{3,}")


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldConflict:
    """A labelled disagreement: each side is a list of (document name, input start, input end)."""

    story: str
    id: str
    kind: str
    note: str
    sides: tuple[tuple[tuple[str, int, int], ...], ...]


def gold_conflicts(labels: dict[str, Any]) -> list[GoldConflict]:
    """The labelled conflicts of one story with the input offsets of their sentences."""
    offsets = labels.get("sentences", {})
    out = []
    for conflict in labels.get("conflicts", []):
        sides = []
        for side in conflict.get("sides", []):
            spans = []
            for sent in side.get("sents", []):
                if sent in offsets:
                    start, end = offsets[sent]
                    spans.append((sent.rsplit(":", 1)[0], int(start), int(end)))
            sides.append(tuple(spans))
        out.append(GoldConflict(labels.get("story", ""), conflict.get("id", ""), conflict.get("kind", ""),
                                conflict.get("note", ""), tuple(sides)))
    return out


def _sides_hit(conflict: Conflict, names: dict[str, str], gold: GoldConflict) -> bool:
    """Whether two different sides of ``conflict`` overlap sentences of two
    different sides of ``gold`` (by input offsets)."""
    hits: list[set[int]] = []
    for side in conflict.sides:
        touched = set()
        for span in side.support:
            if span.raw is None:
                continue
            name = names.get(span.doc)
            for index, gold_side in enumerate(gold.sides):
                if any(doc == name and span.raw[0] < end and start < span.raw[1] for doc, start, end in gold_side):
                    touched.add(index)
        hits.append(touched)
    for a, b in combinations(range(len(hits)), 2):
        if any(x != y for x in hits[a] for y in hits[b]):
            return True
    return False


# --------------------------------------------------------------------------- methods


def baseline(analyses: Sequence[Analysis]) -> list[Conflict]:
    """Numbers with the same kind and unit but different values in sentences
    of different documents that share two content words (other than the
    unit): one conflict per pair of sentences."""
    from spacy.lang.en.stop_words import STOP_WORDS

    rows = []
    for analysis in analyses:
        for start, end in analysis.sentences:
            text = analysis.document.text[start:end]
            words = {w.lower() for w in _WORD.findall(text)} - STOP_WORDS
            inside = [q for q in analysis.quantities if start <= q.span.start and q.span.end <= end]
            for quantity in inside:
                rows.append((analysis.document.id, start, end, words - {quantity.unit}, quantity))
    conflicts = []
    seen = set()
    for a, b in combinations(rows, 2):
        if a[0] == b[0] or (a[4].kind, a[4].unit) != (b[4].kind, b[4].unit) or a[4].value == b[4].value:
            continue
        if len(a[3] & b[3]) < 2 or (a[:3], b[:3]) in seen:
            continue
        seen.add((a[:3], b[:3]))
        conflicts.append(Conflict("", f"the {a[4].unit}", [
            ConflictSide(a[4].span.text, None, [a[4].span]), ConflictSide(b[4].span.text, None, [b[4].span])]))
    return conflicts


def accord_method(analyses: Sequence[Analysis]) -> list[Conflict]:
    """The conflicts of this tree's compare stage."""
    return compare_stage.compare(analyses).conflicts


def before_method() -> Callable[[Sequence[Analysis]], list[Conflict]] | None:
    """The conflicts stage of ``BEFORE_COMMIT``, run on this tree's statements
    and facts, or None when git cannot give it."""
    try:
        source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:src/accord/compare/conflicts.py"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("accord.compare._conflicts_before")
    module.__package__ = "accord.compare"
    exec(compile(source, "conflicts_before.py", "exec"), module.__dict__)  # noqa: S102 - our own history

    def run(analyses: Sequence[Analysis]) -> list[Conflict]:
        comparison = compare_stage.compare(analyses)
        return module.find_conflicts(analyses, comparison.statements, comparison.quotes, comparison.facts)

    return run


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


def score_story(conflicts: Sequence[Conflict], names: dict[str, str], gold: Sequence[GoldConflict], score: Score,
                show: Callable[[str], None] | None = None) -> None:
    """Add one story's predictions and gold conflicts to ``score``."""
    matched: set[str] = set()
    for conflict in conflicts:
        hits = [g.id for g in gold if _sides_hit(conflict, names, g)]
        score.predicted += 1
        if hits:
            score.correct += 1
            matched.update(hits)
        elif show:
            show(f"  FP {conflict.kind}: {conflict.topic} | " + " || ".join(
                f"{s.value[:60]} [{','.join(names.get(x.doc, x.doc) for x in s.support)}]" for s in conflict.sides))
    score.gold += len(gold)
    score.found += len(matched)
    if show:
        for g in gold:
            if g.id not in matched:
                show(f"  FN {g.kind}: {g.note} {[[d for d, _, _ in side] for side in g.sides]}")


def labelled_keys(labels_dir: Path, keys: Sequence[str] | None = None) -> list[str]:
    """Dev-set keys whose labels in ``labels_dir`` hold a conflicts entry."""
    chosen = []
    for key in keys or devset.keys():
        path = labels_dir / f"{key}.json"
        if path.exists() and "conflicts" in json.loads(path.read_text(encoding="utf-8")):
            chosen.append(key)
    return chosen


def evaluate(labels_dir: Path, keys: Sequence[str] | None = None, *, show: bool = False,
             methods: dict[str, Callable[[Sequence[Analysis]], list[Conflict]]] | None = None) -> dict[str, Score]:
    """Score each method on the labelled stories; returns the scores by method name."""
    if methods is None:
        methods = {"accord": accord_method}
    scores = {name: Score() for name in methods}
    for key in labelled_keys(labels_dir, keys):
        labels = json.loads((labels_dir / f"{key}.json").read_text(encoding="utf-8"))
        gold = gold_conflicts(labels)
        items = devset.sources(key)
        batch = accord.analyze([s.item for s in items])
        names = {d.id: s.name for d, s in zip(batch.documents, items)}
        if show:
            print(f"{key}: {len(gold)} gold")
        for name, method in methods.items():
            score_story(method(batch.analyses), names, gold, scores[name],
                        print if show and name == "accord" else None)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=devset.LABELS, help="folder of the KEY.json labels")
    parser.add_argument("--keys", nargs="*", help="only these stories")
    parser.add_argument("--show", action="store_true", help="print the misses of accord")
    args = parser.parse_args(argv)
    methods: dict[str, Callable[[Sequence[Analysis]], list[Conflict]]] = {"accord": accord_method}
    before = before_method()
    if before is not None:
        methods["before"] = before
    methods["baseline"] = baseline
    started = time.perf_counter()
    keys = labelled_keys(args.labels, args.keys)
    if not keys:
        print(f"no labelled conflicts in {args.labels}", file=sys.stderr)
        return 1
    scores = evaluate(args.labels, keys, show=args.show, methods=methods)
    gold = next(iter(scores.values())).gold
    print(f"conflicts on {len(keys)} labelled stories, {gold} gold conflicts ({time.perf_counter() - started:.0f} s)")
    print(f"{'method':10} {'predicted':>9} {'correct':>8} {'precision':>9} {'recall':>7}")
    for name, score in scores.items():
        print(f"{name:10} {score.predicted:9d} {score.correct:8d} {score.precision:9.3f} {score.recall:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
