"""``accord serve``: a local web app over a store. Flask (a maintained web
framework with Jinja2 templates that escape every value) serves:

- ``/``: the stories, with search, date and outlet filters, counts, and pages;
- ``/stories/<id>``: the story's dossier, the same self-contained report as
  ``accord dossier -o x.html`` (from the store's cached dossier);
- ``/stories/<id>/documents`` and ``/documents/<id>``: the documents, each
  with its clean text and the repairs made to it;
- ``/feeds``: what ``accord watch`` saw of each feed at its last poll;
- ``/api/...``: the same data as JSON (``/api`` lists the endpoints; the
  dossier is the ``accord.dossier/1`` contract, the lists follow
  ``schema/api.schema.json``).

The app reads only: the store is opened read-only unless ``writable`` is
asked for, in which case dossiers it makes are cached in the store.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from importlib import resources
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request, url_for

from accord.errors import UsageError
from accord.render import to_html
from accord.render.tables import csv_text, rows
from accord.store import Store

from .catalog import Catalog, Query

__all__ = ["create_app"]

_log = logging.getLogger("accord")
#: Seconds a list request may spend making the dossiers of listed stories
#: that have no counts yet (the rest get theirs on the next view).
COUNT_SECONDS = 2.0
#: The tables a story's CSV export offers (``/stories/<id>/<table>.csv``).
CSV_TABLES = ("facts", "quotes", "conflicts", "coverage", "statements", "documents")

#: Pages of the app run no script and load nothing from elsewhere.
_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'")
#: Stories a list page shows at most (the API's ``per_page`` is capped to it).
PER_PAGE = 50
MAX_PER_PAGE = 200


def create_app(store_path: str, *, writable: bool = False) -> Flask:
    """The web app over the store at ``store_path``. Raises UsageError when it
    is not an accord store."""
    store = Store.open(store_path, readonly=not writable)
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

    def query_from(args: Any) -> Query:
        def number(name: str, default: int, top: int) -> int:
            try:
                return max(1, min(top, int(args.get(name, default))))
            except ValueError:
                return default
        return Query(
            text=args.get("q", "").strip(),
            outlet=args.get("outlet", "").strip(),
            since=args.get("from", "").strip(),
            until=args.get("to", "").strip(),
            page=number("page", 1, 10**9),
            per_page=number("per_page", PER_PAGE, MAX_PER_PAGE),
        )

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
        for up to COUNT_SECONDS a request: the list shows every story's
        counts after a view or a few (read-only too: kept in memory)."""
        started = time.monotonic()
        for row in rows:
            if row.get("facts") is None and time.monotonic() - started < COUNT_SECONDS:
                try:
                    counts_of(row["id"], store.dossier(row["id"]))
                except UsageError:
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
        with lock:
            page = catalog.page(query)
            fill_counts(page.stories)

        def link(number: int) -> str:
            args = {k: v for k, v in request.args.items() if k != "page"}
            return url_for("stories", page=number, **args)

        return render_template("stories.html", page=page, query=query, link=link, path=store.path)

    @app.get("/stories/<story_id>")
    def story(story_id: str) -> Response:
        with lock:
            story_or_404(story_id)
            dossier = store.dossier(story_id)
        counts_of(story_id, dossier)
        page = to_html(dossier.to_dict())
        # The report carries its own policy (its one script, by hash).
        return Response(page, mimetype="text/html", headers={"Content-Security-Policy": _report_csp(page)})

    @app.get("/stories/<story_id>/documents")
    def story_documents(story_id: str) -> str:
        with lock:
            found = story_or_404(story_id)
            documents = store.documents(found.documents)
        return render_template("story.html", story=found, documents=documents)

    @app.get("/documents/<doc_id>")
    def document(doc_id: str) -> str:
        with lock:
            try:
                found = store.documents([doc_id])[0]
            except UsageError:
                abort(404, description=f"no document {doc_id}")
            # A document belongs to one story in the store (merged stories resolve to the kept one).
            story_id = store.resolve(store._story_of(doc_id))
            stories_of = [row for row in catalog.rows() if row["id"] == story_id]
        return render_template("document.html", document=found, pieces=_marked(found.text, found.repairs),
                               stories=stories_of)

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
            "document": url_for("api_document", doc_id="ID"),
            "feeds": url_for("api_feeds"),
            "schema": url_for("api_schema"),
            "parameters": {"stories": ["q", "outlet", "from", "to", "page", "per_page"]},
        })

    @app.get("/api/stories")
    def api_stories() -> Response:
        with lock:
            page = catalog.page(query_from(request.args))
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
        with lock:
            story_or_404(story_id)
            dossier = store.dossier(story_id)
        counts_of(story_id, dossier)
        return Response(dossier.to_json(indent=None), mimetype="application/json")

    @app.get("/api/documents/<doc_id>")
    def api_document(doc_id: str) -> Response:
        with lock:
            try:
                found = store.documents([doc_id])[0]
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

    @app.errorhandler(404)
    def not_found(error: Any) -> tuple[Any, int]:
        if request.path.startswith("/api/"):
            return jsonify({"error": getattr(error, "description", "not found")}), 404
        return render_template("error.html", message=getattr(error, "description", "not found")), 404

    return app


def _report_csp(page: str) -> str:
    """The Content-Security-Policy the report declares in its own <meta>."""
    marker = 'http-equiv="Content-Security-Policy" content="'
    start = page.find(marker)
    if start < 0:
        return _CSP
    start += len(marker)
    return html.unescape(page[start: page.find('"', start)])


def _marked(text: str, repairs: list[Any]) -> list[tuple[str, list[Any]]]:
    """The text cut into pieces, each with the repairs whose clean span covers
    it (empty for plain text), for the document reader to mark."""
    cuts = {0, len(text)}
    spans = [(r.start, r.end, r) for r in repairs if r.start is not None and r.end is not None and r.end > r.start]
    for start, end, _ in spans:
        cuts.update((max(0, start), min(len(text), end)))
    points = sorted(cuts)
    pieces = []
    for a, b in zip(points, points[1:]):
        pieces.append((text[a:b], [r for start, end, r in spans if start <= a and b <= end]))
    return pieces
