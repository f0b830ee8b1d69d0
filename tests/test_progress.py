"""Progress on long work (issue 15, point 5): shown on a terminal's standard error once work has gone on
for a second, never when piped or in CI, never on standard output; the core reports how far it has got.
The clock is a fake one: no test here depends on how fast the machine is."""

from __future__ import annotations

import datetime as dt
import io
import shutil

from rich.console import Console

from conftest import EXAMPLE
from wbcr.cli.progress import ProgressDisplay, wanted
from wbcr.validation.engine import validate_register


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=80), buffer


def test_progress_is_wanted_only_on_a_terminal_outside_ci():
    assert wanted(_Tty(), {}) is True
    assert wanted(io.StringIO(), {}) is False            # piped
    assert wanted(_Tty(), {"CI": "true"}) is False       # a CI log
    assert wanted(_Tty(), {"WBCR_NO_PROGRESS": "1"}) is False
    assert wanted(_Tty(), {"TERM": "dumb"}) is False


def test_quick_work_shows_nothing_and_long_work_shows_a_bar_that_goes_away():
    clock = _Clock()
    console, buffer = _terminal()
    with ProgressDisplay(enabled=True, console=console, clock=clock) as progress:
        progress("checking cases", 1, 10)
        assert not progress.shown and buffer.getvalue() == ""  # under a second: nothing
        clock.now += 1.5
        progress("checking cases", 2, 10)
        assert progress.shown
        progress("checking cases", 10, 10)
    assert not progress.shown
    assert "checking cases" in buffer.getvalue()


def test_work_finished_within_the_second_never_shows_a_bar():
    clock = _Clock()
    console, buffer = _terminal()
    with ProgressDisplay(enabled=True, console=console, clock=clock) as progress:
        for done in range(1, 6):
            progress("reading records", done, 5)
        clock.now += 5
        progress("reading records", 5, 5)  # done: no bar for work that has ended
    assert buffer.getvalue() == ""


def test_a_disabled_display_draws_nothing_however_long():
    clock = _Clock()
    console, buffer = _terminal()
    with ProgressDisplay(enabled=False, console=console, clock=clock) as progress:
        clock.now += 60
        progress("checking cases", 1, 10)
    assert buffer.getvalue() == "" and not progress.shown


def test_validate_reports_how_far_it_has_got(tmp_path):
    register = tmp_path / "register"
    shutil.copytree(EXAMPLE, register, ignore=shutil.ignore_patterns("output"))
    calls: list[tuple[str, int, int]] = []
    result = validate_register(register, today=dt.date(2017, 11, 23), use_cache=False,
                               progress=lambda what, done, total: calls.append((what, done, total)))
    cases = [c for c in calls if c[0] == "checking cases"]
    reading = [c for c in calls if c[0] == "reading records"]
    assert [c[1] for c in cases] == list(range(1, result.cases + 1)) and {c[2] for c in cases} == {result.cases}
    assert reading and reading[-1][1] == reading[-1][2]  # every record read, counted to the end
    assert [c[1] for c in reading] == sorted(c[1] for c in reading)


def test_validate_piped_prints_no_progress(wbcr_process):
    result = wbcr_process("--register", str(EXAMPLE), "--today", "2017-11-23", "validate", "--no-cache")
    assert "checking cases" not in result.out + result.err and "reading records" not in result.err


def test_chronology_merge_and_its_word_document_report_how_far_they_have_got():
    from wbcr.chronology.merge import merge_case
    from wbcr.documents.chronology_docx import build_docx
    from wbcr.model.register import open_register

    register = open_register(str(EXAMPLE))
    calls: list[tuple[str, int, int]] = []
    record = lambda what, done, total: calls.append((what, done, total))  # noqa: E731
    reference = next(p.name for p in sorted((EXAMPLE / "cases").iterdir())
                     if (p / "chronology").is_dir() and any((p / "chronology").glob("*.yaml")))
    merged = merge_case(register, reference, today=dt.date(2017, 11, 23), pseudonymised=True, progress=record)
    files = len(list((EXAMPLE / "cases" / reference / "chronology").glob("*.yaml")))
    assert [c for c in calls if c[0] == "reading chronologies"] == [("reading chronologies", n, files)
                                                                      for n in range(1, files + 1)]
    build_docx(register, merged, dt.date(2017, 11, 23), record)
    written = [c for c in calls if c[0] == "writing the Word document"]
    assert written and written[-1][1] == written[-1][2] and len(written) == written[-1][2]
