"""Scale benchmark: grouping up to 1,000,000 documents into stories, in
memory (``StoryIndex.add``) or through a store.

Documents are real news texts (the AllSides 2021 roundup articles and the ECB+
documents in ``../shared/bench``) repeated with variation: from the second
round on, each copy has its sentences shuffled, its names swapped, its numbers
changed and its date shifted, so that it is new content (a new sha256) and, in
part, a new event. No spaCy: grouping uses what ``StoryIndex.add`` needs (the
document), and in ``--store`` mode the store's analyzer is a stub that returns
an empty analysis, as when every analysis is already cached.

In memory, each size runs in its own process, so the peak memory printed (the
process's maximum resident set) is that size's alone. Printed per size:
documents, stories, grouping time per document (over the whole run and over
its last tenth, which shows whether the time per document grows with the
corpus), and peak memory.

With ``--store`` one store on disk grows through every size (clean, commit,
group: ``Store.add_read``). Printed per window between report points: wall
and CPU time per document (CPU is what to read on a shared machine), stories,
peak memory, the file's size; at each of ``--sizes`` the store is closed,
reopened and made ready to add (timed: the issue asks under 2 s at 100,000),
and the first document after reopening (cold caches) is timed.

    python3.11 bench/scale.py                     # 1k, 10k, 100k: StoryIndex.add
    python3.11 bench/scale.py --store --sizes 1000 10000 100000 1000000 --every 25000 --shift-days 30
    python3.11 bench/scale.py --sizes 100000 --budget 600   # stop a size at 10 minutes
    python3.11 bench/scale.py --profile 8000      # where StoryIndex.add spends its time
    python3.11 bench/scale.py --pile --sizes 10000 100000 --shift-days 30   # group_stories on one pile
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import html
import itertools
import json
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator, Sequence

from accord.group import StoryIndex
from accord.model import Analysis, Document, OffsetMap, RawDocument

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
ECBPLUS = BENCH / "ecbplus" / "docs"
ALLSIDES = BENCH / "allsides" / "roundups-2021.jsonl"
#: StoryIndex.add must group 100,000 documents in less than this (seconds).
LIMIT_100K = 600.0

_TOKEN = re.compile(r'<token [^>]*sentence="(\d+)"[^>]*>([^<]*)</token>')
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
_NUMBER = re.compile(r"\b\d+\b")
_SWAPS = ["Halvorsen", "Okonkwo", "Castellanos", "Ivanova", "Takeda", "Moreau", "Lindqvist", "Abernathy",
          "Nakamura", "Szabo", "Oyelaran", "Petrakis", "Valdivia", "Kowalczyk", "Achterberg", "Rautio"]


# --------------------------------------------------------------------------- corpus


def _allsides() -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """(text, title, outlet, published) of every AllSides roundup article."""
    with ALLSIDES.open(encoding="utf-8") as lines:
        for line in lines:
            roundup = json.loads(line)
            day = (roundup.get("date") or "")[:10] or None
            for side in ("left", "center", "right"):
                article = (roundup.get("news") or {}).get(side)
                if article and article.get("newBody"):
                    text = "\n".join(p.strip() for p in article["newBody"] if p.strip())
                    yield text, article.get("newsTitle"), article.get("newsSource"), day


def _ecbplus() -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """(text, title, outlet, published) of every ECB+ document. ECB+ has no
    dates: a document is dated by its topic (topic n on day 5n of 2019), so
    that its varied copies, shifted 11 days a round like the others, make new
    stories rather than join one story that grows through every round."""
    for path in sorted(ECBPLUS.glob("*/*.xml")):
        day = (dt.date(2019, 1, 1) + dt.timedelta(days=5 * int(path.parent.name))).isoformat()
        sentences: dict[int, list[str]] = {}
        for number, token in _TOKEN.findall(path.read_text(encoding="utf-8")):
            sentences.setdefault(int(number), []).append(html.unescape(token))
        lines = [" ".join(tokens) for _, tokens in sorted(sentences.items())]
        if lines and lines[0].replace(" ", "").startswith("http"):
            lines.pop(0)
        title = lines.pop(0) if len(lines) > 1 else None
        yield "\n".join(lines), title, None, day


def _vary(text: str, rng: random.Random, round_: int) -> str:
    sentences = _SENTENCE.split(text)
    rng.shuffle(sentences)
    swaps: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        if word not in swaps:
            swaps[word] = rng.choice(_SWAPS) if rng.random() < 0.3 else word
        return swaps[word]

    varied = _NAME.sub(swap, " ".join(sentences))
    return _NUMBER.sub(lambda m: str(int(m.group()) + round_), varied)


#: Days between the dates of one round of copies and the next. 11 days (the
#: bench's first value, and still bench/serve.py's) lets a copy join the story
#: of the text it varies, so stories grow through every round (60 documents
#: a story at 100,000, 600 at 1,000,000); 30 days makes each round new events,
#: as a stream of news is: stories of bounded size, their number growing.
SHIFT_DAYS = 11


def documents(count: int, *, seed: int = 2021, shift_days: int = SHIFT_DAYS) -> Iterator[Document]:
    """``count`` documents d1, d2…: the real texts first, then varied copies
    of them, round after round, each round's dates shifted by ``shift_days``."""
    base = list(_allsides()) + list(_ecbplus())
    rng = random.Random(seed)
    for n in range(count):
        round_, (text, title, outlet, published) = divmod(n, len(base))[0], base[n % len(base)]
        if round_:
            text = _vary(text, rng, round_)
            title = _vary(title, rng, round_) if title else None
            if published:
                published = (dt.date.fromisoformat(published) + dt.timedelta(days=shift_days * round_)).isoformat()
        yield Document(
            id=f"d{n + 1}", source=f"bench:{n + 1}", format="text", text=text,
            sha256=hashlib.sha256(f"{n}\n{text}".encode()).hexdigest(),
            offsets=OffsetMap.identity(len(text)), title=title, outlet=outlet, published=published,
        )


# --------------------------------------------------------------------------- runs


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def group(count: int, budget: float | None = None) -> dict[str, float]:
    """Feed ``count`` documents to StoryIndex.add, timing the adds only; stop
    early when the adds have taken ``budget`` seconds (the figures then say how
    far it got, and the last tenth is that of the documents reached)."""
    index = StoryIndex()
    spent = 0.0
    took_each: list[float] = []
    for document in documents(count):
        started = time.perf_counter()
        index.add(document)
        took = time.perf_counter() - started
        spent += took
        took_each.append(took)
        if budget is not None and spent > budget:
            break
    done = len(took_each)
    tail = took_each[done - max(1, done // 10):]
    return {"documents": done, "stories": len(index), "seconds": spent,
            "ms_per_doc": 1000 * spent / done, "ms_per_doc_last_tenth": 1000 * sum(tail) / len(tail),
            "peak_mb": _peak_mb(), "complete": done == count}


def _cached(batch: Sequence[Document]) -> Iterator[Analysis]:
    """The analyzer of a store whose analyses are all cached: nothing to find."""
    return (Analysis(document) for document in batch)


def _raws(docs: Iterator[Document]) -> Iterator[RawDocument]:
    for d in docs:
        yield RawDocument(source=d.source, format="text", raw=d.text, sha256=d.sha256, text=d.text,
                          text_map=d.offsets, title=d.title, outlet=d.outlet, published=d.published)


def _ready(path: Path) -> tuple[object, float]:
    """Open the store at ``path`` and make it ready to place a document (its
    story index attached, inside a write transaction as an add does);
    returns the store and the seconds that took."""
    from accord.store import Store

    started = time.perf_counter()
    opened = Store.open(path, analyzer=_cached)
    with opened._db:
        opened._db.execute("BEGIN IMMEDIATE")
        opened._story_index()
    return opened, time.perf_counter() - started


def store(sizes: Sequence[int], every: int | None, folder: Path, budget: float | None = None,
          shift_days: int = SHIFT_DAYS) -> int:
    """Add documents through one Store on disk (clean, commit, group;
    analyses stubbed) up to the largest of ``sizes``, printing the cost per
    document of each window between report points (``sizes`` and every
    ``every`` documents); at each of ``sizes`` the store is closed, then
    reopened and made ready to add (timed), and the first document after
    reopening is timed on its own. Stops once adding has taken ``budget``
    seconds."""
    path = folder / "scale.db"
    target = max(sizes)
    points = sorted(set(sizes) | set(range(every, target + 1, every) if every else ()))
    stream = _raws(documents(target, shift_days=shift_days))
    opened, _ = _ready(path)
    print("store add_read (clean + commit + group; analyses stubbed: an empty analysis, as when every analysis "
          f"is cached); one store grows through every size; rounds of copies {shift_days} days apart", flush=True)
    # CPU time beside wall time: on a shared machine the wall time of a window
    # says as much about the other processes as about the store.
    print(f"{'documents':>10} {'stories':>8} {'window ms/doc':>14} {'CPU ms/doc':>11} {'total s':>9} {'peak MB':>8} "
          f"{'store MB':>9}  reopened", flush=True)
    done, spent, status = 0, 0.0, 0
    for point in points:
        started, cpu = time.perf_counter(), time.process_time()
        summary = opened.add_read(itertools.islice(stream, point - done))  # type: ignore[attr-defined]
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        added = len(summary.new)
        if added == 0:
            break
        spent += took
        done += added
        stories = opened._db.execute("SELECT count(*) FROM stories").fetchone()[0]  # type: ignore[attr-defined]
        line = (f"{done:>10} {stories:>8} {1000 * took / added:>14.2f} {1000 * cpu / added:>11.2f} {spent:>9.0f} "
                f"{_peak_mb():>8.0f} "
                f"{path.stat().st_size / 1e6:>9.0f}")
        if point in sizes:
            opened.close()  # type: ignore[attr-defined]
            opened, seconds = _ready(path)
            started = time.perf_counter()
            first = opened.add_read(itertools.islice(stream, 1))  # type: ignore[attr-defined]
            after = time.perf_counter() - started
            done += len(first.new)
            line += f"  open and ready to add {seconds:.3f} s; first add after it {1000 * after:.1f} ms"
        print(line, flush=True)
        if budget is not None and spent > budget:
            print(f"stopped at the budget ({budget:.0f} s of adding): {done} of {target} documents", flush=True)
            status = 1
            break
    opened.close()  # type: ignore[attr-defined]
    return status


def memory_windows(sizes: Sequence[int], every: int | None, budget: float | None = None,
                   shift_days: int = SHIFT_DAYS) -> int:
    """The reference for ``store``: the same documents fed to an in-memory
    ``StoryIndex.add`` (grouping alone, no cleaning, no file), with the CPU
    time per document of the same windows. Where both grow alike, the growth
    is grouping's (on this corpus, posting lists fill as rounds of copies of
    the same texts accumulate), not the store's."""
    target = max(sizes)
    points = sorted(set(sizes) | set(range(every, target + 1, every) if every else ()))
    stream = documents(target, shift_days=shift_days)
    index = StoryIndex()
    print(f"StoryIndex.add in memory (the reference for --store); rounds of copies {shift_days} days apart", flush=True)
    print(f"{'documents':>10} {'stories':>8} {'window ms/doc':>14} {'CPU ms/doc':>11} {'total s':>9} {'peak MB':>8}",
          flush=True)
    done, spent = 0, 0.0
    for point in points:
        batch = list(itertools.islice(stream, point - done))
        if not batch:
            break
        started, cpu = time.perf_counter(), time.process_time()
        for document in batch:
            index.add(document)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        spent += took
        done += len(batch)
        print(f"{done:>10} {len(index):>8} {1000 * took / len(batch):>14.2f} {1000 * cpu / len(batch):>11.2f} "
              f"{spent:>9.0f} {_peak_mb():>8.0f}", flush=True)
        if budget is not None and spent > budget:
            print(f"stopped at the budget ({budget:.0f} s of adding): {done} of {target} documents", flush=True)
            return 1
    return 0


def pile(count: int, *, shift_days: int = SHIFT_DAYS) -> dict[str, float]:
    """``group_stories``' work on a pile of ``count`` documents, in CPU
    seconds: the features of each document (what an analysis cache cannot
    hold: they are weighed by the pile), then the pairs, their similarities
    and average link."""
    from accord.group.features import raw_features
    from accord.group.pile import pile_graph, pile_settings
    from accord.settings import DEFAULT

    corpus = list(documents(count, shift_days=shift_days))
    weighing = pile_settings(DEFAULT)
    started = time.process_time()
    raw = [raw_features(d, settings=weighing) for d in corpus]
    featured = time.process_time()
    graph = pile_graph(raw, DEFAULT)
    clusters = graph.clusters(DEFAULT.story_pile_threshold)
    done = time.process_time()
    return {"documents": count, "stories": len(clusters), "pairs_per_doc": len(graph.first) / count,
            "features_ms": 1000 * (featured - started) / count, "cluster_ms": 1000 * (done - featured) / count,
            "ms_per_doc": 1000 * (done - started) / count, "peak_mb": _peak_mb()}


def profile(count: int) -> None:
    """Where StoryIndex.add spends its time over ``count`` documents."""
    corpus = list(documents(count))
    index = StoryIndex()
    profiler = cProfile.Profile()
    profiler.enable()
    for document in corpus:
        index.add(document)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--store", action="store_true", help="the store end to end instead of StoryIndex.add alone")
    parser.add_argument("--budget", type=float, metavar="SECONDS",
                        help="stop a size once grouping has taken this long (report how far it got)")
    parser.add_argument("--every", type=int, metavar="N",
                        help="with --store or --windows: also report the cost per document every N documents")
    parser.add_argument("--shift-days", type=int, default=SHIFT_DAYS, metavar="DAYS",
                        help="with --store or --windows: days between rounds of copies (30: each round new events)")
    parser.add_argument("--windows", action="store_true",
                        help="StoryIndex.add in memory in one process, windows as --store prints them")
    parser.add_argument("--keep", metavar="FOLDER", help="with --store: build the store in FOLDER and keep it")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    parser.add_argument("--profile", type=int, metavar="N", help="profile StoryIndex.add over N documents")
    parser.add_argument("--pile", action="store_true",
                        help="group_stories on a pile of each size (CPU per document), each in its own process")
    parser.add_argument("--one-pile", type=int, help=argparse.SUPPRESS)  # a child process: one pile
    args = parser.parse_args(argv)
    if args.one_pile:
        print(json.dumps(pile(args.one_pile, shift_days=args.shift_days)))
        return 0
    if args.pile:
        print(f"group_stories on a pile (CPU ms per document; shift {args.shift_days} days a round)")
        print(f"{'documents':>10} {'stories':>8} {'pairs/doc':>9} {'features':>9} {'clusters':>9} {'ms/doc':>8} {'peak MB':>8}")
        for size in args.sizes:
            child = subprocess.run([sys.executable, __file__, "--one-pile", str(size), "--shift-days",
                                    str(args.shift_days)], capture_output=True, text=True)
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            r = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{r['documents']:>10} {r['stories']:>8} {r['pairs_per_doc']:>9.0f} {r['features_ms']:>9.2f} "
                  f"{r['cluster_ms']:>9.2f} {r['ms_per_doc']:>8.2f} {r['peak_mb']:>8.0f}", flush=True)
        return 0
    if args.profile:
        profile(args.profile)
        return 0
    if args.windows:
        return memory_windows(args.sizes, args.every, args.budget, args.shift_days)
    if args.store:
        folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="accord-scale-"))
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / "scale.db").exists():
            print(f"{folder / 'scale.db'} exists; give an empty folder", file=sys.stderr)
            return 2
        try:
            return store(args.sizes, args.every, folder, args.budget, args.shift_days)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    if args.one:
        print(json.dumps(group(args.one, args.budget)))
        return 0
    what = "store add_read (clean + commit + group, analyses cached)" if args.store else "StoryIndex.add"
    print(f"{what}; each size in its own process")
    print(f"{'documents':>10} {'stories':>8} {'total s':>9} {'ms/doc':>8} {'ms/doc last 10%':>16} {'peak MB':>8}")
    status = 0
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size)] + (["--store"] if args.store else [])
        if args.budget:
            command += ["--budget", str(args.budget)]
        child = subprocess.run(command, capture_output=True, text=True)
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        r = json.loads(child.stdout.strip().splitlines()[-1])
        tail = f"{r['ms_per_doc_last_tenth']:>16.2f}" if "ms_per_doc_last_tenth" in r else f"{'':>16}"
        extra = (f"  (store file {r['store_mb']:.0f} MB; reopened and ready to add in {r['open_ready_s']:.2f} s)"
                 if "store_mb" in r else "")
        if not r.get("complete", True):
            extra += f"  (stopped at the budget: {r['documents']} of {size} documents)"
        print(f"{r['documents']:>10} {r['stories']:>8} {r['seconds']:>9.1f} {r['ms_per_doc']:>8.2f} {tail} "
              f"{r['peak_mb']:>8.0f}{extra}", flush=True)
        if not args.store and (not r.get("complete", True) or r["seconds"] > LIMIT_100K * size / 100_000):
            print(f"FAIL: StoryIndex.add is slower than {LIMIT_100K:.0f} s per 100,000 documents")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
