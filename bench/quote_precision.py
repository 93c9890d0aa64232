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
    python bench/quote_precision.py --sample longform [--cache DIR] [--dump]

``--sample longform``: a second sample, every 20th article of
``../shared/bench/longform/basil-dev.jsonl`` and every 40th of
``gvc-dev.jsonl`` (labels ``bench/quotes/longform.tsv``, made on accord's
default finder at commit ``TODAY`` before any tuning for them). Prints the
finder of this run and, beside it, the figures of the finder at ``TODAY`` as
labelled.
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
LONGFORM = SHARED / "bench" / "longform"
LONGFORM_LABELS = Path(__file__).resolve().parent / "quotes" / "longform.tsv"
#: The long-form sample: every 20th BASIL dev article and every 40th GVC dev
#: article, in file order (fixed, no randomness; bench/quotes/README.md).
BASIL_EVERY = 20
GVC_EVERY = 40


@dataclass(frozen=True, slots=True)
class Label:
    """One labelled prediction: its document, its content range and judgements."""

    doc: str
    start: int
    end: int
    quote: bool  # it is a quotation or attribution (guidelines: README)
    speaker: str  # "y" right speaker, "n" wrong, "-" no judgement (not a quotation)
    judged: str  # which speakers were judged right or wrong: speaker_key()s, comma-separated
    found: str = ""  # which finders predicted it (long-form labels): commits, comma-separated


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


def longform_sample() -> list[tuple[str, str]]:
    """(document key, text) of the long-form sample: every ``BASIL_EVERY``th
    article of ``basil-dev.jsonl`` and every ``GVC_EVERY``th of ``gvc-dev.jsonl``,
    in file order; keys ``basil:<id>`` and ``gvc:<id>``."""
    out: list[tuple[str, str]] = []
    for name, every in (("basil", BASIL_EVERY), ("gvc", GVC_EVERY)):
        path = LONGFORM / f"{name}-dev.jsonl"
        if not path.is_file():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows[::every]:
            if (row.get("text") or "").strip():
                out.append((f"{name}:{row['id']}", row["text"]))
    return out


def read_labels(path: Path = LABELS) -> dict[str, list[Label]]:
    """The labels by document key."""
    out: dict[str, list[Label]] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        doc, start, end, quote, speaker, judged = fields[:6]
        found = fields[6] if len(fields) > 6 else ""
        out.setdefault(doc, []).append(Label(doc, int(start), int(end), quote == "y", speaker, judged, found))
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
                verdict = verdicts(lab).get(speaker_key(q))
                if verdict is None:
                    t.speaker_changed += 1
                    continue
                t.speaker_judged += 1
                t.speaker_right += verdict == "y"
    return t


def verdicts(lab: Label) -> dict[str, str]:
    """Speaker key → "y"/"n" for each speaker judged for a label: a bare key
    takes the label's speaker column, "key=y"/"key=n" a speaker judged later
    (found by a later finder for the same words)."""
    out: dict[str, str] = {}
    for entry in lab.judged.split(","):
        if "=" in entry:
            key, verdict = entry.split("=", 1)
            out[key] = verdict
        elif entry:
            out[entry] = lab.speaker
    return out


#: The finder the long-form labels were made on, before any tuning for them:
#: accord's default finder on main at this commit.
TODAY = "2e89a3d"


def tally_labels(labels: dict[str, list[Label]], finder: str = TODAY) -> Tally:
    """The figures of the finder whose predictions are the labels marked found
    by ``finder`` (each judged as it was predicted then)."""
    t = Tally()
    for labs in labels.values():
        for lab in labs:
            if finder not in lab.found.split(","):
                continue
            t.predicted += 1
            t.labelled += 1
            t.right += lab.quote
            if lab.quote and lab.speaker in {"y", "n"}:
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


def parse(texts: list[str], cache: Path | None = None) -> list:
    """spaCy's parses of ``texts``, from (and into) a DocBin in ``cache`` keyed
    by the texts and the model when ``cache`` is given."""
    nlp = load()
    path = None
    if cache is not None:
        digest = hashlib.sha256(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
        for t in texts:
            digest.update(hashlib.sha256(t.encode("utf-8")).digest())
        path = cache / f"quotes-{digest.hexdigest()[:16]}.spacy"
        if path.is_file():
            from spacy.tokens import DocBin

            return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    parsed = list(nlp.pipe(texts, batch_size=16))
    if path is not None:
        from spacy.tokens import DocBin

        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=parsed, store_user_data=False).to_disk(path)
    return parsed


def run(
    limit: int | None = None, *, which: str = "general", cache: Path | None = None
) -> tuple[list[str], list[Document], list[list[Quote]], list[list[Quote]], float]:
    """Keys, documents, quotes of the finder, quotes of the attribution finder,
    seconds, on the ``which`` sample ("general" or "longform")."""
    items = (longform_sample() if which == "longform" else sample())[:limit]
    docs = [document(k, t) for k, t in items]
    parsed = parse([d.text for d in docs], cache)
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
    parser.add_argument(
        "--sample", choices=["general", "longform"], default="general",
        help="general news (AllSides, extraction) or the long-form dev articles (BASIL, GVC)",
    )
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep spaCy's parses in between runs")
    args = parser.parse_args(argv)
    keys, docs, new, old, _ = run(args.limit, which=args.sample, cache=args.cache)
    labels = read_labels(LONGFORM_LABELS if args.sample == "longform" else LABELS)
    if args.sample == "longform":
        if args.dump:
            dump(keys, docs, new, labels)
            return 0
        print(f"long-form dev: {len(keys)} articles, {sum(len(v) for v in labels.values())} labels")
        print(tally(new, keys, labels).line("accord"))
        print(tally_labels(labels).line(f"today {TODAY}") + "  [as labelled, before tuning]")
        return 0
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
