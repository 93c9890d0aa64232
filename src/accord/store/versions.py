"""What a story's dossier held at each of its versions, and what changed since.

A version does not keep the dossier (the cached one is rewritten as the story
grows); it keeps what a diff needs, as compact JSON:

- each fact's text, status and supporting outlets, with short hashes of its
  support passages (a fact whose representative wording changed as documents
  joined is still the same fact when one of its passages is);
- each conflict's topic and the values of its sides;
- the outlets of the story's documents.

Everything here works on the dossier dict (the JSON contract) and is ordered,
so the same dossier gives the same keys whatever the hash seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = ["changes_between", "version_keys"]


def _norm(text: Any) -> str:
    """Text as compared across versions: case and spacing do not count."""
    return " ".join(str(text or "").split()).casefold()


def _digest(text: str) -> str:
    # 12 hex digits (48 bits): a collision between two passages of one story
    # is out of reach, and a version of 200 facts stays a few kilobytes.
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _outlets_by_document(dossier: Mapping[str, Any]) -> dict[str, str]:
    """Document id -> the outlet it counts as (its source when it names none),
    as the report counts outlets: local ids change between versions, outlets do not."""
    return {str(d.get("id")): str(d.get("outlet") or _file_name(d.get("source")) or d.get("id"))
            for d in dossier.get("documents", [])}


def _file_name(source: Any) -> str:
    """The last part of an input's name: a file's path says where the
    checkout sits, its name does not."""
    return str(source or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def version_keys(dossier: Mapping[str, Any]) -> dict[str, Any]:
    """What a version of ``dossier`` keeps for diffs: its facts (key, text,
    status, outlets, passage hashes), its conflicts (key, topic, side values)
    and its outlets, each list sorted by key."""
    outlet_of = _outlets_by_document(dossier)
    facts = []
    for fact in dossier.get("facts", []):
        support = fact.get("support") or []
        facts.append({
            "key": _digest(_norm(fact.get("text"))),
            "text": str(fact.get("text") or ""),
            "status": fact.get("status"),
            "outlets": sorted({outlet_of.get(str(s.get("doc")), str(s.get("doc"))) for s in support}),
            "passages": sorted({_digest(_norm(s.get("text"))) for s in support}),
        })
    conflicts: dict[str, dict[str, Any]] = {}
    for conflict in dossier.get("conflicts", []):
        key = _digest(_norm(conflict.get("topic")))
        entry = conflicts.setdefault(key, {"key": key, "topic": str(conflict.get("topic") or ""), "sides": []})
        entry["sides"] = sorted({*entry["sides"], *(str(s.get("value") or "") for s in conflict.get("sides", []))})
    return {
        "facts": sorted(facts, key=lambda f: (f["key"], f["text"])),
        "conflicts": [conflicts[k] for k in sorted(conflicts)],
        "outlets": sorted(set(outlet_of.values())),
    }


def changes_between(before: Mapping[str, Any], dossier: Mapping[str, Any]) -> dict[str, Any]:
    """What ``dossier`` (the JSON contract's dict) holds that the version
    whose keys are ``before`` did not, and what went away:

    - ``facts``: ``new`` (facts of the dossier that share neither their text
      nor any support passage with a fact before, with their ids), ``gone``
      (facts before that no fact now shares text or a passage with),
      ``more_support`` (facts held before that gained outlets or changed
      status, with the outlets they gained);
    - ``conflicts``: ``new`` and ``gone`` (a conflict is the one before when
      its topic or its sides are), ``changed`` (a topic before whose sides
      now differ);
    - ``outlets``: ``new`` and ``gone``.

    Every list follows the dossier's own order (facts and conflicts by id),
    the versions' sorted order for what went away."""
    now = version_keys(dossier)
    old_facts = list(before.get("facts", []))
    by_key = {f["key"]: f for f in old_facts}
    by_passage: dict[str, dict[str, Any]] = {}
    for fact in old_facts:
        for passage in fact.get("passages", []):
            by_passage.setdefault(passage, fact)
    matched: set[str] = set()
    new_facts, more = [], []
    # ``now["facts"]`` is sorted by key; walk the dossier's facts in their order.
    keyed = {(_digest(_norm(f.get("text"))), str(f.get("text") or "")): f for f in dossier.get("facts", [])}
    current = sorted(now["facts"], key=lambda f: _fact_order(keyed.get((f["key"], f["text"]), {})))
    for fact in current:
        same = by_key.get(fact["key"]) or next(
            (by_passage[p] for p in fact["passages"] if p in by_passage), None)
        record = keyed.get((fact["key"], fact["text"]), {})
        if same is None:
            new_facts.append({"id": record.get("id"), "text": fact["text"], "status": fact["status"],
                              "outlets": fact["outlets"]})
            continue
        matched.add(same["key"])
        gained = sorted(set(fact["outlets"]) - set(same.get("outlets", [])))
        if gained or fact["status"] != same.get("status"):
            more.append({"id": record.get("id"), "text": fact["text"], "status": fact["status"],
                         "status_before": same.get("status"), "outlets": fact["outlets"], "gained": gained})
    gone_facts = [{"text": f["text"], "status": f.get("status"), "outlets": f.get("outlets", [])}
                  for f in old_facts if f["key"] not in matched]
    old_conflicts = {c["key"]: c for c in before.get("conflicts", [])}
    ids = {_digest(_norm(c.get("topic"))): c.get("id") for c in reversed(dossier.get("conflicts", []))}
    new_conflicts, changed = [], []
    matched_conflicts: set[str] = set()
    for conflict in sorted(now["conflicts"], key=lambda c: _id_order(ids.get(c["key"]))):
        entry = {"id": ids.get(conflict["key"]), "topic": conflict["topic"], "sides": conflict["sides"]}
        # Same topic, or (its topic worded anew as documents joined) the same sides.
        was = old_conflicts.get(conflict["key"]) or next(
            (c for c in old_conflicts.values() if c.get("sides") == conflict["sides"]), None)
        if was is not None:
            matched_conflicts.add(was["key"])
        if was is None:
            new_conflicts.append(entry)
        elif was.get("sides") != conflict["sides"]:
            changed.append({**entry, "sides_before": was.get("sides", [])})
    gone_conflicts = [{"topic": c["topic"], "sides": c.get("sides", [])}
                      for key, c in sorted(old_conflicts.items()) if key not in matched_conflicts]
    old_outlets = set(before.get("outlets", []))
    return {
        "facts": {"new": new_facts, "more_support": more, "gone": gone_facts},
        "conflicts": {"new": new_conflicts, "changed": changed, "gone": gone_conflicts},
        "outlets": {"new": sorted(set(now["outlets"]) - old_outlets),
                    "gone": sorted(old_outlets - set(now["outlets"]))},
    }


def _id_order(identifier: Any) -> tuple[int, str]:
    """f12 after f2: ids by their number, anything else last."""
    text = str(identifier or "")
    digits = text.lstrip("abcdefghijklmnopqrstuvwxyz")
    return (int(digits), text) if digits.isdigit() else (1 << 62, text)


def _fact_order(fact: Mapping[str, Any]) -> tuple[int, str]:
    return _id_order(fact.get("id"))
