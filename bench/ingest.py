"""Benchmark: ingest throughput (documents and megabytes per second) and peak memory.

Two workloads, each read with ``accord.ingest.read`` exactly as the command line
reads a folder (format detection, gzip, decoding, extraction, header and
credit reading; no cleaning or analysis):

- html: the 181 gzip-compressed news pages of ../shared/bench/extraction/html
  (MB counted uncompressed), through the HTML extractor;
- text: 10,000 plain-text articles generated in a temporary folder from a
  template with variation (title, scraper header line, byline, 4-9 paragraphs,
  a wire dateline in one of four).

Peak memory is the process's maximum resident set size (resource.getrusage),
printed after each workload; it only grows, so the text figure includes the html one
unless --only text is given.

    python bench/ingest.py [--only html|text] [--articles 10000]
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from accord.ingest import read
from accord.model import Skipped

SHARED = Path(__file__).resolve().parents[2] / "shared"
HTML_PAGES = SHARED / "bench" / "extraction" / "html"

_PLACES = ["Veltria", "Ostmark", "Harbour City", "the Darin valley", "Kelvar", "the northern provinces"]
_PEOPLE = ["Ana Kell", "Tom Ren", "Lee Moss", "Mira Sand", "Olek Varn", "Ines Duval"]
_TOPICS = ["water accord", "port strike", "budget vote", "rail tender", "school reform", "grain tariff"]
_VERBS = ["said", "told reporters", "wrote in a statement", "added", "warned"]
_WIRES = ["AFP", "AP", "Reuters", "UPI"]


def article(rng: random.Random, number: int) -> str:
    """One invented plain-text news article, varied by ``rng``."""
    topic, place, person = rng.choice(_TOPICS), rng.choice(_PLACES), rng.choice(_PEOPLE)
    lines = [
        f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)} 200 https://outlet-{number % 40}.example/news/{number}",
        "",
        f"{place.capitalize()} moves on the {topic} as talks enter week {rng.randint(2, 9)}",
        "",
        f"By {person}",
        "",
    ]
    dateline = f"{place.upper()} ({rng.choice(_WIRES)}) — " if rng.random() < 0.25 else ""
    for paragraph in range(rng.randint(4, 9)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            figure = rng.randint(2, 95)
            sentences.append(
                f"The {topic} would cost about {figure} million and take {rng.randint(2, 30)} months, "
                f"{rng.choice(_PEOPLE)} {rng.choice(_VERBS)} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}."
            )
            if rng.random() < 0.3:
                sentences.append(f"“We will not accept a deal that leaves {place} behind,” {person} {rng.choice(_VERBS)}.")
        lines.append((dateline if paragraph == 0 else "") + " ".join(sentences))
        lines.append("")
    return "\n".join(lines)


def generate(folder: Path, count: int, *, seed: int = 7) -> int:
    """Write ``count`` articles into ``folder``; returns their total size in bytes."""
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        data = article(rng, number).encode("utf-8")
        (folder / f"{number:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def measure(label: str, items: list[str], megabytes: float) -> None:
    """Read ``items`` with ingest and print documents/s, MB/s and peak memory."""
    started = time.perf_counter()
    documents = skipped = 0
    for entry in read(items):
        if isinstance(entry, Skipped):
            skipped += 1
        else:
            documents += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(
        f"{label:<5} {documents:>6} documents ({skipped} skipped), {megabytes:7.1f} MB in {seconds:6.1f} s: "
        f"{documents / seconds:8.1f} documents/s, {megabytes / seconds:6.2f} MB/s; peak RSS {peak:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["html", "text"])
    parser.add_argument("--articles", type=int, default=10_000, help="plain-text articles to generate")
    args = parser.parse_args()
    if args.only in (None, "html"):
        pages = sorted(HTML_PAGES.glob("*.html.gz"))
        if not pages:
            sys.exit(f"the benchmark pages are missing: {HTML_PAGES}")
        size = sum(len(gzip.decompress(p.read_bytes())) for p in pages)
        measure("html", [str(p) for p in pages], size / 1e6)
    if args.only in (None, "text"):
        with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
            size = generate(Path(folder), args.articles)
            measure("text", [folder], size / 1e6)


if __name__ == "__main__":
    main()
