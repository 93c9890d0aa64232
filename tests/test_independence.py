"""Independence: reprints and wire copies count once."""

from __future__ import annotations

import pytest

import accord

_BODY = [
    "The regional parliament of Norland approved a new budget on Wednesday after a debate that lasted two days.",
    "The budget raises spending on rail lines by a fifth and cuts the subsidy for regional airports.",
    "Opposition members walked out before the final vote, calling the airport cuts a betrayal of the north.",
    "The finance minister said the rail plan would create thousands of jobs in the next five years.",
    "Trade unions welcomed the rail spending but warned that airport workers would lose their jobs.",
    "The budget now goes to the governor, who is expected to sign it before the end of the month.",
    "Economists said the deficit would shrink slightly under the plan, though forecasts remain uncertain.",
    "The vote was the first major test for the coalition since it took power in the spring elections.",
    "Several amendments from the Green group were rejected, including a tax on short domestic flights.",
    "The speaker of the parliament thanked the budget committee for working through the weekend.",
    "Mayors of three northern towns said they would ask the governor to veto the airport cuts.",
    "The rail operator plans to order twenty new trains once the money is released next year.",
    "A poll published last week found most voters in the south supported the rail investment.",
    "The airport in Harrow Bay, the smallest in the region, may close within two years, its manager said.",
    "Farmers' groups asked for part of the rail money to be spent on freight lines to the ports.",
    "The next budget debate is scheduled for the autumn session of the parliament.",
]


def test_an_article_reprinted_by_another_outlet_counts_once():
    original = " ".join(_BODY)
    # The reprint rewords one sentence and adds one; the rest is the same text.
    reworded = list(_BODY)
    reworded[1] = "Spending on rail lines rises by a fifth under the budget, which also cuts the subsidy for regional airports."
    reprint = " ".join(reworded) + " Local reaction was mixed."
    independent = ("Lawmakers in Norland passed the budget on Wednesday. Spending on rail lines goes up by a fifth, "
                   "and the subsidy for regional airports is cut.")
    dossier = accord.dossier([
        accord.Article(original, title="Norland passes budget", outlet="Norland Post"),
        accord.Article(reprint, title="Budget approved", outlet="Valley Courier"),
        accord.Article(independent, title="Budget passes", outlet="North Radio"),
    ])
    rail = next(f for f in dossier.facts if "rail" in f.text and len({s.doc for s in f.support}) >= 2)
    docs = {s.doc for s in rail.support}
    assert {"d1", "d2"} <= docs
    # The Valley Courier reprints the Norland Post: one origin between them.
    assert rail.independent == len(docs) - 1


# --------------------------------------------------------------------------- owners and kinds

import random
from difflib import SequenceMatcher

from accord.compare.independence import Sources, count_origins, count_outlets
from accord.model import Document, OffsetMap, Span

_BRIDGE = ("The city council of Brightwater voted on Tuesday to close the old harbour bridge for repairs lasting eight months. "
           "Engineers found cracks in two of its steel supports during an inspection in March.")
_BRIDGE_REWORDED = ("Brightwater's council decided on Tuesday that the old harbour bridge will shut for eight months of repairs. "
                    "Inspectors discovered cracks in two steel supports of the bridge in March, officials said.")


def _bridge_fact(first: accord.Article, second: accord.Article) -> accord.model.Fact:
    dossier = accord.dossier([first, second])
    return next(f for f in dossier.facts if {s.doc for s in f.support} == {"d1", "d2"})


def test_two_outlets_of_one_owner_are_one_origin():
    # The Wall Street Journal and the New York Post are both News Corp's.
    fact = _bridge_fact(accord.Article(_BRIDGE, outlet="Wall Street Journal (News)"),
                        accord.Article(_BRIDGE_REWORDED, url="https://nypost.com/2025/07/10/bridge/"))
    assert (fact.outlets, fact.independent, fact.status) == (2, 1, "single-source")
    # The same two texts from outlets of two owners corroborate each other.
    fact = _bridge_fact(accord.Article(_BRIDGE, outlet="Wall Street Journal (News)"),
                        accord.Article(_BRIDGE_REWORDED, url="https://www.bbc.co.uk/news/uk-1"))
    assert (fact.outlets, fact.independent, fact.status) == (2, 2, "corroborated")


def test_an_encyclopedia_and_one_newspaper_do_not_corroborate():
    fact = _bridge_fact(accord.Article(_BRIDGE, url="https://en.wikipedia.org/wiki/Brightwater_bridge"),
                        accord.Article(_BRIDGE_REWORDED, outlet="The Guardian"))
    # The encyclopedia is listed among the outlets, but adds no origin.
    assert (fact.outlets, fact.independent, fact.status) == (2, 1, "single-source")


def _document(doc_id: str, text: str, *, outlet: str | None = None, owner: str | None = None,
              kind: str | None = None, wire: str | None = None) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", format="text", text=text, sha256="0" * 64,
                    offsets=OffsetMap.identity(len(text)), outlet=outlet, owner=owner, outlet_kind=kind, wire=wire)


def _whole(document: Document) -> Span:
    return document.span(0, len(document.text))


def test_origins_by_owner_kind_and_wire():
    texts = ["Rail spending rises by a fifth under the budget passed on Wednesday.",
             "Lawmakers approved more money for trains, twenty percent above last year.",
             "The new budget lifts the rail budget by one fifth, the minister said today.",
             "A fifth more for railways: parliament backs the spending plan after debate."]
    docs = [_document("d1", texts[0], outlet="Paper A", owner="Group X", kind="newspaper"),
            _document("d2", texts[1], outlet="Paper B", owner="Group X", kind="newspaper"),
            _document("d3", texts[2], outlet="Press Office", kind="press-release"),
            _document("d4", texts[3], outlet="Encyclopedia", kind="encyclopedia")]
    sources = Sources({d.id: d for d in docs})
    spans = [_whole(d) for d in docs]
    assert count_outlets(spans, sources) == 4
    assert count_origins(spans, sources) == 1
    assert count_origins(spans[2:], sources) == 1  # no news kind at all: one origin, never two
    other = _document("d5", "Radio C heard from the minister that trains get a fifth more money.", outlet="Radio C", kind="broadcaster")
    sources = Sources({d.id: d for d in [*docs, other]})
    assert count_origins([*spans, _whole(other)], sources) == 2
    # A wire's own report and an outlet crediting that wire are one origin.
    wire = _document("d6", texts[0], outlet="Reuters", kind="wire")
    credit = _document("d7", "Rail spending goes up by a fifth, Reuters reported on Wednesday.", outlet="Paper D")
    sources = Sources({d.id: d for d in (wire, credit)})
    assert count_origins([_whole(wire), _whole(credit)], sources) == 1


_SENTENCE = ("The regional parliament of Norland approved a new budget on Wednesday after a debate that "
             "lasted two days and raised spending on rail lines by a fifth").split()


def _copies(count: int, *, seed: int, edits: int) -> tuple[list[Span], Sources]:
    """``count`` outlets' copies of one sentence, each with ``edits`` words replaced."""
    rng = random.Random(seed)
    documents = {}
    for number in range(count):
        words = list(_SENTENCE)
        for _ in range(edits):
            words[rng.randrange(len(words))] = f"word{rng.randrange(10 * count)}"
        document = _document(f"d{number}", " ".join(words), outlet=f"Outlet {number}")
        documents[document.id] = document
    return [_whole(d) for d in documents.values()], Sources(documents)


def test_a_thousand_near_copies_are_one_origin_without_comparing_every_pair():
    spans, sources = _copies(1000, seed=7, edits=1)
    assert len({s.text for s in spans}) > 900  # nearly all differ from one another
    assert count_origins(spans, sources) == 1
    # A thousand different sentences stay a thousand origins.
    rng = random.Random(3)
    documents = {}
    for number in range(1000):
        text = " ".join(f"w{rng.randrange(5000)}" for _ in range(20))
        documents[f"d{number}"] = _document(f"d{number}", text, outlet=f"Outlet {number}")
    assert count_origins([_whole(d) for d in documents.values()], Sources(documents)) == 1000


def _brute_force_origins(spans: list[Span], threshold: float = 0.85) -> int:
    """Components of outlets joined by every near-duplicate pair, comparing all pairs."""
    words = [[w.lower() for w in span.text.split()] for span in spans]
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(spans)):
        for j in range(i + 1, len(spans)):
            if min(len(words[i]), len(words[j])) >= 6 and \
                    SequenceMatcher(None, words[i], words[j], autojunk=False).ratio() >= threshold:
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(spans))})


@pytest.mark.parametrize("seed", range(8))
def test_near_duplicates_found_as_comparing_every_pair_would(seed):
    # Copies with 0-5 edited words: some pairs fall just above the threshold, some just below.
    spans, sources = _copies(60, seed=seed, edits=seed % 4 + 1)
    assert count_origins(spans, sources) == _brute_force_origins(spans)


def test_two_short_stock_phrases_are_two_origins():
    # Why: "The boy was pronounced dead at the scene." and "The teen was
    # pronounced dead at the scene." in two local outlets were counted as one
    # reworded text, so a fact two outlets reported stayed single-source.
    one = _document("a", "The boy was pronounced dead at the scene.", outlet="Marlow Herald")
    two = _document("b", "The teen was pronounced dead at the scene.", outlet="Orrin Daily")
    assert count_origins([_whole(one), _whole(two)], Sources({"a": one, "b": two})) == 2
    # A longer sentence reworded by a word or two is still one text.
    long_one = _document("c", "The boy, who lived in the 900 block of West Street, was pronounced dead at the scene.",
                         outlet="Marlow Herald")
    long_two = _document("d", "The teen, who lived in the 900 block of West Street, was pronounced dead at the scene.",
                         outlet="Orrin Daily")
    assert count_origins([_whole(long_one), _whole(long_two)], Sources({"c": long_one, "d": long_two})) == 1
