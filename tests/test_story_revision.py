"""Stories revised as documents arrive: a late document that shows two stories
to be one merges them (one id kept, the other an alias that still resolves), a
wrongly joined story can be split, a store grouped by other settings is
re-placed rather than refused, and every change is recorded."""

from __future__ import annotations

import dataclasses

import accord
import pytest

from accord.group import StoryIndex, group_stories
from accord.model import Analysis
from accord.settings import DEFAULT
from accord.store import Store

# Invented reports of one flood: the first tells the flood, the second the
# cracked dam, and the later ones tell both, showing they are one event.
_REPORTS = [
    "Flooding on the Varn river forced the evacuation of Mellick village on Tuesday, where brown water rose above "
    "the old mill and swamped the orchards.",
    "Engineers inspecting the Tarrow dam on Tuesday found deep cracks in its spillway and ordered the reservoir "
    "behind it lowered at once.",
    "Cracks in the spillway of the Tarrow dam released water into the Varn river on Tuesday, flooding Mellick "
    "village; engineers lowered the reservoir as the village was evacuated.",
    "The Varn river flooded Mellick village on Tuesday after the cracked spillway of the Tarrow dam gave way; the "
    "reservoir was lowered and families left the old mill district.",
    "Mellick village on the Varn river was evacuated on Tuesday: engineers said cracks in the Tarrow dam spillway "
    "let the reservoir spill, and the orchards were swamped.",
    "Water from the Tarrow dam reservoir poured through the cracked spillway into the Varn river on Tuesday, and "
    "Mellick village, its old mill and orchards were evacuated.",
]
_OTHER = ("Astronomers at the Calder observatory found a comet that will pass close to Jupiter in 2031, "
          "the observatory's director said on Wednesday.")


def _articles() -> list[accord.Article]:
    return [accord.Article(text, outlet=f"Outlet {n}", published="2026-04-07") for n, text in enumerate(_REPORTS, 1)]


def _nothing_found(documents):
    return (Analysis(d) for d in documents)


def test_two_stories_shown_to_be_one_are_merged_and_the_other_id_is_an_alias(tmp_path):
    path = tmp_path / "news.db"
    with Store.open(path, analyzer=_nothing_found) as store:
        ids = []
        for article in _articles():
            ids.extend(store.add(article).documents)
            if len(ids) == 2:
                assert [s.documents for s in store.stories()] == [["d1"], ["d2"]]
        stories = store.stories()
        assert [(s.id, s.documents) for s in stories] == [("s1", ids)]
    # Added at once, the summary names the story kept, not the merged one.
    with Store.open(":memory:", analyzer=_nothing_found) as fresh:
        assert fresh.add(_articles()).stories == ["s1"]
    with Store.open(path, analyzer=_nothing_found) as store:
        # The merged story's id still resolves, to the story kept.
        assert store.resolve("s2") == "s1" and store.story("s2").id == "s1"
        assert store.story("s2").documents == ids
        assert store.counts("s2")["documents"] == len(ids)
        changes = store.changes()
        assert [c["kind"] for c in changes[:2]] == ["start", "start"]
        merge = [c for c in changes if c["kind"] == "merge"]
        assert len(merge) == 1 and merge[0]["story"] == "s1" and merge[0]["other"] == "s2"
        assert set(merge[0]["documents"]) >= {"d2"}
    # Batch and online agree: grouping the same documents at once gives one story.
    batch = accord.ingest(_articles())
    assert [s.documents for s in group_stories(batch.documents)] == [ids]
    # Reopened, the store replays the same stories: nothing is re-placed.
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(accord.Article(_OTHER, outlet="Sky Weekly", published="2026-04-08"))
        assert [s.id for s in store.stories()] == ["s1", "s3"]
        assert not [c for c in store.changes() if c["kind"] == "replace"]


def test_a_wrongly_joined_story_is_split_and_the_split_survives_reopening(tmp_path):
    path = tmp_path / "news.db"
    with Store.open(path, analyzer=_nothing_found) as store:
        for article in _articles()[2:4]:
            store.add(article)
        (story,) = store.stories()
        new = store.split(story.id, ["d2"])
        assert new.documents == ["d2"] and store.story(story.id).documents == ["d1"]
        assert store.changes()[-1] | {"after": 0} == {"kind": "split", "story": story.id, "other": new.id,
                                                       "documents": ["d2"], "after": 0}
    with Store.open(path, analyzer=_nothing_found) as store:
        store.add(accord.Article(_OTHER, outlet="Sky Weekly", published="2026-04-08"))
        assert [s.documents for s in store.stories()] == [["d1"], ["d2"], ["d3"]]
        assert not [c for c in store.changes() if c["kind"] == "replace"]


def test_a_store_grouped_by_other_settings_is_re_placed_not_refused(tmp_path):
    path = tmp_path / "news.db"
    strict = dataclasses.replace(DEFAULT, story_threshold=0.95, story_merge_threshold=0.0, story_recluster=False)
    with Store.open(path, analyzer=_nothing_found, settings=strict) as store:
        for article in _articles()[2:5]:
            store.add(article)
        assert len(store.stories()) == 3
    with Store.open(path, analyzer=_nothing_found) as store:
        moved = store.regroup()
        assert moved == 2
        assert [(s.id, s.documents) for s in store.stories()] == [("s1", ["d1", "d2", "d3"])]
        assert store.resolve("s2") == "s1" and store.resolve("s3") == "s1"
        replaced = [c for c in store.changes() if c["kind"] == "replace"]
        assert sorted(d for c in replaced for d in c["documents"]) == ["d2", "d3"]


def test_the_index_merges_splits_and_resolves_keys():
    batch = accord.ingest(_articles())
    index = StoryIndex()
    keys = [index.add(d) for d in batch.documents]
    assert keys[:2] == [1, 2] and keys[-1] == 1 and index.resolve(2) == 1
    assert index.changes == [("merge", 1, 2)]
    new = index.split(1, ["d1"])
    assert index.story(new).documents == ["d1"] and "d1" not in index.story(1).documents
    assert index.story_of("d1") == new


def _gvc_half() -> tuple[list[accord.Article], dict[str, str]]:
    """The GVC reports of the incidents of odd rank (read from ../shared), as
    articles, and gold: url -> incident."""
    import json

    from conftest import SHARED

    path = SHARED / "bench" / "longform" / "gvc-dev.jsonl"
    if not path.is_file():
        pytest.fail(f"the shared GVC reports are missing: {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ranks = {story: n for n, story in enumerate(sorted({str(r["story"]) for r in rows}), start=1)}
    rows = [r for r in rows if ranks[str(r["story"])] % 2 == 1]
    articles = [accord.Article(r["text"], title=r.get("title"), outlet=r.get("outlet"), published=r.get("published"),
                               url=r["url"]) for r in rows]
    return articles, {r["url"]: str(r["story"]) for r in rows}


def _f1(groups: list[list[str]], gold: dict[str, str]) -> float:
    size: dict[str, int] = {}
    for story in gold.values():
        size[story] = size.get(story, 0) + 1
    precision = recall = 0.0
    for group in groups:
        for item in group:
            shared = sum(1 for other in group if gold[other] == gold[item])
            precision += shared / len(group)
            recall += shared / size[gold[item]]
    precision, recall = precision / len(gold), recall / len(gold)
    return 2 * precision * recall / (precision + recall)


def test_a_store_fed_in_two_orders_ends_at_the_grouping_of_the_pile(tmp_path):
    """Issue 21: with ``story_recluster`` each document re-clusters its
    neighbourhood, so a store ends within 0.01 BCubed F1 of the pile (the
    same documents clustered at once), whatever order they came in."""
    import random

    articles, gold = _gvc_half()
    settings = dataclasses.replace(DEFAULT, story_recluster=True)
    pile_f1 = None
    for seed in (1, 2):
        order = random.Random(seed).sample(articles, len(articles))
        with Store.open(tmp_path / f"order{seed}.db", analyzer=_nothing_found, settings=settings) as store:
            for start in range(0, len(order), 40):
                store.add(order[start:start + 40])
            url = {d.id: d.url for d in store.documents()}
            stored = _f1([[url[d] for d in s.documents] for s in store.stories()], gold)
            if pile_f1 is None:
                pile_f1 = _f1([[url[d] for d in s.documents] for s in group_stories(store.documents())], gold)
            assert store.check() == []
            assert any(c["kind"] in ("merge", "split") for c in store.changes())
        assert abs(stored - pile_f1) <= 0.01, (seed, stored, pile_f1)
    assert pile_f1 is not None and pile_f1 > 0.95
