"""The command line and the Python API, as a user calls them."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import types
from html.parser import HTMLParser

import pytest

import accord
from accord.render import validate

from conftest import EXAMPLE, ROOT


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accord.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=300)


def test_public_api_is_what_is_promised():
    assert sorted(accord.__all__) == sorted([
        "AccordError", "Article", "Batch", "Document", "Dossier", "InputError", "Skipped", "Span",
        "UsageError", "__version__", "analyze", "dossier", "dossiers", "ingest",
        "Store", "stories", "Settings",
        "run", "RunSummary", "Executor", "InProcessExecutor", "PoolExecutor", "DaskExecutor",
    ])
    for name in accord.__all__:
        assert hasattr(accord, name), name
    # Every public name the package binds (not a module it merely imports
    # for its own use) is in __all__, and nothing else is.
    public = {
        name for name, value in vars(accord).items()
        if not name.startswith("_") and not (isinstance(value, types.ModuleType) and name not in accord.__all__)
    }
    assert public | {"__version__"} == set(accord.__all__)


def test_public_names_do_not_shadow_the_stage_subpackages():
    import accord.analyze
    import accord.ingest

    for name in ("analyze", "ingest"):
        module = importlib.import_module(f"accord.{name}")
        assert getattr(accord, name) is module and isinstance(module, types.ModuleType)
        assert sys.modules[f"accord.{name}"] is module
    # The subpackages' parts are reachable as attributes...
    assert callable(accord.analyze.retime) and callable(accord.ingest.read)
    from accord.analyze import times

    assert accord.analyze.times is times
    # ...and calling the module runs the pipeline up to that stage.
    batch = accord.analyze([accord.Article("The council met on Monday. The mayor said: “We agreed.”", outlet="X")])
    assert isinstance(batch, accord.Batch) and len(batch.analyses) == 1 and batch.analyses[0].quotes
    assert isinstance(accord.ingest(accord.Article("Words.", outlet="X")), accord.Batch)


def test_version():
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"accord {accord.__version__}"


@pytest.mark.slow
def test_dossier_in_every_format(tmp_path, corpus_dir):
    for suffix in (".json", ".md", ".html"):
        out = tmp_path / f"d{suffix}"
        result = _run("dossier", str(corpus_dir), "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert f"wrote {out}" in result.stderr
        assert out.stat().st_size > 2000
    data = json.loads((tmp_path / "d.json").read_text())
    validate(data)
    assert data["schema"] == "accord.dossier/1" and len(data["documents"]) == 5
    markdown = (tmp_path / "d.md").read_text()
    assert "Marco Rubio" in markdown and "50" in markdown
    html = (tmp_path / "d.html").read_text()
    assert "<html" in html and "http://" not in html.split("<body", 1)[0].replace("http://www.w3.org", "")


@pytest.mark.slow
def test_dossier_json_on_stdout_from_stdin():
    text = (EXAMPLE / "01-harbour-ledger.txt").read_text()
    result = _run("dossier", "-", "-o", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"][0]["source"] == "<stdin>"
    assert data["documents"][0]["outlet"] == "The Harbour Ledger"


def test_unknown_output_format_is_a_usage_error(tmp_path):
    result = _run("dossier", str(EXAMPLE), "-o", str(tmp_path / "d.pdf"))
    assert result.returncode == 2 and ".json, .md or .html" in result.stderr


@pytest.mark.slow
def test_ingest_and_analyze_write_one_document_a_line(tmp_path):
    result = _run("ingest", str(EXAMPLE / "*.txt"))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4 and all("repairs" in line and "entities" not in line for line in lines)
    result = _run("analyze", str(EXAMPLE), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    documents = [line for line in lines if not line.get("skipped")]
    assert len(documents) == 4 and lines[-1]["skipped"] and "missing.txt" in lines[-1]["source"]
    for document in documents:
        for key in ("entities", "quotes", "quantities", "times", "claims"):
            assert key in document
        for quote in document["quotes"]:
            assert document["text"][quote["span"]["start"]:quote["span"]["end"]] == quote["span"]["text"]
            assert quote["span"]["raw"] is not None and quote["speaker"] is None


def test_articles_in_memory_and_hostile_text_renders_as_text():
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }}"
    articles = [
        accord.Article(f"The council met on Monday for 40 minutes. {hostile} The mayor said: “We agreed.”",
                       title="Council <b>meets</b>", outlet="Town <script>Crier</script>", published="2026-01-05"),
        accord.Article("The council met on Monday for an hour. The mayor said: “We agreed.”",
                       title="Council meets", outlet="Valley News", published="2026-01-05"),
    ]
    dossier = accord.dossier(articles)
    validate(dossier.to_dict())
    html = dossier.to_html()

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    parser = Elements()
    parser.feed(html)
    assert not [t for t, _ in parser.tags if t == "img"]
    assert "<b>meets</b>" not in html and "Council &lt;b&gt;meets&lt;/b&gt;" in html
    assert len([t for t, _ in parser.tags if t == "script"]) <= 1
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html
    markdown = dossier.to_markdown()
    assert "<script>" not in markdown and "<img" not in markdown


def test_stages_import_only_the_model_and_earlier_stages():
    order = ["ingest", "clean", "analyze", "group", "compare", "synthesize", "render"]
    base = {"accord.model", "accord.errors", "accord.settings", "accord.lexicon"}
    for position, stage in enumerate(order):
        allowed = base | {f"accord.{s}" for s in order[: position + 1]}
        for path in (ROOT / "src" / "accord" / stage).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    if name.startswith("accord"):
                        assert any(name == a or name.startswith(a + ".") for a in allowed), f"{path}: imports {name}"
