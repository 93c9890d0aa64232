"""Fuzz accord with mutated inputs of every format it reads.

    python bench/fuzz.py --inputs N [--seed S] [--out DIR] [--cli-every K] [--analyze-every K] [--no-net]
                         [--timeout 60] [--memory-mb 3072]

Seeds are written here (text, HTML, PDF, JSON, JSON Lines, WARC, RSS, Atom,
gzip, odd file names, folders holding a FIFO, link loops and dangling links)
and mutated (bytes flipped, inserted, cut; brackets nested deep, unpaired
surrogates, invalid character references, NULs, long tokens and lines,
mojibake, other encodings, gzip), with the inputs of issue 25: pathological
inputs for regular expressions (bylines, time stamps, sign-offs, long runs of
spaces), unclosed <script> tags, texts in KOI8-R, CP1251 and ISO-8859-7, a
gzip of one record repeated, pages and texts of 1 to 4 MB, and URLs on a
hostile server on 127.0.0.1 (see ``Hostile``). Every input runs in-process (a worker
process with accord loaded calls ``ingest``, ``analyze`` and ``dossier``) and
every K-th also through the command line (``accord dossier``), each under a
time limit and a memory limit (``resource.setrlimit``). Printed:

- crashes: an exception out of the API, an input skipped for an "internal
  error" (isolated, but a bug), a traceback or an exit status other than 0, 1
  or 3 from the command line, or the memory limit hit;
- hangs: an input that takes longer than --timeout seconds;
- silent drops: a file of the input that is neither a document nor skipped;
- provenance violations: a span of a dossier whose text is not
  ``document.text[start:end]``, or a repair outside its document;

each with a deduplicated signature, and for every signature a reproducer
(the input and the command) under --out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this tree's accord, for the harness and its worker

# ----------------------------------------------------------------------------- seeds (written for this harness)

TITLE = "Council approves the Lenne bridge repairs"
PARAGRAPHS = [
    "The city council of Marlow voted on Tuesday to repair the bridge over the Lenne, "
    "after engineers found cracks in two of its six piers.",
    "“We cannot wait another winter,” said Mayor Jane Holt, who proposed the plan. "
    "The repairs will cost 4.2 million euros and take eighteen months, officials said.",
    "Opposition councillor Tomas Berg said the estimate was too low and that the work "
    "would take at least two years. Traffic will be limited to one lane from March.",
]
BODY = "\n\n".join(PARAGRAPHS)


def make_pdf(pages: list[str], filter_name: str | None = None) -> bytes:
    """A minimal PDF with one line of text a page; with ``filter_name`` every
    content stream claims that /Filter."""
    objects: list[str | bytes | None] = ["<</Type/Catalog/Pages 2 0 R>>", None,
                                         "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for text in pages:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 10 Tf 20 100 Td ({safe}) Tj ET".encode("latin-1", "replace")
        extra = f"/Filter/{filter_name}" if filter_name else ""
        objects.append(f"<</Length {len(stream)}{extra}>>stream\n".encode() + stream + b"\nendstream")
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 200]/Contents {len(objects)} 0 R"
                       "/Resources<</Font<</F1 3 0 R>>>>>>")
        kids.append(len(objects))
    objects[1] = f"<</Type/Pages/Kids[{' '.join(f'{k} 0 R' for k in kids)}]/Count {len(kids)}>>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        data = body.encode("latin-1") if isinstance(body, str) else body
        out += f"{number} 0 obj\n".encode() + data + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_warc(pages: list[tuple[str, str, str]]) -> bytes:
    """A WARC file of HTTP responses: (target URI, body, content type) each."""
    out = bytearray()
    for uri, body, content_type in pages:
        payload = body.encode("utf-8")
        http = (f"HTTP/1.1 200 OK\r\nContent-Length: {len(payload)}\r\n").encode() + \
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + payload
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
                f"WARC-Record-ID: <urn:uuid:{hashlib.md5(uri.encode()).hexdigest()}>\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n").encode()
        out += head + http + b"\r\n\r\n"
    return bytes(out)


def _html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<!doctype html><html lang=\"en\"><head><title>{TITLE}</title>"
            "<meta property=\"og:site_name\" content=\"Marlow Courier\">"
            "<meta property=\"article:published_time\" content=\"2026-03-03\"></head>"
            f"<body><nav>Home | News</nav><article><h1>{TITLE}</h1>{paragraphs}</article>"
            "<footer>© Marlow Courier</footer></body></html>")


def _rss() -> str:
    items = "".join(
        f"<item><title>{TITLE} ({n})</title><link>http://127.0.0.1:9/item{n}</link>"
        f"<pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate><description>{p}</description></item>"
        for n, p in enumerate(PARAGRAPHS))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Courier</title>{items}</channel></rss>'


def _atom() -> str:
    return ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Courier</title>'
            f"<entry><title>{TITLE}</title><link href=\"http://127.0.0.1:9/a\"/><updated>2026-03-03T09:00:00Z</updated>"
            f"<content type=\"html\">&lt;p&gt;{PARAGRAPHS[0]}&lt;/p&gt;&lt;p&gt;{PARAGRAPHS[1]}&lt;/p&gt;</content></entry></feed>")


def seeds() -> dict[str, tuple[str, bytes]]:
    """Seed name -> (file name, bytes)."""
    text = f"{TITLE}\n\n{BODY}\n".encode()
    record = {"title": TITLE, "text": BODY, "url": "https://courier.example/a", "date": "2026-03-03", "outlet": "Courier"}
    lines = "\n".join(json.dumps({**record, "text": p}) for p in PARAGRAPHS) + "\n"
    return {
        "text": ("report.txt", text),
        "text-crlf": ("report.txt", text.replace(b"\n", b"\r\n")),
        "text-short": ("short.txt", f"{TITLE}\n{PARAGRAPHS[0][:80]}\n".encode()),
        "markdown": ("report.md", f"# {TITLE}\n\n{BODY}\n".encode()),
        "html": ("page.html", _html().encode()),
        "pdf": ("report.pdf", make_pdf([PARAGRAPHS[0][:90], PARAGRAPHS[1][:90], PARAGRAPHS[2][:90]])),
        "json": ("export.json", json.dumps({"articles": [record, {**record, "title": "Second"}]}).encode()),
        "jsonl": ("export.jsonl", lines.encode()),
        "warc": ("crawl.warc", make_warc([("http://courier.example/a", _html(), "text/html; charset=utf-8"),
                                          ("http://courier.example/b", _html().replace("Marlow", "Darlow"), "text/html")])),
        "rss": ("feed.rss", _rss().encode()),
        "atom": ("feed.atom", _atom().encode()),
        "gzip-jsonl": ("export.jsonl.gz", gzip.compress(lines.encode())),
        "gzip-text": ("report.txt.gz", gzip.compress(text)),
        "gzip-warc": ("crawl.warc.gz", gzip.compress(make_warc([("http://courier.example/a", _html(), "text/html")]))),
        # Issue 25: inputs that made a regular expression or a parser blow up.
        "redos-byline": ("byline.txt", f"{TITLE}\n\nBy Aa{'andAa' * 40}!\n\n{BODY}\n".encode()),
        "redos-timestamp": ("stamp.html", _html().replace("<h1>", f"<p>{'0' * 40} x</p><p>{'Jan. ' * 16}x</p><h1>").encode()),
        "redos-signoff": ("signoff.txt", f"{TITLE}\n\n{BODY} (Reporting by {'a; ' * 60}x)\n".encode()),
        "whitespace-runs": ("spaces.txt", f"{TITLE}\n\n{PARAGRAPHS[0]}{' ' * 20000}x\t\t{' ' * 5000}of\n\n{BODY}\n".encode()),
        "script-unclosed": ("scripts.html", _html().replace("<article>", "<article>" + "<script>x " * 3000).encode()),
        "records-script": ("scripts.jsonl", (json.dumps({**record, "html": "<p>a</p>" + "<script>x " * 3000}) + "\n").encode()),
        "koi8-r": ("report-ru.txt", f"{RUSSIAN}\n".encode("koi8-r")),
        "cp1251": ("report-ru-win.txt", f"{RUSSIAN}\n".encode("cp1251")),
        "iso-8859-7": ("report-el.txt", f"{GREEK}\n".encode("iso-8859-7")),
        "repeated-records": ("repeat.jsonl.gz", gzip.compress((json.dumps(record) + "\n").encode() * 50)),
    }


# Written for this harness (not taken from any data set): a short report in
# Russian and in Greek, to be encoded in legacy code pages.
RUSSIAN = ("Городской совет Марлоу во вторник проголосовал за ремонт моста через реку Ленне. "
           "Инженеры нашли трещины в двух из шести опор, сообщили чиновники. "
           "Ремонт обойдётся в 4,2 миллиона евро и займёт восемнадцать месяцев.")
GREEK = ("Το δημοτικό συμβούλιο του Μάρλοου ψήφισε την Τρίτη την επισκευή της γέφυρας του ποταμού Λένε. "
         "Οι μηχανικοί βρήκαν ρωγμές σε δύο από τις έξι κολόνες, ανέφεραν αξιωματούχοι. "
         "Η επισκευή θα κοστίσει 4,2 εκατομμύρια ευρώ.")


# Pieces that broke readers before, or could: inserted by the mutator. Long
# runs stay under ~100 kB: the time an input takes grows with its size, and
# large inputs have tests of their own (tests/test_robust.py).
TOKENS: list[bytes] = [
    b"[" * 3000, b"{\"a\":" * 3000, b"\\ud800", b"\\udfff\\ud800", b"&#xD800;", b"&#x110000;", b"&#99999999999;",
    b"&amp;#xD800;", b"\x00", b"\x00\n", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\xa9" * 3, "Ã©".encode() * 2000,
    b"x" * 100_000, b"\r", b"\r\n" * 50, b"</p><script>alert(1)</script><p>", b"<![CDATA[", b"]]>", b"-->", b"<!--",
    b"%PDF-", b"WARC/1.0\r\n", b"\x1f\x8b", b"Content-Length: 99999999\r\n", b"Content-Type: text/html; charset=utf\x00-8\r\n",
    b"/Filter/FooDecode", b"/Filter/FlateDecode", b"obj<<>>", b"\"text\": null", b"\n\n\n", b"\t" * 100,
    " “ ” ‘ ’ « » ".encode(), "\u202e\u200b\ufeff".encode(), b"\\u0000", b"1e999999", b"-0", b"\xed\xa0\x80",
]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> tuple[bytes, str]:
    """One to three mutations of ``data``; returns the bytes and their names."""
    names = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["flip", "insert", "token", "token", "cut", "truncate", "duplicate", "splice", "gzip",
                           "utf16", "deep", "longline", "shuffle-lines"])
        names.append(kind)
        n = len(data)
        at = rng.randint(0, n) if n else 0
        if kind == "flip" and n:
            buf = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(n)] ^= 1 << rng.randrange(8)
            data = bytes(buf)
        elif kind == "insert":
            data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 32))) + data[at:]
        elif kind == "token":
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif kind == "cut" and n:
            data = data[:at] + data[at + rng.randint(1, max(1, n // 4)):]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "duplicate" and n:
            end = min(n, at + rng.randint(1, 4096))
            data = data[:end] + data[at:end] * rng.randint(2, 10) + data[end:]
        elif kind == "splice":
            other = rng.choice(pool)
            cut = rng.randint(0, len(other))
            data = data[:at] + other[cut:cut + rng.randint(1, 4096)] + data[at:]
        elif kind == "gzip":
            data = gzip.compress(data)
        elif kind == "utf16":
            data = data.decode("utf-8", "replace").encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
        elif kind == "deep":
            depth = rng.choice([100, 2000, 5000])  # past the JSON parser's recursion limit of 1000
            data = data[:at] + b"[" * depth + b"]" * rng.choice([0, depth]) + data[at:]
        elif kind == "longline":
            data = data[:at] + rng.choice([b"word ", b"a", "é".encode()]) * rng.randint(1_000, 10_000) + data[at:]
        elif kind == "shuffle-lines":
            parts = data.split(b"\n")
            rng.shuffle(parts)
            data = b"\n".join(parts)
    return data, "+".join(names)


#: The share of inputs that are large (1 to 4 MB).
BIG_SHARE = 0.01
#: The share of inputs that are URLs on the hostile server (see ``Hostile``).
NET_SHARE = 0.05

# File names and folder layouts that broke inputs before, or could.
NAMES = [b"report.txt", b"bad\xff\xfename.txt", b"new\nline.txt", b"-dash.txt", b"sp ace \xc3\xa9.txt",
         b"x" * 240 + b".txt", b"no-suffix", b"page.HTML", b"feed.xml", b"a.jsonl.gz", b"%PDF.txt"]


def build_input(workdir: Path, number: int, rng: random.Random, seed_files: dict[str, tuple[str, bytes]],
                big_share: float = 0.0) -> tuple[Path, str]:
    """Write input ``number`` under ``workdir``; returns its path and a label
    (its seed, layout and mutations)."""
    base = workdir / f"in{number}"
    base.mkdir()
    pool = [data for _, data in seed_files.values()]
    seed = rng.choice(sorted(seed_files))
    name, data = seed_files[seed]
    data, how = mutate(data, rng, pool) if rng.random() < 0.9 else (data, "as-is")
    layout = rng.choice(["file", "file", "file", "odd-name", "folder"])
    if rng.random() < big_share:
        # Sizes: a page or a text of 1 to 4 MB (under the 64 MB limit; a
        # quadratic path shows as a hang here).
        size = rng.choice([1, 2, 4]) << 20
        unit = (rng.choice(PARAGRAPHS) + " ").encode()
        body = unit * (size // len(unit))
        if rng.random() < 0.5:
            path = base / "big.html"
            path.write_bytes(b"<html><body><article><p>" + body.replace(b". ", b".</p><p>") + b"</p></article></body></html>")
        else:
            path = base / "big.txt"
            path.write_bytes(TITLE.encode() + b"\n\n" + body)
        return path, f"big:{size >> 20}MB:{path.suffix}"
    if layout == "file":
        path = base / name
        path.write_bytes(data)
        return path, f"{seed}:{how}"
    if layout == "odd-name":
        path = Path(os.fsdecode(bytes(base) + b"/" + rng.choice(NAMES)))
        path.write_bytes(data)
        return path, f"{seed}:{how}:name"
    folder = base / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / name).write_bytes(data)
    extra = rng.sample(["fifo", "loop", "dangling", "self-loop", "hidden", "empty-sub", "second", "empty-file"], 3)
    for kind in extra:
        if kind == "fifo":
            os.mkfifo(folder / "pipe")
        elif kind == "loop":
            (folder / "sub" / "up").symlink_to(folder)
        elif kind == "dangling":
            (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
        elif kind == "self-loop":
            (folder / "self").symlink_to(folder / "self")
        elif kind == "hidden":
            (folder / ".hidden.txt").write_bytes(data)
        elif kind == "empty-sub":
            (folder / "sub" / "empty").mkdir()
        elif kind == "second":
            other_name, other = seed_files[rng.choice(sorted(seed_files))]
            (folder / "sub" / other_name).write_bytes(mutate(other, rng, pool)[0])
        elif kind == "empty-file":
            (folder / "empty.txt").write_bytes(b"")
    return folder, f"{seed}:{how}:folder+{'+'.join(extra)}"


def expected_names(path: Path) -> list[str]:
    """The names (as accord writes them) of the files of an input that must be
    read or listed as skipped: every non-hidden entry of a folder, followed
    into sub-folders (not through links), and the path itself otherwise."""
    try:
        from accord.ingest.sources import display_name
    except ImportError:  # an accord from before names were escaped (to compare versions)
        display_name = str  # noqa: N806

    if not path.is_dir():
        return [display_name(str(path))]
    names = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))]
        names += [display_name(os.path.join(folder, f)) for f in files if not f.startswith(".")]
        names += [display_name(os.path.join(folder, d)) for d in os.listdir(folder)
                  if os.path.islink(os.path.join(folder, d)) and os.path.isdir(os.path.join(folder, d))
                  and not d.startswith(".")]
    return names


def silent_drops(path: Path, sources: list[str], *, stderr: str | None = None) -> list[str]:
    """Files of the input that no document and no skipped entry names (or,
    when nothing was written, that no line of ``stderr`` names)."""
    dropped = []
    for name in expected_names(path):
        if stderr is not None:
            if name not in stderr:
                dropped.append(name)
        elif not any(s == name or s.startswith(name + ":") or s.startswith(name + "#") for s in sources):
            dropped.append(name)
    return dropped


def provenance_violations(data: dict) -> list[str]:
    """What breaks the provenance invariant in a dossier dict."""
    texts = {d["id"]: d["text"] for d in data.get("documents", [])}
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            if {"doc", "start", "end", "text", "raw"} <= node.keys():
                text = texts.get(node["doc"])
                if text is None or text[node["start"]:node["end"]] != node["text"]:
                    found.append(f"span-text:{where}")
                elif node["raw"] is not None and not 0 <= node["raw"][0] <= node["raw"][1]:
                    found.append(f"span-raw:{where}")
            for key, value in node.items():
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(data, "dossier")
    for document in data.get("documents", []):
        for repair in document.get("repairs", []):
            if repair["start"] is not None and not 0 <= repair["start"] <= repair["end"] <= len(document["text"]):
                found.append(f"repair:{repair['kind']}")
    return found


# ----------------------------------------------------------------------------- a hostile server on 127.0.0.1


class Hostile:
    """A web server on 127.0.0.1 that misbehaves on purpose, for links found
    inside inputs (which must never reach it: it is a private address) and for
    URLs the user names (which must end in a document or an error, in time).

    Paths: /secret (a page no feed may fetch), /truncated (a body shorter than
    its Content-Length), /drip (a byte every half second), /huge (announces a
    terabyte), /redirect-private and /redirect-file (redirects to this server
    and to file://), /loop (redirects to itself), /garbage (not HTTP)."""

    PATHS = ["/secret", "/truncated", "/drip", "/huge", "/redirect-private", "/redirect-file", "/loop", "/garbage"]

    def __init__(self) -> None:
        import http.server
        import socketserver
        import threading

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the server's name for it
                outer.hits.append(self.path)
                path = self.path
                try:
                    if path == "/secret":
                        self._answer(200, b"<html><body><p>SECRET internal page</p></body></html>")
                    elif path == "/truncated":
                        self.send_response(200)
                        self.send_header("Content-Length", "5000")
                        self.send_header("Content-Type", "text/plain")
                        self.end_headers()
                        self.wfile.write(b"Only the first part of a report. " * 10)
                        self.close_connection = True
                    elif path == "/drip":
                        self.send_response(200)
                        self.send_header("Content-Type", "text/plain")
                        self.end_headers()
                        for _ in range(40):
                            self.wfile.write(b"x")
                            self.wfile.flush()
                            time.sleep(0.5)
                    elif path == "/huge":
                        self.send_response(200)
                        self.send_header("Content-Length", str(10**12))
                        self.end_headers()
                        self.wfile.write(b"a" * 100_000)
                    elif path == "/redirect-private":
                        self._redirect(f"http://127.0.0.1:{outer.port}/secret")
                    elif path == "/redirect-file":
                        self._redirect("file:///etc/passwd")
                    elif path == "/loop":
                        self._redirect("/loop")
                    else:
                        self.wfile.write(b"\x00\xff not http at all\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _answer(self, code: int, body: bytes) -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, where: str) -> None:
                self.send_response(302)
                self.send_header("Location", where)
                self.send_header("Content-Length", "0")
                self.end_headers()

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.hits: list[str] = []
        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.server.shutdown()


def fetch_findings(url: str, public_only: bool) -> list[list[str]]:
    """Fetch a URL of the hostile server as accord does (a link inside an input
    when ``public_only``, else one the user named) and say what went wrong:
    a link that reached 127.0.0.1, a truncated or oversized body kept, an
    exception other than InputError."""
    from accord.errors import InputError
    from accord.ingest.sources import fetch_url

    from urllib.parse import urlsplit

    path = urlsplit(url).path
    try:
        data = fetch_url(url, timeout=3, retries=0, deadline=8, public_only=public_only)
    except InputError as error:
        if public_only and "private address" not in error.reason:
            return [["ssrf", f"ssrf:not-refused-as-private:{path}", error.reason]]
        return []
    if public_only:
        return [["ssrf", f"ssrf:fetched:{path}", f"{len(data)} bytes from {url}"]]
    if path in ("/truncated", "/huge", "/redirect-file", "/loop", "/garbage", "/drip"):
        return [["drop", f"kept-bad-body:{path}", f"{len(data)} bytes from {url}"]]
    return []


# ----------------------------------------------------------------------------- the in-process worker


def _limit(memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/accord/" in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.name}" if where else "?"
    return f"{type(exc).__name__}@{place}"


def _internal(reason: str) -> str:
    """The signature of an input skipped for an internal error: its stage and
    exception type, without the message's particulars."""
    head = reason.split(":", 2)
    return "internal:" + ":".join(part.strip()[:40] for part in head[:2])


class _Hang(BaseException):
    """The worker's own time limit: a BaseException, so that accord's guard
    (``runner.attempt``, which catches Exception) cannot take it for an
    input's internal error."""


def worker(memory_mb: int, timeout: float) -> None:
    """Serve inputs from stdin (one JSON line each) and answer on stdout."""
    _limit(memory_mb)
    from accord.analyze.nlp import load
    from accord.pipeline import analyze, dossier, ingest

    load()

    def alarm(*_):
        raise _Hang()

    signal.signal(signal.SIGALRM, alarm)
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing accord prints may mix with the answers
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict = {"findings": []}
        signal.setitimer(signal.ITIMER_REAL, timeout)
        if "url" in request:
            try:
                answer["findings"] += fetch_findings(request["url"], request["public_only"])
            except _Hang:
                answer["findings"].append(["hang", "hang:fetch", f"over {timeout:g} s"])
            except BaseException as exc:  # noqa: BLE001 - every escape is a finding
                answer["findings"].append(["crash", _signature(exc), "".join(traceback.format_exception(exc))[-2000:]])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            out.write(json.dumps(answer) + "\n")
            out.flush()
            continue
        path = Path(os.fsdecode(bytes.fromhex(request["path"])))
        try:
            batch = ingest([path])
            named = [d.source for d in batch.documents] + [s.source for s in batch.skipped]
            for name in silent_drops(path, named):
                answer["findings"].append(["drop", f"drop:{Path(name).suffix or 'none'}", name])
            answer["findings"] += _skip_findings(batch.skipped)
            if batch.documents and request.get("analyze", True):
                analysed = analyze(batch)
                answer["findings"] += _skip_findings(analysed.skipped[len(batch.skipped):])  # the analysis's
                result = dossier(analysed)
                data = json.loads(result.to_json())
                json.dumps(data, ensure_ascii=False).encode("utf-8")
                result.to_html().encode("utf-8")
                for problem in provenance_violations(data):
                    answer["findings"].append(["provenance", problem, problem])
        except _Hang:
            answer["findings"].append(["hang", "hang:in-process", f"over {timeout:g} s"])
        except MemoryError:
            answer["findings"].append(["crash", "memory:in-process", f"over {memory_mb} MB"])
        except BaseException as exc:  # noqa: BLE001 - every escape is a finding
            answer["findings"].append(["crash", _signature(exc), "".join(traceback.format_exception(exc))[-2000:]])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out.write(json.dumps(answer) + "\n")
        out.flush()


def _skip_findings(skipped: list) -> list[list[str]]:
    """The findings among inputs accord skipped: an internal error (isolated,
    so the batch went on, but still a bug), or an input stopped by the
    per-input time or memory budget (a hang or a blow-up, isolated)."""
    found = []
    for entry in skipped:
        if entry.reason.startswith("internal error"):
            found.append(["crash", _internal(entry.reason), entry.reason])
        elif entry.reason.startswith("took over"):
            found.append(["hang", "hang:budget", entry.reason])
        elif entry.reason.startswith("ran out of memory"):
            found.append(["crash", "memory:budget", entry.reason])
    return found


class Worker:
    """The harness's end of a worker process, restarted when it dies or hangs."""

    def __init__(self, memory_mb: int, timeout: float) -> None:
        self.memory_mb, self.timeout = memory_mb, timeout
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--memory-mb", str(self.memory_mb), "--timeout", str(self.timeout)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )

    def run(self, path: Path | None, *, analyze: bool = True, url: str | None = None,
            public_only: bool = False) -> list[list[str]]:
        """The findings of one input: a path (read, and analysed when
        ``analyze``), or a URL to fetch."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process and self.process.stdin and self.process.stdout
        request = ({"url": url, "public_only": public_only} if url is not None
                   else {"path": os.fsencode(str(path)).hex(), "analyze": analyze})
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        import select

        # Model load on a fresh worker, then the input's own time.
        ready, _, _ = select.select([self.process.stdout], [], [], self.timeout + 60)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            code = self.process.poll()
            self.stop()
            if not ready:
                return [["hang", "hang:in-process-hard", f"no answer in {self.timeout + 60:g} s"]]
            return [["crash", f"worker-died:{code}", f"exit status {code} (memory limit or a signal)"]]
        return json.loads(line)["findings"]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


# ----------------------------------------------------------------------------- through the command line


def run_cli(path: Path, outdir: Path, memory_mb: int, timeout: float) -> list[list[str]]:
    """``accord dossier PATH -o OUT.json`` in a process of its own."""
    out = outdir / "dossier.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", "dossier", str(path), "-o", str(out), "-q"],
            capture_output=True, timeout=timeout + 30, env=env, preexec_fn=lambda: _limit(memory_mb), stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return [["hang", "hang:cli", f"over {timeout + 30:g} s"]]
    stderr = result.stderr.decode("utf-8", "replace")
    if "Traceback" in stderr or result.returncode not in (0, 1, 3):
        last = [l for l in stderr.strip().splitlines() if l.strip()][-1:] or [f"exit {result.returncode}"]
        return [["crash", f"cli:{result.returncode}:{last[0].split(':')[0][:60]}", stderr[-2000:]]]
    findings = [["crash", _internal(line.split(": ", 2)[-1]), line] for line in stderr.splitlines()
                if line.startswith("accord: skipped ") and ": internal error" in line]
    if result.returncode == 3:
        dropped = silent_drops(path, [], stderr=stderr)
    else:
        data = json.loads(out.read_text(encoding="utf-8"))
        dropped = silent_drops(path, [d["source"] for d in data["documents"]] + [s["source"] for s in data["skipped"]])
        findings += [["provenance", p, p] for p in provenance_violations(data)]
    return findings + [["drop", "drop:cli", n] for n in dropped]


# ----------------------------------------------------------------------------- the campaign


def campaign(inputs: int, seed: int, out: Path | None, cli_every: int, timeout: float, memory_mb: int,
             quiet: bool = False, analyze_every: int = 1, net: bool = True, max_seconds: float | None = None,
             big_share: float = BIG_SHARE) -> dict:
    """Run ``inputs`` generated inputs; returns the counts and findings. Every
    input is read; every ``analyze_every``-th is also analysed into a dossier
    (its provenance checked). With ``net``, a share of the inputs are URLs of
    a hostile server on 127.0.0.1, fetched as links inside inputs (refused)
    or as URLs the user named (an error in time, never a bad body kept)."""
    rng = random.Random(seed)
    seed_files = seeds()
    counts: Counter[str] = Counter()
    signatures: dict[str, dict] = {}
    started = time.monotonic()
    runner = Worker(memory_mb, timeout)
    hostile = Hostile() if net else None
    workdir = Path(tempfile.mkdtemp(prefix="accord-fuzz-"))
    done = 0
    try:
        for number in range(inputs):
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break  # out of time: the counts say how many ran
            if not quiet and number and number % 100 == 0:
                print(f"  {number} inputs, {time.monotonic() - started:.0f} s, findings {dict(counts)}", file=sys.stderr)
            done += 1
            if hostile is not None and rng.random() < NET_SHARE:
                where, public_only = rng.choice(Hostile.PATHS), rng.random() < 0.5
                findings = runner.run(None, url=hostile.url(where), public_only=public_only)
                label = f"net:{where}:{'link' if public_only else 'named'}"
                counts["fetches"] += 1
                if public_only and hostile.hits:
                    findings.append(["ssrf", f"ssrf:reached:{where}", "the hostile server saw the request"])
                hostile.hits.clear()
                _tally(findings, label, None, counts, signatures, out)
                continue
            path, label = build_input(workdir, number, rng, seed_files, big_share)
            analyzed = analyze_every <= 1 or number % analyze_every == 0
            findings = runner.run(path, analyze=analyzed)
            counts["in-process runs"] += 1
            counts["analysed"] += analyzed
            if cli_every and number % cli_every == 0:
                findings += run_cli(path, workdir, memory_mb, timeout)
                counts["cli runs"] += 1
            _tally(findings, label, path, counts, signatures, out)
            shutil.rmtree(workdir / f"in{number}", ignore_errors=True)
    finally:
        runner.stop()
        if hostile is not None:
            hostile.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return {"inputs": done, "seconds": time.monotonic() - started, "counts": counts, "signatures": signatures}


def _tally(findings: list[list[str]], label: str, path: Path | None, counts: Counter[str],
           signatures: dict[str, dict], out: Path | None) -> None:
    for kind, signature, detail in findings:
        counts[kind] += 1
        if signature not in signatures:
            signatures[signature] = {"kind": kind, "label": label, "detail": detail, "count": 0}
            if out is not None and path is not None:
                _reproducer(out, signature, path, label, detail)
        signatures[signature]["count"] += 1


def _reproducer(out: Path, signature: str, path: Path, label: str, detail: str) -> None:
    """A folder per signature: the input as it was, and how to run it."""
    folder = out / hashlib.sha1(signature.encode()).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "input"
    if path.is_dir():
        shutil.copytree(path, target, symlinks=True, ignore_dangling_symlinks=True, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names if not (Path(d) / n).is_symlink()
                                                 and not (Path(d) / n).is_dir() and not (Path(d) / n).is_file()])
    else:
        target.mkdir(exist_ok=True)
        shutil.copyfile(path, target / os.fsdecode(os.fsencode(path.name)))
    (folder / "README.txt").write_text(
        f"signature: {signature}\ninput: {label}\nreproduce: PYTHONPATH=src python -m accord.cli dossier {target}/* -o /tmp/d.json\n\n{detail}\n",
        encoding="utf-8", errors="backslashreplace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="a folder for a reproducer per finding")
    parser.add_argument("--cli-every", type=int, default=20, help="run every K-th input through the CLI too (0: never)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds an input may take (a hang beyond)")
    parser.add_argument("--memory-mb", type=int, default=4096, help="address space of a run, in MB")
    parser.add_argument("--analyze-every", type=int, default=1,
                        help="analyse every K-th input into a dossier (every input is read)")
    parser.add_argument("--no-net", action="store_true", help="no URLs of the hostile server on 127.0.0.1")
    parser.add_argument("--max-seconds", type=float, default=None,
                        help="stop starting inputs after this many seconds (the summary counts those run)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.memory_mb, args.timeout)
        return 0
    result = campaign(args.inputs, args.seed, args.out, args.cli_every, args.timeout, args.memory_mb,
                      analyze_every=args.analyze_every, net=not args.no_net, max_seconds=args.max_seconds)
    counts = result["counts"]
    print(f"inputs {result['inputs']} ({counts['in-process runs']} files read in-process, {counts['analysed']} of them "
          f"analysed, {counts['cli runs']} through the CLI, {counts['fetches']} fetches from the hostile server) "
          f"in {result['seconds']:.0f} s")
    print(f"crashes {counts['crash']}, hangs over {args.timeout:g} s {counts['hang']}, silent drops {counts['drop']}, "
          f"provenance violations {counts['provenance']}, private links reached {counts['ssrf']}; "
          f"{len(result['signatures'])} distinct signatures")
    for signature, found in sorted(result["signatures"].items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {found['count']:5d}  {found['kind']:10s} {signature}  (first: {found['label']})")
    return 0 if not result["signatures"] else 1


if __name__ == "__main__":
    sys.exit(main())
