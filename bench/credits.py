"""Benchmark: the wire service an article comes from, as ingest reads it from
the article's words, against PolNeAR's ``wire`` column.

PolNeAR (../shared/bench/polnear) gives, per article, the wire service whose
story the outlet ran: "AP", "UPI", "AFP", "reuters"/"Reuters", "None" (the
outlet's own reporting) or "NA" (not recorded: all West Journal articles,
which are left out). The prediction for an article is the wire that
``accord.ingest.metadata.find_credits`` finds crediting the whole text (a
dateline "(AP) —", "(UPI) —", a Reuters sign-off "(Reporting by ...)"), as
ingest sets ``RawDocument.wire``; credits of a single passage ("Reuters
reported") do not make an article a wire story.

Prints, per wire service and overall (micro-averaged over the services),
precision = right / predicted and recall = right / gold, over train and dev.

    python bench/credits.py [--split train dev] [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from accord.ingest.metadata import find_credits, wire_of

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "polnear"
# How the column writes "no wire" and "not recorded".
NO_WIRE = "None"
NOT_RECORDED = "NA"


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision and recall of one service (or of all of them)."""

    right: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0


def gold_wires(splits: list[str]) -> dict[Path, str | None]:
    """The text file of every article whose wire is recorded, and its wire
    (one name per service, None for the outlet's own reporting)."""
    out: dict[Path, str | None] = {}
    with open(BENCH / "metadata.tsv", newline="", encoding="utf-8") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            if row["compartment"] not in splits or row["wire"] == NOT_RECORDED:
                continue
            wire = None if row["wire"] == NO_WIRE else wire_of(row["wire"])
            if row["wire"] != NO_WIRE and wire is None:
                sys.exit(f"unknown wire {row['wire']!r} in metadata.tsv: add it to metadata._WIRES")
            out[BENCH / row["compartment"] / "text" / f"{row['filename']}.txt"] = wire
    return out


def predicted_wire(text: str) -> str | None:
    """The wire service that credits the whole text, as ingest reads it."""
    return next((c.name for c in find_credits(text) if c.whole), None)


def score(pairs: list[tuple[str | None, str | None]]) -> dict[str, Scores]:
    """Scores per service and "overall" from (gold, predicted) pairs."""
    right: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for truth, guess in pairs:
        if guess:
            predicted[guess] += 1
        if truth:
            gold[truth] += 1
        if guess and guess == truth:
            right[guess] += 1
    services = sorted(set(predicted) | set(gold))
    out = {s: Scores(right[s], predicted[s], gold[s]) for s in services}
    out["overall"] = Scores(sum(right.values()), sum(predicted.values()), sum(gold.values()))
    return out


def run(splits: list[str]) -> tuple[dict[str, Scores], list[tuple[Path, str | None, str | None]]]:
    """The scores over the articles of ``splits``, and (article, gold, predicted) for each."""
    judged = []
    for path, truth in sorted(gold_wires(splits).items()):
        judged.append((path, truth, predicted_wire(path.read_text(encoding="utf-8"))))
    return score([(truth, guess) for _, truth, guess in judged]), judged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", nargs="+", default=["train", "dev"], choices=["train", "dev"])
    parser.add_argument("--show-errors", action="store_true", help="list every article scored wrong")
    args = parser.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"the benchmark is missing: {BENCH}")
    scores, judged = run(args.split)
    if args.show_errors:
        for path, truth, guess in judged:
            if guess != truth:
                print(f"  wrong: {path.name}: gold {truth}, predicted {guess}")
    print(f"wire credits on PolNeAR {'+'.join(args.split)}: {len(judged)} articles with a recorded wire column, "
          f"{sum(1 for _, t, _ in judged if t)} of them wire stories")
    print(f"{'service':<10} {'gold':>5} {'pred':>5} {'right':>6} {'precision':>10} {'recall':>7}")
    for service, s in scores.items():
        print(f"{service:<10} {s.gold:>5} {s.predicted:>5} {s.right:>6} {s.precision:>10.3f} {s.recall:>7.3f}")


if __name__ == "__main__":
    main()
