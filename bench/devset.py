"""The labelled dev set of real multi-outlet stories (issues 9 and 10).

Stories: 40 AllSides roundups of ``../shared/bench/allsides/roundups-2021.jsonl``
(three outlets each, drawn with a fixed seed), the five reports of
``../shared/corpora/rubio-lavrov-2025-07`` and the example story of
``examples/darin-river-accord``. Labels live in ``bench/facts/labels/<key>.json``
(guidelines: ``bench/facts/README.md``) and name sentences by id and by their
offsets into the *input text* of each document (the decoded file, or for an
AllSides article its body paragraphs joined by blank lines), never by their
text, so they survive changes to cleaning and sentence splitting.

    python bench/devset.py keys                 # the story keys
    python bench/devset.py keys --longform      # the long-form story keys (BASIL, GVC)
    python bench/devset.py show KEY             # every sentence with its id and input offsets
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import accord
from accord.runner import input_key

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ROUNDUPS = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
CORPUS = SHARED / "corpora" / "rubio-lavrov-2025-07"
EXAMPLE = ROOT / "examples" / "darin-river-accord"
LABELS = ROOT / "bench" / "facts" / "labels"
#: The long-form dev set (issue 19): BASIL triplets and Gun Violence Corpus
#: incidents of ``../shared/bench/longform``; labels in their own folder so the
#: roundup figures stay comparable with earlier rounds.
LONGFORM = SHARED / "bench" / "longform"
LONGFORM_LABELS = ROOT / "bench" / "facts" / "longform" / "labels"
LONGFORM_SPECS = ROOT / "bench" / "facts" / "longform" / "specs"
#: How many BASIL triplets and GVC incidents (of two or more reports) are drawn
#: for labelling, and the seed that draws the incidents.
BASIL_COUNT = 25
GVC_COUNT = 40
#: How many AllSides roundups the dev set holds, and the seed that draws them.
ROUNDUP_COUNT = 40
SEED = 2021
SIDES = ("left", "center", "right")


@dataclass(frozen=True)
class Source:
    """One document of a dev story: its name in the labels and what accord reads."""

    name: str
    item: str | accord.Article


def roundups() -> list[dict[str, Any]]:
    """The AllSides roundups of the dev set, in a fixed order."""
    rows = [json.loads(line) for line in ROUNDUPS.open(encoding="utf-8")]
    full = [r for r in rows if all(r["news"].get(side) and r["news"][side].get("newBody") for side in SIDES)]
    full.sort(key=lambda r: r["id"])
    chosen = random.Random(SEED).sample(full, ROUNDUP_COUNT)
    return sorted(chosen, key=lambda r: r["id"])


def keys() -> list[str]:
    """Every story key of the roundup dev set."""
    return [f"allsides-{r['id']}" for r in roundups()] + ["corpus-rubio-lavrov", "example-darin-river"]


def _longform_rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (LONGFORM / name).open(encoding="utf-8")]


def longform_keys() -> list[str]:
    """Every story key of the long-form dev set: the first BASIL_COUNT BASIL
    triplets by story number, then GVC_COUNT GVC incidents of two or more
    reports drawn with SEED (each list in a fixed order)."""
    basil = sorted({r["story"] for r in _longform_rows("basil-dev.jsonl")}, key=int)[:BASIL_COUNT]
    counts: dict[str, int] = {}
    for row in _longform_rows("gvc-dev.jsonl"):
        counts[row["story"]] = counts.get(row["story"], 0) + 1
    multi = sorted((s for s, n in counts.items() if n >= 2), key=int)
    gvc = sorted(random.Random(SEED).sample(multi, min(GVC_COUNT, len(multi))), key=int)
    return [f"basil-{s}" for s in basil] + [f"gvc-{s}" for s in gvc]


def labels_dir(key: str) -> Path:
    """Where the labels of a story key live."""
    return LONGFORM_LABELS if key.startswith(("basil-", "gvc-")) else LABELS


def _longform_sources(key: str) -> list[Source]:
    """A long-form story's documents: BASIL as left/center/right (HuffPost, NYT,
    Fox), GVC as d0, d1... by article id."""
    prefix, _, story = key.partition("-")
    rows = [r for r in _longform_rows(f"{prefix}-dev.jsonl") if r["story"] == story]
    if not rows:
        raise KeyError(key)
    if prefix == "basil":
        named = sorted(((r["id"].rpartition("_")[2], r) for r in rows), key=lambda p: SIDES.index(p[0]))
    else:
        named = [(f"d{n}", r) for n, r in enumerate(sorted(rows, key=lambda r: r["id"]))]
    return [Source(name, accord.Article(r["text"], title=r.get("title"), outlet=r.get("outlet"),
                                        url=r.get("url"), published=(r.get("published") or "")[:10] or None))
            for name, r in named]


def article_text(paragraphs: list[str]) -> str:
    """An AllSides article's body as accord reads it: paragraphs joined by a blank line."""
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def sources(key: str) -> list[Source]:
    """The documents of one dev story, in the order accord numbers them (the
    inputs' canonical order, ``accord.runner.input_key``), so that the i-th
    source is the i-th document of ``accord.analyze([s.item for s in ...])``."""
    return sorted(_sources(key), key=lambda source: input_key(source.item))


def _sources(key: str) -> list[Source]:
    if key.startswith(("basil-", "gvc-")):
        return _longform_sources(key)
    if key.startswith("allsides-"):
        number = int(key.split("-", 1)[1])
        row = next(r for r in roundups() if r["id"] == number)
        out = []
        for side in SIDES:
            news = row["news"][side]
            out.append(Source(side, accord.Article(
                article_text(news["newBody"]),
                title=news.get("newsTitle"),
                outlet=news.get("newsSource"),
                url=news.get("newsLink"),
                published=(row.get("date") or "")[:10] or None,
            )))
        return out
    folder = {"corpus-rubio-lavrov": CORPUS, "example-darin-river": EXAMPLE}[key]
    return [Source(path.name, str(path)) for path in sorted(folder.iterdir()) if path.is_file()]


def load_labels(key: str) -> dict[str, Any] | None:
    """The labels of one story, or None when it is not labelled yet."""
    path = labels_dir(key) / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def input_span(document: accord.Document, start: int, end: int) -> tuple[int, int] | None:
    """The input offsets of a clean-text span of ``document`` (None when unmapped)."""
    return document.offsets.source_span(start, end)


def sentences(key: str) -> Iterator[tuple[str, int, int, str]]:
    """Every sentence accord finds in a dev story: (sentence id ``doc:n``,
    input start, input end, text). Ids number the sentences of each document
    from 0 in the order of its text."""
    items = sources(key)
    batch = accord.analyze([s.item for s in items])
    names = {d.id: s.name for d, s in zip(batch.documents, items)}
    for analysis in batch.analyses:
        document = analysis.document
        for n, (start, end) in enumerate(analysis.sentences):
            while end > start and document.text[end - 1].isspace():
                end -= 1
            raw = input_span(document, start, end)
            if raw is None:
                continue
            yield f"{names[document.id]}:{n}", raw[0], raw[1], document.text[start:end]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("keys", "show"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "keys":
        print("\n".join(longform_keys() if argv[1:] == ["--longform"] else keys()))
        return 0
    for sid, start, end, text in sentences(argv[1]):
        print(f"{sid}\t[{start},{end})\t{text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
