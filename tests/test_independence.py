"""Independence: reprints and wire copies count once."""

from __future__ import annotations

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
                   "and the subsidy for regional airports is cut, officials said.")
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
