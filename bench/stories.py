"""Story grouping benchmark: which reports describe the same event.

Scored as ``../shared/README.md`` says (sections bench/ecbplus and
bench/allsides): all documents of a set are clustered together and BCubed
precision, recall and F1 are taken against the gold events.

- ECB+: gold event = (topic, ecb|ecbplus). No threshold is tuned on the topics
  it is scored on: the threshold is chosen on the odd topics and reported on the
  even ones, then the other way round; both directions are printed.
- AllSides roundups 2021: every left/centre/right article of every roundup,
  gold = the roundup id, grouped with the threshold tuned on ECB+ (all topics:
  AllSides played no part in choosing it).

Beside each figure it prints the baseline the README names: a TF-IDF bag of
words (IDF from the set itself) with average-link clustering, at its threshold
tuned on the same half (on AllSides: on ECB+, as accord's own default was), and
what a user would try first (the same clustering cut at cosine distance 0.8,
untuned); for reference also at its best threshold on the scored set itself,
which is how the README's 0.885 is stated.

    python3.11 bench/stories.py [--no-baseline] [--order given|shuffled]
"""

from __future__ import annotations

import argparse
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
from typing import Callable, Iterable, Sequence

from accord.group import group_stories, near_duplicates
from accord.group.stories import DEFAULT_THRESHOLD
from accord.model import Document, OffsetMap

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
ECBPLUS = BENCH / "ecbplus" / "docs"
ALLSIDES = BENCH / "allsides" / "roundups-2021.jsonl"

#: What a user would try first: TF-IDF and average link (scikit-learn's
#: AgglomerativeClustering, metric="cosine", linkage="average") cut at the
#: round cosine distance 0.8, i.e. similarity 0.2, with no tuning at all.
FIRST_TRY = 0.20
#: Thresholds tried when tuning (the grouping's own, then the baseline's).
STORY_GRID = [round(0.10 + 0.02 * i, 2) for i in range(16)]
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


def story_clusters(documents: Sequence[Document], threshold: float | None) -> list[list[str]]:
    return [s.documents for s in group_stories(documents, threshold=threshold)]


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
    return f"  {name:<44} P {p:.3f}  R {r:.3f}  F1 {f:.3f}{extra}"


def ecbplus_halves(
    *, baseline: bool = False, order: str = "given", quiet: bool = False, grid: Sequence[float] = STORY_GRID,
) -> dict[str, tuple[float, float, float]]:
    """Tune the threshold on one half of the ECB+ topics (odd or even topic
    numbers), score on the other, both ways. Returns the held-out figures by
    direction ("odd->even", "even->odd"); ``grid`` is the thresholds tried
    (a coarser one makes the gate test fast)."""
    topics = ecbplus_topics()
    halves = {
        "odd": [t for t in topics if t % 2 == 1],
        "even": [t for t in topics if t % 2 == 0],
    }
    docs = {name: read_ecbplus(ts) for name, ts in halves.items()}
    if order == "shuffled":
        for name in docs:
            random.Random(13).shuffle(docs[name])
    gold = {name: {d.id: ecbplus_gold(d.id) for d in ds} for name, ds in docs.items()}
    trees = {name: average_link_tree(ds) for name, ds in docs.items()} if baseline else {}
    held_out: dict[str, tuple[float, float, float]] = {}
    for tuned, scored in (("odd", "even"), ("even", "odd")):
        threshold, tuned_fig = tune(
            lambda t: story_clusters(docs[tuned], t), gold[tuned], grid
        )
        started = time.perf_counter()
        clusters = story_clusters(docs[scored], threshold)
        elapsed = time.perf_counter() - started
        figures = bcubed(clusters, gold[scored])
        held_out[f"{tuned}->{scored}"] = figures
        if quiet:
            continue
        print(f"ECB+ tuned on {tuned} topics ({len(docs[tuned])} docs), "
              f"scored on {scored} topics ({len(docs[scored])} docs):")
        print(_fmt(f"accord stories, threshold {threshold:.2f}", figures,
                   f"   ({len(clusters)} stories, {len(docs[scored]) / elapsed:.0f} docs/s;"
                   f" F1 {tuned_fig[2]:.3f} on the tuning half)"))
        if baseline:
            b_threshold, _ = tune(
                lambda t: cut_tree(trees[tuned], docs[tuned], t), gold[tuned], BASELINE_GRID
            )
            b_fig = bcubed(cut_tree(trees[scored], docs[scored], b_threshold), gold[scored])
            print(_fmt(f"TF-IDF + average link, threshold {b_threshold:.2f}", b_fig,
                       f"   (accord {figures[2] - b_fig[2]:+.3f})"))
            first = bcubed(cut_tree(trees[scored], docs[scored], FIRST_TRY), gold[scored])
            print(_fmt(f"first try: TF-IDF + average link at {FIRST_TRY:.2f}", first,
                       f"   (accord {figures[2] - first[2]:+.3f})"))
            o_threshold, o_fig = tune(
                lambda t: cut_tree(trees[scored], docs[scored], t), gold[scored], BASELINE_GRID
            )
            print(_fmt(f"  (its oracle best, threshold {o_threshold:.2f})", o_fig))
    return held_out


def ecbplus_all_topics_threshold() -> float:
    """The threshold of the grid that is best on all ECB+ topics, in topic
    order: how ``DEFAULT_THRESHOLD`` was chosen."""
    documents = read_ecbplus()
    gold = {d.id: ecbplus_gold(d.id) for d in documents}
    return tune(lambda t: story_clusters(documents, t), gold, STORY_GRID)[0]


def allsides(
    threshold: float = DEFAULT_THRESHOLD, *, baseline: bool = False, quiet: bool = False
) -> tuple[float, float, float]:
    """BCubed figures of grouping every AllSides article at ``threshold``
    (the library default, tuned on ECB+, unless told otherwise)."""
    documents, gold = read_allsides()
    started = time.perf_counter()
    clusters = story_clusters(documents, threshold)
    elapsed = time.perf_counter() - started
    figures = bcubed(clusters, gold)
    if quiet:
        return figures
    print(f"AllSides roundups 2021 ({len(documents)} articles, {len(set(gold.values()))} roundups):")
    print(_fmt(f"accord stories, default threshold {threshold:.2f}", figures,
               f"   ({len(clusters)} stories, {len(documents) / elapsed:.0f} docs/s)"))
    # For reference: a threshold tuned on AllSides itself, on the roundups of
    # odd rank in the file, scored on those of even rank.
    ranks = {r: n for n, r in enumerate(dict.fromkeys(gold.values()))}
    halves = [[d for d in documents if ranks[gold[d.id]] % 2 == side] for side in (1, 0)]
    split_gold = [{d.id: gold[d.id] for d in half} for half in halves]
    own, _ = tune(lambda t: story_clusters(halves[0], t), split_gold[0], STORY_GRID)
    own_fig = bcubed(story_clusters(halves[1], own), split_gold[1])
    print(_fmt(f"  (tuned on odd roundups {own:.2f}, even roundups)", own_fig))
    if baseline:
        # The baseline's threshold chosen as accord's was: on all ECB+ topics.
        ecb = read_ecbplus()
        ecb_gold = {d.id: ecbplus_gold(d.id) for d in ecb}
        ecb_tree = average_link_tree(ecb)
        b_threshold, _ = tune(lambda t: cut_tree(ecb_tree, ecb, t), ecb_gold, BASELINE_GRID)
        tree = average_link_tree(documents)
        b_fig = bcubed(cut_tree(tree, documents, b_threshold), gold)
        print(_fmt(f"TF-IDF + average link, threshold {b_threshold:.2f} (ECB+)", b_fig,
                   f"   (accord {figures[2] - b_fig[2]:+.3f})"))
        first = bcubed(cut_tree(tree, documents, FIRST_TRY), gold)
        print(_fmt(f"first try: TF-IDF + average link at {FIRST_TRY:.2f}", first,
                   f"   (accord {figures[2] - first[2]:+.3f})"))
        # And tuned on the odd roundups, scored on the even, as accord above.
        half_trees = [average_link_tree(half) for half in halves]
        h_threshold, _ = tune(lambda t: cut_tree(half_trees[0], halves[0], t), split_gold[0], BASELINE_GRID)
        h_fig = bcubed(cut_tree(half_trees[1], halves[1], h_threshold), split_gold[1])
        print(_fmt(f"  (TF-IDF + average link tuned on odd roundups {h_threshold:.2f}, even)", h_fig,
                   f"   (accord {own_fig[2] - h_fig[2]:+.3f})"))
        o_threshold, o_fig = tune(lambda t: cut_tree(tree, documents, t), gold, BASELINE_GRID)
        print(_fmt(f"  (TF-IDF + average link, oracle threshold {o_threshold:.2f})", o_fig))
    return figures


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
    parser.add_argument("--order", choices=("given", "shuffled"), default="given",
                        help="order documents are fed in (shuffled: fixed seed)")
    args = parser.parse_args(argv)
    baseline = not args.no_baseline
    ecbplus_halves(baseline=baseline, order=args.order)
    print(f"library default threshold {DEFAULT_THRESHOLD:.2f}; best on all ECB+ topics: "
          f"{ecbplus_all_topics_threshold():.2f}")
    allsides(DEFAULT_THRESHOLD, baseline=baseline)
    duplicates_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
