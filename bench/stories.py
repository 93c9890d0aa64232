"""Story grouping benchmark: which reports describe the same event.

Scored as ``../shared/README.md`` says: each half of a set is clustered as one
pile and BCubed precision, recall and F1 are taken against the gold events.
Three sets, each cut in two halves by gold story; every threshold is tuned on
one half and scored on the other, both ways round:

- ECB+ topics 1-35 (36-45 are held out and never read), gold event = (topic,
  ecb|ecbplus), halves = odd and even topic numbers; no dates (a dateline in
  the text is all there is);
- GVC (``longform/gvc-dev.jsonl``), gold = the incident (``story``), halves =
  incidents of odd and even rank; dated;
- AllSides roundups 2021, gold = the roundup, halves = roundups of odd and even
  rank; dated where the article's URL carries the date.

Per direction it prints accord (``group_stories``: the pile clustered as a
whole), the README's baseline in the same run (TF-IDF with the half's own IDF,
average link, scipy) at the threshold tuned on the same half and at the
untuned cosine distance 0.8, accord minus the better of the two, and what a
store ends at (``StoryIndex``: documents added one at a time in a shuffled
order, each re-clustering its neighbourhood as a pile at the same threshold).

    python bench/stories.py [--no-baseline] [--no-stream] [--sets ecbplus,gvc,allsides]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import html
import json
import math
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from accord.group import near_duplicates
from accord.group.features import raw_features
from accord.group.pile import PileGraph, pile_graph, pile_settings
from accord.group.stories import stream_stories
from accord.model import Document, OffsetMap
from accord.settings import DEFAULT, Settings

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
ECBPLUS = BENCH / "ecbplus" / "docs"
ALLSIDES = BENCH / "allsides" / "roundups-2021.jsonl"
GVC = BENCH / "longform" / "gvc-dev.jsonl"

#: What a user would try first: TF-IDF and average link (scikit-learn's
#: AgglomerativeClustering, metric="cosine", linkage="average") cut at the
#: round cosine distance 0.8, i.e. similarity 0.2, with no tuning at all.
FIRST_TRY = 0.20
#: Thresholds tried when tuning (the grouping's own, then the baseline's).
PILE_GRID = [round(0.02 + 0.01 * i, 2) for i in range(25)]
BASELINE_GRID = [round(0.02 + 0.02 * i, 2) for i in range(40)]

#: ECB+ splits "5.9", "zero-day", "22:07" and "11/28/05" into tokens; these
#: rejoin them as the article printed them.
_SPLIT_JOINS = [
    (re.compile(r"(?<=\d) ([.,:/]) (?=\d)"), r"\1"),
    (re.compile(r"(?<=\w) (-) (?=\w)"), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d)\b"), r"\1"),
]
_DATELINE = re.compile(
    r"^\W*(?:(?:last )?updated|published|posted|first published)\b|^\W*\d{1,2} \w+ (?:19|20)\d\d\b"
    r"|^\W*\w+ \d{1,2} , (?:19|20)\d\d|^[\d\s/:.,]+$|^\w{3} \d{1,2}$",
    re.I,
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_TOKEN = re.compile(r'<token [^>]*sentence="(\d+)"[^>]*>(.*?)</token>', re.S)


# --------------------------------------------------------------------------- data


def make_document(
    doc_id: str, text: str, *, title: str | None = None, published: str | None = None,
    source: str | None = None, url: str | None = None, outlet: str | None = None,
) -> Document:
    """A plain-text Document as ingest would make it from an in-memory article."""
    return Document(
        id=doc_id,
        source=source or doc_id,
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
        published=published,
        title=title,
        url=url,
        outlet=outlet,
    )


def read_ecbplus_file(path: Path) -> Document:
    """One ECB+ document: its ``<token>`` texts joined with spaces, a sentence a
    line. ECB+ (not ECB) files open with the page's URL and its title as their
    first two sentences: these become the document's ``url`` and ``title``, as
    ingest would treat a page's header, and the body is the rest."""
    sentences: dict[int, list[str]] = {}
    for number, token in _TOKEN.findall(path.read_text(encoding="utf-8")):
        sentences.setdefault(int(number), []).append(html.unescape(token))
    lines = [detokenize(" ".join(tokens)) for _, tokens in sorted(sentences.items())]
    url = title = None
    if lines and lines[0].replace(" ", "").startswith("http"):
        url = lines.pop(0).replace(" ", "")
        # The title is the first line after the URL that is not a dateline.
        for n, line in enumerate(lines[:3]):
            if not _DATELINE.search(line):
                title = lines.pop(n)
                break
    return make_document(path.stem, "\n".join(lines), title=title, source=str(path), url=url)


def detokenize(line: str) -> str:
    """Undo the tokenizer's splits inside numbers, hyphenated words and clitics."""
    for pattern, joined in _SPLIT_JOINS:
        line = pattern.sub(joined, line)
    return line


def ecbplus_key(path: Path) -> tuple[int, int, int]:
    """Sort key: topic, document number, ECB before ECB+."""
    topic, rest = path.stem.split("_", 1)
    number = int(re.match(r"\d+", rest).group())
    return int(topic), number, 1 if rest.endswith("ecbplus") else 0


def ecbplus_gold(doc_id: str) -> str:
    """The gold event of an ECB+ document: its topic and its half."""
    topic = doc_id.split("_", 1)[0]
    return f"{topic}/{'ecbplus' if doc_id.endswith('ecbplus') else 'ecb'}"


def read_ecbplus(topics: Iterable[int] | None = None) -> list[Document]:
    """The ECB+ documents of the given topics (all when None), ordered by topic,
    document number, ECB before ECB+."""
    wanted = set(topics) if topics is not None else None
    paths = sorted(ECBPLUS.glob("*/*.xml"), key=ecbplus_key)
    return [
        read_ecbplus_file(p) for p in paths if wanted is None or ecbplus_key(p)[0] in wanted
    ]


def ecbplus_topics() -> list[int]:
    return sorted(int(p.name) for p in ECBPLUS.iterdir() if p.is_dir())


def read_allsides(
    path: Path = ALLSIDES, *, url_dates: bool = True
) -> tuple[list[Document], dict[str, str]]:
    """Every article of the AllSides roundups (left, centre, right), with its
    outlet, title and URL; and gold: document id -> roundup id.

    The file gives no article dates (the roundup's date belongs to the gold
    story, so it is not used). Where the article's URL carries its date
    (``/2021/10/18/``), that becomes ``published``, as ingest's date finder
    would read it; ``url_dates=False`` leaves every date unknown."""
    documents: list[Document] = []
    gold: dict[str, str] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            roundup = json.loads(line)
            for side in ("left", "center", "right"):
                article = (roundup.get("news") or {}).get(side)
                if not article or not article.get("newBody"):
                    continue
                doc_id = f"{roundup['id']}-{side}"
                text = "\n".join(p.strip() for p in article["newBody"] if p.strip())
                link = article.get("newsLink") or ""
                dated = _URL_DATE.search(link) if url_dates else None
                documents.append(
                    make_document(
                        doc_id, text, title=article.get("newsTitle"),
                        outlet=article.get("newsSource"), url=link or None,
                        published="-".join(dated.groups()) if dated else None,
                    )
                )
                gold[doc_id] = str(roundup["id"])
    return documents, gold


# --------------------------------------------------------------------------- scoring


def bcubed(clusters: Sequence[Sequence[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering of the items of ``gold``
    (item -> gold class). Every item must be in exactly one cluster."""
    class_size = Counter(gold.values())
    precision = recall = 0.0
    seen = 0
    for cluster in clusters:
        in_class = Counter(gold[item] for item in cluster)
        for item in cluster:
            shared = in_class[gold[item]]
            precision += shared / len(cluster)
            recall += shared / class_size[gold[item]]
            seen += 1
    if seen != len(gold):
        raise ValueError(f"clustering covers {seen} items, gold has {len(gold)}")
    p, r = precision / seen, recall / seen
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def tune(
    cluster: Callable[[float], list[list[str]]], gold: dict[str, str], grid: Sequence[float]
) -> tuple[float, tuple[float, float, float]]:
    """The threshold of ``grid`` with the best BCubed F1, and its figures."""
    best = max(((t, bcubed(cluster(t), gold)) for t in grid), key=lambda tf: (tf[1][2], -tf[0]))
    return best


# --------------------------------------------------------------------------- baseline


def tfidf_vectors(documents: Sequence[Document]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors of lowercased word tokens (title and body), IDF from
    the documents themselves: the README's baseline."""
    tokenized = [
        re.findall(r"\w+", f"{d.title or ''}\n{d.text}".lower()) for d in documents
    ]
    df = Counter(t for tokens in tokenized for t in set(tokens))
    n = len(documents)
    vectors = []
    for tokens in tokenized:
        tf = Counter(tokens)
        vec = {t: c * math.log(n / df[t]) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors.append({t: w / norm for t, w in vec.items()})
    return vectors


def average_link_tree(documents: Sequence[Document]):
    """The average-link dendrogram over cosine distances of TF-IDF vectors
    (needs numpy and scipy; the baseline is quadratic, which is its point)."""
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist

    vectors = tfidf_vectors(documents)
    vocabulary = {t: i for i, t in enumerate(sorted({t for v in vectors for t in v}))}
    matrix = np.zeros((len(vectors), len(vocabulary)), dtype=np.float32)
    for row, vec in enumerate(vectors):
        for t, w in vec.items():
            matrix[row, vocabulary[t]] = w
    return linkage(pdist(matrix, "cosine"), method="average")


def cut_tree(tree, documents: Sequence[Document], similarity: float) -> list[list[str]]:
    """Clusters of the dendrogram whose average similarity is at least ``similarity``."""
    from scipy.cluster.hierarchy import fcluster

    labels = fcluster(tree, t=1.0 - similarity, criterion="distance")
    clusters: dict[int, list[str]] = {}
    for document, label in zip(documents, labels):
        clusters.setdefault(int(label), []).append(document.id)
    return list(clusters.values())


# --------------------------------------------------------------------------- report


def _fmt(name: str, figures: tuple[float, float, float], extra: str = "") -> str:
    p, r, f = figures
    return f"  {name:<48} P {p:.3f}  R {r:.3f}  F1 {f:.3f}{extra}"


@dataclass
class Half:
    """One half of a set: its documents, gold, and what each method needs
    prepared once (the pile's similarity graph, the baseline's dendrogram)."""

    name: str
    documents: list[Document]
    gold: dict[str, str]
    graph: PileGraph | None = None
    tree: object = None

    def accord(self, threshold: float) -> list[list[str]]:
        return [[self.documents[i].id for i in c] for c in self.graph.clusters(threshold)]

    def baseline(self, threshold: float) -> list[list[str]]:
        return cut_tree(self.tree, self.documents, threshold)


def split_halves(name: str, documents: list[Document], gold: dict[str, str], side_of: Callable[[str], int]) -> list[Half]:
    """The documents whose gold story ``side_of`` puts on side 1 ("odd"),
    then side 0 ("even")."""
    halves = []
    for side, label in ((1, "odd"), (0, "even")):
        part = [d for d in documents if side_of(gold[d.id]) == side]
        halves.append(Half(f"{name} {label}", part, {d.id: gold[d.id] for d in part}))
    return halves


def ranked_sides(gold: dict[str, str]) -> Callable[[str], int]:
    """Side of a gold story: odd or even rank in sorted order of the ids."""
    ranks = {story: n for n, story in enumerate(sorted(set(gold.values())), start=1)}
    return lambda story: ranks[story] % 2


def read_gvc(path: Path = GVC) -> tuple[list[Document], dict[str, str]]:
    """The GVC reports (dated; gold = the incident, ``story``)."""
    documents, gold = [], {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            documents.append(make_document(
                row["id"], row["text"], title=row.get("title"), published=row.get("published"),
                outlet=row.get("outlet"), url=row.get("url"),
            ))
            gold[row["id"]] = str(row["story"])
    return documents, gold


def bench_sets(names: Sequence[str] = ("ecbplus", "gvc", "allsides")) -> dict[str, list[Half]]:
    """Each set split in two halves by gold story: ECB+ topics 1-35 by odd or
    even topic number (topics 36-45 are held out and never read), GVC by
    incident and the AllSides roundups by roundup (odd or even rank)."""
    sets: dict[str, list[Half]] = {}
    if "ecbplus" in names:
        documents = read_ecbplus(t for t in ecbplus_topics() if t <= 35)
        gold = {d.id: ecbplus_gold(d.id) for d in documents}
        sets["ECB+"] = split_halves("ECB+", documents, gold, lambda g: int(g.split("/")[0]) % 2)
    if "gvc" in names:
        documents, gold = read_gvc()
        sets["GVC"] = split_halves("GVC", documents, gold, ranked_sides(gold))
    if "allsides" in names:
        documents, gold = read_allsides()
        sets["AllSides"] = split_halves("AllSides", documents, gold, ranked_sides(gold))
    return sets


def prepare(half: Half, *, baseline: bool, settings: Settings = DEFAULT) -> float:
    """Build the half's pile graph (and the baseline's dendrogram); returns
    the CPU seconds the pile took."""
    started = time.process_time()
    weighing = pile_settings(settings)
    raw = [raw_features(d, settings=weighing) for d in half.documents]
    half.graph = pile_graph(raw, settings)
    elapsed = time.process_time() - started
    if baseline:
        half.tree = average_link_tree(half.documents)
    return elapsed


def stream_figures(half: Half, pile_threshold: float, *, seed: int = 13) -> tuple[float, float, float]:
    """BCubed of the online index (what a store does) fed the half's
    documents one at a time in a shuffled order, its neighbourhoods
    re-clustered as a pile at ``pile_threshold`` (``story_recluster``)."""
    documents = list(half.documents)
    random.Random(seed).shuffle(documents)
    settings = dataclasses.replace(DEFAULT, story_pile_threshold=pile_threshold)
    return bcubed([s.documents for s in stream_stories(documents, settings=settings)], half.gold)


def held_out(
    halves: Sequence[Half], *, baseline: bool, grid: Sequence[float] = PILE_GRID, stream: bool = True,
    quiet: bool = False,
) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Tune on one half, score on the other, both ways. Returns, by direction
    ("odd->even", "even->odd"), the held-out figures of "accord" (the pile),
    and with ``baseline`` "tuned" and "first try", with ``stream`` "stream"."""
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    for tuned, scored in ((halves[0], halves[1]), (halves[1], halves[0])):
        direction = f"{tuned.name.split()[-1]}->{scored.name.split()[-1]}"
        threshold, tuned_fig = tune(tuned.accord, tuned.gold, grid)
        figures = bcubed(scored.accord(threshold), scored.gold)
        row = {"accord": figures}
        lines = [_fmt(f"accord pile, threshold {threshold:.2f}", figures,
                      f"   (F1 {tuned_fig[2]:.3f} on the tuning half)")]
        if baseline:
            b_threshold, _ = tune(tuned.baseline, tuned.gold, BASELINE_GRID)
            row["tuned"] = bcubed(scored.baseline(b_threshold), scored.gold)
            row["first try"] = bcubed(scored.baseline(FIRST_TRY), scored.gold)
            better = max(row["tuned"][2], row["first try"][2])
            lines.append(_fmt(f"TF-IDF + average link, tuned {b_threshold:.2f}", row["tuned"]))
            lines.append(_fmt(f"TF-IDF + average link, first try {FIRST_TRY:.2f}", row["first try"]))
            lines.append(f"  accord - better baseline: {figures[2] - better:+.3f}")
        if stream:
            row["stream"] = stream_figures(scored, threshold)
            lines.append(_fmt(f"a store: one at a time, shuffled, {threshold:.2f}", row["stream"],
                              f"   (pile {figures[2] - row['stream'][2]:+.3f})"))
        results[direction] = row
        if not quiet:
            print(f"{scored.name.rsplit(' ', 1)[0]}: tuned on the {tuned.name.split()[-1]} half "
                  f"({len(tuned.documents)} docs), scored on the {scored.name.split()[-1]} "
                  f"({len(scored.documents)} docs, {len(set(scored.gold.values()))} stories):")
            print("\n".join(lines), flush=True)
    return results


def duplicates_report() -> None:
    """Near-duplicate groups found in each set, how fast, and how many of them
    straddle two gold events (a reprint must never)."""
    ecb = read_ecbplus()
    sides, side_gold = read_allsides()
    for name, documents, gold in (
        ("ECB+", ecb, {d.id: ecbplus_gold(d.id) for d in ecb}),
        ("AllSides", sides, side_gold),
    ):
        started = time.perf_counter()
        groups = near_duplicates(documents)
        elapsed = time.perf_counter() - started
        straddling = sum(1 for g in groups if len({gold[i] for i in g}) > 1)
        print(f"near-duplicates in {name}: {len(groups)} groups of "
              f"{sum(map(len, groups))} documents, {straddling} across gold events "
              f"({len(documents) / elapsed:.0f} docs/s)")



def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip the TF-IDF baseline")
    parser.add_argument("--no-stream", action="store_true", help="skip the online index (store) figures")
    parser.add_argument("--sets", default="ecbplus,gvc,allsides", help="comma-separated: ecbplus, gvc, allsides")
    parser.add_argument("--duplicates", action="store_true", help="also report near-duplicates")
    args = parser.parse_args(argv)
    baseline = not args.no_baseline
    every: list[Half] = []
    for name, halves in bench_sets(args.sets.split(",")).items():
        seconds = sum(prepare(half, baseline=baseline) for half in halves)
        count = sum(len(h.documents) for h in halves)
        print(f"== {name}: {count} documents; pile graph {1000 * seconds / count:.1f} ms CPU a document", flush=True)
        held_out(halves, baseline=baseline, stream=not args.no_stream)
        every.extend(halves)
    # One threshold for every set (the library's default): the best mean F1
    # over all the halves.
    means = {t: sum(bcubed(h.accord(t), h.gold)[2] for h in every) / len(every) for t in PILE_GRID}
    best = max(means, key=lambda t: (means[t], -t))
    print(f"one threshold for all {len(every)} halves: {best:.2f} (mean F1 {means[best]:.3f}); library default "
          f"{DEFAULT.story_pile_threshold:.2f} (mean F1 {means.get(DEFAULT.story_pile_threshold, float('nan')):.3f})")
    if args.duplicates:
        duplicates_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
