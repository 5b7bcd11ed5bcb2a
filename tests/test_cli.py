"""The command line: every command has --help and is documented in the README; it calls the API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in _commands():
        assert re.search(rf"`kg {command}\b", readme), f"`kg {command}` is not documented in README.md"


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: kg " + command in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "build" in capsys.readouterr().out


def test_time_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["time", "between July 23 and 24", "--ref", "2025-07-22"]) == 0
    value = json.loads(capsys.readouterr().out)
    assert (value["start"], value["end"]) == ("2025-07-23", "2025-07-24")


def test_build_summary_and_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "seed.txt").write_text((ROOT / "data" / "articles" / "istanbul-talks-2025-07.txt")
                                       .read_text(encoding="utf-8"), encoding="utf-8")
    (articles / "bad.json").write_text("{", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(articles), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    summary = capsys.readouterr().out
    assert "Read 1 articles, skipped 1." in summary and "bad.json" in summary and "invalid JSON" in summary
    assert re.search(r"Found \d+ events", summary) and "Took" in summary
    assert main(["query", "talk_rounds", "--graph", str(out / "graph.ttl"), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("round,") and any("2025-07-23" in row for row in rows[1:])


def test_errors_say_how_to_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "missing")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["query", "talk_rounds", "--graph", str(tmp_path / "graph.ttl")]) == 1
    assert "kg build" in capsys.readouterr().err
    assert main(["time", "July 23", "--ref", "yesterday-ish"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("kg ")


def test_progress_shows_done_rate_and_time_left_as_log_lines_off_a_terminal() -> None:
    import io

    from kg.cli import ProgressLine

    stream = io.StringIO()   # not a terminal: plain log lines, at most one per interval
    progress = ProgressLine(total=1000, stream=stream, interval=0.0)
    progress.started -= 10.0   # as if the run began ten seconds ago
    progress(250, 3)
    progress.close()
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("kg: 250/1,000 inputs done (3 skipped), 25.0/s")
    assert "about 30 s left" in line
    quiet = ProgressLine(total=None, stream=io.StringIO(), interval=3600.0)
    quiet(1, 0)
    assert quiet.stream.getvalue() == ""   # nothing until the interval has passed


def test_build_reads_jsonl_from_standard_input(tmp_path: Path) -> None:
    records = [{"text": "Negotiators from Chile and Peru met in Lima on Tuesday for a first round of talks.",
                "published": "2031-03-05", "url": "https://example.org/1"}, "not an object", {"text": "cut"}]
    feed = "\n".join(json.dumps(r) for r in records) + "\n{broken\n"
    result = subprocess.run([sys.executable, "-m", "kg.cli", "build", "-", "--out", str(tmp_path / "out"),
                             "--jobs", "1", "--quiet"], input=feed, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Read 1 articles, skipped 3." in result.stdout
    assert "<stdin>#2" in result.stdout and "<stdin>#4" in result.stdout
    events = json.loads((tmp_path / "out" / "events.json").read_text(encoding="utf-8"))["events"]
    assert [(e["type"], e["start"]) for e in events if e["type"] == "TalkRound"] == [("TalkRound", "2031-03-04")]
