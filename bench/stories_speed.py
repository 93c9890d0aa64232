"""Benchmark: ``accord stories`` on a pile of about 500 articles, grouping
clean documents only, against ``accord stories --counts`` (every document
analysed and each story's dossier made, which is what ``accord stories``
did for every run before issue 23) in the same run, and whether both give
the same groups.

The pile: the articles of the first roundups of
../shared/bench/allsides/roundups-2021.jsonl, enough for ``--articles``
(default 500), read with ``--fields``. Each command runs in a process of its
own, as a user runs it.

    python bench/stories_speed.py [--articles N] [--workers K]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDUPS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "allsides" / "roundups-2021.jsonl"
FIELDS = "text=news.*.newBody,title=news.*.newsTitle,outlet=news.*.newsSource,url=news.*.newsLink,date=date"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="articles in the pile (default 500)")
    parser.add_argument("--workers", type=int, default=1, help="workers for --counts' analysis (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pile = Path(folder) / "pile.jsonl"
        articles = 0
        with ROUNDUPS.open(encoding="utf-8") as source, pile.open("w", encoding="utf-8") as out:
            for line in source:
                if articles >= args.articles:
                    break
                out.write(line)
                articles += sum(1 for item in (json.loads(line).get("news") or {}).values() if item)
        print(f"{articles} articles of AllSides roundups; load average {os.getloadavg()[0]:.1f} at the start")
        runs = {}
        for name, extra in (("stories", []), ("stories --counts", ["--counts", "--workers", str(args.workers)])):
            output = Path(folder) / f"{len(runs)}.json"
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "accord", "stories", str(pile), "--fields", FIELDS, "-q",
                                     "-o", str(output), *extra], capture_output=True, text=True, check=False)
            seconds = time.perf_counter() - start
            if result.returncode not in (0, 1):
                print(f"accord {name} failed ({result.returncode}): {result.stderr[-2000:]}", file=sys.stderr)
                return 1
            stories = json.loads(output.read_text(encoding="utf-8"))["stories"]
            runs[name] = (seconds, [[d["source"] + "#" + d["id"] for d in s["documents"]] for s in stories])
            documents = sum(len(s["documents"]) for s in stories)
            print(f"accord {name:17} {seconds:7.2f} s wall, {len(stories)} stories of {documents} documents")
        if not documents:
            print("no document was grouped; nothing measured", file=sys.stderr)
            return 1
    fast, slow = runs["stories"], runs["stories --counts"]
    print(f"speed-up               {slow[0] / fast[0]:7.2f}x; same groups: {'yes' if fast[1] == slow[1] else 'NO'}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0 if fast[1] == slow[1] else 1


if __name__ == "__main__":
    sys.exit(main())
