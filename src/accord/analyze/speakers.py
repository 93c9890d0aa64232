"""Speakers: the mention that says something, and the full name it stands for.

A speaker mention is found in the parse (the subject of a cue verb, the object
of "according to"); its name is resolved within the document: a surname to the
full name given earlier, a pronoun to the person last in view, a title ("the
president") to the person earlier given that title, an organisation word ("the
ministry", "the statement") to the organisation named earlier.
"""

from __future__ import annotations

from bisect import bisect_left
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

    def __init__(self, sdoc: Doc) -> None:
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

    def before(self, offset: int) -> list[_Name]:
        """Names that start before ``offset``, nearest last."""
        return self.names[: bisect_left(self._starts, offset)]

    def full_name(self, name: str, offset: int) -> str:
        """The longest earlier-or-later person name ending with ``name``'s last
        word (a surname), preferring the nearest earlier one; else ``name``."""
        words = name.split()
        if not words:
            return name
        last = words[-1]
        earlier = self.before(offset)
        for cand in reversed(earlier):
            if _is_person(cand) and len(cand.tokens) > len(words) and cand.tokens[-1] == last:
                return cand.text
        for cand in self.names[len(earlier):]:
            if _is_person(cand) and len(cand.tokens) > len(words) and cand.tokens[-1] == last:
                return cand.text
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
) -> str:
    """The full name of the speaker whose mention is tokens ``span`` with head
    ``head``: a name in the mention, else the person or organisation it refers
    back to, else the mention's own words.

    ``recent`` names the people who spoke in the last paragraphs, most recent
    last: a pronoun refers to the last of them, a title to the last of them who
    was given that title. ``groups`` names the organisations (and other
    speakers that are no person: "the US military") that spoke in the last
    paragraphs, most recent last: "it", "its", "the statement", "the group"
    refer to the last of them before any organisation merely named."""
    groups = groups or []
    if head.tag_ in {"WP", "WDT"} and head.head.dep_ == "relcl":
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
        return names.full_name(own.text, offset) if own.label == "PERSON" else own.text
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in PERSON_PRONOUNS or lower == "his":
            return _nearest_person(names, offset, recent) or mention.text
        if lower in GROUP_PRONOUNS or lower in {"its", "their"}:
            if groups:
                return groups[-1]
            return _nearest(names, offset, {"ORG"}) or mention.text
        return mention.text
    if head.pos_ == "PROPN":
        words = " ".join(t.text for t in mention if t.pos_ == "PROPN" and t.lower_ not in HONORIFICS)
        return names.full_name(words or head.text, offset)
    lemma = head.lemma_.lower()
    if lemma in PERSON_TITLES and _is_definite(mention):
        return _titled_person(sdoc, names, offset, lemma, recent) or mention.text
    if lemma in ORG_NOUNS and any(n.start >= mention.start_char and n.end <= mention.end_char for n in names.names):
        # "the Trump administration", "the Kremlin’s statement": named in place.
        return mention.text[len(mention[0].text) :].lstrip() if mention[0].lower_ == "the" else mention.text
    if lemma in ORG_NOUNS and _is_definite(mention):
        # "the statement said", "the group added": the organisation that
        # spoke last, when it is this kind of body or the word is generic.
        for name in reversed(groups):
            if lemma in name.lower() or lemma in UTTERANCE_NOUNS:
                return name
        return _nearest_org(names, offset, head.text) or mention.text
    return mention.text


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
    text = sdoc.text
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
