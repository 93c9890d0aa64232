"""Archive benchmark: ``accord run`` on Dask over N synthetic articles plus
the 181 real pages of the extraction benchmark, repeated.

Synthetic articles are the real news texts of ``bench/scale.py`` (AllSides
roundups, ECB+ documents) varied round after round (sentences shuffled, names
swapped, numbers and dates changed), written as gzipped JSON Lines files of
``--per-file`` records each; the real pages (``../shared/bench/extraction``,
gzipped HTML) are added ``--pages`` times over. The run goes through
``accord.run`` on a Dask LocalCluster of ``--workers`` processes.

Printed: per shard, its documents and the wall time per article between its
completion and the one before (flat means the cost of an article does not
grow with the archive); the whole run's documents per second; the peak memory
(maximum resident set) of every Dask worker and of this process. With
``--kill-after K`` the run is stopped after K shards and started again, to
show that the finished shards are not redone.

    python bench/archive.py                          # 100,000 articles + 181 pages
    python bench/archive.py --articles 2000 --pages 2 --shard-size 250   # a small run
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import accord

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from scale import documents  # noqa: E402  (the synthetic corpus of the scale benchmark)

PAGES = BENCH.parents[1] / "shared" / "bench" / "extraction" / "html"


def write_articles(folder: Path, count: int, per_file: int) -> list[Path]:
    """``count`` synthetic articles as JSON Lines (gzip) files of ``per_file``."""
    files: list[Path] = []
    stream = None
    for n, document in enumerate(documents(count)):
        if n % per_file == 0:
            if stream:
                stream.close()
            files.append(folder / f"articles-{len(files):05d}.jsonl.gz")
            stream = gzip.open(files[-1], "wt", encoding="utf-8")
        record = {"text": document.text, "title": document.title, "outlet": document.outlet,
                  "date": document.published, "url": f"https://example.org/bench/{n}"}
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    if stream:
        stream.close()
    return files


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _worker_peak_mb() -> float:
    import resource as r

    return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024.0


def _worker_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class Sampler:
    """Every worker's resident memory, sampled every ``every`` seconds while
    the run goes on, to show whether it grows with the archive."""

    def __init__(self, client, every: float = 10.0) -> None:
        import threading

        self.samples: list[tuple[float, dict[str, float]]] = []
        self._client, self._every = client, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._started = time.perf_counter()
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.samples.append((time.perf_counter() - self._started, self._client.run(_worker_rss_mb)))
            except Exception:  # a sample missed while the cluster is busy is no loss
                pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> None:
        if not self.samples:
            return
        n = len(self.samples)
        picks = sorted({0, n // 4, n // 2, 3 * n // 4, n - 1})
        for i in picks:
            at, rss = self.samples[i]
            print(f"worker memory at {at:7.0f} s: " + ", ".join(f"{v:.0f} MB" for _, v in sorted(rss.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles (default 100,000)")
    parser.add_argument("--pages", type=int, default=1, help="times the 181 real pages are added (default 1)")
    parser.add_argument("--per-file", type=int, default=5000, help="records per JSON Lines file")
    parser.add_argument("--shard-size", type=int, default=None, help="documents per shard (default: Settings)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--scheduler", default=None, help="an existing Dask scheduler instead of a LocalCluster")
    parser.add_argument("--kill-after", type=int, default=None, metavar="K",
                        help="stop after K shards, then run again and count the shards not redone")
    parser.add_argument("--keep", metavar="DIR", default=None, help="write inputs and output here and keep them")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="accord-archive-"))
    root.mkdir(parents=True, exist_ok=True)
    inputs = root / "inputs"
    if inputs.exists():
        shutil.rmtree(inputs)
    inputs.mkdir()
    started = time.perf_counter()
    # The real pages first: the synthetic shards after them are alike, so
    # their cost per article shows whether it grows with the archive.
    items = [str(p) for p in sorted(PAGES.glob("*.html.gz"))] * args.pages
    items += [str(p) for p in write_articles(inputs, args.articles, args.per_file)]
    print(f"181 real pages x {args.pages}, then {args.articles} synthetic articles in "
          f"{len(items) - 181 * args.pages} files; written in {time.perf_counter() - started:.1f} s; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (a busy machine skews every figure)",
          flush=True)
    out = root / "run"
    if out.exists():
        shutil.rmtree(out)

    with accord.DaskExecutor(args.scheduler, workers=args.workers) as runner:
        if args.kill_after:
            _interrupted(items, out, runner, args)
        started, since = time.perf_counter(), time.time()
        sampler = Sampler(runner.client)
        summary = accord.run(items, out=out, executor=runner, shard_size=args.shard_size)
        seconds = time.perf_counter() - started
        sampler.stop()
        workers = runner.client.run(_worker_peak_mb)
    print(f"run: {summary.counts.line()}; {summary.shards} shards ({summary.shards_done_before} done before); "
          f"{summary.processed} documents processed in {seconds:.1f} s = {summary.processed / seconds:.2f} documents/s "
          f"with {args.workers} workers")
    print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.timings.items()))
    _per_shard(out, since)
    sampler.report()
    for address, peak in sorted(workers.items()):
        print(f"peak memory of worker {address}: {peak:.0f} MB")
    print(f"peak memory of this process (reading, grouping, writing): {_peak_mb():.0f} MB")
    if not args.keep:
        shutil.rmtree(root)


def _interrupted(items: list[str], out: Path, runner: accord.Executor, args: argparse.Namespace) -> None:
    """A first run stopped once K shards are done (as a kill would stop it)."""
    from accord import archive

    class Stop(Exception):
        pass

    original = archive._finish_shard

    def finish(shard_dir, shard, pieces, summary):
        original(shard_dir, shard, pieces, summary)
        if shard.number + 1 >= args.kill_after:
            raise Stop

    archive._finish_shard = finish
    try:
        accord.run(items, out=out, executor=runner, shard_size=args.shard_size)
    except Stop:
        print(f"stopped after {args.kill_after} shards", flush=True)
    finally:
        archive._finish_shard = original


def _per_shard(out: Path, since: float) -> None:
    """Time per article of each shard this run finished, from the completion
    of the shard before (the first one's is unknown: it overlaps reading and
    the start)."""
    markers = sorted(m for m in (out / "shards").glob("*.done") if m.stat().st_mtime >= since)
    previous = None
    costs = []
    full = max((len(json.loads(m.read_text())["documents"]) for m in markers), default=0)
    for marker in markers:
        done = json.loads(marker.read_text())
        count = len(done["documents"]) + len(done["skipped"])
        at = marker.stat().st_mtime
        if previous is not None and count:
            cost = (at - previous) / count
            # Only full shards count: the last one is a remainder.
            if count >= full:
                costs.append(cost)
            print(f"shard {done['shard']:>5}: {count:>6} documents, {1000 * cost:8.1f} ms per article")
        previous = at
    if len(costs) >= 4:
        half = len(costs) // 2
        first, last = sum(costs[:half]) / half, sum(costs[half:]) / (len(costs) - half)
        print(f"cost per article, first half of the shards {1000 * first:.1f} ms, second half {1000 * last:.1f} ms "
              f"(ratio {last / first:.2f}; flat is 1.00)")


if __name__ == "__main__":
    main()
