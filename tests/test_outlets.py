"""The outlet registry: lookups by URL and name, the shipped data, user files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import accord
from accord.cli import main
from accord.errors import UsageError
from accord.ingest.outlets import KINDS, OutletRegistry, default_registry, read_outlets, registry_for


def test_lookup_by_url_takes_the_longest_known_suffix_of_the_host() -> None:
    registry = default_registry()
    assert registry.by_url("https://edition.cnn.com/2021/10/18/politics/x.html").name == "CNN"
    assert registry.by_url("http://www.bbc.co.uk/news/world-123").name == "BBC News"
    assert registry.by_url("nypost.com").name == "New York Post"
    # A host with its own entry wins over the domain's.
    assert registry.by_url("https://finance.yahoo.com/news/a").name == "Yahoo Finance"
    assert registry.by_url("https://ph.news.yahoo.com/a").name == "Yahoo News"
    # An archived page is the outlet it archives.
    assert registry.by_url("https://web.archive.org/web/20210101/https://www.reuters.com/world/x").name == "Reuters"
    assert registry.by_url("https://northern-dispatch.example/a") is None
    assert registry.by_url(None) is None
    assert registry.by_url("http://[broken/a") is None


def test_lookup_by_name_and_alias_as_source_lists_write_them() -> None:
    registry = default_registry()
    assert registry.by_name("CNN (Online News)").name == "CNN"
    assert registry.by_name("Fox News (Online News)").name == "Fox News"
    assert registry.by_name("The Hill").name == "The Hill"
    assert registry.by_name("AP").name == registry.by_name("The Associated Press").name == "Associated Press"
    assert registry.by_name("Wall Street Journal (Opinion)").name == "The Wall Street Journal"
    assert registry.by_name("RTE").name == "RTÉ News"
    # Written solid or with hyphens, as slugs and handles write names.
    assert registry.by_name("usa-today").name == "USA Today"
    assert registry.by_name("TheBlaze").name == "TheBlaze"
    assert registry.by_name("nytimes.com").name == "The New York Times"
    assert registry.by_name("Guest Writer - Left") is None
    assert registry.by_name("") is None


def test_the_shipped_registry_is_dated_sourced_and_consistent() -> None:
    registry = default_registry()
    assert registry.as_of == "2026-11"
    assert len(registry) >= 300
    sites = [s for o in registry for s in o.sites]
    assert len(sites) == len(set(sites)), "a site listed for two outlets"
    assert all(o.kind in KINDS for o in registry)
    assert all(o.country is None or len(o.country) == 2 for o in registry)
    kinds = {o.kind for o in registry}
    assert {"wire", "encyclopedia", "aggregator", "press-release"} <= kinds
    for name in ("Associated Press", "Reuters", "Agence France-Presse", "United Press International", "Bloomberg",
                 "PA Media", "Press Trust of India", "Xinhua", "TASS", "Interfax"):
        assert registry.by_name(name).kind == "wire", name
    for name, kind in (("Wikipedia", "encyclopedia"), ("MSN", "aggregator"), ("NewsBreak", "aggregator"),
                       ("Google News", "aggregator"), ("Apple News", "aggregator"), ("PR Newswire", "press-release"),
                       ("Business Wire", "press-release"), ("GlobeNewswire", "press-release")):
        assert registry.by_name(name).kind == kind, name
    header = (Path(accord.__file__).parent / "ingest" / "outlets.csv").read_text(encoding="utf-8")[:2000]
    assert "as_of: 2026-11" in header and "sources:" in header and "licence:" in header


def test_documents_get_the_canonical_name_owner_and_kind_from_their_url(tmp_path: Path) -> None:
    text = "The council voted on Tuesday to close the harbour bridge for eight months of repairs."
    batch = accord.ingest([accord.Article(text, url="https://www.theguardian.com/uk-news/2025/jul/10/bridge")])
    document = batch.documents[0]
    assert (document.outlet, document.owner, document.outlet_kind) == ("The Guardian", "Guardian Media Group", "newspaper")
    # A text file whose header gives the URL; the name a source list gives is made canonical.
    page = tmp_path / "story.txt"
    page.write_text(f"URL: https://edition.cnn.com/2025/07/10/world/bridge\n\n{text}\n", encoding="utf-8")
    named = accord.Article(text, outlet="Fox News (Online News)")
    documents = accord.ingest([page, named]).documents
    assert [(d.outlet, d.outlet_kind) for d in documents] == [("CNN", "broadcaster"), ("Fox News", "broadcaster")]
    assert documents[1].owner == "Fox Corporation"
    record = documents[1].to_dict()
    assert record["owner"] == "Fox Corporation" and record["outlet_kind"] == "broadcaster"
    # An unknown outlet keeps its own name and has no owner or kind.
    unknown = accord.ingest([accord.Article(text, outlet="Norland Post")]).documents[0]
    assert (unknown.outlet, unknown.owner, unknown.outlet_kind) == ("Norland Post", None, None)


def test_the_site_decides_unless_it_is_an_aggregator_carrying_a_named_outlet() -> None:
    registry = default_registry()
    assert registry.find(name="The Guardian", url="https://guardian.ng/news/x").name == "The Guardian (Nigeria)"
    assert registry.find(name="Reuters", url="https://www.yahoo.com/news/x").name == "Reuters"
    assert registry.find(name=None, url="https://www.yahoo.com/news/x").name == "Yahoo News"
    assert registry.find(name="Rich Lowry", url="https://www.nationalreview.com/x").name == "National Review"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_overrides_and_extends_the_shipped_registry(tmp_path: Path) -> None:
    mine = _write(tmp_path / "mine.csv", (
        "# as_of: 2027-01\n"
        "site,name,owner,country,kind,aliases\n"
        "northern-dispatch.example,Northern Dispatch,Harbour Media,GB,newspaper,The Dispatch (Norland)|ND\n"
        "cnn.com,CNN,Example Holdings,US,broadcaster,CNN (Online News)\n"
    ))
    registry = registry_for(mine)
    assert registry.as_of == "2027-01"
    added = registry.by_url("https://www.northern-dispatch.example/a")
    assert (added.name, added.owner, added.kind) == ("Northern Dispatch", "Harbour Media", "newspaper")
    assert registry.by_name("ND") is added
    assert registry.by_url("https://edition.cnn.com/x").owner == "Example Holdings"
    # Only the columns a file has change: an override of the owner alone keeps the rest.
    owner_only = _write(tmp_path / "owner.csv", "name,owner\nThe Hill,Example Group\n")
    hill = registry_for(owner_only).by_name("The Hill")
    assert (hill.owner, hill.kind, hill.sites) == ("Example Group", "newspaper", ("thehill.com",))
    # The shipped registry itself is untouched.
    assert default_registry().by_url("cnn.com").owner != "Example Holdings"


def test_a_user_file_in_json_and_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = _write(tmp_path / "mine.json", json.dumps({"as_of": "2027-02", "outlets": [
        {"site": ["valley-post.example", "vp.example"], "name": "Valley Post", "owner": "Valley Group",
         "kind": "press release", "aliases": ["VP"]},
    ]}))
    rows, as_of = read_outlets(mine)
    assert as_of == "2027-02" and rows[0]["kind"] == "press-release" and rows[0]["sites"] == ("valley-post.example", "vp.example")
    monkeypatch.setenv("ACCORD_OUTLETS", str(mine))
    document = accord.ingest([accord.Article("Valley Post announced a new ferry line on Monday.", url="https://vp.example/x")]).documents[0]
    assert (document.outlet, document.owner, document.outlet_kind) == ("Valley Post", "Valley Group", "press-release")


def test_a_bad_user_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        registry_for(tmp_path / "missing.csv")
    with pytest.raises(UsageError, match="unknown kind"):
        registry_for(_write(tmp_path / "kind.csv", "site,name,kind\nexample.org,Example,tabloid-ish\n"))
    with pytest.raises(UsageError, match="header"):
        registry_for(_write(tmp_path / "header.csv", "a,b\n1,2\n"))
    with pytest.raises(UsageError, match="JSON"):
        registry_for(_write(tmp_path / "broken.json", "[{"))


def test_the_command_line_takes_an_outlets_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = _write(tmp_path / "mine.csv", "site,name,owner,kind\nnorthern-dispatch.example,Northern Dispatch,Harbour Media,newspaper\n")
    page = _write(tmp_path / "story.txt", "URL: https://northern-dispatch.example/a\n\nThe ferry to Harrow Bay resumed service on Monday after a week of storms.\n")
    out = tmp_path / "docs.jsonl"
    assert main(["ingest", str(page), "--outlets", str(mine), "-o", str(out), "-q"]) == 0
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert (record["outlet"], record["owner"], record["outlet_kind"]) == ("Northern Dispatch", "Harbour Media", "newspaper")
    assert main(["ingest", str(page), "--outlets", str(tmp_path / "missing.csv"), "-q"]) == 2
    assert "not found" in capsys.readouterr().err


def test_a_registry_built_in_code() -> None:
    registry = OutletRegistry([]).extended([{"name": "Harbour Ledger", "sites": ("harbour-ledger.example",), "kind": "newspaper"}])
    assert registry.by_url("https://news.harbour-ledger.example/a").name == "Harbour Ledger"
    with pytest.raises(UsageError):
        registry.extended([{"owner": "Nobody"}])


def test_a_broken_url_names_no_outlet_and_stops_nothing() -> None:
    document = accord.ingest([accord.Article("The ferry resumed on Monday.", url="http://[broken/a")]).documents[0]
    assert (document.outlet, document.owner) == (None, None)


def test_coverage_shows_each_outlet_s_country_and_a_lean_only_from_the_user_s_registry(tmp_path: Path) -> None:
    reports = [
        accord.Article("The ferry to Harrow Bay resumed service on Monday after a week of storms, the port said.",
                       url="https://northern-dispatch.example/a", published="2030-03-04"),
        accord.Article("Ferry service to Harrow Bay resumed on Monday after a week of storms, port officials said.",
                       url="https://www.theguardian.com/world/2030/mar/04/ferry", published="2030-03-04"),
    ]
    bundled = accord.dossier(reports)
    rows = {row["outlet"]: row for row in bundled.tables()["coverage"]}
    assert rows["The Guardian"]["country"] == "GB"
    # The bundled registry holds no lean, so none is shown.
    assert all(row["lean"] is None for row in rows.values())
    assert ">Lean<" not in bundled.to_html()
    mine = _write(tmp_path / "mine.csv", "site,name,country,lean\nnorthern-dispatch.example,Northern Dispatch,gb,centre\n")
    batch = accord.ingest(reports, reading=accord.ingest.Reading.from_options(outlets=str(mine)))
    leaned = accord.dossier(batch)
    rows = {row["outlet"]: row for row in leaned.tables()["coverage"]}
    assert (rows["Northern Dispatch"]["country"], rows["Northern Dispatch"]["lean"]) == ("GB", "centre")
    assert rows["The Guardian"]["lean"] is None
    assert ">Lean<" in leaned.to_html() and "| centre |" in leaned.to_markdown()
