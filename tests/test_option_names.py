"""One meaning per option name (issue 15, point 5): `--to` names a recipient (render, notify; `--recipient`
is the same option) or the last day of a period (`--from`/`--to` of the reports); the stage a case moves
to is `advance --stage`, the plan an action is carried into `plan carry --into`. The old spellings are
refused with the new one, never read as something else."""

from __future__ import annotations

import typer

from wbcr.cli import app


def _commands(command, path: tuple[str, ...] = ()):
    # duck-typed: typer may carry its own copy of click, whose classes are not click's
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, command


def _options() -> dict[str, set[tuple[str, ...]]]:
    """Every visible option name with the metavars it is given across commands."""
    seen: dict[str, set] = {}
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if getattr(param, "opts", [""])[0].startswith("-") and not getattr(param, "hidden", False) \
                    and not getattr(param, "is_flag", False):
                for name in param.opts:
                    seen.setdefault(name, set()).add((param.metavar or "", " ".join(path), param.help or ""))
    return seen


def test_to_is_a_recipient_or_the_end_of_a_period_and_never_a_stage_or_a_plan():
    uses = _options()
    for metavar, command, text in uses["--to"]:
        assert metavar == "RECIPIENT" or "recipient" in text.lower() or ("day" in text or "date" in text), (command, text)
        assert "stage" not in text.lower() and "plan" not in text.lower(), (command, text)
    assert all("stage" in text.lower() for _m, _c, text in uses["--stage"]), uses["--stage"]
    assert "--into" in uses and "--recipient" in uses
    render = {command for _m, command, _t in uses["--recipient"]}
    assert {"render", "notify"} <= render


def test_the_old_spellings_are_refused_with_the_new_one(wbcr, example):
    moved = wbcr("advance", "WBCR-2017-010", "--to", "closed", cwd=example)
    assert moved.code == 2 and "--to is now --stage" in moved.err and "--stage closed" in moved.err
    carried = wbcr("plan", "carry", "WBCR-2016-001", "--action", "R3-A1", "--to", "Neglect plan",
                   "--reason", "x", "--by", "CRG chair", cwd=example)
    assert carried.code == 2 and "--to is now --into" in carried.err
    assert "Traceback" not in moved.err + carried.err
