"""A terminal, a piped output or a CI log 80 columns wide (issue 15): `status`, `deadlines` and `history`
fit in 80 columns without cutting a reference, an id, a date, a stage or a number, and `--help` of every
command never cuts an option name nor shows a Python type (`<bool>`, `<str>`, `<list[Path]>`) as a
value's name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import copy_example

TODAY = "2026-11-29"
NARROW = {"COLUMNS": "80"}
#: a Python type, or Typer's list of choices in angle brackets, where a value's name should be
PYTHON_METAVAR = re.compile(r"<(bool|str|int|float|path|Path|datetime|list\[[^\]]*\]|[\w-]+(\|[\w-]+)+)>")


@pytest.fixture
def register(tmp_path, env) -> Path:
    return copy_example(tmp_path / "register", env)


def _narrow(wbcr_process, register: Path, *args: str) -> str:
    result = wbcr_process("--today", TODAY, *args, cwd=register, extra_env=NARROW)
    assert result.code == 0, result.err
    return result.out


def _fits(text: str) -> None:
    too_wide = [line for line in text.splitlines() if len(line) > 80]
    assert not too_wide, "\n".join(too_wide)
    assert "…" not in text, text


def _whole(value, text: str) -> None:
    """`value` appears in `text` as it is, on one line, not run into the characters around it."""
    assert re.search(rf"(?<![\w-]){re.escape(str(value))}(?![\w-])", text, re.MULTILINE), f"{value!r} not whole in:\n{text}"


def test_status_fits_80_columns_and_cuts_nothing(wbcr_process, register):
    text = _narrow(wbcr_process, register, "status")
    _fits(text)
    data = json.loads(_narrow(wbcr_process, register, "status", "--format", "json"))
    assert data["cases"]
    for case in data["cases"]:
        for value in (case["reference"], case["lead_lscb"], case["opened"], case["days_open"], case["stage"]):
            if value is not None:
                _whole(value, text)
        if case["next_deadline"]:
            _whole(case["next_deadline"]["due"], text)
    # the 13 cases in about two lines each, not ten lines each as when the table was squeezed
    assert len(text.splitlines()) <= 3 * len(data["cases"]) + 5, text


def test_status_in_a_wide_terminal_is_still_the_boxed_table(wbcr_process, register):
    result = wbcr_process("--today", TODAY, "status", cwd=register, extra_env={"COLUMNS": "200"})
    assert result.code == 0, result.err
    assert "┏" in result.out and "…" not in result.out
    data = json.loads(_narrow(wbcr_process, register, "status", "--format", "json"))
    for case in data["cases"]:
        line = next(line for line in result.lines if case["reference"] in line)
        _whole(case["opened"], line)
        _whole(case["stage"], line)


def test_deadlines_fit_80_columns_and_cut_nothing(wbcr_process, register):
    text = _narrow(wbcr_process, register, "deadlines")
    _fits(text)
    data = json.loads(_narrow(wbcr_process, register, "deadlines", "--format", "json"))
    assert data["deadlines"]
    for deadline in data["deadlines"]:
        _whole(deadline["reference"], text)
        _whole(deadline["due"], text)
        if deadline["days_left"] is not None:
            _whole(abs(deadline["days_left"]), text)


def test_history_fits_80_columns_and_cuts_nothing(wbcr_process, register):
    reference = "WBCR-2017-007"
    text = _narrow(wbcr_process, register, "history", reference)
    _fits(text)
    data = json.loads(_narrow(wbcr_process, register, "history", reference, "--format", "json"))
    assert data["commits"]
    for commit in data["commits"]:
        _whole(commit["commit"][:10], text)
        _whole(commit["date"][:10], text)
        if commit["event_date"]:
            _whole(commit["event_date"], text)


def _commands() -> list[tuple[list[str], object]]:
    import typer.main

    import wbcr.cli

    found = []

    def walk(command, path):
        found.append((path, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(wbcr.cli.app), [])
    return found


def test_help_of_every_command_fits_80_columns_with_option_names_whole(wbcr):
    """In this process (a real one for each of some seventy commands would take a minute): the help of
    every command at 80 columns against the same help 500 wide, where nothing needs cutting."""
    commands = _commands()
    assert len(commands) > 40
    for path, command in commands:
        narrow = wbcr(*path, "--help", extra_env=NARROW)
        wide = wbcr(*path, "--help", extra_env={"COLUMNS": "500"})
        assert narrow.code == 0 and wide.code == 0, (path, narrow.err)
        said = " ".join(["wbcr", *path, "--help"])
        too_wide = [line for line in narrow.lines if len(line) > 80]
        assert not too_wide, f"{said}:\n" + "\n".join(too_wide)
        # an ellipsis in the help text itself (`--rationale "…"`) is in the wide help too; none is added
        assert narrow.out.count("…") == wide.out.count("…"), f"{said}:\n{narrow.out}"
        for param in command.params:
            if getattr(param, "hidden", False):  # an old name kept working, not shown
                continue
            for option in [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]:
                if option.startswith("--"):
                    _whole(option, narrow.out)
        assert not PYTHON_METAVAR.search(narrow.out), f"{said}:\n{narrow.out}"
        assert not PYTHON_METAVAR.search(wide.out), f"{said}:\n{wide.out}"


def test_help_names_values_and_gives_flags_none(wbcr):
    text = wbcr("crg", "conclude", "--help", extra_env=NARROW).out
    assert re.search(r"--sent-to-chair DATE\b", text), text
    assert re.search(r"--criteria-met\s.*\n.*--criteria-not-met\b", text), text
    text = wbcr("status", "--help", extra_env=NARROW).out
    assert re.search(r"--cases \[open\|closed\|all\]", text), text
    assert re.search(r"--out FILE\b", text), text
    assert re.search(r"--help, -h\s+Show this message", text), text
    text = wbcr("deadlines", "--help", extra_env=NARROW).out
    assert re.search(r"--within N\b", text), text
    assert re.search(r"--overdue\s+Only overdue", text), text


@pytest.mark.parametrize("width", [200, 80, 60, 40])
def test_print_table_cuts_no_whole_cell_at_any_width(width, monkeypatch, capsys):
    """The table itself: at every width, a reference, a date, a stage and a number are printed whole on
    one line; free text (here with a wide character) only wraps."""
    from wbcr.cli import console

    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(console, "_out", None)
    rows = [["WBCR-2026-0%02d" % i, "west-berkshire", "quality_assurance", "2026-11-%02d" % i, 1000 + i,
             "Independent Chair's decision (1 month after the referral) — 決定 " * (i % 3)] for i in range(1, 8)]
    console.print_table(["Reference", "Lead", "Stage", "Opened", "Days", "Next deadline"], rows)
    text = capsys.readouterr().out
    monkeypatch.setattr(console, "_out", None)
    assert "…" not in text, text
    assert all(len(line) <= width for line in text.splitlines()), text
    for row in rows:
        for value in row[:5]:
            _whole(value, text)


def test_next_fits_80_columns_but_for_a_command_to_copy(wbcr, register):
    """`next` wraps its own sentences to 80 columns; a command to copy is kept on one line, whole."""
    cases = sorted(p.name for p in (register / "cases").iterdir() if p.is_dir())
    for reference in cases:
        result = wbcr("--today", "2017-11-23", "next", reference, cwd=register, extra_env=NARROW)
        assert result.code == 0, result.err
        too_wide = [line for line in result.out.splitlines()
                    if len(line) > 80 and not line.lstrip().startswith(("wbcr ", "Move it on: wbcr"))]
        assert not too_wide, (reference, too_wide)
        data = json.loads(wbcr("--today", "2017-11-23", "next", reference, "--format", "json", cwd=register).out)
        _whole(data["stage"], result.out)
