"""Benchmark: conflicts between outlets and disputed facts on the labelled dev sets (issues 10, 20).

For every dev story whose labels (``bench/facts/labels/KEY.json`` for the
roundups, ``bench/facts/longform/labels/KEY.json`` for the long-form BASIL
triplets and GVC incidents; guidelines in ``bench/facts/README.md``) hold a
``conflicts`` entry, accord makes the dossier and each predicted conflict is
matched to the gold ones: a predicted conflict matches a gold conflict when
two of its sides have support spans that overlap, by input offsets,
sentences of two different gold sides of that conflict. Precision is the
share of predicted conflicts that match a gold one; recall the share of gold
conflicts matched by some prediction.

Disputed facts: the share of a story's facts that each method marks
disputed, and the share of disputed facts with a labelled disputing passage
(a labelled passage that denies or questions, in the same document, inside
the fact's support) or a labelled conflict sentence in its support.

Printed in the same run, on the same analyses and facts:

- ``accord``   the conflicts stage of this tree;
- ``today``    the conflicts stage as it was before issue 20 (read from git at
  ``TODAY_COMMIT``; skipped when git or that commit is not at hand);
- ``baseline`` numbers with the same unit and different values in sentences
  of different documents that share two content words.

The long-form stories are scored on each half (odd-numbered labelled
stories in key order, then even-numbered); with ``--tune NAME=V1,V2 ...``
the setting with the best F1 on one half is reported on the other half, and
the reverse. The roundup dev set is scored whole.

    python bench/conflicts.py [--sets roundup longform] [--keys KEY ...]
                              [--cache DIR] [--show] [--stories] [--tune NAME=V1,V2]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import pickle
import importlib
import json
import re
import subprocess
import sys
import time
import types
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path
from typing import Any, Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devset  # noqa: E402

import accord  # noqa: E402
from accord.model import Analysis, Conflict, ConflictSide, Fact, Quote, Statement  # noqa: E402
from accord.settings import DEFAULT, Settings  # noqa: E402

compare_stage = importlib.import_module("accord.compare")

ROOT = Path(__file__).resolve().parents[1]
#: The last commit whose conflicts stage is the one issue 20 replaces (main
#: when issue 20 started).
TODAY_COMMIT = "2e89a3d"
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
    minor: bool = False


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
                                conflict.get("note", ""), tuple(sides), conflict.get("severity") == "minor"))
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


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    major: int = 0        # gold conflicts not labelled minor
    major_found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def major_recall(self) -> float:
        """Recall on the gold conflicts not labelled minor."""
        return self.major_found / self.major if self.major else 1.0


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
    score.major += sum(not g.minor for g in gold)
    score.major_found += sum(not g.minor and g.id in matched for g in gold)
    if show:
        for g in gold:
            if g.id not in matched:
                show(f"  FN {g.kind}: {g.note} {[[d for d, _, _ in side] for side in g.sides]}")




def labelled_keys(labels_dir: Path, keys: Sequence[str] | None = None) -> list[str]:
    """Dev-set keys whose labels in ``labels_dir`` hold a conflicts entry
    (by default the roundup keys; ``keys`` in their given order)."""
    chosen = []
    for key in keys if keys is not None else devset.keys():
        path = labels_dir / f"{key}.json"
        if path.exists() and "conflicts" in json.loads(path.read_text(encoding="utf-8")):
            chosen.append(key)
    return chosen


def longform_keys(labels_dir: Path = devset.LONGFORM_LABELS) -> list[str]:
    """The long-form keys labelled with conflicts, in devset order."""
    return labelled_keys(labels_dir, devset.longform_keys())


def halves(keys: Sequence[str]) -> dict[str, list[str]]:
    """Odd-numbered (1st, 3rd, ...) and even-numbered stories of a key list."""
    return {"odd": list(keys[0::2]), "even": list(keys[1::2])}


# --------------------------------------------------------------------------- stories


@dataclass
class Story:
    """One dev story with everything the conflicts stage reads: its analyses,
    quotes, statements and its facts as the facts stage left them (before
    any conflict marks them disputed)."""

    key: str
    names: dict[str, str]
    analyses: list[Analysis]
    quotes: list[Quote]
    statements: list[Statement]
    facts: list[Fact]
    gold: list[GoldConflict]
    labels: dict[str, Any]


def _source_digest(parts: Sequence[str]) -> str:
    """A digest of the source files of accord under ``parts`` (folders or
    files of src/accord), so a cache is dropped when their code changes."""
    digest = hashlib.sha256()
    base = ROOT / "src" / "accord"
    for part in parts:
        path = base / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.name == "conflicts.py" and file.parent.name == "compare":
                continue
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _cached(cache: Path | None, name: str, make: Callable[[], Any]) -> Any:
    if cache is not None:
        path = cache / f"{name}.pickle"
        if path.exists():
            return pickle.loads(path.read_bytes())
    value = make()
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(value))
    return value


def _comparison_inputs(analyses: Sequence[Analysis]) -> tuple[list[Quote], list[Statement], list[Fact]]:
    """What ``accord.compare.compare`` gives the conflicts stage: its quotes,
    statements and facts (copied before ``mark_disputed`` changes them)."""
    captured: dict[str, Any] = {}
    real_find, real_mark = compare_stage.find_conflicts, compare_stage.mark_disputed

    def find(analyses, statements, quotes, facts, **_: Any):  # type: ignore[no-untyped-def]
        captured.update(statements=statements, quotes=quotes, facts=copy.deepcopy(facts))
        return []

    compare_stage.find_conflicts, compare_stage.mark_disputed = find, lambda facts, conflicts: None
    try:
        compare_stage.compare(analyses)
    finally:
        compare_stage.find_conflicts, compare_stage.mark_disputed = real_find, real_mark
    return captured["quotes"], captured["statements"], captured["facts"]


def load_story(key: str, labels_dir: Path, cache: Path | None) -> Story:
    """One story with its labels (none when not labelled), its analyses and
    comparison inputs from ``cache`` when they were made by the same code."""
    path = labels_dir / f"{key}.json"
    labels = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    items = devset.sources(key)
    analysed = _source_digest(["clean", "analyze", "ingest", "model.py", "settings.py"])
    batch = _cached(cache, f"batch-{key}-{analysed}", lambda: accord.analyze([s.item for s in items]))
    compared = _source_digest(["clean", "analyze", "ingest", "model.py", "settings.py", "compare", "group"])
    quotes, statements, facts = _cached(cache, f"compare-{key}-{compared}",
                                        lambda: _comparison_inputs(batch.analyses))
    names = {d.id: s.name for d, s in zip(batch.documents, items)}
    return Story(key, names, batch.analyses, quotes, statements, facts, gold_conflicts(labels), labels)


# --------------------------------------------------------------------------- methods


Method = Callable[[Story, Settings], tuple[list[Conflict], list[Fact]]]


def accord_method(story: Story, settings: Settings = DEFAULT) -> tuple[list[Conflict], list[Fact]]:
    """The conflicts and the facts after ``mark_disputed`` of this tree."""
    from accord.compare import conflicts as stage

    facts = copy.deepcopy(story.facts)
    conflicts = stage.find_conflicts(story.analyses, story.statements, story.quotes, facts, settings=settings)
    stage.mark_disputed(facts, conflicts)
    return conflicts, facts


def today_method() -> Method | None:
    """The conflicts stage of ``TODAY_COMMIT``, run on this tree's statements
    and facts, or None when git cannot give it."""
    try:
        source = subprocess.run(["git", "show", f"{TODAY_COMMIT}:src/accord/compare/conflicts.py"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("accord.compare._conflicts_today")
    module.__package__ = "accord.compare"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "conflicts_today.py", "exec"), module.__dict__)  # noqa: S102 - our own history

    def run(story: Story, settings: Settings = DEFAULT) -> tuple[list[Conflict], list[Fact]]:
        facts = copy.deepcopy(story.facts)
        conflicts = module.find_conflicts(story.analyses, story.statements, story.quotes, facts)
        module.mark_disputed(facts, conflicts)
        return conflicts, facts

    return run


def baseline_method(story: Story, settings: Settings = DEFAULT) -> tuple[list[Conflict], list[Fact]]:
    """The same-unit-numbers baseline (it marks no fact)."""
    return baseline(story.analyses), []


# --------------------------------------------------------------------------- disputed facts


@dataclass
class Disputed:
    facts: int = 0
    disputed: int = 0
    justified: int = 0

    @property
    def share(self) -> float:
        return self.disputed / self.facts if self.facts else 0.0

    @property
    def justified_share(self) -> float:
        return self.justified / self.disputed if self.disputed else 1.0

    def add(self, other: "Disputed") -> None:
        self.facts += other.facts
        self.disputed += other.disputed
        self.justified += other.justified


def disputing_spans(story: Story) -> list[tuple[str, int, int]]:
    """Input spans (document name, start, end) of the labelled passages that
    deny or question a fact, and of the sentences of labelled conflicts."""
    offsets = story.labels.get("sentences", {})
    out = []
    for fact in story.labels.get("facts", []):
        for passage in fact.get("passages", []):
            if passage.get("stance") in ("denies", "questions") and passage.get("sent") in offsets:
                start, end = offsets[passage["sent"]]
                out.append((passage["sent"].rsplit(":", 1)[0], int(start), int(end)))
    for gold in story.gold:
        for side in gold.sides:
            out.extend(side)
    return out


def disputed_figures(story: Story, facts: Sequence[Fact]) -> Disputed:
    """How many of a method's facts it marks disputed, and how many of those
    have a labelled disputing passage or conflict sentence in their support."""
    spans = disputing_spans(story)
    out = Disputed(facts=len(facts))
    for fact in facts:
        if fact.status != "disputed":
            continue
        out.disputed += 1
        if any(span.raw is not None and any(doc == story.names.get(span.doc) and span.raw[0] < end
                                             and start < span.raw[1] for doc, start, end in spans)
               for span in fact.support):
            out.justified += 1
    return out


# --------------------------------------------------------------------------- evaluation


@dataclass
class Result:
    """One method's figures on a set of stories."""

    score: Score
    disputed: Disputed

    @property
    def f1(self) -> float:
        p, r = self.score.precision, self.score.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate_stories(stories: Sequence[Story], methods: dict[str, Method], *, settings: Settings = DEFAULT,
                     show: bool = False, per_story: bool = False) -> dict[str, Result]:
    """Score each method on the stories; returns the figures by method name."""
    results = {name: Result(Score(), Disputed()) for name in methods}
    for story in stories:
        if show:
            print(f"{story.key}: {len(story.gold)} gold")
        line = []
        for name, method in methods.items():
            conflicts, facts = method(story, settings)
            score_story(conflicts, story.names, story.gold, results[name].score,
                        print if show and name == "accord" else None)
            if name != "baseline":
                figures = disputed_figures(story, facts)
                results[name].disputed.add(figures)
                line.append(f"{name} {figures.disputed}/{figures.facts} disputed ({figures.share:.0%}), "
                            f"{figures.justified} with a labelled dispute")
        if per_story:
            print(f"  {story.key:22} " + "; ".join(line))
    return results


def evaluate(labels_dir: Path, keys: Sequence[str] | None = None, *, show: bool = False,
             methods: dict[str, Method] | None = None, cache: Path | None = None,
             settings: Settings = DEFAULT) -> dict[str, Score]:
    """Score each method on the labelled stories of ``labels_dir``; returns
    the conflict scores by method name."""
    methods = methods or {"accord": accord_method}
    stories = [load_story(key, labels_dir, cache) for key in labelled_keys(labels_dir, keys)]
    return {name: r.score for name, r in evaluate_stories(stories, methods, settings=settings, show=show).items()}


def print_table(title: str, results: dict[str, Result]) -> None:
    print(title)
    print(f"  {'method':9} {'predicted':>9} {'correct':>7} {'gold':>5} {'found':>5} {'precision':>9} {'recall':>6}"
          f" {'not minor':>9} {'disputed':>13} {'with label':>10}")
    for name, result in results.items():
        s, d = result.score, result.disputed
        disputed = f"{d.disputed}/{d.facts} {d.share:4.0%}" if name != "baseline" else "-"
        justified = f"{d.justified_share:.0%}" if name != "baseline" else "-"
        print(f"  {name:9} {s.predicted:9d} {s.correct:7d} {s.gold:5d} {s.found:5d} {s.precision:9.3f} {s.recall:6.3f}"
              f" {s.major_recall:9.3f} {disputed:>13} {justified:>10}")


def _grid(specs: Sequence[str]) -> list[Settings]:
    """Settings for every combination of ``NAME=V1,V2`` values."""
    grid = [DEFAULT]
    for spec in specs:
        name, _, values = spec.partition("=")
        kind = type(getattr(DEFAULT, name))
        grid = [replace(s, **{name: kind(v)}) for s in grid for v in values.split(",")]
    return grid


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=["roundup", "longform"], choices=["roundup", "longform"])
    parser.add_argument("--keys", nargs="*", help="only these stories")
    parser.add_argument("--cache", type=Path, help="folder to keep analyses and facts in between runs")
    parser.add_argument("--show", action="store_true", help="print the misses of accord")
    parser.add_argument("--stories", action="store_true", help="print the disputed facts of every story")
    parser.add_argument("--tune", nargs="*", default=[], help="NAME=V1,V2: settings to tune on each long-form half")
    args = parser.parse_args(argv)
    methods: dict[str, Method] = {"accord": accord_method}
    today = today_method()
    if today is not None:
        methods["today"] = today
    methods["baseline"] = baseline_method
    started = time.perf_counter()
    if "roundup" in args.sets:
        keys = labelled_keys(devset.LABELS, args.keys)
        stories = [load_story(k, devset.LABELS, args.cache) for k in keys]
        results = evaluate_stories(stories, methods, show=args.show, per_story=args.stories)
        print_table(f"roundup dev set: {len(stories)} stories, {results['accord'].score.gold} gold conflicts "
                    f"({time.perf_counter() - started:.0f} s)", results)
    if "longform" in args.sets:
        keys = [k for k in longform_keys() if not args.keys or k in args.keys]
        if not keys:
            print(f"no labelled conflicts in {devset.LONGFORM_LABELS}", file=sys.stderr)
            return 1
        stories = {k: load_story(k, devset.LONGFORM_LABELS, args.cache) for k in keys}
        split = halves(keys)
        grid = _grid(args.tune)
        for tune, report in (("odd", "even"), ("even", "odd")):
            chosen = DEFAULT
            if len(grid) > 1:
                tuned = [evaluate_stories([stories[k] for k in split[tune]], {"accord": accord_method}, settings=g)
                         for g in grid]
                chosen = grid[max(range(len(grid)), key=lambda i: (tuned[i]["accord"].f1, -i))]
                print(f"tuned on {tune}: " + ", ".join(f"{spec.split('=')[0]} {getattr(chosen, spec.split('=')[0])}"
                                                       for spec in args.tune))
            results = evaluate_stories([stories[k] for k in split[report]], methods, settings=chosen,
                                       show=args.show, per_story=args.stories)
            print_table(f"long-form {report} half (tuned on {tune}): {len(split[report])} stories, "
                        f"{results['accord'].score.gold} gold conflicts ({time.perf_counter() - started:.0f} s)",
                        results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
