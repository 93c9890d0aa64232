"""The dossier JSON Schema (``accord.dossier/1``): loading it and checking a
dossier against it.

The canonical schema ships as package data (``accord/schema/dossier.schema.json``);
``schema/dossier.schema.json`` at the repository root is an identical copy for
readers who never install the package. ``jsonschema`` is used when it is
installed (it is a test dependency); otherwise a small built-in checker that knows
exactly the keywords this schema uses does the work, so the runtime never needs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from accord.errors import AccordError

__all__ = ["SCHEMA_ID", "DossierSchemaError", "load_schema", "validate"]

SCHEMA_ID = "accord.dossier/1"


class DossierSchemaError(AccordError, ValueError):
    """A dossier that breaks the ``accord.dossier/1`` contract.

    ``path`` is a JSON Pointer to the offending value ("" for the whole dossier);
    the message names the path and what is wrong there.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"dossier does not match {SCHEMA_ID} at {path or '/'}: {message}")


def load_schema() -> dict[str, Any]:
    """The dossier JSON Schema as a fresh dict (callers may change their copy)."""
    return cast(dict[str, Any], json.loads(_schema_text()))


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return (
        resources.files("accord")
        .joinpath("schema")
        .joinpath("dossier.schema.json")
        .read_text(encoding="utf-8")
    )


def validate(dossier: Mapping[str, Any]) -> None:
    """Return None when ``dossier`` (the dict form) matches the schema; raise
    DossierSchemaError, a ValueError, naming the path and the problem of the
    first error found otherwise."""
    schema = load_schema()
    try:
        # lazily: jsonschema is a test dependency, not a runtime one
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import best_match
    except ImportError:
        first = next(_errors(dossier, schema, schema, ""), None)
        if first is not None:
            raise DossierSchemaError(*first) from None
        return
    best = best_match(Draft202012Validator(schema).iter_errors(dossier))
    if best is not None:
        path = "".join(f"/{_pointer_part(p)}" for p in best.absolute_path)
        raise DossierSchemaError(path, best.message) from None


def _pointer_part(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


# --------------------------------------------------------------------------- the fallback checker
# It covers the keywords dossier.schema.json uses and no others; test_schema.py
# checks that it and jsonschema accept and reject the same dossiers.

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list, tuple),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _has_type(value: Any, name: str) -> bool:
    # bool is an int subclass in Python but not an integer in JSON
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[name])


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return cast(Mapping[str, Any], node)


def _errors(
    value: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str
) -> Iterator[tuple[str, str]]:
    """Yield (path, message) for every way ``value`` breaks ``schema``."""
    if "$ref" in schema:
        yield from _errors(value, _resolve(root, schema["$ref"]), root, path)
    if "anyOf" in schema and not any(
        next(_errors(value, s, root, path), None) is None for s in schema["anyOf"]
    ):
        # "X or null" is the one use of anyOf here: say what is wrong with X
        others = [s for s in schema["anyOf"] if s != {"type": "null"}]
        if len(others) == 1 and value is not None:
            yield from _errors(value, others[0], root, path)
        else:
            yield path, f"{value!r:.80} is not valid under any of the given schemas"
        return
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_has_type(value, n) for n in names):
            yield path, f"{value!r:.80} is not of type {' or '.join(repr(n) for n in names)}"
            return
    if "const" in schema and value != schema["const"]:
        yield path, f"{schema['const']!r} was expected"
    if "enum" in schema and value not in schema["enum"]:
        yield path, f"{value!r:.80} is not one of {schema['enum']!r}"
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        yield path, f"{value!r:.80} does not match {schema['pattern']!r}"
    if _has_type(value, "number") and "minimum" in schema and value < schema["minimum"]:
        yield path, f"{value!r} is less than the minimum of {schema['minimum']}"
    if isinstance(value, (list, tuple)):
        if "minItems" in schema and len(value) < schema["minItems"]:
            yield path, f"{list(value)!r:.80} should have at least {schema['minItems']} items"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield path, f"{list(value)!r:.80} should have at most {schema['maxItems']} items"
        if "items" in schema:
            for i, item in enumerate(value):
                yield from _errors(item, schema["items"], root, f"{path}/{i}")
    if isinstance(value, Mapping):
        for name in schema.get("required", ()):
            if name not in value:
                yield path, f"{name!r} is a required property"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                yield from _errors(value[name], sub, root, f"{path}/{_pointer_part(name)}")
