"""Benchmark: how much of real source lists the outlet registry resolves.

    python bench/outlets.py

Two source lists nobody wrote for accord:
- AllSides roundups 2021 (``../shared/bench/allsides/roundups-2021.jsonl``):
  each article's ``newsSource`` ("CNN (Online News)", "Guest Writer - Left",
  a columnist's name) and ``newsLink``;
- PolNeAR's ``metadata.tsv`` (``../shared/bench/polnear``): the ``publisher``
  slug of each article ("wash-post", "huff-post"), its ``wire`` and its "h/t:"
  ``credit``. Only the metadata file is read (no article of any split).

For each list it prints the share of distinct names (and of articles) that the
registry resolves (``OutletRegistry.find`` with the name and, for AllSides,
the link) beside a baseline that resolves a name only when it equals an
outlet's canonical name (case aside). For AllSides, where both the name and
the link resolve, it also prints how often they name the same outlet.

Last, the time ``count_origins`` takes for 100, 300 and 1,000 outlets' copies of
one sentence (identical, each with one word changed, or all different), beside
comparing every pair of passages as before (``--no-speed`` skips this part;
times on a shared machine are noisy).
"""

from __future__ import annotations

import csv
import json
import random
import sys
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from accord.compare.independence import Sources, count_origins  # noqa: E402
from accord.ingest.outlets import OutletRegistry, default_registry  # noqa: E402
from accord.model import Document, OffsetMap, Span  # noqa: E402

SHARED = ROOT.parent / "shared" / "bench"
if not SHARED.exists():
    SHARED = Path("/work/shared/bench")
ALLSIDES = SHARED / "allsides" / "roundups-2021.jsonl"
POLNEAR = SHARED / "polnear" / "metadata.tsv"


def exact_name(registry: OutletRegistry, name: str) -> bool:
    """The baseline: a name resolves when it is an outlet's canonical name."""
    names = {o.name.casefold() for o in registry}
    return name.strip().casefold() in names


def allsides_sources() -> Counter[tuple[str, str]]:
    sources: Counter[tuple[str, str]] = Counter()
    with ALLSIDES.open(encoding="utf-8") as lines:
        for line in lines:
            for article in json.loads(line)["news"].values():
                if article and article.get("newsSource"):
                    sources[(article["newsSource"], article.get("newsLink") or "")] += 1
    return sources


def polnear_names() -> dict[str, Counter[str]]:
    columns: dict[str, Counter[str]] = {"publisher": Counter(), "wire": Counter(), "credit": Counter()}
    with POLNEAR.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            columns["publisher"][row["publisher"]] += 1
            if row["wire"] not in ("None", "NA", ""):
                columns["wire"][row["wire"]] += 1
            credit = row["credit"]
            if credit.lower().startswith("h/t:"):
                columns["credit"][credit[4:].strip()] += 1
    return columns


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.3f})" if whole else "0/0"


def main() -> None:
    registry = default_registry()
    print(f"registry: {len(registry)} outlets, as of {registry.as_of}; "
          f"{sum(1 for o in registry if o.owner)} with an owner")
    print()
    sources = allsides_sources()
    by_name: dict[str, Counter[str]] = {}
    for (name, link), count in sources.items():
        by_name.setdefault(name, Counter())[link] += count
    names_total = len(by_name)
    articles_total = sum(sources.values())
    resolved_names = resolved_articles = base_names = base_articles = 0
    agree = kin = both = 0
    unresolved: Counter[str] = Counter()
    for name, links in by_name.items():
        count = sum(links.values())
        found = [registry.find(name=name, url=link) for link in links]
        hits = sum(c for f, c in zip(found, links.values()) if f)
        resolved_articles += hits
        resolved_names += any(found)
        if not any(found):
            unresolved[name] += count
        if exact_name(registry, name):
            base_names += 1
            base_articles += count
        named = registry.by_name(name)
        for link, c in links.items():
            at = registry.by_url(link)
            if named and at:
                both += c
                agree += c * (named is at)
                kin += c * (named is at or bool(named.owner) and named.owner == at.owner)
    print("AllSides roundups 2021 (newsSource, newsLink)")
    print(f"  distinct sources resolved: registry {share(resolved_names, names_total)}   "
          f"baseline exact name {share(base_names, names_total)}")
    print(f"  articles resolved:         registry {share(resolved_articles, articles_total)}   "
          f"baseline exact name {share(base_articles, articles_total)}")
    print(f"  name and link name the same outlet: {share(agree, both)}, the same outlet or owner: "
          f"{share(kin, both)} of articles where both resolve")
    print(f"  unresolved: {', '.join(f'{n} ({c})' for n, c in unresolved.most_common())}")
    print()
    print("PolNeAR metadata (publisher slug, wire, h/t credit)")
    for column, names in polnear_names().items():
        hits = [n for n in names if registry.by_name(n)]
        base = [n for n in names if exact_name(registry, n)]
        print(f"  {column:9} distinct resolved: registry {share(len(hits), len(names))}   "
              f"baseline exact name {share(len(base), len(names))}   "
              f"articles: {share(sum(names[n] for n in hits), sum(names.values()))}")
        missing = [n for n in names if n not in hits]
        if missing:
            print(f"            unresolved: {', '.join(missing)}")


_SENTENCE = ("The regional parliament of Norland approved a new budget on Wednesday after a debate that "
             "lasted two days and raised spending on rail lines by a fifth").split()


def story(count: int, kind: str, seed: int = 1) -> tuple[list[Span], Sources]:
    """``count`` outlets' passages: copies of one sentence ("same"), copies
    with one word changed ("edited"), or different sentences ("different")."""
    rng = random.Random(seed)
    documents = {}
    for number in range(count):
        words = list(_SENTENCE)
        if kind == "edited":
            words[rng.randrange(len(words))] = f"word{number}"
        elif kind == "different":
            words = [f"w{rng.randrange(5000)}" for _ in range(24)]
        text = " ".join(words)
        documents[f"d{number}"] = Document(id=f"d{number}", source=f"d{number}", format="text", text=text,
                                           sha256="0" * 64, offsets=OffsetMap.identity(len(text)), outlet=f"Outlet {number}")
    return [d.span(0, len(d.text)) for d in documents.values()], Sources(documents)


def every_pair(spans: list[Span], threshold: float = 0.85) -> int:
    """The method before: near-duplicates by comparing every pair of passages."""
    words = [[w.lower() for w in s.text.split()] for s in spans]
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            if find(i) != find(j) and SequenceMatcher(None, words[i], words[j], autojunk=False).ratio() >= threshold:
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(spans))})


def speed() -> None:
    print()
    print("count_origins on one sentence in N outlets (seconds; origins found)")
    for kind in ("same", "edited", "different"):
        cells = []
        for count in (100, 300, 1000):
            spans, sources = story(count, kind)
            start = time.perf_counter()
            origins = count_origins(spans, sources)
            ours = time.perf_counter() - start
            cell = f"N={count}: {ours:.3f} s ({origins})"
            if count <= 300:
                start = time.perf_counter()
                pairs = every_pair(spans)
                cell += f", every pair {time.perf_counter() - start:.3f} s ({pairs})"
            cells.append(cell)
        print(f"  {kind:9} " + "; ".join(cells))


if __name__ == "__main__":
    main()
    if "--no-speed" not in sys.argv:
        speed()
