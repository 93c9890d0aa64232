"""Benchmark: how fast ``accord serve`` answers over a big store.

Builds (or reuses, with ``--store``) a store of N documents made as in
``bench/scale.py`` (real news texts repeated with variation; analyses stubbed,
as when every analysis is cached), caches the dossiers of a sample of stories,
then times the JSON API and the HTML list through Flask's test client: the
first list (the catalog is read from the store), then list pages, searches,
outlet and date filters and deep pages. Printed: milliseconds per request
(median and worst) beside the time of a plain ``SELECT count(*)`` over the
documents (the floor of any request that touches them all).

    python bench/serve.py                       # 100,000 documents (builds a store: minutes)
    python bench/serve.py --documents 10000
    python bench/serve.py --store /tmp/serve.db # reuse a store built before
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Iterator

from accord.model import RawDocument
from accord.serve import create_app
from accord.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _scale():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(path: Path, count: int) -> None:
    """A store of ``count`` documents at ``path``."""
    scale = _scale()

    def raws() -> Iterator[RawDocument]:
        for d in scale.documents(count):
            yield RawDocument(source=d.source, format="text", raw=d.text, sha256=d.sha256, text=d.text,
                              text_map=d.offsets, title=d.title, outlet=d.outlet, published=d.published)

    started = time.perf_counter()
    with Store.open(path, analyzer=scale._cached) as store:
        store.add_read(raws())
        stories = store.stories()
        for story in stories[:: max(1, len(stories) // 200)]:
            store.dossier(story.id)
    print(f"built {path}: {count} documents, {len(stories)} stories in {time.perf_counter() - started:.0f} s")


def timed(client, url: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.status_code)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=None, help="a store to reuse, built there when missing")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    path = args.store or Path(f"/tmp/accord-serve-{args.documents}.db")
    if not path.exists():
        build(path, args.documents)
    with Store.open(path, readonly=True) as store:
        documents = len(store)
        started = time.perf_counter()
        store._db.execute("SELECT count(*), sum(length(record)) FROM documents").fetchone()
        floor = 1000 * (time.perf_counter() - started)
        outlet = next((o for row in store.catalog()[:100] for o in row["outlets"]), "")
    started = time.perf_counter()
    app = create_app(str(path))
    startup = 1000 * (time.perf_counter() - started)
    client = app.test_client()
    first = timed(client, "/api/stories", 1)[0]
    print(f"store: {documents} documents; a scan of every document record: {floor:.0f} ms (baseline)")
    print(f"app start (the story list read from the store once): {startup:.0f} ms; first list request: {first:.0f} ms")
    cases = {
        "list, page 1 (API)": "/api/stories",
        "list, page 1 (HTML)": "/",
        "deep page (API)": "/api/stories?page=300",
        "search (API)": "/api/stories?q=court+ruling",
        "outlet filter (API)": f"/api/stories?outlet={outlet}",
        "date filter (API)": "/api/stories?from=2021-06-01&to=2021-06-30",
    }
    worst = 0.0
    for name, url in cases.items():
        times = timed(client, url, args.repeat)
        worst = max(worst, max(times))
        print(f"{name:<24} median {statistics.median(times):6.1f} ms   worst {max(times):6.1f} ms")
    print(f"every list request under 200 ms: {'yes' if worst < 200 else 'no'} (worst {worst:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
