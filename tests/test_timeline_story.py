"""The timeline tells the story's events; dates it only looks back to are kept
apart, and boilerplate gives it none (issue 24)."""

from __future__ import annotations

import accord


def _timeline() -> list:
    articles = [
        accord.Article("The council of Darrow approved the new flood barrier on 3 March 2025 after a vote of nine to two.\n\n"
                       "Mayor Ann Lowe, in her role since 2004, welcomed the vote at the town hall.\n\n"
                       "Darrow was founded in 1859 on the bank of the river.",
                       outlet="Darrow Courier", published="2025-03-04"),
        accord.Article("Darrow's council approved the flood barrier on 3 March 2025, with nine votes to two.\n\n"
                       "Work on the barrier will start in June 2025, the council said.",
                       outlet="River Daily", published="2025-03-04"),
    ]
    return accord.dossier(articles).timeline


def test_background_dates_are_kept_apart_from_the_story_events():
    entries = {e.date[:4] if e.precision == "year" else e.date[:7]: e for e in _timeline()}
    events = {key for key, e in entries.items() if not e.background}
    background = {key for key, e in entries.items() if e.background}
    assert "2025-03" in events  # the vote
    assert "2004" in background  # "in her role since 2004"
    assert "1859" in background  # a founding year
    assert not events & {"2004", "1859"}


def test_the_json_of_an_entry_says_whether_it_is_background():
    entry = _timeline()[0].to_dict()
    assert isinstance(entry["background"], bool)


def test_no_timeline_entry_comes_from_boilerplate_or_a_headline(corpus_dossier, example_dossier):
    import accord as api

    for dossier in (corpus_dossier, example_dossier):
        batch = api.analyze([api.Article(d.text, outlet=d.outlet, published=d.published) for d in dossier.documents])
        kinds = {(c.span.start, c.span.end, c.span.text): c.passage for a in batch.analyses for c in a.claims}
        for entry in dossier.timeline:
            for span in entry.support:
                assert kinds.get((span.start, span.end, span.text)) not in ("boilerplate", "headline"), span.text
