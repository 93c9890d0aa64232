"""Boilerplate kept out of facts: how well accord flags the claims that are not
reporting (passage kind ``boilerplate``, by form in analyze and by repetition
across one site's unrelated articles in group).

1. The 181 pages of ``../shared/bench/extraction``: accord extracts each
   page's body (``extract_html``), analyses it, and every claim is scored
   against the page's true article body: a claim is *not body* when fewer than
   half of its 4-token shingles (the benchmark's own tokens) are in the true
   body. Precision and recall of the boilerplate flag against *not body*, and
   the claims of the true body wrongly flagged. Repetition groups the pages by
   site (several sites have two or more pages here). Baseline in the same
   run: flag every claim of a document's last two paragraphs (where footers,
   bios and prompts sit).
2. The dev set (``bench/devset.py``), where its labels exist
   (``bench/facts/labels/*.json`` here, or ``$ACCORD_LABELS``): claims over
   sentences labelled boilerplate, precision and recall of the flag, and the
   share of labelled boilerplate sentences kept out of the dossier's facts.

3. With ``--allsides N``: the first N article bodies of the AllSides
   roundups (leads of news articles of a few dozen outlets that recur across
   unrelated stories, with next to no boilerplate): how many claims are
   flagged, by form and by repetition (a false-alarm rate, beside the
   baseline's).

    python bench/boilerplate.py [--pages N] [--errors] [--allsides N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import accord
from accord.runner import input_key
from accord.errors import InputError
from accord.group import mark_boilerplate, repeated_sentences
from accord.ingest.html import extract_html
from accord.model import Analysis, Claim

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXTRACTION = SHARED / "bench" / "extraction"
KEPT = ROOT / "bench" / "boilerplate" / "kept-in-true-body.json"
LABEL_DIRS = [Path(os.environ["ACCORD_LABELS"])] if os.environ.get("ACCORD_LABELS") else [
    ROOT / "bench" / "facts" / "labels",
    ROOT.parent / "labels" / "bench" / "facts" / "labels",
]
_TOKEN = re.compile(r"\w+")
#: Share of a claim's shingles that must be in the true body for it to be body.
IN_BODY = 0.5
#: The baseline flags the claims of a document's last this many paragraphs.
TAIL_PARAGRAPHS = 2


@dataclass(frozen=True, slots=True)
class FlagScore:
    """Precision and recall of a flag against a target set of claims."""

    name: str
    flagged: int
    target: int
    hits: int
    wrongly_flagged: int
    total: int

    @property
    def precision(self) -> float:
        return self.hits / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.target if self.target else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _shingles(text: str) -> set[str]:
    tokens = _TOKEN.findall(text)
    return {" ".join(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3))} if tokens else set()


def extraction_analyses(limit: int | None = None) -> tuple[list[Analysis], dict[str, tuple[str, str]]]:
    """accord's analyses of the extraction pages (sorted by id, the first
    ``limit``), and each document's (page id, true body) by document id."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted(truth)[:limit] if limit else sorted(truth)
    articles, bodies = [], []
    for page in pages:
        html = gzip.decompress((EXTRACTION / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        try:
            text = extract_html(html, source=page, url=truth[page]["url"]).text
        except InputError:
            continue
        articles.append(accord.Article(text, url=truth[page]["url"]))
        bodies.append((page, truth[page]["articleBody"]))
    # Paired by the order accord numbers its inputs in, not the order given.
    order = sorted(range(len(articles)), key=lambda i: input_key(articles[i]))
    batch = accord.analyze(articles)
    return batch.analyses, {a.document.id: bodies[i] for a, i in zip(batch.analyses, order)}


def _tail(analysis: Analysis, claim: Claim) -> bool:
    """Whether a claim lies in the last TAIL_PARAGRAPHS paragraphs (lines)."""
    text = analysis.document.text.rstrip()
    starts = [0] + [m.end() for m in re.finditer(r"\n+", text)]
    cut = starts[-TAIL_PARAGRAPHS] if len(starts) >= TAIL_PARAGRAPHS else 0
    return claim.span.start >= cut


def _kept_boilerplate() -> dict[str, list[tuple[int, int]]]:
    """Page id -> offsets (into its true articleBody) of sentences that are
    boilerplate by the guidelines of bench/stance/README.md although the
    benchmark's true body keeps them (copyright lines, "Read the original
    article", affiliate disclosures...), judged on the claims accord flagged
    inside true bodies."""
    if not KEPT.is_file():
        return {}
    out: dict[str, list[tuple[int, int]]] = {}
    for row in json.loads(KEPT.read_text(encoding="utf-8"))["sentences"]:
        out.setdefault(row["page"], []).append((row["start"], row["end"]))
    return out


def score_extraction(
    analyses: list[Analysis], bodies: dict[str, tuple[str, str]], *, errors: bool = False, kept: bool = False
) -> tuple[FlagScore, FlagScore, FlagScore]:
    """(accord's flag, form alone, the tail baseline) against the claims not
    in the true body (and, with ``kept``, the boilerplate the true body keeps)."""
    marked = mark_boilerplate(analyses, repeated_sentences(analyses))
    judged = _kept_boilerplate() if kept else {}
    rows = []
    for before, after in zip(analyses, marked):
        page, true_body = bodies[before.document.id]
        body = _shingles(true_body)
        for old, new in zip(before.claims, after.claims):
            shingles = _shingles(new.span.text)
            in_body = bool(shingles) and len(shingles & body) / len(shingles) >= IN_BODY
            target = not in_body or _judged(new.span.text, true_body, judged.get(page, []))
            rows.append((target, new.passage == "boilerplate", old.passage == "boilerplate", _tail(before, old), new.span.text, page))
    if errors:
        for target, flag, _form, _tail_flag, text, page in rows:
            if target != flag:
                kind = "missed" if target else "wrong"
                print(f"{kind:>6}: {page} {true_body_offsets(text, page)} {text[:160]!r}", file=sys.stderr)

    def score(name: str, index: int) -> FlagScore:
        return FlagScore(
            name,
            flagged=sum(1 for r in rows if r[index]),
            target=sum(1 for r in rows if r[0]),
            hits=sum(1 for r in rows if r[index] and r[0]),
            wrongly_flagged=sum(1 for r in rows if r[index] and not r[0]),
            total=len(rows),
        )

    return score("accord", 1), score("form only", 2), score(f"last {TAIL_PARAGRAPHS} paragraphs", 3)


def _judged(text: str, true_body: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a claim lies over a judged span of the true body."""
    if not spans:
        return False
    found = _find(text, true_body)
    return found is not None and any(min(found[1], e) - max(found[0], s) >= 0.5 * (e - s) for s, e in spans)


def _find(text: str, body: str) -> tuple[int, int] | None:
    """Where a claim's words stand in a true body (spacing may differ)."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    match = re.search(r"\W+".join(re.escape(w) for w in words), body)
    return (match.start(), match.end()) if match else None


def true_body_offsets(text: str, page: str) -> tuple[int, int] | None:
    """Offsets of a claim in the page's true articleBody, or None."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    return _find(text, truth[page]["articleBody"]) if page in truth else None


def _label_files() -> Iterator[Path]:
    for folder in LABEL_DIRS:
        if folder.is_dir() and any(folder.glob("*.json")):
            yield from sorted(folder.glob("*.json"))
            return


def score_devset(*, errors: bool = False) -> tuple[FlagScore, FlagScore, float, int] | None:
    """(accord's flag, tail baseline, share of labelled boilerplate kept out of
    facts, labelled boilerplate sentences) on the labelled dev stories, or
    None when no labels exist."""
    files = list(_label_files())
    if not files:
        return None
    sys.path.insert(0, str(ROOT / "bench"))
    import devset  # noqa: PLC0415 (bench/ is not a package)

    rows = []
    kept_out, labelled = 0, 0
    for path in files:
        labels = json.loads(path.read_text(encoding="utf-8"))
        key = path.stem
        sources = devset.sources(key)
        names = [s.name for s in sources]
        dossier = accord.dossier([s.item for s in sources])
        batch_docs = {d.id: n for d, n in zip(dossier.documents, names)}
        gold: dict[str, list[tuple[int, int]]] = {}
        for sid in labels.get("boilerplate", []):
            doc_name = sid.rsplit(":", 1)[0]
            if sid in labels.get("sentences", {}):
                gold.setdefault(doc_name, []).append(tuple(labels["sentences"][sid]))
        # claims of the dossier's analyses, as compare saw them
        analyses = accord.analyze([s.item for s in sources]).analyses
        marked = mark_boilerplate(analyses, repeated_sentences(analyses))
        for before, after in zip(analyses, marked):
            name = batch_docs.get(after.document.id, "")
            spans = gold.get(name, [])
            for old, new in zip(before.claims, after.claims):
                raw = new.span.raw
                if raw is None:
                    continue
                is_gold = any(min(raw[1], e) - max(raw[0], s) >= 0.5 * (e - s) for s, e in spans)
                rows.append((is_gold, new.passage == "boilerplate", _tail(before, old), new.span.text))
        fact_raws = [(batch_docs[s.doc], s.raw) for f in dossier.facts for s in f.support if s.raw]
        for name, spans in gold.items():
            for s, e in spans:
                labelled += 1
                if not any(n == name and min(r[1], e) - max(r[0], s) > 0 for n, r in fact_raws):
                    kept_out += 1
    if errors:
        for is_gold, flag, _tail_flag, text in rows:
            if is_gold != flag:
                print(f"{'missed' if is_gold else 'wrong':>6}: {text[:160]!r}", file=sys.stderr)

    def score(name: str, index: int) -> FlagScore:
        return FlagScore(name, sum(1 for r in rows if r[index]), sum(1 for r in rows if r[0]),
                         sum(1 for r in rows if r[index] and r[0]), sum(1 for r in rows if r[index] and not r[0]), len(rows))

    return score("accord", 1), score(f"last {TAIL_PARAGRAPHS} paragraphs", 2), kept_out / labelled if labelled else 1.0, labelled


def _print(scores: tuple[FlagScore, ...]) -> None:
    print(f"  {'flag':<20} {'precision':>9} {'recall':>7} {'F1':>6} {'flagged':>8} {'target':>7} {'body flagged':>13} {'claims':>7}")
    for s in scores:
        print(f"  {s.name:<20} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.flagged:>8} {s.target:>7} {s.wrongly_flagged:>13} {s.total:>7}")


def allsides_false_alarms(count: int) -> tuple[int, int, int, int]:
    """(claims, flagged by form, flagged by repetition, flagged by the
    baseline) on the first ``count`` AllSides article bodies."""
    sys.path.insert(0, str(ROOT / "bench"))
    import devset  # noqa: PLC0415 (bench/ is not a package)

    items = []
    for line in devset.ROUNDUPS.open(encoding="utf-8"):
        row = json.loads(line)
        for side in devset.SIDES:
            news = row["news"].get(side)
            if news and news.get("newBody") and len(items) < count:
                items.append(accord.Article(devset.article_text(news["newBody"]), title=news.get("newsTitle"),
                                            outlet=news.get("newsSource"), url=news.get("newsLink")))
    analyses = accord.analyze(items).analyses
    marked = mark_boilerplate(analyses, repeated_sentences(analyses))
    claims = form = repeated = tail = 0
    for before, after in zip(analyses, marked):
        for old, new in zip(before.claims, after.claims):
            claims += 1
            form += old.passage == "boilerplate"
            repeated += new.passage == "boilerplate" and old.passage != "boilerplate"
            tail += _tail(before, old)
    return claims, form, repeated, tail


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=None, help="the first N extraction pages only")
    parser.add_argument("--errors", action="store_true", help="list disagreements on stderr")
    parser.add_argument("--no-devset", action="store_true", help="skip the dev-set labels")
    parser.add_argument("--allsides", type=int, default=0, help="also count false alarms on N AllSides bodies")
    args = parser.parse_args(argv)
    analyses, bodies = extraction_analyses(args.pages)
    print(f"extraction: {len(analyses)} pages; target = claims not in the true body")
    _print(score_extraction(analyses, bodies, errors=args.errors))
    if KEPT.is_file():
        print("extraction: target = claims not in the true body, or boilerplate the true body keeps (judged)")
        _print(score_extraction(analyses, bodies, kept=True))
    if not args.no_devset:
        dev = score_devset(errors=args.errors)
        if dev is None:
            print("dev set: no labels found in " + ", ".join(str(p) for p in LABEL_DIRS))
        else:
            accord_score, tail, kept_out, labelled = dev
            print(f"dev set: target = claims over sentences labelled boilerplate ({labelled} labelled sentences)")
            _print((accord_score, tail))
            print(f"  labelled boilerplate kept out of facts: {kept_out:.3f}")
    if args.allsides:
        claims, form, repeated, tail = allsides_false_alarms(args.allsides)
        print(f"AllSides bodies ({args.allsides}): {claims} claims; flagged by form {form}, by repetition {repeated}; "
              f"baseline (last {TAIL_PARAGRAPHS} paragraphs) {tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
