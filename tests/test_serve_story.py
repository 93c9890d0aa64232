"""accord serve for a newsroom (issue 24): newest first, counts once a story
is seen (read-only too), document pages link to their stories, CSV exports,
one log line a request."""

from __future__ import annotations

import csv
import dataclasses
import io
import logging

import pytest
from conftest import CORPUS, EXAMPLE

import accord
from accord.serve import create_app
from accord.settings import DEFAULT
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
    # Time enough to count every story in one view on a loaded machine (the
    # default 2 s a request failed with seven test runs on two cores).
    fresh = create_app(str(path), settings=dataclasses.replace(DEFAULT, serve_count_seconds=120.0)).test_client()
    assert any(r["facts"] is None for r in fresh.get("/api/stories").get_json()["stories"])
    page = fresh.get("/").get_data(as_text=True)
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
