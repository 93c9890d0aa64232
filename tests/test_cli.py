"""The command line as a process: click's usage errors, a fast --version that
loads no spaCy, outputs refused before any work, suffixes honoured, the log
file, the progress bar on a terminal, and Ctrl-C."""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from accord import cli

from conftest import EXAMPLE, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
COMMANDS = ("dossier", "ingest", "analyze", "stories", "run", "watch", "serve")


def _accord(*args: object, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accord", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=ENV, **kwargs)


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("accord: "), stderr
    return stderr


# --------------------------------------------------------------------------- start-up


def test_import_accord_version_and_help_load_no_spacy():
    # Why: `accord --version` took 1.5-3 s because `import accord` imported spaCy.
    probe = ("import sys, contextlib, io\n"
             "import accord\n"
             "assert 'spacy' not in sys.modules, 'import accord'\n"
             "from accord.cli import main\n"
             "for argv in (['--version'], ['--help'], *[[c, '--help'] for c in sys.argv[1:]]):\n"
             "    with contextlib.redirect_stdout(io.StringIO()):\n"
             "        assert main(argv) == 0, argv\n"
             "heavy = sorted(m for m in ('spacy', 'accord.pipeline', 'accord.analyze', 'tqdm') if m in sys.modules)\n"
             "print(heavy)\n")
    result = subprocess.run([sys.executable, "-c", probe, *COMMANDS], capture_output=True, text=True, env=ENV,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_public_names_still_load_on_first_use():
    probe = ("import sys, accord\n"
             "assert 'accord.pipeline' not in sys.modules\n"
             "d = accord.Dossier\n"
             "assert 'accord.pipeline' in sys.modules and d is sys.modules['accord.pipeline'].Dossier\n"
             "import accord.analyze\n"
             "assert callable(accord.analyze) and accord.analyze is sys.modules['accord.analyze']\n"
             "try:\n"
             "    accord.nothing\n"
             "except AttributeError:\n"
             "    print('ok')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_python_m_accord_and_the_executor_names():
    import accord
    from accord.executors import EXECUTORS

    result = _accord("--version")
    assert result.returncode == 0 and result.stdout == f"accord {accord.__version__}\n"
    assert cli.EXECUTORS == EXECUTORS  # cli names them without importing the executors


def test_every_command_has_examples_verbose_and_a_log_file(capsys):
    for command in COMMANDS:
        assert cli.main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert f"Usage: accord {command}" in text
        assert re.search(rf"Examples:\n +accord {command} ", text), command
        assert "-v, --verbose" in text and "--log-file FILE" in text and "-q, --quiet" in text, command


def test_clicks_usage_errors_are_one_line_and_exit_2():
    cases = [
        ("dossier", "--no-such-option"),       # an unknown option
        ("ingest",),                           # a missing PATH
        ("run", str(EXAMPLE), "--workers", "many"),  # not a number
        ("dossier", str(EXAMPLE), "--executor", "cloud"),  # not a choice
        ("watch", "feed.xml"),                 # a missing required option
        (),                                    # no command
        ("frobnicate",),                       # an unknown command
    ]
    for args in cases:
        result = _accord(*args)
        assert result.returncode == 2, (args, result.stderr)
        _one_line(result.stderr)
        assert result.stdout == ""


# --------------------------------------------------------------------------- outputs


@pytest.fixture
def no_work(monkeypatch):
    """Every way into the work fails the test: what is refused must be
    refused before any of it."""
    import accord.archive
    import accord.pipeline
    import accord.store

    def forbidden(*args, **kwargs):
        raise AssertionError("the work started before the output was checked")

    for module, name in [(accord.pipeline, "ingest"), (accord.pipeline, "analyze"), (accord.archive, "run"),
                         (accord.store.Store, "add")]:
        monkeypatch.setattr(module, name, forbidden)


def test_outputs_that_cannot_be_written_are_refused_before_the_work(tmp_path, no_work, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    folder = tmp_path / "folder"
    folder.mkdir()
    report = str(EXAMPLE)
    refused = [
        ["dossier", report, "-o", f"{a_file}/"],               # DIR/ that is a file
        ["dossier", report, "-o", f"{a_file}/sub/"],           # DIR/ under a file
        ["dossier", report, "-o", str(a_file / "d.html")],     # a file under a file
        ["dossier", report, "-o", str(tmp_path / "d.pdf")],    # a format it cannot write
        ["dossier", "--store", str(tmp_path / "s.db"), "--story", "s1", "-o", str(tmp_path / "d.txt")],
        ["ingest", report, "-o", str(tmp_path / "x.html")],    # a suffix ingest cannot write
        ["ingest", report, "-o", str(tmp_path / "x.html.gz")],
        ["ingest", report, "-o", str(folder)],                 # a folder
        ["analyze", report, "-o", str(tmp_path / "x.md")],
        ["analyze", report, "-o", str(a_file / "x.jsonl")],
        ["stories", report, "-o", str(tmp_path / "x.html")],
        ["stories", report, "-o", str(tmp_path / "x.jsonl")],  # one JSON object, not lines
        ["run", report, "--out", str(a_file)],                  # --out that is a file
        ["run", report, "--out", str(a_file / "out")],          # --out under a file
        ["run", report, "--out", str(tmp_path / "o"), "--store", str(tmp_path / "s.db")],  # both targets
        ["ingest", report, "--log-file", str(a_file / "log.txt")],  # a log file that cannot be written
    ]
    for argv in refused:
        assert cli.main(argv) == 2, argv
        _one_line(capsys.readouterr().err)
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "d.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "folder"]


def test_suffixes_are_honoured(tmp_path):
    # Why: `ingest -o x.jsonl.gz` wrote plain text and `-o x.html` JSON Lines, both with exit 0.
    assert cli.main(["ingest", str(EXAMPLE), "-o", str(tmp_path / "x.jsonl.gz"), "-q"]) == 0
    with gzip.open(tmp_path / "x.jsonl.gz", "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    assert len(lines) == 4 and all(line["text"] for line in lines)
    assert cli.main(["ingest", str(EXAMPLE), "-o", str(tmp_path / "x.json"), "-q"]) == 0
    array = json.loads((tmp_path / "x.json").read_text())
    assert isinstance(array, list) and [d["id"] for d in array] == [d["id"] for d in lines]
    # --format wins over the suffix; stories and dossiers compress too.
    assert cli.main(["ingest", str(EXAMPLE), "--format", "json", "-o", str(tmp_path / "y.out"), "-q"]) == 0
    assert json.loads((tmp_path / "y.out").read_text()) == array
    assert cli.main(["stories", str(EXAMPLE), "-o", str(tmp_path / "s.json.gz"), "-q"]) == 0
    assert len(json.loads(gzip.decompress((tmp_path / "s.json.gz").read_bytes()))["stories"]) == 1


# --------------------------------------------------------------------------- messages and the log file


def test_the_log_file_holds_what_was_read_skipped_written_and_the_tracebacks(tmp_path, monkeypatch, capsys):
    import accord.runner

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text((EXAMPLE / "01-harbour-ledger.txt").read_text())
    (tmp_path / "boom.txt").write_text("A report that breaks the reader.\n")
    real = accord.runner._read_input

    def read_input(entry, reading):
        if entry.source.endswith("boom.txt"):
            raise ValueError("a bug in a reader")
        return real(entry, reading)

    monkeypatch.setattr(accord.runner, "_read_input", read_input)
    log = tmp_path / "logs" / "accord.log"
    out = tmp_path / "docs.jsonl"
    argv = ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "boom.txt"),
            str(tmp_path / "missing.txt"), "-o", str(out), "--log-file", str(log)]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "-v or --log-file FILE shows the tracebacks" in err
    text = log.read_text()
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ DEBUG accord \S+: accord ingest ", text, re.M)
    assert f"read {tmp_path / 'a.txt'} as d1" in text and f"read {tmp_path / 'b.txt'} as d2" in text
    assert f"skipped {tmp_path / 'missing.txt'}: " in text
    assert "internal error in read: ValueError: a bug in a reader" in text
    assert "Traceback (most recent call last)" in text and "raise ValueError" in text
    assert f"wrote {out} (2 documents, 2 skipped)" in text and "exit status 1" in text
    # -v (before the command or after it) puts the same traceback on stderr;
    # a second run appends to the log.
    assert cli.main(["-v", *argv]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and f"read {tmp_path / 'a.txt'} as d1" in err
    assert log.read_text().count("exit status 1") == 2


def test_an_internal_error_is_one_line_exit_70_and_its_traceback_in_the_log(tmp_path, monkeypatch, capsys):
    import accord.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero deep inside")

    monkeypatch.setattr(accord.pipeline, "ingest", broken)
    log = tmp_path / "accord.log"
    assert cli.main(["ingest", str(EXAMPLE), "--log-file", str(log)]) == cli.EXIT_INTERNAL == 70
    err = _one_line(capsys.readouterr().err)
    assert "internal error: ZeroDivisionError: division by zero deep inside" in err
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "raise ZeroDivisionError" in text
    assert text.rstrip().endswith("exit status 70")


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_follow_the_stages_and_are_cleared(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "100")
    display = cli.Display(True)
    display("read", 3, None)
    first = display._bar
    display("analyze", 0, 3)            # counts afresh: a bar of its own, with a total
    assert display._bar is not first and display._bar.total == 3
    display("analyze", 3, 3)
    display.write("accord: skipped x: empty file")
    display("shard 1 (0 done before)", 10, None)
    shards = display._bar
    display("shard 2 (0 done before)", 20, None)  # goes on counting: one bar, one clock, one rate
    assert display._bar is shards and shards.n == 20
    shards.refresh()  # drawn at most five times a second; now, for the test
    display("compare", 0, None)          # counts nothing: its name and its clock
    display._bar.refresh()
    display("stories", 0, None)
    display("stories", 7, None)          # ...until it counts
    display._bar.refresh()
    display.close()
    shown = terminal.getvalue()
    assert "accord: analyze: 100%" in shown and "3/3" in shown and "docs/s" in shown
    assert "accord: shard 2 (0 done before): 20 docs" in shown
    assert "accord: compare [00:00]" in shown and "accord: stories: 7 docs [" in shown
    assert "s/ docs" not in shown
    # The message starts on a cleared line, never glued to the bar.
    assert re.search(r"(^|[\r\n])accord: skipped x: empty file\n", shown)
    assert shown.endswith("\r") or shown.endswith("\x1b[A")  # the last bar was cleared
    quiet = cli.Display(False)
    quiet("analyze", 1, 3)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    piped = cli.Display(True)
    piped("analyze", 1, 3)
    assert quiet._bar is None and piped._bar is None


def _on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """Run accord with its stderr on a pseudo-terminal of 100 columns."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "accord", *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=slave, env=ENV, cwd=cwd)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return process.wait(timeout=300), shown.decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_on_a_terminal_shows_rates_and_eta_and_clears_before_the_last_line(tmp_path):
    status, shown = _on_a_terminal("dossier", str(EXAMPLE), "-o", "d.html", cwd=tmp_path)
    assert status == 0, shown
    assert re.search(r"accord: analyze: +\d+%\|.*\| 4/4 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+ docs/s\]", shown), shown
    # Why: "accord: synthesizeaccord: wrote ..." - the bar was never cleared.
    assert re.search(r"\raccord: wrote d\.html \(4 documents, \d+ facts", shown), shown
    last = shown.replace("\r\n", "\n").rstrip("\n").rsplit("\n", 1)[-1]
    assert last.rsplit("\r", 1)[-1].startswith("accord: wrote d.html")
    status, quiet = _on_a_terminal("dossier", str(EXAMPLE), "-o", "q.html", "-q", cwd=tmp_path)
    assert status == 0 and "docs/s" not in quiet and quiet.strip().startswith("accord: wrote q.html")


# --------------------------------------------------------------------------- Ctrl-C


@pytest.mark.slow
def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    # The ingest waits once it has started, so the signal lands in the work
    # however fast or slow the machine is.
    started = tmp_path / "started"
    slowed = ("import sys, time, pathlib, accord.pipeline as p\n"
              "real = p.ingest\n"
              "def ingest(*a, **k):\n"
              f"    pathlib.Path({str(started)!r}).write_text('x')\n"
              "    time.sleep(120)\n"
              "    return real(*a, **k)\n"
              "p.ingest = ingest\n"
              "from accord.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    process = subprocess.Popen([sys.executable, "-c", slowed, "dossier", str(EXAMPLE), "-o",
                                str(tmp_path / "d.html")], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 120
    while not started.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "accord: interrupted\n" and out == ""
    assert not (tmp_path / "d.html").exists()


@pytest.mark.slow
def test_ctrl_c_at_a_terminal_reaches_the_pool_workers_without_tracebacks(tmp_path):
    # A terminal's Ctrl-C goes to the whole process group, workers included.
    pile = tmp_path / "pile"
    pile.mkdir()
    for n in range(15):  # 60 reports: the work outlasts the signal
        for report in sorted(EXAMPLE.glob("*.txt")):
            (pile / f"{n:02d}-{report.name}").write_text(report.read_text().replace("Darin", f"Darin {n}"))
    log = tmp_path / "accord.log"
    process = subprocess.Popen([sys.executable, "-m", "accord", "dossier", str(pile), "--one-story", "-o",
                                str(tmp_path / "d.html"), "--executor", "pool", "--workers", "2",
                                "--log-file", str(log)],
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 240
    while "read " not in (log.read_text() if log.exists() else ""):  # the pool starts after reading
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.05)
    time.sleep(1.0)  # the workers are loading spaCy
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert process.returncode == 130 and err.endswith("accord: interrupted\n"), err
