"""Probe every regular expression in accord for super-linear matching time.

    python bench/redos.py [--budget 3.0] [--length 1000]

Every pattern is collected: each ``re.Pattern`` reachable from a module of
``accord`` (module attributes, class attributes, and the lists, tuples and
dicts they hold), and each literal pattern passed to ``re.compile``,
``re.search``, ``re.sub`` ... anywhere in ``src/`` (found with ``ast``).
For each repetition in a pattern (``*``, ``+``, ``{m,}`` and bounded ones of
50 or more) attack strings are generated from the pattern's own parse tree:
a match of the pattern in which that repetition's body is pumped K times,
followed by a character that makes it fail ("!", NUL, a new line, a space,
or nothing), with the branches and optional parts chosen at random a few
times. Each string is tried with ``search`` and ``match`` at a length of
about L and 4L characters:

- a try (search, match or fullmatch) that takes more than --budget seconds (exponential backtracking)
  is a finding: the probe runs in a child process that is killed then;
- a try whose time grows more than 10 times for 4 times the length
  (quadratic or worse; linear grows 4 times) and takes over 20 ms at 4L
  is a finding.

Printed: the number of patterns and tries, and each finding with the
pattern's origin. The exit status is 1 if anything was found. This is the
equivalent of a ReDoS checker such as regexploit, but measured: regexploit
misses overlap through an optional separator (``\\s*(?:,|and)\\s*`` after
``[\\w]+``), which is how ``_BYLINE`` was exponential.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import pkgutil
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

from re import _constants as C  # noqa: E402 - the parse tree's node names
from re import _parser as P  # noqa: E402

# Characters a negated class or a category is sampled from.
_CANDIDATES = "aZ0 \n,.-!_x'\u2019:/\u00e9\t;(\"#"
_SUFFIXES = ["!", "\x00", "\n", " ", "", "a"]
_TRIES = 8  # random shapes of each pumped repetition
# A repetition bounded at this many or more is pumped too.
_BIG_BOUND = 50


# ----------------------------------------------------------------------------- collecting the patterns


def _flags_of(node: ast.expr | None) -> int:
    """The value of a flags argument written as re.I | re.M ... (0 if not)."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags_of(node.left) | _flags_of(node.right)
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return 0


def _literal_patterns() -> list[tuple[str, str, int]]:
    """(origin, pattern, flags) of every literal pattern given to a function of ``re``."""
    found = []
    names = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                flags = next((k.value for k in node.keywords if k.arg == "flags"), None)
                if flags is None:
                    position = 1 if node.func.attr == "compile" else {"sub": 4, "subn": 4, "split": 3}.get(node.func.attr, 2)
                    flags = node.args[position] if len(node.args) > position else None
                origin = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.append((origin, node.args[0].value, _flags_of(flags)))
    return found


def _module_patterns() -> list[tuple[str, str, int]]:
    """(origin, pattern, flags) of every compiled pattern held by a module of accord."""
    import accord

    found = []
    seen: set[int] = set()

    def visit(value, origin: str, depth: int = 0) -> None:
        if isinstance(value, re.Pattern):
            if id(value) not in seen and isinstance(value.pattern, str):
                seen.add(id(value))
                found.append((origin, value.pattern, value.flags & ~re.UNICODE))
        elif depth < 2 and isinstance(value, (list, tuple, frozenset, set)):
            for item in value:
                visit(item, origin, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for key in list(value):
                visit(value[key], f"{origin}[{key!r}]", depth + 1)

    for info in sorted(pkgutil.walk_packages(accord.__path__, "accord."), key=lambda i: i.name):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in sorted(vars(module).items()):
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, inner in sorted(vars(value).items()):
                    visit(inner, f"{info.name}.{name}.{attr}")
            else:
                visit(value, f"{info.name}.{name}")
    return found


def patterns() -> list[tuple[str, str, int]]:
    """Every distinct (origin, pattern, flags) of accord, module attributes first."""
    out, keys = [], set()
    for origin, pattern, flags in _module_patterns() + _literal_patterns():
        if (pattern, flags) not in keys:
            keys.add((pattern, flags))
            out.append((origin, pattern, flags))
    return out


# ----------------------------------------------------------------------------- generating attack strings


def _in_class(items: list, ch: str) -> bool:
    code = ord(ch)
    for op, arg in items:
        if op is C.LITERAL and code == arg:
            return True
        if op is C.RANGE and arg[0] <= code <= arg[1]:
            return True
        if op is C.CATEGORY:
            name = str(arg)
            test = {"CATEGORY_DIGIT": ch.isdigit(), "CATEGORY_SPACE": ch.isspace(),
                    "CATEGORY_WORD": ch.isalnum() or ch == "_"}
            for key, value in test.items():
                if name.endswith("NOT_" + key[len("CATEGORY_"):]):
                    if not value:
                        return True
                elif name.endswith(key) and value:
                    return True
    return False


def _sample_class(items: list, rng: random.Random) -> str:
    negate = bool(items) and items[0][0] is C.NEGATE
    body = items[1:] if negate else items
    if not negate:
        op, arg = rng.choice(body)
        if op is C.LITERAL:
            return chr(arg)
        if op is C.RANGE:
            return chr(rng.randint(arg[0], min(arg[1], arg[0] + 60)))
        if op is C.CATEGORY:
            options = [c for c in _CANDIDATES if _in_class([(op, arg)], c)]
            return rng.choice(options) if options else "a"
        return "a"
    options = [c for c in _CANDIDATES if not _in_class(body, c)]
    return rng.choice(options) if options else "\u2603"


class _Generator:
    """Strings matching a parse tree, with one repetition pumped."""

    def __init__(self, rng: random.Random, target: int, times: int) -> None:
        self.rng, self.target, self.times = rng, target, times
        self.groups: dict[int, str] = {}

    def seq(self, items) -> str:
        return "".join(self.node(op, arg) for op, arg in items)

    def node(self, op, arg) -> str:
        rng = self.rng
        if op is C.LITERAL:
            return chr(arg)
        if op is C.NOT_LITERAL:
            return "a" if arg != ord("a") else "b"
        if op is C.ANY:
            return rng.choice("ax ")
        if op is C.IN:
            return _sample_class(arg, rng)
        if op is C.BRANCH:
            return self.seq(rng.choice(arg[1]))
        if op is C.SUBPATTERN:
            text = self.seq(arg[3])
            if arg[0] is not None:
                self.groups[arg[0]] = text
            return text
        if op is C.ATOMIC_GROUP:
            return self.seq(arg)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, body = arg
            if id(body) == self.target:
                one = self.seq(body)
                return one * self.times
            count = low if high == low else rng.choice([low, low, low, min(high, low + 1), min(high, low + 2)])
            return "".join(self.seq(body) for _ in range(count))
        if op is C.GROUPREF:
            return self.groups.get(arg, "")
        if op is C.GROUPREF_EXISTS:
            return self.seq(arg[1] if arg[1] is not None else [])
        return ""  # anchors and lookarounds consume nothing


def repetitions(tree) -> list[int]:
    """The ids of the bodies of the repetitions worth pumping in a parse tree."""
    found: list[int] = []

    def walk(items) -> None:
        for op, arg in items:
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                low, high, body = arg
                if op is not C.POSSESSIVE_REPEAT and (high is C.MAXREPEAT or high >= _BIG_BOUND):
                    found.append(id(body))
                walk(body)
            elif op is C.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op is C.SUBPATTERN:
                walk(arg[3])
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(arg[1])
            elif op is C.ATOMIC_GROUP:
                walk(arg)
            elif op is C.GROUPREF_EXISTS:
                walk(arg[1])
                if arg[2] is not None:
                    walk(arg[2])

    walk(tree)
    return found


def attacks(pattern: str, flags: int, length: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(label, short string of about ``length``, long string of about 4 x ``length``)."""
    tree = P.parse(pattern, flags)
    rng = random.Random(seed)
    out = []
    for target in repetitions(tree):
        for attempt in range(_TRIES):
            shape = rng.random()
            probe = _Generator(random.Random(shape), target, 1)
            one = probe.seq(tree)
            base = _Generator(random.Random(shape), target, 0).seq(tree)
            pump = max(1, len(one) - len(base))
            times = max(2, length // pump)
            short = _Generator(random.Random(shape), target, times).seq(tree)
            long = _Generator(random.Random(shape), target, 4 * times).seq(tree)
            suffix = _SUFFIXES[attempt % len(_SUFFIXES)]
            out.append((f"rep{len(out)}:{suffix!r}", short + suffix, long + suffix))
    return out


# ----------------------------------------------------------------------------- timing, in a child that can be killed


def _timed(compiled: re.Pattern, text: str, how: str) -> float:
    start = time.perf_counter()
    getattr(compiled, how)(text)
    return time.perf_counter() - start


def child(listing: Path, start: int, length: int, stop: int | None = None) -> None:
    """Probe the patterns of ``listing`` (JSON) from ``start`` on (to
    ``stop``), announcing each try on stdout first."""
    found = json.loads(listing.read_text(encoding="utf-8"))
    for index in range(start, len(found) if stop is None else stop):
        origin, pattern, flags = found[index]
        try:
            compiled = re.compile(pattern, flags)
            tries = attacks(pattern, flags, length, seed=index)
        except (re.error, RecursionError, ValueError) as exc:
            print(json.dumps({"index": index, "error": str(exc)}), flush=True)
            continue
        for label, short, long in tries:
            for how in ("search", "match", "fullmatch"):
                print(json.dumps({"index": index, "try": f"{label}:{how}", "chars": len(long)}), flush=True)
                small = min(_timed(compiled, short, how) for _ in range(2))
                big = min(_timed(compiled, long, how) for _ in range(2))
                if big > 0.02 and big > 10 * max(small, 1e-5):
                    print(json.dumps({"index": index, "finding": f"super-linear {small * 1e3:.1f} -> {big * 1e3:.1f} ms",
                                      "try": f"{label}:{how}", "sample": long[:120]}), flush=True)
        print(json.dumps({"index": index, "done": len(tries)}), flush=True)
    print(json.dumps({"end": len(found)}), flush=True)


def probe(budget: float = 3.0, length: int = 1000, only: list[tuple[str, str, int]] | None = None) -> dict:
    """Probe every pattern of accord (or ``only`` these (origin, pattern,
    flags)); returns {"patterns": n, "tries": n, "findings": [...]}."""
    import select
    import tempfile

    findings: list[dict] = []
    tries, start, total = 0, 0, None
    retried: set[int] = set()
    origins = patterns() if only is None else only
    listing = Path(tempfile.mkstemp(prefix="accord-redos-", suffix=".json")[1])
    listing.write_text(json.dumps(origins), encoding="utf-8")
    while total is None:
        process = subprocess.Popen([sys.executable, __file__, "--child", str(start), "--length", str(length),
                                    "--listing", str(listing)], stdout=subprocess.PIPE, text=True)
        assert process.stdout
        current: dict = {}
        while True:
            ready, _, _ = select.select([process.stdout], [], [], budget)
            line = process.stdout.readline() if ready else ""
            if not line:
                process.kill()
                process.wait()
                if not ready and current:  # killed in a try: exponential, or polynomial on a busy machine
                    index = current["index"]
                    if index not in retried:
                        # Once more from this pattern: a try that ran over
                        # because the machine stalled runs in time again.
                        retried.add(index)
                        start = index
                        break
                    again = _rerun(listing, index, max(8, length // 8), budget)
                    kind = (f"over {budget:g} s on {current['chars']} chars, and on an eighth of it" if again
                            else f"super-linear: over {budget:g} s on {current['chars']} chars, in time on an eighth")
                    findings.append({"origin": origins[index][0], "pattern": origins[index][1],
                                     "finding": kind, "try": current["try"]})
                    start = index + 1
                    break
                raise RuntimeError(f"the probe's child died at {current}")
            event = json.loads(line)
            if "end" in event:
                total = event["end"]
                process.wait()
                break
            if "try" in event and "finding" not in event:
                tries += 1
                current = event
            if "finding" in event:
                index = event["index"]
                findings.append({"origin": origins[index][0], "pattern": origins[index][1],
                                 "finding": event["finding"], "try": event["try"]})
    listing.unlink()
    return {"patterns": len(origins), "tries": tries, "findings": findings}


def _rerun(listing: Path, index: int, length: int, budget: float) -> bool:
    """Whether pattern ``index`` still runs over ``budget`` on strings of
    ``length``: exponential growth does, polynomial growth does not."""
    try:
        subprocess.run([sys.executable, __file__, "--child", str(index), "--stop", str(index + 1), "--length",
                        str(length), "--listing", str(listing)], stdout=subprocess.DEVNULL, timeout=budget * 6 * _TRIES)
    except subprocess.TimeoutExpired:
        return True
    return False


def regexploit_baseline(found: list[tuple[str, str, int]]) -> list[str] | None:
    """The origins of the patterns regexploit (the usual static ReDoS checker)
    flags as exponential (starriness > 2, its own threshold), for comparison
    in the same run; None when it is not installed."""
    try:
        from regexploit.ast.sre import SreOpParser
        from regexploit.redos import find
    except ImportError:
        return None
    flagged = []
    for origin, pattern, flags in found:
        try:
            if any(redos.starriness > 2 for redos in find(SreOpParser().parse_sre(pattern, flags))):
                flagged.append(origin)
        except Exception:  # noqa: BLE001 - a pattern it cannot parse is not flagged
            continue
    return flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=3.0, help="seconds one try may take")
    parser.add_argument("--length", type=int, default=1000, help="characters of the shorter attack string")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--listing", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.listing, args.child, args.length, args.stop)
        return 0
    result = probe(args.budget, args.length)
    exponential = {f["origin"] for f in result["findings"] if f["finding"].startswith("over")}
    polynomial = {f["origin"] for f in result["findings"]} - exponential
    print(f"patterns {result['patterns']}, tries {result['tries']}: exponential {len(exponential)}, "
          f"super-linear {len(polynomial)} ({len(result['findings'])} findings)")
    baseline = regexploit_baseline(patterns())
    if baseline is not None:
        print(f"baseline, regexploit on the same patterns: {len(baseline)} exponential {sorted(baseline)}")
    for found in result["findings"]:
        print(f"  {found['origin']}: {found['finding']} ({found['try']})\n    {found['pattern'][:200]}")
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
