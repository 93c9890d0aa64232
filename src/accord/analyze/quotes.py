"""Quotations: who said what.

``find_quotes`` returns every quotation of a document with its kind (direct,
partial, indirect), its words, its cue ("said", "told reporters", "according
to") and its speaker, both the local mention and the full name it stands for.

Direct and partial quotations start from the quotation marks
(``quotemarks.find_quoted``); their cue is looked for in the reporter's words
around the marks, in the same paragraph and sentence: after them first when
the quotation ends with a comma ("…,” he said), before them otherwise (He
said: “…”), in a paragraph ending with a colon just before, or a dash and a
name after (“…” ― Name). A quotation split by its cue is one quotation; a
quotation with no cue of its own right after one of a known speaker is that
speaker's. Indirect quotations come from the parse: each verb's candidate
contents (what the lexicon rules of ``reported`` give: X said that …; X
called for …; …, X said; "according to X"; and every complement the parse
gives it: X attacked Y) are scored by the model of ``attribution``, fitted on
PolNeAR train, and a verb's best candidate above its threshold is kept. Names
are resolved by ``speakers``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from accord.analyze.cues import (
    NAMING_VERBS,
    STANCE_VERBS,
    SUBJECT_DEPS,
    cue_range,
    is_according,
    is_cue,
    CLAUSE_ONLY_SPEECH,
    is_speech_cue,
    subject,
)
from accord.analyze.attribution import complements, features, probability, weights
from accord.analyze.quotemarks import Quoted, find_quoted, paragraphs
from accord.analyze.reported import (
    MAX_CLAUSE_TOKENS,
    clause_range,
    host_clause,
    reported_clause,
    with_antecedent,
)
from accord.analyze.speakers import ORG_NOUNS, PERSON_NOUNS, NameIndex, mention_tokens, speaker_name
from accord.model import Document, Quote, QuoteKind

__all__ = ["MODES", "Mode", "find_quotes"]

Mode = Literal["speech", "attribution", "rules"]
MODES: tuple[Mode, ...] = ("speech", "attribution", "rules")

#: Nouns that head the mention of an organisation or a body that speaks ("the
#: US military", "the ministry"): "it", "its", "the statement" after it refer to it.
BODY_NOUNS = frozenset(
    """
    military army ministry department government agency office administration
    campaign committee council company firm group organization organisation
    union party court police embassy commission bureau service coalition
    alliance network team board authority
    """.split()
)
NOT_SPEAKERS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY"}
OBJECT_PRONOUNS = {"him", "them", "me", "us", "whom", "its", "his", "their", "our", "my", "your"}
# Characters a quotation ends with when its cue follows it: “…,” he said.
CONTINUING_END = set(",?!—–-…")
# Characters before an opening mark that start a quoted sentence rather than a
# quoted phrase inside the reporter's sentence.
SENTENCE_OPENERS = set(":,.;!?—–-([")
DASHES = {"―", "—", "–", "--"}
#: Characters that open a quotation (straight ones open too, or a doubled '').
OPENING_MARKS = "“‘«„\"'`"
AFTER_CUE_REACH = 15  # tokens after the closing mark within which a cue must start
FRAME_LIMIT = 25  # tokens of reporter's words looked at before a quotation
AFTER_FRAME_LIMIT = 40  # and after it
CONTEXT_REACH = 120  # tokens looked back for the subject who is talking
HEADLINE_LIMIT = 250  # characters: a first paragraph this short may be a headline
#: Words before a headline's colon that may name its speaker ("Elizabeth Warren
#: Hammers Wells Fargo CEO: ‘…’"): 5 before issue 22; 8 took PolNeAR dev direct
#: F1 from 0.914 to 0.915 (bench/polnear.py dev), the other samples unchanged.
HEADLINE_SOURCE_TOKENS = 8
JOIN_ASIDES = True
JOIN_REACH = 40
#: A cue-less quotation filling the paragraph after “…,” X said. goes on from
#: it (``_goes_on_in_next_paragraph``): PolNeAR train[:250] direct F1 0.845 ->
#: 0.862, dev 0.935 -> 0.936 (bench/polnear.py); one paragraph on only (a
#: chain of them: train 0.864 but dev lost a match).
JOIN_NEXT_PARAGRAPH = True
#: Join a reported sentence and the quotation right after its cue
#: (``_join_reported``): PolNeAR dev all-attribution P 0.847 -> 0.849, direct
#: F1 0.932 -> 0.934 (bench/polnear.py dev); the two quote_precision samples
#: unchanged.
JOIN_REPORTED = True


@dataclass(slots=True)
class _Attribution:
    """What was found for one quotation: its cue verb and speaker tokens."""

    cue: tuple[int, int] | None = None  # token range
    speaker: tuple[int, int] | None = None  # token range
    head: Token | None = None  # the speaker mention's head
    # Where the cue was found: "after" or "before" the marks, "partial",
    # "indirect", "headline", or the speaker "inherited" from the quotation
    # before, or taken from the "context"; "" when nothing was found.
    side: str = ""


@dataclass(slots=True)
class _Found:
    """A quotation before ids: character range of its words and who said it."""

    kind: QuoteKind
    start: int
    end: int
    who: _Attribution
    name: str | None = None
    para: int = 0
    quoted: Quoted | None = None
    verb: Token | None = None  # the cue verb governing a partial quotation


class _Context:
    """One parsed document with the lookups every step needs."""

    def __init__(self, sdoc: Doc) -> None:
        self.sdoc = sdoc
        self.text = sdoc.text
        self.quoted = [q for q in find_quoted(self.text) if not _is_nickname(self.text, q)]
        self.paras = paragraphs(self.text)
        self.para_starts = [s for s, _ in self.paras]
        self.tok_starts = [t.idx for t in sdoc]
        self.in_quote = bytearray(len(sdoc))
        for q in self.quoted:
            for i in range(self.token_at(q.open), self.token_before(q.outer_end) + 1):
                self.in_quote[i] = 1
        self.names = NameIndex(sdoc, self.in_quote)

    def token_at(self, offset: int) -> int:
        """Index of the first token that starts at or after ``offset``."""
        return bisect_left(self.tok_starts, offset)

    def token_before(self, offset: int) -> int:
        """Index of the last token that starts before ``offset``."""
        return bisect_right(self.tok_starts, offset - 1) - 1

    def para_of(self, offset: int) -> int:
        """Index of the paragraph that holds (or last began before) ``offset``."""
        return max(0, bisect_right(self.para_starts, offset) - 1)


# --------------------------------------------------------------------------- frames


def _frame_after(ctx: _Context, q: Quoted, next_open: int | None) -> list[Token]:
    """The reporter's words after a quotation up to the end of its sentence, its
    paragraph or the next quotation."""
    para_end = ctx.paras[ctx.para_of(q.end)][1] if ctx.paras else len(ctx.text)
    limit = min(para_end, next_open if next_open is not None else len(ctx.text))
    out: list[Token] = []
    for i in range(ctx.token_at(q.outer_end), len(ctx.sdoc)):
        t = ctx.sdoc[i]
        if t.idx >= limit or len(out) >= AFTER_FRAME_LIMIT or ctx.in_quote[i]:
            break
        if _ends_sentence(t):
            break
        out.append(t)
    return out


def _frame_before(ctx: _Context, q: Quoted, prev_end: int | None) -> list[Token]:
    """The reporter's words before a quotation back to the start of its sentence,
    its paragraph or the previous quotation, in text order."""
    para_start = ctx.paras[ctx.para_of(q.open)][0] if ctx.paras else 0
    limit = max(para_start, prev_end if prev_end is not None else 0)
    out: list[Token] = []
    for i in range(ctx.token_before(q.open), -1, -1):
        t = ctx.sdoc[i]
        if t.idx < limit or len(out) >= FRAME_LIMIT or ctx.in_quote[i]:
            break
        if _ends_sentence(t):
            break
        out.append(t)
    out.reverse()
    return out


def _ends_sentence(t: Token) -> bool:
    """Whether ``t`` ends a sentence: "!" or "?", or a full stop followed by a
    capital, a quotation mark or nothing, not after an abbreviation ("(D-Wis.)",
    "Sen. Warren")."""
    if t.text in {"!", "?"}:
        return True
    if t.text != ".":
        return False
    doc = t.doc
    j = t.i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j < len(doc):
        nxt = doc[j].text
        if not (nxt[0].isupper() or nxt[0].isdigit() or doc[j].is_quote or nxt[0] in "“‘\"'"):
            return False
    if t.i > 0:
        prev = doc[t.i - 1]
        if prev.idx + len(prev.text) == t.idx and prev.text.istitle() and len(prev.text) <= 4 and prev.text.isalpha():
            # A short capitalised word before the stop is an abbreviation
            # (Sen., Wis., Gov.), unless it is a word that ends sentences.
            return prev.text.lower() in {"he", "she", "it", "i", "we", "you", "they", "one", "now", "then", "so", "too", "me", "us", "him", "her"}
    return True


# --------------------------------------------------------------------------- cue and speaker


def _fallback_subject(frame: list[Token], verb: Token) -> Token | None:
    """A speaker for a cue the parser left without a subject: the nearest noun
    or pronoun next to the verb in the frame (after it first: "said Caddell")."""
    after = [t for t in frame if t.i > verb.i]
    before = [t for t in frame if t.i < verb.i]
    if any(c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i for c in verb.children):
        # "promising that Mexico would …": the words after the verb are what
        # was said; its speaker is the subject before it ("Fox railed …,
        # promising"), when there is one.
        for t in reversed(before[-12:]):
            if t.dep_ in SUBJECT_DEPS and _could_speak(t):
                return t
    for t in after[:3]:
        if _could_speak(t):
            return t
    for t in reversed(before[-4:]):
        if _could_speak(t):
            return t
    for t in reversed(before[-FALLBACK_PERSON_REACH:]):
        # "Okafor, a senior adviser, said": a person named before an
        # apposition the parse did not hang on the verb.
        if t.ent_type_ == "PERSON" and _could_speak(t):
            return t
    return None


#: Tokens before a cue within which a person's name is its speaker when the
#: parse gave the cue no subject: an apposition of a few words fits.
FALLBACK_PERSON_REACH = 10


def _reporters_subject(ctx: _Context, verb: Token) -> Token | None:
    """The subject of the reporter's sentence that cue ``verb`` belongs to,
    when the parse hung the verb on the quoted words ("Mr. Trump … treating
    her remark as a compliment -- ''That makes me smart'' -- and asserting,
    ''…''"): the nearest subject before it outside quotation marks, in its
    sentence and paragraph, that may speak."""
    para = ctx.para_of(verb.idx)
    for i in range(verb.i - 1, max(-1, verb.i - 60), -1):
        t = ctx.sdoc[i]
        if ctx.para_of(t.idx) != para or (_ends_sentence(t) and not ctx.in_quote[i]):
            return None
        if not ctx.in_quote[i] and t.dep_ in SUBJECT_DEPS and _could_speak(t):
            return t
    return None


def _could_speak(t: Token) -> bool:
    """Whether a token may head a speaker mention: a name or a pronoun, not a
    date or a time the parser tagged as a proper noun."""
    return (
        t.pos_ in {"PROPN", "PRON"}
        and any(c.isalpha() for c in t.text)
        and t.ent_type_ not in NOT_SPEAKERS
        and t.tag_ not in {"WP", "WDT", "PRP$"}
        and t.lower_ not in OBJECT_PRONOUNS
    )


def _attribute(ctx: _Context, verb: Token, frame: list[Token]) -> _Attribution:
    """Cue and speaker tokens for cue verb ``verb`` found in ``frame``."""
    subj = subject(verb)
    if (
        subj is None
        or ctx.in_quote[subj.i]
        or ctx.para_of(subj.idx) != ctx.para_of(verb.idx)
        or subj.ent_type_ in {"DATE", "TIME"}
        or subj.tag_ == "POS"
        or not any(c.isalpha() for c in subj.text)
    ):
        hung_on_quote = subj is not None and ctx.in_quote[subj.i]
        subj = (_reporters_subject(ctx, verb) if hung_on_quote else None) or _fallback_subject(frame, verb)
    if subj is not None:
        subj = _named_head(subj)
        if not _is_source(subj):
            subj = None  # "time", "rate", "his declaration": no one who speaks
    who = _Attribution(cue=cue_range(verb), head=subj)
    if subj is not None:
        lo = frame[0].i if frame and frame[0].i <= subj.i else subj.left_edge.i
        hi = frame[-1].i + 1 if frame and frame[-1].i >= subj.i else subj.i + 1
        who.speaker = mention_tokens(subj, lo, hi)
    return who


#: Common nouns that name someone who may say something: people by role,
#: bodies, and what speaks for them (a statement, a study, an ad).
SOURCE_LEMMAS = frozenset(
    """
    people police public crowd staff family press media outlet paper website
    site magazine network station channel ad advertisement study poll survey
    data letter memo filing lawsuit complaint document post tweet video source
    official deputy acquaintance authority audience majority minority group
    spokesperson people community couple panel jury nation country state
    city county town village household parent child kid victim witness
    bank clip surrogate college school university slide journal ex brief
    submission lady analysis database fund datum ruling book account research
    delegate finding record article story editorial column interview
    transcript email message note sign banner website blog review assessment
    estimate forecast projection index chart figure statistic census page
    firm business corporation industry institute foundation charity lobby
    movement newspaper niece nephew cousin aunt uncle grandmother grandfather
    grandson granddaughter fiance fiancee partner girlfriend boyfriend widow
    widower colleague classmate roommate teammate coworker boss mom dad
    advocate candidate delegate recording
    """.split()
) | PERSON_NOUNS | ORG_NOUNS | BODY_NOUNS
#: Endings of nouns that name people by what they do (officer, analyst,
#: politician, applicant, critic, congressman, representative).
AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ee", "man", "men", "woman", "person", "ive", "ic")
#: Quantifiers that stand for people when they are a subject.
QUANTIFIER_SOURCES = frozenset({"many", "some", "others", "several", "most", "few", "both", "all", "one", "each"})
#: Pronouns that never stand for a speaker.
NON_SPEAKER_PRONOUNS = frozenset({"this", "that", "these", "what", "which", "something", "anything", "everything", "nothing"})


def _is_source(t: Token) -> bool:
    """Whether token ``t`` may head the mention of someone who says something:
    a name, a personal pronoun, or a noun of a person, a body or a document;
    not a number, a date or another common noun ("time", "rate", "tweets")."""
    if t.like_num or t.ent_type_ in NOT_SPEAKERS:
        return False
    if t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    if t.pos_ == "PROPN":
        return True
    if t.pos_ == "PRON":
        # (a relative "which", "that" stands for the noun it is on)
        return t.tag_ in {"WDT", "WP"} or t.lower_ not in NON_SPEAKER_PRONOUNS
    if t.lower_ in QUANTIFIER_SOURCES:
        return True  # "many have speculated", "others said"
    if t.pos_ != "NOUN":
        return False
    if t.text[:1].isupper() and not t.is_sent_start:
        return True  # a name the tagger took for a common noun
    return _is_agent_noun(t.lemma_.lower())


def _is_agent_noun(lemma: str) -> bool:
    """Whether a noun of lemma ``lemma`` names someone who may speak."""
    return lemma in SOURCE_LEMMAS or lemma.endswith(AGENT_ENDINGS)


def _named_head(subj: Token) -> Token:
    """The token that best names a speaker mention headed by ``subj``: the
    name in apposition to a description ("one of the women, Maureen Maloney"),
    the name after a title the parser took as the head ("Cpl. Gabrielle King")."""
    doc = subj.doc
    if subj.ent_type_ != "PERSON":
        for c in subj.children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON":
                return c
        if subj.pos_ == "PROPN":
            j = subj.i + 1
            while j < len(doc) and j <= subj.i + 2 and doc[j].text == ".":
                j += 1
            if j < len(doc) and doc[j].ent_type_ == "PERSON" and doc[j].ent_iob_ == "B":
                while j + 1 < len(doc) and doc[j + 1].ent_iob_ == "I":
                    j += 1
                return doc[j]
    return subj


#: Nouns of texts that "read" what they say ("…,” the letter reads).
READING_NOUNS = frozenset({"letter", "statement", "sign", "note", "message", "post", "tweet", "memo", "caption", "banner", "headline", "ad", "email", "text", "placard", "poster"})


def _frame_cue(t: Token) -> bool:
    """Whether ``t`` is the cue of a quotation in marks: a verb of saying (not
    of a stance), or "reads" said of a text ("the letter reads")."""
    if is_cue(t):
        return t.lemma_.lower() not in STANCE_VERBS
    if t.lemma_.lower() == "read" and t.pos_ == "VERB":
        subj = subject(t)
        return subj is not None and subj.lemma_.lower() in READING_NOUNS
    return False


def _first_cue(frame: list[Token], reach: int) -> Token | None:
    """The first verb of saying among the first ``reach`` tokens of ``frame``."""
    for t in frame[:reach]:
        if _frame_cue(t):
            return t
    return None


def _last_cue(frame: list[Token]) -> Token | None:
    """The last verb of saying in ``frame``."""
    for t in reversed(frame):
        if _frame_cue(t):
            return t
    return None


def _next_to(frame: list[Token], verb: Token | None, *, at_end: bool, reach: int) -> bool:
    """Whether ``verb`` stands within ``reach`` words (punctuation aside) of the
    marks: at the end of the frame before them or at the start of the one after."""
    if verb is None:
        return False
    words = [t for t in frame if not (t.is_punct or t.is_space)]
    near = words[-reach:] if at_end else words[:reach]
    return any(t.i == verb.i for t in near)


# --------------------------------------------------------------------------- quotations in marks


def _is_sentence(ctx: _Context, q: Quoted, before: list[Token]) -> bool:
    """Whether the marks enclose whole sentences (a direct quotation) rather than
    words inside the reporter's sentence (a partial one)."""
    if q.paragraphs > 1:
        return True
    text = ctx.text
    i = q.open - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    opens_sentence = (
        i < 0
        or text[i] == "\n"
        or text[i] in SENTENCE_OPENERS
        # after a title or quotation whose own full stop ends the sentence
        # (on “Morning Desk.” “I mean, …”)
        or (text[i] in "”\"’'" and i > 0 and text[i - 1] in ".!?")
    )
    if opens_sentence and text.startswith(("…", "..."), q.start):
        # “… overall, I think …” opening a paragraph or a sentence: the
        # speaker's sentence taken up part way, not words in the reporter's.
        return True
    first = next((c for c in text[q.start : q.end] if c.isalnum()), "")
    if not (first.isupper() or first.isdigit()):
        return False
    if opens_sentence:
        return True
    # "He said “We will win.”" with no comma: the word before is the cue.
    return bool(before) and is_cue(before[-1])


def _is_title(text: str, q: Quoted) -> bool:
    """Whether the marks hold a title ("Orange Is the New Black", “Morning
    Joe”) rather than words someone said: a few words, every long one
    capitalised, no sentence inside."""
    if q.paragraphs > 1 or text[q.end - 1] in "!?":
        return False
    words = re.findall(r"[^\W\d_][\w’'-]*", text[q.start : q.end])
    if not words or len(words) > 8:
        return False
    if any(c in text[q.start : q.end].rstrip(".,!?") for c in ".!?;"):
        return False
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words) and not all(w.isupper() for w in long_words)


#: Nouns of works whose title follows them in quotation marks (the documentary
#: “13th”, his book ''Make Your Kid a Millionaire'').
WORK_NOUNS = frozenset(
    """
    book books film films movie movies documentary documentaries show shows
    series program programme song songs album novel novels essay essays
    article articles column op-ed editorial headline headlines poem play
    musical report podcast episode titled entitled dubbed nicknamed
    """.split()
)


def _names_a_work(text: str, q: Quoted) -> bool:
    """Whether the marks hold the title of a work named just before them
    ("documentary, “13th,”", "book ''Make Your Kid a Millionaire''"): a
    title-cased passage of a few words after a noun of ``WORK_NOUNS``."""
    before = text[max(0, q.open - 40) : q.open].rstrip(" ,:\u00a0")
    words = re.findall(r"[A-Za-z-]+", before)
    if not words or not before[-1:].isalpha() or words[-1] not in WORK_NOUNS:
        return False  # (a lower-case noun right before the marks: "the Cook Political Report." is not one)
    inner = text[q.start : q.end].rstrip(".,!?")
    return 0 < len(inner.split()) <= 8 and (inner[:1].isupper() or inner[:1].isdigit())


def _is_nickname(text: str, q: Quoted) -> bool:
    """Whether the marks hold a nickname inside a name (Marcia “Cia” Price,
    Earvin "Magic" Johnson): one or two capitalised words between two
    capitalised words, nothing else."""
    inner = text[q.start : q.end]
    words = inner.split()
    if not 1 <= len(words) <= 2 or not all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in words):
        return False
    before = re.search(r"(?<![\w.-])([A-Z][\w.-]*) $", text[max(0, q.open - 30) : q.open])
    after = re.match(r" ([A-Z][\w-]+)", text[q.outer_end : q.outer_end + 30])
    return before is not None and after is not None


def _said_here(ctx: _Context, before: list[Token], after: list[Token]) -> bool:
    """Whether a cue stands right beside the marks (he said, “Probably.”)."""
    return any(is_cue(t) for t in before[-3:]) or any(is_cue(t) for t in after[:4])


def _is_whole_paragraph(ctx: _Context, q: Quoted) -> bool:
    """Whether a quotation fills its paragraph (a headline quoted on its own line
    is still a quotation)."""
    ps, pe = ctx.paras[ctx.para_of(q.open)] if ctx.paras else (0, len(ctx.text))
    return q.open == ps and q.outer_end >= pe - 1


def _governing_cue(ctx: _Context, q: Quoted) -> Token | None:
    """For a partial quotation, the cue verb whose clause holds it: an ancestor
    of the quoted words that reports speech or names ("called it “…”")."""
    first = ctx.token_at(q.start)
    last = ctx.token_before(q.end)
    if first > last:
        return None
    heads = [t for t in ctx.sdoc[first : last + 1] if not (first <= t.head.i <= last) or t.head.i == t.i]
    para = ctx.para_of(q.open)
    for h in heads[:1]:
        v = h
        for _ in range(8):
            if ctx.para_of(v.idx) != para:
                return None  # the parser ran the sentence into another paragraph
            if not ctx.in_quote[v.i] and (is_cue(v) or v.lemma_.lower() in NAMING_VERBS):
                return v
            if v.head.i == v.i:
                break
            v = v.head
        # A cue hung beside the clause (“…”, Moscow said): the root's cue
        # children near the quotation (looked for in a window, as a run-on
        # parse may hang thousands of tokens on one root).
        root = v
        window = ctx.sdoc[max(0, first - FRAME_LIMIT) : min(len(ctx.sdoc), last + FRAME_LIMIT)]
        for c in window:
            if (
                c.head.i == root.i
                and c.i != root.i
                and c.dep_ in {"parataxis", "advcl", "ccomp"}
                and is_cue(c)
                and not ctx.in_quote[c.i]
                and ctx.para_of(c.idx) == para
            ):
                return c
    return None


def _quoted_passages(ctx: _Context) -> list[_Found]:
    """Direct and partial quotations from the marks, with cue and speaker, split
    quotations (“…,” he said. “…”) joined."""
    found: list[_Found] = []
    quoted = ctx.quoted
    for k, q in enumerate(quoted):
        prev_end = quoted[k - 1].outer_end if k else None
        next_open = quoted[k + 1].open if k + 1 < len(quoted) else None
        before = _frame_before(ctx, q, prev_end)
        after = _frame_after(ctx, q, next_open)
        if (
            _is_title(ctx.text, q)
            and (q.single or not _is_whole_paragraph(ctx, q))
            and not _said_here(ctx, before, after)
        ) or _names_a_work(ctx.text, q):
            # A title, or a subheading set in single marks on its own line.
            continue
        direct = _is_sentence(ctx, q, before)
        if direct:
            who = _direct_attribution(ctx, q, before, after)
        else:
            verb = _governing_cue(ctx, q)
            who = _attribute(ctx, verb, before + after) if verb is not None else _Attribution()
            if verb is not None:
                who.side = "partial"
        found.append(_Found("direct" if direct else "partial", q.start, q.end, who, para=ctx.para_of(q.open), quoted=q))
        if not direct:
            found[-1].verb = verb
    return _join_split(ctx, found)


def _direct_attribution(ctx: _Context, q: Quoted, before: list[Token], after: list[Token]) -> _Attribution:
    """Cue and speaker of a quotation of whole sentences: after it when it ends
    with a comma or the cue follows at once, else before it, else in a paragraph
    ending with a colon just before it."""
    text = ctx.text
    byline = _dash_attribution(ctx, q, after)
    if byline is not None:
        return byline
    continuing = text[q.end - 1] in CONTINUING_END or text[q.outer_end : q.outer_end + 1] == ","
    # After “…,” the cue may follow a long description of the speaker
    # ("Leonard E. Burman, director of …, said").
    after_verb = _first_cue(after, len(after) if continuing else AFTER_CUE_REACH)
    before_verb = _last_cue(before)
    if (
        continuing
        and _next_to(before, before_verb, at_end=True, reach=2)
        and not _next_to(after, after_verb, at_end=False, reach=4)
    ):
        # "…, saying, “…,” when Clinton blasted him": the cue right before
        # the marks is theirs, not a cue further on in the sentence.
        after_verb = None
    if after_verb is not None and text[q.end - 1] in ".!?" and _introduces_next(ctx, after):
        # "“… kidding.” To which she said, “…”": the quotation ends its
        # sentence and the cue's sentence leads into the next quotation.
        after_verb = None
    if after_verb is not None and (continuing or before_verb is None):
        who = _attribute(ctx, after_verb, after)
        who.side = "after"
        return who
    if before_verb is not None:
        who = _attribute(ctx, before_verb, before)
        who.side = "before"
        return who
    label = _speaker_label(ctx, before)
    if label is not None:
        return label
    intro = _introducing_paragraph(ctx, q)
    if intro:
        verb = _last_cue(intro)
        if verb is not None:
            who = _attribute(ctx, verb, intro)
            who.side = "before"
            return who
    return _Attribution()


def _introduces_next(ctx: _Context, after: list[Token]) -> bool:
    """Whether the words ``after`` a quotation end with a comma or a colon
    right before the next quotation's opening mark (they introduce it)."""
    if not after or after[-1].text not in {",", ":"}:
        return False
    rest = ctx.text[after[-1].idx + 1 : after[-1].idx + 8].lstrip()
    return rest[:1] in OPENING_MARKS


def _speaker_label(ctx: _Context, before: list[Token]) -> _Attribution | None:
    """“…” introduced by a person's name and a colon (“RIVER TOWNS
    OUTNUMBER - Susan T. Miller: “…”", "Miller: “…”"): the name that ends
    right at the colon, as a transcript or a roundup labels its speaker."""
    if len(before) < 2 or before[-1].text != ":":
        return None
    name = before[-2]
    if name.ent_type_ != "PERSON" or not _could_speak(name):
        return None
    # The name is the entity that ends at the colon (read from the IOB tags:
    # no walk over all the document's entities for every quotation).
    start = name.i
    while ctx.sdoc[start].ent_iob_ == "I" and start > before[0].i:
        start -= 1
    if ctx.sdoc[start].ent_iob_ != "B":
        return None
    return _Attribution(cue=(before[-1].i, before[-1].i + 1), speaker=(start, name.i + 1), head=name, side="before")


def _dash_attribution(ctx: _Context, q: Quoted, after: list[Token]) -> _Attribution | None:
    """“…” ― Name: a quotation signed with a dash and the speaker's name (the
    dash may touch the closing mark: “…”― Name)."""
    text = ctx.text
    pos = q.outer_end
    while pos < len(text) and text[pos] in " \t\u00a0":
        pos += 1
    dash = next((d for d in ("--", "―", "—", "–") if text.startswith(d, pos)), None)
    if dash is None:
        return None
    rest = [t for t in ctx.sdoc[ctx.token_at(pos + len(dash)) : ctx.token_at(pos + len(dash)) + 8] if not t.is_space]
    if not rest or "\n" in text[pos : rest[0].idx]:
        return None
    first_dash = ctx.token_before(pos + 1)
    name: list[Token] = []
    for t in rest:
        if t.pos_ != "PROPN" and not (name and t.text in {".", "-"}):
            break
        name.append(t)
    if not name:
        return None
    head = next((t for t in reversed(name) if t.pos_ == "PROPN"), name[-1])
    return _Attribution(
        cue=(first_dash, first_dash + 1),
        speaker=(name[0].i, head.i + 1),
        head=head,
        side="after",
    )


def _introducing_paragraph(ctx: _Context, q: Quoted) -> list[Token]:
    """The last sentence of the paragraph before ``q`` when that paragraph ends
    with a colon and ``q`` opens its own paragraph ("Caddell continued:")."""
    k = ctx.para_of(q.open)
    if k == 0 or ctx.paras[k][0] != q.open:
        return []
    ps, pe = ctx.paras[k - 1]
    if ctx.text[pe - 1] != ":":
        return []
    out: list[Token] = []
    for i in range(ctx.token_before(pe), -1, -1):
        t = ctx.sdoc[i]
        if t.idx < ps or _ends_sentence(t) or len(out) >= FRAME_LIMIT or ctx.in_quote[i]:
            break
        out.append(t)
    out.reverse()
    return out


def _join_split(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """Join a quotation interrupted by its cue (“…,” he said. “…” or “…,” he
    said, “…”) into one: the second part has no cue of its own and follows in the
    same paragraph with only the sentence of the cue between."""
    out: list[_Found] = []
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and _continues(ctx, prev, f):
            prev.end = f.end
            prev.quoted = f.quoted
            continue
        out.append(f)
    return out


def _continues(ctx: _Context, prev: _Found, f: _Found) -> bool:
    """Whether quotation ``f`` is the second part of ``prev`` split by its cue,
    or the same speaker's next words after a short aside in the paragraph."""
    if prev.kind != "direct" or prev.quoted is None or f.quoted is None:
        return False
    if _signed(ctx, prev):
        return False  # “…” ― Name: the signature closes the quotation
    if JOIN_NEXT_PARAGRAPH and f.para == prev.para + 1:
        return _goes_on_in_next_paragraph(ctx, prev, f)
    if prev.para != f.para:
        return False
    between = [
        t for t in ctx.sdoc[ctx.token_at(prev.quoted.outer_end) : ctx.token_at(f.quoted.open)]
        if not t.is_space
    ]
    if not between:
        return False
    if (
        JOIN_ASIDES
        and f.kind == "direct"
        and f.who.cue is None
        and prev.who.speaker is not None
        and len(between) <= JOIN_REACH
        and between[-1].text != ":"  # "… my answer: “…”": introduced anew
    ):
        # "“…,” said X, half joking. He holds two degrees. “…”": PolNeAR
        # takes both quotations as one passage.
        return True
    if prev.who.side != "after":
        return False
    if f.kind == "partial" and f.who.cue is not None and f.who.cue != prev.who.cue:
        return False
    if f.kind == "direct" and (f.who.side not in {"before", ""} or (f.who.cue is not None and f.who.cue != prev.who.cue)):
        return False
    # Only the cue's sentence lies between: no sentence ends before the last token.
    # “…,” he said, “…” or “…,” he said, but “…”: the partial one goes on.
    if f.kind == "partial" and between[-1].text != "," and between[-1].lower_ != "but":
        return False
    # A title in marks ("on Kelvar Radio’s “Morning Desk.”") ends no sentence.
    return not any(_ends_sentence(t) for t in between[:-1] if not ctx.in_quote[t.i])


def _join_reported(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """Join a reported sentence and the quotation right after its cue ("The
    summit accomplished “too little,” he added on Twitter. “Without …”"):
    an indirect or partial quotation whose cue follows its words, then a
    direct one in the same paragraph with no cue of its own, only the cue's
    sentence between. One attribution, as a split quotation is."""
    out: list[_Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind in {"indirect", "partial"}
            and f.kind == "direct"
            and f.who.cue is None
            and f.quoted is not None
            and prev.who.cue is not None
            and prev.who.speaker is not None
            and prev.para == f.para
        ):
            cue_start = ctx.sdoc[prev.who.cue[0]].idx
            between = [t for t in ctx.sdoc[ctx.token_at(prev.end) : ctx.token_at(f.quoted.open)] if not t.is_space]
            if (
                prev.end <= cue_start < f.quoted.open
                and between
                and _ends_sentence(between[-1]) | (between[-1].text in {",", ":"})
                and not any(_ends_sentence(t) for t in between[:-1] if not ctx.in_quote[t.i])
            ):
                prev.end = f.end
                prev.kind = "partial"
                continue
        out.append(f)
    return out


def _goes_on_in_next_paragraph(ctx: _Context, prev: _Found, f: _Found) -> bool:
    """Whether direct quotation ``f``, a whole paragraph of its own with no
    cue, goes on from ``prev`` in the paragraph before: “…,” Viguerie tells
    Breitbart News.¶“He’s what we’ve waited for.”: the speaker named with
    the cue after ``prev`` is still talking."""
    assert prev.quoted is not None and f.quoted is not None
    if f.kind != "direct" or f.who.cue is not None or prev.who.speaker is None or prev.who.side != "after":
        return False
    ps, pe = ctx.paras[f.para]
    if f.quoted.open != ps or f.quoted.outer_end < pe:
        return False
    # ``prev``'s paragraph ends with its cue's sentence: nothing else follows.
    rest = [t for t in ctx.sdoc[ctx.token_at(prev.quoted.outer_end) : ctx.token_at(ctx.paras[prev.para][1])] if not t.is_space]
    return bool(rest) and not any(_ends_sentence(t) for t in rest[:-1] if not ctx.in_quote[t.i])


def _signed(ctx: _Context, f: _Found) -> bool:
    """Whether quotation ``f`` is attributed by a dash and a name after it
    (“…” ― Karen Bobadilla), as readers' comments and epigraphs are signed."""
    return f.who.cue is not None and ctx.sdoc[f.who.cue[0]].text in DASHES


def _inherit_speakers(ctx: _Context, found: list[_Found]) -> None:
    """A direct quotation with no cue of its own, in the same or the next
    paragraph after a quotation with a speaker, is that speaker's."""
    last: _Found | None = None
    for f in found:
        if (
            f.who.speaker is None
            and f.kind == "direct"
            and last is not None
            and f.para - ctx.para_of(last.end) <= 1
        ):
            f.who = _Attribution(speaker=last.who.speaker, head=last.who.head, side="inherited")
            f.name = last.name
        if f.who.speaker is None and f.kind == "direct":
            _context_speaker(ctx, f)
        if f.who.speaker is not None:
            last = f


def _context_speaker(ctx: _Context, f: _Found) -> None:
    """Give a quotation with no cue the person who is the subject nearest before
    it in its paragraph (or the paragraph before, when it opens its own): the
    reporter has just named who is talking."""
    if f.quoted is None:
        return
    k = ctx.para_of(f.quoted.open)
    lo = ctx.paras[k][0] if ctx.paras else 0
    if ctx.paras and lo == f.quoted.open and k > 0:
        lo = ctx.paras[k - 1][0]
    first = ctx.token_before(f.quoted.open)
    for i in range(first, max(-1, first - CONTEXT_REACH), -1):
        t = ctx.sdoc[i]
        if t.idx < lo:
            return
        if ctx.in_quote[i] or t.dep_ not in SUBJECT_DEPS:
            continue
        if t.ent_type_ == "PERSON" or (t.pos_ == "PRON" and t.lower_ in {"he", "she"}):
            span = mention_tokens(t, t.left_edge.i, t.i + 1)
            f.who = _Attribution(speaker=span, head=t, side="context")
            f.name = speaker_name(ctx.sdoc, t, span, ctx.names, recent=[])
            return


# --------------------------------------------------------------------------- indirect


def _indirect(ctx: _Context, *, mode: Mode = "speech", threshold: float | None = None) -> list[_Found]:
    """Reported speech from the parse: X said (that) …; …, X said; according to
    X, …; X attacked Y: for each verb, the candidate content the model of
    ``attribution`` scores highest, when it scores above the threshold."""
    out: list[_Found] = []
    doc = ctx.sdoc
    w, fitted = weights()
    if threshold is None:
        threshold = fitted
    best: dict[int, tuple[float, tuple[int, int], list[Token]]] = {}
    for v, rng, feats, words in _candidates(ctx):
        if mode == "speech" and not _reports_speech(v, feats):
            continue
        p = float("rule=True" in feats) if mode == "rules" else probability(feats, w)
        if p >= threshold and (v.i not in best or p > best[v.i][0]):
            best[v.i] = (p, rng, words)
    for i in sorted(best):
        v = doc[i]
        _, rng, words = best[i]
        inside = {t.i for t in words}
        window = [t for t in doc[max(0, v.i - FRAME_LIMIT) : v.i + FRAME_LIMIT] if t.i not in inside]
        who = _attribute(ctx, v, window)
        who.side = "indirect"
        if who.speaker is None and mode == "speech":
            continue  # said by no one the text names: not a quotation
        start, end = _without_dangling_conjunction(ctx.text, rng[0], rng[1])
        out.append(_Found("indirect", start, end, who, para=ctx.para_of(start)))
    return out


# The run of separators starts where a word ends ((?<!...)): searched from
# inside a long run of spaces it would start again at every one of them.
_DANGLING = re.compile(r"(?<![\s,;])[\s,;]*\b(?:and|but|or|while)\s*$")


def _without_dangling_conjunction(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without a conjunction the parse left at its end ("… but
    provided no details, and"): what follows it is the reporter's next clause."""
    m = _DANGLING.search(text, start, end)
    if m is not None and m.start() > start:
        end = m.start()
    return start, end


#: Verbs that report a finding: their subject must be someone or a source.
EVIDENCE_VERBS = frozenset({"show", "find", "suggest", "indicate", "reveal", "demonstrate", "confirm"})
#: Nouns that name a source of findings ("the study found", "polls show").
SOURCE_NOUNS = frozenset(
    """
    study studies poll survey report research data analysis review figure record
    result finding researcher scientist expert official document investigation
    audit inquiry experiment trial paper estimate model census statistic test
    memo letter filing ruling court judge panel committee agency
    """.split()
)


def _reports_speech(v: Token, feats: list[str]) -> bool:
    """Whether verb (or noun) ``v`` with a candidate of features ``feats``
    reports words said or a position stated, as a quotation needs: a speech
    cue (``cues.is_speech_cue``); a clause or an infinitive for the cues that
    take a noun phrase in another sense ("the ad shows men"); not a cue in the
    infinitive ("wants to show", "to highlight": what may be said), not
    negated ("did not reveal"), not passive with no one saying it ("has been
    shown to", "is expected to"); a noun's content not its addressee ("appeal
    to the nations")."""
    if not is_speech_cue(v):
        return False
    rel = next((f[2:] for f in feats if f.startswith("r=")), "")
    if v.lemma_.lower() in CLAUSE_ONLY_SPEECH and rel.split(":")[-1] in {"dobj", "prep", "dative", "attr", "oprd", "acomp"}:
        return False
    if v.pos_ == "NOUN" and ("p=to" in feats or "p=with" in feats):
        return False
    if is_according(v):
        return True
    children = list(v.children)
    if v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
        return False
    if any(c.dep_ == "neg" for c in children):
        return False
    if any(c.dep_ == "auxpass" for c in children) and not any(c.dep_ == "agent" for c in children):
        return False
    if _is_act(v, children):
        return False
    if v.lemma_.lower() in EVIDENCE_VERBS:
        # "the study found", "polls show", "she found": a source; "the ad
        # shows", "images showed": what the reporter describes.
        subj = subject(v)
        if subj is not None and not (
            subj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}
            or subj.pos_ == "PRON"
            or subj.lemma_.lower() in SOURCE_NOUNS
        ):
            return False
    return True


#: Objects that make a verb of saying an act: "declared a national emergency",
#: "denied a motion", "pleaded guilty", "filed charges".
ACT_OBJECTS = frozenset(
    """
    emergency war state victory independence bankruptcy candidacy motion request
    bail appeal application petition permit guilty innocent charge
    """.split()
)


def _is_act(v: Token, children: list[Token]) -> bool:
    """Whether verb (or noun) ``v`` does something rather than says it: its
    object or complement is one of ``ACT_OBJECTS`` ("declared a national
    emergency", "pleaded guilty", "criminal charges against X"), its object is
    negated by "no" ("expressed no concern"), it answers something ("responding
    to a question": what was answered is not what was said), it asks not to be
    named (a source's condition, not a quotation), or it is a passive
    coordinated with a passive ("was arrested and charged with")."""
    lemma = v.lemma_.lower()
    for c in children:
        if c.dep_ in {"dobj", "acomp", "attr", "oprd", "advmod"} and c.lemma_.lower() in ACT_OBJECTS:
            return True
        if c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children):
            return True
        if lemma == "respond" and c.dep_ == "prep" and c.lower_ == "to":
            return True
    if v.pos_ == "NOUN" and lemma == "charge" and (
        any(c.dep_ == "amod" and c.lower_ in {"criminal", "federal", "formal"} for c in children)
        or v.tag_ == "NNS"
    ):
        return True
    if lemma == "tell" and not any(c.dep_ in {"dative", "dobj"} for c in children) and any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in {"whether", "if"} for m in c.children)
        for c in children
    ):
        return True  # "time will tell whether …", "hard to tell if …": to know, not to say
    if lemma == "ask" and any(c.dep_ == "xcomp" and any(n.dep_ == "neg" for n in c.children) for c in children):
        return True  # "who asked not to be identified"
    if v.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in children):
        if any(c.dep_ == "auxpass" for c in v.head.children) and v.tag_ == "VBN":
            return True
    return False


def _candidates(ctx: _Context) -> list[tuple[Token, tuple[int, int], list[str], list[Token]]]:
    """(verb, character range, features, tokens) of every candidate content of
    every verb outside quotation marks: the clause the lexicon rules of
    ``reported`` give, and each complement the parse gives the verb."""
    out: list[tuple[Token, tuple[int, int], list[str], list[Token]]] = []
    doc = ctx.sdoc
    for v in doc:
        if ctx.in_quote[v.i] or not (v.pos_ in {"VERB", "NOUN", "ADJ"} or is_cue(v)):
            continue
        # The parser may run a sentence over a paragraph break: keep the
        # content to the verb's paragraph.
        para = ctx.para_of(v.idx)
        rule_rng = None
        clause = [t for t in reported_clause(v) if ctx.para_of(t.idx) == para]
        if clause and not (clause[-1].i < v.i and any(_reports(t) for t in clause)):
            # (a clause before its cue that holds a report of its own is not it)
            clause = with_antecedent(clause)
            rng = clause_range(clause)
            if rng is not None:
                rule_rng = _over_whole_quotations(ctx, rng)
        rule_seen = False
        context = _verb_context(ctx, v, para)
        for rel, head, words in complements(v):
            words = [t for t in words if ctx.para_of(t.idx) == para]
            rng = clause_range(words) or _one_word_range(words)
            if rng is None:
                continue
            rng = _over_whole_quotations(ctx, rng)
            rule = rng == rule_rng
            rule_seen = rule_seen or rule
            if _mostly_quoted(ctx, words):
                continue  # the quotation in marks is the attribution
            quoted = any(ctx.in_quote[t.i] for t in words)
            out.append((v, rng, features(v, rel, head, words, rule=rule, quoted=quoted, context=context), words))
        if rule_rng is not None and not rule_seen and not _mostly_quoted(ctx, clause):
            inside = {t.i for t in clause}
            head = next((t for t in clause if t.head.i not in inside or t.head.i == t.i), clause[0])
            quoted = any(ctx.in_quote[t.i] for t in clause)
            rel = "according" if is_according(v) else "host" if head.i < v.i else "other"
            out.append((v, rule_rng, features(v, rel, head, clause, rule=True, quoted=quoted, context=context), clause))
    return out


def _verb_context(ctx: _Context, v: Token, para: int) -> tuple[str, ...]:
    """Features of where verb ``v`` stands: in the first paragraph (a
    headline, written in its own telegraphic style), in a paragraph with
    words in quotation marks."""
    out = []
    if para == 0:
        out.append("para0")
    ps, pe = ctx.paras[para] if ctx.paras else (0, len(ctx.text))
    if any(ps <= q.open < pe or ps < q.outer_end <= pe for q in ctx.quoted):
        out.append("para_quoted")
    return tuple(out)


def _one_word_range(words: list[Token]) -> tuple[int, int] | None:
    """The character range of a content of one word ("attacked Machado")."""
    kept = [t for t in words if not (t.is_punct or t.is_space)]
    if len(kept) != 1 or kept[0].pos_ not in {"PROPN", "NOUN", "PRON"}:
        return None
    return kept[0].idx, kept[0].idx + len(kept[0].text)


def _mostly_quoted(ctx: _Context, words: list[Token]) -> bool:
    """Whether most of ``words`` are words in quotation marks: then the
    quotation itself, found from the marks, is the attribution."""
    return 2 * sum(ctx.in_quote[t.i] for t in words) > len(words)


def _over_whole_quotations(ctx: _Context, rng: tuple[int, int]) -> tuple[int, int]:
    """Stretch a clause that ends inside quotation marks to their close (the
    parser ends the clause with the first quoted sentence), and take in the
    marks of quoted words at either end of the clause."""
    start, end = rng
    for q in ctx.quoted:
        if q.open >= end:
            break
        if q.start < end < q.end and q.start >= start:
            end = q.end
        if q.open < start <= q.start and q.end <= end:
            start = q.open
        if start <= q.start and q.end <= end < q.outer_end:
            end = q.outer_end
    return start, end


def _reports(t: Token) -> bool:
    """Whether ``t`` is a cue verb with a subject and a clause of its own."""
    return is_cue(t) and any(c.dep_ in SUBJECT_DEPS for c in t.children) and any(
        c.dep_ == "ccomp" for c in t.children
    )


def _overlap(a: _Found, b: _Found) -> int:
    """Characters two quotations share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _merge(ctx: _Context, marked: list[_Found], indirect: list[_Found], *, nested: bool) -> list[_Found]:
    """All quotations: those in marks, and the indirect ones that are not the same
    words as a quotation in marks (a cue whose complement is a quoted sentence).

    A partial quotation is one attribution with the clause its cue reports
    ("Rubio said it was “new”"): it stands for that attribution when its words
    are most of the clause, else the clause does (an indirect quotation) and the
    partial one is kept beside it only when ``nested``. A partial
    quotation with no cue at all is a scare quote, not a quotation."""
    # An indirect clause that is mostly a direct quotation's words is that quotation.
    kept = [
        f for f in indirect
        if not any(
            m.kind == "direct"
            and 2 * _overlap(f, m) >= min(m.end - m.start, f.end - f.start)
            for m in marked
        )
    ]
    out: list[_Found] = []
    for m in marked:
        if m.kind != "partial":
            out.append(m)
            continue
        if m.who.cue is None:
            continue
        # The clause ends before the punctuation inside the closing mark:
        # holding most of the quoted words is holding them.
        holder = next((i for i in kept if 5 * _overlap(i, m) >= 4 * (m.end - m.start)), None)
        if holder is None and m.verb is not None:
            holder = _clause_holding(ctx, m, m.verb)
            if holder is not None:
                kept.append(holder)
        if holder is None or 2 * (m.end - m.start) >= holder.end - holder.start:
            if holder is not None:
                kept.remove(holder)
            out.append(m)
        elif nested:
            out.append(m)
    out.extend(kept)
    out.sort(key=lambda f: (f.start, f.end))
    return _one_per_words(out)


def _same_words(a: _Found, b: _Found) -> bool:
    """Whether two quotations cover nearly the same characters."""
    return 5 * _overlap(a, b) >= 4 * max(a.end - a.start, b.end - b.start)


def _one_per_words(found: list[_Found]) -> list[_Found]:
    """One quotation for the same words reported twice ("said … and added", a
    partial quotation and the clause of a second cue around it): the one in
    marks if any, else the first."""
    unique: list[_Found] = []
    for f in found:
        twin = next((u for u in reversed(unique[-3:]) if _same_words(u, f)), None)
        if twin is None:
            unique.append(f)
        elif twin.kind == "indirect" and f.kind != "indirect":
            unique[unique.index(twin)] = f
    return unique


def _clause_holding(ctx: _Context, m: _Found, v: Token) -> _Found | None:
    """The indirect quotation of the complement of ``v``, partial ``m``'s cue
    verb, that holds ``m``'s words ("called a former Miss Universe “disgusting”")."""
    if v.right_edge.i - v.left_edge.i > MAX_CLAUSE_TOKENS:
        return None
    first = ctx.token_at(m.start)
    if v.dep_ in {"parataxis", "advcl"} and not (v.left_edge.i <= first <= v.right_edge.i):
        para = ctx.para_of(v.idx)
        rng = clause_range([t for t in host_clause(v) if ctx.para_of(t.idx) == para])
        if rng is None or 5 * (min(rng[1], m.end) - max(rng[0], m.start)) < 4 * (m.end - m.start):
            return None
        start, end = _over_whole_quotations(ctx, rng)
        return _Found("indirect", start, end, m.who, para=para)
    for c in v.children:
        if c.dep_ in SUBJECT_DEPS or c.is_punct or not (c.left_edge.i <= first <= c.right_edge.i):
            continue
        if is_according(v):
            return None
        para = ctx.para_of(v.idx)
        words = list(c.subtree)
        if c.dep_ in {"oprd", "acomp", "xcomp", "prep"}:
            # "called half of his supporters “deplorables”": the object and
            # what it was called are one content.
            obj = next((o for o in v.children if o.dep_ == "dobj" and o.i < c.i), None)
            if obj is not None:
                words = list(v.doc[obj.left_edge.i : c.right_edge.i + 1])
        rng = clause_range([t for t in words if ctx.para_of(t.idx) == para])
        if rng is None or 5 * (min(rng[1], m.end) - max(rng[0], m.start)) < 4 * (m.end - m.start):
            return None
        start, end = _over_whole_quotations(ctx, rng)
        return _Found("indirect", start, end, m.who, para=para)
    return None


def _with_headline(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """Add the attribution of a headline "Speaker: what they said" (a first
    paragraph of one short line whose words before a colon name someone), in
    place of what was found inside it."""
    if not ctx.paras:
        return found
    ps, pe = ctx.paras[0]
    if pe - ps > HEADLINE_LIMIT or "\n" in ctx.text[ps:pe]:
        return found
    colon = next((t for t in ctx.sdoc[ctx.token_at(ps) : ctx.token_at(pe)] if t.text == ":"), None)
    if colon is None:
        return found
    source = [t for t in ctx.sdoc[ctx.token_at(ps) : colon.i] if not t.is_space]
    if not 1 <= len(source) <= HEADLINE_SOURCE_TOKENS or not any(t.pos_ in {"PROPN", "PRON"} for t in source):
        return found
    start, end = _trimmed_range(ctx.text, colon.idx + 1, pe)
    if end - start < 3:
        return found
    kind: QuoteKind = "indirect"
    marks = next((q for q in ctx.quoted if q.open == start and q.outer_end >= end - 1), None)
    if marks is not None:
        kind, start, end = "direct", marks.start, marks.end
    head = next((t for t in reversed(source) if t.pos_ in {"PROPN", "PRON", "NOUN"}), source[-1])
    who = _Attribution(cue=(colon.i, colon.i + 1), speaker=(source[0].i, source[-1].i + 1), head=head, side="headline")
    kept = [f for f in found if not (f.start >= ps and f.end <= pe)]
    kept.append(_Found(kind, start, end, who, para=0))
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _trimmed_range(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- public


def find_quotes(
    sdoc: Doc, document: Document, *, nested: bool = False, mode: Mode = "speech", threshold: float | None = None
) -> list[Quote]:
    """Every quotation in ``document`` in text order, with ids
    ``{document.id}.q{n}`` from 1.

    ``sdoc`` must be the parse of ``document.text``. Spans are offsets into the
    clean text built with ``document.span`` (so they carry raw offsets): ``span``
    is the quoted words (marks excluded) or the reported clause, ``cue`` the cue,
    ``speaker_mention`` the mention that is the grammatical speaker and
    ``speaker_name`` that speaker's full name as named in the document.
    ``speaker`` is left None for the compare stage.

    Words in quotation marks inside the reporter's sentence are a partial
    quotation when a cue governs them ("called it “frank”"). A quotation
    reported inside another one's words is part of that one: a partial
    quotation inside an indirect one's clause ("said it was “new”"), an
    indirect one whose cue stands inside another's words ("said she hopes to
    win": "hopes" is what was said). Those are returned on their own too only
    when ``nested`` is true.

    ``mode`` "speech" (the default) keeps what a reader takes as said: an
    indirect quotation needs a speech cue and a speaker (``_reports_speech``),
    words in marks a cue or a speaker. "attribution" keeps every attribution
    the learned scorer finds, in PolNeAR's wider sense (stances and actions:
    "backed Clinton", "vetoed the bill"). "rules" is the baseline the
    benchmarks print beside them: the lexicon rules of ``reported`` alone for
    indirect quotations, no learned scorer, no checks.

    ``threshold``: the probability of the learned scorer an indirect quotation
    needs (modes "speech" and "attribution"); None takes the fitted one
    shipped with the weights. Higher trades recall for precision
    (``bench/polnear.py --sweep`` prints the curve).
    """
    if mode not in MODES:
        raise ValueError(f"quotation mode {mode!r}: expected one of {', '.join(MODES)}")
    if sdoc.text != document.text:
        raise ValueError(
            f"the parse given for document {document.id} is not of its text "
            f"({len(sdoc.text)} vs {len(document.text)} characters): parse document.text"
        )
    ctx = _Context(sdoc)
    marked = _quoted_passages(ctx)
    found = _merge(ctx, marked, _indirect(ctx, mode=mode, threshold=threshold), nested=nested)
    found = _with_headline(ctx, found)
    if not nested:
        found = _without_nested(ctx, found)
    if JOIN_REPORTED:
        found = _join_reported(ctx, found)
    _name_speakers(ctx, found)
    _inherit_speakers(ctx, found)
    if mode == "speech":
        # Words in marks with no cue and no one to say them are not a
        # quotation the reader can use (an epigraph, a slogan, a scare quote).
        found = [f for f in found if f.who.cue is not None or f.who.speaker is not None]
    return [_to_quote(ctx, document, n, f) for n, f in enumerate(found, 1)]


def _without_nested(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """The quotations but the indirect ones whose cue lies inside the words of
    another quotation: what was said inside what was said."""
    doc = ctx.sdoc
    out = []
    for f in found:
        if f.kind == "indirect" and f.who.cue is not None:
            s, e = f.who.cue
            cue_start, cue_end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
            if any(g is not f and g.start <= cue_start and cue_end <= g.end for g in found):
                continue
        out.append(f)
    return out


#: Nouns of what a source issues: "the statement from X's attorney, Y".
ISSUED_NOUNS = frozenset({"statement", "letter", "memo", "release", "report", "filing"})


def _name_speakers(ctx: _Context, found: list[_Found]) -> None:
    """Resolve each speaker mention to a full name, in text order so that a
    pronoun can refer to the person who spoke last."""
    spoke: list[tuple[int, str]] = []  # (paragraph, name) of people who spoke
    bodies: list[tuple[int, str]] = []  # and of organisations and other bodies
    for f in found:
        if f.who.speaker is None or f.who.head is None:
            continue
        recent = [name for para, name in spoke if f.para - para <= 1]
        groups = [name for para, name in bodies if f.para - para <= 2]
        f.name = speaker_name(ctx.sdoc, f.who.head, f.who.speaker, ctx.names, recent=recent, groups=groups)
        head = f.who.head
        if f.name is None:
            continue
        if head.ent_type_ == "PERSON" or head.lower_ in {"he", "she", "i"} or (head.pos_ == "PROPN" and head.ent_type_ not in {"ORG", "GPE", "NORP"}):
            spoke.append((f.para, f.name))
        elif (
            head.ent_type_ in {"ORG", "GPE"}
            or (head.pos_ == "NOUN" and head.lemma_.lower() in BODY_NOUNS)
            or (head.pos_ == "NOUN" and head.lemma_.lower() in ISSUED_NOUNS and f.name != ctx.sdoc[f.who.speaker[0] : f.who.speaker[1]].text)
        ):
            # (a statement whose issuer was found: "the statement" after it is theirs)
            bodies.append((f.para, f.name))


def _to_quote(ctx: _Context, document: Document, n: int, f: _Found) -> Quote:
    doc = ctx.sdoc
    mention = cue = None
    if f.who.speaker is not None:
        s, e = f.who.speaker
        mention = document.span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
    if f.who.cue is not None:
        s, e = f.who.cue
        cue = document.span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
    return Quote(
        id=f"{document.id}.q{n}",
        doc=document.id,
        kind=f.kind,
        span=document.span(f.start, f.end),
        speaker_name=f.name,
        speaker_mention=mention,
        cue=cue,
    )
