"""Parallel benchmark: throughput of ``accord.analyze`` (read, clean, analyse)
on PolNeAR train articles with 1 and 2 pool workers, the ratio, and a Dask
LocalCluster of the same size beside the pool.

Every executor is started and warmed (spaCy loaded in each worker) before
its clock starts, so the figures are the steady throughput an archive run
sees, not start-up. The in-process run is the baseline: one core, no
pickling. Each executor's analyses are checked equal to the baseline's.

    python bench/parallel.py                 # 300 articles (PolNeAR train; never the test split)
    python bench/parallel.py --limit 60      # a quick look
    python bench/parallel.py --workers 4     # more workers on a bigger machine
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import accord
from accord.settings import Settings

TRAIN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "polnear" / "train" / "text"


def _articles(limit: int) -> list[Path]:
    paths = sorted(TRAIN.glob("*.txt"))[:limit]
    if len(paths) < limit:
        sys.exit(f"only {len(paths)} PolNeAR train texts under {TRAIN}")
    return paths


def _cpu() -> float:
    """CPU seconds used so far by this process and every live process under
    it (pool workers, a LocalCluster's nannies and workers)."""
    import psutil

    total = time.process_time()
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def _timed(name: str, runner: accord.Executor, paths: list[Path], settings: Settings) -> tuple[float, float, list]:
    # Warm: one small task per worker, so every worker has loaded spaCy.
    accord.analyze(paths[: runner.workers * 2], executor=runner, settings=Settings(task_documents=1))
    cpu, started = _cpu(), time.perf_counter()
    batch = accord.analyze(paths, executor=runner, settings=settings)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    rate = len(batch.analyses) / seconds
    per_document = cpu / len(batch.analyses)
    print(f"{name:<34} {len(batch.analyses):>5} documents {seconds:8.1f} s {rate:8.2f} documents/s; "
          f"CPU {1000 * per_document:6.0f} ms per document (all processes)", flush=True)
    return rate, per_document, [a.to_dict() for a in batch.analyses]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the larger pool (default 2)")
    parser.add_argument("--task", type=int, default=None, help="documents per task (default: Settings)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster")
    args = parser.parse_args()
    paths = _articles(args.limit)
    settings = Settings() if args.task is None else Settings(task_documents=args.task)
    print(f"{len(paths)} PolNeAR train articles; {os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine skews every figure)")
    with accord.InProcessExecutor() as runner:
        base, base_cpu, reference = _timed("in process (baseline)", runner, paths, settings)
    with accord.PoolExecutor(1) as runner:
        one, _, found = _timed("pool, 1 worker", runner, paths, settings)
        assert found == reference, "the pool's analyses differ from the baseline's"
    with accord.PoolExecutor(args.workers) as runner:
        many, many_cpu, found = _timed(f"pool, {args.workers} workers", runner, paths, settings)
        assert found == reference, "the pool's analyses differ from the baseline's"
    print(f"pool speed-up, {args.workers} workers over 1: {many / one:.2f}x "
          f"(target >= {0.85 * args.workers:.2f}x); over in-process: {many / base:.2f}x")
    # On a machine busy with other work the wall clock cannot show the
    # speed-up; the CPU each document costs can: with every core free, W
    # workers go W x (CPU per document in process) / (CPU per document in the
    # pool, all processes) times as fast, at most.
    print(f"CPU-bound bound on idle cores: {args.workers} x {1000 * base_cpu:.0f} / {1000 * many_cpu:.0f} ms = "
          f"{args.workers * base_cpu / many_cpu:.2f}x")
    if not args.no_dask:
        with accord.DaskExecutor(workers=args.workers) as runner:
            dask, dask_cpu, found = _timed(f"dask LocalCluster, {args.workers} workers", runner, paths, settings)
            assert found == reference, "Dask's analyses differ from the baseline's"
        print(f"dask LocalCluster / pool, {args.workers} workers each: {dask / many:.2f}x wall, "
              f"{many_cpu / dask_cpu:.2f}x CPU per document")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
