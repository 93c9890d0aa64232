"""One entity for every spelling of a name across the documents of a story."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from wordfreq import zipf_frequency

from accord.ingest.metadata import wire_of
from accord.model import Analysis, Entity, Mention, Span

__all__ = ["name_key", "resolve_entities", "EntityIndex"]

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "president", "prime", "minister",
    "secretary", "state", "foreign", "general", "gen", "col", "senator", "sen", "rep", "representative",
    "governor", "gov", "mayor", "chancellor", "king", "queen", "prince", "princess", "pope", "judge",
    "justice", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "chief", "us", "u.s.",
    "russian", "ukrainian", "american", "deputy", "vice", "top", "diplomat", "of", "the", "former",
}
#: Zipf frequency above which a one-word name is also a common word.
_COMMON_WORD = 4.0
_ARTICLE = re.compile(r"^(?:the)\s+", re.I)
_POSSESSIVE = re.compile(r"[’']s$")
# Demonyms that name the same thing as their country in an organisation's name.
_DEMONYMS = {
    "russian": "russia", "american": "us", "ukrainian": "ukraine", "chinese": "china", "british": "uk",
    "french": "france", "german": "germany", "iranian": "iran", "israeli": "israel", "malaysian": "malaysia",
    "indian": "india", "japanese": "japan", "turkish": "turkey", "syrian": "syria", "european": "europe",
    "u.s.": "us", "united states": "us", "america": "us", "united kingdom": "uk",
}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def name_key(word: str) -> str:
    """A spelling-tolerant key of one name word: transliterations such as
    Sergey/Sergei and Zelenskiy/Zelenskyy/Zelensky share a key."""
    key = _ascii(word).lower()
    key = re.sub(r"[^a-z]", "", key)
    key = key.replace("y", "i").replace("kh", "h").replace("ck", "k")
    key = re.sub(r"(.)\1+", r"\1", key)  # doubled letters
    key = re.sub(r"i+$", "i", key)
    return key


def _person_words(name: str) -> list[str]:
    words = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", name.strip())) if w]
    # "Sergey Lavrov AP": a wire credit that the tagger glued to a name.
    return [w for w in words if w.lower().strip(".") not in _HONORIFICS and not (w.isupper() and wire_of(w))]


def _org_key(name: str) -> str:
    text = _plain(name)
    # "U.S.", "F.B.I.": the letters of a dotted acronym are the acronym.
    text = re.sub(r"(?<![a-z])((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    for demonym, country in _DEMONYMS.items():
        text = re.sub(rf"\b{re.escape(demonym)}\b", country, text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in {"the", "s"}]
    return " ".join(words)


def _plain(name: str) -> str:
    # The possessive goes before the ASCII folding, which drops a curly ’.
    return _ascii(_POSSESSIVE.sub("", _ARTICLE.sub("", name.strip())).strip()).lower()


def _acronym(name: str) -> str | None:
    """The acronym a name spells with its capitalised words ("Association of
    South-east Asian Nations" -> "ASEAN"), or None for a one-word name."""
    words = [w for w in re.split(r"[\s\-]+", _ARTICLE.sub("", name)) if w]
    capitals = [w[0].upper() for w in words if w[:1].isupper()]
    return "".join(capitals) if len(capitals) >= 2 else None


@dataclass(slots=True)
class _Cluster:
    label: str
    forms: Counter = field(default_factory=Counter)
    mentions: list[Span] = field(default_factory=list)
    first: str = ""
    surname: str = ""


@dataclass(slots=True)
class EntityIndex:
    """The entities of a story and where each mention belongs."""

    entities: list[Entity]
    by_span: dict[tuple[str, int, int], str]
    by_name: dict[str, str]

    def entity_for(self, name: str | None, span: Span | None = None) -> str | None:
        """The entity id of a mention (by its span), else of a name."""
        if span is not None and (span.doc, span.start, span.end) in self.by_span:
            return self.by_span[(span.doc, span.start, span.end)]
        if not name:
            return None
        key = _lookup_key(name)
        return self.by_name.get(key)

    def name_of(self, entity_id: str | None) -> str | None:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity.name
        return None


def _lookup_key(name: str) -> str:
    words = _person_words(name)
    return " ".join(name_key(w) for w in words) if words else _org_key(name)


def resolve_entities(analyses: Sequence[Analysis]) -> EntityIndex:
    """Cluster the named mentions of all documents into entities.

    People: mentions with the same surname key and compatible first names are
    one person; a surname alone joins the full name it follows in the same
    document, else the only person of the story with that surname (two people
    who share a surname keep a bare surname apart). Organisations and places:
    the same words up to case, articles, possessives and demonyms, and
    acronyms defined in the text ("... Nations (ASEAN)") or spelled by the
    initials of a longer name.
    """
    people: list[_Cluster] = []
    others: dict[str, _Cluster] = {}
    acronyms: dict[str, str] = {}
    bare_surnames: list[tuple[str, Mention]] = []

    for analysis in analyses:
        text = analysis.document.text
        local_people: dict[str, _Cluster] = {}
        # The byline's author wrote the story; a mention of that name is the
        # credit, not a person in the story.
        authors = {_lookup_key(a) for a in analysis.document.authors if a.strip()}
        for mention in analysis.entities:
            if mention.label not in NAME_LABELS:
                continue
            if mention.label == "PERSON":
                words = _person_words(mention.text)
                if not words:
                    continue
                if len(words) > 1 and " ".join(name_key(w) for w in words) in authors:
                    continue
                if len(words) == 1:
                    bare_surnames.append((analysis.document.id, mention))
                    continue
                cluster = _person_cluster(people, words)
                cluster.forms[" ".join(words)] += 1
                cluster.mentions.append(mention.span)
                local_people[cluster.surname] = cluster
            else:
                key = _org_key(mention.text)
                if not key:
                    continue
                cluster = others.setdefault(key, _Cluster(mention.label))
                cluster.forms[_ARTICLE.sub("", _POSSESSIVE.sub("", mention.text.strip()))] += 1
                cluster.mentions.append(mention.span)
                # "Association of Southeast Asian Nations (ASEAN)" defines ASEAN.
                after = text[mention.span.end: mention.span.end + 16]
                defined = re.match(r"\s*\(([A-Za-z][A-Za-z.\-]{1,10})\)", after)
                if defined:
                    acronyms[_org_key(defined.group(1))] = key
        for doc_id, mention in [b for b in bare_surnames if b[0] == analysis.document.id]:
            local = local_people.get(name_key(_person_words(mention.text)[0]))
            if local is not None:
                local.forms[" ".join(_person_words(mention.text))] += 1
                local.mentions.append(mention.span)
                bare_surnames.remove((doc_id, mention))

    _people_from_mislabelled(people, others, bare_surnames)
    for doc_id, mention in bare_surnames:
        surname = name_key(_person_words(mention.text)[0])
        matches = [c for c in people if c.surname == surname]
        if not matches:
            # "Anwar" for Anwar Ibrahim: a name used alone that is the first
            # name of exactly one person of the story and nobody's surname.
            firsts = [c for c in people if c.first == surname]
            if len(firsts) == 1:
                matches = firsts
        if len(matches) == 1:
            matches[0].forms[_person_words(mention.text)[0]] += 1
            matches[0].mentions.append(mention.span)
        else:
            cluster = _person_cluster(people, _person_words(mention.text), bare=True)
            cluster.forms[_person_words(mention.text)[0]] += 1
            cluster.mentions.append(mention.span)

    _merge_acronyms(others, acronyms)
    _merge_country_qualified(others)
    _merge_mislabelled_surnames(people, others)
    _find_missed_mentions(analyses, people + list(others.values()))
    return _index(people + list(others.values()))


def _find_missed_mentions(analyses: Sequence[Analysis], clusters: list[_Cluster]) -> None:
    """Mentions the tagger missed: a form of a known entity written elsewhere
    in the story ("Rubio told reporters" where no entity was tagged). Forms that
    are common words ("May", "Brown") or shared by two entities are not searched."""
    forms: dict[str, _Cluster | None] = {}
    for cluster in clusters:
        for form in cluster.forms:
            if len(form) < 3 or not form[:1].isupper():
                continue
            if " " not in form and zipf_frequency(form.lower(), "en") > _COMMON_WORD:
                continue
            forms[form] = None if form in forms and forms[form] is not cluster else cluster
    if not forms:
        return
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w-])")
    for analysis in analyses:
        document = analysis.document
        taken = [(m.span.start, m.span.end) for m in analysis.entities]
        for match in pattern.finditer(document.text):
            cluster = forms.get(match.group())
            if cluster is None or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            cluster.mentions.append(document.span(match.start(), match.end()))
            taken.append(match.span())


#: Words that make a name an organisation's or a place's, never a person's.
_ORG_WORDS = frozenset(
    """
    ministry department party court council committee office agency bank union
    university institute association company group house senate congress
    parliament government administration army force forces police news post
    times journal city county state states republic kingdom island islands
    river sea street conference summit foundation fund organization organisation
    """.split()
)


def _people_from_mislabelled(people: list[_Cluster], others: dict[str, _Cluster], bare: list[tuple[str, Mention]]) -> None:
    """A name the tagger called an organisation or a place that reads as a
    person's (two or three capitalised words, no organisation word) and whose
    last word is the surname of a person of the story ("Volodymyr Zelenskiy"
    tagged ORG beside "Zelenskyy" tagged PERSON) is that person."""
    surnames = {c.surname for c in people} | {name_key(_person_words(m.text)[0]) for _, m in bare}
    for key in list(others):
        cluster = others[key]
        if cluster.label not in {"ORG", "GPE"} or not cluster.forms:
            continue
        form = cluster.forms.most_common(1)[0][0]
        words = _person_words(form)
        if not 2 <= len(words) <= 3 or len(words) != len(form.split()):
            continue
        if not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words):
            continue
        if any(w.lower() in _ORG_WORDS for w in words) or name_key(words[-1]) not in surnames:
            continue
        person = _person_cluster(people, words)
        person.forms.update(cluster.forms)
        person.mentions.extend(cluster.mentions)
        del others[key]


def _merge_country_qualified(others: dict[str, _Cluster]) -> None:
    """An organisation named without its country ("the Supreme Court",
    "Foreign Ministry") is the one organisation of the story named with it
    ("the US Supreme Court", "the Russian Foreign Ministry") when there is
    exactly one."""
    countries = set(_DEMONYMS.values()) | {k for k, c in others.items() if c.label == "GPE" and " " not in k}
    for key in sorted(others, key=len):
        if key not in others or len(key.split()) < 2:
            continue
        longer = [
            k for k in others
            if k != key and k.endswith(" " + key)
            and all(w in countries for w in k[: -len(key) - 1].split())
            and others[k].label == others[key].label
        ]
        if len(longer) == 1:
            into = others[longer[0]]
            into.forms.update(others[key].forms)
            into.mentions.extend(others.pop(key).mentions)


def _merge_mislabelled_surnames(people: list[_Cluster], others: dict[str, _Cluster]) -> None:
    """A one-word organisation or place that is the surname of exactly one
    person of the story ("Trump" tagged ORG) is that person."""
    by_surname: dict[str, list[_Cluster]] = {}
    for p in people:
        if p.first:
            by_surname.setdefault(p.surname, []).append(p)
    for key in list(others):
        if " " in key:
            continue
        matches = by_surname.get(name_key(key), [])
        if len(matches) == 1:
            matches[0].forms.update(others[key].forms)
            matches[0].mentions.extend(others.pop(key).mentions)


def _person_cluster(people: list[_Cluster], words: list[str], *, bare: bool = False) -> _Cluster:
    surname = name_key(words[-1])
    first = "" if bare else name_key(words[0])
    for cluster in people:
        if first and len(words) > 1 and cluster.first == surname and cluster.surname == first:
            return cluster  # name order: "Kim Hyun-Tak" and "Hyun-Tak Kim"
        if cluster.surname != surname:
            continue
        if cluster.first == first or (first and cluster.first and first[0] == cluster.first[0] and min(len(first), len(cluster.first)) <= 2):
            return cluster
        if bare and not cluster.first:
            return cluster
    cluster = _Cluster("PERSON", first=first, surname=surname)
    people.append(cluster)
    return cluster


def _merge_acronyms(others: dict[str, _Cluster], acronyms: dict[str, str]) -> None:
    """Merge an acronym into the long name it stands for: one defined in the
    text ("... Nations (ASEAN)"), else a name of two or more words whose
    capitalised initials spell it (the first such name in the story's order)."""
    # Acronym -> the multi-word keys that spell it, in order (built once: a
    # story of many documents has thousands of names).
    spelled: dict[str, list[str]] = {}
    for other_key, other in others.items():
        if len(other_key.split()) < 2:
            continue
        for initials in {(_acronym(form) or "").lower() for form in other.forms} - {""}:
            spelled.setdefault(initials, []).append(other_key)
    for key in list(others):
        if key not in others:
            continue
        cluster = others[key]
        target = acronyms.get(key)
        if target is None:
            # A short all-capital key ("us", "asean") may be the initials of a long name.
            compact = key.replace(" ", "")
            if len(compact) >= 2:
                target = next((k for k in spelled.get(compact, []) if k in others and others[k] is not cluster), None)
        if target and target in others and others[target] is not cluster:
            into = others[target]
            into.forms.update(cluster.forms)
            into.mentions.extend(cluster.mentions)
            if len(target.split()) >= 2:
                for initials in {(_acronym(form) or "").lower() for form in cluster.forms} - {""}:
                    if target not in spelled.setdefault(initials, []):
                        spelled[initials].append(target)
            del others[key]


def _index(clusters: list[_Cluster]) -> EntityIndex:
    ordered = sorted(clusters, key=lambda c: (-len(c.mentions), min((m.doc, m.start) for m in c.mentions)))
    entities: list[Entity] = []
    by_span: dict[tuple[str, int, int], str] = {}
    by_name: dict[str, str] = {}
    for number, cluster in enumerate(ordered, 1):
        entity_id = f"e{number}"
        forms = sorted(cluster.forms, key=lambda f: (-len(f.split()), -cluster.forms[f], f))
        # The name: the most frequent among the fullest forms.
        longest = max(len(f.split()) for f in forms)
        full = [f for f in forms if len(f.split()) == longest]
        name = max(full, key=lambda f: (cluster.forms[f], f[:1].isupper(), f))
        mentions = sorted(cluster.mentions, key=lambda s: (s.doc, s.start))
        entities.append(Entity(entity_id, name, cluster.label, [f for f in forms if f != name], mentions))
        for span in mentions:
            by_span[(span.doc, span.start, span.end)] = entity_id
        for form in cluster.forms:
            by_name.setdefault(_lookup_key(form), entity_id)
            if cluster.label == "PERSON":
                by_name.setdefault(name_key(form.split()[-1]), entity_id)
    return EntityIndex(entities, by_span, by_name)
