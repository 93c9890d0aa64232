"""Statements: the same utterance as each outlet reports it, aligned, with
the differences in wording and whether they change the meaning."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from accord.lexicon import HEDGE_ADVERBS, HEDGE_MODALS, NEGATIONS
from accord.model import Quote, Statement

from .independence import Sources, count_origins, count_outlets
from .linking import link_strongest_first

__all__ = ["align_statements", "compare_versions", "quote_words", "spoken"]

_WORD = re.compile(r"[\w’'*]+")
_NEGATIONS = NEGATIONS | {"n’t"}
# Beside the modal and adverb hedges, a speaker's own hedging verbs ("I think").
_HEDGES = HEDGE_MODALS | HEDGE_ADVERBS | {"think", "believe", "hopefully"}
_MODALS = frozenset({"can", "could", "will", "would", "may", "might", "shall", "should"})
# Sounds of hesitation: not words of what was said ("maybe, erm, yes").
_FILLERS = frozenset({"erm", "er", "um", "umm", "uh", "uhm", "ah", "hmm", "mm"})
# Words a hesitating speaker fills a pause with: a sentence of only these
# (and fillers) says nothing.
_PAUSE_WORDS = _HEDGES | frozenset({"yes", "yeah", "no", "well", "so", "oh", "i", "you", "know", "mean", "like"})
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[“‘\"']?[A-Z])")
# British and American spellings of one word are the same word.
_SPELLING = [(re.compile(r"is(e|ed|es|ing|ation)$"), r"iz\1"), (re.compile(r"our$"), "or"), (re.compile(r"´"), "’")]
#: Share of the smaller quote's content words that another must share to be the same utterance.
SAME_UTTERANCE = 0.6


# Between a closing and the next opening mark inside one quotation stand the
# reporter's words ("..., ” he said. “ ...").
_REPORTER_WORDS = re.compile(r"[”\"][^“”\"]*[“\"]")


def spoken(quote: Quote) -> str:
    """The words the speaker said: a quotation split by its cue ("A,” he said.
    “B") without the reporter's words between its parts."""
    return " ".join(_REPORTER_WORDS.sub(" ", quote.text).split()).strip(" ,")


def quote_words(text: str) -> list[str]:
    """The words of a quotation, lower case, contractions split ("it’s" ->
    "it", "’s"; "don’t" -> "do", "n’t"), spelling variants made one."""
    words = []
    for word in _WORD.findall(text.lower().replace("'", "’")):
        if word.endswith("n’t") and len(word) > 3:
            base = word[:-3]
            words.extend([{"wo": "will", "ca": "can", "sha": "shall"}.get(base, base), "n’t"])
            continue
        if "’" in word[1:]:
            head, _, tail = word.partition("’")
            words.extend([head, "’" + tail] if tail else [head])
            continue
        for pattern, replacement in _SPELLING:
            word = pattern.sub(replacement, word)
        words.append(word.strip("’"))
    return [w for w in words if w]


def _content(words: Sequence[str]) -> frozenset[str]:
    return frozenset(w for w in words if w not in STOP_WORDS and not w.startswith("’") and w not in _NEGATIONS and len(w) > 1)


def _sentences(text: str) -> list[list[str]]:
    return [quote_words(s) for s in _SENTENCE.split(text) if quote_words(s)]


def _without_hesitation(sentences: list[list[str]]) -> list[list[str]]:
    """The sentences without hesitation: filler sounds dropped, with a hedge
    word spoken next to one ("maybe, erm"), and sentences made only of pause
    words ("I think, maybe, erm, yes.") left out."""
    out = []
    for words in sentences:
        kept = [w for i, w in enumerate(words) if w not in _FILLERS and not (
            w in _HEDGES and any(x in _FILLERS for x in words[max(0, i - 1):i + 2]))]
        if kept and not all(w in _PAUSE_WORDS or w in _FILLERS for w in words):
            out.append(_without_repeats(kept))
    return out or sentences


def _without_repeats(words: list[str]) -> list[str]:
    """Words with a stutter taken out: a run of one to four words said twice
    in a row ("we will not, we will not stand by") is said once."""
    out: list[str] = []
    for word in words:
        out.append(word)
        for n in range(1, 5):
            if len(out) >= 2 * n and out[-n:] == out[-2 * n:-n]:
                del out[-n:]
                break
    return out


def _uncensored(words: list[str], reference: Sequence[str]) -> list[str]:
    """Censored words ("bulls***", "f---") as the word of the reference they
    stand for (same first letters), so that a softened rendering is not a
    change of wording."""
    out = []
    for word in words:
        stem = word.split("*", 1)[0]
        if "*" in word and stem:
            word = next((r for r in reference if r.startswith(stem) and "*" not in r and len(r) >= len(word) - 1), word)
        out.append(word)
    return out


def _similarity(a: list[frozenset[str]], b: list[frozenset[str]]) -> float:
    """Share of the smaller quote's content words that the other quote has, in
    the best-matching pair of their sentences (given as content-word sets; 0
    when they share fewer than two words)."""
    best = 0.0
    for ca in a:
        for cb in b:
            shared = len(ca & cb)
            if shared >= 2:
                best = max(best, shared / min(len(ca), len(cb)))
            elif ca == cb and ca:
                best = 1.0
    return best


def _candidates(contents: list[list[frozenset[str]]], *, limit: int = 200) -> set[tuple[int, int]]:
    """Pairs of quotes that share at least one content word, by an index of
    words rather than by trying every pair. A word used by more than
    ``limit`` distinct quotations is not followed: it says little about which
    utterance a quote is, and following it would try every pair."""
    postings: dict[str, list[int]] = {}
    for index, sentences in enumerate(contents):
        for word in set().union(*sentences) if sentences else ():
            postings.setdefault(word, []).append(index)
    pairs = set()
    for members in postings.values():
        if len(members) > limit:
            continue
        for x, i in enumerate(members):
            pairs.update((i, j) for j in members[x + 1:])
    return pairs


def align_statements(quotes: Sequence[Quote], sources: Sources) -> list[Statement]:
    """Group the direct and partial quotations of all documents into
    statements: quotes of the same speaker (or of an unknown one) that share
    most of their content words in some sentence are one utterance. Links are
    taken strongest first, and two groups join only when they are alike on
    average, so a chain of loose resemblances does not make one statement.
    Indirect speech is the reporter's paraphrase and stays out of statements.
    Statements are ordered by how many outlets report them.

    Quotes of one speaker in the very same words (reprints) are compared
    once, as one version: a story of many copies costs about as much as its
    distinct quotations."""
    quoted = [q for q in quotes if q.kind in ("direct", "partial")]
    versions: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    for index, quote in enumerate(quoted):
        versions.setdefault((quote.speaker, tuple(quote_words(spoken(quote)))), []).append(index)
    members = list(versions.values())
    weight = [len(m) for m in members]
    contents = [[_content(words) for words in _sentences(spoken(quoted[m[0]]))] for m in members]
    score: dict[tuple[int, int], float] = {}
    for i, j in _candidates(contents):
        a, b = quoted[members[i][0]], quoted[members[j][0]]
        if a.speaker is None or b.speaker is None or a.speaker == b.speaker:
            value = _similarity(contents[i], contents[j])
            if value > 0:
                score[(i, j)] = value

    def alike_on_average(a: list[int], b: list[int]) -> bool:
        total = sum(weight[x] for x in a) * sum(weight[y] for y in b)
        values = sum(score.get((min(x, y), max(x, y)), 0.0) * weight[x] * weight[y] for x in a for y in b)
        return values / total >= SAME_UTTERANCE / 2

    strong = [(value, i, j) for (i, j), value in score.items() if value >= SAME_UTTERANCE]
    groups = link_strongest_first(len(members), strong, alike_on_average)
    statements = []
    for group in groups:
        group_quotes = sorted((quoted[k] for v in group for k in members[v]), key=lambda q: int(q.id[1:]) if q.id[1:].isdigit() else 0)
        spans = [q.span for q in group_quotes]
        speakers = Counter(q.speaker for q in group_quotes if q.speaker)
        names = Counter(q.speaker_name for q in group_quotes if q.speaker_name)
        agreement, differences, reference = compare_versions(group_quotes)
        statements.append(Statement(
            id="",
            speaker=speakers.most_common(1)[0][0] if speakers else None,
            speaker_name=names.most_common(1)[0][0] if names else None,
            quotes=[q.id for q in group_quotes],
            outlets=count_outlets(spans, sources),
            independent=count_origins(spans, sources),
            agreement=agreement,
            differences=differences,
            text=spoken(reference),
        ))
    statements.sort(key=lambda s: (-s.outlets, -len(s.quotes), s.quotes[0]))
    for number, statement in enumerate(statements, 1):
        statement.id = f"s{number}"
    return statements


def compare_versions(quotes: Sequence[Quote]) -> tuple[str, list[dict[str, str]], Quote]:
    """The agreement of the versions of one utterance, a note for every
    version that differs from the reference version, and the reference (the
    fullest of the most repeated wordings)."""
    words = {id(q): tuple(quote_words(spoken(q))) for q in quotes}
    wordings = Counter(words.values())
    reference = max(quotes, key=lambda q: (wordings[words[id(q)]], len(spoken(q))))
    ref_sentences = _without_hesitation(_sentences(spoken(reference)))
    differences: list[dict[str, str]] = []
    divergent = False
    changed = False
    # Reprints repeat a version word for word: its notes are found once.
    found: dict[tuple[tuple[str, ...], str | None, str | None], tuple[list[str], bool]] = {}
    for quote in quotes:
        if quote is reference:
            continue
        key = (words[id(quote)], quote.speaker, quote.speaker_name)
        if key not in found:
            version = _without_hesitation(_sentences(spoken(quote)))
            reference_words = [w for r in ref_sentences for w in r]
            version_words = [w for v in version for w in v]
            version = [_uncensored(v, reference_words) for v in version]
            ref_here = [_uncensored(r, version_words) for r in ref_sentences]
            notes, diverges = _differences(version, ref_here, spoken(quote), spoken(reference))
            if quote.speaker and reference.speaker and quote.speaker != reference.speaker:
                notes.insert(0, f"put in the mouth of {quote.speaker_name or quote.speaker} rather than {reference.speaker_name or reference.speaker}")
                diverges = True
            found[key] = (notes, diverges)
        notes, diverges = found[key]
        if notes:
            changed = True
            differences.append({
                "quote": quote.id,
                # Said in words (no internal ids): the reference is the
                # version most outlets print, shown first in the reports.
                "note": "against the most repeated wording: " + "; ".join(notes),
                "meaning": "changed" if diverges else "kept",
            })
        divergent |= diverges
    agreement = "divergent" if divergent else ("consistent" if changed else "identical")
    return agreement, differences, reference


def _phrase(words: Sequence[str], text: str) -> str:
    """A run of compared words as the quotation writes it: the stretch of
    ``text`` whose words they are (its case, apostrophes, contractions and
    punctuation between the words), else, when the run is not one stretch of
    the text (a stutter or filler taken out), the words with their
    contractions joined again ("would" "n’t" -> "wouldn’t")."""
    words = list(words)
    if not words:
        return ""
    flat: list[tuple[str, int, int]] = []
    for match in _WORD.finditer(text):
        flat += [(w, match.start(), match.end()) for w in quote_words(match.group())]
    size = len(words)
    for i in range(len(flat) - size + 1):
        if [w for w, _, _ in flat[i:i + size]] == words:
            return text[flat[i][1]:flat[i + size - 1][2]]
    joined = re.sub(r" (n’t|’\w*)", r"\1", " ".join(words))
    return re.sub(r"\b(will|can|shall)n’t", lambda m: {"will": "won’t", "can": "can’t", "shall": "shan’t"}[m.group(1)], joined)


def _quoted_runs(runs: Sequence[Sequence[str]], text: str) -> str:
    """Runs of words as they are written, each in quotation marks."""
    return ", ".join(f"“{_phrase(run, text)}”" for run in runs if run)


def _differences(sentences: list[list[str]], reference: list[list[str]], text: str = "",
                 reference_text: str = "") -> tuple[list[str], bool]:
    """Notes on how the sentences (of the version ``text``) differ from their
    best-matching reference sentences (of ``reference_text``), and whether a
    difference changes the meaning. The words a note names are written as the
    quotation writes them, not as they are compared."""
    notes: list[str] = []
    diverges = False
    for words in sentences:
        target = max(reference, key=lambda r: len(_content(r) & _content(words)) + SequenceMatcher(None, r, words).ratio())
        # A version may join two sentences of the reference with a comma
        # ("everybody, the only people"): then it is read against the stretch
        # of the whole reference it covers.
        whole = [w for r in reference for w in r]
        if len(reference) > 1 and _content(words) - _content(target) and _content(words) <= _content(whole):
            target = whole
        if len(_content(words) & _content(whole)) < 2 and len(words) > 3:
            # A sentence the reference does not have at all: the quotation
            # goes on where the other stops; more words, not other words.
            notes.append("adds " + _quoted_runs([words], text))
            continue
        matcher = SequenceMatcher(None, target, words, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        # Only the stretch of the reference this version covers: a partial
        # quotation that leaves out the rest of the sentence is not a change.
        lo, hi = blocks[0].a, blocks[-1].a + blocks[-1].size
        lo_b, hi_b = blocks[0].b, blocks[-1].b + blocks[-1].size
        window = SequenceMatcher(None, target[lo:hi], words[lo_b:hi_b], autojunk=False)
        # Words of this version outside the stretch are its own additions.
        added_runs: list[list[str]] = [list(words[:lo_b])]
        removed_runs: list[list[str]] = []
        for op, a1, a2, b1, b2 in window.get_opcodes():
            if op in ("replace", "delete"):
                removed_runs.append(list(target[lo + a1: lo + a2]))
            if op in ("replace", "insert"):
                added_runs.append(list(words[lo_b + b1: lo_b + b2]))
        added_runs.append(list(words[hi_b:]))
        added = [w for run in added_runs for w in run]
        removed = [w for run in removed_runs for w in run]
        if added:
            notes.append("adds " + _quoted_runs(added_runs, text))
        if removed:
            notes.append("leaves out " + _quoted_runs(removed_runs, reference_text))
        # Words before or after the shared stretch, where the reference
        # sentence has no more words, continue the quotation where the other
        # version stops: more words, not other words, so their negations and
        # hedges change nothing the reference says.
        outer = (words[:lo_b] if lo == 0 else []) + (words[hi_b:] if hi == len(target) else [])
        for word in outer:
            if word in added:
                added.remove(word)
        for kind, vocabulary in (("negation", _NEGATIONS), ("hedge", _HEDGES)):
            # A modal for another ("could" / "can") is a variant of
            # transcription, not a hedge.
            gained = [w for w in added if w in vocabulary and w not in removed
                      and not (w in _MODALS and _MODALS & set(removed))]
            lost = [w for w in removed if w in vocabulary and w not in added
                    and not (w in _MODALS and _MODALS & set(added))]
            if gained or lost:
                diverges = True
                change = ", ".join([f"adds {w!r}" for w in gained] + [f"drops {w!r}" for w in lost])
                notes.append(f"{kind} changed ({change})")
        numbers_a = [w for w in target[lo:hi] if w.isdigit()]
        numbers_b = [w for w in words if w.isdigit()]
        if numbers_a and numbers_b and numbers_a != numbers_b:
            diverges = True
            notes.append(f"numbers differ ({' '.join(numbers_a)} / {' '.join(numbers_b)})")
    return notes, diverges
