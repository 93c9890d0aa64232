"""Cues: the words that say someone said something.

The lexicons of cue verbs, and what the parse tells of a cue: the span of the
cue itself ("told reporters", "according to") and its grammatical speaker.
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = [
    "CLAUSE_CUES",
    "CUE_VERBS",
    "INFINITIVE_CUES",
    "NAMING_VERBS",
    "OBJECT_CUES",
    "PREPOSITION_CUES",
    "STANCE_VERBS",
    "SUBJECT_DEPS",
    "cue_range",
    "CLAUSE_ONLY_SPEECH",
    "SPEECH_ADJECTIVES",
    "SPEECH_NOUNS",
    "SPEECH_VERBS",
    "is_according",
    "is_cue",
    "is_speech_cue",
    "is_reporting",
    "subject",
]

#: Lemmas of verbs that report speech or a stated position.
CUE_VERBS = frozenset(
    """
    accuse acknowledge add admit affirm agree allege announce answer argue ask
    assert assure believe blast boast brief caution chant charge cite claim comment
    complain concede conclude confirm contend continue counter criticise criticize
    declare demand deny describe disclose elaborate emphasise emphasize estimate
    exclaim explain fear grumble gush hint inform insist joke lament maintain
    mention muse note observe opine pledge posit post praise predict proclaim
    promise propose question quip rail rant recall reckon recommend reiterate
    remark repeat reply report respond retort reveal say scream shout sigh signal
    sing slam snap speculate state stress suggest tell testify think threaten tweet
    underline urge vow warn whisper wonder worry write yell
    """.split()
)
#: Verb and complement pairs that report what someone said or holds, chosen on
#: PolNeAR train: a pair is here when its complement was annotated as the
#: content of an attribution at least 20% of the times it occurs there (and at
#: least 3 times); of the thresholds tried (8% to 35%), the most precise within
#: 0.005 F1 of the best on train. Lemmas are spaCy's ("hop" is its lemma of
#: "hoping").
CLAUSE_CUES = frozenset(
    """
    acknowledge add admit agree allege announce appear argue ask assert assume
    assure believe boast calculate caution charge claim clarify complain concede
    conclude confirm consider contend continue convince counter declare demand
    demonstrate deny describe determine discuss doubt emphasize estimate expect
    explain express fear find forget guess highlight hint hop hope imagine imply
    indicate insist joke lament learn maintain note notice order pledge point post
    predict proclaim promise propose question read realize recall recognize
    recommend reiterate remark remind reply report respond reveal rule say seem
    shoot show signal speculate state stress suggest suspect tell tweet vow warn
    wonder worry write
    """.split()
)
OBJECT_CUES = frozenset(
    """
    acknowledge admit advocate announce answer applaud approve argue articulate
    assail attack back bash bemoan blame blast broadcast brush chant cite claim
    concede condemn confirm congratulate contemplate contradict credit criticize
    declare decline decry deem defend demand denounce deny deride describe detail
    disavow disclose discuss dismiss display dispute document downplay echo email
    emphasize endorse expect explain explore expose express favor hail hammer hate
    herald highlight insult introduce invoke issue justify lament list mention mock
    note offer oppose outline point post praise preach predict prefer project
    promise promote propose publish question reaffirm rebut recall recite recommend
    recount reference reiterate reject release remember repeat report resist
    restrict retweete reveal rip seek share show shrug signal single slam state
    stress suggest talk tout trade tweet underscore unveil veto voice walk withdraw
    withhold witness
    """.split()
)
INFINITIVE_CUES = frozenset(
    """
    advise agree aim appear argue ask call challenge chant claim decide decline
    design encourage expect hop know like look love offer order plan pledge prefer
    promise propose prove push refuse report say seek seem show struggle suggest
    support tell threaten urge vote vow warn
    """.split()
)
#: Verbs whose prepositional object is what they report ("called for X",
#: "spoke about X"), with those prepositions.
PREPOSITION_CUES: dict[str, frozenset[str]] = {
    "accuse": frozenset({"of"}),
    "advocate": frozenset({"for"}),
    "agree": frozenset({"on", "with"}),
    "apologize": frozenset({"for"}),
    "argue": frozenset({"in"}),
    "ask": frozenset({"about", "for"}),
    "assure": frozenset({"of"}),
    "attack": frozenset({"for"}),
    "balk": frozenset({"at"}),
    "begin": frozenset({"with"}),
    "blame": frozenset({"for"}),
    "blast": frozenset({"for"}),
    "boast": frozenset({"about", "of"}),
    "brag": frozenset({"about"}),
    "call": frozenset({"for", "with"}),
    "campaign": frozenset({"against", "for"}),
    "cast": frozenset({"as", "on"}),
    "characterize": frozenset({"as"}),
    "charge": frozenset({"with"}),
    "chide": frozenset({"for"}),
    "cite": frozenset({"as"}),
    "come": frozenset({"against"}),
    "comment": frozenset({"on"}),
    "complain": frozenset({"about"}),
    "conclude": frozenset({"by"}),
    "congratulate": frozenset({"for"}),
    "criticize": frozenset({"as", "for"}),
    "defend": frozenset({"against", "as"}),
    "describe": frozenset({"as"}),
    "devote": frozenset({"to"}),
    "disagree": frozenset({"with"}),
    "dismiss": frozenset({"as"}),
    "distance": frozenset({"from"}),
    "double": frozenset({"on"}),
    "find": frozenset({"with"}),
    "focus": frozenset({"on"}),
    "frame": frozenset({"as"}),
    "hint": frozenset({"at"}),
    "hit": frozenset({"for", "on"}),
    "hop": frozenset({"for"}),
    "identify": frozenset({"as", "with"}),
    "inform": frozenset({"of"}),
    "joke": frozenset({"about"}),
    "know": frozenset({"as", "for"}),
    "label": frozenset({"as"}),
    "lash": frozenset({"at"}),
    "liken": frozenset({"to"}),
    "line": frozenset({"behind"}),
    "list": frozenset({"as"}),
    "look": frozenset({"to"}),
    "mention": frozenset({"as"}),
    "name": frozenset({"as"}),
    "open": frozenset({"about"}),
    "paint": frozenset({"as"}),
    "pitch": frozenset({"as"}),
    "pivot": frozenset({"to"}),
    "plead": frozenset({"to"}),
    "point": frozenset({"as", "to"}),
    "portray": frozenset({"as"}),
    "position": frozenset({"as"}),
    "praise": frozenset({"as", "for"}),
    "present": frozenset({"as"}),
    "press": frozenset({"about"}),
    "push": frozenset({"for", "on"}),
    "quote": frozenset({"as"}),
    "rail": frozenset({"against"}),
    "refer": frozenset({"as", "to"}),
    "regard": frozenset({"as"}),
    "remark": frozenset({"upon"}),
    "report": frozenset({"about"}),
    "respond": frozenset({"by", "to", "with"}),
    "say": frozenset({"about"}),
    "see": frozenset({"as"}),
    "seem": frozenset({"like"}),
    "show": frozenset({"with"}),
    "side": frozenset({"with"}),
    "slam": frozenset({"for"}),
    "speak": frozenset({"about", "of"}),
    "split": frozenset({"on"}),
    "stand": frozenset({"by"}),
    "take": frozenset({"at"}),
    "talk": frozenset({"about"}),
    "thank": frozenset({"for"}),
    "think": frozenset({"about"}),
    "throw": frozenset({"behind"}),
    "touch": frozenset({"on"}),
    "view": frozenset({"as"}),
    "vote": frozenset({"against"}),
    "vouch": frozenset({"for"}),
    "warn": frozenset({"against", "of"}),
    "weigh": frozenset({"on"}),
    "worry": frozenset({"about"}),
    "write": frozenset({"about"}),
}

#: Cue verbs that report a stance rather than words: taken with a clause
#: complement only, never as the cue of a quotation in marks.
STANCE_VERBS = frozenset({"believe", "think", "worry", "fear", "reckon", "wonder"})
#: Verbs that name what someone called something: the cue of a partial quotation.
NAMING_VERBS = frozenset({"call", "describe", "dub", "label", "term", "brand", "characterize", "characterise"})

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})

#: Verbs that report words said or written, or a position stated (a speech or
#: attribution cue): what an indirect quotation needs. Not here: actions
#: ("approved", "vetoed", "withdrew"), wishes and plans ("wants", "seeks",
#: "considers"), perception ("saw", "learned"), however often PolNeAR counts
#: them, because a reader of "who said what" takes them as things said.
SPEECH_VERBS = (CUE_VERBS - {"continue", "sing", "chant", "signal"} - STANCE_VERBS) | frozenset(
    """
    advise advocate announce applaud apologize ask attack beg blame brand call
    campaign characterize characterise chide cite condemn congratulate contradict
    credit decry defend demand denounce deride describe detail dismiss dispute
    dub echo email encourage expect express find hail highlight hope
    label liken mock outline paint plead portray preach propose publish quote
    rebut recount refer reject release show speak suspect talk term thank tout
    rule point reference press offer
    tweet underscore unveil voice weigh doubt
    """.split()
)
#: Nouns that name what someone said ("her statement that …", "his call for
#: …", "Clinton's criticism of …").
SPEECH_NOUNS = frozenset(
    """
    accusation admission allegation announcement appeal argument assertion
    assessment belief call charge claim comment complaint concern criticism
    declaration demand denial estimate forecast insistence interview letter
    message opinion plea pledge position prediction promise proposal question
    remark remarks report speech statement suggestion testimony threat tweet
    view vow warning
    """.split()
)
#: Speech verbs that report something said only with a clause or an
#: infinitive ("studies show that …", "promised to …"), not with a noun
#: phrase ("the ad shows men doing push-ups", "Audi revealed a new model",
#: "officers responding to disputes").
CLAUSE_ONLY_SPEECH = frozenset(
    {"show", "find", "suggest", "indicate", "reveal", "promise", "respond", "expect", "hope", "think",
     "believe", "demonstrate", "signal", "release", "unveil", "recognize", "learn", "doubt", "suspect"}
)
#: Adjectives that state a stance ("critical of", "skeptical about").
SPEECH_ADJECTIVES = frozenset({"critical", "skeptical", "sceptical", "supportive", "confident", "adamant"})


def is_cue(t: Token) -> bool:
    """Whether ``t`` is a verb of saying or the "according" of "according to"."""
    return (t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in CUE_VERBS) or is_according(t)


def is_speech_cue(t: Token) -> bool:
    """Whether ``t`` reports words said or a position stated (``SPEECH_VERBS``,
    ``SPEECH_NOUNS``, ``SPEECH_ADJECTIVES``, "according to"): the cue an
    indirect quotation needs."""
    lemma = t.lemma_.lower()
    if t.pos_ == "NOUN":
        return lemma in SPEECH_NOUNS
    if t.pos_ == "ADJ":
        return lemma in SPEECH_ADJECTIVES
    return lemma in SPEECH_VERBS or is_according(t)


def is_reporting(t: Token) -> bool:
    """Whether ``t`` is a verb that may report something (any lexicon)."""
    lemma = t.lemma_.lower()
    return t.pos_ == "VERB" and (
        lemma in CUE_VERBS or lemma in CLAUSE_CUES or lemma in OBJECT_CUES
        or lemma in INFINITIVE_CUES or lemma in PREPOSITION_CUES
    )


def is_according(t: Token) -> bool:
    """Whether ``t`` is the "according" of "according to"."""
    return t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"


def subject(v: Token) -> Token | None:
    """The grammatical speaker of cue ``v``: its subject, the object of
    "according to", or the subject of the verb it is coordinated with."""
    if is_according(v):
        to = v.doc[v.i + 1]
        for c in to.children:
            if c.dep_ == "pobj":
                return c
        return None
    if v.pos_ in {"NOUN", "ADJ"}:
        return _nominal_subject(v)
    seen = 0
    while seen < 3:
        subjects = [c for c in v.children if c.dep_ in SUBJECT_DEPS and not c.is_punct]
        if len(subjects) > 1:
            # "her father, who police said was …": the relative pronoun is the
            # subject of what was said; the other subject said it.
            subjects = [c for c in subjects if c.tag_ not in {"WP", "WDT"}] or subjects
        for c in subjects:
            if c.dep_ in SUBJECT_DEPS and not c.is_punct:
                if c.dep_ == "nsubjpass":
                    agent = next((a for a in v.children if a.dep_ == "agent"), None)
                    if agent is not None:
                        return next((p for p in agent.children if p.dep_ == "pobj"), c)
                return c
        if v.dep_ in {"conj", "xcomp", "advcl"} and v.head.i != v.i:
            v = v.head
            seen += 1
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in {"VERB", "AUX"}:
            # "by criticizing X": the subject of the verb the phrase is on.
            v = v.head.head
            seen += 1
            continue
        if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.pos_ in {"PROPN", "PRON", "NOUN"}:
            author = _author(v.head)
            return author if author is not None else v.head  # "Trump, savaging X, …"
        return None
    return None


#: Nouns of what someone wrote or said: "Trump posted a series of tweets
#: criticizing X" is Trump criticizing X.
AUTHORED_NOUNS = frozenset(
    """
    tweet post statement letter message email video ad remark comment speech
    interview column article book memo series flurry barrage string
    """.split()
)


def _author(n: Token) -> Token | None:
    """Who wrote or said the text that noun ``n`` names, when it is the object
    of a verb with a subject ("Trump unleashed a series of tweets"), else None."""
    if n.pos_ != "NOUN" or n.lemma_.lower() not in AUTHORED_NOUNS:
        return None
    for _ in range(3):
        if n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.pos_ == "NOUN":
            n = n.head.head  # "a series of tweets": the series
            continue
        break
    if n.dep_ in {"dobj", "attr"} and n.head.pos_ in {"VERB", "AUX"}:
        for c in n.head.children:
            if c.dep_ == "nsubj":
                return c
    return None


def _nominal_subject(n: Token) -> Token | None:
    """Whose stance a noun or adjective states: its possessor ("Clinton's
    criticism"), else the subject of the verb it completes ("Trump voiced
    support", "she is critical of")."""
    for c in n.children:
        if c.dep_ == "poss":
            return c
    if n.dep_ in {"dobj", "attr", "acomp", "oprd"} and n.head.pos_ in {"VERB", "AUX"} and n.head.i != n.i:
        return subject(n.head)
    return None


def cue_range(v: Token) -> tuple[int, int]:
    """Token range of the cue: the verb with its particle ("point out"), the
    hearer of "told reporters", or "according to"."""
    if is_according(v):
        return v.i, v.i + 2
    end = v.i + 1
    doc = v.doc
    for c in v.children:
        if c.i == end and c.dep_ == "prt":
            end += 1
    if v.lemma_.lower() == "tell" and end < len(doc):
        t = doc[end]
        if t.dep_ in {"dobj", "dative"} and t.head.i == v.i and t.pos_ in {"NOUN", "PROPN", "PRON"} and t.n_lefts == 0:
            end = t.i + 1
    return v.i, end
