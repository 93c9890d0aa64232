"""Speakers: the mention that says something, and the full name it stands for.

A speaker mention is found in the parse (the subject of a cue verb, the object
of "according to"); its name is resolved within the document as a copy editor
would: a surname to the full name it ends (the nearest earlier, of the
mention's sex when an honorific tells it: "Mr. Conway" is not Kellyanne
Conway); "he" or "she" to a person of that sex (from a common first name or an
honorific) who is the subject earlier in the same sentence or of the nearest
sentence before, names inside quotation marks left aside; "they" to the plural
or body that is the subject before; a title ("the president") to the person
earlier given that title; an organisation word ("the ministry", "the
statement") to the organisation that spoke or was named earlier, "the
statement from X" to X. A pronoun that cannot be resolved gets no name (None),
not a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

__all__ = ["NameIndex", "mention_tokens", "speaker_name"]

PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me"}
GROUP_PRONOUNS = {"they", "we", "it", "them", "us"}
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen.", "rep.", "gov."}

#: Nouns that name a person by office: resolved to the person named earlier with
#: that title, else the nearest person.
PERSON_TITLES = {
    "president", "secretary", "minister", "senator", "governor", "candidate",
    "nominee", "mayor", "chairman", "chairwoman", "chair", "leader", "ambassador",
    "diplomat", "congressman", "congresswoman", "lawmaker", "representative",
    "chancellor", "premier", "king", "queen", "prince", "general", "director",
    "founder", "ceo", "host", "pollster", "strategist", "manager", "adviser",
    "advisor", "envoy", "counterpart", "chief", "judge", "justice", "sheriff",
    "commissioner", "attorney", "prosecutor", "billionaire", "businessman",
    "mogul", "veteran", "democrat", "republican", "author", "professor",
    "economist", "analyst", "woman", "man", "politician", "speaker",
}
#: Nouns that name an organisation or what it issues: resolved to the
#: organisation named earlier.
ORG_NOUNS = {
    "ministry", "department", "government", "campaign", "committee", "agency",
    "office", "statement", "administration", "kremlin", "party", "council",
    "embassy", "company", "firm", "group", "organization", "organisation",
    "report", "survey", "poll", "study", "union", "bureau", "service",
    "commission", "court", "senate", "house", "congress", "newspaper",
    "network", "spokesman", "spokeswoman", "spokesperson", "team",
}
NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
#: Organisation nouns that name what was issued or a body of any kind: they
#: refer to whoever spoke last ("… the US military said. The statement said").
UTTERANCE_NOUNS = {"statement", "report", "group", "organization", "organisation", "team", "spokesman", "spokeswoman", "spokesperson"}
MENTION_REACH = 12  # tokens a mention may run before its head
#: Sentences looked back (outside quotation marks) for the person a "he" or
#: "she" refers to; past them the pronoun is left unresolved. Chosen, not
#: tuned (a reporter names a person again within a few sentences); the
#: long-form sample (bench/quote_precision.py --sample longform) scores the same
#: with 4 to 8.
PRONOUN_REACH = 6

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
#: Words that tell a person's sex when they stand right before the name
#: (honorifics) or head the mention ("a spokeswoman", "the congressman").
MALE_WORDS = frozenset(
    """
    mr mr. sir lord man boy father husband son brother uncle nephew grandfather
    grandson king prince congressman spokesman chairman businessman councilman
    assemblyman alderman gentleman widower boyfriend actor dad
    """.split()
)
FEMALE_WORDS = frozenset(
    """
    mrs mrs. ms ms. miss madam lady woman girl mother wife daughter sister aunt
    niece grandmother granddaughter queen princess congresswoman spokeswoman
    chairwoman businesswoman councilwoman assemblywoman alderwoman widow
    girlfriend actress mom
    """.split()
)
#: Common English first names by sex (the commonest given names of the US and
#: UK, written down for this module; a name missing here is of unknown sex,
#: which every pronoun may refer to).
MALE_FIRST_NAMES = frozenset(
    """
    aaron adam alan albert alex alexander alfred andrew andy anthony antonio
    arthur barack barry ben benjamin bernard bernie bill billy bob bobby brad
    bradley brandon brian bruce bryan carl carlos charles charlie chris
    christian christopher chuck clarence craig curtis dale dan daniel danny
    darrell dave david dean dennis derek dick don donald doug douglas dwight
    earl ed eddie edward edwin elijah elliott emmanuel eric ernest eugene frank
    fred frederick gabriel gary gavin gene george gerald glenn gordon greg
    gregory harold harry henry howard ian jack jacob jake james jamie jason jay
    jeb jeff jeffrey jeremy jerome jerry jesse jim jimmy joe joel john johnny
    jon jonathan jose joseph josh joshua juan justin keith ken kenneth kevin
    kyle larry lawrence lee leonard lindsey louis luis marco mark martin matt
    matthew michael mike mitch mitchell nathan neil nicholas nick noah oliver
    patrick paul pete peter phil philip ralph randy ray raymond reince richard
    rick robert roger ron ronald roy russell ryan sam samuel scott sean sergei
    shawn stephen steve steven ted terry thomas tim timothy todd tom tony
    travis troy tyler victor vincent vladimir walter wayne william willie
    xavier zachary mohammed muhammad ahmed ali hassan omar ibrahim mitt newt
    rand rudy rahm reid harry elton hank kirk lamar marcus mario mickey
    nigel rex rod sonny stan ted vern wade wally warren wes winston
    """.split()
)
FEMALE_FIRST_NAMES = frozenset(
    """
    abigail alice alicia alison amanda amber amy andrea angela ann anna anne
    annie ashley barbara betsy betty beverly brenda brittany carly carol
    caroline carolyn catherine cathy charlotte cheryl christina christine
    cindy claire clara claudia connie cynthia dana daniela danielle deborah
    debbie debra denise diana diane donna doris dorothy elaine elizabeth ellen
    emily emma erin evelyn frances gabrielle gina gloria grace hannah heather
    heidi helen hillary holly ivanka jackie jacqueline jane janet janice jean
    jennifer jessica jill joan joanne joy joyce judith judy julia julie karen
    kate katherine kathleen kathryn kathy kay kayla kelly kellyanne kim
    kimberly kirsten kristen laura lauren linda lisa lori louise lucy lynn
    madeleine margaret maria marie marilyn marion martha mary maureen megan
    melania melanie melissa michele michelle mildred monica nancy natalie
    nicole nikki nina olivia pam pamela patricia patty paula peggy rachel
    rebecca regina rita roberta rosa rose ruth sally samantha sandra sara sarah
    sharon shirley sonia sophia stephanie sue susan suzanne tammy tanya teresa
    theresa tiffany tina tracy valerie vanessa victoria virginia wanda wendy
    yolanda loretta condoleezza hope huma kamala debbie elena sheryl marsha
    nina lena tulsi ann-marie janet jeanne joni kellie kristi leslie lorraine
    madonna marcia mia nora penny priscilla renee sheila stacey sylvia tamara
    """.split()
)
#: Singular nouns of bodies that a "they" may refer to ("the group … they").
COLLECTIVE_NOUNS = frozenset(
    """
    group coalition union committee team campaign company firm agency
    department police administration government council board party
    organization organisation family couple panel jury court ministry
    """.split()
)
#: Suffixes of a name that are not its surname ("George T. Conway III").
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: Singular nouns that name a person who may be a "he" or a "she" ("a
#: neighbor who did not want to be identified … He says").
PERSON_NOUNS = frozenset(
    """
    neighbor neighbour resident witness friend relative officer spokesman
    spokeswoman spokesperson official lawyer attorney doctor teacher student
    worker employee owner manager mother father wife husband son daughter
    brother sister woman man girl boy victim suspect survivor aide adviser
    advisor source expert analyst critic supporter voter parent principal
    superintendent sergeant lieutenant captain detective deputy chief
    """.split()
) | PERSON_TITLES


@dataclass(frozen=True, slots=True)
class _Name:
    """A name the document gives, where, and of what kind."""

    start: int  # char offset
    end: int
    label: str
    text: str
    tokens: tuple[str, ...]
    subject: bool  # the name is a clause's subject: a pronoun most likely refers to it


class NameIndex:
    """The named entities of one parsed document, in text order, for resolving
    speakers against what was named before them."""

    def __init__(self, sdoc: Doc, in_quote: bytes | bytearray | None = None) -> None:
        self.sdoc = sdoc
        self.text = sdoc.text  # (Doc.text joins every token on each read)
        #: 1 for each token inside quotation marks: names there are the quoted
        #: speaker's words, never what a pronoun of the reporter refers to.
        self.in_quote = in_quote if in_quote is not None else bytes(len(sdoc))
        self._resolved: dict[int, tuple[str, str] | None] = {}
        self._sex: dict[str, str] | None = None
        self._surnames: dict[str, list[_Name]] | None = None
        self._sent_starts: list[int] | None = None
        self._tok_starts: list[int] | None = None
        self.names: list[_Name] = []
        for ent in sdoc.ents:
            label = ent.label_  # (a slice of the span below loses its label)
            if label not in NAME_LABELS:
                continue
            # An entity the model ran over a paragraph break names only its last line.
            breaks = [t.i for t in ent if "\n" in t.text]
            if breaks:
                ent = sdoc[breaks[-1] + 1 : ent.end]
                if not len(ent):
                    continue
            if label == "PERSON":
                # "rang Taylor": a verb the tagger ran into a name.
                k = 0
                while k < len(ent) - 1 and ent[k].is_lower and ent[k].is_alpha:
                    k += 1
                ent = ent[k:]
            text = _clean_name(ent)
            if not text:
                continue
            root = ent.root
            subject = root.dep_ in {"nsubj", "nsubjpass"} or (
                root.dep_ == "conj" and root.head.dep_ in {"nsubj", "nsubjpass"}
            )
            self.names.append(
                _Name(ent.start_char, ent.end_char, label, text, tuple(text.split()), subject)
            )
        self._starts = [n.start for n in self.names]

    def name_at(self, offset: int) -> _Name | None:
        """The name that covers character ``offset``, if any."""
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and self.names[k].start <= offset < self.names[k].end:
            return self.names[k]
        return None

    def sex(self, full: str) -> str:
        """"m", "f" or "" (unknown) for the person of full name ``full``: from a
        common first name, or an honorific or a sexed word before any mention
        of them; "" when the evidence disagrees."""
        if self._sex is None:
            self._sex = self._sexes()
        return self._sex.get(full, "")

    def _sexes(self) -> dict[str, str]:
        votes: dict[str, set[str]] = {}
        for name in self.names:
            if not _is_person(name):
                continue
            full = self.full_name(name.text, name.start)
            if len(name.tokens) == 1 and len(self._people_ending(name.tokens)) > 1:
                continue  # "Mr. Conway" with two Conways: the mention's sex, not evidence
            first = full.split()[0].lower() if full.split() else ""
            got = votes.setdefault(full, set())
            if len(full.split()) > 1:
                if first in MALE_FIRST_NAMES:
                    got.add("m")
                elif first in FEMALE_FIRST_NAMES:
                    got.add("f")
            # The word right before the name or its first: "Mr.", "Ms.",
            # "Congresswoman" (not "the husband of Kellyanne Conway").
            k = self._token_at(name.start)
            for t in self.sdoc[max(0, k - 1) : k + 1]:
                w = t.lower_
                if w in MALE_WORDS:
                    got.add("m")
                elif w in FEMALE_WORDS:
                    got.add("f")
        return {full: next(iter(v)) for full, v in votes.items() if len(v) == 1}

    def _by_surname(self) -> dict[str, list[_Name]]:
        """Person names keyed by their last word ("III" aside), in text order."""
        if self._surnames is None:
            self._surnames = {}
            for n in self.names:
                if _is_person(n):
                    self._surnames.setdefault(_surname(n.tokens), []).append(n)
        return self._surnames

    def sentence_start(self, t: Token) -> int:
        """Index of the first token of ``t``'s sentence (``Token.sent`` walks the
        whole document on every call; this reads a list made once)."""
        if self._sent_starts is None:
            self._sent_starts = [s.start for s in self.sdoc.sents]
        return self._sent_starts[bisect_right(self._sent_starts, t.i) - 1]

    def sentence_before(self, start: int) -> tuple[int, int]:
        """(start, end) token indices of the sentence that ends at ``start``."""
        k = bisect_right(self._sent_starts or [], start - 1) - 1
        return (self._sent_starts[k] if self._sent_starts and k >= 0 else 0), start

    def _people_ending(self, words: tuple[str, ...]) -> set[str]:
        """The longer person names of the document that end with ``words``."""
        return {
            n.text for n in self._by_surname().get(words[-1], ())
            if len(n.tokens) > len(words) and _ends_with(n.tokens, list(words))
        }

    def _token_at(self, offset: int) -> int:
        if self._tok_starts is None:
            self._tok_starts = [t.idx for t in self.sdoc]
        return max(0, bisect_left(self._tok_starts, offset))

    def resolve_pronoun(self, pron: Token) -> str | None:
        """The full name (or the mention, for an unnamed person: "a neighbor")
        that the reporter's "he" or "she" ``pron`` refers to, as a copy editor
        reads it: a person of the pronoun's sex (from a first name, an
        honorific, or pronouns already used for them) who is the subject
        earlier in the same sentence, else the subject of the nearest sentence
        before (outside quotation marks) that has one, else the last person
        of that sex named in it; None when no such person is in the last
        ``PRONOUN_REACH`` sentences."""
        got = self._resolve(pron, 0)
        return got[0] if got else None

    def _resolve(self, pron: Token, depth: int) -> tuple[str, str] | None:
        if pron.i in self._resolved:
            return self._resolved[pron.i]
        self._resolved[pron.i] = None  # (a cycle resolves to nothing)
        lower = pron.lower_
        sex = "m" if lower in MALE_PRONOUNS else "f" if lower in FEMALE_PRONOUNS else ""
        out = self._search(pron, sex, depth) if sex and depth < 8 else None
        self._resolved[pron.i] = out
        return out

    def _search(self, pron: Token, sex: str, depth: int) -> tuple[str, str] | None:
        doc = self.sdoc
        sent_start = self.sentence_start(pron)
        # The subject earlier in the pronoun's own sentence ("Lynch said she …").
        for t in reversed(doc[sent_start : pron.i]):
            if self.in_quote[t.i] or not _is_subject(t):
                continue
            ref = self._referent(t, depth)
            if ref is not None and _compatible(ref[1], sex):
                return ref
        seen = 0
        start = sent_start
        while seen < PRONOUN_REACH and start > 0:
            start, end = self.sentence_before(start)
            prev = doc[start:end]
            words = [t for t in prev if not self.in_quote[t.i] and not t.is_space]
            if not words:
                continue
            if "\n\n" in doc[end - 1 : sent_start].text and seen >= 3:
                break
            seen += 1
            for t in words:
                if _is_subject(t):
                    ref = self._referent(t, depth)
                    if ref is not None and _compatible(ref[1], sex):
                        return ref
            for t in reversed(words):
                if _is_subject(t) or t.pos_ not in {"PROPN", "PRON"}:
                    continue
                ref = self._referent(t, depth)
                if ref is not None and ref[1] == sex:
                    return ref
        return None

    def resolve_plural(self, pron: Token, depth: int = 0) -> str | None:
        """What the reporter's "they" ``pron`` refers to: people or a body
        ("Investigators", "the police", "Democrats", "the group") that is the
        subject earlier in its sentence, else in one of the three sentences
        before it (outside quotation marks, no further back than the
        paragraph before); None when there is none."""
        doc = self.sdoc
        start = self.sentence_start(pron)
        spans = [(start, pron.i)]
        for _ in range(3):
            if start <= 0:
                break
            start, end = self.sentence_before(start)
            if len(re.findall(r"\n\s*\n", doc[end - 1 : pron.i].text)) > 1:
                break  # (the paragraph before, not further)
            spans.append((start, end))
        for k, (lo, hi) in enumerate(spans):
            subjects = [
                t for t in doc[lo:hi]
                if not self.in_quote[t.i] and (_is_subject(t) or (t.dep_ == "ROOT" and t.pos_ in {"NOUN", "PROPN"}))
            ]  # (a noun the parser made the root heads a sentence of fragments)
            for t in reversed(subjects) if k == 0 else subjects:
                if t.lower_ == "they" and t.i != pron.i:
                    return self.resolve_plural(t, depth + 1) if depth < 4 else None
                if t.tag_ in {"NNS", "NNPS"} or t.lower_ == "police" or t.ent_type_ in {"NORP", "ORG"} or (
                    t.pos_ == "NOUN" and t.lemma_.lower() in COLLECTIVE_NOUNS
                ):
                    own = self.name_at(t.idx)
                    if own is not None and own.label in {"ORG", "NORP"}:
                        return own.text
                    lo_, hi_ = mention_tokens(t, t.left_edge.i, t.i + 1)
                    return doc[lo_:hi_].text
        return None

    def _referent(self, t: Token, depth: int) -> tuple[str, str] | None:
        """(name, sex) of the person token ``t`` mentions, or None when it is
        no person."""
        lower = t.lower_
        if t.pos_ == "PRON":
            if lower in MALE_PRONOUNS or lower in FEMALE_PRONOUNS:
                got = self._resolve(t, depth + 1)
                if got is not None:
                    return got[0], got[1] or ("m" if lower in MALE_PRONOUNS else "f")
            return None
        name = self.name_at(t.idx)
        if name is not None:
            if not _is_person(name):
                full = self.full_name(name.text, name.start)
                if full == name.text or name.label not in {"ORG", "GPE"}:
                    return None
            else:
                full = self.full_name(name.text, name.start)
            return full, self.sex(full)
        if t.pos_ == "PROPN" and t.ent_type_ == "":
            full = self.full_name(t.text, t.idx)
            return full, self.sex(full)
        if t.pos_ == "NOUN" and t.tag_ == "NN" and t.lemma_.lower() in PERSON_NOUNS:
            lo, hi = mention_tokens(t, t.left_edge.i, t.i + 1)
            mention = self.sdoc[lo:hi]
            sex = "m" if lower in MALE_WORDS else "f" if lower in FEMALE_WORDS else ""
            if t.lemma_.lower() in PERSON_TITLES and _is_definite(mention):
                # "the president": the person given that title before.
                titled = _titled_person(self.sdoc, self, mention.start_char, t.lemma_.lower(), [])
                if titled is not None:
                    return titled, sex or self.sex(titled)
            return mention.text, sex
        return None

    def before(self, offset: int) -> list[_Name]:
        """Names that start before ``offset``, nearest last."""
        return self.names[: bisect_left(self._starts, offset)]

    def full_name(self, name: str, offset: int, sex: str = "") -> str:
        """The longest earlier-or-later person name ending with ``name``'s last
        word (a surname; "Jr.", "III" aside), preferring the nearest earlier
        one, and one not of the other sex when ``sex`` ("m", "f") is known
        ("Mr. Conway" is not Kellyanne Conway); else ``name``."""
        words = name.split()
        if not words:
            return name
        last = words[-1]
        # Person names by their last word (suffixes aside), in text order.
        same = [c for c in self._by_surname().get(last, ()) if len(c.tokens) > len(words) and _ends_with(c.tokens, words)]
        k = bisect_left([c.start for c in same], offset)
        for cand in [*reversed(same[:k]), *same[k:]]:
            if sex and self.sex(cand.text) not in {"", sex}:
                continue
            return cand.text
        earlier = self.before(offset)
        if len(words) == 1:
            # "Mr Anwar" for Anwar Ibrahim: names whose family name comes first,
            # or a first name used alone.
            for cand in reversed(earlier):
                if cand.label == "PERSON" and len(cand.tokens) > 1 and last in cand.tokens:
                    return cand.text
        return name


#: Words that make a name an organisation's or a place's, never a person's.
ORG_WORDS = frozenset(
    """
    ministry department party court council committee office agency bank union
    university institute association company group house senate congress
    parliament government administration army force forces police news post
    times journal city county state states republic kingdom island islands
    river sea street conference summit foundation fund organization organisation
    inc corp ltd llc
    """.split()
)


def _surname(tokens: tuple[str, ...]) -> str:
    """The last word of a name that is not a suffix ("Conway" of "George T. Conway III")."""
    for w in reversed(tokens):
        if w.lower().rstrip(",") not in NAME_SUFFIXES:
            return w
    return tokens[-1]


def _ends_with(tokens: tuple[str, ...], words: list[str]) -> bool:
    """Whether a name (suffixes such as "III" aside) ends with ``words``: "Conway"
    and "T. Conway" end "George T. Conway III"; "Kellyanne Conway" does not."""
    core = list(tokens)
    while len(core) > 1 and core[-1].lower().rstrip(",") in NAME_SUFFIXES:
        core.pop()
    return len(core) >= len(words) and core[len(core) - len(words) :] == words


def _first_name_sex(tokens: tuple[str, ...]) -> str:
    """"m" or "f" when a name of two words or more begins with a common first name."""
    if len(tokens) < 2:
        return ""
    first = tokens[0].lower()
    return "m" if first in MALE_FIRST_NAMES else "f" if first in FEMALE_FIRST_NAMES else ""


def _is_subject(t: Token) -> bool:
    """Whether ``t`` is a clause's subject (or coordinated with one)."""
    return t.dep_ in {"nsubj", "nsubjpass"} or (t.dep_ == "conj" and t.head.dep_ in {"nsubj", "nsubjpass"})


def _compatible(known: str, wanted: str) -> bool:
    """Whether a person of sex ``known`` ("" unknown) may be a pronoun of ``wanted``."""
    return not known or not wanted or known == wanted


def _is_person(name: _Name) -> bool:
    """Whether a name is a person's: tagged so, or tagged an organisation or a
    place but reading as a person's name (two or three capitalised words, no
    organisation word: "the farmer Daniel Hale" tagged ORG)."""
    if name.label == "PERSON":
        return True
    return (
        name.label in {"ORG", "GPE"}
        and 2 <= len(name.tokens) <= 3
        and all(w[:1].isupper() and w[1:].islower() and w.replace("-", "").isalpha() for w in name.tokens)
        and not any(w.lower() in ORG_WORDS for w in name.tokens)
    )


def _clean_name(ent: SpacySpan) -> str:
    """An entity's text without a leading article or honorific and a trailing ’s."""
    words = [t for t in ent if not (t.i == ent.start and t.lower_ in ({"the"} | HONORIFICS))]
    while words and (words[0].is_punct or words[0].is_space):
        words = words[1:]  # "― Christina …": a dash or a space the model took in
    while words and words[-1].tag_ == "POS":
        words = words[:-1]
    text = " ".join(t.text for t in words)
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


def mention_tokens(head: Token, lo: int, hi: int) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``head``, kept inside
    the token window [lo, hi): its left modifiers and the words of its entity."""
    # A speaker's name and title run a few words before its head, not more.
    start = max(head.left_edge.i, lo, head.i - MENTION_REACH)
    # A subject's left edge may reach back over a quotation the parser hung on
    # it, a bracket ("(MENAFN) U.S. Secretary …") or a line break.
    for t in head.doc[start : head.i]:
        if t.is_quote or t.text in {"“", "”", '"', "—", "–", ":", ";", "(", ")", "[", "]"} or "\n" in t.text:
            start = t.i + 1
    while start < head.i and (head.doc[start].is_punct or head.doc[start].is_space):
        start += 1
    end = head.i + 1
    if head.ent_iob_ in {"B", "I"}:
        while end < min(hi, len(head.doc)) and head.doc[end].ent_iob_ == "I":
            end += 1
    return start, end


def speaker_name(
    sdoc: Doc,
    head: Token,
    span: tuple[int, int],
    names: NameIndex,
    *,
    recent: list[str],
    groups: list[str] | None = None,
) -> str | None:
    """The full name of the speaker whose mention is tokens ``span`` with head
    ``head``: a name in the mention, else the person or organisation it refers
    back to, else the mention's own words.

    ``recent`` names the people who spoke in the last paragraphs, most recent
    last: a pronoun refers to the last of them, a title to the last of them who
    was given that title. ``groups`` names the organisations (and other
    speakers that are no person: "the US military") that spoke in the last
    paragraphs, most recent last: "it", "its", "the statement", "the group"
    refer to the last of them before any organisation merely named.

    None when the mention is a "he" or "she" whose person cannot be told
    (``NameIndex.resolve_pronoun``): no name rather than a guess."""
    groups = groups or []
    if head.tag_ in {"WP", "WDT", "WP$"} and head.head.dep_ == "relcl":
        # "…, who said": the speaker is the noun the relative clause is on.
        antecedent = head.head.head
        lo = antecedent.left_edge.i
        return speaker_name(sdoc, antecedent, mention_tokens(antecedent, lo, antecedent.i + 1), names, recent=recent)
    mention = sdoc[span[0] : span[1]]
    offset = mention.start_char
    # The name the mention's head belongs to ("Secretary of State Marco Rubio",
    # "the Russian Foreign Ministry"); a name that only modifies the head ("a
    # White House source", "Trump’s spokesman") is not the speaker's.
    own = next((n for n in names.names if n.start <= head.idx < n.end), None)
    if own is not None and own.label == "NORP" and _is_definite(mention) and head.pos_ != "PROPN":
        # "The Democrat argued": a person named before by party or nation.
        return _nearest_person(names, offset, recent) or own.text
    if own is not None:
        return names.full_name(own.text, offset, _mention_sex(mention)) if own.label == "PERSON" else own.text
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in MALE_PRONOUNS or lower in FEMALE_PRONOUNS:
            return names.resolve_pronoun(head)
        if lower in PERSON_PRONOUNS:
            return _nearest_person(names, offset, recent) or mention.text
        if lower == "they":
            plural = names.resolve_plural(head)
            if plural is not None:
                return plural
        if lower in GROUP_PRONOUNS or lower in {"its", "their"}:
            if groups:
                return groups[-1]
            return _nearest(names, offset, {"ORG"}) or mention.text
        return mention.text
    if head.pos_ == "PROPN":
        words = " ".join(t.text for t in mention if t.pos_ == "PROPN" and t.lower_ not in HONORIFICS)
        return names.full_name(words or head.text, offset, _mention_sex(mention))
    lemma = head.lemma_.lower()
    if lemma in PERSON_TITLES and _is_definite(mention) and head.tag_ != "NNS":
        # (a plural, "the senators who …", is no one person)
        return _titled_person(sdoc, names, offset, lemma, recent) or mention.text
    if lemma in ORG_NOUNS and any(n.start >= mention.start_char and n.end <= mention.end_char for n in names.names):
        # "the Trump administration", "the Kremlin’s statement": named in place.
        return mention.text[len(mention[0].text) :].lstrip() if mention[0].lower_ == "the" else mention.text
    issuer = _issuer(head, names, recent)
    if issuer is not None:
        return issuer
    if lemma in ORG_NOUNS and _is_definite(mention):
        # "the statement said", "the group added": the organisation that
        # spoke last, when it is this kind of body or the word is generic.
        for name in reversed(groups):
            if lemma in name.lower() or lemma in UTTERANCE_NOUNS:
                return name
        return _nearest_org(names, offset, head.text) or mention.text
    return mention.text


#: Nouns of what a source issues, whose issuer a "from" phrase names.
ISSUED = frozenset({"statement", "letter", "memo", "release", "report", "filing", "email", "post"})


def _issuer(head: Token, names: NameIndex, recent: list[str]) -> str | None:
    """Who issued the statement that ``head`` names ("the statement from
    Grimm's attorney, William McGinley"): the name in its "from" phrase."""
    if head.lemma_.lower() not in ISSUED:
        return None
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ != "from":
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            target = next((a for a in obj.children if a.dep_ == "appos" and a.ent_type_ in {"PERSON", "ORG"}), obj)
            own = names.name_at(target.idx)
            if own is not None:
                return names.full_name(own.text, own.start) if own.label == "PERSON" else own.text
            lo, hi = mention_tokens(target, target.left_edge.i, target.i + 1)
            return head.doc[lo:hi].text
    return None


def _mention_sex(mention: SpacySpan) -> str:
    """"m" or "f" when the mention carries an honorific or a sexed word ("Mr. Conway")."""
    for t in mention:
        if t.lower_ in MALE_WORDS:
            return "m"
        if t.lower_ in FEMALE_WORDS:
            return "f"
    return ""


def _is_definite(mention: SpacySpan) -> bool:
    """Whether a mention refers back ("the president", "its statement") rather
    than introducing someone unnamed ("a senior official")."""
    first = mention[0].lower_
    return first in {"the", "this", "that", "its", "their", "his", "her"}


def _nearest_person(names: NameIndex, offset: int, recent: list[str]) -> str | None:
    """Who "he" or "she" at ``offset`` most likely is: the last person who spoke
    in the paragraphs just before, else the nearest person named as a subject."""
    if recent:
        return recent[-1]
    people = [c for c in names.before(offset) if c.label == "PERSON"]
    # The nearest person who was a subject, among the last few people named.
    for cand in reversed(people[-4:]):
        if cand.subject:
            return names.full_name(cand.text, cand.start)
    if people:
        return names.full_name(people[-1].text, people[-1].start)
    return None


def _nearest(names: NameIndex, offset: int, labels: set[str]) -> str | None:
    """The nearest name before ``offset`` with one of ``labels``."""
    for cand in reversed(names.before(offset)):
        if cand.label in labels:
            return cand.text
    return None


def _nearest_org(names: NameIndex, offset: int, noun: str) -> str | None:
    """The nearest earlier organisation whose name holds ``noun`` ("ministry"),
    else the nearest earlier organisation."""
    earlier = names.before(offset)
    for cand in reversed(earlier):
        if cand.label == "ORG" and noun.lower() in cand.text.lower():
            return cand.text
    for cand in reversed(earlier):
        if cand.label == "ORG":
            return cand.text
    return None


def _titled_person(sdoc: Doc, names: NameIndex, offset: int, title: str, recent: list[str]) -> str | None:
    """The person earlier given ``title`` within a few words before their name
    ("President Donald Trump", "the U.S. president, Donald Trump"): the one who
    spoke last among them, else the nearest."""
    text = names.text
    titled: list[str] = []
    for cand in reversed(names.before(offset)):
        if cand.label != "PERSON":
            continue
        window = text[max(0, cand.start - 40) : cand.start].lower().replace(",", " ").split()
        if title in window[-5:]:
            titled.append(names.full_name(cand.text, cand.start))
    for name in reversed(recent):
        if name in titled:
            return name
    return titled[0] if titled else None
