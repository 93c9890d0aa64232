"""Benchmark: ``accord run`` end to end with 1 and with 2 workers, and the
cost of read-clean-analyse against spaCy's own parse of the same texts.

On the first N PolNeAR train articles (../shared/bench/polnear/train/text,
sorted by name; default 300):

- spaCy alone: ``nlp.pipe`` over the clean texts (the baseline), then
  accord's read, clean and analyse of the same files in this process (the
  model loaded before both), printed as a ratio;
- ``accord run FILES --out DIR --workers K`` as a user runs it (a fresh
  process each: start-up, model loading, grouping and dossiers included),
  with 1 worker (the baseline) and with ``--workers`` (default 2), wall
  time of each and the speed-up.

    python bench/run.py [--limit N] [--workers K] [--repeat R]

The machine may be shared: every figure is a wall time, so run it when the
load is low and read the load average printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import accord
from accord.analyze.nlp import load
from accord.settings import DEFAULT

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "polnear" / "train" / "text"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the second run (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="times each measure is taken (the best is printed)")
    args = parser.parse_args()
    paths = sorted(TRAIN.glob("*.txt"))[: args.limit]
    if len(paths) < args.limit:
        print(f"only {len(paths)} PolNeAR train texts under {TRAIN}", file=sys.stderr)
        return 1
    print(f"{len(paths)} PolNeAR train articles; load average {os.getloadavg()[0]:.1f} at the start")

    nlp = load()
    texts = [d.text for d in accord.ingest(paths).documents]
    parse = _best(args.repeat, lambda: list(nlp.pipe(texts, batch_size=DEFAULT.parse_batch)))
    analysed: list[int] = []
    ours = _best(args.repeat, lambda: analysed.append(len(accord.analyze(paths).analyses)))
    if not analysed or analysed[-1] == 0:
        print("no article was analysed; nothing measured", file=sys.stderr)
        return 1
    print(f"spaCy parse alone     {parse:7.2f} s ({len(texts)} texts, {sum(map(len, texts))} characters)")
    print(f"read, clean, analyse  {ours:7.2f} s ({analysed[-1]} analysed, in this process)")
    print(f"ratio                 {ours / parse:7.2f}x spaCy's parse")

    walls: dict[int, float] = {}
    for workers in sorted({1, args.workers}):
        walls[workers] = _best(args.repeat, lambda: _run(paths, workers))
        print(f"accord run, {workers} worker{'s' if workers > 1 else ' '}  {walls[workers]:7.2f} s wall "
              f"({len(paths) / walls[workers]:.2f} articles/s)")
    if args.workers > 1:
        print(f"speed-up              {walls[1] / walls[args.workers]:7.2f}x with {args.workers} workers over 1")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def _best(repeat: int, work) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _run(paths: list[Path], workers: int) -> None:
    """``accord run`` in a process of its own, into a fresh folder."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "accord", "run", *map(str, paths), "--out", out, "-q",
                   "--executor", "pool", "--workers", str(workers)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode not in (0, 1):
            raise SystemExit(f"accord run failed ({result.returncode}): {result.stderr[-2000:]}")


if __name__ == "__main__":
    sys.exit(main())
