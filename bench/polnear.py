"""PolNeAR attribution benchmark: who said what in English news.

Scored as ``../shared/README.md`` says (section bench/polnear): one annotator
file per article; a gold attribution is its Content span (first to last character
of all its Content pieces) and its Source span; a predicted quote matches a gold
attribution when their overlap is at least half of the longer content span, one
to one, best overlap first. Prints precision, recall, F1 and speaker accuracy for
all attributions and for direct quotations alone, and the time quote finding adds
to spaCy parsing. "direct" compares gold Content that begins with a quotation
mark with predicted quotes of kind direct; "marked" with kinds direct and
partial (all words in quotation marks).

Three finders are scored on the same parses in one run: ``speech`` (the
default of accord: quotations a reader takes as said), ``attribution``
(every attribution the learned scorer finds, PolNeAR's own wider sense) and
``rules`` (the lexicon rules alone, the baseline). The time ratio is the
default finder's time, with speaker naming and the entity merging of the
compare stage on the same documents, over spaCy's parse time.

    python3.11 bench/polnear.py [dev|train] [--limit N] [--errors [MODE]] [--show [MODE]] [--sweep] [--cache DIR]

``--show`` counts the default finder's false hits by kind and by why they
fail (no gold there, its gold taken by another prediction, span too short or
too long) and lists the direct quotations' false hits and misses.
``--sweep`` prints the default finder at scorer thresholds 0.3 to 0.8: what
a confidence threshold on the learned scorer buys in precision and costs in
recall.

``--cache DIR`` keeps spaCy's parses of the split in DIR (a DocBin keyed by the
texts and the model) so that runs after the first skip parsing; the time ratio
is then against the parse time recorded when the cache was written.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from accord.analyze.nlp import load
from accord.analyze.attribution import weights
from accord.analyze.quotes import MODES, Mode, find_quotes
from accord.model import Document, OffsetMap, Quote

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR = SHARED / "bench" / "polnear"

#: Marks that open a quotation in the gold Content (straight and curly, double
#: and single): a gold Content beginning with one of them is a direct quotation.
OPENING_MARKS = "\"“”'‘’«„"


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: its content range and its source pieces."""

    start: int
    end: int
    sources: tuple[tuple[int, int], ...]
    direct: bool


@dataclass(frozen=True, slots=True)
class Predicted:
    """What the scorer needs of a predicted quote."""

    start: int
    end: int
    speaker: tuple[int, int] | None
    direct: bool  # a direct quotation (kind "direct")
    marked: bool  # words in quotation marks: a direct or a partial quotation


@dataclass(slots=True)
class Score:
    """Counts over a set of articles, and the figures derived from them."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0
    with_source: int = 0
    speaker_right: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.with_source if self.with_source else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<8} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"speaker acc {self.speaker_accuracy:.3f}  "
            f"(pred {self.predicted}, gold {self.gold}, matched {self.matched})"
        )


# --------------------------------------------------------------------------- gold


def _pieces(field: str) -> list[tuple[int, int]]:
    """The character ranges of a brat T line's offsets field ("3 9;12 20")."""
    out = []
    for piece in field.split(";"):
        start, end = piece.split()
        out.append((int(start), int(end)))
    return out


def read_gold(ann: Path, text: str) -> list[GoldAttribution]:
    """The attributions of one brat file: each E line with a Content becomes one
    GoldAttribution spanning all its Content pieces."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        # A T line's text may run over a line break: its continuation has no tab.
        if line.startswith("T") and "\t" in line:
            tid, body = line.split("\t")[:2]
            spans[tid] = _pieces(body.split(" ", 1)[1])
        elif line.startswith("E") and "\t" in line:
            args = line.split("\t")[1].split()
            events.append([tuple(a.split(":", 1)) for a in args])  # type: ignore[misc]
    gold = []
    for args in events:
        content = [p for role, tid in args if role.startswith("Content") for p in spans[tid]]
        if not content:
            continue
        sources = tuple(p for role, tid in args if role == "Source" for p in spans[tid])
        start = min(s for s, _ in content)
        end = max(e for _, e in content)
        direct = text[start:end].lstrip()[:1] in OPENING_MARKS and end > start
        gold.append(GoldAttribution(start, end, sources, direct))
    return gold


def articles(split: str) -> list[tuple[str, str, Path]]:
    """(name, text, annotation file) for each article of a split; the first
    annotator file in name order when several annotators did an article."""
    root = POLNEAR / split
    out = []
    for txt in sorted((root / "text").glob("*.txt")):
        anns = sorted((root / "attributions").glob(f"{txt.stem}_*.ann"))
        if not anns:
            continue
        out.append((txt.stem, txt.read_text(encoding="utf-8"), anns[0]))
    return out


def document(name: str, text: str, path: Path) -> Document:
    """A Document for a raw benchmark text: identity offsets, format text."""
    return Document(
        id=name,
        source=str(path),
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
    )


# --------------------------------------------------------------------------- scoring


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(
    predicted: Sequence[Predicted], gold: Sequence[GoldAttribution]
) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs whose overlap is at least
    half of the longer content span, greedily by largest overlap."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            ov = _overlap((p.start, p.end), (g.start, g.end))
            if ov and 2 * ov >= max(p.end - p.start, g.end - g.start):
                pairs.append((ov, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def score_article(
    predicted: Sequence[Predicted], gold: Sequence[GoldAttribution], into: Score
) -> list[tuple[int, int]]:
    """Add one article's counts to ``into``; return its matched pairs."""
    pairs = match(predicted, gold)
    into.predicted += len(predicted)
    into.gold += len(gold)
    into.matched += len(pairs)
    for i, j in pairs:
        if gold[j].sources:
            into.with_source += 1
            sp = predicted[i].speaker
            if sp is not None and any(_overlap(sp, s) for s in gold[j].sources):
                into.speaker_right += 1
    return pairs


def predicted_from(quotes: Iterable[Quote]) -> list[Predicted]:
    """The scorer's view of quotes."""
    return [
        Predicted(
            q.span.start,
            q.span.end,
            (q.speaker_mention.start, q.speaker_mention.end) if q.speaker_mention else None,
            q.kind == "direct",
            q.kind != "indirect",
        )
        for q in quotes
    ]


def score(
    results: Iterable[tuple[Sequence[Quote], Sequence[GoldAttribution]]],
    *,
    direct_kinds: str = "direct",
) -> tuple[Score, Score]:
    """(all attributions, direct quotations alone) over (quotes, gold) pairs, one
    pair per article.

    Direct quotations alone: gold attributions whose Content begins with a
    quotation mark, against predicted quotes of kind "direct" (``direct_kinds``
    "direct"), or of kind "direct" or "partial" (``direct_kinds`` "marked")."""
    total, direct = Score(), Score()
    for quotes, gold in results:
        predicted = predicted_from(quotes)
        score_article(predicted, gold, total)
        chosen = [p for p in predicted if (p.direct if direct_kinds == "direct" else p.marked)]
        score_article(chosen, [g for g in gold if g.direct], direct)
    return total, direct


@dataclass(slots=True)
class Run:
    """One benchmark run: per-article quotes and gold, and the times taken."""

    names: list[str]
    documents: list[Document]
    quotes: list[list[Quote]]
    gold: list[list[GoldAttribution]]
    parse_seconds: float
    quote_seconds: float


def parse(texts: Sequence[str], cache: Path | None = None) -> tuple[list, float]:
    """spaCy's parses of ``texts`` and the seconds parsing took; from (and into)
    a DocBin in ``cache`` keyed by the texts and the model when ``cache`` is
    given (the seconds are then those recorded when the cache was written)."""
    nlp = load()
    path = None
    if cache is not None:
        digest = hashlib.sha256()
        digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
        for t in texts:
            digest.update(hashlib.sha256(t.encode("utf-8")).digest())
        path = cache / f"polnear-{digest.hexdigest()[:16]}.spacy"
        if path.is_file():
            from spacy.tokens import DocBin

            seconds = float(path.with_suffix(".seconds").read_text())
            return list(DocBin().from_disk(path).get_docs(nlp.vocab)), seconds
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=16))
    seconds = time.perf_counter() - t0
    if path is not None:
        from spacy.tokens import DocBin

        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=parsed, store_user_data=False).to_disk(path)
        path.with_suffix(".seconds").write_text(f"{seconds:.3f}")
    return parsed, seconds


def sweep(split: str, limit: int | None, cache: Path | None, thresholds: Sequence[float]) -> list[tuple[float, Score, Score]]:
    """(threshold, all attributions, direct quotations) of the default finder
    at each scorer threshold of ``thresholds``, on the same parses."""
    items = articles(split)[:limit]
    root = POLNEAR / split / "text"
    docs = [document(name, text, root / f"{name}.txt") for name, text, _ in items]
    gold = [read_gold(ann, text) for _, text, ann in items]
    parsed, _ = parse([d.text for d in docs], cache)
    out = []
    for t in thresholds:
        quotes = [find_quotes(sdoc, d, threshold=t) for sdoc, d in zip(parsed, docs)]
        total, direct = score(zip(quotes, gold))
        out.append((t, total, direct))
    return out


def run(
    split: str = "dev", limit: int | None = None, modes: Sequence[Mode] = ("speech",), cache: Path | None = None
) -> dict[Mode, Run]:
    """Parse every article of ``split`` once with ``nlp.pipe`` (or read the
    parses from ``cache``) and find its quotes with each finder of ``modes``;
    the first mode's run also times the entity merging of the compare stage
    over the same documents."""
    items = articles(split)[:limit]
    root = POLNEAR / split / "text"
    docs = [document(name, text, root / f"{name}.txt") for name, text, _ in items]
    gold = [read_gold(ann, text) for _, text, ann in items]
    parsed, parse_seconds = parse([d.text for d in docs], cache)
    out: dict[Mode, Run] = {}
    for k, mode in enumerate(modes):
        t1 = time.perf_counter()
        quotes = [find_quotes(sdoc, d, mode=mode) for sdoc, d in zip(parsed, docs)]
        if k == 0:
            _entities(parsed, docs, quotes)
        seconds = time.perf_counter() - t1
        out[mode] = Run([n for n, _, _ in items], docs, quotes, gold, parse_seconds, seconds)
    return out


def _entities(parsed: list, docs: list[Document], quotes: list[list[Quote]]) -> None:
    """The entity work the pipeline does beside quotations: mentions, and one
    entity for every spelling across the documents (compare.entities)."""
    from accord.compare.entities import resolve_entities
    from accord.model import Analysis, Mention

    analyses = [
        Analysis(document=d, entities=[Mention(e.text, e.label_, d.span(e.start_char, e.end_char)) for e in s.ents], quotes=q)
        for s, d, q in zip(parsed, docs, quotes)
    ]
    resolve_entities(analyses)


# --------------------------------------------------------------------------- errors


def print_errors(r: Run) -> None:
    """Each article's unmatched gold and unmatched predictions, and wrong speakers."""
    for name, doc, quotes, gold in zip(r.names, r.documents, r.quotes, r.gold):
        predicted = predicted_from(quotes)
        pairs = match(predicted, gold)
        mp = {i for i, _ in pairs}
        mg = {j for _, j in pairs}
        text = doc.text
        print(f"=== {name}")
        for j, g in enumerate(gold):
            if j not in mg:
                src = " | ".join(text[s:e] for s, e in g.sources)
                print(f"  MISS [{src}] {text[g.start:g.end][:150]!r}")
        for i, q in enumerate(quotes):
            if i not in mp:
                sp = q.speaker_mention.text if q.speaker_mention else None
                print(f"  FP   {q.kind} [{sp}] {q.text[:150]!r}")
        for i, j in pairs:
            g = gold[j]
            sp = predicted[i].speaker
            if g.sources and not (sp and any(_overlap(sp, s) for s in g.sources)):
                src = " | ".join(text[s:e] for s, e in g.sources)
                got = text[sp[0]:sp[1]] if sp else None
                print(f"  SPKR gold [{src}] got [{got}] {text[g.start:g.end][:100]!r}")


def error_class(p: Predicted, gold: Sequence[GoldAttribution], taken: set[int]) -> str:
    """Why unmatched prediction ``p`` is a false hit: "no gold" (no gold
    content overlaps it), "gold taken" (the gold it overlaps most is matched
    to another prediction), "too short" or "too long" (it overlaps a free gold
    content by less than half of the longer of the two)."""
    best = max(((_overlap((p.start, p.end), (g.start, g.end)), j) for j, g in enumerate(gold)), default=(0, -1))
    if best[0] == 0:
        return "no gold"
    if best[1] in taken:
        return "gold taken"
    g = gold[best[1]]
    return "too short" if p.end - p.start < g.end - g.start else "too long"


def show_errors(r: Run) -> None:
    """Counts of false hits by kind and class (``error_class``) and of misses
    by gold kind, for all attributions and for direct quotations alone; then
    every direct false hit and miss with its class (offsets and words)."""
    from collections import Counter

    hits: Counter[tuple[str, str]] = Counter()
    misses: Counter[str] = Counter()
    direct_lines: list[str] = []
    for name, doc, quotes, gold in zip(r.names, r.documents, r.quotes, r.gold):
        predicted = predicted_from(quotes)
        pairs = match(predicted, gold)
        mp = {i for i, _ in pairs}
        mg = {j for _, j in pairs}
        for i, q in enumerate(quotes):
            if i not in mp:
                hits[(q.kind, error_class(predicted[i], gold, mg))] += 1
        for j, g in enumerate(gold):
            if j not in mg:
                misses["direct" if g.direct else "other"] += 1
        chosen = [p for p in predicted if p.direct]
        dgold = [g for g in gold if g.direct]
        dpairs = match(chosen, dgold)
        dp = {i for i, _ in dpairs}
        dg = {j for _, j in dpairs}
        text = doc.text
        for i, p in enumerate(chosen):
            if i not in dp:
                why = error_class(p, gold, mg)  # against every gold: a non-direct one may hold it
                direct_lines.append(f"  FP   {why:<10} {name} {p.start}-{p.end} {text[p.start:p.end][:120]!r}")
        for j, g in enumerate(dgold):
            if j not in dg:
                near = [q.kind for q, p in zip(quotes, predicted) if _overlap((p.start, p.end), (g.start, g.end))]
                why = "found as " + "+".join(near) if near else "not found"
                direct_lines.append(f"  MISS {why:<10} {name} {g.start}-{g.end} {text[g.start:g.end][:120]!r}")
    print("false hits, all attributions (kind, class: count):")
    for (kind, why), n in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {kind:<8} {why:<10} {n}")
    print(f"misses: direct {misses['direct']}, other {misses['other']}")
    print("direct quotations, false hits and misses:")
    for line in direct_lines:
        print(line)


#: The predictions of accord's default finder as it was when issue 22 began
#: (main at 2e89a3d), frozen as offsets: article, start, end, speaker start and
#: end ("-" when none), kind. Scored in every run beside today's finder.
FROZEN = Path(__file__).resolve().parent / "quotes" / "polnear-dev-2e89a3d.tsv"


def freeze(r: Run, path: Path = FROZEN) -> None:
    """Write run ``r``'s predictions to ``path`` as offsets (no text)."""
    lines = ["# bench/polnear.py: predictions of a finder frozen as offsets: article, start, end, speaker start, speaker end, kind"]
    for name, quotes in zip(r.names, r.quotes):
        for q in quotes:
            sp = q.speaker_mention
            lines.append("\t".join([name, str(q.span.start), str(q.span.end),
                                     str(sp.start) if sp else "-", str(sp.end) if sp else "-", q.kind]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def frozen(names: Sequence[str], path: Path = FROZEN) -> list[list[Quote]] | None:
    """The frozen predictions per article of ``names`` as stand-in quotes (the
    scorer reads offsets and kind only), or None when there is no snapshot."""
    if not path.is_file():
        return None
    from accord.model import Span

    by: dict[str, list[Quote]] = {n: [] for n in names}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, start, end, ss, se, kind = line.split("\t")
        if name not in by:
            continue
        mention = None if ss == "-" else Span(name, int(ss), int(se), "")
        by[name].append(Quote(id=f"{name}.f{len(by[name]) + 1}", doc=name, kind=kind,  # type: ignore[arg-type]
                              span=Span(name, int(start), int(end), ""), speaker_name=None,
                              speaker_mention=mention, cue=None))
    return [by[n] for n in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", nargs="?", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--errors", nargs="?", const="speech", default=None, choices=MODES,
        help="print every miss and false hit of one finder (default speech)",
    )
    parser.add_argument(
        "--show", nargs="?", const="speech", default=None, choices=MODES,
        help="print false hits by kind and class, misses by kind, and the direct quotations' errors of one finder",
    )
    parser.add_argument(
        "--sweep", action="store_true",
        help="also print the default finder's figures at scorer thresholds 0.3 to 0.8 (precision against recall)",
    )
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep spaCy's parses in between runs")
    parser.add_argument("--freeze", action="store_true", help=f"write the default finder's dev predictions to {FROZEN.name}")
    args = parser.parse_args(argv)
    runs = run(args.split, args.limit, MODES, cache=args.cache)
    if args.freeze:
        freeze(runs[MODES[0]])
    if args.errors:
        print_errors(runs[args.errors])
    if args.show:
        show_errors(runs[args.show])
    first = runs[MODES[0]]
    print(f"PolNeAR {args.split}: {len(first.names)} articles")
    for mode, r in runs.items():
        total, direct = score(zip(r.quotes, r.gold))
        _, marked = score(zip(r.quotes, r.gold), direct_kinds="marked")
        print(f"--- {mode}" + ("  (accord's default)" if mode == "speech" else "  (baseline)" if mode == "rules" else ""))
        print(total.line("all"))
        print(direct.line("direct"))
        print(marked.line("marked") + "  [direct+partial vs the same gold]")
    old = frozen(first.names) if args.split == "dev" and args.limit is None else None
    if old is not None:
        total, direct = score(zip(old, first.gold))
        print(f"--- today's finder (frozen at the start of issue 22: {FROZEN.name})")
        print(total.line("all"))
        print(direct.line("direct"))
    if args.sweep:
        _, fitted = weights()
        print(f"--- speech at scorer thresholds (fitted {fitted})")
        for t, total, direct in sweep(args.split, args.limit, args.cache, (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)):
            print(f"{t:.1f} " + total.line("all"))
    ratio = first.quote_seconds / first.parse_seconds if first.parse_seconds else 0.0
    print(
        f"time     parse {first.parse_seconds:.2f}s  quotes+speakers+entities {first.quote_seconds:.2f}s  "
        f"ratio {ratio:.3f}  (noisy: shared machine)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
