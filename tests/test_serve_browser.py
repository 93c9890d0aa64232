"""accord serve in a real headless Chromium (issue 24): the story list newest
first by last publication with every story's counts, a document page's links
to its stories, the CSV export links, and the "what changed" view of a story
whose dossier has two versions."""

from __future__ import annotations

import csv
import dataclasses
import io
import urllib.request
from pathlib import Path

import pytest

import accord
from accord.serve import create_app
from accord.settings import DEFAULT
from accord.store import Store

from browser import browser, screenshot, served
from conftest import CORPUS, EXAMPLE

pytestmark = pytest.mark.slow

LATE = accord.Article("The harbour authority of Velmora said on Monday that its new pier would open in May. "
                      "Officials said the pier cost 40 million.", title="Velmora pier", outlet="Velmora Post",
                      published="2030-05-04")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A read-only app over a store holding the five reports (their story's
    dossier made at three reports, then at five: two versions), the example
    story and a later one-report story added first; its base URL and the
    five reports' story id."""
    path: Path = tmp_path_factory.mktemp("serve-browser") / "news.db"
    reports = sorted(str(p) for p in CORPUS.iterdir())
    with Store.open(path) as store:
        store.add([LATE])  # newest first must not follow the order of adding
        grown = store.add(reports[:3]).stories[0]
        store.dossier(grown)
        store.add(reports[3:] + [str(EXAMPLE)])
        store.dossier(grown)
    # Time enough for the list to count every story in one view on a loaded machine.
    settings = dataclasses.replace(DEFAULT, serve_count_seconds=120.0)
    app = create_app(str(path), settings=settings)
    with served(app) as base:
        yield base, grown, app.test_client()


def _ids_in_order(page) -> list[str]:
    from selenium.webdriver.common.by import By

    return [row.find_element(By.CSS_SELECTOR, "td .muted").text.strip()
            for row in page.find_elements(By.CSS_SELECTOR, "table.stories tbody tr")]


def test_in_a_browser_the_list_is_newest_first_with_every_story_s_counts(site):
    from selenium.webdriver.common.by import By

    base, _, client = site
    with browser() as page:
        page.get(base + "/")
        ids = _ids_in_order(page)
        screenshot(page, "serve-browser-list")
        cells = [[td.text.strip() for td in row.find_elements(By.CSS_SELECTOR, "td.n")]
                 for row in page.find_elements(By.CSS_SELECTOR, "table.stories tbody tr")]
    rows = {r["id"]: r for r in client.get("/api/stories").get_json()["stories"]}
    assert sorted(ids) == sorted(rows) and len(ids) >= 3
    lasts = [rows[i]["last_published"] or rows[i]["first_published"] or "" for i in ids]
    assert lasts == sorted(lasts, reverse=True)
    assert rows[ids[0]]["title"] == LATE.title
    for story_id, (documents, corroborated, conflicts) in zip(ids, cells):
        dossier = client.get(f"/api/stories/{story_id}").get_json()
        assert int(documents) == len(dossier["documents"])
        assert int(corroborated) == sum(1 for f in dossier["facts"] if f["status"] == "corroborated")
        assert int(conflicts) == len(dossier["conflicts"])


def test_in_a_browser_a_document_page_links_to_its_story(site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    base, grown, _ = site
    with browser() as page:
        page.get(f"{base}/stories/{grown}/documents")
        page.find_elements(By.CSS_SELECTOR, "a.document")[-1].click()
        WebDriverWait(page, 30).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".doctext")))
        links = page.find_elements(By.CSS_SELECTOR, "dd.stories a")
        assert [link.get_attribute("href") for link in links] == [f"{base}/stories/{grown}"]
        screenshot(page, "serve-browser-document")
        links[0].click()
        WebDriverWait(page, 60).until(ready.presence_of_element_located((By.CSS_SELECTOR, "header.masthead h1")))
        assert page.current_url == f"{base}/stories/{grown}"
        assert page.find_elements(By.CSS_SELECTOR, "#facts")


def test_in_a_browser_the_csv_links_give_the_story_s_tables(site):
    from selenium.webdriver.common.by import By

    base, grown, client = site
    with browser() as page:
        page.get(f"{base}/stories/{grown}/documents")
        links = {a.text.strip(): a.get_attribute("href") for a in page.find_elements(By.CSS_SELECTOR, "a.csv")}
    dossier = client.get(f"/api/stories/{grown}").get_json()
    assert set(links) == {"facts", "quotes", "conflicts", "coverage"}
    for table, href in links.items():
        with urllib.request.urlopen(href, timeout=60) as response:  # noqa: S310 - the test's own server
            assert response.headers.get_content_type() == "text/csv"
            assert "attachment" in response.headers.get("Content-Disposition", "")
            rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
        assert len(rows) == len(dossier[table])


def test_in_a_browser_what_changed_since_a_version(site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    base, grown, client = site
    changes = client.get(f"/api/stories/{grown}?since=1").get_json()["changes"]
    assert changes["facts"]["new"]
    with browser() as page:
        page.get(f"{base}/stories/{grown}/documents")
        versions = page.find_elements(By.CSS_SELECTOR, "table.versions tbody tr")
        assert [row.find_element(By.CSS_SELECTOR, "td").text for row in versions] == ["2", "1"]
        screenshot(page, "serve-browser-versions")
        versions[-1].find_element(By.CSS_SELECTOR, "a.since").click()
        WebDriverWait(page, 60).until(ready.presence_of_element_located((By.ID, "changes")))
        assert page.current_url == f"{base}/stories/{grown}?since=1"
        section = page.find_element(By.ID, "changes")
        assert section.find_element(By.TAG_NAME, "h2").text == "What changed since version 1"
        new = section.find_elements(By.CSS_SELECTOR, "ul.changed-facts.new li")
        assert [li.find_element(By.TAG_NAME, "a").text for li in new] == [f["id"] for f in changes["facts"]["new"]]
        # Each new fact links to its row in the dossier's facts.
        first = new[0].find_element(By.TAG_NAME, "a")
        first.click()
        WebDriverWait(page, 10).until(lambda p: p.current_url.endswith(f"#fact-{first.text}"))
        assert page.find_element(By.ID, f"fact-{first.text}").find_element(By.CSS_SELECTOR, "td.fact").text.strip()
        outlets = [li.text for li in section.find_elements(By.CSS_SELECTOR, "ul.changed-outlets li.new")]
        assert outlets == [f"new: {o}" for o in changes["outlets"]["new"]]
        # The contents lead with it, and the rest of the dossier follows.
        assert page.find_element(By.CSS_SELECTOR, "nav.toc a").get_attribute("href").endswith("#changes")
        assert page.find_elements(By.CSS_SELECTOR, "#facts table.facts")
        screenshot(page, "serve-browser-what-changed")
        # The app bar sits at the top, scrolled away (smoothly) by the jump to the fact: followed by its address.
        page.get(page.find_element(By.LINK_TEXT, "Documents and versions").get_attribute("href"))
        WebDriverWait(page, 30).until(ready.presence_of_element_located((By.CSS_SELECTOR, "table.versions")))
        page.get(f"{base}/stories/{grown}?since=9")
        assert "no version 9" in page.find_element(By.TAG_NAME, "main").text
