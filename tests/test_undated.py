"""Relative times of reports without a date: resolved against the nearest
dated report of their own story, never moved by an unrelated one (issue 15).

The reports are invented for these tests."""

from __future__ import annotations

import accord
from accord.pipeline import story_analyses

PACT = [
    accord.Article(
        "Veltria and Ostmark signed the Darin River water pact in Kelvar on Tuesday, after talks led by "
        "Lena Brandt of the Veltrian water ministry. Ostmark said on Tuesday that the pact ends a decade of "
        "dispute over the Darin River.", outlet="Kelvar Courier"),
    accord.Article(
        "Lena Brandt said on Tuesday that Veltria would release more water from the Darin River dam under the "
        "pact signed with Ostmark in Kelvar. Farmers in Ostmark welcomed the Darin River deal.",
        outlet="River Post"),
]
PACT_DATED = accord.Article(
    "Veltria and Ostmark signed a pact on the Darin River in Kelvar on Tuesday. Lena Brandt, who led the talks, "
    "said the pact would be reviewed in a year.", outlet="Ostmark Daily", published="2026-03-05")
# Another story, another year: a football final in another country.
UNRELATED = accord.Article(
    "Porto Azul beat Santa Marta 2-1 in the cup final at the Estadio Mar on Tuesday. Coach Rui Duarte said "
    "the Porto Azul players had earned the trophy, and Santa Marta fans left the Estadio Mar in silence.",
    outlet="Sport Diario", published="2019-11-14")


def _times(analyses, outlet: str) -> list[tuple[str, str]]:
    analysis = next(a for a in analyses if a.document.outlet == outlet)
    return [(t.span.text, t.date) for t in analysis.times]


def test_an_unrelated_dated_report_does_not_move_undated_reports_dates() -> None:
    alone = accord.analyze(PACT).analyses
    assert story_analyses(alone) == alone  # nothing dated: "Tuesday" stays unresolved
    assert all(not a.times for a in alone)
    with_other = accord.analyze([*PACT, UNRELATED])
    # grouped into stories, the football report is a story of its own ...
    made = accord.dossiers(with_other)
    pact = next(d for d in made if any(doc.outlet == "River Post" for doc in d.documents))
    assert all(doc.outlet != "Sport Diario" for doc in pact.documents)
    assert not any(entry.date.startswith("2019") for entry in pact.timeline)
    # ... and even taken as one story it shares no names with the pact reports
    resolved = story_analyses(with_other.analyses)
    for outlet in ("Kelvar Courier", "River Post"):
        assert _times(resolved, outlet) == []
    one_story = accord.dossier(with_other)  # d1, d2: the pact reports
    assert not any(entry.date.startswith("2019") and any(s.doc in ("d1", "d2") for s in entry.support)
                   for entry in one_story.timeline)


def test_an_undated_report_resolves_against_its_story_dated_report() -> None:
    batch = accord.analyze([*PACT, PACT_DATED, UNRELATED])
    resolved = story_analyses(batch.analyses)
    for outlet in ("Kelvar Courier", "River Post"):
        times = _times(resolved, outlet)
        # 5 March 2026 was a Thursday: "Tuesday" is the 3rd, not a day of 2019
        assert times and all(date == "2026-03-03" for _, date in times), times
    assert _times(resolved, "Ostmark Daily") == [("Tuesday", "2026-03-03")]


def test_an_undated_report_takes_the_dated_report_nearest_to_its_own_dates() -> None:
    later = accord.Article(PACT_DATED.text.replace("on Tuesday", "on Friday"), outlet="Veltria Today",
                           published="2026-09-20")
    undated = accord.Article(PACT[1].text.replace("Farmers", "In a statement dated 4 March 2026, farmers"),
                             outlet="River Post")
    resolved = story_analyses(accord.analyze([PACT_DATED, later, undated]).analyses)
    assert ("Tuesday", "2026-03-03") in _times(resolved, "River Post")
