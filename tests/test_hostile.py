"""Issue 25: no input stalls a batch, no feed reaches the machine's own
services, no output destroys what was there. Every input is written here."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import accord.ingest as ingest_module
from accord import cli
from accord.errors import InputError
from accord.ingest import documents, read, sources
from accord.model import RawDocument, Skipped
from accord.outputs import atomic_open, atomic_write_text
from accord.settings import DEFAULT
from accord.store import Store

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fuzz  # noqa: E402 - the fuzzer's texts in Russian and Greek

TITLE = "Bridge over the Lenne reopens"
BODY = ("Mayor Jane Holt said on Tuesday that the bridge over the Lenne would reopen in May after "
        "two years of work on its piers. Officials counted forty trucks on the first morning.")
REPORT = f"{TITLE}\n\n{BODY}\n"


class _Web:
    """A server on 127.0.0.1: /secret is a page only this machine should see."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                web.requests.append(self.path)
                body = f"<html><body><article><h1>Internal</h1><p>SECRET-INTERNAL {BODY}</p></article></body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def web(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = _Web()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


# ----------------------------------------------------------------------------- links inside inputs


def _feed(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {n}</title><link>{link}</link><description>Teaser {n}.</description></item>"
                    for n, link in enumerate(links))
    return f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


@pytest.mark.parametrize("allow", [False, True])
def test_a_feed_link_to_this_machine_is_fetched_only_when_allowed(web, tmp_path, allow):
    from accord.watch import poll

    feed = tmp_path / "feed.xml"
    feed.write_bytes(_feed([f"http://127.0.0.1:{web.port}/secret", f"http://localhost:{web.port}/secret2"]))
    warnings: list[str] = []
    with Store.open(tmp_path / "s.db") as store:
        poll([str(feed)], store, 1, warn=warnings.append, allow_private=allow)
        texts = " ".join(d.text for d in store.documents())
    if allow:
        assert web.requests == ["/secret", "/secret2"] and "SECRET-INTERNAL" in texts
    else:
        # Refused after resolution ("localhost" too), before a request is sent;
        # the teaser is kept, and the user told why the page was not fetched.
        assert web.requests == [] and "SECRET-INTERNAL" not in texts and "Teaser" in texts
        assert sum("private address" in w for w in warnings) == 2, warnings


def test_public_addresses_are_told_from_private_ones():
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1",
                    "224.0.0.1", "0.0.0.0", "::ffff:127.0.0.1", "100.64.0.1", "240.0.0.1", "fc00::1"):
        assert not sources.is_public_address(address), address
    for address in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert sources.is_public_address(address), address


def test_a_url_the_user_names_is_fetched_wherever_it_points(web):
    assert b"SECRET-INTERNAL" in sources.fetch_url(f"http://127.0.0.1:{web.port}/mine")
    with pytest.raises(InputError, match="private address"):
        sources.fetch_url(f"http://127.0.0.1:{web.port}/link", public_only=True, retries=0)
    assert web.requests == ["/mine"]


def test_a_body_shorter_than_its_content_length_is_an_error():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]

    def serve() -> None:
        for _ in range(2):
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(4096)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n" + REPORT.encode())
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        with pytest.raises(InputError, match="truncated"):
            sources.fetch_url(f"http://127.0.0.1:{port}/cut", retries=0, timeout=5)
    finally:
        listener.close()


# ----------------------------------------------------------------------------- reads capped


def test_watch_reads_a_feed_file_as_inputs_are_read(tmp_path, monkeypatch):
    from accord.watch import _fetch

    with pytest.raises(InputError, match="not a regular file"):
        _fetch("/dev/zero")
    monkeypatch.setattr(sources, "TIMEOUT", 0.5)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = os.open(pipe, os.O_RDWR)  # a writer that never writes nor closes
    try:
        started = time.monotonic()
        with pytest.raises(InputError, match="no data"):
            _fetch(str(pipe))
        assert time.monotonic() - started < 5
    finally:
        os.close(writer)


def test_an_input_past_its_record_limit_is_cut_with_a_skip(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "DEFAULT", dataclasses.replace(DEFAULT, input_max_records=5))
    lines = "".join(json.dumps({"title": f"{TITLE} {n}", "text": f"{BODY} ({n})\n\n{BODY} {BODY}"}) + "\n" for n in range(20))
    (tmp_path / "many.jsonl").write_text(lines)
    found = list(read([tmp_path / "many.jsonl"]))
    kept = [f for f in found if isinstance(f, RawDocument)]
    skipped = [f for f in found if isinstance(f, Skipped)]
    assert len(kept) == 5 and len(skipped) == 1 and "record limit" in skipped[0].reason


def test_an_input_past_its_time_budget_is_cut_with_a_skip(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "DEFAULT", dataclasses.replace(DEFAULT, input_seconds=0.0))
    lines = "".join(json.dumps({"title": f"{TITLE} {n}", "text": f"{BODY} ({n})\n\n{BODY} {BODY}"}) + "\n" for n in range(20))
    (tmp_path / "many.jsonl").write_text(lines)
    found = list(read([tmp_path / "many.jsonl"]))
    assert sum(isinstance(f, RawDocument) for f in found) == 1
    assert "time budget" in [f for f in found if isinstance(f, Skipped)][0].reason


def test_html_past_its_limit_is_read_in_part_and_said(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "DEFAULT", dataclasses.replace(DEFAULT, html_max_chars=3000))
    paragraphs = "".join(f"<p>{BODY} Paragraph {n}.</p>" for n in range(200))
    (tmp_path / "page.html").write_text(f"<html><head><title>{TITLE}</title></head><body><article>{paragraphs}</article></body></html>")
    [document] = list(read([tmp_path / "page.html"]))
    assert isinstance(document, RawDocument)
    assert "Paragraph 3." in document.text and "Paragraph 150." not in document.text
    assert [d.kind for d in document.drops] == ["truncated"]


def test_unclosed_scripts_are_stripped_in_linear_time():
    started = time.monotonic()
    text = documents.fragment_text("<p>Kept words.</p>" + "<script>x " * 40_000)
    assert time.monotonic() - started < 3 and text.startswith("Kept words.")
    # As the regular expression it replaces did, on small fragments.
    old = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
    for fragment in ["<p>a</p><script>b</script><p>c</p>", "<SCRIPT>x</script >y<style>z</STYLE>w",
                     "<script>a<style>b</script>c</style>d", "<script>unclosed <p>text</p>", "<style>s</style><script>t"]:
        assert documents._without_hidden(fragment) == old.sub("", fragment), fragment


@pytest.mark.parametrize("encoding,text,language", [("koi8-r", fuzz.RUSSIAN, "ru"), ("cp1251", fuzz.RUSSIAN, "ru"),
                                                    ("iso-8859-7", fuzz.GREEK, "el")])
def test_legacy_encodings_are_detected_and_recorded(tmp_path, encoding, text, language):
    from accord.pipeline import ingest

    (tmp_path / "report.txt").write_bytes(f"{text}\n".encode(encoding))
    [document] = ingest([tmp_path / "report.txt"]).documents
    assert document.text.split()[:3] == text.split()[:3] and document.language == language
    [repair] = [r for r in document.repairs if r.kind == "encoding"]
    assert repair.start == repair.end == 0


def test_western_text_in_windows_1252_is_still_read_as_it(tmp_path):
    from accord.pipeline import ingest

    text = "Le conseil a voté mardi la réparation du pont, a déclaré le maire. « Nous ne pouvons pas attendre »."
    (tmp_path / "fr.txt").write_bytes(f"{TITLE}\n\n{text}\n".encode("cp1252"))
    [document] = ingest([tmp_path / "fr.txt"]).documents
    assert "réparation" in document.text and "déclaré" in document.text


# ----------------------------------------------------------------------------- outputs


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path, monkeypatch):
    target = tmp_path / "d.html"
    target.write_text("the old dossier")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as stream:
            stream.write("half of the new one")
            raise RuntimeError("crash in the middle")
    assert target.read_text() == "the old dossier"

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "the new dossier")
    assert target.read_text() == "the old dossier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.html"]  # no partial left
    monkeypatch.undo()
    atomic_write_text(target, "the new dossier")
    assert target.read_text() == "the new dossier"


def test_two_writers_of_one_output_use_their_own_partial_files(tmp_path):
    target = tmp_path / "out.json"
    with atomic_open(target) as first, atomic_open(target) as second:
        first.write("first")
        second.write("second")
        assert len(list(tmp_path.glob(".out.json.*.partial"))) == 2
    assert target.read_text() == "first"  # the one that finished last


def test_a_device_named_as_output_is_written_not_replaced(tmp_path):
    with atomic_open("/dev/null") as stream:
        stream.write("nothing")
    assert Path("/dev/null").is_char_device()


def test_an_output_that_is_an_input_is_refused(tmp_path, capsys):
    records = tmp_path / "x.jsonl"
    records.write_text(json.dumps({"title": TITLE, "text": BODY}) + "\n")
    before = records.read_bytes()
    assert cli.main(["ingest", str(records), "-o", str(records), "-q"]) == 2
    os.link(records, tmp_path / "same.jsonl")
    assert cli.main(["ingest", str(records), "-o", str(tmp_path / "same.jsonl"), "-q"]) == 2
    assert records.read_bytes() == before
    assert "one of the inputs" in capsys.readouterr().err


def test_a_folder_skips_the_outputs_accord_wrote_by_their_marker(tmp_path):
    from accord.pipeline import stories_index
    from accord.render import to_index_html

    index = stories_index([], [])
    (tmp_path / "index.html").write_text(to_index_html(index))
    (tmp_path / "index.json").write_text(json.dumps(index, indent=2))
    (tmp_path / "s1.json").write_text(json.dumps({"schema": "accord.dossier/1", "documents": []}, indent=2))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "index.html").write_text(  # a report that happens to be called index.html
        f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>")
    found = list(read([tmp_path]))
    kept = [f.source for f in found if isinstance(f, RawDocument)]
    skipped = {Path(f.source).name: f.reason for f in found if isinstance(f, Skipped)}
    assert kept == [str(tmp_path / "notes" / "index.html")]
    assert set(skipped) == {"index.html", "index.json", "s1.json"}
    assert all("accord wrote" in reason for reason in skipped.values())


# ----------------------------------------------------------------------------- sidecars, manifests, registries


@pytest.mark.parametrize("name", [b"report.txt", b"new\nline.txt", b"tab\there.txt", b"bad\xff\xfename.txt"])
def test_a_sidecar_is_found_beside_the_real_file_name(tmp_path, name):
    from accord.pipeline import ingest

    path = os.fsdecode(os.path.join(os.fsencode(str(tmp_path)), name))
    Path(path).write_text(REPORT)
    Path(path + sources.SIDECAR_SUFFIX).write_text(json.dumps({"outlet": "Lenne Courier", "date": "2026-03-03"}))
    batch = ingest([tmp_path])
    [document] = batch.documents
    assert (document.outlet, document.published) == ("Lenne Courier", "2026-03-03")
    assert not batch.skipped


@pytest.mark.parametrize("sidecar,field", [({"date": "not a date"}, "date"), ({"title": ["a", "list"]}, "title"),
                                           ({"authors": [1, 2]}, "authors")])
def test_a_bad_sidecar_field_is_an_error_naming_it(tmp_path, sidecar, field):
    from accord.pipeline import ingest

    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "a.txt.meta.json").write_text(json.dumps(sidecar))
    (tmp_path / "b.txt").write_text(REPORT.replace("Lenne", "Marne"))
    batch = ingest([tmp_path])
    assert [Path(d.source).name for d in batch.documents] == ["b.txt"]
    [skipped] = batch.skipped
    assert Path(skipped.source).name == "a.txt" and "sidecar" in skipped.reason and f"'{field}'" in skipped.reason


def test_a_sidecar_that_is_a_device_is_refused_not_read(tmp_path):
    from accord.pipeline import ingest

    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "a.txt.meta.json").symlink_to("/dev/zero")
    started = time.monotonic()
    batch = ingest([tmp_path / "a.txt"])
    assert time.monotonic() - started < 10
    assert not batch.documents and "not a regular file" in batch.skipped[0].reason


@pytest.mark.parametrize("option", ["--outlets", "--manifest"])
def test_a_registry_or_manifest_that_is_a_device_is_a_usage_error(tmp_path, option, capsys):
    (tmp_path / "a.txt").write_text(REPORT)
    started = time.monotonic()
    assert cli.main(["ingest", str(tmp_path / "a.txt"), option, "/dev/zero", "-o", str(tmp_path / "x.jsonl"), "-q"]) == 2
    assert time.monotonic() - started < 10
    assert "not a regular file" in capsys.readouterr().err


def test_cleaning_a_long_text_takes_time_linear_in_its_size():
    # unwrap_lines copied the text before every line break: a 2 MB page
    # cleaned for minutes (found by bench/fuzz.py's large inputs).
    from accord.clean import clean
    from accord.ingest.documents import from_text

    def seconds(size: int) -> float:
        body = (BODY + "\n") * (size // (len(BODY) + 1))
        raw = from_text("x.txt", f"{TITLE}\n\n{body}", "0")
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            clean(raw, "d1")
            best = min(best, time.perf_counter() - started)
        return best

    small, large = seconds(100_000), seconds(400_000)
    assert large < 8 * small + 0.5, (small, large)  # quadratic would be 16 times


def test_another_programs_sqlite_file_is_refused_before_any_write(tmp_path, capsys):
    import sqlite3

    foreign = tmp_path / "app.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes(x)")
    connection.execute("INSERT INTO notes VALUES (1)")
    connection.commit()
    connection.close()
    before = foreign.read_bytes()
    (tmp_path / "a.txt").write_text(REPORT)
    assert cli.main(["stories", "--store", str(foreign), "-o", str(tmp_path / "s.json"), "-q"]) == 2
    assert cli.main(["stories", str(tmp_path / "a.txt"), "--store", str(foreign), "-o", str(tmp_path / "s.json"), "-q"]) == 2
    assert foreign.read_bytes() == before and not (tmp_path / "app.db-wal").exists()
    assert "accord store" in capsys.readouterr().err


def test_a_log_file_on_a_full_disk_gives_one_line_not_tracebacks(tmp_path):
    import subprocess

    (tmp_path / "a.txt").write_text(REPORT)
    result = subprocess.run([sys.executable, "-m", "accord", "ingest", str(tmp_path / "a.txt"), "-o", str(tmp_path / "x.jsonl"),
                             "--log-file", "/dev/full"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert "Traceback" not in result.stderr and result.stderr.count("cannot write the log file") == 1, result.stderr
    assert result.returncode == 0 and (tmp_path / "x.jsonl").exists()
