"""Benchmark: the quality of the dossier summary and of its citations.

Citation quality (ALCE-style, with lexical coverage in place of an entailment
model), on the five reports of ../shared/corpora/rubio-lavrov-2025-07 and on the
AllSides roundups (each roundup's articles are one story):

- supported: share of summary sentences whose content words are all covered by
  the words of the spans they cite (attribution and disagreement framing —
  "reports differ on", the names of the cited outlets — is allowed uncited;
  the list is FRAMING below);
- citation recall: the same, sentence by sentence, averaged (ALCE's recall);
- citation precision: share of citations that are needed: a citation covers at
  least half of its sentence's content words by itself, or removing it lowers
  what the remaining citations cover (ALCE's precision).

Summary quality on bench/allsides neus/val: ROUGE-1/2/L F1 (rouge-score,
stemmed) of the dossier summary against AllSides' neutral summary (the target
with its "TITLE=>"/"ARTICLE=>" markers removed), beside a LexRank baseline
computed in the same run on the same sentences (TF-IDF cosine graph, threshold
0.1, damping 0.85, the top three sentences, redundant ones skipped).

Support on the long-form dev set (BASIL triplets and GVC incidents of
``python bench/devset.py keys --longform``): the summary sentences of
LONGFORM_KEYS judged by reading whether what they cite says what they say
(``bench/summary-labels/longform.json``: per story, each sentence named by
the input offsets of the spans it cites and its length, never by its text,
with the judgement), beside the lexical "supported" of the same sentences.
A sentence the labels do not name (the summary changed) is counted as
unlabelled: relabel it by reading (``--show``).

    python bench/summary.py [--roundups N] [--neus N] [--neus-split val|train] [--longform-only] [--show]
                            [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

import accord

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora" / "rubio-lavrov-2025-07"
ALLSIDES = SHARED / "bench" / "allsides"
_WORD = re.compile(r"\w+")
#: Words a summary may use to attribute and to say that sources disagree.
FRAMING = frozenset({"reports", "differ", "report", "say", "says", "said", "according", "versus", "against",
                     "what", "how", "long", "lasted", "many", "share", "amount", "date", "distance",
                     # the mark after a garbled word the summary quotes
                     "sic"})


# --------------------------------------------------------------------------- citations


def content_words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOP_WORDS and len(w) > 1 or w.isdigit()]


def _covered(words: Sequence[str], vocabulary: set[str]) -> float:
    return sum(1 for w in words if w in vocabulary) / len(words) if words else 1.0


def citation_scores(dossier: dict[str, Any]) -> dict[str, float]:
    """Supported share, citation recall and citation precision of one dossier's summary."""
    labels = {d["id"]: (d["outlet"] or Path(d["source"]).name) for d in dossier["documents"]}
    supported, recalls, needed, citations = 0, [], 0, 0
    for sentence in dossier["summary"]:
        framing = set(FRAMING)
        for span in sentence["support"]:
            framing.update(w.lower() for w in _WORD.findall(labels[span["doc"]]))
        words = [w for w in content_words(sentence["text"]) if w not in framing]
        vocabularies = [set(content_words(s["text"])) for s in sentence["support"]]
        union = set().union(*vocabularies) if vocabularies else set()
        coverage = _covered(words, union)
        supported += coverage == 1.0
        recalls.append(coverage)
        for i, vocabulary in enumerate(vocabularies):
            citations += 1
            others = set().union(*(v for j, v in enumerate(vocabularies) if j != i))
            if _covered(words, vocabulary) >= 0.5 or _covered(words, others) < coverage:
                needed += 1
    count = len(dossier["summary"])
    return {
        "sentences": count,
        "supported": supported / count if count else 0.0,
        "recall": sum(recalls) / count if count else 0.0,
        "precision": needed / citations if citations else 0.0,
    }


def _mean(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    sentences = sum(r["sentences"] for r in rows)
    return {
        "stories": len(rows),
        "sentences": sentences,
        # Sentence-weighted, as ALCE averages over statements.
        "supported": sum(r["supported"] * r["sentences"] for r in rows) / sentences,
        "recall": sum(r["recall"] * r["sentences"] for r in rows) / sentences,
        "precision": sum(r["precision"] * r["sentences"] for r in rows) / sentences,
    }


def roundup_articles(limit: int | None = None) -> list[list[accord.Article]]:
    """Each AllSides roundup's articles, in memory."""
    stories = []
    with (ALLSIDES / "roundups-2021.jsonl").open() as stream:
        for line in stream:
            row = json.loads(line)
            articles = []
            for side in ("left", "center", "right"):
                news = row["news"].get(side)
                if news and news.get("newBody"):
                    articles.append(accord.Article("\n".join(news["newBody"]), title=news.get("newsTitle"),
                                                   outlet=news.get("newsSource"), url=news.get("newsLink")))
            if len(articles) >= 2:
                stories.append(articles)
            if limit and len(stories) >= limit:
                break
    return stories


def citation_benchmark(roundups: int | None) -> dict[str, dict[str, float]]:
    corpus = citation_scores(accord.dossier([CORPUS]).to_dict())
    allsides = _mean(citation_scores(accord.dossier(story).to_dict()) for story in roundup_articles(roundups))
    return {"rubio-lavrov": {"stories": 1, **corpus}, "allsides": allsides}


# --------------------------------------------------------------------------- long-form support

LONGFORM_LABELS = Path(__file__).resolve().parent / "summary-labels" / "longform.json"
#: The long-form stories whose summaries are labelled: the first BASIL triplets
#: and GVC incidents of the dev set's order (not chosen by their summaries).
LONGFORM_KEYS = ("basil-2", "basil-4", "basil-6", "basil-8", "basil-10", "basil-12",
                 "gvc-178149", "gvc-207298", "gvc-282956", "gvc-295502", "gvc-306048", "gvc-315594",
                 "gvc-356646", "gvc-401223", "gvc-418318", "gvc-443637")


def longform_dossier(key: str, cache: Path | None = None) -> tuple[list[str], accord.Dossier]:
    """The names of a long-form story's documents (as the dev set names them)
    and its dossier; the analyses come from ``cache`` when it holds them."""
    import pickle

    import devset

    sources = devset.sources(key)
    path = cache / f"longform-{key}.pickle" if cache else None
    if path is not None and path.exists():
        batch = pickle.loads(path.read_bytes())
    else:
        batch = accord.analyze([s.item for s in sources])
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(batch))
    return [s.name for s in sources], accord.dossier(batch)


def sentence_key(names: Sequence[str], dossier: accord.Dossier, sentence: Any) -> str:
    """A summary sentence named without its text: the input offsets of the
    spans it cites (document by its dev-set name) and its length."""
    index = {d.id: i for i, d in enumerate(dossier.documents)}
    by_id = {d.id: d for d in dossier.documents}
    cited = []
    for span in sentence.support:
        raw = by_id[span.doc].offsets.source_span(span.start, span.end)
        cited.append(f"{names[index[span.doc]]}:{raw[0]}-{raw[1]}" if raw else f"{names[index[span.doc]]}:?")
    return f"{len(sentence.text)}|" + ",".join(cited)


def longform_benchmark(keys: Sequence[str] = LONGFORM_KEYS, cache: Path | None = None,
                       show: bool = False) -> dict[str, float]:
    """Labelled support of the long-form summaries: the share of labelled
    sentences judged supported, how many sentences are unlabelled, and the
    lexical "supported" of the same sentences (the baseline measure)."""
    labels = json.loads(LONGFORM_LABELS.read_text(encoding="utf-8")) if LONGFORM_LABELS.exists() else {}
    judged = supported = miscited = unlabelled = lexical = total = 0
    for key in keys:
        names, dossier = longform_dossier(key, cache)
        story = labels.get(key, {})
        scores = citation_scores(dossier.to_dict())
        total += len(dossier.summary)
        lexical += round(scores["supported"] * len(dossier.summary))
        for number, sentence in enumerate(dossier.summary):
            name = sentence_key(names, dossier, sentence)
            if name in story:
                judged += 1
                supported += story[name].startswith("supported")
                miscited += story[name] == "supported-miscited"
            else:
                unlabelled += 1
            if show:
                print(f"== {key} #{number} {name} [{story.get(name, 'UNLABELLED')}]\n  {sentence.text}")
                for span in sentence.support:
                    print(f"   <{span.doc}> {span.text}")
    return {"stories": len(keys), "sentences": total, "judged": judged, "unlabelled": unlabelled,
            "supported": supported / judged if judged else 0.0,
            "well_cited": (supported - miscited) / judged if judged else 0.0,
            "lexical": lexical / total if total else 0.0}


# --------------------------------------------------------------------------- summaries


_MARKERS = re.compile(r"TITLE=>|ARTICLE=>")


def neus_stories(limit: int | None = None, split: str = "val") -> list[tuple[list[accord.Article], str]]:
    """NeuS stories: three outlets' leads and AllSides' neutral summary."""
    sources = (ALLSIDES / "neus" / f"{split}.source").read_text().splitlines()
    targets = (ALLSIDES / "neus" / f"{split}.target").read_text().splitlines()
    stories = []
    for source, target in list(zip(sources, targets))[:limit]:
        articles = []
        for part in source.split(" [SEP] "):
            match = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", part, re.S)
            if match:
                articles.append(accord.Article(match.group(2), title=match.group(1)))
        stories.append((articles, " ".join(_MARKERS.sub(" ", target).split())))
    return stories


def lexrank(sentences: Sequence[str], count: int = 3, threshold: float = 0.1, damping: float = 0.85) -> list[str]:
    """The ``count`` most central sentences by LexRank (Erkan & Radev 2004)."""
    if not sentences:
        return []
    bags = [Counter(content_words(s)) for s in sentences]
    frequency = Counter(w for bag in bags for w in bag)
    n = len(sentences)
    idf = {w: math.log(n / f) + 1.0 for w, f in frequency.items()}
    vectors = [{w: c * idf[w] for w, c in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]

    def cosine(i: int, j: int) -> float:
        a, b = vectors[i], vectors[j]
        return sum(a[w] * b.get(w, 0.0) for w in a) / (norms[i] * norms[j])

    similarity = [[cosine(i, j) for j in range(n)] for i in range(n)]
    links = [[1.0 if similarity[i][j] > threshold else 0.0 for j in range(n)] for i in range(n)]
    degree = [sum(row) or 1.0 for row in links]
    scores = [1.0 / n] * n
    for _ in range(100):
        scores = [(1 - damping) / n + damping * sum(links[j][i] / degree[j] * scores[j] for j in range(n)) for i in range(n)]
    chosen: list[int] = []
    for i in sorted(range(n), key=lambda k: -scores[k]):
        if all(similarity[i][j] < 0.5 for j in chosen):
            chosen.append(i)
        if len(chosen) == count:
            break
    return [sentences[i] for i in chosen]


def rouge_benchmark(limit: int | None, split: str = "val") -> dict[str, dict[str, float]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"accord": Counter(), "lexrank": Counter()}
    stories = neus_stories(limit, split)
    for articles, target in stories:
        batch = accord.analyze(articles)
        dossier = accord.dossier(batch)
        ours = " ".join(s.text for s in dossier.summary)
        sentences = [a.document.text[s:e].strip() for a in batch.analyses for s, e in a.sentences]
        baseline = " ".join(lexrank([s for s in sentences if s]))
        for name, summary in (("accord", ours), ("lexrank", baseline)):
            for metric, score in scorer.score(target, summary).items():
                totals[name][metric] += score.fmeasure
    return {name: {m: v / len(stories) for m, v in scores.items()} for name, scores in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roundups", type=int, default=None, help="AllSides roundups to use (default: all)")
    parser.add_argument("--neus", type=int, default=None, help="NeuS stories to use (default: all of the split)")
    # Tuning reads train; figures are reported on val; the test split is held out and never read.
    parser.add_argument("--neus-split", choices=("val", "train"), default="val",
                        help="the NeuS split to score (default: val; tune on train)")
    parser.add_argument("--longform-only", action="store_true", help="only the labelled long-form support")
    parser.add_argument("--show", action="store_true", help="print each long-form sentence and what it cites")
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached long-form analyses")
    args = parser.parse_args()
    start = time.perf_counter()
    scores = longform_benchmark(cache=args.cache, show=args.show)
    print(f"longform labelled  stories {scores['stories']:4}  sentences {scores['sentences']:5}  judged "
          f"{scores['judged']}  unlabelled {scores['unlabelled']}  supported {scores['supported']:.3f}  "
          f"every citation right {scores['well_cited']:.3f}  "
          f"(lexical supported of all, same run: {scores['lexical']:.3f})")
    if args.longform_only:
        return
    for name, scores in citation_benchmark(args.roundups).items():
        print(f"citations {name:13} stories {scores['stories']:4}  sentences {scores['sentences']:5}  "
              f"supported {scores['supported']:.3f}  recall {scores['recall']:.3f}  precision {scores['precision']:.3f}")
    for name, scores in rouge_benchmark(args.neus, args.neus_split).items():
        print(f"neus/{args.neus_split} {name:8} ROUGE-1 {scores['rouge1']:.4f}  ROUGE-2 {scores['rouge2']:.4f}  ROUGE-L {scores['rougeL']:.4f}")
    print(f"time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
