"""Precision of quotation finding on general news (not PolNeAR).

The sample (fixed, see ``bench/quotes/README.md``): the article bodies of every
50th AllSides roundup of ``../shared/bench/allsides/roundups-2021.jsonl`` and the
true bodies of every 10th page (ids in sorted order) of the extraction benchmark
``../shared/bench/extraction/ground-truth.json``. Every quotation accord finds
in them is matched to a label of ``bench/quotes/labels.tsv`` (same document, the
same words: overlap at least half of the longer span); the labels say whether it
is a quotation and whether its speaker is right (guidelines in the README; the
labels are offsets, never text).

Prints, for the quotation finder (accord's default, ``mode="speech"``) and
for the finder before this benchmark existed in the same run
(``mode="attribution"``: every attribution the learned scorer finds, no
check for a speech cue or a speaker), the precision over labelled
predictions, the speaker accuracy over the true ones and how many predictions
have no label (they count as neither right nor wrong; the figure is trustworthy
only when few are unlabelled).

    python bench/quote_precision.py            # the figures
    python bench/quote_precision.py --dump     # unlabelled predictions, to label
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from accord.analyze.nlp import load
from accord.analyze.quotes import find_quotes
from accord.model import Document, OffsetMap, Quote

SHARED = Path(__file__).resolve().parents[2] / "shared"
ALLSIDES = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
EXTRACTION = SHARED / "bench" / "extraction" / "ground-truth.json"
LABELS = Path(__file__).resolve().parent / "quotes" / "labels.tsv"
ALLSIDES_EVERY = 25
EXTRACTION_EVERY = 10


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled prediction: its document, its content range and judgements."""

    doc: str
    start: int
    end: int
    quote: bool  # it is a quotation or attribution (guidelines: README)
    speaker: str  # "y" right speaker, "n" wrong, "-" no judgement (not a quotation)
    judged: str  # which speakers were judged right or wrong: speaker_key()s, comma-separated


def sample() -> list[tuple[str, str]]:
    """(document key, text) of every article of the sample, in a fixed order."""
    out: list[tuple[str, str]] = []
    if ALLSIDES.is_file():
        rows = [json.loads(line) for line in ALLSIDES.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows[::ALLSIDES_EVERY]:
            for side in ("left", "center", "right"):
                body = (row.get("news", {}).get(side) or {}).get("newBody") or []
                text = "\n\n".join(p.strip() for p in body if p and p.strip())
                if text:
                    out.append((f"allsides:{row['id']}:{side}", text))
    if EXTRACTION.is_file():
        truth = json.loads(EXTRACTION.read_text(encoding="utf-8"))
        for key in sorted(truth)[::EXTRACTION_EVERY]:
            text = truth[key].get("articleBody") or ""
            if text.strip():
                out.append((f"extraction:{key[:16]}", text))
    return out


def read_labels(path: Path = LABELS) -> dict[str, list[Label]]:
    """The labels by document key."""
    out: dict[str, list[Label]] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        doc, start, end, quote, speaker, judged = line.split("\t")[:6]
        out.setdefault(doc, []).append(Label(doc, int(start), int(end), quote == "y", speaker, judged))
    return out


def speaker_key(q: Quote) -> str:
    """A short hash of a quote's speaker mention and name: a speaker label holds
    for the speaker it judged, not for another one found later (no text kept)."""
    mention = q.speaker_mention.text if q.speaker_mention else None
    return hashlib.sha1(f"{mention}|{q.speaker_name}".encode("utf-8")).hexdigest()[:10]


def _label_of(q: Quote, labels: list[Label]) -> Label | None:
    best, best_ov = None, 0
    for lab in labels:
        ov = min(q.span.end, lab.end) - max(q.span.start, lab.start)
        if ov > 0 and 2 * ov >= max(q.span.end - q.span.start, lab.end - lab.start) and ov > best_ov:
            best, best_ov = lab, ov
    return best


@dataclass(slots=True)
class Tally:
    predicted: int = 0
    labelled: int = 0
    right: int = 0
    speaker_judged: int = 0
    speaker_right: int = 0
    speaker_changed: int = 0  # true quotations whose speaker is not the one judged

    def line(self, name: str) -> str:
        p = self.right / self.labelled if self.labelled else 0.0
        s = self.speaker_right / self.speaker_judged if self.speaker_judged else 0.0
        return (
            f"{name:<10} precision {p:.3f} ({self.right}/{self.labelled} labelled)  "
            f"speaker {s:.3f} ({self.speaker_right}/{self.speaker_judged}; {self.speaker_changed} new speakers unjudged)  "
            f"unlabelled {self.predicted - self.labelled} of {self.predicted}"
        )


def tally(quotes: list[list[Quote]], keys: list[str], labels: dict[str, list[Label]]) -> Tally:
    t = Tally()
    for key, qs in zip(keys, quotes):
        for q in qs:
            t.predicted += 1
            lab = _label_of(q, labels.get(key, []))
            if lab is None:
                continue
            t.labelled += 1
            t.right += lab.quote
            if lab.quote and lab.speaker in {"y", "n"}:
                if speaker_key(q) not in lab.judged.split(","):
                    t.speaker_changed += 1
                    continue
                t.speaker_judged += 1
                t.speaker_right += lab.speaker == "y"
    return t


def document(key: str, text: str) -> Document:
    return Document(
        id=key,
        source=key,
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
    )


def run(limit: int | None = None) -> tuple[list[str], list[Document], list[list[Quote]], list[list[Quote]], float]:
    """Keys, documents, quotes of the finder, quotes of the attribution finder, seconds."""
    items = sample()[:limit]
    docs = [document(k, t) for k, t in items]
    nlp = load()
    parsed = list(nlp.pipe((d.text for d in docs), batch_size=16))
    t0 = time.perf_counter()
    new = [find_quotes(s, d) for s, d in zip(parsed, docs)]
    seconds = time.perf_counter() - t0
    old = [find_quotes(s, d, mode="attribution") for s, d in zip(parsed, docs)]
    return [k for k, _ in items], docs, new, old, seconds


def dump(keys: list[str], docs: list[Document], quotes: list[list[Quote]], labels: dict[str, list[Label]]) -> None:
    """Each unlabelled prediction with its context, as a line to complete."""
    for key, d, qs in zip(keys, docs, quotes):
        for q in qs:
            if _label_of(q, labels.get(key, [])) is not None:
                continue
            s, e = q.span.start, q.span.end
            ctx = d.text[max(0, s - 160) : s] + "[[" + d.text[s:e] + "]]" + d.text[e : e + 120]
            sp = q.speaker_mention.text if q.speaker_mention else None
            cue = q.cue.text if q.cue else None
            print(f"{key}\t{s}\t{e}\t?\t?\t{speaker_key(q)}\t# {q.kind} cue={cue!r} spk={sp!r} name={q.speaker_name!r}")
            print("    " + ctx.replace("\n", " ⏎ "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", action="store_true", help="print unlabelled predictions of both finders")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    keys, docs, new, old, _ = run(args.limit)
    labels = read_labels()
    if args.dump:
        dump(keys, docs, new, labels)
        dump(keys, docs, old, labels)
        return 0
    print(f"general news: {len(keys)} articles, {sum(len(v) for v in labels.values())} labels")
    print(tally(new, keys, labels).line("accord"))
    print(tally(old, keys, labels).line("attribution"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
