"""Quality gates of the conflicts (figures from bench/conflicts.py).

Roundup dev set (bench/facts/labels, 42 stories, 11 gold conflicts): issue
10's conflicts reached precision 1.000 (7/7) and recall 0.636, the
same-unit-numbers baseline 0.178 and 0.364; issue 20's (2026-12-06) keep
recall 0.636 at precision 1.000 (8/8) and mark 6 of 370 facts disputed
(16 before), every one with a labelled dispute.

Long-form dev set (bench/facts/longform/labels, 65 BASIL triplets and GVC
incidents, 35 gold conflicts, 16 of them minor): with days of one event,
ages of a child, streets of a block, times told after an event noun and
parts of the day (2026-12-06, second round), precision 1.000 (7/7) and
recall 0.261 on the even half, 0.857 (6/7) and 0.500 on the odd half
(first round: 0.174 and 0.250; issue 10's stage: precision 0.000); 6 of
2,297 facts disputed; see README's Figures. Third round (places of one
person or of the shooting, a negation traded in a quotation, weekdays of
reports days apart left alone, a victim told as an adult and as a minor):
precision 1.000 (9/9) and recall 0.348 on the even half, 1.000 (8/8) and
0.667 on the odd half; 4 of 2,132 facts disputed. The gate reads eleven long-form stories whose analyses are
quick: nine with a conflict accord finds (a figure one digit apart, a
named person's age, a child's age, a street, a time after an event noun,
a part of the day against a clock time, a student placed in two cities,
the neighbourhood of a shooting, a negation traded in a quotation, a
victim told as a man and as a 16-year-old) and two where issue 10's rule
listed only false ones (seven stance conflicts on one GVC incident; an age
of a son given to another son): 11 of 11 predicted are right and 10 of 15
gold found. Skipped where the labels are
not in the tree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import conflicts as bench  # noqa: E402
import devset  # noqa: E402

pytestmark = pytest.mark.slow

#: Long-form stories of the gate (see the module's docstring).
LONGFORM_GATE = ("basil-40", "gvc-295502", "gvc-594187", "gvc-583879", "gvc-653539", "gvc-548991", "gvc-730637",
                 "gvc-666472", "basil-20", "basil-10", "gvc-356646")


def test_conflict_precision_and_recall_on_the_dev_set():
    keys = bench.labelled_keys(devset.LABELS)
    if not keys:
        pytest.skip(f"no conflict labels in {devset.LABELS}")
    score = bench.evaluate(devset.LABELS, keys)["accord"]
    assert score.gold >= 10
    assert score.precision >= 0.85
    assert score.recall >= 0.6


def test_longform_conflicts_are_real_and_disputed_facts_are_disputed():
    keys = [k for k in bench.longform_keys() if k in LONGFORM_GATE]
    if len(keys) < len(LONGFORM_GATE):
        pytest.skip(f"long-form conflict labels missing in {devset.LONGFORM_LABELS}")
    stories = [bench.load_story(k, devset.LONGFORM_LABELS, None) for k in keys]
    result = bench.evaluate_stories(stories, {"accord": bench.accord_method})["accord"]
    assert result.score.gold >= 15
    assert result.score.precision >= 0.9
    assert result.score.found >= 10
    assert result.disputed.share <= 0.05
    for story in stories:
        _, facts = bench.accord_method(story)
        assert all(bool(f.disputed_by) == (f.status == "disputed") for f in facts)
