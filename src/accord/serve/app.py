"""``accord serve``: a local web app over a store. Flask (a maintained web
framework with Jinja2 templates that escape every value) serves:

- ``/``: the stories, with search, date and outlet filters, counts, and pages;
- ``/stories/<id>``: the story's dossier, the same self-contained report as
  ``accord dossier -o x.html`` (from the store's cached dossier); with
  ``?since=N`` it opens with what changed since version N of the dossier;
- ``/stories/<id>/documents`` and ``/documents/<id>``: the documents, each
  with its clean text and the repairs made to it; the first also lists the
  dossier's versions, each linking to what changed since it;
- ``/feeds``: what ``accord watch`` saw of each feed at its last poll;
- ``/api/...``: the same data as JSON (``/api`` lists the endpoints; the
  dossier is the ``accord.dossier/1`` contract, the lists follow
  ``schema/api.schema.json``).

The app reads only: GET requests never write. With ``writable``, a POST to
``/stories/<id>/dossier`` (or ``/api/stories/<id>/dossier``) carrying the
app's token (form field ``token`` or header ``X-Accord-Token``; the pages show
it in their forms, ``accord serve`` logs it) caches the story's dossier in the
store. Every request's Host header must name the address listened on, an IP
address, ``localhost`` or a name given with ``allowed_hosts``: a page on
another site whose name is made to resolve to this machine (DNS rebinding)
is answered 421. A search is bounded (``Settings.serve_max_query_*``)
and runs without holding the store's lock.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, render_template_string, request, url_for
from markupsafe import Markup

from accord.errors import UsageError
from accord.render import to_html
from accord.settings import DEFAULT, Settings
from accord.render.tables import csv_text, rows
from accord.store import DamagedStore, Store

from .catalog import Catalog, Query

__all__ = ["create_app"]

_log = logging.getLogger("accord")
#: Seconds a list request may spend making the dossiers of listed stories
#: that have no counts yet: ``Settings.serve_count_seconds`` (where its value
#: comes from is said there), under its old name.
COUNT_SECONDS = DEFAULT.serve_count_seconds
#: The tables a story's CSV export offers (``/stories/<id>/<table>.csv``).
CSV_TABLES = ("facts", "quotes", "conflicts", "coverage", "statements", "documents")

#: Pages of the app run no script and load nothing from elsewhere.
_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'")
#: Stories a list page shows, and at most; the longest search (words,
#: characters): ``Settings.serve_*``, under their old names.
PER_PAGE = DEFAULT.serve_per_page
MAX_PER_PAGE = DEFAULT.serve_max_per_page
MAX_QUERY_CHARS = DEFAULT.serve_max_query_chars
MAX_QUERY_WORDS = DEFAULT.serve_max_query_words
#: The last page number a request may ask for (larger is the last page anyway).
MAX_PAGE = 10**6


def _host_name(header: str) -> str:
    """The host of a Host header, without its port or IPv6 brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def create_app(store_path: str, *, writable: bool = False, host: str = "127.0.0.1", port: int | None = None,
               allowed_hosts: tuple[str, ...] = (), settings: Settings = DEFAULT) -> Flask:
    """The web app over the store at ``store_path``, to be served on
    ``host``; requests naming another host than it, an IP address,
    ``localhost`` or one of ``allowed_hosts`` are refused (421). ``settings``
    give the page sizes, search bounds and time for counts (``serve_*``) and
    make the dossiers. Raises UsageError when the file is not an accord store."""
    # Reads go through a read-only store; a writable one is opened only for
    # the POSTs that cache a dossier, so no GET can write.
    store = Store.open(store_path, readonly=True, settings=settings)
    writer = Store.open(store_path, settings=settings) if writable else None
    token = secrets.token_urlsafe(24)
    hosts = {_host_name(h) for h in (host, "localhost", *allowed_hosts) if h}
    # SQLite connections belong to one thread at a time; requests are served
    # on several, so store access goes through one lock.
    lock = threading.RLock()
    catalog = Catalog(store)
    # Read the story list once now, so that no request pays for it (about
    # 1.5 s over 100,000 documents); later it is read again only when the
    # store changes.
    catalog.rows()
    app = Flask(__name__)
    app.config["ACCORD_STORE"] = store
    app.config["ACCORD_TOKEN"] = token
    app.jinja_env.globals["accord_token"] = token if writable else None

    @app.before_request
    def check_host() -> Any:
        name = _host_name(request.headers.get("Host", ""))
        if not (name in hosts or _is_ip(name)):
            return Response(f"accord serve answers for {host} only (see --allow-host)\n", 421, mimetype="text/plain")
        return None

    def query_from(args: Any) -> Query:
        def number(name: str, default: int, top: int) -> int:
            try:
                return max(1, min(top, int(args.get(name, default))))
            except ValueError:
                return default
        text = args.get("q", "").strip()
        chars, words = settings.serve_max_query_chars, settings.serve_max_query_words
        if len(text) > chars or len(text.split()) > words:
            abort(400, description=f"a search takes at most {words} words and {chars} characters")
        return Query(
            text=text,
            outlet=args.get("outlet", "").strip()[:chars],
            since=args.get("from", "").strip()[:10],
            until=args.get("to", "").strip()[:10],
            page=number("page", 1, MAX_PAGE),
            per_page=number("per_page", settings.serve_per_page, settings.serve_max_per_page),
        )

    def search(query: Query) -> Any:
        # The lock covers reading the store; the rows it gives are not changed
        # after, so the search itself runs without it and holds up nobody.
        with lock:
            rows = catalog.rows()
        return catalog.page(query, rows)

    def check_token() -> None:
        given = request.form.get("token") or request.headers.get("X-Accord-Token") or ""
        if writer is None:
            abort(403, description="this app is read-only (accord serve --writable caches dossiers)")
        if not secrets.compare_digest(given.encode(), token.encode()):
            abort(403, description="a write needs the app's token")

    @app.post("/stories/<story_id>/dossier")
    @app.post("/api/stories/<story_id>/dossier")
    def cache_dossier(story_id: str) -> Any:
        check_token()
        assert writer is not None
        with lock:
            try:
                writer.story(story_id)
            except UsageError:
                abort(404, description=f"no story {story_id}")
            dossier = writer.dossier(story_id)
        if request.path.startswith("/api/"):
            return jsonify({"story": story_id, "facts": len(dossier.facts), "conflicts": len(dossier.conflicts)})
        return Response(status=303, headers={"Location": url_for("story_documents", story_id=story_id)})

    def story_or_404(story_id: str):
        try:
            return store.story(story_id)
        except UsageError:
            abort(404, description=f"no story {story_id}")

    # One line a request, through accord's logger (werkzeug's own line
    # was printed a second time through a root handler).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    @app.after_request
    def log_request(response: Response) -> Response:
        _log.info("%s %s %d", request.method, request.full_path.rstrip("?"), response.status_code)
        return response

    def fill_counts(rows: list[dict[str, Any]]) -> None:
        """Make the dossiers of the listed stories that have no counts yet,
        for up to ``settings.serve_count_seconds`` a request: the list shows
        every story's counts after a view or a few (read-only too: kept in
        memory)."""
        started = time.monotonic()
        for row in rows:
            if row.get("facts") is None and time.monotonic() - started < settings.serve_count_seconds:
                try:
                    counts_of(row["id"], store.dossier(row["id"]))
                except UsageError:  # a damaged row too: that story is listed without counts
                    continue

    def counts_of(story_id: str, dossier: Any) -> None:
        catalog.counted(story_id, {
            "facts": len(dossier.facts),
            "corroborated": sum(1 for f in dossier.facts if f.status == "corroborated"),
            "conflicts": len(dossier.conflicts),
        })

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/")
    def stories() -> str:
        query = query_from(request.args)
        page = search(query)
        with lock:  # making missing counts reads the store
            fill_counts(page.stories)

        def link(number: int) -> str:
            args = {k: v for k, v in request.args.items() if k != "page"}
            return url_for("stories", page=number, **args)

        return render_template("stories.html", page=page, query=query, link=link, path=store.path)

    def since_of(args: Any) -> int | None:
        """The ``since`` parameter: a version number, or None when absent."""
        value = args.get("since", "").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 9 or int(value) < 1:
            abort(400, description="since is the number of a version of the story's dossier (1, 2…)")
        return int(value)

    def dossier_data(story_id: str, since: int | None) -> dict[str, Any]:
        """The story's dossier as its JSON contract; with ``since`` carrying
        what changed since that version (404 when the story has none)."""
        with lock:
            found = story_or_404(story_id)
            if since is not None:
                try:
                    store.dossier_version(found.id, since)
                except UsageError as error:
                    abort(404, description=str(error))
            dossier = store.dossier(story_id)
            changes = store.dossier_changes(found.id, since, dossier) if since is not None else None
        counts_of(story_id, dossier)
        data = dossier.to_dict()
        if changes is not None:
            data["changes"] = changes
        return data

    @app.get("/stories/<story_id>")
    def story(story_id: str) -> Response:
        data = dossier_data(story_id, since_of(request.args))
        page = _with_app_bar(to_html(data), data["story"]["id"], data.get("changes"))
        # The report carries its own policy (its one script, by hash).
        return Response(page, mimetype="text/html", headers={"Content-Security-Policy": _report_csp(page)})

    @app.get("/stories/<story_id>/documents")
    def story_documents(story_id: str) -> str:
        with lock:
            found = story_or_404(story_id)
            documents = store.documents(found.documents)
            versions = store.versions(found.id)
        return render_template("story.html", story=found, documents=documents, versions=versions)

    @app.get("/api/stories/<story_id>/versions")
    def api_versions(story_id: str) -> Response:
        with lock:
            found = story_or_404(story_id)
            versions = store.versions(found.id)
        return jsonify({"story": found.id, "versions": versions})

    @app.get("/documents/<doc_id>")
    def document(doc_id: str) -> str:
        with lock:
            try:
                found = store.documents([doc_id])[0]
            except DamagedStore:
                raise  # there, but unreadable: not a 404
            except UsageError:
                abort(404, description=f"no document {doc_id}")
            # A document belongs to one story in the store (merged stories resolve to the kept one).
            story_id = store.resolve(store._story_of(doc_id))
            stories_of = [row for row in catalog.rows() if row["id"] == story_id]
            story_found = store.story(story_id)
            dossier = store.dossier(story_id)
        counts_of(story_id, dossier)
        # The story's dossier numbers its documents d1, d2... in the story's order.
        local = f"d{story_found.documents.index(doc_id) + 1}" if doc_id in story_found.documents else ""
        marks = _marks(found.repairs, dossier, local)
        return render_template("document.html", document=found, pieces=_marked(found.text, marks),
                               stories=stories_of, marks=marks)

    @app.get("/feeds")
    def feeds() -> str:
        with lock:
            rows = store.feeds()
        return render_template("feeds.html", feeds=rows)

    @app.get("/api")
    def api_index() -> Response:
        return jsonify({
            "stories": url_for("api_stories"),
            "story": url_for("api_story", story_id="ID"),
            "versions": url_for("api_versions", story_id="ID"),
            "document": url_for("api_document", doc_id="ID"),
            "feeds": url_for("api_feeds"),
            "schema": url_for("api_schema"),
            "parameters": {"stories": ["q", "outlet", "from", "to", "page", "per_page"], "story": ["since"]},
        })

    @app.get("/api/stories")
    def api_stories() -> Response:
        page = search(query_from(request.args))
        return jsonify(page.to_dict())

    @app.get("/stories/<story_id>/<table>.csv")
    def story_csv(story_id: str, table: str) -> Response:
        if table not in CSV_TABLES:
            abort(404, description=f"no table {table}")
        with lock:
            story_or_404(story_id)
            dossier = store.dossier(story_id)
        counts_of(story_id, dossier)
        text = csv_text(rows(dossier.to_dict())[table])
        return Response(text, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{story_id}-{table}.csv"'})

    @app.get("/api/stories/<story_id>")
    def api_story(story_id: str) -> Response:
        data = dossier_data(story_id, since_of(request.args))
        return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")

    @app.get("/api/documents/<doc_id>")
    def api_document(doc_id: str) -> Response:
        with lock:
            try:
                found = store.documents([doc_id])[0]
            except DamagedStore:
                raise  # there, but unreadable: not a 404
            except UsageError:
                abort(404, description=f"no document {doc_id}")
        return jsonify(found.to_dict())

    @app.get("/api/feeds")
    def api_feeds() -> Response:
        with lock:
            return jsonify({"feeds": store.feeds()})

    @app.get("/api/schema")
    def api_schema() -> Response:
        text = resources.files("accord").joinpath("schema/api.schema.json").read_text(encoding="utf-8")
        return Response(text, mimetype="application/schema+json")

    @app.errorhandler(DamagedStore)
    def damaged(error: DamagedStore) -> tuple[Any, int]:
        # A row of the store cannot be read: its one line, not a traceback.
        _log.warning("%s %s: %s", request.method, request.path, error)
        if request.path.startswith("/api/"):
            return jsonify({"error": str(error)}), 500
        return render_template_string(_DAMAGED_PAGE, message=str(error)), 500

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    def refused(error: Any) -> tuple[Any, int]:
        code = getattr(error, "code", 404) or 404
        if request.path.startswith("/api/"):
            return jsonify({"error": getattr(error, "description", "not found")}), code
        return render_template("error.html", message=getattr(error, "description", "not found")), code

    return app


def _with_app_bar(page: str, story_id: str, changes: dict[str, Any] | None) -> str:
    """The report with a line of the app's links on top: back to the list,
    the story's documents and versions, and (in a "what changed" view) the
    whole dossier. Built from escaped pieces; the report's policy allows its
    inline style."""
    links = [(url_for("stories"), "← Stories"),
             (url_for("story_documents", story_id=story_id) + "#versions", "Documents and versions")]
    if changes is not None:
        links.append((url_for("story", story_id=story_id), "The dossier without changes"))
    bar = Markup('<nav class="app-bar" aria-label="accord serve" style="padding:.5rem 1rem;'
                 'border-bottom:1px solid #ccc;font:14px sans-serif">{}</nav>').format(
        Markup(" · ").join(Markup('<a href="{}">{}</a>').format(href, text) for href, text in links))
    at = page.find("<body>")
    return page if at < 0 else page[: at + 6] + str(bar) + page[at + 6:]


#: The page of a request that met a damaged row of the store (error.html says "Not found").
_DAMAGED_PAGE = ('{% extends "base.html" %}{% block title %}Store damaged{% endblock %}'
                 '{% block main %}<h1>The store cannot be read</h1><p>{{ message }}</p>{% endblock %}')


def _report_csp(page: str) -> str:
    """The Content-Security-Policy the report declares in its own <meta>."""
    marker = 'http-equiv="Content-Security-Policy" content="'
    start = page.find(marker)
    if start < 0:
        return _CSP
    start += len(marker)
    return html.unescape(page[start: page.find('"', start)])


@dataclass(frozen=True, slots=True)
class _Mark:
    """A span of a document's clean text the reader marks: a repair, a
    fact's supporting passage or a quotation, with what to say of it."""

    start: int
    end: int
    kind: str  # "repair", "fact" or "quote"
    note: str


def _marks(repairs: list[Any], dossier: Any, local: str) -> list[_Mark]:
    """The repairs of a document, and the passages of it the story's dossier
    uses: each fact's support (with the fact's status and number) and each
    quotation (with its speaker), ``local`` being the document's id in it."""
    marks = [_Mark(r.start, r.end, "repair", f"{r.kind}: {r.note}")
             for r in repairs if r.start is not None and r.end is not None and r.end > r.start]
    for number, fact in enumerate(dossier.facts, 1):
        for span in fact.support:
            if span.doc == local and span.end > span.start:
                marks.append(_Mark(span.start, span.end, "fact", f"fact {number}: {fact.status}"))
    for quote in dossier.quotes:
        if quote.span.doc == local and quote.span.end > quote.span.start:
            marks.append(_Mark(quote.span.start, quote.span.end, "quote",
                               f"quotation of {quote.speaker_name or 'an unnamed speaker'}"))
    return sorted(marks, key=lambda m: (m.start, m.end, m.kind, m.note))


def _marked(text: str, marks: list[_Mark]) -> list[tuple[str, list[_Mark]]]:
    """The text cut into pieces, each with the marks whose span covers it
    (empty for plain text), for the document reader to mark."""
    cuts = {0, len(text)}
    for mark in marks:
        cuts.update((max(0, mark.start), min(len(text), mark.end)))
    points = sorted(cuts)
    pieces = []
    for a, b in zip(points, points[1:]):
        pieces.append((text[a:b], [m for m in marks if m.start <= a and b <= m.end]))
    return pieces
