"""A pile of several stories: ``accord dossier PILE -o DIR/`` groups first and
writes one dossier per story with an index; one file for several stories is a
usage error; the Python API mirrors it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import accord
from accord.errors import UsageError
from accord.render import validate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "rubio-lavrov-2025-07"
EXAMPLE = ROOT / "examples" / "darin-river-accord"
ALLSIDES = SHARED / "bench" / "allsides" / "roundups-2021.jsonl"
ROUNDUPS = 2  # AllSides roundups mixed in, each with its three articles


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pile(tmp_path_factory) -> tuple[Path, list[set[str]]]:
    """A folder mixing the five reports, the example's four, and the articles
    of a few AllSides roundups (as a JSON Lines export, written from
    ../shared at test time); with the sources of each true story."""
    if not CORPUS.is_dir() or not ALLSIDES.is_file():
        pytest.skip("the shared corpora are not here")
    folder = tmp_path_factory.mktemp("pile")
    stories = []
    for source in (CORPUS, EXAMPLE):
        names = set()
        for report in sorted(source.glob("*.txt")):
            shutil.copy(report, folder / f"{source.name}-{report.name}")
            names.add(f"{source.name}-{report.name}")
        stories.append(names)
    records, roundups = [], 0
    with ALLSIDES.open(encoding="utf-8") as lines:
        for line in lines:
            roundup = json.loads(line)
            articles = [a for a in (roundup.get("news") or {}).values() if a and a.get("newBody")]
            if len(articles) < 3:
                continue
            # A hostile title on one article: the index must show it as text.
            first = len(records)
            for article in articles:
                records.append({
                    "text": "\n".join(p.strip() for p in article["newBody"] if p.strip()),
                    "title": article.get("newsTitle"), "outlet": article.get("newsSource"),
                    "url": article.get("newsLink"),
                })
            stories.append({f"allsides.jsonl:{n}" for n in range(first + 1, len(records) + 1)})
            roundups += 1
            if roundups == ROUNDUPS:
                break
    for record in records[:3]:
        record["title"] = "<script>window.hacked=1</script>" + (record["title"] or "")
    (folder / "allsides.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return folder, stories


def _story_of_source(index: dict) -> dict[str, str]:
    return {Path(source).name: story["id"] for story in index["stories"] for source in story["sources"]}


@pytest.mark.slow
def test_a_folder_of_stories_gets_a_dossier_each_and_an_index(pile, tmp_path):
    folder, truth = pile
    out = tmp_path / "dossiers"
    result = _run("dossier", str(folder), "-o", f"{out}/", "-q")
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    stories = index["stories"]
    # The five reports and the example are one story each, apart from the rest.
    where = _story_of_source(index)
    for names in truth[:2]:
        assert len({where[n] for n in names}) == 1
    assert where[next(iter(truth[0]))] != where[next(iter(truth[1]))]
    assert len(stories) >= len(truth)
    assert sum(len(s["documents"]) for s in stories) == sum(len(t) for t in truth)
    for story in stories:
        page = out / story["dossier"]
        assert page.name == f"{story['id']}.html" and page.is_file()
        assert set(story["counts"]) >= {"documents", "facts", "corroborated", "conflicts"}
        assert story["counts"]["corroborated"] <= story["counts"]["facts"]
    # Each dossier holds its story's documents only.
    rubio = next(s for s in stories if s["id"] == where[next(iter(truth[0]))])
    assert rubio["counts"]["documents"] == 5 and rubio["counts"]["corroborated"] >= 1 and rubio["first_published"]
    text = (out / rubio["dossier"]).read_text(encoding="utf-8")
    assert "Darin" not in text
    # JSON dossiers by --format validate against the contract.
    out_json = tmp_path / "json"
    result = _run("dossier", str(folder / "darin-river-accord-01-harbour-ledger.txt"),
                  str(folder / "darin-river-accord-02-kelvar-morning-post.txt"), "-o", f"{out_json}/",
                  "--format", "json", "-q")
    assert result.returncode == 0, result.stderr
    only = json.loads((out_json / "index.json").read_text(encoding="utf-8"))
    assert [s["dossier"] for s in only["stories"]] == ["s1.json"]
    validate(json.loads((out_json / "s1.json").read_text(encoding="utf-8")))

    # The index page is escaped: the hostile title is text, not markup.
    html = (out / "index.html").read_text(encoding="utf-8")
    assert any("<script>" in (s["title"] or "") for s in stories)
    assert "<script" not in html and "&lt;script&gt;" in html

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.links: list[str] = []
            self.loads: list[str] = []

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if tag == "a":
                self.links.append(found["href"])
            if tag in ("script", "img", "link", "iframe"):
                self.loads.append(tag)

    parser = Links()
    parser.feed(html)
    assert parser.links == [s["dossier"] for s in stories] and not parser.loads


@pytest.mark.slow
def test_one_file_for_several_stories_is_a_usage_error_naming_the_options(pile, tmp_path):
    folder, _ = pile
    result = _run("dossier", str(folder), "-o", str(tmp_path / "one.html"), "-q")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and "stories" in line
    assert "-o DIR/" in line and "--story ID" in line and "--one-story" in line
    assert not (tmp_path / "one.html").exists()
    # --story picks one story of the pile; --one-story forces one dossier.
    result = _run("dossier", str(folder), "--story", "s2", "-o", str(tmp_path / "s2.json"), "-q")
    assert result.returncode == 0, result.stderr
    chosen = json.loads((tmp_path / "s2.json").read_text(encoding="utf-8"))
    assert chosen["story"]["id"] == "s2" and 0 < len(chosen["documents"]) < 18
    result = _run("dossier", str(folder), "--story", "s99", "-o", str(tmp_path / "none.json"), "-q")
    assert result.returncode == 2 and "s99" in result.stderr
    result = _run("dossier", str(folder / "rubio-lavrov-2025-07-000_899cae0fea57d263.txt"),
                  str(EXAMPLE / "01-harbour-ledger.txt"), "--one-story", "-o", str(tmp_path / "all.json"), "-q")
    assert result.returncode == 0, result.stderr
    assert len(json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["documents"]) == 2


def test_the_api_mirrors_the_command():
    a = accord.Article("The Kelvar council voted on Monday to close the old Darin bridge to lorries, the mayor said.",
                       title="Kelvar closes Darin bridge to lorries", outlet="Kelvar Post", published="2026-02-02")
    b = accord.Article("Lorries may no longer cross the old Darin bridge after Monday's vote by Kelvar council.",
                       title="Darin bridge shut to lorries", outlet="Valley News", published="2026-02-02")
    c = accord.Article("Astronomers in Chile found a comet that will pass close to Jupiter in 2031.",
                       title="Comet to pass Jupiter", outlet="Science Daily", published="2026-02-03")
    made = accord.dossiers([a, b, c])
    # Ids follow the inputs' canonical order (outlet, here: Kelvar Post, Science
    # Daily, Valley News), not the order they were given in.
    assert [[(d.id, d.outlet) for d in m.documents] for m in made] == [
        [("d1", "Kelvar Post"), ("d3", "Valley News")], [("d2", "Science Daily")]]
    assert [[d.id for d in m.documents] for m in accord.dossiers([c, b, a])] == [["d1", "d3"], ["d2"]]
    assert [m.story.id for m in made] == ["s1", "s2"]
    with pytest.raises(UsageError, match="2 stories.*dossiers"):
        accord.dossier([a, b, c], one_story=False)
    assert len(accord.dossier([a, b, c]).documents) == 3  # one_story=True: every document one story
    assert len(accord.dossier([a, b], one_story=False).documents) == 2


def test_the_index_page_in_a_browser_lists_every_story(pile, tmp_path):
    from browser import browser, chromium

    chromium()
    folder, _ = pile
    out = tmp_path / "dossiers"
    assert _run("dossier", str(folder), "-o", f"{out}/", "-q").returncode == 0
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    from selenium.webdriver.common.by import By

    with browser() as session:
        session.get((out / "index.html").as_uri())
        rows = session.find_elements(By.CSS_SELECTOR, "tr.story")
        assert [r.get_attribute("id") for r in rows] == [s["id"] for s in index["stories"]]
        for row, story in zip(rows, index["stories"]):
            assert row.find_element(By.TAG_NAME, "a").text == (story["title"] or "Untitled story")
        assert session.execute_script("return window.hacked === undefined")
        # Following a link opens that story's dossier.
        rows[0].find_element(By.TAG_NAME, "a").click()
        assert session.current_url.endswith(index["stories"][0]["dossier"])
        assert index["stories"][0]["title"] in session.title
