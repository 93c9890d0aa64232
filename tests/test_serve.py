"""accord serve: the web app over a store, through Flask's test client and in a
real headless browser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

import accord
from accord.serve import create_app
from accord.store import Store

from browser import browser, screenshot, served
from conftest import CORPUS, EXAMPLE

ROOT = Path(__file__).resolve().parents[1]
API_SCHEMA = json.loads((ROOT / "schema" / "api.schema.json").read_text(encoding="utf-8"))


def _valid(instance: dict, definition: str) -> None:
    jsonschema.validate(instance, {"$ref": f"#/$defs/{definition}", "$defs": API_SCHEMA["$defs"]})
HOSTILE = accord.Article(
    "<script>alert('x')</script> The harbour authority of Velmora said on Monday that "
    "its new pier would open in May. Officials said the pier cost 40 million.",
    title="<img src=x onerror=alert(1)> Velmora pier", outlet="Velmora <b>Post</b>", published="2026-05-04")


@pytest.fixture(scope="module")
def store_file(tmp_path_factory) -> Path:
    """A store holding the five reports, the example story and a hostile page."""
    path = tmp_path_factory.mktemp("serve") / "news.db"
    with Store.open(path) as store:
        store.add([str(CORPUS), str(EXAMPLE), HOSTILE])
        store.record_poll("https://feeds.example.org/world.xml", ok=True, new=3, known=1)
        store.record_poll("https://down.example.org/rss", ok=False, new=0, known=0, error="timed out")
    return path


@pytest.fixture(scope="module")
def client(store_file):
    return create_app(str(store_file)).test_client()


def _stories(client, **args) -> dict:
    response = client.get("/api/stories", query_string=args)
    assert response.status_code == 200
    page = response.get_json()
    _valid(page, "StoryPage")
    return page


def test_the_list_shows_every_story_with_its_outlets(client):
    page = _stories(client)
    assert page["total"] == len(page["stories"]) >= 3
    outlets = {o for story in page["stories"] for o in story["outlets"]}
    assert {"MENAFN", "The Moscow Times", "The Harbour Ledger"} <= outlets
    html = client.get("/").get_data(as_text=True)
    assert "Darin River" in html and "Lavrov" in html


def test_search_and_filters_narrow_the_list(client):
    everything = _stories(client)["total"]
    darin = _stories(client, q="darin river")
    assert darin["total"] == 1 and "Darin" in darin["stories"][0]["title"]
    by_outlet = _stories(client, outlet="MENAFN")
    assert by_outlet["total"] == 1 and "MENAFN" in by_outlet["stories"][0]["outlets"]
    dated = _stories(client, **{"from": "2026-01-01"})
    assert 1 <= dated["total"] < everything
    assert all(s["last_published"] >= "2026-01-01" for s in dated["stories"])
    paged = _stories(client, per_page=1, page=2)
    assert paged["pages"] == everything and len(paged["stories"]) == 1


def test_a_story_page_is_its_dossier_and_the_store_stays_untouched(client, store_file):
    before = store_file.stat().st_mtime_ns, Store.open(store_file, readonly=True).catalog()
    story_id = _stories(client, q="darin")["stories"][0]["id"]
    response = client.get(f"/stories/{story_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="cite' in html and "script-src 'sha256-" in response.headers["Content-Security-Policy"]
    dossier = client.get(f"/api/stories/{story_id}").get_json()
    assert dossier["schema"] == "accord.dossier/1" and dossier["facts"]
    # Read-only: nothing was cached, so the list still has no counts for it.
    assert Store.open(store_file, readonly=True).catalog() == before[1]


def test_writable_app_caches_dossiers_and_lists_their_counts(store_file, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(store_file, copy)
    app = create_app(str(copy), writable=True)
    client = app.test_client()
    story_id = _stories(client, q="darin")["stories"][0]["id"]
    dossier = client.get(f"/api/stories/{story_id}").get_json()
    # A GET never writes: the list may show counts (kept in memory), but the
    # store has no dossier cached for the story.
    with Store.open(str(copy), readonly=True) as reader:
        assert not reader.cached(story_id)
    assert client.post(f"/api/stories/{story_id}/dossier").status_code == 403  # no token
    answer = client.post(f"/api/stories/{story_id}/dossier", headers={"X-Accord-Token": app.config["ACCORD_TOKEN"]})
    assert answer.status_code == 200
    row = _stories(client, q="darin")["stories"][0]
    assert row["facts"] == len(dossier["facts"])
    assert row["corroborated"] == sum(f["status"] == "corroborated" for f in dossier["facts"])
    assert row["conflicts"] == len(dossier["conflicts"])


def test_article_text_is_escaped_everywhere(client):
    story = _stories(client, q="velmora")["stories"][0]
    pages = [client.get("/", query_string={"q": "velmora"}), client.get(f"/stories/{story['id']}"),
             client.get(f"/stories/{story['id']}/documents")]
    dossier = client.get(f"/api/stories/{story['id']}").get_json()
    assert dossier["documents"][0]["text"].startswith("<script>")  # kept as text, escaped when shown
    documents_page = pages[2].get_data(as_text=True)
    assert "/documents/" in documents_page
    link = documents_page.split('href="/documents/')[1].split('"')[0]
    pages.append(client.get(f"/documents/{link}"))
    for response in pages:
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>Post</b>" not in text


def test_feeds_show_the_last_poll_of_each(client):
    feeds = client.get("/api/feeds").get_json()["feeds"]
    _valid({"feeds": feeds}, "FeedList")
    assert {f["url"]: f["status"] for f in feeds} == {
        "https://feeds.example.org/world.xml": "ok", "https://down.example.org/rss": "down"}
    assert "timed out" in client.get("/feeds").get_data(as_text=True)


def test_unknown_story_and_document_are_404(client):
    assert client.get("/stories/s999").status_code == 404
    assert client.get("/api/stories/s999").get_json() == {"error": "no story s999"}
    assert client.get("/documents/d999").status_code == 404


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bogus = tmp_path / "x.db"
    bogus.write_text("not sqlite", encoding="utf-8")
    with pytest.raises(accord.UsageError):
        create_app(str(bogus))
    with pytest.raises(accord.UsageError):
        create_app(str(tmp_path / "missing.db"))


def test_in_a_browser_search_open_a_dossier_click_a_citation_open_a_document(store_file):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    with served(create_app(str(store_file))) as base, browser() as page:
        page.get(base + "/")
        rows = page.find_elements(By.CSS_SELECTOR, "table.stories tbody tr")
        assert len(rows) >= 3
        screenshot(page, "serve-stories")
        box = page.find_element(By.NAME, "q")
        box.send_keys("Lavrov")
        box.submit()
        WebDriverWait(page, 20).until(lambda p: "q=Lavrov" in p.current_url)
        rows = page.find_elements(By.CSS_SELECTOR, "table.stories tbody tr")
        assert len(rows) == 1
        screenshot(page, "serve-search")
        rows[0].find_element(By.CSS_SELECTOR, "a.story").click()
        WebDriverWait(page, 60).until(ready.presence_of_element_located((By.CSS_SELECTOR, "a.cite")))
        page.find_element(By.CSS_SELECTOR, "#summary a.cite").click()
        reader = page.find_element(By.ID, "reader")
        WebDriverWait(page, 10).until(lambda p: reader.is_displayed())
        marked = page.find_elements(By.CSS_SELECTOR, "#reader-body mark.active")
        assert marked and all(m.is_displayed() for m in marked)
        assert "".join(m.text for m in marked).strip()
        screenshot(page, "serve-citation")
        page.back()
        page.get(base + "/")
        page.find_element(By.CSS_SELECTOR, "table.stories tbody tr td.n a").click()
        page.find_element(By.CSS_SELECTOR, "a.document").click()
        WebDriverWait(page, 20).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".doctext")))
        assert page.find_element(By.CSS_SELECTOR, ".doctext").text.strip()
        screenshot(page, "serve-document")


def test_the_html_report_in_a_browser_highlights_a_cited_passage(tmp_path, example_dossier):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    report = tmp_path / "dossier.html"
    report.write_text(example_dossier.to_html(), encoding="utf-8")
    with browser() as page:
        page.get(report.as_uri())
        cite = page.find_element(By.CSS_SELECTOR, "#summary a.cite")
        cite.click()
        WebDriverWait(page, 10).until(lambda p: p.find_element(By.ID, "reader").is_displayed())
        marked = page.find_elements(By.CSS_SELECTOR, "#reader-body mark.active")
        assert marked and "".join(m.text for m in marked).strip()
        screenshot(page, "report-citation")


def test_the_html_report_on_a_phone_sized_screen_needs_no_sideways_scrolling(tmp_path, corpus_dossier):
    from selenium.webdriver.common.by import By

    report = tmp_path / "dossier.html"
    report.write_text(corpus_dossier.to_html(), encoding="utf-8")
    with browser() as page:
        # a phone's viewport (390 CSS pixels wide, as an iPhone 12-15)
        page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                             {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        page.get(report.as_uri())
        widths = page.execute_script(
            "const t = document.querySelector('table.facts');"
            "return {viewport: window.innerWidth, page: document.documentElement.scrollWidth,"
            " table: t.scrollWidth, box: t.parentNode.clientWidth};")
        assert widths["viewport"] == 390
        assert widths["page"] <= widths["viewport"]  # the page does not scroll sideways
        assert widths["table"] <= widths["box"]  # nor does the facts table inside it
        # the filters still work there
        button = page.find_element(By.CSS_SELECTOR, 'button[data-filter="corroborated"]')
        page.execute_script("document.documentElement.style.scrollBehavior = 'auto';"
                            "arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        shown = [r for r in page.find_elements(By.CSS_SELECTOR, "table.facts tbody tr") if r.is_displayed()]
        assert shown and all(r.get_attribute("data-status") == "corroborated" for r in shown)
        page.execute_script("document.getElementById('facts').scrollIntoView();")
        screenshot(page, "report-phone-facts")


# ----------------------------------------------------------------------------- issue 25: host, writes, cost


def test_a_request_naming_another_host_is_refused(client):
    # A DNS-rebinding page reaches the app under its own name: refused.
    assert client.get("/api/stories", headers={"Host": "attacker.example:8765"}).status_code == 421
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200


def test_allow_host_adds_a_name(store_file):
    client = create_app(str(store_file), allowed_hosts=("news.lan",)).test_client()
    assert client.get("/", headers={"Host": "news.lan:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "other.lan"}).status_code == 421


def test_a_read_only_app_refuses_writes_and_a_get_never_writes(store_file):
    before = Store.open(store_file, readonly=True).catalog()
    client = create_app(str(store_file)).test_client()
    story_id = before[0]["id"]
    assert client.post(f"/api/stories/{story_id}/dossier").status_code == 403
    assert client.get(f"/stories/{story_id}").status_code == 200
    assert Store.open(store_file, readonly=True).catalog() == before


def test_the_write_form_carries_the_token_and_a_cross_site_post_without_it_fails(store_file, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(store_file, copy)
    app = create_app(str(copy), writable=True)
    client = app.test_client()
    story_id = _stories(client)["stories"][0]["id"]
    page = client.get(f"/stories/{story_id}/documents").get_data(as_text=True)
    assert app.config["ACCORD_TOKEN"] in page and 'method="post"' in page
    assert client.post(f"/stories/{story_id}/dossier", data={"token": "guess"}).status_code == 403
    answer = client.post(f"/stories/{story_id}/dossier", data={"token": app.config["ACCORD_TOKEN"]})
    assert answer.status_code == 303
    assert _stories(client)["stories"][0]["facts"] is not None


def test_a_huge_search_is_refused_quickly(client):
    import time

    started = time.monotonic()
    answer = client.get("/api/stories", query_string={"q": " ".join(["word"] * 30_000)})
    assert answer.status_code == 400 and "at most" in answer.get_json()["error"]
    assert time.monotonic() - started < 2
    assert client.get("/api/stories", query_string={"q": "harbour pier"}).status_code == 200


def test_a_search_does_not_hold_the_store_lock(store_file, monkeypatch):
    # The catalog is read under the lock, then filtered without it: a slow
    # match in one request must not keep another from reading the store.
    import threading

    from accord.serve import catalog as catalog_module

    app = create_app(str(store_file))
    client = app.test_client()
    entered, release = threading.Event(), threading.Event()
    original = catalog_module.Query.matches

    def slow(self, row):
        if self.text == "slow":
            entered.set()
            release.wait(10)
        return original(self, row)

    monkeypatch.setattr(catalog_module.Query, "matches", slow)
    thread = threading.Thread(target=lambda: app.test_client().get("/api/stories", query_string={"q": "slow"}))
    thread.start()
    try:
        assert entered.wait(10)
        assert client.get("/api/feeds").status_code == 200  # needs the store lock
    finally:
        release.set()
        thread.join(10)


def test_serve_refuses_a_port_out_of_range(store_file):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "accord", "serve", "--store", str(store_file), "--port", "70000"],
                            capture_output=True, text=True, timeout=60, env={**__import__("os").environ,
                                                                             "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 2 and "--port" in result.stderr
