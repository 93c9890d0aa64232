"""Fit the attribution model of ``accord.analyze.attribution`` on PolNeAR train.

Each candidate content of each verb (``quotes._candidates``) is labelled an
attribution when it matches a gold attribution of its article as the benchmark
matches them (overlap at least half of the longer content span). A logistic
regression over the candidates' features is fitted by stochastic gradient
descent (AdaGrad, L2); features seen fewer than ``--min-count`` times are
dropped. The decision threshold is then chosen as the one of a few that gives
the best F1 of the whole quotation finder (accord's default mode, "speech")
on train. Only train is read. The weights file records its format and the
features version of ``accord.analyze.attribution`` (the loader refuses
others).

    python3.11 bench/train_attribution.py [--cache /tmp/polnear-train.spacy]

``--cache`` keeps the parses of train in a DocBin (parsing takes minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))

import polnear  # noqa: E402

from accord.analyze import attribution  # noqa: E402
from accord.analyze.nlp import load  # noqa: E402
from accord.analyze.quotes import _candidates, _Context, find_quotes  # noqa: E402

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def parses(split: str, cache: Path | None) -> list:
    """The parses of every article of ``split``, from ``cache`` when it is there."""
    nlp = load()
    if cache is not None and cache.is_file():
        return list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    docs = list(nlp.pipe((text for _, text, _ in polnear.articles(split)), batch_size=16))
    if cache is not None:
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return docs


def examples(docs: list, items: list) -> list[tuple[list[str], int]]:
    """(features, label) of every candidate of every article."""
    out = []
    for sdoc, (_, text, ann) in zip(docs, items):
        gold = polnear.read_gold(ann, text)
        for _, (s, e), feats, _ in _candidates(_Context(sdoc)):
            overlaps = (polnear._overlap((s, e), (g.start, g.end)) for g in gold)
            spans = (max(e - s, g.end - g.start) for g in gold)
            label = any(ov and 2 * ov >= n for ov, n in zip(overlaps, spans))
            out.append((feats, int(label)))
    return out


def fit(data: list[tuple[list[str], int]], *, epochs: int, l2: float, rate: float, min_count: int) -> dict[str, float]:
    """Logistic regression weights by AdaGrad over the examples."""
    counts = Counter(f for feats, _ in data for f in set(feats))
    keep = {f for f, n in counts.items() if n >= min_count}
    rows = [([f for f in feats if f in keep], y) for feats, y in data]
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    rng = random.Random(13)
    for epoch in range(epochs):
        rng.shuffle(rows)
        loss = 0.0
        for feats, y in rows:
            z = max(-30.0, min(30.0, sum(w.get(f, 0.0) for f in feats)))
            p = 1.0 / (1.0 + math.exp(-z))
            loss -= math.log(p if y else 1.0 - p)
            grad = p - y
            for f in feats:
                wf = w.get(f, 0.0)
                g = grad + l2 * wf
                g2[f] = g2.get(f, 0.0) + g * g
                w[f] = wf - rate * g / math.sqrt(g2[f] + 1e-8)
        print(f"epoch {epoch + 1}: mean loss {loss / len(rows):.4f}", flush=True)
    return {f: round(v, 4) for f, v in w.items() if abs(v) >= 1e-3}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="DocBin of train's parses")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument(
        "--holdout", type=int, default=0,
        help="fit on all but the last N train articles and score those (to choose the options)",
    )
    parser.add_argument("--mode", default="speech", choices=["speech", "attribution"], help="finder whose F1 picks the threshold")
    args = parser.parse_args(argv)
    items = polnear.articles("train")
    t0 = time.perf_counter()
    docs = parses("train", args.cache)
    print(f"{len(docs)} train articles parsed in {time.perf_counter() - t0:.0f}s", flush=True)
    fit_to = len(docs) - args.holdout
    data = examples(docs[:fit_to], items[:fit_to])
    print(f"{len(data)} candidates, {sum(y for _, y in data)} attributions", flush=True)
    w = fit(data, epochs=args.epochs, l2=args.l2, rate=args.rate, min_count=args.min_count)
    # The threshold is chosen on the held-out articles, else on those fitted.
    scored = slice(fit_to, None) if args.holdout else slice(None)
    root = polnear.POLNEAR / "train" / "text"
    documents = [polnear.document(n, t, root / f"{n}.txt") for n, t, _ in items][scored]
    gold = [polnear.read_gold(a, t) for _, t, a in items][scored]
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        attribution.WEIGHTS_FILE.write_text(
            json.dumps({"format": attribution.FORMAT, "version": attribution.FEATURES_VERSION, "threshold": threshold, "weights": w}),
            encoding="utf-8",
        )
        attribution.weights.cache_clear()
        quotes = [find_quotes(s, d, mode=args.mode) for s, d in zip(docs[scored], documents)]
        total, direct = polnear.score(zip(quotes, gold))
        print(f"threshold {threshold}: {total.line('all')}", flush=True)
        best = max(best, (total.f1, threshold))
    data_out = {
        "about": "accord.analyze.attribution: logistic weights fitted on PolNeAR train by bench/train_attribution.py",
        "format": attribution.FORMAT,
        "version": attribution.FEATURES_VERSION,
        "threshold": best[1],
        "weights": dict(sorted(w.items())),
    }
    attribution.WEIGHTS_FILE.write_text(json.dumps(data_out, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    attribution.weights.cache_clear()
    print(f"threshold {best[1]} (train F1 {best[0]:.3f}); {len(w)} weights in {attribution.WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
