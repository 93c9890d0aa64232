"""Speed of compare and synthesize on big stories (issue 9).

Two kinds of story, each of 100, 400 and 1,000 articles:

- near-copies: the five reports of ../shared/corpora/rubio-lavrov-2025-07
  repeated under other outlet names (wire reprints); the five are analysed
  once and their analyses copied under new document ids;
- varied: real articles of the AllSides 2021 roundups (different texts, many
  events), each analysed.

Printed per story: the time of compare and of synthesize, their ratio to the
time the analysis of those articles takes (for near-copies: the analysis of
the five times the number of copies), and the growth from one size to the
next beside n and n log n. Timings on a shared machine are noisy.

    python bench/compare_scale.py [--sizes 100 400 1000] [--kinds near varied]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import accord
from accord import compare as compare_stage
from accord import synthesize
from accord.model import Analysis, Span

analyze_stage = importlib.import_module("accord.analyze")

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora" / "rubio-lavrov-2025-07"
ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"


def _renamed(value: Any, doc: str) -> Any:
    """``value`` with every Span moved to document ``doc`` (a deep copy of
    the dataclasses, lists and tuples that hold spans)."""
    if isinstance(value, Span):
        return dataclasses.replace(value, doc=doc)
    if isinstance(value, list):
        return [_renamed(v, doc) for v in value]
    if isinstance(value, tuple):
        return tuple(_renamed(v, doc) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _renamed(getattr(value, f.name), doc) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def copy_analysis(analysis: Analysis, doc_id: str, outlet: str) -> Analysis:
    """The analysis of one document as if it were another outlet's reprint."""
    document = dataclasses.replace(_renamed(analysis.document, doc_id), id=doc_id, outlet=outlet)
    rest = {f.name: _renamed(getattr(analysis, f.name), doc_id) for f in dataclasses.fields(analysis) if f.name != "document"}
    return Analysis(document=document, **rest)


def near_copies(size: int) -> tuple[list[Analysis], float]:
    """A story of ``size`` reprints of the five reports, and the analysis time
    it stands for."""
    batch = accord.ingest([str(p) for p in sorted(CORPUS.iterdir()) if p.is_file()])
    started = time.perf_counter()
    base = list(analyze_stage.analyze(batch.documents))
    seconds = time.perf_counter() - started
    out = []
    for n in range(size):
        source = base[n % len(base)]
        out.append(copy_analysis(source, f"d{n + 1}", f"{source.document.outlet or source.document.id} ({n // len(base) + 1})"))
    return out, seconds * size / len(base)


def varied(size: int) -> tuple[list[Analysis], float]:
    """A story of ``size`` different real articles, and their analysis time."""
    articles = []
    for line in ROUNDUPS.open(encoding="utf-8"):
        row = json.loads(line)
        for side in ("left", "center", "right"):
            news = row["news"].get(side) or {}
            body = "\n\n".join(p.strip() for p in news.get("newBody") or [] if p.strip())
            if body:
                articles.append(accord.Article(body, title=news.get("newsTitle"), outlet=news.get("newsSource")))
        if len(articles) >= size:
            break
    batch = accord.ingest(articles[:size])
    started = time.perf_counter()
    analyses = list(analyze_stage.analyze(batch.documents))
    return analyses, time.perf_counter() - started


def time_story(analyses: Sequence[Analysis]) -> tuple[float, float, int]:
    """Seconds of compare, of synthesize, and the number of facts."""
    started = time.perf_counter()
    comparison = compare_stage.compare(analyses)
    compared = time.perf_counter()
    synthesize.timeline(analyses, comparison.facts)
    synthesize.summary(comparison.facts, comparison.conflicts, analyses)
    synthesize.coverage(comparison.facts, [a.document for a in analyses])
    return compared - started, time.perf_counter() - compared, len(comparison.facts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1000])
    parser.add_argument("--kinds", nargs="+", default=["near", "varied"], choices=["near", "varied"])
    args = parser.parse_args(argv)
    analyze_stage.load()  # the model load is not the analysis of a story
    for kind in args.kinds:
        make = near_copies if kind == "near" else varied
        largest, analysis_seconds = make(max(args.sizes))
        previous: tuple[int, float] | None = None
        for size in sorted(args.sizes):
            analyses = largest[:size]
            analysis = analysis_seconds * size / len(largest)
            compare_seconds, synth_seconds, facts = time_story(analyses)
            total = compare_seconds + synth_seconds
            growth = ""
            if previous:
                n0, t0 = previous
                growth = (f"  growth x{total / t0:.1f} (n x{size / n0:.1f}, n log n x{size * math.log(size) / (n0 * math.log(n0)):.1f})")
            print(f"{kind:6} {size:5} articles: compare {compare_seconds:7.2f} s, synthesize {synth_seconds:6.2f} s, "
                  f"{100 * total / analysis:5.1f}% of analysis ({analysis:.0f} s), {facts} facts{growth}")
            previous = (size, total)
    print("(timings on a shared 2-core machine are noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
