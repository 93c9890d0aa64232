"""Benchmark: language identification of news texts.

Accuracy per language on ``bench/langid/samples.jsonl`` (short news sentences
in 18 languages, written for this project), and the share of real English
articles kept as English (PolNeAR dev, AllSides bodies; the multilingual pages
of bench/extraction are reported by language), for accord's identifier
(py3langid) beside the stop-word lists it replaced, in the same run.

    python bench/langid.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

from accord.ingest.metadata import guess_language

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "bench" / "langid" / "samples.jsonl"

# The method accord used before: share of a few languages' function words,
# plus script ranges (kept here as the baseline).
_STOPWORDS = {
    "en": "the of and to in is that for it was on with as he said by at from his an be have are this not but".split(),
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an".split(),
    "fr": "le la les de des et en un une du est que pour qui dans pas sur au par plus il elle".split(),
    "es": "el la de que y en los del se las por un una para con no es su al lo como".split(),
    "it": "il di che la e per un una non in sono del della le con si da al gli".split(),
    "pt": "o a de que e do da em um para com não uma os no se na por mais as".split(),
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als".split(),
}
_WORD = re.compile(r"[^\W\d_]+")
_SCRIPTS = [("ru", re.compile("[\u0400-\u04ff]")), ("zh", re.compile("[\u4e00-\u9fff]")),
            ("ja", re.compile("[\u3040-\u30ff]")), ("ar", re.compile("[\u0600-\u06ff]"))]


def stopword_language(text: str) -> str | None:
    """The baseline: the script, else the language whose function words are most common."""
    words = Counter(_WORD.findall(text.lower()))
    total = sum(words.values())
    if not total:
        return None
    letters = sum(len(w) * n for w, n in words.items())
    for code, script in _SCRIPTS:
        if len(script.findall(text)) > 0.3 * letters:
            return "uk" if code == "ru" and any(ch in text for ch in "іїєґ") else code
    scores = {code: sum(words[w] for w in vocab) / total for code, vocab in _STOPWORDS.items()}
    code, share = max(scores.items(), key=lambda kv: kv[1])
    return code if share >= 0.08 else None


def english_articles() -> list[str]:
    """Real English news bodies from the shared benchmarks."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "bench" / "polnear" / "dev" / "text").glob("*.txt"))]
    for line in (SHARED / "bench" / "allsides" / "roundups-2021.jsonl").open(encoding="utf-8"):
        for news in json.loads(line)["news"].values():
            if news and news.get("newBody"):
                texts.append("\n\n".join(news["newBody"]))
    return texts


def accuracy(identify: Callable[[str], str | None], rows: list[dict[str, str]]) -> tuple[dict[str, float], float]:
    """Accuracy per language and overall."""
    right: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        right[row["lang"]].append(identify(row["text"]) == row["lang"])
    overall = sum(sum(v) for v in right.values()) / len(rows)
    return {lang: sum(v) / len(v) for lang, v in sorted(right.items())}, overall


def main() -> int:
    rows = [json.loads(line) for line in SAMPLES.open(encoding="utf-8")]
    methods = {"accord (py3langid)": guess_language, "baseline (stop words)": stopword_language}
    guess_language("warm up the model")
    results = {name: accuracy(method, rows) for name, method in methods.items()}
    languages = sorted({r["lang"] for r in rows})
    print(f"short news texts: {len(rows)} in {len(languages)} languages")
    print("language  " + "  ".join(f"{name:>22}" for name in methods))
    for lang in languages:
        print(f"{lang:<9} " + "  ".join(f"{results[name][0][lang]:>22.2f}" for name in methods))
    print("all       " + "  ".join(f"{results[name][1]:>22.3f}" for name in methods))
    articles = english_articles()
    for name, method in methods.items():
        start = time.perf_counter()
        kept = sum(method(text) in ("en", None) for text in articles)
        elapsed = time.perf_counter() - start
        print(f"{name}: {kept}/{len(articles)} English articles kept as English "
              f"({kept / len(articles):.4f}), {1000 * elapsed / len(articles):.2f} ms a text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
