"""Readers of every kind of news input: PDF, JSON and JSON Lines, WARC, RSS and
Atom feeds, URLs (from a local server only), and gzip around any of them."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from accord.clean import clean
from accord.errors import InputError
from accord.ingest import detect_format, read, sources
from accord.ingest.decode import decompress
from accord.ingest.documents import from_text
from accord.ingest.pdf import page_furniture
from accord.ingest.metadata import normalise_date
from accord.ingest.records import DEFAULT_FIELDS
from accord.ingest.warc import read_warc
from accord.model import RawDocument, Skipped

# Invented reports (no copied articles): enough words to read as an article.
BODY = (
    "The Darin river council approved the water accord on Tuesday after a debate that lasted "
    "late into the night, and the upstream farmers said they would abide by the new quotas. "
    "The minister for water, Ana Kell, said the agreement was fair to both banks of the river."
)
SECOND = (
    "Under the accord, each bank may draw no more than forty percent of the summer flow, and a "
    "joint commission will measure the river at three gauges every week until the next review."
)
PAGE = (
    "<!doctype html><html lang='en'><head><title>River accord approved</title>"
    "<meta property='og:site_name' content='Northern Dispatch'></head><body><nav>Home | World</nav>"
    f"<article><h1>River accord approved</h1><p>{BODY}</p><p>{SECOND}</p></article></body></html>"
)


def by_source(entries: list[RawDocument | Skipped], folder) -> dict[str, RawDocument | Skipped]:
    """The entries by their source names, less the folder they were read from."""
    return {e.source.removeprefix(f"{folder}/").removeprefix(f"{folder}\\"): e for e in entries}


# --------------------------------------------------------------------------- format detection


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "report.bin", "pdf"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl", "warc"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed", "feed"),
        (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">', "x.txt", "feed"),
        (b'{"title": "a", "text": "b"}\n{"title": "c"}', "export.txt", "json"),
        (b'[{"title": "a"}]', "export", "json"),
        (b"<!DOCTYPE html><html><body><p>x</p>", "page.txt", "html"),
        (b"[Updated] The council met on Tuesday.", "story.txt", "text"),
        (b"{braces} open this story, oddly.", "story.txt", "text"),
        (b"Plain words of a report.", "story.json", "text"),
    ],
)
def test_format_is_told_from_the_content(data, name, expected):
    assert detect_format(data, name) == expected


# --------------------------------------------------------------------------- JSON


def test_json_lines_keep_the_good_lines_and_skip_each_broken_one(tmp_path):
    lines = [
        json.dumps({"title": "River accord approved", "text": f"{BODY}\n\n{SECOND}",
                    "url": "https://northern-dispatch.example/accord", "published_at": "2025-07-10T21:30:00-05:00",
                    "source": {"id": "nd", "name": "Northern Dispatch"}, "author": "By Ana Kell and Tom Ren"}),
        '{"title": "cut off", "text": "The council',
        json.dumps({"headline": "Farmers agree", "articleBody": f"<p>{BODY}</p><p>{SECOND}</p>",
                    "link": "https://valley-post.example/farmers", "pubDate": "Thu, 10 Jul 2025 08:00:00 GMT",
                    "authors": [{"name": "Lee Moss"}]}),
        "",
        json.dumps({"title": "no body here"}),
        "[1, 2]",
        json.dumps({"body": [BODY, SECOND], "date": 1752150000}),
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines))
    entries = by_source(list(read([path])), tmp_path)
    assert list(entries) == ["export.jsonl:1", "export.jsonl:2", "export.jsonl:3", "export.jsonl:5",
                             "export.jsonl:6", "export.jsonl:7"]
    first = entries["export.jsonl:1"]
    assert isinstance(first, RawDocument) and first.format == "json"
    assert (first.title, first.outlet, first.published) == ("River accord approved", "Northern Dispatch", "2025-07-10")
    assert first.authors == ["Ana Kell", "Tom Ren"] and first.url.endswith("/accord")
    assert first.text == first.raw and SECOND in first.text
    broken = entries["export.jsonl:2"]
    assert isinstance(broken, Skipped) and broken.reason.startswith("line 2 is not valid JSON (")
    html = entries["export.jsonl:3"]
    assert isinstance(html, RawDocument) and "<p>" not in html.text and "forty percent" in html.text
    assert (html.published, html.authors, html.outlet) == ("2025-07-10", ["Lee Moss"], "valley-post.example")
    assert "no text" in entries["export.jsonl:5"].reason
    assert "not an object" in entries["export.jsonl:6"].reason
    assert entries["export.jsonl:7"].published == "2025-07-10" and SECOND in entries["export.jsonl:7"].text


def test_json_exports_and_custom_field_names(tmp_path):
    (tmp_path / "array.json").write_text(json.dumps([{"text": BODY, "title": "One"}, "not a record"]))
    (tmp_path / "wrapped.json").write_text(json.dumps({"status": "ok", "articles": [{"content": SECOND, "title": "Two"}]}))
    (tmp_path / "single.json").write_text(json.dumps({"maintext": BODY, "title": "Three", "date_publish": "2025-07-09 10:00:00"}))
    (tmp_path / "custom.json.gz").write_bytes(gzip.compress(json.dumps([{"story": BODY, "meta": {"paper": "Valley Post"}}]).encode()))
    fields = {**DEFAULT_FIELDS, "text": ["story", *DEFAULT_FIELDS["text"]], "outlet": ["meta.paper"]}
    entries = by_source(list(read([tmp_path], fields=fields)), tmp_path)
    assert entries["array.json#1"].title == "One"
    assert "not an object" in entries["array.json#2"].reason
    assert entries["wrapped.json#1"].title == "Two"
    assert entries["single.json"].published == "2025-07-09"
    assert entries["custom.json.gz#1"].outlet == "Valley Post"


def test_a_broken_json_array_is_one_skip(tmp_path):
    (tmp_path / "broken.json").write_text('[{"text": "a"}, {"text": ')
    (entry,) = read([tmp_path / "broken.json"])
    assert isinstance(entry, Skipped) and entry.reason.startswith("not valid JSON (")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-07-10T23:59:00+09:00", "2025-07-10"), ("10 July 2025", "2025-07-10"), ("July 10, 2025", "2025-07-10"),
     ("Thu, 10 Jul 2025 08:00:00 GMT", "2025-07-10"), (1752150000000, "2025-07-10"), ("20250710", "2025-07-10"),
     ("yesterday", None), ("2025-02-30", None), (None, None)],
)
def test_dates_are_normalised(value, expected):
    assert normalise_date(value) == expected


# --------------------------------------------------------------------------- PDF


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages carry the given lines as a text layer ([] is a blank page)."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        if not lines:
            continue
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def wrapped(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def test_pdf_text_layer_with_page_furniture_dropped(tmp_path):
    body = wrapped(" ".join([BODY, SECOND] * 3))
    pages = []
    for number, chunk in enumerate((body[:8], body[8:16], body[16:]), 1):
        head = ["Northern Dispatch | Weekly edition of 10 July 2025"]
        if number == 1:
            head += ["River accord approved", "By Ana Kell"]
        pages.append(head + chunk + [str(number)])
    path = tmp_path / "accord.pdf"
    path.write_bytes(make_pdf(pages))
    (raw,) = read([path])
    assert isinstance(raw, RawDocument) and raw.format == "pdf"
    assert raw.text == raw.raw and raw.text_map.source_span(0, 5) == (0, 5)
    assert (raw.title, raw.authors) == ("River accord approved", ["Ana Kell"])
    furniture = [d for d in raw.drops if d.kind == "page-furniture"]
    assert len(furniture) == 6
    assert {raw.raw[slice(*d.raw)].strip() for d in furniture} == {
        "Northern Dispatch | Weekly edition of 10 July 2025", "1", "2", "3"}
    document = clean(raw, "d1")
    assert "Weekly edition" not in document.text and "River accord approved" not in document.text
    assert document.text.startswith("The Darin river council") and "\n2\n" not in document.text
    # the body runs on across the page breaks, and its spans map into the text layer
    assert "forty percent" in document.text
    start = document.text.index("forty percent")
    span = document.span(start, start + len("forty percent"))
    assert " ".join(raw.raw[span.raw[0]:span.raw[1]].split()) == "forty percent"  # unwrapped


def test_pdf_without_text_layer_and_broken_pdf_are_skipped(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[]]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%garbage")
    entries = by_source(list(read([tmp_path])), tmp_path)
    assert entries["scan.pdf"].reason == "PDF has no text layer (scanned image?)"
    assert isinstance(entries["broken.pdf"], Skipped) and "\n" not in entries["broken.pdf"].reason


# --------------------------------------------------------------------------- WARC


def make_warc(records: list[tuple[str, str, str, bytes]], *, compressed: bool) -> bytes:
    """A WARC of (type, uri, content type, payload) records, with HTTP headers for responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    for record_type, uri, content_type, payload in records:
        headers = None
        if record_type == "response":
            status = "404 Not Found" if uri.endswith("/gone") else "200 OK"
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, record_type, payload=io.BytesIO(payload), http_headers=headers))
    return out.getvalue()


@pytest.mark.parametrize("compressed", [True, False])
def test_warc_responses_with_html_become_documents(tmp_path, compressed):
    cp1252_page = PAGE.replace("river", "river’s").encode("cp1252")
    data = make_warc([
        ("request", "https://northern-dispatch.example/accord", "", b"GET /accord HTTP/1.1\r\n\r\n"),
        ("response", "https://northern-dispatch.example/accord", "text/html; charset=utf-8", PAGE.encode()),
        ("response", "https://northern-dispatch.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("response", "https://northern-dispatch.example/menu", "text/html", b"<html><body><nav>Home</nav></body></html>"),
        ("response", "https://northern-dispatch.example/gone", "text/html", b"<html><body>Not found</body></html>"),
        ("response", "https://valley-post.example/story", "text/html; charset=windows-1252", cp1252_page),
    ], compressed=compressed)
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    (tmp_path / name).write_bytes(data)
    entries = list(read([tmp_path / name]))
    assert [e.source.removeprefix(f"{tmp_path}/") for e in entries] == [
        f"{name}#https://northern-dispatch.example/accord",
        f"{name}#https://northern-dispatch.example/menu",
        f"{name}#https://valley-post.example/story",
    ]
    page, menu, story = entries
    assert isinstance(page, RawDocument) and page.format == "warc"
    assert page.url == "https://northern-dispatch.example/accord" and page.title == "River accord approved"
    assert "forty percent" in page.text and "Home" not in page.text
    assert isinstance(menu, Skipped) and menu.reason == "no article text found in the HTML"
    assert "river’s council" in story.text
    counts: Counter[str] = Counter()
    list(read_warc(decompress(data, name), name, counts=counts))
    assert counts["documents"] == 2 and counts["skipped"] == 1
    assert counts["ignored: request record"] == 1 and counts["ignored: not HTML"] == 1
    assert counts["ignored: HTTP 404 response"] == 1


def test_warc_without_pages_is_one_skip(tmp_path):
    data = make_warc([("resource", "https://x.example/a.png", "", b"\x89PNG")], compressed=True)
    (tmp_path / "images.warc.gz").write_bytes(data)
    (entry,) = read([tmp_path / "images.warc.gz"])
    assert isinstance(entry, Skipped) and entry.reason.startswith("WARC holds no HTML page responses")


# --------------------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Northern Dispatch</title><link>https://northern-dispatch.example/</link>
<item><title>River accord approved</title><link>https://northern-dispatch.example/accord</link>
<pubDate>Thu, 10 Jul 2025 23:30:00 -0500</pubDate><dc:creator>Ana Kell</dc:creator>
<description>The council approved the accord.</description>
<content:encoded><![CDATA[<p>{BODY}</p><p>{SECOND}</p>]]></content:encoded></item>
<item><title>Farmers agree</title><link>https://northern-dispatch.example/farmers</link>
<author>desk@northern-dispatch.example (Tom Ren)</author><source url="https://wire.example/rss">Valley Wire</source>
<description>Upstream farmers &lt;b&gt;agree&lt;/b&gt; to the new quotas, the union says.</description></item>
<item><title>Photo gallery</title><link>https://northern-dispatch.example/gallery</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title><id>urn:valley</id>
<entry><title>Accord signed</title><link href="https://valley-post.example/signed"/><id>urn:1</id>
<published>2025-07-11T01:00:00+02:00</published><author><name>Lee Moss</name></author>
<summary>Short version.</summary><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;{SECOND}&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_items_with_full_text_teasers_and_no_text(tmp_path):
    (tmp_path / "feed.xml").write_text(RSS)
    entries = by_source(list(read([tmp_path / "feed.xml"])), tmp_path)
    full = entries["feed.xml#https://northern-dispatch.example/accord"]
    assert isinstance(full, RawDocument) and full.format == "feed"
    assert (full.title, full.outlet, full.published, full.authors) == (
        "River accord approved", "Northern Dispatch", "2025-07-10", ["Ana Kell"])
    assert "forty percent" in full.text and "<p>" not in full.text
    teaser = entries["feed.xml#https://northern-dispatch.example/farmers"]
    assert teaser.format == "feed-teaser" and teaser.text.startswith("Upstream farmers agree to the new quotas")
    assert (teaser.outlet, teaser.authors) == ("Valley Wire", ["Tom Ren"])
    gallery = entries["feed.xml#https://northern-dispatch.example/gallery"]
    assert isinstance(gallery, Skipped) and "no text" in gallery.reason


def test_atom_feed_gzipped(tmp_path):
    (tmp_path / "valley.atom.gz").write_bytes(gzip.compress(ATOM.encode()))
    (entry,) = read([tmp_path / "valley.atom.gz"])
    assert entry.source.endswith("valley.atom.gz#https://valley-post.example/signed")
    assert (entry.format, entry.outlet, entry.published, entry.authors) == ("feed", "Valley Post", "2025-07-11", ["Lee Moss"])
    assert "forty percent" in entry.text


# --------------------------------------------------------------------------- URLs (local server only)


class _Handler(BaseHTTPRequestHandler):
    routes = {
        "/story.html": ("text/html; charset=utf-8", PAGE.encode()),
        "/feed": ("application/rss+xml", RSS.encode()),
        "/export.jsonl.gz": ("application/gzip", gzip.compress(json.dumps({"text": BODY, "title": "T"}).encode())),
    }

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path == "/slow":
            time.sleep(1.5)  # longer than the client waits: it has gone when this answers
            return
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        content_type, body = route
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def local_server(monkeypatch):
    """An HTTP server on 127.0.0.1 (a free port) for the length of one test."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_urls_are_read_by_their_content_and_failures_are_skipped(local_server, monkeypatch):
    monkeypatch.setattr(sources, "TIMEOUT", 0.5)
    monkeypatch.setattr(sources, "RETRIES", 0)
    started = time.monotonic()
    entries = list(read([f"{local_server}/story.html", f"{local_server}/feed", f"{local_server}/missing",
                         f"{local_server}/slow", f"{local_server}/export.jsonl.gz"]))
    assert time.monotonic() - started < 10
    sources_read = [e.source.removeprefix(local_server) for e in entries]
    assert sources_read == [
        "/story.html",
        "/feed#https://northern-dispatch.example/accord",
        "/feed#https://northern-dispatch.example/farmers",
        "/feed#https://northern-dispatch.example/gallery",
        "/missing",
        "/slow",
        "/export.jsonl.gz",
    ]
    page = entries[0]
    assert isinstance(page, RawDocument) and page.format == "html" and "forty percent" in page.text
    assert entries[1].format == "feed"
    assert entries[4] == Skipped(f"{local_server}/missing", "HTTP 404 Not Found")
    assert entries[5] == Skipped(f"{local_server}/slow", "timed out after 0.5 s")
    assert entries[6].title == "T"


def test_fetch_url_retries_then_gives_the_last_reason(local_server):
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out after 0.2 s"):
        sources.fetch_url(f"{local_server}/slow", timeout=0.2, retries=1)
    assert time.monotonic() - started < 3


# --------------------------------------------------------------------------- inputs too large to hold


def test_record_streams_over_the_limit_are_read_one_record_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_BYTES", 16 * 1024)
    line = json.dumps({"title": "River accord approved", "text": f"{BODY}\n\n{SECOND}"})
    lines = [line] * 40 + ["{broken", json.dumps({"text": "x" * 20_000})]
    (tmp_path / "big.jsonl").write_text("\n".join(lines))  # 20 kB, over the limit
    (tmp_path / "big.jsonl.gz").write_bytes(gzip.compress("\n".join([line] * 40).encode()))  # small on disk
    pages = [("response", f"https://northern-dispatch.example/{n}", "text/html", PAGE.encode()) for n in range(12)]
    (tmp_path / "big.warc.gz").write_bytes(make_warc(pages, compressed=True) * 3)  # gzip members concatenated
    (tmp_path / "big.txt").write_text(BODY * 100)
    everything = list(read([tmp_path]))
    entries = by_source(everything, tmp_path)
    jsonl = [e for name, e in entries.items() if name.startswith("big.jsonl:")]
    assert len(jsonl) == 42 and all(isinstance(e, RawDocument) for e in jsonl[:40])
    assert entries["big.jsonl:41"].reason.startswith("line 41 is not valid JSON")
    assert entries["big.jsonl:42"].reason == "line 42 is too long (over 16384 bytes)"
    assert sum(1 for name in entries if name.startswith("big.jsonl.gz:")) == 40
    pages_read = [e for e in everything if "big.warc.gz#" in e.source and isinstance(e, RawDocument)]
    assert len(pages_read) == 36  # the same twelve pages three times
    assert entries["big.txt"].reason == "file too large (0.03 MB; the limit is 0.02 MB)"


_WORDS = st.sampled_from("the council river accord said on Tuesday water farmers minister 12 2025 page".split())
_LINE = st.lists(_WORDS, min_size=1, max_size=10).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(pages=st.lists(st.lists(_LINE, min_size=1, max_size=6), min_size=1, max_size=5),
       header=st.sampled_from(["", "Northern Dispatch", "Page"]))
def test_pdf_furniture_drops_never_overlap_and_clean_text_maps_outside_them(pages, header):
    texts = [("\n".join(([header] if header else []) + lines + [str(n)])) for n, lines in enumerate(pages, 1)]
    text = "\n".join(texts)
    spans, position = [], 0
    for page in texts:
        spans.append((position, position + len(page)))
        position += len(page) + 1
    try:
        raw = from_text("x.pdf", text, "0" * 64, fmt="pdf", furniture=page_furniture(text, spans), hard_wrapped=True)
    except InputError:
        return  # nothing but furniture and header: skipped, as it should be
    drops = sorted(raw.drops, key=lambda d: d.raw)
    for before, after in zip(drops, drops[1:]):
        assert before.raw[1] <= after.raw[0], (before, after)
    assert all(0 <= d.raw[0] < d.raw[1] <= len(text) for d in drops)
    document = clean(raw, "d1")
    for index in range(len(document.text)):
        source = document.offsets[index]
        if source >= 0:
            assert not any(d.raw[0] <= source < d.raw[1] for d in drops)
