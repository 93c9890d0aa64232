"""Only accord's own logger writes unless -v (issue 24): loading the sentence
vectors leaves the root logger as it was, and a third-party warning during a
command prints nothing."""

from __future__ import annotations

import logging

from accord.compare import meaning


def test_loading_the_sentence_vectors_adds_no_root_handler():
    before = list(logging.getLogger().handlers)
    meaning._model.cache_clear()
    meaning._model()
    assert logging.getLogger().handlers == before


_SCRIPT = """
import logging, sys
from types import SimpleNamespace
from accord import cli
from accord.compare import meaning
meaning._model()  # importing WordLlama used to add a stderr handler to the root logger
def body(args, display):
    logging.getLogger("trafilatura.utils").error("parsed tree length: 0")
    logging.getLogger("accord").info("1 document read")
    return 0
args = SimpleNamespace(quiet=False, verbose=sys.argv[1] == "-v", log_file=None, output="-", argv=["ingest"])
sys.exit(cli._execute("ingest", args, body))
"""


def test_a_third_party_error_does_not_print_during_a_command(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, "-"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 document read" in done.stderr
    assert "parsed tree length" not in done.stderr
