"""Article-body extraction on bench/extraction (181 news pages, Scrapinghub's
article extraction benchmark): F1, precision, recall and pages per second for
accord's ``extract_html`` and, in the same run, for trafilatura's defaults.

Scoring is the benchmark's own: the 4-token shingles of each text's ``\\w+``
tokens; per page the true positives, false positives and misses are divided by
their sum; precision is averaged over the pages where something was predicted,
recall over the pages with a true body; F1 = 2PR/(P+R).

    python bench/extraction.py [--reference]   # --reference also scores reference-outputs/*.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from accord.errors import InputError
from accord.ingest.html import extract_html

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "bench" / "extraction"

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Score:
    """The benchmark's figures for one extractor."""

    f1: float
    precision: float
    recall: float
    pages: int


def shingles(text: str, n: int = 4) -> Counter[str]:
    """The multiset of ``n``-token shingles of ``text`` (one shingle when it has
    fewer than ``n`` tokens, none when it has no token)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        shingle
        for i in range(max(1, len(tokens) - n + 1))
        if (shingle := " ".join(tokens[i : i + n]))
    )


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """True positives, false positives and misses of one page, divided by their sum."""
    gold, pred = shingles(true), shingles(predicted)
    tp = sum((gold & pred).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(truth: Mapping[str, str], predictions: Mapping[str, str | None]) -> Score:
    """Score ``predictions`` (page id -> body, missing or None = nothing) against
    ``truth`` (page id -> true body) the way the benchmark does."""
    precisions, recalls = [], []
    for page, true in truth.items():
        tp, fp, fn = page_counts(true, predictions.get(page) or "")
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(f1, p, r, len(truth))


def ground_truth() -> dict[str, dict[str, str]]:
    """page id -> {"articleBody", "url"} for the 181 pages."""
    with open(BENCH / "ground-truth.json", encoding="utf-8") as f:
        return json.load(f)


def pages() -> Iterator[tuple[str, str, str]]:
    """(page id, url, decoded HTML) for every page of the benchmark."""
    for page, entry in ground_truth().items():
        raw = gzip.decompress((BENCH / "html" / f"{page}.html.gz").read_bytes())
        yield page, entry["url"], raw.decode("utf-8", errors="replace")


def run(extract: Callable[[str, str, str], str | None]) -> tuple[Score, float]:
    """Score ``extract(page_id, url, html) -> body`` on every page; return the
    score and the pages per second (HTML already decompressed and decoded)."""
    loaded = list(pages())
    start = time.perf_counter()
    predictions = {page: extract(page, url, html) for page, url, html in loaded}
    elapsed = time.perf_counter() - start
    truth = {page: entry["articleBody"] for page, entry in ground_truth().items()}
    return score(truth, predictions), len(loaded) / elapsed


def accord_extract(page: str, url: str, html: str) -> str | None:
    """Body by accord's extract_html; None where it finds no article."""
    try:
        return extract_html(html, source=page, url=url).text
    except InputError:
        return None


def trafilatura_defaults(page: str, url: str, html: str) -> str | None:
    """Body by trafilatura.extract with its default settings."""
    return trafilatura.extract(html, url=url)


def reference_scores() -> dict[str, Score]:
    """Scores of the published outputs in reference-outputs/, to check this scorer."""
    truth = {page: entry["articleBody"] for page, entry in ground_truth().items()}
    scores = {}
    for path in sorted((BENCH / "reference-outputs").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        outputs = data.get("output", data)  # some files wrap the outputs, some do not
        scores[path.stem] = score(truth, {k: v.get("articleBody") for k, v in outputs.items()})
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", action="store_true", help="also score reference-outputs/*.json")
    args = parser.parse_args(argv)
    print(f"{'extractor':<24} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8}")
    if args.reference:
        for name, s in reference_scores().items():
            print(f"{'ref:' + name:<24} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} {'-':>8}")
    for name, extract in (("accord", accord_extract), ("trafilatura defaults", trafilatura_defaults)):
        s, speed = run(extract)
        print(f"{name:<24} {s.f1:6.4f} {s.precision:6.4f} {s.recall:6.4f} {speed:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
