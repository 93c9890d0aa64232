"""Stance: who asserts a claim, how, and what kind of passage holds it.

``read_claim`` gives a claim sentence its stance (asserts, denies, questions,
hedges, predicts), its assertor (None for the outlet's own voice, the source it
relays, or ``UNNAMED`` for "reportedly", "a source said") and its passage kind
(reporting, quotation, background, opinion, headline, question, boilerplate).

Everything comes from the spaCy parse and general lexicons:

- hedges follow Hyland's (1998) epistemic categories (modal auxiliaries,
  epistemic verbs, adverbs and adjectives), narrowed to those that qualify a
  news claim rather than a quantity ("about", "some" are not hedges here);
- the unnamed-source phrases are the "weasel words" and "said to" forms of
  Wikipedia's Manual of Style, *Words to watch* (MOS:WEASEL, MOS:ALLEGED);
- denial and doubt predicates follow FactBank's counter-factive and
  possibility-negating predicates (Saurí & Pustejovsky 2009): deny, refute,
  reject, dispute, doubt, question, cast doubt, unverified;
- prediction is English future and scheduling morphology (will, shall, going
  to, due/set/expected/scheduled to, plan to).

Boilerplate is recognised by form (``boilerplate_form``): calls to action in
the imperative, copyright and rights notices, e-mail and handle lines,
affiliate, subscription and cookie notices that speak of the site or its
reader, credits and author bios, "Related:" lists, photo credits, reference
lines, and headings phrased as questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from accord.analyze.cues import CUE_VERBS, SUBJECT_DEPS, is_according, subject
from accord.lexicon import HEDGE_ADVERBS, HEDGE_MODALS
from accord.model import Document, PassageKind, Quote, Stance

__all__ = ["UNNAMED", "ClaimReading", "boilerplate_form", "read_claim"]

#: The assertor of a claim whose source is not named ("reportedly", "a source said").
UNNAMED = "unnamed"

# ------------------------------------------------------------------ lexicons

#: Verbs of saying and holding: the cue verbs of ``cues`` without those that
#: mostly narrate ("continue", "signal") rather than report words, and with
#: verbs that pass on what others said ("officials relayed that P").
SAYING_VERBS = (CUE_VERBS - {"continue", "signal", "sing", "post", "charge", "brief", "answer"}) | {"relay", "recount", "convey"}

#: Verbs whose subject says a proposition is false (FactBank counter-factives).
DENIAL_VERBS = frozenset({"deny", "refute", "reject", "rebut", "debunk", "disavow", "dismiss", "contradict", "disprove", "retract"})
#: Verbs whose subject doubts a proposition.
# Not "challenge": in news it is mostly a legal challenge to a law or a
# ruling, not doubt that something happened.
DOUBT_VERBS = frozenset({"doubt", "question", "dispute", "wonder", "contest"})
#: Adjectives that call a proposition false ("the claim is false").
FALSE_WORDS = frozenset({"false", "untrue", "baseless", "unfounded", "bogus", "fabricated", "groundless", "fake", "wrong", "inaccurate"})
#: Adjectives and nouns that leave a proposition in doubt.
DOUBT_WORDS = frozenset({"unverified", "unconfirmed", "unclear", "uncertain", "unproven", "unsubstantiated", "doubtful",
                         "questionable", "disputed", "doubt", "doubts", "skeptical", "sceptical", "uncorroborated"})
#: Verbs that, negated, leave a proposition unconfirmed ("could not confirm").
CONFIRM_VERBS = frozenset({"confirm", "verify", "corroborate", "substantiate", "establish", "prove"})
#: Adverbs among those that say the source is not named.
UNNAMED_ADVERBS = frozenset({"reportedly", "allegedly", "supposedly", "purportedly", "rumoredly"})
#: Raising verbs of appearance: "appears to", "seems to".
APPEARANCE_VERBS = frozenset({"appear", "seem", "look"})
#: Passives of saying and believing that hide the source: "is said to",
#: "is believed to", "it is understood that" (MOS:WEASEL).
HIDDEN_SOURCE_PASSIVES = frozenset({"say", "believe", "think", "report", "understand", "rumor", "rumour", "allege",
                                    "suspect", "claim", "consider"})
#: Nouns of anonymous sources ("a source said", "people familiar with").
UNNAMED_SOURCES = frozenset({"source", "sources", "insider", "insiders", "people", "person", "someone", "rumor",
                             "rumour", "reports"})
#: Auxiliaries of the future.
FUTURE_AUX = frozenset({"will", "wo", "shall", "'ll", "’ll"})
#: Predicates of scheduling and planning: "is set to", "plans to".
PLAN_WORDS = frozenset({"set", "due", "expect", "schedule", "slate", "plan", "intend", "poise", "prepare", "aim",
                        "go", "scheduled", "expected", "slated", "poised", "bound"})

# ------------------------------------------------------------------ boilerplate forms

#: Verbs of calls to action, as imperatives at the start of a sentence.
ACTION_VERBS = frozenset({"sign", "subscribe", "follow", "click", "tap", "download", "share", "join", "register",
                          "log", "read", "watch", "listen", "visit", "learn", "like", "support", "donate",
                          "contact", "email", "e-mail", "upgrade", "order", "buy", "shop", "view", "sponsor",
                          "advertise", "tweet", "comment", "bookmark", "install"})
# Words of a site's apparatus: subscriptions, newsletters, accounts, cookies,
# affiliate links. They make a notice only with a word that points at the
# site or its reader (you, this article, we), so news about newsletters is
# not a notice.
_APPARATUS = re.compile(
    r"\b(newsletters?|subscri(?:be|bed|bing|ption|ptions|ber|bers)|sign(?:ed|ing)?[- ]up|inbox|log(?:ged)?[- ]in|"
    r"paywall|cookies|privacy (?:policy|notice|statement)|terms (?:of|and) (?:use|service|conditions)|affiliate|"
    r"commission|(?:share|portion) of (?:the )?sales?|follow (?:us|him|her|them|me)\b|notifications|"
    r"click|browser|javascript|ad[- ]?blocker|this (?:article|post|page|site|piece)|"
    r"our (?:site|website|journalism|newsroom|readers|corporate site|newsletters?|partners|podcast)|"
    r"stay (?:tuned|informed|up to date)|updated (?:at|on)\b)",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(you|your|yours|you're|you’re|you'll|you’ll|this (?:article|post|page|site|piece))\b", re.IGNORECASE)
_NOTICE = re.compile(
    r"(©|\(c\)\s*(?:19|20)\d\d|\bcopyright\b|all rights reserved|may not be (?:published|reproduced|"
    r"redistributed|copied)|without (?:prior )?(?:written )?permission|registered trademark|"
    r"(?:^|[(\[|])\s*(?:photo(?:graph)?s?|image|picture)\s*(?:by|:|credit)|\b(?:image|picture|photo|video) (?:credit|courtesy)|"
    r"(?:^|[(\[|])\s*credits?\s*:|getty images|\bap photo\b|shutterstock|\bistock\b|afp via getty|/\s*reuters\b|"
    r"contributed (?:reporting )?to this (?:report|story|article)|\bcontributed reporting\b|"
    r"personal,? non-?commercial use|\border reprints\b|delivered (?:to|through) your (?:inbox|door|letterbox)|^\s*\(?(?:additional )?reporting by\b|"
    r"\bediting by\b|^\s*contributing\s*:|^\s*(?:related|read more|more|see also|also read|read also|"
    r"don'?t miss|recommended|popular on|most (?:read|popular|viewed)|trending|top stories|you may also like|"
    r"further reading|more from|latest)\b\s*[:|][ \t]*\S|\bdoi\s*:|doi\.org|\bet al\.?,?\s*\(?(?:19|20)\d\d|"
    r"^\s*\[\d+\]\s|\bretrieved (?:on |from )|\bisbn\b|^\s*(?:media|press) contacts?\b|"
    r"forward-looking statements|is available (?:on|at) (?:amazon|itunes|apple|google)|"
    r"(?:may|might|will|could) (?:receive|earn|get) (?:a |an )?(?:small )?(?:commission|share|fee)|"
    r"(?:subject to change without notice|terms and conditions apply)|\bclick here\b|\btap here\b|^\s*editor[’']?s note\b|"
    r"^\s*this (?:story|article|post) (?:was|has been) (?:updated|corrected|adapted|originally|first)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_BIO_JOBS = frozenset({"reporter", "writer", "editor", "correspondent", "journalist", "contributor", "columnist",
                       "producer", "author", "freelancer", "photographer", "intern", "fellow", "anchor", "host",
                       "blogger", "critic", "curator"})
_BIO_VERBS = frozenset({"cover", "write", "report", "contribute", "join", "edit"})
#: A question paragraph this short or shorter is a heading, not a sentence of
#: the report (the question headings of explainers and interviews: those of
#: the dev set run to 21 words).
HEADING_QUESTION_WORDS = 25
#: A paragraph of this many words or fewer with no closing punctuation is a
#: heading or a title line.
HEADLINE_WORDS = 20
_END_PUNCTUATION = ".!?…:;\"'”’»)]"
_QUOTE_CHARS = "\"“”‘’'«»"


@dataclass(frozen=True, slots=True)
class ClaimReading:
    """What ``read_claim`` found in a claim sentence."""

    stance: Stance
    assertor: str | None
    passage: PassageKind


def read_claim(
    sentence: SpacySpan,
    document: Document,
    quotes: Sequence[Quote] = (),
    *,
    start: int | None = None,
    end: int | None = None,
) -> ClaimReading:
    """The stance, assertor and passage kind of one sentence of ``document``
    (``start``/``end`` trim it; by default the sentence's own characters).

    The stance is read on the proposition the sentence carries: the clause a
    verb of saying reports when there is one, else the main clause. The
    assertor is the speaker of the quotation that covers most of the sentence,
    else the subject of its verb of saying or the object of "according to",
    else ``UNNAMED`` for hidden sources, else None (the outlet's own voice)."""
    start = sentence.start_char if start is None else start
    end = sentence.end_char if end is None else end
    text = document.text[start:end]
    paragraph = _paragraph(document.text, start, end)
    if boilerplate_form(sentence, text, paragraph, document.text):
        return ClaimReading("questions" if text.rstrip(_QUOTE_CHARS + " ").endswith("?") else "asserts", None, "boilerplate")
    cue, content = _cue_and_content(sentence)
    assertor = _assertor(sentence, document, quotes, start, end, cue)
    stance = _stance(sentence, text, content, cue)
    passage = _passage(sentence, text, paragraph, document, assertor, content, quotes, start, end)
    return ClaimReading(stance, assertor, passage)


# ------------------------------------------------------------------ stance


def _cue_and_content(sentence: SpacySpan) -> tuple[Token | None, Token]:
    """The verb of saying that governs the sentence (if any) and the head of
    the proposition it reports (else the sentence's root)."""
    root = sentence.root
    for token in sentence:
        if is_according(token):
            return token, root
    if _hidden_source_passive(root) is not None:
        # "X is said to have…": no speaker; the content is the infinitive.
        return None, next(c for c in root.children if c.dep_ in ("xcomp", "ccomp"))
    if _is_saying(root):
        reported = [c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN")]
        if reported:
            return root, reported[-1] if reported[0].i < root.i else reported[0]
        if root.lemma_.lower() in DENIAL_VERBS | DOUBT_VERBS:
            return root, root  # "denied the report", "questioned the figures"
    # "…, X said." parsed as a parataxis or clause hanging off the content.
    for child in root.children:
        if child.dep_ in ("parataxis", "advcl", "ccomp") and child.i > root.i and _is_saying(child) and _own_subject(child):
            return child, root
    # "X, officials said, did Y": the parenthetical before the main verb.
    for child in root.children:
        if child.dep_ == "parataxis" and child.i < root.i and _is_saying(child) and _own_subject(child):
            return child, root
    return None, root


def _is_saying(token: Token) -> bool:
    """A verb of saying or holding (the cue lexicon, denial and doubt verbs),
    not used as a request ("asked Clinton to talk to Sestak")."""
    lemma = token.lemma_.lower()
    return (
        token.pos_ in ("VERB", "AUX")
        and (lemma in SAYING_VERBS or lemma in DENIAL_VERBS or lemma in DOUBT_VERBS)
        and not _directive(token)
    )


def _directive(token: Token) -> bool:
    """A request or an order: the verb has an object and a "to" infinitive
    ("asked Clinton to talk", "told him to leave", "urged Congress to act").
    What is asked is no proposition anyone asserts; that it was asked is the
    outlet's own report of an act."""
    children = list(token.children)
    has_object = any(c.dep_ in ("dobj", "dative") for c in children)
    return has_object and any(
        c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in children
    )


def _governs_main_clause(token: Token, sentence: SpacySpan) -> bool:
    """Whether a cue in ``sentence`` reports the sentence's main clause: it is
    the root ("X said P"), hangs on the root with a subject of its own ("P, X
    said"), or is "according to". A cue in a side clause ("America Rising,
    which said ..., posted the footage"; "took aim at X, saying ...") reports
    only that clause; the main clause stays the outlet's own."""
    if is_according(token):
        return True
    root = sentence.root
    if token.i == root.i:
        return True
    if token.head.i != root.i:
        return False
    # "A, but P, X said" and "X did A but said P": a cue coordinated with
    # the main clause shares the sentence with it.
    return token.dep_ == "conj" or (token.dep_ in ("parataxis", "advcl", "ccomp") and _own_subject(token))


def _own_subject(token: Token) -> bool:
    """Whether a verb has a subject of its own ("…, he said"), unlike a
    participle that borrows its head's ("…, saying P")."""
    return any(c.dep_ in SUBJECT_DEPS and not c.is_punct for c in token.children)


def _relays(token: Token) -> bool:
    """A verb of saying that relays a proposition: it has a clause (“said
    that P”, “said P”), or hangs on the clause it reports (“P, X said”)."""
    if not _is_saying(token) or _hidden_source_passive(token) is not None:
        return False
    if any(c.dep_ in ("ccomp", "parataxis") or (c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX", "ADJ")) for c in token.children):
        return True
    if token.dep_ == "parataxis" and _own_subject(token):
        return True  # "X, officials said, did Y"
    return token.dep_ in ("parataxis", "advcl", "ccomp", "conj") and token.i > token.head.i and subject(token) is not None


def _stance(sentence: SpacySpan, text: str, content: Token, cue: Token | None) -> Stance:
    """Questions, denies, hedges, predicts or asserts, in that order of
    precedence: a question or a denial governs what it holds, and a hedge
    weakens a prediction."""
    if _is_interrogative(sentence, text):
        return "questions"
    if cue is not None and not is_according(cue):
        lemma = cue.lemma_.lower()
        if lemma in DENIAL_VERBS:
            return "denies" if not _negated(cue) else "asserts"
        # "Asked whether" is not doubt: reporters ask questions all the time.
        if lemma in DOUBT_VERBS or (lemma == "wonder" and _has_whether(cue)):
            return "questions"
        if _negated(cue) and lemma in CONFIRM_VERBS:
            return "questions"
    head = content
    if _negated(head):
        return "questions" if head.lemma_.lower() in CONFIRM_VERBS else "denies"
    if _calls_false(head) or _calls_doubtful(head):
        return "denies" if _calls_false(head) else "questions"
    if _hedged(head, cue):
        return "hedges"
    if _predicted(head):
        return "predicts"
    return "asserts"


def _is_interrogative(sentence: SpacySpan, text: str) -> bool:
    """A question: it ends with a question mark outside quotation marks."""
    stripped = text.rstrip(" \n" + _QUOTE_CHARS)
    if not stripped.endswith("?"):
        return False
    # “…?” he asked: a quoted question inside a reporting sentence ends in a cue.
    return not (text.rstrip().endswith(tuple(_QUOTE_CHARS)) and stripped != text.rstrip() and _inside_quotes(text, len(stripped) - 1))


def _inside_quotes(text: str, index: int) -> bool:
    opens = sum(1 for ch in text[:index] if ch in "“«") - sum(1 for ch in text[:index] if ch in "”»")
    return opens > 0 or text[:index].count('"') % 2 == 1


def _has_whether(verb: Token) -> bool:
    return any(t.lower_ in ("whether", "if") for c in verb.children if c.dep_ in ("ccomp", "advcl") for t in c.subtree)


def _negated(verb: Token) -> bool:
    """Whether the predicate itself is negated: a ``neg`` child ("did not go",
    "never met"), "no" before its object or attribute ("makes no exception",
    "there was no explanation") or a negative subject ("nobody came")."""
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
            return True
        if child.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and child.i != verb.i:
            if child.lower_ in ("nothing", "nobody", "none", "neither") and child.dep_ != "attr":
                return True
            if any(d.dep_ == "det" and d.lower_ == "no" for d in child.children):
                return True
    # "is not true", "was not clear": the copula's negation sits on the auxiliary.
    if verb.dep_ in ("acomp", "attr") and verb.head.i != verb.i:
        return any(c.dep_ == "neg" for c in verb.head.children)
    return False


def _calls_false(verb: Token) -> bool:
    """"The claim is false", "dismissed it as baseless"."""
    return any(c.lower_ in FALSE_WORDS for c in verb.children if c.dep_ in ("acomp", "attr", "oprd")) or (
        verb.lower_ in FALSE_WORDS and verb.pos_ == "ADJ"
    )


def _calls_doubtful(verb: Token) -> bool:
    """"The figure is unverified", "cast doubt on", "raised questions about"."""
    if any(c.lower_ in DOUBT_WORDS for c in verb.children if c.dep_ in ("acomp", "attr", "oprd")):
        return True
    if verb.lemma_.lower() in ("cast", "raise", "throw", "express") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("doubt", "question", "skepticism", "scepticism", "concern") for c in verb.children
    ):
        return verb.lemma_.lower() != "express" or any(c.lemma_.lower() in ("doubt", "skepticism", "scepticism") for c in verb.children)
    return verb.lower_ in DOUBT_WORDS and verb.pos_ == "ADJ"


def _hedged(verb: Token, cue: Token | None) -> bool:
    """A modal of possibility on the predicate, an epistemic adverb on it (or
    on its verb of saying), "appears to", "is said to"."""
    holders = [verb] + ([cue] if cue is not None and not is_according(cue) else [])
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "aux" and child.lower_ in HEDGE_MODALS:
                return True
            if child.dep_ == "advmod" and child.lower_ in HEDGE_ADVERBS:
                return True
    lemma = verb.lemma_.lower()
    if lemma in APPEARANCE_VERBS and any(c.dep_ in ("xcomp", "ccomp") for c in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in APPEARANCE_VERBS:
        return True
    return _hidden_source_passive(verb) is not None


def _hidden_source_passive(verb: Token) -> Token | None:
    """The verb of "X is said to be", "is believed to have", "it is understood
    that" (a passive of saying or believing with no agent), else None."""
    candidates = [verb, verb.head] if verb.dep_ in ("xcomp", "ccomp") else [verb]
    for candidate in candidates:
        if candidate.lemma_.lower() in HIDDEN_SOURCE_PASSIVES and candidate.tag_ == "VBN":
            passive = any(c.dep_ == "auxpass" for c in candidate.children)
            agent = any(c.dep_ == "agent" for c in candidate.children)
            if passive and not agent and any(c.dep_ in ("xcomp", "ccomp") for c in candidate.children):
                return candidate
    return None


def _predicted(verb: Token) -> bool:
    """Future auxiliaries, "going to", and predicates of scheduling or
    planning with an infinitive ("is set to", "plans to", "is expected to")."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
            return True
    # "are due to testify", "is set to": the plan word completes the copula.
    for child in verb.children:
        if child.dep_ in ("acomp", "xcomp", "attr") and child.lower_ in PLAN_WORDS and any(c.dep_ == "xcomp" for c in child.children):
            return True
    lemma = verb.lemma_.lower()
    if (lemma in PLAN_WORDS or verb.lower_ in PLAN_WORDS) and any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in verb.children
    ):
        return True
    head = verb.head
    if verb.dep_ == "xcomp" and (head.lemma_.lower() in PLAN_WORDS or head.lower_ in PLAN_WORDS) and head.i != verb.i:
        return True
    # "would" of a future reported in the past ("said it would close").
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children) and verb.dep_ == "ccomp" and _is_saying(verb.head):
        return True
    return False


# ------------------------------------------------------------------ assertor


def _assertor(
    sentence: SpacySpan, document: Document, quotes: Sequence[Quote], start: int, end: int, cue: Token | None
) -> str | None:
    """Who the sentence says holds its proposition (see ``read_claim``)."""
    length = max(1, end - start)
    best, best_share = None, 0.0
    for quote in quotes:
        name = quote.speaker_name or (quote.speaker_mention.text if quote.speaker_mention else None)
        if not name or not _speech(quote, sentence):
            continue
        share = max(0, min(end, quote.span.end) - max(start, quote.span.start)) / length
        cue_inside = quote.cue is not None and start <= quote.cue.start and quote.cue.end <= end
        if cue_inside and share < 0.5 and not _cue_governs(quote, sentence):
            # A quotation in a side clause ("X, who called it “a felony”,
            # posted the footage") leaves the main clause the outlet's own.
            continue
        if (share >= 0.3 or (cue_inside and share > 0)) and share > best_share:
            best, best_share = quote, share
    if best is not None:
        return _source_name(best.speaker_name or best.speaker_mention.text)  # type: ignore[union-attr]
    if cue is not None:
        speaker = subject(cue)
        if speaker is not None:
            return _source_name(_phrase_text(speaker))
    for token in sentence:
        if token.dep_ == "advmod" and token.lower_ in UNNAMED_ADVERBS:
            return UNNAMED
    if _hidden_source_passive(sentence.root) is not None or any(
        _hidden_source_passive(t) is not None for t in sentence.root.children if t.dep_ in ("xcomp", "ccomp")
    ):
        return UNNAMED
    return None


def _cue_governs(quote: Quote, sentence: SpacySpan) -> bool:
    """Whether the cue of ``quote`` (a token of ``sentence``) reports its
    main clause (``_governs_main_clause``); True when the cue is not a token
    of the sentence."""
    for token in sentence:
        if quote.cue is not None and token.idx == quote.cue.start:
            return _governs_main_clause(token, sentence)
    return True


def _speech(quote: Quote, sentence: SpacySpan) -> bool:
    """Whether a quotation relays words: one in quotation marks, or one whose
    cue in this sentence is a verb of saying or "according to" (the
    attribution model also proposes the objects of verbs of doing: "passed a
    bill")."""
    if quote.kind != "indirect":
        return True
    if quote.cue is None:
        return False
    for token in sentence:
        if token.idx == quote.cue.start:
            return (_relays(token) or is_according(token)) and _governs_main_clause(token, sentence)
    return False


def _phrase_text(head: Token) -> str:
    """The words of a speaker's noun phrase without clauses and appositions."""
    words = [t for t in head.subtree if t.i == head.i or not _in_clause(t, head)]
    return " ".join(t.text for t in words if not t.is_punct)


def _in_clause(token: Token, head: Token) -> bool:
    while token.i != head.i:
        if token.dep_ in ("relcl", "acl", "appos", "punct", "prep", "cc", "conj", "advcl"):
            return True
        token = token.head
    return False


def _source_name(name: str) -> str:
    """A source as named, or ``UNNAMED`` when it is an anonymous source
    ("a source", "people familiar with the matter", "sources")."""
    words = name.lower().split()
    if not words:
        return UNNAMED
    if words[-1] in UNNAMED_SOURCES or (len(words) > 1 and words[0] in ("a", "an", "one", "two", "several") and words[-1] in UNNAMED_SOURCES):
        return UNNAMED
    return name


# ------------------------------------------------------------------ passage


def _passage(
    sentence: SpacySpan,
    text: str,
    paragraph: tuple[int, int],
    document: Document,
    assertor: str | None,
    content: Token,
    quotes: Sequence[Quote],
    start: int,
    end: int,
) -> PassageKind:
    para_text = document.text[paragraph[0] : paragraph[1]].strip()
    if _is_interrogative(sentence, text):
        return "question"
    if para_text == text.strip() and len(text.split()) <= HEADLINE_WORDS and not text.rstrip().endswith(tuple(_END_PUNCTUATION)):
        return "headline"
    if assertor is not None:
        return "quotation"
    if _first_person(sentence, quotes, start, end) or _opinion_url(document.url):
        return "opinion"
    if _past_perfect(content) or _BEFORE.search(text) or _earlier_year(text, document.published):
        return "background"
    return "reporting"


# Phrases that place what a sentence tells before the news it reports.
_BEFORE = re.compile(
    r"\b(?:years? ago|months ago|decades? ago|in recent (?:months|years)|for (?:years|decades|a long time|a while)|"
    r"previously|formerly|earlier this (?:year|month)|last (?:year|month)|first (?:appeared|emerged|began)|"
    r"since (?:then|(?:19|20)\d\d)|has long|have long|had long|in the past)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _earlier_year(text: str, published: str | None) -> bool:
    """The sentence names a year before the document's own."""
    if not published or len(published) < 4 or not published[:4].isdigit():
        return False
    return any(int(y) < int(published[:4]) for y in _YEAR.findall(text))


# The writer's own person ("I", "we") and the reader addressed ("you"): outside
# quotations, a report's voice uses neither.
_WRITER_WORDS = frozenset({"my", "me", "myself", "we", "our", "us", "ours", "ourselves", "you", "your", "yours", "yourself"})


def _first_person(sentence: SpacySpan, quotes: Sequence[Quote], start: int, end: int) -> bool:
    """The writer speaks as "I" outside any quotation."""
    quoted = [(q.span.start, q.span.end) for q in quotes if q.span.start < end and q.span.end > start]
    for token in sentence:
        if token.pos_ == "PRON" and (token.text == "I" or token.lower_ in _WRITER_WORDS):
            if not any(s <= token.idx < e for s, e in quoted) and not _inside_quotes(sentence.doc.text[sentence.start_char : token.idx], token.idx - sentence.start_char):
                return True
    return False


_OPINION_PATH = re.compile(r"/(opinion|opinions|op-ed|oped|commentary|column|columns|columnists|editorial|editorials|blogs?)/", re.IGNORECASE)


def _opinion_url(url: str | None) -> bool:
    return bool(url and _OPINION_PATH.search(url))


def _past_perfect(verb: Token) -> bool:
    """"had been", "had promised": told from before the news."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "’d") for c in verb.children)


# ------------------------------------------------------------------ boilerplate


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The line of ``text`` holding ``[start, end)`` (paragraphs are lines)."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last


def boilerplate_form(sentence: SpacySpan, text: str, paragraph: tuple[int, int], full_text: str) -> bool:
    """Whether a sentence is, by its form, not reporting but the page's
    apparatus: a notice (copyright, rights, photo credit, credits line,
    "Related:" label, reference line, affiliate commission), a call to action
    in the imperative, a line of e-mail addresses, handles or links, a
    site-apparatus sentence addressed to the reader, an author bio, or a
    heading phrased as a question."""
    stripped = text.strip()
    if not stripped:
        return False
    para_text = full_text[paragraph[0] : paragraph[1]].strip()
    first_line = stripped.split("\n", 1)[0]
    if _NOTICE.search(stripped) or (_label_line(first_line) and _LABEL.sub("", first_line).strip()):
        return True
    if _CAPTION.search(para_text):
        # A photo's caption: every sentence of its paragraph is, not only the
        # one holding the credit.
        return True
    words = stripped.split()
    if _pictured(sentence):
        return True
    if _imperative_call(sentence):
        return True
    if _contact_line(stripped, words):
        return True
    if _APPARATUS.search(stripped) and _READER.search(stripped) and not _quoted(stripped):
        return True
    if _author_bio(sentence):
        return True
    if _EMBEDDED_POST.search(stripped):
        return True
    # A question heading ends the paragraph with its own "?" (not a quoted
    # question, not an interview's "Q:").
    if stripped.endswith("?") and not _INTERVIEW.match(stripped) and len(words) <= HEADING_QUESTION_WORDS:
        if para_text == stripped or not _has_finite_verb(sentence):
            return True
    return False


#: A social-media post embedded in the page, by the signature its embed code
#: prints ("— Jane Roe (@janeroe) August 25, 2015"), run together with
#: whatever text the embed held. (A picture link alone is not enough: a page
#: may quote an official's post as its own text, "… pic.twitter.com/…".)
_EMBEDDED_POST = re.compile(r"[—–-]\s*[^—–()\n]{1,60}\(@\w{1,30}\)\s*(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})")


#: A paragraph that is a photo's caption: it opens with a photo-sales link
#: ("Buy Photo", as the sites of Gannett's hundreds of local papers print
#: it), ends with the photo's credit in brackets ("(Photo: Name/Outlet)"),
#: or counts a gallery's pictures ("Image 4 of 9").
_CAPTION = re.compile(r"^\s*buy photo\b|\((?:photo|image|picture|video)s?\s*(?::|by\b)[^()\n]{0,160}\)\s*$|"
                      r"\b(?:image|photo|picture|slide) \d{1,3} of \d{1,3}\b", re.IGNORECASE)
_INTERVIEW = re.compile(r"^\s*(?:q|question|[A-Z][\w.’' -]{0,30})\s*:", re.IGNORECASE)


#: Verbs of a photo's caption in the present passive ("Mourners are seen
#: outside the church.", "The range's lanes are pictured.").
_CAPTION_VERBS = frozenset({"see", "picture", "show", "photograph", "depict"})


def _pictured(sentence: SpacySpan) -> bool:
    """A short sentence whose main verb is a caption's present passive ("are
    seen", "is pictured") with no clause of its own: a caption describes a
    picture, not an event. (A long one, "X is seen in a video grabbing...",
    reports what a video shows and is kept.)"""
    root = sentence.root
    words = sum(1 for t in sentence if not t.is_punct and not t.is_space)
    return (words <= 12 and root.lemma_.lower() in _CAPTION_VERBS
            and any(c.dep_ == "auxpass" and c.lower_ in ("is", "are") for c in root.children)
            and not any(c.dep_ in ("xcomp", "ccomp", "advcl", "acl") for c in root.children))


def _contact_line(text: str, words: list[str]) -> bool:
    """An e-mail address in a short sentence, a handle with a verb of
    contact ("Follow him @x", "reached at x@y.com"), or a line that is mostly
    links. A tweet's signature ("— Name (@handle) date") is a quotation's,
    not the page's."""
    if _quoted(text) or "pic.twitter.com" in text or re.search(r"—\s*[^()]{1,60}\(@\w+\)", text):
        return False
    if _EMAIL.search(text) and len(words) <= 30:
        return True
    if _HANDLE.search(text) and _CONTACT_VERB.search(text) and len(words) <= 30:
        return True
    links = _LINK.findall(text)
    return bool(links) and sum(len(link) for link in links) > 0.5 * len(text)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
_LINK = re.compile(r"https?://\S+|www\.\S+")
_CONTACT_VERB = re.compile(r"\b(follow|email|e-mail|contact|reach|reached|write to|tweet at|dm)\b", re.IGNORECASE)


def _label_line(paragraph: str) -> bool:
    """A paragraph that starts with a list label ("Related:", "Read more:")."""
    return bool(_LABEL.match(paragraph))


_LABEL = re.compile(
    r"^\s*(?:related(?: stories| articles| coverage| content)?|read more|more|see also|also read|read also|don[’']?t miss|"
    r"recommended|popular on \w+|most read|top stories|you may also like|further reading|more from \w+)\s*(?:[:|]|$)",
    re.IGNORECASE,
)


def _quoted(text: str) -> bool:
    """The sentence is mostly a quotation (a speaker's words are not the page's)."""
    return text[:1] in "\"“‘'«"


def _has_finite_verb(sentence: SpacySpan) -> bool:
    return any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in sentence)


def _imperative_call(sentence: SpacySpan) -> bool:
    """A call to action: the sentence opens with a bare verb of the lexicon
    ("Sign up for…", "Follow us on…", "Click here", "Visit our site") that
    has no subject, outside quotation marks."""
    tokens = [t for t in sentence if not t.is_punct and not t.is_space]
    if not tokens:
        return False
    first = tokens[0]
    if first.lower_ in ("please", "just", "now", "so", "then", "and"):
        tokens = tokens[1:]
        if not tokens:
            return False
        first = tokens[0]
    # A sentence that opens with a verb's base form is an imperative (the
    # parser sometimes takes a capitalised one for part of a name: "Follow
    # AP's coverage" as a compound, so its relation is not required).
    if first.tag_ != "VB" or first.lemma_.lower() not in ACTION_VERBS:
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in first.children)


def _author_bio(sentence: SpacySpan) -> bool:
    """"Jane Doe is a reporter for X", "John covers energy for Y": a person
    (a name) described by a journalism job or beat."""
    root = sentence.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.ent_type_ != "PERSON":
        return False
    if root.lemma_.lower() == "be":
        attr = next((c for c in root.children if c.dep_ == "attr"), None)
        return attr is not None and attr.lemma_.lower() in _BIO_JOBS and any(
            (c.dep_ == "prep" and c.lower_ in ("for", "at", "with")) or c.dep_ == "poss" for c in attr.children
        ) and len(sentence) <= 40
    return root.lemma_.lower() in _BIO_VERBS and root.tag_ in ("VBZ",) and any(
        c.dep_ == "prep" and c.lower_ in ("for", "at") for c in root.children
    ) and len(sentence) <= 30
