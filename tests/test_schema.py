"""The dossier JSON Schema (accord.dossier/1): where it lives, that the model's
records match it, and that it refuses what breaks the contract — with jsonschema
and with the built-in checker used when jsonschema is not installed."""

from __future__ import annotations

import copy
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from accord.errors import AccordError
from accord.model import (
    Conflict,
    ConflictSide,
    Coverage,
    Document,
    Entity,
    Fact,
    OffsetMap,
    Quote,
    Repair,
    Skipped,
    Statement,
    Story,
    SummarySentence,
    TimelineEntry,
)
from accord.render import DossierSchemaError, load_schema, validate

REPO = Path(__file__).resolve().parents[1]

TOP_LEVEL = [
    "schema",
    "accord_version",
    "story",
    "documents",
    "skipped",
    "entities",
    "quotes",
    "statements",
    "facts",
    "conflicts",
    "timeline",
    "summary",
    "coverage",
]


def model_dossier() -> dict[str, Any]:
    """A dossier assembled from the model's own records' ``to_dict()``."""
    text = "Officials said 40 people were hurt. Police said 45 were hurt on 2 May."
    d1 = Document(
        id="d1",
        source="story/a.txt",
        format="text",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        offsets=OffsetMap.identity(len(text)),
        outlet="Wire Daily",
        title="Blast",
        published="2025-05-02",
        language="en",
        credits=["Reuters"],
        repairs=[
            Repair("unwrap", "joined a line", (10, 12), 10, 11),
            Repair("drop", "link teaser", (80, 95), None, None),
        ],
    )
    d1.suspects.append(d1.span(0, 9))
    forty, fortyfive = d1.span(15, 17), d1.span(48, 50)
    quote = Quote(
        "q1", "d1", "indirect", d1.span(36, 60), speaker_name="Police", cue=d1.span(43, 47)
    )
    return {
        "schema": "accord.dossier/1",
        "accord_version": "0.1.0",
        "story": Story("s1", "Blast", ["d1"], "2025-05-02", "2025-05-02").to_dict(),
        "documents": [d1.to_dict()],
        "skipped": [Skipped("x.pdf", "unreadable").to_dict()],
        "entities": [Entity("e1", "Police", "ORG", ["police"], [d1.span(36, 42)]).to_dict()],
        "quotes": [quote.to_dict()],
        "statements": [
            Statement(
                "st1", None, ["q1"], 1, 1, "identical", speaker_name="Police", text=quote.text
            ).to_dict()
        ],
        "facts": [Fact("f1", "People were hurt.", [forty, fortyfive], 1, 1, "disputed").to_dict()],
        "conflicts": [
            Conflict(
                "c1",
                "people hurt",
                [ConflictSide("40", "40", [forty]), ConflictSide("45", None, [fortyfive])],
            ).to_dict()
        ],
        "timeline": [TimelineEntry("2025-05-02", "day", "The blast.", [d1.span(64, 69)]).to_dict()],
        "summary": [SummarySentence("Figures differ.", [forty, fortyfive]).to_dict()],
        "coverage": [Coverage("d1", ["f1"], []).to_dict()],
    }


def _with_jsonschema(dossier: dict[str, Any]) -> None:
    validate(dossier)


def _without_jsonschema(dossier: dict[str, Any]) -> None:
    # None in sys.modules makes "import jsonschema" raise ImportError
    saved = sys.modules.get("jsonschema")
    sys.modules["jsonschema"] = None  # type: ignore[assignment]
    try:
        validate(dossier)
    finally:
        sys.modules["jsonschema"] = saved  # type: ignore[assignment]


VALIDATORS = pytest.mark.parametrize(
    "check", [_with_jsonschema, _without_jsonschema], ids=["jsonschema", "builtin"]
)


def test_repository_copy_is_byte_identical_to_the_packaged_schema() -> None:
    packaged = REPO / "src" / "accord" / "schema" / "dossier.schema.json"
    published = REPO / "schema" / "dossier.schema.json"
    assert packaged.read_bytes() == published.read_bytes()


def test_schema_is_valid_draft_2020_12_and_names_the_contract() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "accord.dossier/1"
    assert schema["required"] == TOP_LEVEL
    assert {"Span", "Repair"} <= schema["$defs"].keys()
    assert schema["$defs"]["Span"]["required"] == ["doc", "start", "end", "text", "raw"]


def test_load_schema_returns_a_copy_the_caller_may_change() -> None:
    load_schema()["required"].clear()
    assert load_schema()["required"] == TOP_LEVEL


@VALIDATORS
def test_dossier_built_from_the_model_matches(check: Callable[[dict[str, Any]], None]) -> None:
    check(model_dossier())


@VALIDATORS
def test_added_fields_are_allowed(check: Callable[[dict[str, Any]], None]) -> None:
    dossier = model_dossier()
    dossier["stats"] = {"documents": 1}
    dossier["facts"][0]["score"] = 0.8
    dossier["summary"][0]["support"][0]["sentence"] = 3
    check(dossier)


def _drop(*path: Any) -> Callable[[dict[str, Any]], None]:
    def change(dossier: dict[str, Any]) -> None:
        node: Any = dossier
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


def _put(value: Any, *path: Any) -> Callable[[dict[str, Any]], None]:
    def change(dossier: dict[str, Any]) -> None:
        node: Any = dossier
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


BROKEN = {
    "no facts": (_drop("facts"), ""),
    "no accord_version": (_drop("accord_version"), ""),
    "wrong schema id": (_put("accord.dossier/2", "schema"), "/schema"),
    "document without sha256": (_drop("documents", 0, "sha256"), "/documents/0"),
    "document without repairs": (_drop("documents", 0, "repairs"), "/documents/0"),
    "published not a date": (
        _put("02/05/2025", "documents", 0, "published"),
        "/documents/0/published",
    ),
    "quote kind not an enum value": (_put("paraphrase", "quotes", 0, "kind"), "/quotes/0/kind"),
    "fact status not an enum value": (_put("confirmed", "facts", 0, "status"), "/facts/0/status"),
    "agreement not an enum value": (
        _put("same", "statements", 0, "agreement"),
        "/statements/0/agreement",
    ),
    "precision not an enum value": (
        _put("week", "timeline", 0, "precision"),
        "/timeline/0/precision",
    ),
    "timeline date missing its day": (_put("2025-05", "timeline", 0, "date"), "/timeline/0/date"),
    "span without raw": (_drop("facts", 0, "support", 0, "raw"), "/facts/0/support/0"),
    "span raw of three offsets": (
        _put([1, 2, 3], "facts", 0, "support", 0, "raw"),
        "/facts/0/support/0/raw",
    ),
    "span start negative": (
        _put(-1, "summary", 0, "support", 0, "start"),
        "/summary/0/support/0/start",
    ),
    "span end a string": (
        _put("17", "conflicts", 0, "sides", 0, "support", 0, "end"),
        "/conflicts/0/sides/0/support/0/end",
    ),
    "outlets a boolean": (_put(True, "facts", 0, "outlets"), "/facts/0/outlets"),
    "repair raw null": (
        _put(None, "documents", 0, "repairs", 0, "raw"),
        "/documents/0/repairs/0/raw",
    ),
    "skipped without reason": (_drop("skipped", 0, "reason"), "/skipped/0"),
    "coverage exclusive missing": (_drop("coverage", 0, "exclusive"), "/coverage/0"),
    "story without title": (_drop("story", "title"), "/story"),
    "statement differences missing": (_drop("statements", 0, "differences"), "/statements/0"),
    "suspects not spans": (_put(["x"], "documents", 0, "suspects"), "/documents/0/suspects/0"),
}


@VALIDATORS
@pytest.mark.parametrize("name", list(BROKEN))
def test_a_dossier_that_breaks_the_contract_fails_with_its_path(
    name: str, check: Callable[[dict[str, Any]], None]
) -> None:
    change, path = BROKEN[name]
    dossier = copy.deepcopy(model_dossier())
    change(dossier)
    with pytest.raises(DossierSchemaError) as caught:
        check(dossier)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, AccordError)
    assert caught.value.path == path
    assert (path or "/") in str(caught.value)
