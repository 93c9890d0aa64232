"""Benchmark: the dossier of a story, end to end.

Prints wall time, peak memory, the share of time spent inside spaCy's own
parsing (``Language.pipe``) versus the rest of accord, and the time of each
stage, for the five reports in ../shared/corpora/rubio-lavrov-2025-07 (or the
paths given). ``--copies 10`` makes a 50-article story of the five reports,
each copy under other outlet names (a larger story of the same events).

    python bench/dossier.py [PATH...] [--repeat N] [--copies N]
"""

from __future__ import annotations

import argparse
import importlib
import resource
import sys
import time
from pathlib import Path


import accord
from accord.analyze.nlp import load

# ``accord.analyze`` is also the name of the public function: take the stage
# module itself from the import system.
analyze_stage = importlib.import_module("accord.analyze")

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = SHARED / "corpora" / "rubio-lavrov-2025-07"


class TimedModel:
    """The spaCy pipeline, with the time spent inside ``pipe`` added up."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.seconds = 0.0

    def __getattr__(self, name: str):
        # Everything but ``pipe`` (max_length, vocab...) is the model's own:
        # the analyze stage reads them as from the real pipeline.
        return getattr(self.nlp, name)

    def pipe(self, texts, **kwargs):
        stream = iter(self.nlp.pipe(texts, **kwargs))
        while True:
            start = time.perf_counter()
            try:
                doc = next(stream)
            except StopIteration:
                self.seconds += time.perf_counter() - start
                return
            self.seconds += time.perf_counter() - start
            yield doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT)])
    parser.add_argument("--repeat", type=int, default=3, help="runs to time (the best is printed)")
    parser.add_argument("--copies", type=int, default=1, help="repeat the inputs under other outlet names")
    args = parser.parse_args()
    items = _items(args.paths, args.copies)

    start = time.perf_counter()
    nlp = load()
    load_seconds = time.perf_counter() - start
    timed = TimedModel(nlp)
    analyze_stage.load = lambda: timed  # the analyze stage asks for the model through this name

    best = None
    for _ in range(args.repeat):
        timed.seconds = 0.0
        marks: dict[str, float] = {}
        start = time.perf_counter()
        dossier = accord.dossier(items, progress=lambda stage, done, total: marks.setdefault(stage, time.perf_counter()))
        wall = time.perf_counter() - start
        if best is None or wall < best[0]:
            best = (wall, timed.seconds, dossier, marks, start)
    wall, parse, dossier, marks, start = best
    if not dossier.documents or parse <= 0.0:
        # Nothing parsed is nothing measured: say why and fail the run.
        for entry in dossier.skipped:
            print(f"skipped {entry.source}: {entry.reason}", file=sys.stderr)
        print("bench/dossier.py: no document was analysed; nothing measured", file=sys.stderr)
        return 1
    end = start + wall
    stages = {
        "read and clean": marks.get("analyze", end) - start,
        "analyze": marks["compare"] - marks.get("analyze", start),
        "compare": marks["synthesize"] - marks["compare"],
        "synthesize": end - marks["synthesize"],
    }
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    characters = sum(len(d.text) for d in dossier.documents)
    print(f"documents            {len(dossier.documents)} ({characters} characters)")
    print(f"model load           {load_seconds:.2f} s (once per process, not counted below)")
    print(f"wall time            {wall:.3f} s (best of {args.repeat})")
    print(f"spaCy parsing        {parse:.3f} s ({100 * parse / wall:.1f}% of wall time)")
    print(f"rest of accord       {wall - parse:.3f} s ({100 * (wall - parse) / wall:.1f}%)")
    for stage, seconds in stages.items():
        print(f"  {stage:18} {seconds:.3f} s")
    print(f"compare+synthesize   {stages['compare'] + stages['synthesize']:.3f} s, "
          f"{(stages['compare'] + stages['synthesize']) / stages['analyze']:.2f} of the analysis time")
    print(f"peak memory          {peak_mb:.0f} MB (process maximum resident set)")
    print(f"found                {len(dossier.facts)} facts, {len(dossier.statements)} statements, "
          f"{len(dossier.conflicts)} conflicts, {len(dossier.quotes)} quotes, {len(dossier.entities)} entities")
    return 0


def _items(paths: list[str], copies: int) -> list:
    if copies <= 1:
        return paths
    raws = [r for r in accord.ingest(paths).documents]
    items = []
    for copy in range(copies):
        for document in raws:
            outlet = f"{document.label} ({copy + 1})"
            text = (document.title + "\n" if document.title else "") + document.text
            items.append(accord.Article(text, title=document.title, outlet=outlet, published=document.published))
    return items


if __name__ == "__main__":
    sys.exit(main())
