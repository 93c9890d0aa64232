"""accord serve for a newsroom (issue 24): newest first, counts once a story
is seen (read-only too), document pages link to their stories, CSV exports,
one log line a request."""

from __future__ import annotations

import csv
import html
import io
import re
import logging

import pytest
from conftest import CORPUS, EXAMPLE

import accord
from accord.serve import create_app
from accord.store import Store

LATE = accord.Article("The harbour authority of Velmora said on Monday that its new pier would open in May. "
                      "Officials said the pier cost 40 million.", title="Velmora pier", outlet="Velmora Post",
                      published="2030-05-04")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve-story") / "news.db"
    with Store.open(path) as store:
        # The latest story is added first: newest first must not follow the order of adding.
        store.add([LATE])
        store.add([str(CORPUS), str(EXAMPLE)])
    return create_app(str(path)).test_client()  # read-only


def test_the_list_is_newest_first_by_last_publication(client):
    rows = client.get("/api/stories").get_json()["stories"]
    lasts = [r["last_published"] or r["first_published"] or "" for r in rows]
    assert lasts == sorted(lasts, reverse=True)
    assert rows[0]["title"] == "Velmora pier"


def test_the_list_page_fills_in_every_story_s_counts_read_only(tmp_path):
    path = tmp_path / "fresh.db"
    with Store.open(path) as store:
        store.add([LATE])
        store.add([str(CORPUS), str(EXAMPLE)])
    fresh = create_app(str(path)).test_client()
    missing = sum(r["facts"] is None for r in fresh.get("/api/stories").get_json()["stories"])
    assert missing
    # Each view of the list makes counts for a bounded time, so a loaded
    # machine may need a few views; each must make progress until none is missing.
    for _ in range(missing):
        page = fresh.get("/").get_data(as_text=True)
        now = sum(r["facts"] is None for r in fresh.get("/api/stories").get_json()["stories"])
        assert now < missing or now == 0
        missing = now
        if not missing:
            break
    assert "—" not in page.split("<tbody>")[1].split("</tbody>")[0]
    assert all(r["facts"] is not None for r in fresh.get("/api/stories").get_json()["stories"])


def test_counts_are_shown_once_a_story_is_seen_read_only(client):
    rows = client.get("/api/stories").get_json()["stories"]
    story = next(r for r in rows if r["documents"] > 1)
    assert client.get(f"/stories/{story['id']}").status_code == 200
    again = next(r for r in client.get("/api/stories").get_json()["stories"] if r["id"] == story["id"])
    assert again["facts"] is not None and again["corroborated"] is not None and again["conflicts"] is not None
    assert "—" not in client.get("/").get_data(as_text=True).split(story["id"])[1].split("</tr>")[0]


def test_a_document_page_links_to_its_story(client):
    rows = client.get("/api/stories").get_json()["stories"]
    story = rows[-1]
    page = client.get(f"/stories/{story['id']}/documents").get_data(as_text=True)
    doc_id = page.split('href="/documents/')[1].split('"')[0]
    document = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f'href="/stories/{story["id"]}"' in document


def test_a_document_page_marks_the_facts_and_quotations_the_story_uses(client):
    rows = client.get("/api/stories").get_json()["stories"]
    story = max(rows, key=lambda row: row["documents"])  # the five reports
    dossier = client.get(f"/api/stories/{story['id']}").get_json()
    page = client.get(f"/stories/{story['id']}/documents").get_data(as_text=True)
    doc_ids = [part.split('"')[0] for part in page.split('href="/documents/')[1:]]
    for position, doc_id in enumerate(doc_ids, 1):
        local = f"d{position}"  # the dossier numbers the story's documents in order
        supported = [s["text"] for f in dossier["facts"] for s in f["support"] if s["doc"] == local]
        quoted = [q["span"]["text"] for q in dossier["quotes"] if q["doc"] == local]
        if not supported or not quoted:
            continue
        document = client.get(f"/documents/{doc_id}").get_data(as_text=True)
        body = document.split('<div class="doctext">')[1].split("</div>")[0]
        # The text under each kind of mark, piece by piece, holds every passage of that kind.
        for kind, passages in (("fact", supported), ("quote", quoted)):
            pieces = re.findall(r'<mark class="([^"]*)"[^>]*>(.*?)</mark>', body, flags=re.S)
            under = "".join(html.unescape(text) for classes, text in pieces if kind in classes.split())
            for passage in passages:
                assert passage in under, f"{doc_id}: a {kind} passage is not marked"
        assert f"{len(quoted)} quotations" in document
        break
    else:
        pytest.fail("no document of the story has a fact or a quotation")


def test_each_story_exports_its_tables_as_csv(client):
    story = next(r for r in client.get("/api/stories").get_json()["stories"] if r["documents"] > 1)
    dossier = client.get(f"/api/stories/{story['id']}").get_json()
    listing = client.get(f"/stories/{story['id']}/documents").get_data(as_text=True)
    for table in ("facts", "quotes", "conflicts", "coverage"):
        assert f"/stories/{story['id']}/{table}.csv" in listing
        response = client.get(f"/stories/{story['id']}/{table}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        expected = {"facts": "facts", "quotes": "quotes", "conflicts": "conflicts", "coverage": "coverage"}[table]
        assert len(rows) == len(dossier[expected])
    assert client.get(f"/stories/{story['id']}/secrets.csv").status_code == 404


def test_one_log_line_a_request(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/")
    lines = [r for r in caplog.records if "GET /" in r.getMessage()]
    assert len(lines) == 1 and lines[0].name == "accord"
