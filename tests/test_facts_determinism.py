"""The facts of a real multi-outlet story (the five reports of the shared
corpus) are the same under two hash seeds and two input orders (issue 19):
the same texts, statuses, counts and support, support named by the input
file rather than by the document id the order gives it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import json, sys
import accord
paths = sys.argv[1:]
dossier = accord.dossier(paths)
source = {d["id"]: d.get("source") or d["id"] for d in dossier.to_dict()["documents"]}
facts = []
for fact in dossier.to_dict()["facts"]:
    support = sorted((source[s["doc"]], s["start"], s["end"], s["stance"]) for s in fact["support"])
    facts.append([fact["text"], fact["status"], fact["outlets"], fact["independent"], fact.get("source"),
                  fact.get("reported_by"), support])
print(json.dumps(sorted(facts, key=json.dumps)))
"""


def _facts(paths: list[Path], seed: str) -> list:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *map(str, paths)], env=env, capture_output=True,
                          text=True, timeout=600, check=True)
    return json.loads(done.stdout)


@pytest.mark.slow
def test_facts_do_not_depend_on_hash_seed_or_input_order(corpus_dir):
    paths = sorted(p for p in corpus_dir.iterdir() if p.is_file())
    first = _facts(paths, "1")
    assert first, "the corpus makes facts"
    assert _facts(paths, "2") == first
    assert _facts(list(reversed(paths)), "3") == first
