"""Analyze: per document, sentences, entity mentions, quotations with their
speakers, quantities, time expressions and claims.

The spaCy model is loaded once per process (``nlp.load``) and documents are
parsed in batches with ``nlp.pipe``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc

from accord.model import Analysis, Document, Mention
from accord.settings import DEFAULT, Settings

from .claims import content_keys, find_claims
from .nlp import load
from .quantities import find_quantities
from .quotes import find_quotes
from .times import find_times

__all__ = ["analyze", "anchor_undated", "content_keys", "is_english", "pieces", "reference_date", "retime"]

# Where a long text may be cut, best first: after a blank line, a line break,
# a sentence's end, any space.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?…][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def is_english(document: Document) -> bool:
    """Whether the document is analysed as English (unknown counts as English)."""
    return document.language in (None, "en")


def reference_date(document: Document, fallback: dt.date | None = None) -> dt.date | None:
    """The date a document's relative time expressions count from: its own
    publication date, else ``fallback`` (the story's other documents' dates)."""
    if document.published:
        try:
            return dt.date.fromisoformat(document.published)
        except ValueError:
            pass
    return fallback


def pieces(text: str, limit: int, *, token_limit: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` of consecutive pieces that cover ``text`` exactly, each
    at most ``limit`` characters long: cut after a blank line where one falls
    in the last half of a piece, else after a line break, a sentence's end or a
    space, and only as a last resort inside a word. A run of more than
    ``token_limit`` characters without a space is cut into pieces of its own
    that long (spaCy's tokenizer takes time quadratic in a token's length)."""
    if token_limit is None:
        return _pieces(text, 0, len(text), limit)
    out: list[tuple[int, int]] = []
    position = 0
    for run in re.finditer(r"\S{%d,}" % (token_limit + 1), text):
        out += _pieces(text, position, run.start(), limit)
        out += [(a, min(a + token_limit, run.end())) for a in range(run.start(), run.end(), token_limit)]
        position = run.end()
    out += _pieces(text, position, len(text), limit)
    return out


def _pieces(text: str, start: int, stop: int, limit: int) -> list[tuple[int, int]]:
    if start >= stop:
        return []
    out: list[tuple[int, int]] = []
    text = text[:stop]
    while len(text) - start > limit:
        window = text[start + limit // 2:start + limit]
        cut = None
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            if ends:
                cut = start + limit // 2 + ends[-1]
                break
        cut = cut or start + limit
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def analyze(
    documents: Iterable[Document],
    *,
    fallback_date: dt.date | None = None,
    batch_size: int = 32,
    settings: Settings = DEFAULT,
) -> Iterator[Analysis]:
    """An Analysis per document, in order. Documents not in English are passed
    through with nothing found in them (they are kept, not analysed as English).
    ``fallback_date`` resolves relative dates of documents with no date. A text
    longer than ``settings.analyze_piece_chars`` is parsed in pieces (see
    ``pieces``) joined into one parse of the whole text, so no text is refused
    or cut and every offset stays exact."""
    nlp = load()
    limit = max(1000, min(settings.analyze_piece_chars, nlp.max_length))
    english: list[Document] = []
    pending: list[Document] = []

    def flush() -> Iterator[Analysis]:
        cuts = [pieces(d.text, limit, token_limit=settings.analyze_token_chars) for d in english]
        texts = (d.text[a:b] for d, spans in zip(english, cuts) for a, b in spans)
        parsed = iter(nlp.pipe(texts, batch_size=batch_size))
        documents_cuts = iter(cuts)
        for document in pending:
            if is_english(document):
                parts = [next(parsed) for _ in next(documents_cuts)]
                if not parts:  # an empty text (a record with an empty body) has nothing to parse
                    yield Analysis(document)
                    continue
                # Concatenated without added spaces: the joined text is the
                # document's text, character for character.
                sdoc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
                yield _analyze_one(sdoc, document, fallback_date)
            else:
                yield Analysis(document)
        english.clear()
        pending.clear()

    for document in documents:
        pending.append(document)
        if is_english(document):
            english.append(document)
        if len(english) >= batch_size:
            yield from flush()
    yield from flush()


def retime(analysis: Analysis, reference: dt.date | None) -> Analysis:
    """The analysis with its time expressions resolved again against
    ``reference`` (a document of unknown date, once its story's dates are
    known), and each claim's ``when`` made the times inside its sentence.
    Needs no parse."""
    times = find_times(analysis.document, reference)
    claims = [
        dataclasses.replace(claim, when=tuple(t.span for t in times if claim.span.start <= t.span.start and t.span.end <= claim.span.end))
        for claim in analysis.claims
    ]
    return dataclasses.replace(analysis, times=times, claims=claims)


#: Entity labels that name the people, bodies, places and events a report is
#: about (not its dates, numbers or languages).
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})


def _names(analysis: Analysis) -> frozenset[str]:
    return frozenset(" ".join(m.text.split()).casefold() for m in analysis.entities if m.label in _NAME_LABELS)


def anchor_undated(analyses: Sequence[Analysis], *, settings: Settings = DEFAULT) -> list[Analysis]:
    """The analyses of one story's documents, each English document without a
    date of its own given the reference date its relative times ("Thursday",
    "last week") count from (new Analysis objects; the others as they are).

    The rule: an undated document is nearest to the dated documents of its
    story with which it shares the most names (people, organisations,
    places, events); among those, to the one whose date is nearest to the
    latest date its own text gives with a year ("on 3 August 2021"), else
    to their median date (the earlier of the two middle ones). A dated
    document that shares fewer than ``settings.date_anchor_min_shared``
    names with it is unrelated and never sets its dates: with no such
    document its relative times stay unresolved. Documents of other stories
    are never looked at (callers pass one story)."""
    references = [reference_date(a.document) for a in analyses]
    dated = [(a, day, _names(a)) for a, day in zip(analyses, references) if day is not None]
    if not dated:
        return list(analyses)
    out = []
    for analysis, own_day in zip(analyses, references):
        if own_day is not None or not is_english(analysis.document):
            out.append(analysis)
            continue
        names = _names(analysis)
        shared = [(len(names & other), day) for _, day, other in dated]
        best = max(count for count, _ in shared)
        if best < settings.date_anchor_min_shared:
            out.append(analysis)
            continue
        days = sorted(day for count, day in shared if count == best)
        own = [dt.date.fromisoformat(t.date[:10]) for t in analysis.times if t.precision == "day"]
        if own:
            latest = max(own)
            anchor = min(days, key=lambda day: (abs((day - latest).days), day))
        else:
            anchor = days[(len(days) - 1) // 2]
        out.append(retime(analysis, anchor))
    return out


def _analyze_one(sdoc, document: Document, fallback_date: dt.date | None) -> Analysis:
    quotes = find_quotes(sdoc, document)
    mentions = [
        Mention(ent.text, ent.label_, document.span(ent.start_char, ent.end_char))
        for ent in sdoc.ents
        if ent.text.strip()
    ]
    quantities = find_quantities(document)
    times = find_times(document, reference_date(document, fallback_date))
    return Analysis(
        document=document,
        sentences=[(s.start_char, s.end_char) for s in sdoc.sents],
        entities=mentions,
        quotes=quotes,
        quantities=quantities,
        times=times,
        claims=find_claims(sdoc, document, quotes, quantities, times),
    )
