"""Claim stance, assertor and passage kind against the labelled sample of
``bench/stance/labels.json`` (208 claims of real articles outside the dev set;
guidelines in ``bench/stance/README.md``).

For each labelled sentence the claim accord emits over it (the claim that
covers most of the label, at least half of it) is compared with the label.
Printed beside each figure: the trivial baseline that always answers the
majority label (asserts / reporting / the outlet's own voice). Accuracy, and
macro-F1 over the classes (the baseline's macro-F1 shows how little the
majority answer says about the other classes).

A second, independent measure uses the labelled dev set (bench/devset.py;
labels in bench/facts/labels/*.json, or the labels helper's worktree, or
$ACCORD_LABELS), which this module's rules were not developed on: every
passage of a labelled fact has a stance (asserts, attributes, hedges,
questions, denies, predicts); accord's reading of the claim over that sentence
gives its stance (a labelled ``attributes`` counts as ``asserts``: who asserts
is the assertor's business). The dev labels' stance is relative to the labelled fact (a plan reported as
planned, "X will stop Y", *asserts* the fact "X will stop Y"), while a claim's
stance is the sentence's own modality (predicts), so the two differ by
definition on predictions and on facts stated negatively: the figure is
context, not a target.

    python bench/stance.py [--limit N] [--errors] [--devset]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import accord
from accord.runner import input_key
from accord.analyze.stance import UNNAMED
from accord.model import Claim

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "bench" / "stance" / "labels.json"
ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
EXTRACTION = SHARED / "bench" / "extraction" / "ground-truth.json"
FIELDS = ("stance", "passage", "assertor")
DEV_LABELS = [Path(os.environ["ACCORD_LABELS"])] if os.environ.get("ACCORD_LABELS") else [
    ROOT / "bench" / "facts" / "labels",
    ROOT.parent / "labels" / "bench" / "facts" / "labels",
]
BASELINE = {"stance": "asserts", "passage": "reporting", "assertor": "outlet"}


@dataclass(frozen=True, slots=True)
class Figures:
    """Accuracy and macro-F1 of one field, for accord and for the baseline."""

    field: str
    accuracy: float
    macro_f1: float
    baseline_accuracy: float
    baseline_macro_f1: float
    matched: int


def labels() -> list[dict[str, Any]]:
    """The labelled claims."""
    return json.loads(LABELS.read_text(encoding="utf-8"))["claims"]


def _inputs(docs: list[str]) -> dict[str, accord.Article]:
    """The Article of every labelled document, built as when it was labelled."""
    wanted = set(docs)
    out: dict[str, accord.Article] = {}
    roundups = {}
    if any(d.startswith("allsides:") for d in wanted):
        for line in ROUNDUPS.open(encoding="utf-8"):
            row = json.loads(line)
            roundups[row["id"]] = row
    truth = json.loads(EXTRACTION.read_text(encoding="utf-8")) if any(d.startswith("extraction:") for d in wanted) else {}
    for name in sorted(wanted):
        kind, rest = name.split(":", 1)
        if kind == "allsides":
            number, side = rest.split(":")
            news = roundups[int(number)]["news"][side]
            text = "\n\n".join(p.strip() for p in news["newBody"] if p.strip())
            published = (roundups[int(number)].get("date") or "")[:10] or None
            out[name] = accord.Article(text, title=news.get("newsTitle"), outlet=news.get("newsSource"), url=news.get("newsLink"), published=published)
        else:
            page = truth[rest]
            out[name] = accord.Article(page["articleBody"], url=page["url"])
    return out


def assertor_class(assertor: str | None) -> str:
    """outlet (own voice), unnamed, or source (a named source)."""
    if assertor is None:
        return "outlet"
    return "unnamed" if assertor == UNNAMED else "source"


def predictions(rows: list[dict[str, Any]]) -> list[dict[str, str] | None]:
    """accord's reading of each labelled sentence (None where no claim covers it)."""
    articles = _inputs(sorted({r["doc"] for r in rows}))
    # In the order accord numbers its inputs, so that names pair with analyses.
    names = sorted(articles, key=lambda n: input_key(articles[n]))
    batch = accord.analyze([articles[n] for n in names])
    claims: dict[str, list[Claim]] = {n: a.claims for n, a in zip(names, batch.analyses)}
    out: list[dict[str, str] | None] = []
    for row in rows:
        best, best_overlap = None, 0
        for claim in claims[row["doc"]]:
            raw = claim.span.raw
            if raw is None:
                continue
            overlap = min(raw[1], row["end"]) - max(raw[0], row["start"])
            if overlap > best_overlap:
                best, best_overlap = claim, overlap
        if best is None or best_overlap < 0.5 * (row["end"] - row["start"]):
            out.append(None)
            continue
        out.append({"stance": best.stance, "passage": best.passage, "assertor": assertor_class(best.assertor), "text": best.span.text})
    return out


def macro_f1(gold: list[str], guess: list[str]) -> float:
    """Mean F1 over the classes present in the gold labels."""
    scores = []
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, guess) if g == p == label)
        fp = sum(1 for g, p in zip(gold, guess) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, guess) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def evaluate(limit: int | None = None, *, errors: bool = False) -> list[Figures]:
    """The figures of every field on the first ``limit`` labels (all by default)."""
    rows = labels()[:limit] if limit else labels()
    guesses = predictions(rows)
    pairs = [(r, g) for r, g in zip(rows, guesses) if g is not None]
    figures = []
    for field in FIELDS:
        gold = [r[field] for r, _ in pairs]
        guess = [g[field] for _, g in pairs]
        base = [BASELINE[field]] * len(gold)
        n = max(1, len(gold))
        figures.append(Figures(
            field,
            sum(a == b for a, b in zip(gold, guess)) / n,
            macro_f1(gold, guess),
            sum(a == b for a, b in zip(gold, base)) / n,
            macro_f1(gold, base),
            len(pairs),
        ))
        if errors:
            confusion = Counter((a, b) for a, b in zip(gold, guess) if a != b)
            print(f"{field} errors (gold -> accord): {dict(confusion.most_common())}", file=sys.stderr)
            for r, g in pairs:
                if r[field] != g[field]:
                    print(f"  {r[field]:>11} -> {g[field]:<11} {g['text'][:150]!r}", file=sys.stderr)
    return figures


def devset_stances(*, errors: bool = False) -> tuple[float, float, float, float, int] | None:
    """(accuracy, macro-F1, baseline accuracy, baseline macro-F1, passages)
    of passage stances on the labelled dev set, or None without labels."""
    folder = next((d for d in DEV_LABELS if d.is_dir() and any(d.glob("*.json"))), None)
    if folder is None:
        return None
    sys.path.insert(0, str(ROOT / "bench"))
    import devset  # noqa: PLC0415 (bench/ is not a package)

    gold, guess = [], []
    for path in sorted(folder.glob("*.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))
        passages = [(p["sent"], p["stance"]) for f in labels.get("facts", []) for p in f.get("passages", [])]
        if not passages:
            continue
        sources = devset.sources(path.stem)
        batch = accord.analyze([s.item for s in sources])
        claims = {s.name: a.claims for s, a in zip(sources, batch.analyses)}
        for sid, stance in passages:
            if sid not in labels.get("sentences", {}):
                continue
            start, end = labels["sentences"][sid]
            best, best_overlap = None, 0
            for claim in claims.get(sid.rsplit(":", 1)[0], []):
                raw = claim.span.raw
                if raw is not None and min(raw[1], end) - max(raw[0], start) > best_overlap:
                    best, best_overlap = claim, min(raw[1], end) - max(raw[0], start)
            if best is None or best_overlap < 0.5 * (end - start):
                continue
            # attribution is the assertor's business, not the stance's
            gold.append("asserts" if stance == "attributes" else stance)
            guess.append(best.stance)
            reading = best.stance
            if errors and reading != gold[-1]:
                print(f"  dev {stance:>10} -> {reading:<10} {best.span.text[:140]!r}", file=sys.stderr)
    if not gold:
        return None
    n = len(gold)
    base = ["asserts"] * n
    return (sum(a == b for a, b in zip(gold, guess)) / n, macro_f1(gold, guess),
            sum(a == b for a, b in zip(gold, base)) / n, macro_f1(gold, base), n)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="score the first N labels only")
    parser.add_argument("--errors", action="store_true", help="list the disagreements on stderr")
    parser.add_argument("--devset", action="store_true", help="also score passage stances of the labelled dev set")
    args = parser.parse_args(argv)
    figures = evaluate(args.limit, errors=args.errors)
    total = len(labels()[: args.limit] if args.limit else labels())
    print(f"claims labelled: {total}, matched to an accord claim: {figures[0].matched}")
    print(f"{'field':<10} {'accuracy':>9} {'baseline':>9} {'macro-F1':>9} {'baseline':>9}")
    for f in figures:
        print(f"{f.field:<10} {f.accuracy:>9.3f} {f.baseline_accuracy:>9.3f} {f.macro_f1:>9.3f} {f.baseline_macro_f1:>9.3f}")
    if args.devset:
        dev = devset_stances(errors=args.errors)
        if dev is None:
            print("dev set: no labelled fact passages found")
        else:
            accuracy, f1, base_accuracy, base_f1, n = dev
            print(f"dev set passage stances ({n} passages; labelled 'attributes' counted as asserts)")
            print(f"{'stance':<10} {accuracy:>9.3f} {base_accuracy:>9.3f} {f1:>9.3f} {base_f1:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
