"""Language identification: the quality gate of bench/langid.py and what a
report not in English becomes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import bench_module
import accord
from accord.ingest.metadata import guess_language

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    return bench_module("langid")


def test_short_news_texts_in_eighteen_languages_are_identified():
    bench = _bench()
    rows = [json.loads(line) for line in bench.SAMPLES.open(encoding="utf-8")]
    per_language, overall = bench.accuracy(guess_language, rows)
    _, baseline = bench.accuracy(bench.stopword_language, rows)
    # Gate at the figure reached (1.000 on 99 texts; one miss allowed).
    assert overall >= 0.98
    assert overall > baseline + 0.3
    assert per_language["pl"] == 1.0 and per_language["ko"] == 1.0


def test_english_reports_stay_english(corpus_dir):
    paths = sorted(corpus_dir.iterdir())
    assert paths
    for path in paths:
        assert guess_language(path.read_text(encoding="utf-8")) == "en", path.name


def test_polish_and_korean_reports_are_kept_and_not_analysed_as_english():
    polish = accord.Article("Rada miasta przyjęła we wtorek nowy budżet po miesiącach dyskusji. "
                            "Według policji dwie osoby zostały ranne.", title="Budżet")
    korean = accord.Article("시의회는 수개월간의 논의 끝에 화요일 새 예산안을 승인했다. 경찰에 따르면 두 명이 다쳤다.",
                            title="예산")
    batch = accord.analyze([polish, korean])
    assert [d.language for d in batch.documents] == ["pl", "ko"]
    assert all(not a.claims and not a.quotes for a in batch.analyses)


def test_text_without_letters_has_no_language():
    assert guess_language("12 345 — 678") is None
