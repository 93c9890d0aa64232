"""Bad input of every kind never stops a batch, costs bounded time and memory,
and is listed under ``skipped`` with a one-line reason beside the good
documents it came with; links found inside feeds are fetched over http(s)
only. Every input here is written for this test."""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accord import cli
from accord.analyze import analyze, pieces
from accord.analyze.nlp import load
from accord.clean import clean
from accord.errors import InputError
from accord.ingest import read, sources
from accord.model import RawDocument, Skipped
from accord.settings import DEFAULT
from accord.store import Store

from conftest import EXAMPLE, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from fuzz import make_pdf, make_warc  # noqa: E402 - the fuzzer's seed writers

TITLE = "Bridge over the Lenne reopens"
BODY = (
    "Mayor Jane Holt said on Tuesday that the bridge over the Lenne would reopen in May after "
    "two years of work on its piers. “We are ready,” she said. Officials counted forty trucks "
    "on the first morning, and the council said the toll would stay at two euros."
)
REPORT = f"{TITLE}\n\n{BODY}\n"


def _sources(entries):
    return {e.source.rsplit("/", 1)[-1]: e for e in entries}


def _run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "accord.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, **kwargs)


def _one_line(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert len([l for l in stderr.splitlines() if l.startswith("accord:")]) >= 1, stderr


# --------------------------------------------------------------------------- long texts


def test_pieces_cover_the_text_and_cut_at_paragraphs():
    text = ("A sentence here. " * 30 + "\n\n") * 10
    cuts = pieces(text, 1000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    assert all(b - a <= 1000 for a, b in cuts)
    assert all(text[a:b].endswith("\n\n") for a, b in cuts[:-1])
    assert pieces("x" * 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_a_text_longer_than_the_parser_limit_is_analysed_whole_with_exact_offsets(monkeypatch):
    # Why: spaCy refuses texts over nlp.max_length; accord parses such a text
    # in pieces joined into one parse, neither refused nor cut.
    nlp = load()
    monkeypatch.setattr(nlp, "max_length", 3000)
    text = REPORT + "\n".join(f"\n{BODY}" for _ in range(60))
    raw = RawDocument("long.txt", "text", text, "x", text, __import__("accord").model.OffsetMap.identity(len(text)))
    document = clean(raw, "d1")
    assert len(document.text) > 3 * nlp.max_length
    (analysis,) = list(analyze([document]))
    assert analysis.sentences[-1][1] >= len(document.text) - 1  # the last piece is parsed too
    assert len(analysis.quotes) >= 60 and len(analysis.entities) >= 60
    for span in [m.span for m in analysis.entities] + [q.span for q in analysis.quotes]:
        assert document.text[span.start:span.end] == span.text


# --------------------------------------------------------------------------- clean: linear and valid


def test_a_long_garbled_token_is_repaired_in_linear_time():
    # Why: the mojibake scan went back to a token's start from every mark in it.
    for token in ("Ã©" * 40_000, "x" * 80_000):
        text = f"{TITLE}\n\nWord {token} end. {BODY}\n"
        raw = RawDocument("t", "text", text, "", text, __import__("accord").model.OffsetMap.identity(len(text)))
        started = time.process_time()
        document = clean(raw, "d1")
        assert time.process_time() - started < 10
        assert document.text.endswith(BODY)


def test_unpaired_surrogates_are_replaced_and_recorded(tmp_path):
    # Why: "\ud800" is no character; hashing and every UTF-8 output refused it.
    (tmp_path / "s.json").write_text(json.dumps({"title": "T \ud800", "text": f"Mayor \ud800 said. {BODY}"}))
    (tmp_path / "good.txt").write_text(REPORT)
    result = _run("ingest", tmp_path, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(l) for l in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    record = next(r for r in records if r["source"].endswith("s.json"))
    assert "\ufffd" in record["text"] and "\ufffd" in record["title"]
    (repair,) = [r for r in record["repairs"] if r["kind"] == "surrogate"]
    assert record["text"][repair["start"]:repair["end"]] == "\ufffd"
    assert len(records) == 2


# --------------------------------------------------------------------------- JSON


def test_deep_json_and_a_nul_line_skip_only_what_they_break(tmp_path):
    # Why: json recursed once per bracket; one NUL made the whole file "binary".
    good = json.dumps({"title": TITLE, "text": BODY})
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "lines.jsonl").write_bytes(
        f"{good}\n{'[' * 100_000}\n\0\n{json.dumps({'title': 'Two', 'text': BODY + ' Again.'})}\n".encode())
    entries = _sources(read([tmp_path]))
    assert "nested too deeply" in entries["deep.json"].reason
    assert "nested too deeply" in entries["lines.jsonl:2"].reason
    assert "not valid JSON" in entries["lines.jsonl:3"].reason
    assert isinstance(entries["lines.jsonl:1"], RawDocument) and isinstance(entries["lines.jsonl:4"], RawDocument)


@pytest.mark.slow
def test_a_gzip_stream_that_inflates_past_the_limit_is_stopped(tmp_path, monkeypatch):
    # Why: a stream too large to hold was read record by record with no end;
    # a gzip bomb of blank lines ran for hours.
    monkeypatch.setattr(sources, "MAX_BYTES", 64 * 1024)
    good = json.dumps({"title": TITLE, "text": BODY}) + "\n"
    bomb = gzip.compress(good.encode() * 3 + b"\n" * 200_000_000, compresslevel=9)
    assert len(bomb) < 1_000_000
    (tmp_path / "bomb.jsonl.gz").write_bytes(bomb)
    started = time.monotonic()
    entries = list(read([tmp_path / "bomb.jsonl.gz"]))
    assert time.monotonic() - started < 20
    assert sum(isinstance(e, RawDocument) for e in entries) >= 1
    assert "gzip content too large" in entries[-1].reason


# --------------------------------------------------------------------------- WARC, feeds, PDF


def test_warc_damage_is_reported_and_a_nul_charset_is_read(tmp_path):
    page = f"<html><body><article><h1>{TITLE}</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    (tmp_path / "nul.warc").write_bytes(make_warc([("http://x.example/a", page, "text/html; charset=utf\0-8")]))
    (tmp_path / "broken.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: 12\r\n\r\nHTTP/1.1\r\n\r\n\r\n\r\n")
    entries = _sources(read([tmp_path]))
    assert "broken WARC" in entries["broken.warc"].reason
    (page,) = [e for e in read([tmp_path / "nul.warc"])]
    assert isinstance(page, RawDocument) and "Lenne" in page.text


@pytest.mark.parametrize("reference", ["&#xD800;", "&#x110000;", "&#99999999999;", "&amp;#xD800;", "&#0;"])
def test_feeds_with_invalid_character_references_are_read(tmp_path, reference):
    # Why: feedparser's loose parser raised (chr(), OverflowError) or let a
    # surrogate through to the output.
    feed = (f'<rss version="2.0"><channel><title>F {reference}</title><item><title>{TITLE} {reference}</title>'
            f"<link>http://x.example/a</link><description>{BODY} {reference}</description></item></channel></rss>")
    (tmp_path / "feed.rss").write_text(feed)
    (entry,) = list(read([tmp_path / "feed.rss"]))
    assert isinstance(entry, RawDocument) and "Lenne" in entry.text
    document = clean(entry, "d1")
    json.dumps(document.to_dict(), ensure_ascii=False).encode("utf-8")


def test_a_pdf_with_an_unknown_filter_is_reported_and_a_good_page_kept(tmp_path):
    # Why: pypdf raises NotImplementedError for a /Filter it does not know.
    (tmp_path / "bad.pdf").write_bytes(make_pdf([BODY[:60]], filter_name="FooDecode"))
    (tmp_path / "good.pdf").write_bytes(make_pdf([BODY[:60], BODY[60:120]]))
    entries = _sources(read([tmp_path]))
    assert "Unsupported filter /FooDecode" in entries["bad.pdf"].reason
    assert isinstance(entries["good.pdf"], RawDocument)


# --------------------------------------------------------------------------- files and folders


def test_special_files_links_and_unreadable_folders_are_listed(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "locked").mkdir()
    (folder / "a.txt").write_text(REPORT)
    os.mkfifo(folder / "pipe")
    (folder / "dangling").symlink_to(folder / "nowhere")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "sub" / "up").symlink_to(folder)
    real_scandir = os.scandir

    def scandir(path):  # tests run as root, whom chmod does not stop
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    started = time.monotonic()
    entries = _sources(read([folder]))
    assert time.monotonic() - started < 10  # the FIFO was never opened blocking
    assert "FIFO" in entries["pipe"].reason
    assert "dangling" in entries["dangling"].reason
    assert "loop" in entries["loop"].reason
    assert "already read" in entries["up"].reason
    assert "Permission denied" in entries["locked"].reason
    assert isinstance(entries["a.txt"], RawDocument)


def test_a_fifo_named_on_the_command_line_is_read_without_blocking(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "TIMEOUT", 1.0)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    (silent,) = list(read([fifo]))  # no writer: given up after TIMEOUT
    assert isinstance(silent, Skipped) and time.monotonic() - started < 5

    def write() -> None:
        with open(fifo, "w") as pipe:
            pipe.write(REPORT)

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.2)
    (entry,) = list(read([fifo]))
    writer.join(5)
    assert isinstance(entry, RawDocument) and entry.title == TITLE


def test_a_file_name_with_undecodable_bytes_is_written(tmp_path):
    # Why: the name reached the UTF-8 output as a lone surrogate, after all the work.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT)
    name = os.fsdecode(b"bad\xff.txt")
    (folder / name).write_text(REPORT.replace("Tuesday", "Monday"))
    (folder / os.fsdecode(b"empty\xfe.txt")).write_text("")
    (folder / "empty\nline.txt").write_text("")
    result = _run("ingest", folder, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 2  # one line for each skipped file
    records = [json.loads(l) for l in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["source"].rsplit("/", 1)[-1] for r in records} == {
        "good.txt", "bad\\xff.txt", "empty\\xfe.txt", "empty\\x0aline.txt"}


def test_a_short_report_is_accepted(tmp_path):
    # Why: one paragraph without a full stop at its end read as a photo caption.
    for n, text in enumerate([f"{TITLE}\nThe bridge reopened on Tuesday. Mayor Jane Holt cut the ribbon\n",
                              f"{TITLE}\n\nThe bridge reopened on Tuesday\n"]):
        (tmp_path / f"{n}.txt").write_text(text)
    entries = list(read([tmp_path]))
    assert all(isinstance(e, RawDocument) and e.title == TITLE for e in entries), entries
    assert all("reopened" in clean(e, "d1").text for e in entries)


# --------------------------------------------------------------------------- outputs, stores, signals


def test_outputs_that_cannot_be_written_give_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "file").write_text("x")
    assert cli.main(["ingest", str(tmp_path / "a.txt"), "-o", str(tmp_path / "file" / "out.jsonl")]) == 2
    assert cli.main(["ingest", str(tmp_path / "a.txt"), "-o", str(tmp_path)]) == 2
    assert cli.main(["watch", str(tmp_path / "a.txt"), "--store", str(tmp_path / "s.db"), "--every", "inf"]) == 2
    err = capsys.readouterr().err
    assert err.count("accord:") == 3 and "Traceback" not in err
    full = _run("ingest", tmp_path / "a.txt", "-o", "/dev/full")
    assert full.returncode == 2 and "No space left" in full.stderr, full.stderr
    _one_line(full.stderr)
    closed = subprocess.run(f"{sys.executable} -m accord.cli ingest {tmp_path / 'a.txt'} >&-", shell=True,
                            stderr=subprocess.PIPE, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert closed.returncode == 2 and "standard output is closed" in closed.stderr, closed.stderr
    _one_line(closed.stderr)


def test_ctrl_c_exits_130_and_keeps_what_was_committed(tmp_path, monkeypatch, capsys):
    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"{n}.txt").write_text(REPORT.replace("forty", f"{n + 40}"))
    calls = []
    real = Store._insert

    def insert(self, *args, **kwargs):
        if calls:
            raise KeyboardInterrupt
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_insert", insert)
    # One document a transaction, so the first document is committed before
    # the interruption of the second.
    opened = Store.open.__func__
    one_a_chunk = dataclasses.replace(DEFAULT, store_chunk=1)
    monkeypatch.setattr(Store, "open", classmethod(
        lambda cls, path, **kw: opened(cls, path, **{**kw, "settings": one_a_chunk})))
    db = tmp_path / "s.db"
    assert cli.main(["stories", str(tmp_path / "in"), "--store", str(db), "-q"]) == 130
    assert "interrupted" in capsys.readouterr().err
    monkeypatch.undo()
    with Store.open(db) as store:
        assert len(store) == 1 and store.check() == []


def test_a_read_only_or_damaged_store_gives_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.txt").write_text(REPORT)
    db = tmp_path / "s.db"
    assert cli.main(["stories", str(tmp_path / "a.txt"), "--store", str(db), "-o", str(tmp_path / "o.json")]) == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE documents SET record = '{\"broken' WHERE id = 'd1'")
    capsys.readouterr()
    assert cli.main(["dossier", "--store", str(db), "--story", "s1", "-o", str(tmp_path / "d.json")]) == 2
    err = capsys.readouterr().err
    assert "damaged record" in err and err.count("\n") == 1
    # A store the process may not write (root ignores file modes: say so to SQLite).
    from accord.store import schema

    real = schema.connect

    def read_only(path, **options):
        connection = real(path, **options)
        connection.execute("PRAGMA query_only = ON")
        return connection

    monkeypatch.setattr("accord.store.store.connect", read_only)
    (tmp_path / "b.txt").write_text(REPORT.replace("Tuesday", "Friday"))
    assert cli.main(["stories", str(tmp_path / "b.txt"), "--store", str(tmp_path / "t.db"), "-o", str(tmp_path / "o2.json")]) == 2
    err = capsys.readouterr().err
    assert "readonly" in err and err.count("\n") == 1


@pytest.mark.slow
def test_two_processes_adding_to_one_store_both_finish(tmp_path):
    # Why: both took the same next id; one failed and added nothing.
    for side in "ab":
        (tmp_path / side).mkdir()
        for n, report in enumerate(sorted(EXAMPLE.iterdir())):
            text = report.read_text().replace("Darin", f"Darin-{side}{n}")
            (tmp_path / side / f"{n}.txt").write_text(text)
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    processes = [
        subprocess.Popen([sys.executable, "-m", "accord.cli", "stories", str(tmp_path / side), "--store", str(db),
                          "-o", str(tmp_path / f"{side}.json"), "-q"], env=env, stderr=subprocess.PIPE, text=True)
        for side in "ab"
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    with Store.open(db) as store:
        assert len(store) == 8 and store.check() == []
        assert sorted(d.id for d in store.documents()) == sorted(f"d{n}" for n in range(1, 9))


# --------------------------------------------------------------------------- the network


class _Server:
    """A server on 127.0.0.1: path -> (status, headers, body, seconds between bytes)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                server.requests.append(self.path)
                status, headers, body, pause = server.routes.get(self.path, (404, {}, b"", 0.0))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for i in range(len(body)) if pause else [None]:
                        self.wfile.write(body if i is None else body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(pause)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def web(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = _Server()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_a_slow_server_meets_a_total_deadline(web):
    # Why: one byte a second never trips a timeout that applies to each read.
    web.routes["/slow"] = (200, {"Content-Type": "text/plain"}, REPORT.encode(), 1.0)
    started = time.monotonic()
    with pytest.raises(InputError, match="in all"):
        sources.fetch_url(f"{web.base}/slow", timeout=5, retries=2, deadline=3)
    assert time.monotonic() - started < 8


def test_watch_reads_nothing_local_and_follows_no_redirect_off_http(web, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"Secret ledger\n\nSECRET-LOCAL-CONTENT {BODY}\n")
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(5)
    ftp.settimeout(0.1)
    ftp_url = f"ftp://127.0.0.1:{ftp.getsockname()[1]}/x.html"
    web.routes["/hop"] = (302, {"Location": ftp_url}, b"", 0.0)
    links = [str(secret), "secret.txt", f"file://{secret}", "/etc/passwd", f"{web.base}/hop"]
    items = "".join(f"<item><title>Item {n}</title><link>{link}</link><description>Teaser {n}.</description></item>"
                    for n, link in enumerate(links))
    feed = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()
    web.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, feed, 0.0)
    (tmp_path / "feed.xml").write_bytes(feed)  # the same feed as a local file, its relative link beside it
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = cli.main(["watch", f"{web.base}/feed.xml", str(tmp_path / "feed.xml"), "--allow-private", "--store",
                           str(tmp_path / "s.db"), "--max-polls", "1", "--every", "0"])
    finally:
        os.chdir(cwd)
    assert status == 0
    try:
        ftp.accept()
        connected = True
    except OSError:
        connected = False
    ftp.close()
    assert not connected, "a redirect to ftp:// was followed"
    err = capsys.readouterr().err
    assert "not http(s)" in err
    with Store.open(tmp_path / "s.db") as store:
        texts = " ".join(d.text for d in store.documents())
    assert "SECRET-LOCAL-CONTENT" not in texts and "root:" not in texts
    # the hop once for each feed, never retried
    assert [r for r in web.requests if r != "/feed.xml"] == ["/hop", "/hop"]


def test_a_redirect_off_http_is_refused(web):
    web.routes["/to-file"] = (301, {"Location": "file:///etc/passwd"}, b"", 0.0)
    with pytest.raises(InputError, match="not http|is not allowed"):
        sources.fetch_url(f"{web.base}/to-file")
    with pytest.raises(InputError, match="not an http"):
        sources.fetch_url("ftp://127.0.0.1/x")


def test_a_link_that_cannot_be_parsed_is_dropped_not_fatal(tmp_path):
    # Found by bench/fuzz.py: a bracketed host that is no address made
    # urlsplit raise in a later stage, after all the reading.
    items = "".join(f"<item><title>{TITLE} {n}</title><link>http://[not an address {n}]/a</link>"
                    f"<description>{BODY} {n}</description></item>" for n in range(2))
    (tmp_path / "feed.rss").write_text(f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>')
    from accord.pipeline import analyze as analyze_batch, dossier, ingest

    batch = ingest([tmp_path / "feed.rss"])
    assert len(batch.documents) == 2 and all(d.url is None for d in batch.documents)
    result = dossier(analyze_batch(batch))
    assert len(result.documents) == 2 and not result.skipped
