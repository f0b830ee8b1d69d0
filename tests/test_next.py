"""`next` is a checklist you can act on (issue 10, point 4): each missing item names the command that
records it, moves off the path are alternatives rather than to-dos, and a ready move shows the
`advance` command; `advance` succeeds on every example case that `next` calls ready."""

from __future__ import annotations

import json

import pytest

from wbcr.model.procedure import available, command_for, condition_path, load_procedure

#: paths a guard reads that no recording command writes (they are set when the case is registered)
SET_AT_REFERRAL = ("case.yaml#intake", "case.yaml#flags")


@pytest.mark.parametrize("procedure_id", available())
def test_every_guard_item_names_the_command_that_records_it(procedure_id):
    procedure = load_procedure(procedure_id)
    conditions = [c for stage in procedure.stages.values() for c in stage.get("requires") or []]
    conditions += [c for stage in procedure.stages.values() for e in stage.get("exits") or [] for c in e["requires"]]
    unnamed = []
    for cond in conditions:
        path = condition_path(cond.get("check", cond)) if "each" in cond else condition_path(cond)
        if path is None or path.startswith(SET_AT_REFERRAL):
            continue
        command = command_for(procedure, path.replace("{item.agency}", "gp").replace("{item.id}", "R1-A1")
                              .replace("{item}", "A. Member"), "WBCR-2017-001")
        if command is None or not command.startswith("wbcr "):
            unnamed.append(path)
    assert not unnamed, f"{procedure_id}: no command named for {unnamed}"


def test_command_for_fills_the_paths_filters():
    procedure = load_procedure("wt2015")
    assert command_for(procedure, "notifications.yaml#notifications[recipient=ofsted,purpose=decision_notification]",
                       "WBCR-2017-010") == \
        "wbcr notify WBCR-2017-010 --recipient ofsted --purpose decision_notification --on DATE"
    assert command_for(procedure, "recommendations.yaml#recommendations[*].actions[id=R1-A2].signed_off",
                       "X").startswith("wbcr plan sign-off X --action R1-A2 ")
    assert command_for(procedure, "chronology#tvp", "X") == "wbcr chronology import X --agency tvp FILE"


def test_next_names_commands_shows_exits_as_alternatives_and_the_advance_command(wbcr, example):
    screening = json.loads(wbcr("--today", "2017-11-24", "next", "WBCR-2017-010", "--format", "json",
                                cwd=example).out)
    (on_path,) = [m for m in screening["next"] if not m["exit"]]
    assert on_path["stage"] == "information_requests" and not on_path["ready"]
    assert on_path["checklist"][0]["command"].startswith("wbcr screen WBCR-2017-010 ")
    assert [m["stage"] for m in screening["next"] if m["exit"]] == ["closed"]
    text = wbcr("--today", "2017-11-24", "next", "WBCR-2017-010", cwd=example).out
    assert "Alternatives (off the usual path" in text and "  or closed" in text
    ready = wbcr("--today", "2017-11-24", "next", "WBCR-2017-002", cwd=example).out
    assert "Move it on: wbcr advance WBCR-2017-002" in ready


def test_advance_succeeds_on_every_example_case_next_calls_ready(wbcr, example):
    cases = sorted(p.name for p in (example / "cases").iterdir())
    moved = []
    for ref in cases:
        data = json.loads(wbcr("--today", "2017-11-24", "next", ref, "--format", "json", cwd=example).out)
        for move in data["next"]:
            if move["ready"] and not move["exit"]:
                args = move["advance"].split()[1:]
                result = wbcr("--today", "2017-11-24", *args, "--on", "2017-11-24", cwd=example)
                assert result.code == 0, f"{move['advance']}: {result.err}"
                moved.append(ref)
                break
    assert moved, "no example case is ready to move on"
