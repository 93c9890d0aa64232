"""``accord watch`` against feeds served on 127.0.0.1: new items reach their
story, a feed that is down is reported and tried again, Ctrl-C stops cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from email.utils import format_datetime
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import accord
from accord.cli import main
from accord.store import Store

from conftest import EXAMPLE

# Written for this test: one more report of the example story's event.
FOLLOW_UP = (
    "Engineers from Veltria and Ostmark began the first weekly measurements of the Darin River on "
    "Friday, three days after the two governments signed the water-sharing accord in Kelvar. The "
    "joint commission said the flow at the border gauge stood at 412 cubic metres per second, "
    "close to the level the accord sets as the threshold for the dry-season quota. Ostmark's "
    "water minister said the measurements would be published every Monday, as the accord "
    "requires, and that farmers downstream of the Darin would see the first releases within a "
    "month. Veltria's delegation said the agreement ended a dispute that had lasted more than a "
    "decade and that the commission would meet again in April."
)


class Feeds:
    """What the local server serves: path -> (content type, body)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.items: list[dict[str, str]] = []

    def publish(self) -> None:
        self.pages["/feed.xml"] = ("application/rss+xml", _rss(self.items).encode("utf-8"))


def _rss(items: list[dict[str, str]]) -> str:
    parts = []
    for item in items:
        parts.append(
            "<item>"
            f"<title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
            f"<guid>{escape(item['link'])}</guid><pubDate>{item['date']}</pubDate>"
            f"<source url=\"{escape(item['link'])}\">{escape(item['outlet'])}</source>"
            f"<description>{escape(item['text'])}</description>"
            "</item>"
        )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Darin wire</title>'
            f"<link>http://127.0.0.1/</link><description>test feed</description>{''.join(parts)}</channel></rss>")


def _rfc822(day: str | None) -> str:
    moment = datetime.fromisoformat(day or "2026-03-05").replace(hour=9, tzinfo=timezone.utc)
    return format_datetime(moment)


@pytest.fixture()
def server():
    feeds = Feeds()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            found = feeds.pages.get(self.path)
            if found is None:
                self.send_error(404, "Not Found")
                return
            kind, body = found
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    batch = accord.ingest([EXAMPLE])
    for n, document in enumerate(batch.documents):
        link = f"{base}/articles/{n}.html"
        item = {"title": document.title or f"Report {n}", "link": link, "date": _rfc822(document.published),
                "outlet": document.outlet or "Wire", "text": document.text}
        if n == len(batch.documents) - 1:
            # The last item is a teaser: its page has the article.
            item["text"] = "Read the full report on the Darin River accord."
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in document.text.split("\n") if p.strip())
            page = (f"<!doctype html><html><head><title>{escape(item['title'])}</title>"
                    f"<meta property=\"og:site_name\" content=\"{escape(item['outlet'])}\"></head>"
                    f"<body><article><h1>{escape(item['title'])}</h1>{paragraphs}</article></body></html>")
            feeds.pages[f"/articles/{n}.html"] = ("text/html; charset=utf-8", page.encode("utf-8"))
        feeds.items.append(item)
    feeds.publish()
    yield base, feeds
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_watch_adds_new_items_to_their_story_and_survives_feeds_that_are_down(server, tmp_path, capsys):
    base, feeds = server
    db = str(tmp_path / "news.db")
    missing = f"{base}/gone.xml"
    refused = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    assert main(["watch", f"{base}/feed.xml", missing, refused, "--allow-private", "--store", db,
                 "--every", "0.2", "--max-polls", "1", "-q"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("poll 1: 4 new") and "1 stories touched" in out
    assert f"feed {missing} is down (HTTP 404" in err and f"feed {refused} is down (cannot connect" in err
    with Store.open(db) as store:
        assert len(store) == 4 and store.check() == []
        (story,) = store.stories()
        teaser = store.documents([story.documents[-1]])[0]
        assert teaser.source.endswith("/articles/3.html") and len(teaser.text.split()) > 60
        assert teaser.format != "feed-teaser"

    feeds.items.append({"title": "Darin River measurements begin under the new accord",
                        "link": f"{base}/articles/new.html", "date": _rfc822("2026-03-07"),
                        "outlet": "Valley Courier", "text": FOLLOW_UP})
    feeds.publish()
    assert main(["watch", f"{base}/feed.xml", missing, "--allow-private", "--store", db, "--every", "0.2", "--max-polls", "2", "-q"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith(f"poll 1: 1 new, 4 known, 1 stories touched: {story.id} (5 docs")
    assert lines[1].startswith("poll 2: 0 new, 5 known, 0 stories touched")
    # The feed that is down was tried at every poll and never stopped the watch.
    assert err.count(f"feed {missing} is down") == 2
    with Store.open(db) as store:
        (after,) = store.stories()
        assert after.id == story.id and len(after.documents) == 5
        newest = store.documents([after.documents[-1]])[0]
        assert newest.outlet == "Valley Courier" and newest.published == "2026-03-07"
        assert store.cached(after.id)


@pytest.mark.slow
def test_ctrl_c_stops_watch_cleanly(server, tmp_path):
    base, _ = server
    db = tmp_path / "news.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "watch", f"{base}/feed.xml", "--allow-private", "--store", str(db), "--every", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("poll 1: 4 new"), first + process.stderr.read()
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    with Store.open(db) as store:
        assert len(store) == 4 and store.check() == []


def test_watch_alert_prints_a_json_line_when_a_story_gains_a_conflict(server, tmp_path, capsys):
    import json

    base, feeds = server
    store = tmp_path / "news.db"
    assert main(["watch", f"{base}/feed.xml", "--store", str(store), "--max-polls", "1", "--every", "0",
                 "--alert", "-q"]) == 0
    out = capsys.readouterr().out.splitlines()
    alerts = [json.loads(line) for line in out if line.startswith("{")]
    with Store.open(store) as opened:
        conflicted = {row["id"]: row["conflicts"] for row in opened.catalog() if row["conflicts"]}
    # A story new in this poll with conflicts has gained them; each is alerted once.
    assert conflicted, "the example story has conflicts"
    assert sorted(a["story"] for a in alerts) == sorted(conflicted)
    assert all(a["conflicts_before"] == 0 and a["conflicts"] == conflicted[a["story"]] for a in alerts)
    # Nothing new: no alert.
    assert main(["watch", f"{base}/feed.xml", "--store", str(store), "--max-polls", "1", "--every", "0",
                 "--alert", "-q"]) == 0
    assert not [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def test_watch_alert_names_the_conflicts_new_since_the_story_s_last_version(server, tmp_path, capsys):
    import json

    base, feeds = server
    everything = list(feeds.items)
    store = tmp_path / "news.db"
    try:
        feeds.items[:] = everything[:1]  # one report first: a version with no conflict
        feeds.publish()
        assert main(["watch", f"{base}/feed.xml", "--store", str(store), "--max-polls", "1", "--every", "0",
                     "--alert", "-q"]) == 0
        capsys.readouterr()
        with Store.open(store) as opened:
            before = {row["id"]: row["conflicts"] or 0 for row in opened.catalog()}
            versions = {story: opened.versions(story) for story in before}
        assert all(len(v) == 1 for v in versions.values())
        feeds.items[:] = everything  # then the rest
        feeds.publish()
        assert main(["watch", f"{base}/feed.xml", "--store", str(store), "--max-polls", "1", "--every", "0",
                     "--alert", "-q"]) == 0
        alerts = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    finally:
        feeds.items[:] = everything
        feeds.publish()
    with Store.open(store) as opened:
        dossiers = {a["story"]: opened.dossier(a["story"]) for a in alerts}
    assert alerts, "the rest of the reports bring conflicts the first did not"
    for alert in alerts:
        assert alert["since_version"] == 1
        topics = {c.topic for c in dossiers[alert["story"]].conflicts}
        assert alert["new_conflicts"] and set(alert["new_conflicts"]) <= topics
